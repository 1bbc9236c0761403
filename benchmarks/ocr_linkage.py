"""Unchecked machine readings in linkage: how many link to their true person (prints).

Usage: python benchmarks/ocr_linkage.py [--profiles 3,6] [--persons 200] [--readings 40]
       python benchmarks/ocr_linkage.py --scan [--entries 80] [--scan-seed 5]

SYNTHETIC.  For each simulator profile, lists are simulated and imported; ``--readings``
records of persons named more than once are picked (one per person, seeded) and made to
look like Tesseract's misreadings (:func:`dadkhah.testing.misread_records`): one letter of
the surname (or the given name) replaced by a letter OCR confuses it with (ص/ض, ع/غ,
ح/ج/خ, dots lost or added), as issue 18's raw Tesseract misses were.  The model is trained
once on these records; then the same model scores the pairs twice: with every record
counted in full, and with the picked records treated as unchecked machine readings
(``link_features(machine_readings=…)``, :data:`dadkhah.linkage.run.OCR_MISREAD_SHARE`).
Printed per profile and rule: the picked records in a person with at least one other
record of their true person (linked right), those in a person with records of another
person (joined wrongly), pairwise precision, recall and F1 of the whole register.

``--scan``: real OCR instead.  A SYNTHETIC scanned list (:func:`dadkhah.simulate.scans.
render_scans`, ``--entries`` invented persons) is imported as a document (read by
Tesseract, every entry an unchecked machine reading) beside a CSV list of the same persons
as printed (its truth) and the lists of tuning profile 3 (150 persons, so the model has
data to train on); one model scores the pairs with and without the rule.  Printed: scanned
records in one person with their CSV twin, and scanned records in a person with any other
record.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import pandas as pd

from dadkhah.linkage.evaluate import evaluate_clusters
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.pipeline import REVIEW_BAND
from dadkhah.linkage.run import OCR_MISREAD_SHARE, link_features
from dadkhah.register import linkage_input
from dadkhah.simulate import draw_profile, simulate, write_simulation
from dadkhah.store import Case
from dadkhah.testing import import_lists, misread_records, record_truth


def linked(assignment: pd.Series, truth: pd.Series, picked: list[int]) -> tuple[int, int]:
    """(picked records sharing a person with a record of their true person, picked records
    sharing a person with a record of another person)."""
    frame = pd.DataFrame({"cl": assignment, "p": truth.reindex(assignment.index)})
    right = wrong = 0
    for rid in picked:
        mates = frame[(frame.cl == frame.at[rid, "cl"]) & (frame.index != rid)]
        right += bool((mates.p == frame.at[rid, "p"]).any())
        wrong += bool((mates.p != frame.at[rid, "p"]).any())
    return right, wrong


def measure(profile_seed: int, persons: int, readings: int, workdir: Path) -> list[dict]:
    """Both rules on one profile (see the module's docstring)."""
    profile = draw_profile(profile_seed)
    sim = simulate(profile.config(persons), seed=1, scenario=f"profile-{profile_seed}")
    lists = workdir / f"lists-{profile_seed}"
    manifest = write_simulation(sim, lists)
    case = Case.create(workdir / f"case-{profile_seed}", by="bench")
    import_lists(case, lists, manifest, by="bench")
    truth = record_truth(case, lists)
    records, picked = misread_records(linkage_input(case).records, truth, readings,
                                      profile_seed)
    features = compute_features(records)
    trained = link_features(features)
    rows = []
    for rule, machine in (("full weight", ()), (f"misread {OCR_MISREAD_SHARE:g}", picked)):
        res = link_features(features, model=trained.model,
                            term_frequencies=trained.term_frequencies,
                            machine_readings=machine)
        ev = evaluate_clusters(res.clusters.assignment, truth)
        a = res.clusters.assignment
        right, wrong = linked(a, truth, picked)
        mates = [(r, int(o)) for r in picked for o in truth.index[truth == truth[r]]
                 if int(o) != r]
        rows.append({"profile": profile_seed, "rule": rule, "misread": len(picked),
                     "linked right": right, "joined wrongly": wrong,
                     "true pairs apart, for review": _offered(res.pairs, a, mates),
                     "precision": round(ev.pairwise_precision, 3),
                     "recall": round(ev.pairwise_recall, 3),
                     "f1": round(ev.pairwise_f1, 3)})
    return rows


def _offered(scored: pd.DataFrame, assignment: pd.Series, pairs: list[tuple[int, int]]
             ) -> int:
    """Of ``pairs`` (true matches), those left in two persons whose match probability
    lies in the review band (offered to a reviewer)."""
    lo, hi = REVIEW_BAND
    band = scored[(scored.match_probability >= lo) & (scored.match_probability < hi)]
    keys = set(zip(band.unique_id_l, band.unique_id_r, strict=True))
    return sum((min(x, y), max(x, y)) in keys and assignment[x] != assignment[y]
               for x, y in pairs)


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))


