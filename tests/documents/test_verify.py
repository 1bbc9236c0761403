"""A person's check of a machine reading: audited, wins in the fields, keeps the reading."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dadkhah.documents import verifications, verify_entry
from dadkhah.errors import InvalidInput
from dadkhah.ingest import import_file, import_rows
from dadkhah.store import Case
from tests.documents.test_import_documents import SAVED


def _imported(case: Case, tmp_path: Path) -> list:
    page = tmp_path / "list.html"
    # the second name as OCR might misread it (ح read as خ)
    page.write_text(SAVED.replace("زهرا موسوی", "زهرا مخمدی"), encoding="utf-8")
    import_file(case, page, source="s1", by="reader")
    return case.records()


def test_a_correction_wins_is_audited_and_keeps_the_machine_reading(case: Case,
                                                                    tmp_path: Path) -> None:
    recs = _imported(case, tmp_path)
    rec = recs[1]
    raw_before, sha_before = rec.raw, rec.raw_sha256
    proposals = json.loads(rec.raw)["proposals"]
    assert proposals and proposals[0]["proposed"] == "زهرا محمدی"  # ح misread as خ
    assert verifications(case) == {}  # every record starts unverified
    v = verify_entry(case, rec.id, by="checker", accept_proposals=True,
                     corrections={"prison": "زندان گوهردشت"}, note="checked against page 1")
    assert v.changes == {"full_name": ("زهرا مخمدی", "زهرا محمدی"),
                         "prison": ("گوهردشت", "زندان گوهردشت")}
    after = case.record(rec.id)
    assert after.fields["full_name"] == "زهرا محمدی"  # the correction wins
    assert (after.raw, after.raw_sha256) == (raw_before, sha_before)  # the reading is kept
    assert json.loads(after.raw)["full_name"] == "زهرا مخمدی"
    entry = case.audit_entries(limit=1)[0]
    assert entry.action == "record.verify" and entry.actor == "checker"
    details = json.loads(entry.details)
    assert details["reading"] == json.loads(raw_before)["reading"]
    assert details["changes"]["full_name"] == {"before": "زهرا مخمدی", "after": "زهرا محمدی"}
    assert case.verify_audit().ok
    # accepted as read: a verification with no change
    v2 = verify_entry(case, recs[0].id, by="checker")
    assert v2.changes == {} and "accepted as read" in v2.summary()
    state = verifications(case)
    assert set(state) == {recs[0].id, rec.id} and state[rec.id].by == "checker"


def test_only_document_readings_and_known_fields(case: Case, tmp_path: Path) -> None:
    import_rows(case, [{"full_name": "علی رضایی"}], source="s1", by="t")
    csv_rec = case.records()[0]
    with pytest.raises(InvalidInput, match="not read from a document"):
        verify_entry(case, csv_rec.id, by="checker", corrections={"full_name": "x"})
    recs = _imported(case, tmp_path)
    n = len(case.audit_entries(limit=1000))
    with pytest.raises(InvalidInput, match="shoe_size"):
        verify_entry(case, recs[-1].id, by="checker", corrections={"shoe_size": "42"})
    assert len(case.audit_entries(limit=1000)) == n
    assert case.record(recs[-1].id).fields == recs[-1].fields
