"""dadkhah.users: accounts, passwords, logins and API tokens, without the web stack."""

from __future__ import annotations

import hashlib
import inspect
import subprocess
import sys

import pytest
from sqlalchemy import select

from dadkhah import users
from dadkhah.errors import AccessDenied, ConfigError, NotFound
from dadkhah.store.tables import ApiToken, AuditEntry, User, WebSession

PASSWORD = "correct horse battery"


def test_public_api_is_exported_and_documented() -> None:
    modules = {"accounts", "sessions", "security_keys", "two_factor"}
    public = {n for n in vars(users) if not n.startswith("_")} - modules
    assert set(users.__all__) == public
    assert users.__all__ == sorted(users.__all__, key=lambda n: (not n.isupper(), n))
    for name in users.__all__:
        obj = getattr(users, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"{name} has no docstring"


def test_importing_users_does_not_load_the_web_stack() -> None:
    code = ("import sys, dadkhah.users; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('fastapi', 'starlette', 'uvicorn', 'jinja2', 'dadkhah.web')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    assert "dadkhah.web" not in out


def test_add_get_list_and_change_users(case) -> None:
    u = users.add_user(case, " Sara ", PASSWORD, role="editor", by="tester",
                       display_name="Sara", language="fa")
    assert (u.username, u.role, u.language, u.disabled) == ("sara", "editor", "fa", False)
    assert users.get_user(case, "sara") == users.get_user(case, u.id) == u
    assert u.summary() == "sara: editor, interface fa"
    assert "password_hash" not in u.to_dict()
    users.add_user(case, "ali", PASSWORD, role="viewer", by="tester")
    assert [x.username for x in users.list_users(case)] == ["ali", "sara"]
    assert users.set_role(case, "sara", "reviewer", by="tester").role == "reviewer"
    users.set_language(case, u.id, "en")
    assert users.get_user(case, "sara").language == "en"
    with case.read() as conn:
        actions = list(conn.execute(select(AuditEntry.action).order_by(AuditEntry.id))
                       .scalars())
    assert actions[-3:] == ["user.add", "user.add", "user.role"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"username": "x"}, "not usable"),
    ({"role": "boss"}, "Unknown role"),
    ({"password": "short"}, "at least 10"),
    ({"language": "de"}, "Unknown language"),
])
def test_bad_account_values_are_refused_with_a_hint(case, kwargs, message) -> None:
    args = {"username": "sara", "password": PASSWORD, "role": "viewer", **kwargs}
    with pytest.raises(ConfigError, match=message) as exc:
        users.add_user(case, args.pop("username"), args.pop("password"), by="tester",
                       **args)
    assert exc.value.hint


def test_duplicate_and_missing_users(case) -> None:
    users.add_user(case, "sara", PASSWORD, role="viewer", by="tester")
    with pytest.raises(ConfigError, match="already exists"):
        users.add_user(case, "sara", PASSWORD, role="viewer", by="tester")
    with pytest.raises(NotFound):
        users.get_user(case, "nobody")


def test_authenticate_uses_argon2id_and_one_message_for_every_failure(case) -> None:
    users.add_user(case, "sara", PASSWORD, role="viewer", by="tester")
    assert users.authenticate(case, "SARA", PASSWORD).username == "sara"
    with case.read() as conn:
        stored = conn.execute(select(User.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    messages = set()
    for name, password in [("sara", "wrong password!"), ("nobody", PASSWORD)]:
        with pytest.raises(AccessDenied) as exc:
            users.authenticate(case, name, password)
        messages.add(exc.value.message)
    users.set_disabled(case, "sara", True, by="tester")
    with pytest.raises(AccessDenied) as exc:
        users.authenticate(case, "sara", PASSWORD)
    messages.add(exc.value.message)
    assert len(messages) == 1


def test_sessions_are_stored_as_hashes_and_end(case) -> None:
    u = users.add_user(case, "sara", PASSWORD, role="viewer", by="tester")
    token = users.start_session(case, u)
    with case.read() as conn:
        stored = list(conn.execute(select(WebSession.token_sha256)).scalars())
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert users.session_user(case, token) == users.get_user(case, "sara")
    assert users.session_user(case, None) is None
    assert users.session_user(case, "not a token") is None
    users.end_session(case, token)
    assert users.session_user(case, token) is None
    users.end_session(case, None)  # nothing to end


def test_password_change_and_disabling_end_sessions_and_tokens(case) -> None:
    u = users.add_user(case, "sara", PASSWORD, role="viewer", by="tester")
    session = users.start_session(case, u)
    token = users.create_api_token(case, "sara", "script", by="tester")
    assert token.startswith("dk_") and users.token_user(case, token).username == "sara"
    users.set_password(case, "sara", "another long password", by="tester")
    assert users.session_user(case, session) is None
    assert users.token_user(case, token) is None
    assert users.authenticate(case, "sara", "another long password").username == "sara"
    token = users.create_api_token(case, "sara", "script", by="tester")
    users.set_disabled(case, "sara", True, by="tester")
    assert users.token_user(case, token) is None
    with case.read() as conn:
        assert all(conn.execute(select(ApiToken.revoked)).scalars())
    assert users.set_disabled(case, "sara", False, by="tester").disabled is False


def test_concurrent_logins_share_a_few_password_checks(case, monkeypatch) -> None:
    """W18: 24 concurrent logins with random user names each ran argon2id (64 MiB) at once:
    server memory 0.33 → 1.45 GB.  The checks now queue for a few slots."""
    import threading
    import time

    from argon2.exceptions import VerifyMismatchError

    from dadkhah.users import accounts

    running, peak, lock = [0], [0], threading.Lock()

    class Hasher:
        def verify(self, hash_: str, password: str) -> bool:
            with lock:
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.05)
            with lock:
                running[0] -= 1
            raise VerifyMismatchError

    monkeypatch.setattr(accounts, "_hasher", Hasher())
    denied: list[int] = []

    def attempt(i: int) -> None:
        try:
            users.authenticate(case, f"random-{i}", "guess")
        except AccessDenied:
            denied.append(i)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(denied) == 24
    assert peak[0] <= 2
