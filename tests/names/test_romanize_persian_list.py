"""Short vowels as the PNGT-26K list of Persian given names writes them
(``romanize_model.persian_list_readings``, ``data/persian_given_names.txt``, built by
``scripts/build_persian_given_names.py``).  (Chosen by cross-validation on folds 1–4:
``benchmarks/romanize_cv.py --grid 'PERSIAN_LIST_WEIGHT=0,12'``.)"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from dadkhah.names import romanize_model as rm
from dadkhah.names.lexicon import NameLexicon, load_name_lexicon
from dadkhah.names.romanize import transliterate_word
from tests.conftest import load_script

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_persian_given_names.py"
DATA = Path(rm.__file__).resolve().parent / "data" / rm.PERSIAN_GIVEN_NAMES

# names the packaged model reads with another first vowel when the lexicon lacks them
WORDS = {"ندا": "Neda", "المیرا": "Elmira"}


def test_the_lists_spellings_are_read_in_the_press_convention() -> None:
    assert list(rm.persian_list_readings("ندا")) == ["neda"]
    assert "soudabeh" in rm.persian_list_readings("سودابه")  # sudabe: و ou, final ه eh
    assert list(rm.persian_list_readings("آتیه"))[0] == "atieh"  # atiye, most given first
    assert rm.persian_list_readings("دانشگاه") == {}  # not a given name


def test_the_packaged_list_says_where_it_comes_from() -> None:
    text = DATA.read_text(encoding="utf-8")
    head = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any("Apache License 2.0" in ln for ln in head)
    assert any("6b2c8f6" in ln for ln in head)
    body = [ln.split("\t") for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert len(body) > 15_000
    assert all(len(r) == 3 and r[1].isascii() and r[1].isalpha() and int(r[2]) >= 1
               for r in body)
    assert (DATA.parent / "licenses" / "PNGT-26K-Apache-2.0.txt").is_file()


@pytest.fixture(scope="module")
def without_words() -> NameLexicon:
    lex = load_name_lexicon()
    return lex.restricted([e.persian for e in lex.entries if e.persian not in WORDS])


def test_a_name_the_lexicon_lacks_takes_the_lists_vowels(
        without_words: NameLexicon, monkeypatch: pytest.MonkeyPatch) -> None:
    for fa, latin in WORDS.items():
        assert transliterate_word(fa, without_words) == (latin, False)
    monkeypatch.setattr(rm, "PERSIAN_LIST_WEIGHT", 0.0)
    off = {fa: transliterate_word(fa, without_words)[0] for fa in WORDS}
    assert off["ندا"] == "Nada" and off != WORDS


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script(SCRIPT)


# SYNTHETIC rows in the list's format (name,gender,english_name)
CSV = """\
name,gender,english_name
ندا,f,neda
ندا,m,neda
آبان دخت,f,aban dokht
آتیه,f,atiye
آرش,m,ara$h
عاطفه,f,ate-fe
"""


def test_the_build_keeps_one_word_rows_counted_per_spelling(
        builder: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "pngt.csv"
    path.write_text(CSV, encoding="utf-8")
    got = builder.rows(path, sha256=None)
    assert got == sorted([("ندا", "neda", 2), ("آتیه", "atiye", 1), ("عاطفه", "atefe", 1)])


def test_the_build_stops_on_another_file(builder: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "pngt.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(SystemExit, match="SHA-256"):
        builder.rows(path)
