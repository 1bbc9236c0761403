"""The ``dadkhah user …`` commands (accounts of the web application, via dadkhah.users)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dadkhah.cli import app

runner = CliRunner()


def _run(case: str, *args: str) -> object:
    res = runner.invoke(app, ["--case", case, "--user", "tester", *args])
    return res


def test_user_commands(case_location) -> None:
    from sqlalchemy import select

    from dadkhah import users
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry

    Case.create(case_location).close()
    res = _run(case_location, "user", "add", "sara", "--role", "editor", "--language", "fa",
               "--password", "long enough password", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["role"] == "editor"
    res = _run(case_location, "user", "add", "sara", "--password", "long enough password")
    assert res.exit_code == 1 and "already exists" in res.output
    res = _run(case_location, "user", "add", "bad", "--role", "boss",
               "--password", "long enough password")
    assert res.exit_code == 2 and "'boss' is not one of: " in res.output
    assert _run(case_location, "user", "role", "sara", "reviewer").exit_code == 0
    assert _run(case_location, "user", "passwd", "sara", "--password",
                "another long password").exit_code == 0
    res = _run(case_location, "user", "token", "sara", "--json")
    token = json.loads(res.output)["token"]
    with Case.open(case_location) as case:
        assert users.token_user(case, token).username == "sara"
        assert users.authenticate(case, "sara", "another long password").role == "reviewer"
    assert _run(case_location, "user", "disable", "sara").exit_code == 0
    listed = json.loads(_run(case_location, "user", "list", "--json").output)
    assert listed[0]["disabled"] is True and listed[0]["role"] == "reviewer"
    with Case.open(case_location) as case:
        assert users.token_user(case, token) is None  # disabling revoked the token
        with case.read() as conn:
            actions = list(conn.execute(select(AuditEntry.action)
                                        .order_by(AuditEntry.id)).scalars())
    assert actions[-5:] == ["user.add", "user.role", "user.passwd", "user.token", "user.disable"]
