"""OCR of scanned Persian victim lists, measured against the simulator's truth (prints).

Usage: python benchmarks/ocr_bench.py [--seeds 1001,1002,1003 | 1041-1050] [--pages 2]
       [--names 3000] [--misses] [--cache DIR]

``--misses`` prints every full name missed after correction (truth, reading, proposal),
grouped by kind; ``--cache DIR`` keeps each page's OCR lines there (keyed by the page, the
settings and the OCR modules' source), so correction can be tuned without reading again.

For each seed a list is rendered (dadkhah.simulate.scans: font, one or two columns, the
labelled or the plain layout, skew and noise drawn from the seed), read page by page with
Tesseract (dadkhah.documents.ocr, preferring the words of the name lexicon and of the
case's names), split into entries and given correction proposals
(dadkhah.documents.entry_rows with a NameCorrector that knows the name dictionary and the
names of ``--names`` other records of the case, drawn from the same population model).
Each truth entry is matched to the entry read whose box overlaps its line most.

Printed:
- full names exactly right (Persian normalisation; a lost ZWNJ is no error, words joined or
  split are) before correction and after accepting every proposal;
- fields right (father, birth year, prison, city, death date, as written, digits folded),
  after accepting the proposals;
- boxes found (overlap with the true line box ≥ 50% of the smaller box);
- seconds of OCR per page, wall and CPU (this machine, one Tesseract thread; the page
  rendering is not counted, the cleanup is).

Each page is read twice (binarised and grey) and its digits re-read by their shapes
(dadkhah.documents.OcrSettings: second_pass, digits), as `dadkhah import` reads them.

Seeds 1-20 are for tuning, 1001-1020 held out (dadkhah.simulate.TUNING_SEEDS /
HELD_OUT_SEEDS).  The OCR has been tuned on seeds 15-40, 45, 55, 68, 71, 78, 79, 105,
300-329 and 330-342, 345, 346, 351, 354, the correction also on 400-479 (session 9, one page
each) and on the noisy two-column lists among 480-599 (session 10: 483, 492, 494, 498, 500,
503, 504, 507, 508, 524, 526, 538, 541, 545, 548, 551, 556, 559, 563, 581, 582, 589, 590,
594); 1001-1070 have been measured as held out (1021-1030 first in session 8, 1031-1040 in
its second round, 1041-1050 in session 9, 1051-1070 in session 10): a fresh set for a later
round starts at 1071.
EVERYTHING IS SYNTHETIC.
"""

from __future__ import annotations

import argparse
import hashlib
import pickle
import resource
import time
from collections import defaultdict
from pathlib import Path
from statistics import mean

import numpy as np

from dadkhah.documents import DocumentReading, EntryLayout, NameCorrector, OcrSettings, entry_rows
from dadkhah.documents import ocr as ocr_module
from dadkhah.documents.ocr import ocr_page
from dadkhah.documents.textlayer import ocr_words
from dadkhah.names import fold_digits, normalize_persian
from dadkhah.names.normalize import ZWNJ
from dadkhah.simulate.scans import ScanSpec, draw_entries, render_scans

FIELDS = ("father_name", "birth_date", "prison", "city", "death_date")


def spec_for(seed: int, pages: int) -> ScanSpec:
    rng = np.random.default_rng([seed, 99])
    columns = int(rng.choice([1, 1, 2]))
    layout = str(rng.choice(["labelled", "labelled", "plain"]))
    per_page = 32 * columns
    return ScanSpec(entries=per_page * pages, columns=columns, layout=layout,
                    font=str(rng.choice(["naskh", "sans", "dejavu"])),
                    size_pt=float(rng.choice([11.0, 12.0, 13.0])) if columns == 1 else 11.0,
                    skew=float(rng.uniform(0.3, 2.0)), noise=float(rng.uniform(0.15, 0.5)))


def norm(text: str | None) -> str:
    """As compared: Persian normalisation, digits folded; a ZWNJ counts as nothing, so a
    compound that lost its ZWNJ is right, but words joined or split are wrong."""
    t = normalize_persian(fold_digits(text or "")).replace(ZWNJ, "")
    return " ".join(t.strip(".،,").split())


