"""Costs of two-factor login on this machine: enrolment (a TOTP code checked and ten
recovery codes hashed with argon2id), a TOTP check at login, a recovery code accepted, and a
wrong recovery code.  Runs on a new temporary case; prints one line of figures.

    PYTHONPATH=src python benchmarks/two_factor_bench.py
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp

from dadkhah import users
from dadkhah.errors import AccessDenied
from dadkhah.store import Case


def _ms(start: float) -> str:
    return f"{(time.perf_counter() - start) * 1000:.0f} ms"


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        case = Case.create(str(Path(d) / "case"), by="bench")
        users.add_user(case, "ed", "correct horse battery", role="editor", by="bench")
        enrolment = users.begin_totp(case, "ed", by="ed")
        t = time.perf_counter()
        codes = users.confirm_totp(case, "ed", pyotp.TOTP(enrolment.secret).now(), by="ed")
        enrol = _ms(t)
        assert codes is not None
        later = pyotp.TOTP(enrolment.secret).at(datetime.now(UTC) + timedelta(seconds=30))
        t = time.perf_counter()
        users.verify_totp(case, "ed", later)
        totp = _ms(t)
        t = time.perf_counter()
        users.use_recovery_code(case, "ed", codes.codes[5], by="ed")
        recovery = _ms(t)
        t = time.perf_counter()
        with contextlib.suppress(AccessDenied):
            users.use_recovery_code(case, "ed", "zzzz-zzzz-zzzz", by="ed")
        wrong = _ms(t)
        assert case.verify_audit().ok
        case.close()
    print(f"enrolment (code + {users.RECOVERY_CODES} recovery codes hashed): {enrol}; "
          f"TOTP check: {totp}; recovery code accepted: {recovery}; wrong recovery code: "
          f"{wrong}  (load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
