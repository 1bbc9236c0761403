"""Register search latency of the web application on a simulated SYNTHETIC scenario.

Usage: python benchmarks/web_bench.py [--scenario large] [--seed 1] [--case DIR]
                                      [--queries 300]

Builds the scenario's case (simulate, import, normalise, link; reused when ``--case`` names
a linked case already there), then times register searches two ways: the library call
behind the page (:func:`dadkhah.register.search_persons`) and the whole page
(``GET /team/search`` through the ASGI app, logged in, template rendered).  Queries, in equal
numbers: a person's Persian name, the Latin form typed for it, a surname alone, a name with
a prison filter and a death-date range, and a name that matches nobody.  Prints p50, p95 and
max in milliseconds per kind and overall.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(location: Path, scenario: str, seed: int) -> None:
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case

    t = time.perf_counter()
    sc = simulated_case(location, scenario=scenario, seed=seed)
    print(f"simulate + import: {time.perf_counter() - t:,.0f} s, "
          f"{sc.case.count_records():,} records", flush=True)
    t = time.perf_counter()
    normalize_case(sc.case, by="bench")
    print(f"normalise: {time.perf_counter() - t:,.0f} s", flush=True)
    t = time.perf_counter()
    rep = link_case(sc.case, by="bench")
    print(f"link: {time.perf_counter() - t:,.0f} s, {rep.persons:,} persons", flush=True)
    sc.case.close()


def queries(case, n: int, seed: int) -> list[tuple[str, dict]]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from dadkhah.names import latin_form
    from dadkhah.store.tables import Person

    with case.read() as conn:
        people = conn.execute(select(Person.name_fa, Person.prison_id, Person.death_earliest)
                              .where(Person.status == "active", Person.name_fa.is_not(None))
                              ).all()
    rng = random.Random(seed)
    sample = rng.sample(people, n)
    out: list[tuple[str, dict]] = []
    for i, p in enumerate(sample):
        kind = i % 5
        if kind == 0:
            out.append(("persian", {"query": p.name_fa}))
        elif kind == 1:
            out.append(("latin", {"query": latin_form(p.name_fa)}))
        elif kind == 2:
            out.append(("surname", {"query": latin_form(p.name_fa.split()[-1])}))
        elif kind == 3:
            out.append(("filtered", {"query": latin_form(p.name_fa), "prison": p.prison_id,
                                     "died_from": "1988-07-01", "died_to": "1988-12-31"}))
        else:
            out.append(("nobody", {"query": f"Zzyqx Vrrqt {i}"}))
    return out


def summarise(label: str, times: dict[str, list[float]]) -> None:
    every = [t for ts in times.values() for t in ts]
    print(f"\n{label} (ms)        n     p50     p95     max")
    for kind, ts in [*times.items(), ("all", every)]:
        q = statistics.quantiles(ts, n=20)
        print(f"  {kind:<10} {len(ts):>6} {statistics.median(ts):>7.1f} {q[18]:>7.1f} "
              f"{max(ts):>7.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="large")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", type=Path, default=None)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))

    from dadkhah.register import search_persons
    from dadkhah.store import Case

    location = args.case or Path(f"/tmp/dadkhah-web-bench-{args.scenario}")
    if not (location / "case.db").exists():
        build(location, args.scenario, args.seed)
    case = Case.open(location)
    qs = queries(case, args.queries, args.seed)
    print(f"case: {location} ({case.count_records():,} records); {len(qs)} queries "
          f"(SYNTHETIC scenario {args.scenario!r})")

    for _, q in qs[:10]:  # warm the page cache and the name-key caches
        search_persons(case, **q)
    lib: dict[str, list[float]] = {}
    hits = 0
    for kind, q in qs:
        t = time.perf_counter()
        r = search_persons(case, **q)
        lib.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
        hits += r.total > 0 and kind != "nobody"
    summarise("search_persons()", lib)
    print(f"  queries of a listed person that found someone: {hits} of "
          f"{sum(len(v) for k, v in lib.items() if k != 'nobody')}")

    from fastapi.testclient import TestClient
    from tests.web.conftest import login

    from dadkhah import users
    from dadkhah.web import create_app

    with contextlib.suppress(Exception):  # the user exists from an earlier run
        users.add_user(case, "bench", "bench-password-1", role="viewer", by="bench")
    with TestClient(create_app(str(location), secret_key="bench"),
                    base_url="https://testserver") as client:
        login(client, "bench", "bench-password-1")
        page: dict[str, list[float]] = {}
        for kind, q in qs:
            params = {("q" if k == "query" else k): v for k, v in q.items()}
            t = time.perf_counter()
            r = client.get("/team/search", params=params)
            page.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200
    summarise("GET /team/search, whole page", page)


if __name__ == "__main__":
    main()
