"""Why pairs of fully named records end in different persons, on kept second-probe folders
(SYNTHETIC).

Usage: python benchmarks/probe_misses.py FOLDER [FOLDER ...] [--show 10] [--csv OUT]
                                          [--without memoir]

Each FOLDER is the ``--out`` of ``benchmarks/second_probe.py`` (its ``case`` and its
``lists/SYNTHETIC-truth.csv``).  The case's records are linked again in memory exactly as
``dadkhah link`` links them (:func:`dadkhah.linkage.pipeline.link_case`'s call of
``link_features``), and the partition is checked against the case's register (a linkage
change made since the folder was written is measured on the same lists this way, without
running the probe again).  Every true pair of records that both carry a given name and a
surname (as linkage reads them) and end in different persons is classified as

- ``not blocked``: no blocking rule admits it (``settings.BLOCKING_KEYS``, dense-block
  caps included);
- ``below floor``: a rule admits it but it scored under ``min_probability`` (0.01), so it
  was not kept;
- ``below threshold``: kept, scored under the threshold (with the comparison that pulled
  it down most);
- ``names not linkable``: at or above the threshold but without positive evidence from
  the names (``run._linkable``);
- ``refused: <reason>``: at or above the threshold, and the clustering refused the merge
  (``siblings``, ``given_names``, ``average``, ``birth_year``, ...).

Printed per folder: pairwise P/R/F1 and persons against the truly named, over all records
and over the records outside the ``--without`` lists; then the counts by class, by the kind
of name difference (keys equal, a prefix, 1, 2 or 3+ edits apart) and by pair of lists, and
recall by pair of lists over every true pair; with
``--show`` a few examples of each class with both records' raw names, keys and fields.
``--csv`` writes every classified pair (one row each).  The script looks at the truth:
run it on the probe's diagnosis seeds only.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz.distance import Levenshtein

CLASS_ORDER = ("not blocked", "below floor", "below threshold", "names not linkable")


def _name_kind(a: pd.Series, b: pd.Series) -> str:
    """How two fully named records' keys differ."""
    g = a.given_key == b.given_key
    s = a.surname_key == b.surname_key
    if g and s:
        return "both keys equal"
    if a.given_key == b.surname_key and a.surname_key == b.given_key:
        return "swapped"
    ga, gb, sa, sb = str(a.given_key), str(b.given_key), str(a.surname_key), str(b.surname_key)
    gd = "prefix" if ga.startswith(gb) or gb.startswith(ga) else \
        f"{min(Levenshtein.distance(ga, gb), 3)} edit"
    sd = f"{min(Levenshtein.distance(sa, sb), 3)} edit"
    if s:
        return f"surname equal, given {gd}"
    if g:
        return f"given equal, surname {sd}"
    return f"given {gd}, surname {sd}"


def why_apart(res, feats: pd.DataFrame, pairs: pd.DataFrame
              ) -> list[tuple[int, int, str, bool, float, str, float]]:
    """Why each pair of records (``pairs``: ``id_l``, ``id_r``) of one true person stayed
    apart in the linkage result ``res`` of records with features ``feats``: per pair
    ``(lo, hi, class, blocked, probability, most negative comparison, its weight)``, the
    class one of not blocked / below floor / below threshold / names not linkable /
    refused: <guard>.  Also used by ``profile_diagnosis.py``."""
    from dadkhah.linkage.blocking import admitted_by, mark_dense_blocks
    from dadkhah.linkage.run import _linkable
    from dadkhah.linkage.settings import BLOCKING_KEYS

    marked = mark_dense_blocks(feats, BLOCKING_KEYS).set_index("unique_id", drop=False)
    blocked = np.zeros(len(pairs), dtype=bool)
    for key in BLOCKING_KEYS:
        blocked |= admitted_by(marked, pairs, key)
        blocked |= admitted_by(marked, pairs.rename(columns={"id_l": "id_r", "id_r": "id_l"}),
                               key)
    scored = res.pairs.set_index(["unique_id_l", "unique_id_r"])
    linkable = _linkable(res.pairs)
    linkable_ix = set(zip(linkable.unique_id_l, linkable.unique_id_r, strict=True))
    refused = {(min(r.left, r.right), max(r.left, r.right)): r.reason
               for r in res.clusters.refusals}
    mw = [c for c in res.pairs.columns if c.startswith("mw_") and not c.startswith("mw_tf")]
    out = []
    for (a, b), blk in zip(zip(pairs.id_l, pairs.id_r, strict=True), blocked, strict=True):
        lo, hi = int(min(a, b)), int(max(a, b))
        p, worst, weight = np.nan, "", np.nan
        if (lo, hi) in scored.index:
            row = scored.loc[(lo, hi)]
            p = float(row.match_probability)
            col = min(mw, key=lambda c: row[c])
            worst, weight = col[3:], float(row[col])
            if p < res.threshold:
                cls = "below threshold"
            elif (lo, hi) not in linkable_ix:
                cls = "names not linkable"
            else:
                cls = "refused: " + refused.get((lo, hi), "(merged elsewhere)")
        else:
            cls = "below floor" if blk else "not blocked"
        out.append((lo, hi, cls, bool(blk), p, worst, weight))
    return out