def measure_scan(entries: int, scan_seed: int, workdir: Path) -> list[dict]:
    """Real OCR: see ``--scan`` in the module's docstring."""
    import csv

    from dadkhah.documents import unverified_records
    from dadkhah.ingest import import_file
    from dadkhah.simulate.scans import ScanSpec, render_scans, truth_rows, write_scans

    sim = simulate(draw_profile(3).config(150), seed=1, scenario="profile-3")
    manifest = write_simulation(sim, workdir / "lists")
    case = Case.create(workdir / "case", by="bench")
    import_lists(case, workdir / "lists", manifest, by="bench")
    doc = render_scans(ScanSpec(entries=entries), seed=scan_seed)
    images = write_scans(doc, workdir / "SYNTHETIC-scan.png")
    truth = truth_rows(doc)
    cols = sorted({k for e in doc.entries for k in e.fields})
    listed = workdir / "SYNTHETIC-same-persons.csv"
    with listed.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["external_id", *cols])
        for t in truth:
            w.writerow([t["number"], *(t.get(c, "") for c in cols)])
    for slug in ("scan", "twin"):
        case.add_source(slug=slug, title=f"{slug} (SYNTHETIC)", kind="memoir", synthetic=True,
                        by="bench")
    import_file(case, listed, source="twin", by="bench")
    twin = {r.fields["external_id"]: r.id for r in case.records(source="twin")}
    # each scanned record to the printed entry whose line its box overlaps most (one
    # image per page: each is page 1 of its own file)
    pairs = []
    scan_recs: list = []
    for page, image in enumerate(images, start=1):
        seen = {r.id for r in scan_recs}
        import_file(case, image, source="scan", by="bench")
        new = [r for r in case.records(source="scan") if r.id not in seen]
        scan_recs += new
        cands = [t for t in truth if t["page"] == page]
        for r in new:
            box = json.loads(r.raw)["box"]
            best = max(cands, key=lambda t: _overlap(box, t["box"]), default=None)
            if best is not None and _overlap(box, best["box"]) >= 0.5:
                pairs.append((r.id, twin[str(best["number"])]))
    readings = unverified_records(case)
    features = compute_features(linkage_input(case).records)
    trained = link_features(features)
    rows = []
    for rule, machine in (("full weight", ()), (f"misread {OCR_MISREAD_SHARE:g}", readings)):
        res = link_features(features, model=trained.model,
                            term_frequencies=trained.term_frequencies,
                            machine_readings=machine)
        a = res.clusters.assignment
        sizes = a.value_counts()
        rows.append({"rule": rule, "printed": len(truth), "records read": len(scan_recs),
                     "matched to a line": len(pairs),
                     "with twin": sum(a[s] == a[t] for s, t in pairs),
                     "with any record": sum(sizes[a[s]] > 1 for s, _ in pairs),
                     "twin apart, for review": _offered(res.pairs, a, pairs)})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--profiles", default="3")
    ap.add_argument("--persons", type=int, default=200)
    ap.add_argument("--readings", type=int, default=40)
    ap.add_argument("--scan", action="store_true")
    ap.add_argument("--entries", type=int, default=80)
    ap.add_argument("--scan-seed", type=int, default=5)
    args = ap.parse_args()
    rows = []
    if args.scan:
        with tempfile.TemporaryDirectory() as tmp:
            rows = measure_scan(args.entries, args.scan_seed, Path(tmp))
        print(pd.DataFrame(rows).to_string(index=False))  # noqa: T201
        return
    with tempfile.TemporaryDirectory() as tmp:
        for p in (int(x) for x in args.profiles.split(",")):
            rows += measure(p, args.persons, args.readings, Path(tmp))
    print(pd.DataFrame(rows).to_string(index=False))  # noqa: T201


if __name__ == "__main__":
    main()
