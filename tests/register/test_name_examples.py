"""The case's own (Persian, Latin) name examples (SYNTHETIC data)."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy import select

from dadkhah.names import detect_script, example_word_pairs, load_name_lexicon, transliterate
from dadkhah.register import case_name_examples
from dadkhah.store.tables import SourceRecord


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register.normalize import normalize_case
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path_factory.mktemp("examples") / "case", scenario="small",
                        persons=200, seed=11)
    assert case_name_examples(sc.case) == []  # not linked yet: no persons
    normalize_case(sc.case, by="tester")
    link_case(sc.case, by="tester")
    yield sc
    sc.case.close()


def _true_forms(sc) -> dict[str, set[str]]:
    """Every name text of a record (full, given, surname, given + surname) → true persons."""
    with sc.case.read() as conn:
        rows = conn.execute(select(SourceRecord.id, SourceRecord.full_name,
                                   SourceRecord.given_names, SourceRecord.surname)).all()
    out: dict[str, set[str]] = defaultdict(set)
    for rid, full, given, surname in rows:
        pid = sc.truth.get(rid)
        for t in (full, given, surname, f"{(given or '').strip()} {(surname or '').strip()}"):
            if t and t.strip() and pid is not None:
                out[t.strip()].add(str(pid))
    return out


def test_examples_pair_the_scripts_of_one_true_person(linked) -> None:
    examples = case_name_examples(linked.case)
    assert len(examples) >= 20
    assert all(detect_script(fa) == "persian" and detect_script(la) == "latin"
               for fa, la in examples)
    forms = _true_forms(linked)
    same = sum(bool(forms.get(fa, set()) & forms.get(la, set())) for fa, la in examples)
    # linkage errors may pair two persons' names; nearly all pairs are one true person's
    assert same >= 0.9 * len(examples), (same, len(examples))


def test_case_examples_grow_the_lexicon(linked) -> None:
    examples = case_name_examples(linked.case)
    words = example_word_pairs(examples)
    assert words, "some names agree word by word across the scripts"
    lex = load_name_lexicon()
    grown = lex.with_examples(examples)
    assert len(grown) >= len(lex)
    for fa, _ in words:  # every example word is now known, to the old or the new lexicon
        assert fa in grown
    new = [e for e in grown.entries if e.source == "case"]
    for e in new:  # a case word reads as the case wrote it
        assert transliterate(e.persian, grown) == e.latin
