"""A source may say it copies another (migration 0016): recorded, replaced, withdrawn,
audited and tamper-evident; refused when it names itself or an unknown source."""

from __future__ import annotations

import sqlite3

import pytest

from dadkhah.errors import InvalidInput, NotFound
from dadkhah.store import Case


def _sources(case: Case) -> None:
    for slug in ("ngo_a", "ngo_b", "families"):
        case.add_source(slug=slug, title=f"SYNTHETIC {slug}", kind="ngo_list", synthetic=True,
                        by="test")


def test_copies_are_recorded_replaced_and_withdrawn(case: Case) -> None:
    _sources(case)
    c = case.set_source_copy("ngo_b", "ngo_a", extent="part", note="its preface", by="ana")
    assert c.summary() == "ngo_b copies part of ngo_a (its preface)"
    case.set_source_copy("ngo_b", "ngo_a", extent="whole", by="ana")  # replaces
    (only,) = case.source_copies()
    assert (only.source, only.copied, only.extent, only.created_by) == (
        "ngo_b", "ngo_a", "whole", "ana")
    assert case.remove_source_copy("ngo_b", by="ana") == 1
    assert case.source_copies() == []
    actions = [e.action for e in case.audit_entries()]
    assert actions.count("source.copies") == 2 and "source.copies.remove" in actions


def test_add_source_with_copies_and_refusals(case: Case) -> None:
    _sources(case)
    case.add_source(slug="reprint", title="SYNTHETIC reprint", kind="ngo_list",
                    copies="families", copies_extent="whole", by="test")
    assert [c.summary() for c in case.source_copies()] == ["reprint copies all of families"]
    with pytest.raises(InvalidInput):
        case.set_source_copy("ngo_a", "ngo_a", by="test")
    with pytest.raises(InvalidInput):
        case.set_source_copy("ngo_a", "ngo_b", extent="most", by="test")
    with pytest.raises(NotFound):
        case.set_source_copy("ngo_a", "nowhere", by="test")
    # a copy of an unknown source adds nothing: the source is not half-added
    with pytest.raises(NotFound):
        case.add_source(slug="orphan", title="SYNTHETIC", kind="ngo_list", copies="nowhere",
                        by="test")
    assert "orphan" not in {s.slug for s in case.sources()}


def test_deleting_a_copy_outside_dadkhah_shows_in_verify(tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = Case.create(tmp_path / "case", by="test")
    _sources(case)
    case.set_source_copy("ngo_b", "ngo_a", by="test")
    assert case.verify_audit().ok
    case.close()
    db = sqlite3.connect(tmp_path / "case" / "case.db")
    db.create_function("dadkhah_tx", 0, lambda: "outside")
    db.execute("DELETE FROM source_copies")
    db.commit()
    db.close()
    with Case.open(tmp_path / "case") as case:
        report = case.verify_audit()
    assert not report.ok
    assert any(r.table == "source_copies" for r in report.tampered)