def _classify(folder: Path, show: int, without: list[str]) -> tuple[pd.DataFrame, dict]:
    from dadkhah.documents import unverified_records
    from dadkhah.linkage.evaluate import evaluate_clusters
    from dadkhah.linkage.features import compute_features
    from dadkhah.linkage.pipeline import read_truth, truth_by_record
    from dadkhah.linkage.run import link_features
    from dadkhah.register import linkage_input, record_sources, register_of, reviewed_decisions
    from dadkhah.store import Case

    case = Case.open(folder / "case", read_only=True)
    given = linkage_input(case)
    feats = compute_features(given.records)
    res = link_features(feats, must_link=given.must_link, cannot_link=given.cannot_link,
                        labels=reviewed_decisions(case),
                        machine_readings=unverified_records(case))
    asg = res.clusters.assignment
    stored = register_of(case).reindex(asg.index)
    same = pd.crosstab(asg, stored).astype(bool).sum(axis=1).eq(1).all() and \
        pd.crosstab(stored, asg).astype(bool).sum(axis=1).eq(1).all()
    truth = truth_by_record(case, read_truth(folder / "lists" / "SYNTHETIC-truth.csv"))
    src = record_sources(case).set_index("id")
    f = feats.set_index("unique_id")
    raw = given.records.set_index("unique_id")
    full = f.index[f.given_key.notna() & f.surname_key.notna()]
    t = truth.reindex(full)
    # every true pair among fully named records
    grp = pd.DataFrame({"id": t.index, "p": t.to_numpy()})
    pr = grp.merge(grp, on="p")
    pr = pr[pr.id_x < pr.id_y]
    apart = pr[asg.reindex(pr.id_x).to_numpy() != asg.reindex(pr.id_y).to_numpy()]
    pairs = pd.DataFrame({"id_l": apart.id_x.to_numpy(), "id_r": apart.id_y.to_numpy()})
    rows = []
    for lo, hi, cls, blk, p, worst, weight in why_apart(res, feats, pairs):
        worst = f"{worst} {weight:+.0f}" if worst else ""
        rows.append({"seed_dir": folder.name, "id_l": lo, "id_r": hi, "class": cls,
                     "blocked": bool(blk), "p": p, "worst": worst,
                     "lists": "+".join(sorted((src.source[lo], src.source[hi]))),
                     "kind": _name_kind(f.loc[lo], f.loc[hi])})
    out = pd.DataFrame(rows)
    info = {"folder": str(folder), "records": len(f), "fully named": len(full),
            "true pairs": len(pr), "apart": len(apart), "same register": bool(same)}
    # recall by pair of lists, over every true pair (fully named or not)
    everyone = pd.DataFrame({"id": truth.index, "p": truth.to_numpy()})
    tp = everyone.merge(everyone, on="p")
    tp = tp[tp.id_x < tp.id_y]
    lists = ["+".join(sorted(x)) for x in zip(src.source.reindex(tp.id_x),
                                               src.source.reindex(tp.id_y), strict=True)]
    joined = asg.reindex(tp.id_x).to_numpy() == asg.reindex(tp.id_y).to_numpy()
    by_lists = pd.DataFrame({"lists": lists, "joined": joined}).groupby("lists").joined.agg(
        ["sum", "count"])
    info["by lists"] = by_lists
    for label, keep in (("all", asg.index),
                        ("without " + ",".join(without),
                         src.index[~src.source.isin(without)] if without else None)):
        if keep is None:
            continue
        ev = evaluate_clusters(asg.reindex(keep), truth.reindex(keep))
        info[label] = (f"P/R/F1 {ev.pairwise_precision:.3f} / {ev.pairwise_recall:.3f} / "
                       f"{ev.pairwise_f1:.4f}; persons {ev.clusters} vs {ev.true_persons} "
                       f"({100 * (ev.clusters - ev.true_persons) / ev.true_persons:+.1f}%)")
    if show and len(out):
        cols = ("full_name", "given_names", "surname", "father_name", "birth_date", "age",
                "death_date", "prison", "city")

        def desc(i: int) -> str:
            r, k = raw.loc[i], f.loc[i]
            text = "; ".join(f"{c}={r[c]}" for c in cols
                             if c in r and isinstance(r[c], str) and r[c].strip())
            return (f"{src.source[i]}#{src.row_number[i]}: {text}  [{k.given_key}/"
                    f"{k.surname_key}/{k.father_key} b{k.birth_lo}-{k.birth_hi} "
                    f"d{k.death_lo} {k.prison_id} {k.city_id} {k.region_id}]")
        for cls, g in out.groupby("class"):
            print(f"\n== {folder.name}: {cls} ({len(g)})")
            for r in g.head(show).itertuples():
                extra = f" p={r.p:.3f} worst {r.worst}" if r.p == r.p else ""
                print(f"  [{r.kind}]{extra}\n    {desc(r.id_l)}\n    {desc(r.id_r)}")
    return out, info


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folders", nargs="+", type=Path)
    ap.add_argument("--show", type=int, default=0)
    ap.add_argument("--csv", type=Path)
    ap.add_argument("--without", nargs="*", default=[],
                    help="lists (source slugs) left out of the second pair of figures, e.g. "
                         "memoir")
    args = ap.parse_args()
    frames = []
    lists_frames = []
    for folder in args.folders:
        if not (folder / "case").is_dir() or \
                not (folder / "lists" / "SYNTHETIC-truth.csv").is_file():
            raise SystemExit(f"{folder}: not a kept second-probe folder (it needs case/ and "
                             "lists/SYNTHETIC-truth.csv); run benchmarks/second_probe.py "
                             "--out FOLDER first.")
        out, info = _classify(folder, args.show, args.without)
        print(f"{info['folder']}: {info['records']:,} records, {info['fully named']:,} fully "
              f"named; true pairs among them {info['true pairs']:,}, apart "
              f"{info['apart']:,}; register reproduced: {info['same register']}", flush=True)
        for label in [k for k in info if k == "all" or k.startswith("without")]:
            print(f"  {label}: {info[label]}")
        frames.append(out)
        lists_frames.append(info["by lists"])
    allp = pd.concat(frames, ignore_index=True)
    lists = pd.concat(lists_frames).groupby(level=0).sum()
    print("\nrecall by pair of lists (every true pair, all folders):")
    for name, row in lists.iterrows():
        print(f"  {name:24} {row['sum'] / row['count']:.3f} ({row['sum']}/{row['count']})")
    if args.csv:
        allp.to_csv(args.csv, index=False)
    print(f"\nmissed pairs of fully named records: {len(allp)}")
    by = Counter(allp["class"])
    for cls, n in sorted(by.items(), key=lambda x: -x[1]):
        print(f"  {cls:28} {n:5}")
    print("\nby class and kind of name difference:")
    for (cls, kind), n in allp.groupby(["class", "kind"]).size().sort_values(
            ascending=False).items():
        if n >= 2:
            print(f"  {cls:28} {kind:40} {n}")
    print("\nby class and pair of lists:")
    for (cls, lists), n in allp.groupby(["class", "lists"]).size().sort_values(
            ascending=False).items():
        if n >= 2:
            print(f"  {cls:28} {lists:24} {n}")
    low = allp[allp["class"] == "below threshold"]
    if len(low):
        print("\nbelow threshold, most negative comparison:")
        for w, n in Counter(low.worst.str.rsplit(" ", n=1).str[0]).most_common():
            print(f"  {w:28} {n}")


if __name__ == "__main__":
    main()
