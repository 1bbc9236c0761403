"""``dadkhah estimate`` says its notes and warnings in Persian too to a team member whose
interface language is Persian (``dadkhah user add --language fa``), with Persian digits,
from the interface catalogue; to anyone else in English only.  Data: the public hare
capture histories, marked synthetic here for --true-total."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dadkhah.cli import app
from dadkhah.store import Case
from dadkhah.users import add_user

HARE = str(Path(__file__).parents[1] / "data" / "mse" / "hare.csv")
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def loc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("DADKHAH_USER", raising=False)
    loc = str(tmp_path / "case")
    with Case.create(loc, by="tester") as case:
        add_user(case, "dorsa", "correct horse battery staple", role="viewer", by="t",
                 language="fa")
        add_user(case, "ed", "correct horse battery staple", role="viewer", by="t")
    return loc


def _run(loc: str, user: str, *args: str) -> Any:
    res = CliRunner().invoke(app, ["-C", loc, "--user", user, "estimate", "-H", HARE,
                                   "--synthetic", "--true-total", "1234", *args])
    assert res.exit_code == 0, res.output
    return res


def test_the_true_total_line_in_the_users_language(loc: str) -> None:
    english = "True total (synthetic data, known to the simulator): 1,234"
    fa = _run(loc, "dorsa").stdout.splitlines()
    at = fa.index(english)
    assert fa[at + 1] == "شمار واقعی (دادهٔ ساختگی، که شبیه‌ساز می‌داند): ۱٬۲۳۴"
    for user in ("ed", "not-a-member"):
        out = _run(loc, user).stdout
        assert english in out.splitlines()
        assert "شمار واقعی" not in out


def test_a_warning_in_the_users_language(loc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warning of the estimators that is not among the estimate's own notes goes to
    stderr, led in Persian too (its words are the estimator's own)."""
    import dadkhah.estimate as estimate

    fitted = estimate.estimate_total

    def warned(*args: Any, **kwargs: Any) -> Any:
        warnings.warn("SYNTHETIC warning for the test", UserWarning, stacklevel=2)
        return fitted(*args, **kwargs)

    monkeypatch.setattr(estimate, "estimate_total", warned)
    lines = _run(loc, "dorsa").stderr.splitlines()
    assert lines[lines.index("Warning: SYNTHETIC warning for the test") + 1] \
        == "هشدار: SYNTHETIC warning for the test"
    assert not any(PERSIAN.search(line) for line in _run(loc, "ed").stderr.splitlines())
