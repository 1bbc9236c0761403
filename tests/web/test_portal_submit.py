"""The submission form over HTTP (CSRF, spam resistance, per-field errors) and the team's
moderation queue (login, permissions, accept, reject, protected contact)."""

from __future__ import annotations

import re

import pytest

from dadkhah.portal.ratelimit import TOKEN_FIELD
from dadkhah.store.tables import PortalSubmission
from dadkhah.web.public import PortalConfig
from tests.web.conftest import csrf_of, login, make_client

CONTACT = "family-contact-5521@example.org"
REPORT = {"full_name": "Parvin Testnameh", "death_date": "مرداد ۱۳۶۷", "prison": "Evin",
          "relation": "niece", "contact": CONTACT}


def portal_client(location: str, **config):
    c = make_client(location)
    c.app.state.portal_config = PortalConfig(**{"min_fill_seconds": 0, **config})
    return c


@pytest.fixture
def pclient(fresh_case):
    with portal_client(fresh_case.location) as c:
        yield c


def form_tokens(client, url: str = "/submit") -> dict[str, str]:
    html = client.get(url).text
    stamp = re.search(rf'name="{TOKEN_FIELD}" value="([^"]+)"', html).group(1)
    return {"csrf_token": csrf_of(html), TOKEN_FIELD: stamp}


def stored(client) -> list:
    with client.app.state.case.read() as conn:
        return conn.execute(PortalSubmission.__table__.select()).all()


