"""Import throughput and peak memory into SQLite, on synthetic CSVs of N rows.

Usage: python benchmarks/import_bench.py [N ...]     (default: 10000 100000 1000000)

Each N runs in a fresh subprocess so peak memory (ru_maxrss) is that import's alone.
Rows are SYNTHETIC: made-up Persian and Latin names, no real person.
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
    else:
        main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
