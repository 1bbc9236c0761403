"""Moderation: accept → a record of the public-submissions source (through the importer,
audited), and relinking puts it with the right person; reject with a reason."""

from __future__ import annotations

import json

import pytest

from dadkhah.errors import AccessDenied, StoreError
from dadkhah.portal import (
    SUBMISSIONS_SOURCE,
    accept,
    get_submission,
    reject,
    submit,
    validate_submission,
)
from tests.portal.conftest import person_with_records


def _log(case) -> list[tuple[str, str, dict]]:
    with case.read() as conn:
        rows = conn.exec_driver_sql("SELECT actor, action, details FROM audit_log ORDER BY id")
        return [(a, b, json.loads(c)) for a, b, c in rows]


def test_accept_makes_an_audited_source_record(case) -> None:
    form = validate_submission({"full_name": "Mahin Rezaei", "death_date": "1367/05/12",
                                "prison": "Evin", "relation": "daughter",
                                "contact": "+98 912 000 0000", "notes": "buried at Khavaran"})
    sub = submit(case, form)
    before = case.count_records()
    d = accept(case, sub.id, by="mod1", role="reviewer")
    assert case.count_records() == before + 1
    rec = case.record(d.record_id)
    src = case.source(SUBMISSIONS_SOURCE)
    assert (rec.source_id, src.kind, src.records) == (src.id, "public_submission", 1)
    assert rec.fields["full_name"] == "Mahin Rezaei"
    assert rec.fields["death_date"] == "1367/05/12"
    assert rec.fields["external_id"] == f"submission-{sub.id}"
    raw = json.loads(rec.raw)
    assert raw["relation"] == "daughter" and "+98 912" not in rec.raw  # contact never copied
    assert get_submission(case, sub.id, role="admin").status == "accepted"
    log = _log(case)
    assert [a for _, a, _ in log[-2:]] == ["import", "submission.accept"]
    assert log[-1][0] == "mod1" and log[-1][2]["record_id"] == d.record_id
    assert log[-2][2]["first_record_id"] == d.record_id
    report = case.verify_audit()
    assert report.ok, report.summary()
    with case.read() as conn:  # parsed at once, so the memorial search finds it
        key = conn.exec_driver_sql(f"SELECT name_key FROM source_records "
                                   f"WHERE id = {d.record_id}").scalar()
    assert key


def test_accept_twice_and_reject_after_accept_are_refused(case) -> None:
    sub = submit(case, validate_submission({"full_name": "Ali Ahmadi", "relation": "son"}))
    accept(case, sub.id, by="mod", role="editor")
    n = case.count_records()
    with pytest.raises(StoreError, match="already accepted"):
        accept(case, sub.id, by="mod", role="editor")
    with pytest.raises(StoreError, match="already accepted"):
        reject(case, sub.id, reason="late", by="mod", role="editor")
    assert case.count_records() == n


def test_reject_needs_a_reason_and_is_audited(case) -> None:
    sub = submit(case, validate_submission({"full_name": "Test Name", "relation": "friend"}))
    with pytest.raises(StoreError, match="needs a reason"):
        reject(case, sub.id, reason="  ", by="mod", role="reviewer")
    d = reject(case, sub.id, reason="duplicate of an existing entry", by="mod",
               role="reviewer")
    assert (d.submission.status, d.submission.reason) == ("rejected",
                                                          "duplicate of an existing entry")
    assert _log(case)[-1][:2] == ("mod", "submission.reject")
    assert case.count_records() == 0


def test_viewer_cannot_moderate(case) -> None:
    sub = submit(case, validate_submission({"full_name": "Test Name", "relation": "friend"}))
    with pytest.raises(AccessDenied):
        accept(case, sub.id, by="v", role="viewer")
    with pytest.raises(AccessDenied):
        reject(case, sub.id, reason="x", by="v", role="viewer")
    assert get_submission(case, sub.id, role="admin").status == "pending"


@pytest.mark.slow
def test_accepted_report_links_to_the_existing_person(linked) -> None:
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import get_person
    from dadkhah.store.tables import PersonRecord

    person = person_with_records(linked, 2)
    rec = person["records"][0]
    # The family writes the name in the other script from the first record, as families do.
    name = person["name_latin"] if any("\u0600" <= c <= "\u06ff" for c in
                                       rec.get("full_name", "")) else person["name_fa"]
    form = validate_submission({
        "full_name": name, "father_name": rec.get("father_name", ""),
        "death_date": rec.get("death_date", ""), "prison": rec.get("prison", ""),
        "city": rec.get("city", ""), "relation": "brother"})
    d = accept(linked, submit(linked, form).id, by="mod", role="reviewer")
    link_case(linked, by="tester")
    with linked.engine.connect() as conn:
        pid = conn.execute(PersonRecord.__table__.select().where(
            PersonRecord.record_id == d.record_id)).one().person_id
        members = {r.record_id for r in conn.execute(PersonRecord.__table__.select().where(
            PersonRecord.person_id == pid))}
    assert {r["id"] for r in person["records"]} <= members
    assert get_person(linked, pid)["n_records"] == len(person["records"]) + 1
    assert linked.verify_audit().ok


def test_accepted_correction_stays_with_its_person_after_relink(linked) -> None:
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.store.tables import PersonRecord

    person = person_with_records(linked, 1)
    # A correction whose text alone would not link: another spelling, another date.
    form = validate_submission({"kind": "correction", "person_id": str(person["id"]),
                                "full_name": "Xqzt Vwyk", "death_date": "1989-01-01",
                                "relation": "son"})
    d = accept(linked, submit(linked, form).id, by="mod", role="reviewer")
    assert d.decision_id is not None and "ties it to person" in d.summary()
    with linked.engine.connect() as conn:
        dec = conn.exec_driver_sql(f"SELECT decision, reviewer, origin FROM decisions "
                                   f"WHERE id = {d.decision_id}").one()
    assert tuple(dec) == ("match", "mod", "portal")
    link_case(linked, by="tester")
    with linked.engine.connect() as conn:
        rows = dict(conn.execute(PersonRecord.__table__.select().where(
            PersonRecord.record_id.in_([d.record_id, person["records"][0]["id"]]))).all())
    assert rows[d.record_id] == rows[person["records"][0]["id"]]
    assert linked.verify_audit().ok


def test_a_report_ties_nothing(case) -> None:
    sub = submit(case, validate_submission({"full_name": "Ali Ahmadi", "relation": "son"}))
    assert accept(case, sub.id, by="mod", role="editor").decision_id is None
