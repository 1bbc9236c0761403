"""Time the casualty report and the exports on a linked SYNTHETIC case.

Usage: python benchmarks/report_bench.py [--scenario medium] [--persons N] [--seed 1]
                                         [--case DIR] [--keep DIR] [--method lcmcr,loglinear]
                                         [--stratum-method loglinear]
                                         [--by prison] [--pdf] [--pdf-compare]

Builds the case (simulate, import, normalize, link; each step timed) unless ``--case`` names
a linked case, then writes the report and prints the time of each step: reading the store,
estimation (the estimators' own cost: it depends on the number of lists, strata and MCMC
settings, not on the number of persons, because the samplers work on capture patterns),
rendering (plots and HTML), and the PDF.  Then the exports.  ``--pdf-compare`` also prints
the same HTML with WeasyPrint when it is importable (it is not a dependency; install it in a
separate environment to measure), for the PDF-route comparison.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(scenario: str, persons: int | None, seed: int, folder: Path):  # type: ignore[no-untyped-def]
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case

    t = time.perf_counter()
    sc = simulated_case(folder / "case", scenario=scenario, persons=persons, seed=seed)
    print(f"simulate + import: {time.perf_counter() - t:.1f}s "
          f"({sc.case.count_records():,} records)")
    t = time.perf_counter()
    normalize_case(sc.case)
    print(f"normalize: {time.perf_counter() - t:.1f}s")
    t = time.perf_counter()
    rep = link_case(sc.case)
    print(f"link: {time.perf_counter() - t:.1f}s ({rep.persons:,} persons)")
    return sc.case


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="medium")
    ap.add_argument("--persons", type=int, default=None)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--case", type=Path, default=None, help="a linked case to reuse")
    ap.add_argument("--keep", type=Path, default=None, help="build the case here and keep it")
    ap.add_argument("--method", default="lcmcr,loglinear")
    ap.add_argument("--stratum-method", default="loglinear",
                    help="per-stratum estimators (dadkhah report's default: loglinear)")
    ap.add_argument("--by", default="prison")
    ap.add_argument("--pdf", action="store_true")
    ap.add_argument("--pdf-compare", action="store_true")
    args = ap.parse_args()

    from dadkhah.report import write_report
    from dadkhah.report.exports import write_every_casualty, write_histories, write_register
    from dadkhah.store import Case

    tmp = tempfile.TemporaryDirectory(prefix="dadkhah-report-bench-")
    work = args.keep or Path(tmp.name)
    work.mkdir(parents=True, exist_ok=True)
    case = Case.open(args.case) if args.case else build(args.scenario, args.persons,
                                                         args.seed, work)
    methods = [m for m in args.method.split(",") if m]
    by = [b for b in args.by.split(",") if b and b != "none"]
    out = work / "report.html"
    t = time.perf_counter()
    stratum_methods = [m for m in args.stratum_method.split(",") if m]
    res = write_report(case, out, pdf=args.pdf, methods=methods, by=by, seed=args.seed,
                       stratum_methods=stratum_methods,
                       command="benchmarks/report_bench.py")
    total = time.perf_counter() - t
    t_ = res.timings
    print(f"report ({res.persons:,} persons; methods {','.join(methods)}, per stratum "
          f"{','.join(stratum_methods)}; by "
          f"{','.join(by) or 'none'}): {total:.1f}s in all — read {t_['read']:.1f}s, "
          f"estimate {t_['estimate']:.1f}s, render {t_['render']:.1f}s"
          + (f", pdf {t_['pdf']:.1f}s" if "pdf" in t_ else "")
          + f"; without estimation {total - t_['estimate']:.1f}s")
    print(f"  HTML {out.stat().st_size / 1e6:.1f} MB" + (
        f", PDF {res.pdf.stat().st_size / 1e6:.1f} MB" if res.pdf else ""))
    for name, fn in (("register csv", lambda: write_register(case, work / "r.csv")),
                     ("register xlsx", lambda: write_register(case, work / "r.xlsx",
                                                              fmt="xlsx")),
                     ("register json", lambda: write_register(case, work / "r.json",
                                                              fmt="json")),
                     ("histories by prison", lambda: write_histories(case, work / "h.csv",
                                                                     by=["prison"])),
                     ("every casualty", lambda: write_every_casualty(case, work / "e.csv"))):
        t = time.perf_counter()
        r = fn()
        print(f"export {name}: {time.perf_counter() - t:.1f}s ({r.rows:,} rows)")
    if args.pdf_compare:
        from dadkhah.report import html_to_pdf

        t = time.perf_counter()
        html_to_pdf(out, work / "chromium.pdf")
        print(f"PDF chromium: {time.perf_counter() - t:.1f}s")
        try:
            import weasyprint
        except ImportError:
            print("PDF weasyprint: not installed here (pip install weasyprint in another "
                  "environment and run it on the same HTML)")
        else:
            t = time.perf_counter()
            weasyprint.HTML(filename=str(out)).write_pdf(work / "weasyprint.pdf")
            print(f"PDF weasyprint {weasyprint.__version__}: {time.perf_counter() - t:.1f}s")
    print(f"peak memory: {peak_mb():,.0f} MB")
    case.close()


if __name__ == "__main__":
    main()
