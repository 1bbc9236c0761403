"""Cost of the row hashes (dadkhah.store.integrity): verify on a large case, and the overhead
of capturing and hashing rows on import, normalize and link.

Usage: python benchmarks/integrity_bench.py [--scenario medium] [--persons N]
                                            [--overhead-scenario small] [--no-link]

1. Builds the simulator's ``--scenario`` case (SYNTHETIC lists) with row hashes on:
   import, normalize, link; prints each step's seconds, then ``audit verify`` (whole, and
   the row-hash part alone), the row-hash log size and the database size.
2. Builds the ``--overhead-scenario`` case twice, once as usual and once with the row-hash
   triggers dropped (nothing captured, nothing hashed), and prints each step's seconds side
   by side: the overhead of hashing.

Each case is built in a fresh temporary folder; figures are wall-clock seconds on this
machine (state its load beside them).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

warnings.filterwarnings("ignore")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def drop_triggers(case: Any) -> None:
    from sqlalchemy import text

    with case.write() as conn:
        names = list(conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rowhash_%'"
        )).scalars())
        for n in names:
            conn.exec_driver_sql(f"DROP TRIGGER {n}")


def build(folder: Path, scenario: str, persons: int | None, *, hashing: bool,
          link: bool) -> tuple[dict[str, float], Any]:
    """Import, normalize, link a simulated case; seconds per step."""
    from dadkhah.linkage import link_case
    from dadkhah.register import normalize_case
    from dadkhah.simulate import run_scenario
    from dadkhah.store import Case
    from dadkhah.testing.fixtures import import_lists

    lists = folder / "lists"
    _, man = run_scenario(scenario, lists, seed=1, persons=persons)
    case = Case.create(folder / "case", by="bench")
    if not hashing:
        drop_triggers(case)
    steps: dict[str, float] = {}
    steps["import"], _ = timed(lambda: import_lists(case, lists, man))
    steps["normalize"], _ = timed(lambda: normalize_case(case, by="bench"))
    if link:
        steps["link"], _ = timed(lambda: link_case(case, by="bench"))
    return steps, case


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scenario", default="medium")
    ap.add_argument("--persons", type=int, default=None)
    ap.add_argument("--overhead-scenario", default="small")
    ap.add_argument("--no-link", action="store_true")
    args = ap.parse_args()

    from sqlalchemy import text

    from dadkhah.store import audit, integrity

    print(f"load average at start: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        steps, case = build(Path(tmp), args.scenario, args.persons, hashing=True,
                            link=not args.no_link)
        with case.read() as conn:
            records = conn.execute(text("SELECT count(*) FROM source_records")).scalar_one()
            log_lines = conn.execute(text("SELECT count(*) FROM row_hash_log")).scalar_one()
        t_verify, report = timed(case.verify_audit)
        with case.read() as conn:
            sealed = {e: s for e, d in conn.execute(text("SELECT id, details FROM audit_log"))
                      if (s := integrity.sealed_in(d)) is not None}
            n = audit.head(conn)
            t_rows, rows = timed(lambda: integrity.verify_rows(conn, sealed,
                                                               n.id if n else 0))
        size_mb = (Path(tmp) / "case" / "case.db").stat().st_size / 1e6
        case.close()
        print(f"\n{args.scenario}: {records:,} source records; "
              + ", ".join(f"{k} {v:.1f} s" for k, v in steps.items()))
        print(f"audit verify: {t_verify:.2f} s ({'intact' if report.ok else 'BROKEN'}; "
              f"{report.rows_checked:,} rows of {report.tables_checked} tables); "
              f"row-hash part alone {t_rows:.2f} s")
        print(f"row_hash_log: {log_lines:,} lines; case.db {size_mb:.0f} MB")
        assert report.ok and rows.ok

    print(f"\noverhead on {args.overhead_scenario} (seconds: with row hashes / without):")
    results = {}
    for hashing in (True, False):
        with tempfile.TemporaryDirectory() as tmp:
            results[hashing], case = build(Path(tmp), args.overhead_scenario, None,
                                           hashing=hashing, link=not args.no_link)
            case.close()
    for step in results[True]:
        on, off = results[True][step], results[False][step]
        print(f"  {step:<10} {on:7.2f} / {off:7.2f}   +{(on - off) / off * 100:5.1f}%")


if __name__ == "__main__":
    main()
