"""Submission validation (every problem, per field) and storage (contact kept apart)."""

from __future__ import annotations

import pytest

from dadkhah.errors import AccessDenied
from dadkhah.portal import (
    SubmissionInvalid,
    get_submission,
    list_submissions,
    submission_contact,
    submit,
    validate_submission,
)
from dadkhah.store.tables import PortalSubmission

GOOD = {"full_name": "بهروز کاتب‌پور", "death_date": "۱۰ مرداد ۱۳۶۷", "prison": "Evin",
        "relation": "sister", "contact": "sister.katebpour@example.org", "age": "۲۵"}


def test_good_form_is_cleaned() -> None:
    form = validate_submission({**GOOD, "full_name": "  بهروز   کاتب‌پور "})
    assert form.kind == "report"
    assert form.fields["full_name"] == "بهروز کاتب‌پور"
    assert form.contact == GOOD["contact"]
    assert "contact" not in form.fields and "relation" not in form.fields
    assert "sister.katebpour" not in repr(form)  # protected: kept out of reprs and logs


def test_every_problem_is_reported_with_its_field() -> None:
    with pytest.raises(SubmissionInvalid) as err:
        validate_submission({"death_date": "the day after", "age": "two hundred",
                             "sex": "robot", "notes": "x" * 2001, "kind": "correction"})
    by_field = err.value.by_field()
    assert set(by_field) == {"full_name", "death_date", "age", "sex", "notes", "relation",
                             "person_id"}
    assert by_field["death_date"][0].code == "bad_date"
    assert "1367/05/10" in by_field["death_date"][0].message  # says how to write it
    assert by_field["notes"][0].code == "too_long"
    assert by_field["full_name"][0].code == "required"
    assert err.value.http_status == 422
    assert "death_date" in err.value.message and err.value.hint


def test_name_without_letters_and_control_characters() -> None:
    with pytest.raises(SubmissionInvalid) as err:
        validate_submission({"full_name": "12345", "surname": "a\x00b", "relation": "son"})
    codes = {(p.field, p.code) for p in err.value.problems}
    assert codes == {("full_name", "not_a_name"), ("surname", "bad_text")}


def test_submit_stores_pending_with_contact_apart(case) -> None:
    sub = submit(case, validate_submission(GOOD), client_hash="h" * 64)
    assert sub.status == "pending" and sub.has_contact
    with case.read() as conn:
        row = conn.execute(PortalSubmission.__table__.select()).one()
        log = conn.exec_driver_sql("SELECT details FROM audit_log").scalars().all()
    assert GOOD["contact"] not in row.fields
    assert not any(GOOD["contact"] in d or "کاتب" in d for d in log)
    assert [s.id for s in list_submissions(case, role="reviewer")] == [sub.id]
    assert case.verify_audit().ok


def test_contact_needs_protected_read(case) -> None:
    sub = submit(case, validate_submission(GOOD))
    with pytest.raises(AccessDenied, match="protected read"):
        submission_contact(case, sub.id, role="reviewer", by="rev")
    assert submission_contact(case, sub.id, role="editor", by="ed") == GOOD["contact"]
    with case.read() as conn:
        actions = conn.exec_driver_sql("SELECT action, actor FROM audit_log").all()
    assert ("submission.contact.read", "ed") in [tuple(a) for a in actions]


def test_viewers_cannot_see_the_queue(case) -> None:
    sub = submit(case, validate_submission(GOOD))
    for role in ("viewer", None, "public"):
        with pytest.raises(AccessDenied):
            list_submissions(case, role=role)
        with pytest.raises(AccessDenied):
            get_submission(case, sub.id, role=role)


def test_contact_encrypted_with_the_testimony_key(case) -> None:
    from dadkhah.casefile.testimony import TestimonyKey
    from dadkhah.errors import ConfigError, IntegrityError
    from dadkhah.store.tables import PortalSubmissionContact

    key = TestimonyKey.generate()
    a = submit(case, validate_submission(GOOD), key=key)
    b = submit(case, validate_submission({**GOOD, "contact": "other@example.org"}), key=key)
    with case.read() as conn:
        rows = {r.submission_id: r for r in conn.execute(
            PortalSubmissionContact.__table__.select())}
    assert GOOD["contact"] not in rows[a.id].contact
    assert rows[a.id].scheme == "aes-gcm:" + key.fingerprint[:16]
    assert submission_contact(case, a.id, role="admin", key=key) == GOOD["contact"]
    with pytest.raises(ConfigError, match="encrypted"):
        submission_contact(case, a.id, role="admin")
    with pytest.raises(ConfigError, match="encrypted"):
        submission_contact(case, a.id, role="admin", key=TestimonyKey.generate())
    # Bound to its submission: one row's ciphertext moved to another does not decrypt.
    with case.write() as conn:
        conn.execute(PortalSubmissionContact.__table__.update()
                     .where(PortalSubmissionContact.submission_id == b.id)
                     .values(contact=rows[a.id].contact))
    with pytest.raises(IntegrityError):
        submission_contact(case, b.id, role="admin", key=key)
