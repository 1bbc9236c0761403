"""Review decisions and restricted records (issue 16): a decision, merge, split or undo
naming a record or person the deciding user may not see is refused — with the answer a
record, person or decision the case does not hold gets — and changes nothing; the users it
is restricted to decide as before.  Library, command line and web API, on a linked
SYNTHETIC case."""

from __future__ import annotations

import pytest

from dadkhah.access import Viewer
from dadkhah.errors import DadkhahError, NotFound
from dadkhah.register import (
    decisions,
    get_person,
    list_persons,
    merge_persons,
    record_decision,
    restrict,
    split_person,
    undo_decision,
)
from dadkhah.users import add_user
from tests.portal.conftest import linked, linked_template  # noqa: F401

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "reviewer")
EVERYTHING = Viewer(sees_all=True)
MISSING = 9_999_999


def _state(case) -> tuple:
    """What a refused decision must leave as it was: decisions, persons, the audit head."""
    heads = case.audit_entries(limit=1)
    return (len(decisions(case)), tuple(p["id"] for p in list_persons(
        case, limit=100_000, viewer=EVERYTHING)), heads[0].id if heads else None)


def _answer(call, ref: int) -> tuple[str, str | None, str]:
    with pytest.raises(DadkhahError) as exc:
        call(ref)
    return (exc.value.message.replace(str(ref), "ID"), exc.value.hint,
            type(exc.value).__name__)


def _setup(case):
    for name, role in (("alice", "editor"), ("bob", "reviewer")):
        add_user(case, name, "correct horse battery staple", role=role, by="admin")
    src = max(case.sources(EVERYTHING), key=lambda s: s.records)
    persons = [get_person(case, p["id"], viewer=EVERYTHING)
               for p in list_persons(case, limit=100_000, viewer=EVERYTHING)]
    only_hidden = next(p for p in persons if {r["source_id"] for r in p["records"]} == {src.id})
    mixed = next(p for p in persons if src.id in {r["source_id"] for r in p["records"]}
                 and len({r["source_id"] for r in p["records"]}) > 1)
    open_ = next(p for p in persons if src.id not in {r["source_id"] for r in p["records"]}
                 and len(p["records"]) >= 2)
    hidden_rec = only_hidden["records"][0]["id"]
    visible_rec = open_["records"][0]["id"]
    restrict(case, "source", src.id, users=["alice"], by="admin", role="admin")
    return src, only_hidden, mixed, open_, hidden_rec, visible_rec


def test_decisions_naming_hidden_data_are_refused(linked) -> None:  # noqa: F811
    src, only_hidden, mixed, open_, hidden_rec, visible_rec = _setup(linked)
    # an undo target on hidden records, made by one who may see them
    secret = record_decision(linked, hidden_rec, mixed["records"][0]["id"], "unsure",
                             by="alice", viewer=ALICE)
    before = _state(linked)

    def decide(rid: int):
        return record_decision(linked, rid, visible_rec, "match", by="bob", role="reviewer",
                               viewer=BOB)

    def merge(pid: int):
        return merge_persons(linked, open_["id"], pid, by="bob", reason="same", viewer=BOB)

    def split(rid: int):
        return split_person(linked, open_["id"], [rid], by="bob", reason="x", viewer=BOB)

    def undo(did: int):
        return undo_decision(linked, did, by="bob", viewer=BOB)

    for call, hidden, missing in ((decide, hidden_rec, MISSING),
                                  (merge, only_hidden["id"], MISSING),
                                  (undo, secret, MISSING)):
        got = _answer(call, hidden)
        assert got == _answer(call, missing)
        assert got[2] == "NotFound" and "ID" in got[0] and got[1]
        assert _state(linked) == before
    with pytest.raises(NotFound, match=f"No source record {hidden_rec} "):
        split(hidden_rec)
    assert _state(linked) == before
    # a person bob sees in part is merged on the records bob sees
    did = merge_persons(linked, open_["id"], mixed["id"], by="bob", reason="same",
                        viewer=BOB)
    d = next(x for x in decisions(linked) if x["id"] == did)
    assert hidden_rec not in (d["record_l"], d["record_r"])
    shown = {r["id"] for r in get_person(linked, mixed["id"], viewer=EVERYTHING)["records"]}
    assert not ({d["record_l"], d["record_r"]} & (shown - {
        r["id"] for r in mixed["records"] if r["source_id"] != src.id}))
    # alice, to whom the source is restricted, decides on its records
    assert record_decision(linked, hidden_rec, visible_rec, "no_match", by="alice",
                           viewer=ALICE) > 0
    assert linked.verify_audit().ok


def test_command_line_and_api_refuse_a_hidden_record(linked) -> None:  # noqa: F811
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from dadkhah.cli import app
    from dadkhah.users import create_api_token
    from dadkhah.web import create_app

    _, _, _, _, hidden_rec, visible_rec = _setup(linked)
    before = _state(linked)

    def cli(rid: int, user: str = "bob"):
        return CliRunner().invoke(app, ["--case", str(linked.location), "--user", user,
                                        "review", "decide", str(rid), str(visible_rec),
                                        "match"])

    hidden, missing = cli(hidden_rec), cli(MISSING)
    assert hidden.exit_code == missing.exit_code != 0
    assert hidden.output.replace(str(hidden_rec), "ID") == \
        missing.output.replace(str(MISSING), "ID")
    assert f"No source record {hidden_rec}" in hidden.output
    assert _state(linked) == before

    token = create_api_token(linked, "bob", "tests", by="tests")
    with TestClient(create_app(str(linked.location), secret_key="x" * 32),
                    base_url="https://testserver") as c:
        before = _state(linked)  # (the token and the server's start are audited)

        def post(rid: int):
            return c.post("/api/review/decisions", headers={"Authorization": f"Bearer {token}"},
                          json={"record_l": rid, "record_r": visible_rec, "decision": "match"})
        a, b = post(hidden_rec), post(MISSING)
    assert a.status_code == b.status_code == 404
    assert a.text.replace(str(hidden_rec), "ID") == b.text.replace(str(MISSING), "ID")
    assert _state(linked) == before
    assert cli(hidden_rec, user="alice").exit_code == 0
