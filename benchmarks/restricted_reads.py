"""Cost of restricted records on the register's readers (issue 16).

Builds a linked SYNTHETIC case, then times the team search (one name query, one filter
query), a person page, the register export's reader, and what the dashboard, the search and
the review pages compute beside them (counts, the review backlog, the filter menus), as a
user who may not see one restricted list, against the same reads with nothing restricted.
Prints the figures.

    PYTHONPATH=src python benchmarks/restricted_reads.py --persons 2000
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _time(fn, n: int) -> float:
    fn()  # warm-up: caches, first-use imports
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return statistics.median(out) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from dadkhah.access import Viewer
    from dadkhah.register import (
        get_person,
        iter_provenance,
        list_persons,
        restrict,
        search_persons,
        unrestrict,
    )
    from dadkhah.store import Case
    from dadkhah.testing import linked_case
    from dadkhah.users import add_user

    folder = Path(tempfile.mkdtemp()) / "case"
    linked_case(folder, persons=args.persons, seed=3)
    case = Case.open(folder)
    add_user(case, "alice", "correct horse battery staple", role="editor", by="bench")
    bob = Viewer("bob")
    src = max(case.sources(), key=lambda s: s.records)
    p = next(x for x in list_persons(case, limit=5000) if src.id in x["sources"]
             and x["n_sources"] > 1)
    name = p["name_latin"].split()[-1]

    from dadkhah.web.team import dashboard_figures

    def menus() -> object:
        """What the search and review pages offer as filters (sources, prisons, cities)."""
        try:
            from dadkhah.register import keeps_out, source_choices
        except ImportError:  # before the menus took a viewer: every source, with counts
            from dadkhah.web.search import place_options
            return (case.sources(bob), place_options(case, "prison_id"),
                    place_options(case, "city_id"))
        from dadkhah.web.search import place_options
        return (source_choices(case, bob), keeps_out(case, bob),
                place_options(case, "prison_id", bob), place_options(case, "city_id", bob))

    def reads() -> dict[str, float]:
        return {
            "dashboard figures": _time(lambda: dashboard_figures(case, bob), args.repeat),
            "filter menus": _time(menus, args.repeat),
            "search by name": _time(lambda: search_persons(case, name, viewer=bob), args.repeat),
            "search by prison": _time(lambda: search_persons(case, "", prison=p["prison_id"],
                                                             viewer=bob), args.repeat),
            "person page": _time(lambda: get_person(case, p["id"], viewer=bob), args.repeat),
            "register export reader": _time(
                lambda: sum(1 for _ in iter_provenance(case, viewer=bob)), 1),
        }

    before = reads()
    restrict(case, "source", src.id, users=["alice"], by="bench", role="admin")
    after = reads()
    unrestrict(case, "source", src.id, by="bench", role="admin")
    print(f"{args.persons} simulated persons; restricted list {src.slug!r}: {src.records} "
          f"records; median of {args.repeat} (ms)")
    for k in before:
        print(f"  {k:24s} nothing restricted {before[k]:8.1f}   one list restricted "
              f"{after[k]:8.1f}")


if __name__ == "__main__":
    main()
