"""The Wikidata name index as a lexicon source (scripts/build_name_lexicon.py) and the
look-up of words written with folded letters."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from dadkhah.names import load_name_lexicon
from dadkhah.names.lexicon import LexiconEntry, NameLexicon
from tests.conftest import load_script

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_name_lexicon.py"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script(SCRIPT)


def _index_wheel(tmp: Path, rows: list[tuple[str, str, str, str, int]]) -> None:
    """A wheel shaped like arabic-name-romanizer's, with a ``units`` table of ``rows``
    (arabic_key, latin, country, role, count)."""
    db = tmp / "names.sqlite3"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE units (arabic_key TEXT, latin TEXT, latin_lang TEXT, "
                "country TEXT, role TEXT, count INTEGER, source TEXT)")
    con.executemany("INSERT INTO units VALUES (?, ?, '', ?, ?, ?, 'wikidata')", rows)
    con.commit()
    con.close()
    with zipfile.ZipFile(tmp / "arabic_name_romanizer-0.2.0-py3-none-any.whl", "w") as z:
        z.write(db, "arabic_name_romanizer/resources/names.sqlite3")
    db.unlink()


def test_wikidata_pairs_take_the_most_written_spelling_whose_consonants_agree(
        builder: ModuleType, tmp_path: Path) -> None:
    _index_wheel(tmp_path, [
        ("كريمي", "Karimi", "IR", "surname", 112),
        ("كريمي", "Karimy", "IR", "surname", 3),
        ("محمدرضا", "Mohammad", "IR", "given", 149),       # misaligned: consonants differ
        ("محمدرضا", "Mohammad-Reza", "IR", "given", 175),  # hyphen dropped
        ("جعفري", "Ja'fari", "IR", "surname", 5),           # apostrophe dropped
        ("خالد", "Khaled", "EG", "given", 500),             # not Iran
        ("مهرگان", "Мехрган", "IR", "given", 2),            # not ASCII
    ])
    pairs = {fa: (la, kind, n) for fa, la, kind, n in builder.wikidata_ir_pairs(tmp_path)}
    assert pairs["کریمی"] == ("Karimi", "surname", 112)
    assert pairs["محمدرضا"] == ("Mohammadreza", "given", 175)
    assert pairs["جعفری"] == ("Jafari", "surname", 5)
    assert "خالد" not in pairs and "مهرگان" not in pairs
    # no wheel: nothing, and the build goes on without it
    assert builder.wikidata_ir_pairs(tmp_path / "none") == []


def test_wikidata_list_never_respells_a_word_of_the_other_sources(
        builder: ModuleType, tmp_path: Path) -> None:
    # «حسین» is in names.csv (Hossein); the index's "Hosein" must not replace it, nor
    # enter a second time as a folded twin; a new word is added with its source
    _index_wheel(tmp_path, [("حسين", "Hosein", "IR", "given", 999),
                            ("تيرداد", "Tirdad", "IR", "given", 4)])
    rows = {fa: (la, src) for fa, la, _, src in builder.build(tmp_path)}
    assert rows["حسین"] == ("Hossein", "dadkhah")
    assert rows["تیرداد"] == ("Tirdad", "wikidata-ir")


def test_packaged_lexicon_has_the_wikidata_words_and_their_licence() -> None:
    lex = load_name_lexicon()
    wd = [e for e in lex.entries if e.source == "wikidata-ir"]
    assert len(wd) >= 5000
    lic = Path(__file__).resolve().parents[2] / "src" / "dadkhah" / "names" / "data" / \
        "licenses" / "arabic-name-romanizer-MIT.txt"
    assert "MIT License" in lic.read_text(encoding="utf-8")


def test_a_word_written_with_folded_letters_is_found() -> None:
    lex = NameLexicon([LexiconEntry("ابادیان", "Abadian", "surname", "test"),
                       LexiconEntry("رضایی", "Rezaei", "surname", "test")])
    assert lex.latin("آبادیان") == "Abadian"     # آ written, the list has ا
    assert lex.latin("رضائی") == "Rezaei"        # ئ for ی
    assert "آبادیان" in lex
    assert lex.latin("آبادی") is None            # folding finds no other word


def test_latin_name_lm_prefers_a_spelling_like_the_names_it_read() -> None:
    from dadkhah.names.romanize_model import LatinNameLM

    lm = LatinNameLM({"nikbakht": 1.0, "bakhtiar": 1.0, "nikzad": 1.0, "farahbakhsh": 1.0})
    # vowels where names have them beat a cluster no name has
    assert lm.log_probability("nikbakht") > lm.log_probability("nikbkht")
    assert lm.log_probability("Nikbakht") == lm.log_probability("nikbakht")
    # a longer spelling costs more, all else equal: the end of word is part of the model
    assert lm.log_probability("nikzad") > lm.log_probability("nikzadzad")


def test_model_readings_start_with_its_own_and_the_lm_can_change_the_choice() -> None:
    from dadkhah.names.romanize_model import LatinNameLM, load_romanize_model

    model = load_romanize_model()
    assert model is not None
    word = "گوهردشت"  # a word the model is unsure of (و: u, o, ou …)
    readings = model.readings(word)
    own = "".join(c + v for c, v in readings[0])
    assert own == model.romanize(word)           # no vocabulary, no n-gram model
    assert 1 < len(readings) <= 8
    assert len({tuple(r) for r in readings}) == len(readings)
    # an n-gram model that knows only the second reading's spelling, weighted heavily,
    # makes it win; with weight 0 the model's own reading stays
    second = "".join(c + v for c, v in readings[1])
    lm = LatinNameLM({second: 1000.0})
    assert model.romanize(word, lm=lm, lm_weight=5.0) == second
    assert model.romanize(word, lm=lm, lm_weight=0.0) == own
