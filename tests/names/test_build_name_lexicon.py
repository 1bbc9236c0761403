"""scripts/build_name_lexicon.py reading a list given in both scripts (``*.pairs.csv``)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.normalize import ZWNJ, normalize_persian
from tests.conftest import load_script

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_name_lexicon.py"


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    return load_script(SCRIPT)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


PAIRS = """\
# source: testlist
# licence: CC0-1.0
# url: https://example.org/names (commit 0000000)
persian,latin,kind
محمد,Muhammad,given
تیرداد,Tirdad,given
گشتاسب,Parvaneh,given
بابک خرمدین,Babak,given
"""


def test_pairs_file_is_read_after_names_csv_with_the_key_check(
        builder: ModuleType, tmp_path: Path) -> None:
    _write(tmp_path / "testlist.pairs.csv", PAIRS)
    rows = {fa.replace(ZWNJ, ""): (latin, kind, source)
            for fa, latin, kind, source in builder.build(tmp_path)}
    known = {normalize_persian(e.persian).replace(ZWNJ, ""): e.preferred_latin
             for e in load_name_dictionary().entries if e.preferred_latin}
    # names.csv wins over the list
    assert "محمد" in known
    assert rows["محمد"] == (known["محمد"], "given", "dadkhah")
    # a pair whose consonants agree is taken, with the list's name as its source
    assert "تیرداد" not in known
    assert rows["تیرداد"] == ("Tirdad", "given", "testlist")
    # a misaligned row (the Latin is another name) is dropped; so is a two-word Persian cell
    assert "گشتاسب" not in known
    assert "گشتاسب" not in rows
    assert not any(src == "testlist" and latin == "Babak" for latin, _, src in rows.values())


def test_pairs_file_without_a_licence_stops_the_build(
        builder: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _write(tmp_path / "nolicence.pairs.csv", "# source: x\npersian,latin\nتیرداد,Tirdad\n")
    with pytest.raises(builder.SourceError, match="licence"):
        builder.read_pair_file(bad)
    out = tmp_path / "out.csv"
    assert builder.main(["--sources", str(tmp_path), "--out", str(out)]) == 2
    assert not out.exists()
    assert "nolicence.pairs.csv" in capsys.readouterr().err


def test_pairs_file_header_must_name_the_columns(builder: ModuleType, tmp_path: Path) -> None:
    bad = _write(tmp_path / "cols.pairs.csv", "# licence: MIT\nfa,en\nتیرداد,Tirdad\n")
    with pytest.raises(builder.SourceError, match="persian,latin"):
        builder.read_pair_file(bad)


def test_pairs_file_is_named_in_the_output_header(builder: ModuleType, tmp_path: Path) -> None:
    _write(tmp_path / "testlist.pairs.csv", PAIRS)
    out = tmp_path / "out.csv"
    assert builder.main(["--sources", str(tmp_path), "--out", str(out)]) == 0
    head = out.read_text(encoding="utf-8")
    assert "testlist: testlist.pairs.csv, licence CC0-1.0, https://example.org/names" in head