def test_a_family_report_is_stored_pending(pclient) -> None:
    r = pclient.post("/submit", data={**form_tokens(pclient), **REPORT},
                     follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/submit/thanks"
    (row,) = stored(pclient)
    assert row.status == "pending" and "Parvin Testnameh" in row.fields
    assert CONTACT not in row.fields and len(row.client_hash) == 64
    assert "testclient" not in row.client_hash  # the address is never stored


def test_post_without_csrf_token_is_refused(pclient) -> None:
    tokens = form_tokens(pclient)
    r = pclient.post("/submit", data={TOKEN_FIELD: tokens[TOKEN_FIELD], **REPORT})
    assert r.status_code == 403
    r = pclient.post("/submit", data={**tokens, "csrf_token": "0" * 64, **REPORT})
    assert r.status_code == 403
    assert stored(pclient) == []


def test_field_errors_are_shown_beside_their_fields(pclient) -> None:
    data = {**form_tokens(pclient), "full_name": "", "death_date": "the day after",
            "age": "old", "relation": "son"}
    r = pclient.post("/submit", data=data)
    assert r.status_code == 422
    assert 'id="e-full_name"' in r.text and 'id="e-death_date"' in r.text
    assert 'id="e-age"' in r.text and 'id="e-relation"' not in r.text
    assert 'value="the day after"' in r.text  # what was typed is kept
    assert stored(pclient) == []
    pclient.cookies.set("dadkhah_lang", "fa")
    r = pclient.post("/submit", data={**form_tokens(pclient), "death_date": "x y",
                                      "relation": "پسر", "full_name": "علی"})
    assert r.status_code == 422 and "این تاریخ خوانده نشد" in r.text


def test_honeypot_forged_stamp_and_spam_are_refused(pclient) -> None:
    t = form_tokens(pclient)
    assert pclient.post("/submit", data={**t, **REPORT, "website": "x"}).status_code == 400
    assert pclient.post("/submit", data={**t, **REPORT, TOKEN_FIELD: "1.2.3"}
                        ).status_code == 400
    r = pclient.post("/submit", data={**t, **REPORT,
                                      "notes": "<a href='http://spam.example'>buy</a>"})
    assert r.status_code == 400 and 'id="refusal"' in r.text
    assert stored(pclient) == []


def test_form_sent_too_quickly_is_refused(fresh_case) -> None:
    with portal_client(fresh_case.location, min_fill_seconds=30) as c:
        r = c.post("/submit", data={**form_tokens(c), **REPORT})
        assert r.status_code == 400 and "too quickly" in r.text
        assert stored(c) == []


def test_rate_limit_per_client(fresh_case) -> None:
    with portal_client(fresh_case.location, burst=2, refill_seconds=3600) as c:
        codes = [c.post("/submit", data={**form_tokens(c), **REPORT},
                        follow_redirects=False).status_code for _ in range(3)]
        assert codes == [303, 303, 429]
        assert len(stored(c)) == 2


def test_moderation_queue_needs_login_and_permission(pclient) -> None:
    pclient.post("/submit", data={**form_tokens(pclient), **REPORT})
    (row,) = stored(pclient)
    r = pclient.get("/team/submissions", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/team/login")
    r = pclient.post(f"/team/submissions/{row.id}/accept", follow_redirects=False)
    assert r.status_code in (401, 403)
    login(pclient, "viewer")
    assert pclient.get("/team/submissions").status_code == 403
    assert pclient.get(f"/team/submissions/{row.id}").status_code == 403


def test_reviewer_accepts_and_contact_stays_protected(pclient) -> None:
    pclient.post("/submit", data={**form_tokens(pclient), **REPORT})
    (row,) = stored(pclient)
    token = login(pclient, "reviewer")
    queue = pclient.get("/team/submissions").text
    assert "Parvin Testnameh" in queue and CONTACT not in queue
    page = pclient.get(f"/team/submissions/{row.id}").text
    assert CONTACT not in page and "reveal-contact" not in page
    r = pclient.post(f"/team/submissions/{row.id}/contact", data={"csrf_token": token})
    assert r.status_code == 403 and CONTACT not in r.text
    r = pclient.post(f"/team/submissions/{row.id}/accept", data={"csrf_token": token})
    assert r.status_code == 200 and 'id="record"' in r.text
    case = pclient.app.state.case
    rec = case.records(source="public-submissions")[0]
    assert rec.fields["full_name"] == "Parvin Testnameh" and CONTACT not in rec.raw
    with case.read() as conn:
        last = conn.exec_driver_sql("SELECT actor, action FROM audit_log ORDER BY id DESC "
                                    "LIMIT 1").one()
    assert tuple(last) == ("reviewer", "submission.accept")
    assert case.verify_audit().ok


def test_the_contact_cell_ignores_a_query_parameter(pclient) -> None:
    """W24: `?contact=CALL ME AT 555-SPOOF` put the attacker's text in the submitter's
    contact cell of the moderation page."""
    pclient.post("/submit", data={**form_tokens(pclient), **REPORT})
    (row,) = stored(pclient)
    login(pclient, "reviewer")
    page = pclient.get(f"/team/submissions/{row.id}",
                       params={"contact": "CALL ME AT 555-SPOOF"}).text
    assert ">CALL ME AT 555-SPOOF<" not in page and 'id="contact"' not in page


def test_editor_reveals_contact_and_the_reading_is_logged(pclient) -> None:
    pclient.post("/submit", data={**form_tokens(pclient), **REPORT})
    (row,) = stored(pclient)
    token = login(pclient, "editor")
    r = pclient.post(f"/team/submissions/{row.id}/contact", data={"csrf_token": token})
    assert r.status_code == 200 and CONTACT in r.text
    with pclient.app.state.case.read() as conn:
        last = conn.exec_driver_sql("SELECT actor, action FROM audit_log ORDER BY id DESC "
                                    "LIMIT 1").one()
    assert tuple(last) == ("editor", "submission.contact.read")


def test_reject_with_reason(pclient) -> None:
    pclient.post("/submit", data={**form_tokens(pclient), **REPORT})
    (row,) = stored(pclient)
    token = login(pclient, "reviewer")
    r = pclient.post(f"/team/submissions/{row.id}/reject", data={"csrf_token": token,
                                                                  "reason": ""})
    assert r.status_code == 400 and stored(pclient)[0].status == "pending"
    r = pclient.post(f"/team/submissions/{row.id}/reject",
                     data={"csrf_token": token, "reason": "not about 1988"})
    assert r.status_code == 200
    assert (stored(pclient)[0].status, stored(pclient)[0].reason) == ("rejected",
                                                                      "not about 1988")


def test_correction_of_a_public_entry_only(pclient) -> None:
    from dadkhah import portal

    case = pclient.app.state.case
    pub, hidden = portal.synthetic_person_ids(case)[:2]
    portal.publish(case, [pub], by="tests", role="editor")
    assert pclient.get(f"/submit?person_id={hidden}").status_code == 404
    t = form_tokens(pclient, f"/submit?person_id={pub}")
    r = pclient.post("/submit", data={**t, **REPORT, "kind": "correction",
                                      "person_id": str(hidden)})
    assert r.status_code == 422 and stored(pclient) == []
    r = pclient.post("/submit", data={**t, **REPORT, "kind": "correction",
                                      "person_id": str(pub)}, follow_redirects=False)
    assert r.status_code == 303
    (row,) = stored(pclient)
    assert (row.kind, row.person_id) == ("correction", pub)
