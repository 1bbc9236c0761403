"""The package boundaries hold (CONTRIBUTING.md, "Package boundaries").

Three checks, each able to fail on one wrong import:
- the import-linter contracts in pyproject.toml (layers; no SQLAlchemy in web, cli, report;
  names and estimate pure; frameworks only at the edges);
- no module imports another package's private module or private name;
- no cycle between packages, counting imports inside functions too.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import load_script

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _boundaries():  # type: ignore[no-untyped-def]
    # the figures script is also the checker, so the two never disagree
    return load_script(ROOT / "benchmarks" / "boundaries.py")


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        pytest.skip("import-linter is not installed (it comes with the test extras)")
    out = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(SRC)}, timeout=300)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_no_package_imports_another_packages_private_parts() -> None:
    assert _boundaries().private_reach_ins(SRC) == []


def test_the_checker_sees_a_private_reach_in(tmp_path: Path) -> None:
    pkg = tmp_path / "dadkhah"
    for sub in ("store", "web"):
        (pkg / sub).mkdir(parents=True)
        (pkg / sub / "__init__.py").write_text("")
    (pkg / "web" / "page.py").write_text(
        "from dadkhah.store._engine import make_engine\n"
        "def f():\n    from dadkhah.store.case import _search_variants\n")
    found = _boundaries().private_reach_ins(tmp_path)
    assert [f.split()[1] for f in found] == ["dadkhah.store._engine",
                                              "dadkhah.store.case._search_variants"]


def test_no_cycle_between_packages() -> None:
    b = _boundaries()
    assert b.cycles(b.package_edges(SRC)) == []
