"""Public-portal timings: publish every person of a simulated (SYNTHETIC) scenario, then time
memorial search by Latin-typed Persian names and the public pages, in process (FastAPI
TestClient, SQLite case).

    .venv/bin/python benchmarks/portal_bench.py [--scenario small]

Prints publish time and median / p95 latency per page.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return times[min(len(times) - 1, int(0.95 * len(times)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="small")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    from fastapi.testclient import TestClient

    from dadkhah import portal
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.names import latin_form
    from dadkhah.register import list_persons, normalize_case
    from dadkhah.testing import simulated_case
    from dadkhah.web import create_app

    d = Path(tempfile.mkdtemp())
    sc = simulated_case(d / "case", scenario=args.scenario, seed=args.seed)
    normalize_case(sc.case)
    link_case(sc.case)
    t = time.perf_counter()
    rep = portal.publish(sc.case, portal.synthetic_person_ids(sc.case), by="bench",
                         role="admin")
    print(f"scenario {args.scenario} (SYNTHETIC): publish {len(rep.changed):,} persons "
          f"{time.perf_counter() - t:.2f} s")
    people = list_persons(sc.case, limit=400)
    queries = [latin_form(p["name_fa"]).lower() for p in people if p["name_fa"]][:200]
    sc.case.close()
    app = create_app(str(d / "case"), secret_key="bench")
    with TestClient(app, base_url="https://testserver") as c:
        for path in ("/memorial?q=", "/api/public/persons?q="):
            times, found = [], 0
            for q in queries:
                t = time.perf_counter()
                r = c.get(path + q)
                times.append(time.perf_counter() - t)
                found += r.status_code == 200
            print(f"{path:24} {len(times)} Latin-typed Persian names ({found} answered 200): "
                  f"median {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {_p95(times) * 1000:.0f} ms")
        for path in ("/memorial", "/memorial/1", "/api/public/persons"):
            times = []
            for _ in range(50):
                t = time.perf_counter()
                c.get(path)
                times.append(time.perf_counter() - t)
            print(f"{path:24} median {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {_p95(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
