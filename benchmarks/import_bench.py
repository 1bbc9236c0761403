"""Import throughput and peak memory into SQLite, on synthetic CSVs of N rows.

Usage: python benchmarks/import_bench.py [N ...]     (default: 10000 100000 1000000)
       python benchmarks/import_bench.py --readings N [ENTRIES]   (default ENTRIES: 500)

Each N runs in a fresh subprocess so peak memory (ru_maxrss) is that import's alone.
Rows are SYNTHETIC: made-up Persian and Latin names, no real person.

With ``--readings``: a case of N list rows and one saved web page of ENTRIES entries (machine
readings of a document); prints the import time of the page, then the time of the documents'
verification queries (:func:`dadkhah.documents.reading_counts`, ``unverified_records``,
``reading_states`` over 50 records), best of 5, and where the case has migration 0017
(``source_records.machine_reading``) the time of that migration's backfill on this case
(downgrade to 0016, then ``Case.upgrade``).  Run it with another checkout's ``src`` on
``PYTHONPATH`` to compare two versions.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GIVEN = ["علی", "محمد", "حسین", "رضا", "مهدی", "مریم", "فاطمه", "Ali", "Mohammad", "Hossein"]
SUR = ["رضایی", "احمدی", "کریمی", "حسین‌زاده", "Rezaei", "Ahmadi", "Karimi", "Hosseinzadeh"]
PRISONS = ["اوین", "گوهردشت", "Evin", "Gohardasht", "وکیل‌آباد"]


def make_csv(path: Path, n: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("ردیف,نام,نام خانوادگی,نام پدر,سن,جنسیت,تاریخ اعدام,زندان,شهر,توضیحات\n")
        for i in range(n):
            f.write(f"{i + 1},{rnd.choice(GIVEN)},{rnd.choice(SUR)}{i % 1000},"
                    f"{rnd.choice(GIVEN)},{rnd.randint(17, 70)},مرد,"
                    f"۱۳۶۷/۰۵/{rnd.randint(1, 31):02d},{rnd.choice(PRISONS)},تهران,SYNTHETIC\n")


def child(case_dir: str, csv_path: str) -> None:
    from dadkhah.ingest import import_file
    from dadkhah.store import Case

    case = Case.create(case_dir)
    case.add_source(slug="bench", title="Benchmark list (SYNTHETIC)", kind="other",
                    synthetic=True)
    t0 = time.perf_counter()
    rep = import_file(case, csv_path, source="bench")
    dt = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rep.rows_imported, "seconds": dt, "peak_mb": peak_mb}))


def make_page(path: Path, entries: int, seed: int = 2) -> None:
    """A saved web page with one table of ``entries`` SYNTHETIC entries."""
    rnd = random.Random(seed)
    rows = "".join(f"<tr><td>{i + 1}</td><td>{rnd.choice(GIVEN[:7])} {rnd.choice(SUR[:4])}</td>"
                   f"<td>{rnd.choice(GIVEN[:5])}</td><td>{rnd.choice(PRISONS[:2])}</td>"
                   f"<td>۱۳۶۷/۰۵/{rnd.randint(1, 29):02d}</td></tr>" for i in range(entries))
    path.write_text(
        '<!DOCTYPE html>\n<!-- saved from url=(0038)https://example.org/lists/1988-fa.html -->'
        '<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>فهرست</title></head>'
        "<body><h1>فهرست (ساختگی, SYNTHETIC)</h1><table><tr><th>ردیف</th>"
        "<th>نام و نام خانوادگی</th><th>نام پدر</th><th>زندان</th><th>تاریخ اعدام</th></tr>"
        f"{rows}</table></body></html>", encoding="utf-8")


def _best(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def child_readings(case_dir: str, csv_path: str, page: str) -> None:
    from dadkhah.documents import reading_counts, reading_states, unverified_records
    from dadkhah.ingest import import_file
    from dadkhah.store import Case
    from dadkhah.store._engine import head_revision

    case = Case.create(case_dir)
    case.add_source(slug="bench", title="Benchmark list (SYNTHETIC)", kind="other",
                    synthetic=True)
    case.add_source(slug="page", title="Benchmark page (SYNTHETIC)", kind="other",
                    synthetic=True)
    rows = import_file(case, csv_path, source="bench").rows_imported
    t0 = time.perf_counter()
    entries = import_file(case, page, source="page").rows_imported
    out: dict[str, float | int] = {"rows": rows, "entries": entries,
                                   "page_import_s": time.perf_counter() - t0}
    (count,) = reading_counts(case)
    assert count.readings == entries
    ids = unverified_records(case)[:50]
    out["reading_counts_s"] = _best(lambda: reading_counts(case))
    out["unverified_records_s"] = _best(lambda: unverified_records(case))
    out["reading_states_s"] = _best(lambda: reading_states(case, ids))
    if head_revision() >= "0017":
        from alembic import command

        from dadkhah.store._engine import _alembic_config

        cfg = _alembic_config()
        with case.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0016")
        case.close()
        t0 = time.perf_counter()
        case = Case.upgrade(case_dir, by="bench")
        out["upgrade_0017_s"] = time.perf_counter() - t0
        assert [c.readings for c in reading_counts(case)] == [entries]
    case.close()
    print(json.dumps(out))


def readings(n: int, entries: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        csv_path, page = Path(tmp) / "bench.csv", Path(tmp) / "page.html"
        make_csv(csv_path, n)
        make_page(page, entries)
        out = subprocess.run([sys.executable, __file__, "--child-readings",
                              str(Path(tmp) / "case"), str(csv_path), str(page)],
                             capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{r['rows']:,} list rows + {r['entries']:,} document entries (SYNTHETIC)")
    print(f"  import of the page: {r['page_import_s']:.3f} s")
    for k in ("reading_counts", "unverified_records", "reading_states"):
        print(f"  {k}: {r[k + '_s'] * 1000:,.1f} ms (best of 5)")
    if "upgrade_0017_s" in r:
        print(f"  upgrade 0016 → 0017 (backfill): {r['upgrade_0017_s']:.2f} s")


def main(sizes: list[int]) -> None:
    print(f"{'rows':>10} {'seconds':>9} {'rows/s':>10} {'peak MB':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            csv_path = Path(tmp) / "bench.csv"
            make_csv(csv_path, n)
            out = subprocess.run([sys.executable, __file__, "--child", str(Path(tmp) / "case"),
                                  str(csv_path)], capture_output=True, text=True, check=True)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{r['rows']:>10,} {r['seconds']:>9.2f} {r['rows'] / r['seconds']:>10,.0f} "
                  f"{r['peak_mb']:>9.0f}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--child-readings":
        child_readings(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) > 2 and sys.argv[1] == "--readings":
        readings(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 500)
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