def overlap(a: list[float] | tuple[float, ...], b: tuple[int, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / smaller


def _source_key() -> str:
    """A digest of the modules a page's reading depends on (for ``--cache``)."""
    h = hashlib.sha256()
    for mod in ("ocr.py", "digits.py", "textlayer.py"):
        h.update((Path(ocr_module.__file__).parent / mod).read_bytes())
    return h.hexdigest()[:16]


def miss_kind(truth: str, read: str, proposed: str) -> str:
    """What went wrong with a full name missed after correction."""
    t, p = truth.split(), proposed.split()
    if not read:
        return "no name read"
    base = "spoiled by correction" if read == truth else (
        "no proposal" if read == proposed else "wrong proposal")
    if len(p) != len(t):
        how = "words joined" if len(p) < len(t) else "words split"
    else:
        bad = [i for i, (a, b) in enumerate(zip(p, t, strict=True)) if a != b]
        where = "first word" if bad == [0] else (
            "last word" if bad == [len(t) - 1] else "several words")
        how = where
    return f"{base}: {how}"


def run(seed: int, pages: int, n_names: int, misses: dict[str, list[str]] | None = None,
        cache: Path | None = None) -> dict[str, float]:
    spec = spec_for(seed, pages)
    doc = render_scans(spec, seed=seed)
    case_names = [v for fields, _ in draw_entries(n_names, seed + 50_000, spec)
                  for k, v in fields.items() if k in ("full_name", "father_name")]
    corrector = NameCorrector.default().with_names(case_names)
    settings = OcrSettings(user_words=ocr_words(case_names))
    lines = []
    seconds = []
    cpu = []
    for n, img in enumerate(doc.pages, start=1):
        key = cache / f"{seed}-{pages}-{n}-{n_names}-{_source_key()}.pickle" if cache else None
        if key is not None and key.is_file():
            got, sec, used = pickle.loads(key.read_bytes())
        else:
            t0, c0 = time.perf_counter(), _cpu()
            got, _ = ocr_page(img, n, settings)
            sec, used = time.perf_counter() - t0, _cpu() - c0
            if key is not None:
                key.write_bytes(pickle.dumps((got, sec, used)))
        seconds.append(sec)
        cpu.append(used)
        lines.extend(got)
    reading = DocumentReading("bench", "0" * 64, "image", "px", "tesseract", (), tuple(lines))
    layout = EntryLayout(order=("full_name", "prison", "death_date")
                         if spec.layout == "plain" else ("full_name",))
    rows = entry_rows(reading, layout, corrector=corrector)
    name_before = name_after = boxes = 0
    field_right = field_total = 0
    for e in doc.entries:
        cands = [r for r in rows if r["page"] == e.page]
        best = max(cands, key=lambda r: overlap(r["box"], e.box), default=None)
        if best is None or overlap(best["box"], e.box) < 0.5:
            field_total += sum(1 for f in FIELDS if f in e.fields)
            if misses is not None:
                misses["no box found"].append(f"{seed}/{e.number}: «{e.fields['full_name']}»")
            continue
        boxes += 1
        truth = norm(e.fields["full_name"])
        name_before += norm(best["full_name"]) == truth
        proposed = next((p["proposed"] for p in best["proposals"] if p["field"] == "full_name"),
                        best["full_name"])
        name_after += norm(proposed) == truth
        if misses is not None and norm(proposed) != truth:
            prop = next((p for p in best["proposals"] if p["field"] == "full_name"), None)
            misses[miss_kind(truth, norm(best["full_name"]), norm(proposed))].append(
                f"{seed}/{e.number}: «{truth}» read «{best['full_name']}» → «{proposed}»"
                + (f"  [{prop['why']}]" if prop else "") + f"  line «{best.get('reading', '')}»")
        fixed = {p["field"]: p["proposed"] for p in best["proposals"]}
        for f in FIELDS:
            if f in e.fields:
                field_total += 1
                field_right += norm(fixed.get(f, best.get(f))) == norm(e.fields[f])
    n = len(doc.entries)
    return {"entries": n, "pages": len(doc.pages), "before": name_before / n,
            "after": name_after / n, "fields": field_right / max(field_total, 1),
            "boxes": boxes / n, "sec_page": mean(seconds), "cpu_page": mean(cpu),
            "spec": spec.summary()}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract runs as one):
    steadier than wall time on a machine other jobs share."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="1001,1002,1003")
    ap.add_argument("--pages", type=int, default=2)
    ap.add_argument("--names", type=int, default=3000,
                    help="records already in the case whose names the corrector knows")
    ap.add_argument("--misses", action="store_true",
                    help="print every full name missed after correction, by kind")
    ap.add_argument("--cache", type=Path, default=None,
                    help="a folder to keep the pages' OCR lines in (tuning the correction)")
    a = ap.parse_args()
    seeds = parse_seeds(a.seeds)
    if a.cache:
        a.cache.mkdir(parents=True, exist_ok=True)
    misses: dict[str, list[str]] | None = defaultdict(list) if a.misses else None
    results = []
    for seed in seeds:
        r = run(seed, a.pages, a.names, misses, a.cache)
        results.append(r)
        print(f"seed {seed}: {r['spec']}")
        print(f"  full names right: {r['before']:.1%} raw → {r['after']:.1%} after correction; "
              f"fields right {r['fields']:.1%}; boxes found {r['boxes']:.1%}; "
              f"{r['sec_page']:.2f} s/page ({r['cpu_page']:.2f} s CPU)")
    tot = sum(r["entries"] for r in results)

    def w(key: str) -> float:
        return sum(r[key] * r["entries"] for r in results) / tot

    pages = sum(r["pages"] for r in results)
    print(f"ALL ({len(seeds)} lists, {tot} entries, {pages} pages, SYNTHETIC): full names "
          f"{w('before'):.1%} raw → {w('after'):.1%} after correction; fields {w('fields'):.1%}; "
          f"boxes {w('boxes'):.1%}; "
          f"{sum(r['sec_page'] * r['pages'] for r in results) / pages:.2f} s/page wall, "
          f"{sum(r['cpu_page'] * r['pages'] for r in results) / pages:.2f} s/page CPU")
    worst = min(results, key=lambda r: r["after"])
    print(f"worst list: {worst['after']:.1%} names after correction ({worst['spec']})")
    if misses is not None:
        for kind, items in sorted(misses.items(), key=lambda kv: -len(kv[1])):
            print(f"\n{kind}: {len(items)}")
            for item in items:
                print("  " + item)


def parse_seeds(text: str) -> list[int]:
    """``1001,1003`` or ``1041-1050`` or both (``15-20,45``)."""
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi) + 1) if hi else [int(lo)])
    return out


if __name__ == "__main__":
    main()
