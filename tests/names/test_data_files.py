"""The packaged data files name their sources and have well-formed rows."""

from __future__ import annotations

from importlib import resources

import pytest

from dadkhah.names import load_name_dictionary
from dadkhah.names.rules import load_rules, read_data_csv


@pytest.mark.parametrize(
    "name", ["names.csv", "romanization.csv", "gazetteer.csv", "date_words.csv"]
)
def test_header_names_sources(name: str) -> None:
    text = resources.files("dadkhah.names").joinpath("data", name).read_text(encoding="utf-8")
    header = [ln for ln in text.splitlines() if ln.startswith("#")]
    assert any("Source" in ln or "source" in ln for ln in header), name


def test_name_dictionary() -> None:
    d = load_name_dictionary()
    assert len(d) >= 300
    kinds = {e.kind for e in d.entries}
    assert kinds == {"given", "surname"}
    with_freq = [e for e in d.entries if e.frequency]
    assert len(with_freq) >= 15
    for e in d.entries:
        assert e.latin, e.persian
        if e.frequency or e.rank:
            assert e.source, e.persian  # every published figure names its source
    assert d.frequency("Mohammadi", "surname") == 960505
    assert d.frequency("فاطمه") == 4440470
    assert d.frequency("Eshraghi") is None  # unknown, not made up


def test_persian_spellings_are_unique() -> None:
    rows = read_data_csv("names.csv")
    seen = {}
    for r in rows:
        key = (r["persian"], r["kind"])
        assert key not in seen, key
        seen[key] = r


def test_rule_tables_load() -> None:
    rules = load_rules()
    assert rules.latin_token["muhammad"] == "mohammad"
    assert rules.titles["seyed"] == "seyed"
    assert rules.titles["سید"] == "seyed"
    assert "zadeh" in rules.bound_suffix
