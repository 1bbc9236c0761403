"""Public review functions: a decision inside a caller's transaction, record fields
(SYNTHETIC data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dadkhah.errors import LinkageError, NotFound
from dadkhah.register import decisions, insert_decision, record_decision, record_fields
from dadkhah.store import Case
from dadkhah.store.audit import append
from dadkhah.store.tables import AuditEntry
from tests.register.conftest import case_from_csv

CSV = """full_name,father_name
علی‌اکبر حسین‌زاده,حسن
Ali-Akbar Hosseinzadeh,Hassan
Maryam Ahmadi,
"""


@pytest.fixture
def case(tmp_path: Path):
    case = case_from_csv(tmp_path / "case", CSV, tmp_path)
    yield case
    case.close()


def _audit_actions(case: Case) -> list[str]:
    from sqlalchemy import select

    with case.read() as conn:
        return list(conn.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


def test_insert_decision_joins_the_callers_transaction(case) -> None:
    with case.write() as conn:
        did = insert_decision(conn, 2, 1, "match", by="mod", reason="same person",
                              origin="portal")
        append(conn, by="mod", action="submission.accept", target="submission:1",
               details={"decision_id": did})
    [d] = decisions(case)
    assert (d["id"], d["record_l"], d["record_r"], d["decision"], d["reviewer"], d["origin"],
            d["superseded_by"]) == (did, 1, 2, "match", "mod", "portal", None)
    # It writes no audit entry of its own: the caller's is the one.
    assert _audit_actions(case)[-1] == "submission.accept"
    assert "decision" not in _audit_actions(case)


def test_a_failed_transaction_keeps_no_decision(case) -> None:
    with pytest.raises(RuntimeError), case.write() as conn:
        insert_decision(conn, 1, 2, "match", by="mod")
        raise RuntimeError("the caller's work failed")
    assert decisions(case) == []


def test_a_newer_decision_supersedes_and_bad_ones_are_refused(case) -> None:
    first = record_decision(case, 1, 2, "match", by="a")
    with case.write() as conn:
        second = insert_decision(conn, 2, 1, "no_match", by="b")
    by_id = {d["id"]: d for d in decisions(case)}
    assert by_id[first]["superseded_by"] == second and by_id[second]["origin"] == "review"
    with case.write() as conn:
        with pytest.raises(LinkageError):
            insert_decision(conn, 1, 1, "match", by="a")
        with pytest.raises(LinkageError):
            insert_decision(conn, 1, 2, "maybe", by="a")
        with pytest.raises(NotFound):
            insert_decision(conn, 1, 99, "match", by="a")


def test_record_fields_show_both_scripts_in_the_order_asked(case) -> None:
    recs = record_fields(case, [2, 1])
    assert [r["id"] for r in recs] == [2, 1]
    assert recs[1]["full_name"] == "علی‌اکبر حسین‌زاده"
    assert recs[1]["name (Latin)"] and recs[1]["father (Latin)"]
    assert "name (Latin)" not in recs[0]
    with pytest.raises(NotFound):
        record_fields(case, [99])


def test_review_needs_the_review_permission(case: Case) -> None:
    from dadkhah.errors import AccessDenied
    from dadkhah.register import merge_persons, split_person

    ids = [r.id for r in case.records()]
    before = decisions(case)
    for role in ("viewer", "public"):
        with pytest.raises(AccessDenied, match="may not review"):
            record_decision(case, ids[0], ids[1], "match", by="t", role=role)
        with pytest.raises(AccessDenied):
            merge_persons(case, 1, 2, by="t", reason="same father", role=role)
        with pytest.raises(AccessDenied):
            split_person(case, 1, [ids[0]], by="t", reason="two men", role=role)
    assert decisions(case) == before  # refused before anything was written
    assert record_decision(case, ids[0], ids[1], "match", by="t", role="reviewer") > 0
    assert record_decision(case, ids[0], ids[2], "no_match", by="t") > 0  # the local owner
