"""What the linkage draws' default (no audit answers) is learnt from: the register's errors on
the TUNING noise profiles (1-20), scored against the SYNTHETIC truth.

    PYTHONPATH=src .venv/bin/python benchmarks/linkage_draws_tuning.py --replicates 20 \
        --persons 400 --out tuning.parquet

Each replicate simulates ``--persons`` persons under one tuning profile (seed
``--start`` + i, profile ``profiles(20, "tuning")[i % 20]``), links them as ``dadkhah link``
does (no decisions) and writes, for every stored pair, the register's side (linked or
apart), the pair's log-odds and whether the two records are one true person; for every
true pair within a person that the run did not store, the side (linked: joined through
other records or scored above the band; apart: a *missed link* the draws cannot see).
It prints, per replicate, the persons in the register against the truly named and the
missed links seen and unseen, and the pooled :class:`~dadkhah.estimate.PairCalibration`
fitted on every stored pair (what :data:`dadkhah.register.linkage_draws.TUNED_CALIBRATION`
holds) with the rate of unseen splits per register person.  Never run it on held-out
profiles: their figures are for reporting only.
"""

from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd


def collect(r: int, i: int, persons: int) -> tuple[pd.DataFrame, dict[str, object]]:
    from dadkhah.linkage import link_case
    from dadkhah.register import linkage_uncertainty
    from dadkhah.simulate import profiles, simulate, write_simulation
    from dadkhah.store import Case
    from dadkhah.testing import import_lists, record_truth

    prof = profiles(20, "tuning")[i % 20]
    sim = simulate(prof.config(persons), seed=r, scenario=f"profile-{prof.seed}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        man = write_simulation(sim, folder / "lists")
        case = Case.create(folder / "case", by="bench")
        import_lists(case, folder / "lists", man, by="bench")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            link_case(case, by="bench")
        unc = linkage_uncertainty(case, calibrate=False)
        truth = record_truth(case, folder / "lists")
    a = unc.assignment
    pr = unc.pairs
    lo = np.minimum(pr.unique_id_l, pr.unique_id_r).to_numpy()
    hi = np.maximum(pr.unique_id_l, pr.unique_id_r).to_numpy()
    stored = pd.DataFrame({
        "replicate": r, "profile": prof.seed, "lo": lo, "hi": hi,
        "p": pr.match_probability.to_numpy(),
        "side": np.where(a.reindex(lo).to_numpy() == a.reindex(hi).to_numpy(),
                         "linked", "apart"),
        "match": truth.reindex(lo).to_numpy() == truth.reindex(hi).to_numpy()})
    # pairs within a register person that the run did not store, with their truth (what
    # the unstored rate is), and true pairs across persons that it did not store
    t = truth.reindex(a.index)
    frame = pd.DataFrame({"rec": a.index.to_numpy(), "person": a.to_numpy(),
                          "true": t.to_numpy()})
    key = set(zip(lo.tolist(), hi.tolist(), strict=True))
    w = frame.merge(frame, on="person")
    w = w[w.rec_x < w.rec_y]
    w = w[[(x, y) not in key for x, y in zip(w.rec_x, w.rec_y, strict=True)]]
    unstored = pd.DataFrame({"replicate": r, "profile": prof.seed, "lo": w.rec_x.to_numpy(),
                             "hi": w.rec_y.to_numpy(), "p": np.nan, "side": "linked",
                             "match": (w.true_x == w.true_y).to_numpy()})
    # merges needed to rejoin each true person's fragments, and how many of them no stored
    # pair across the fragments shows (components of the fragments under stored true pairs)
    st = stored[(stored.side == "apart") & stored.match]
    pa, pb = a.reindex(st.lo).to_numpy(), a.reindex(st.hi).to_numpy()
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for x, y in zip(pa.tolist(), pb.tolist(), strict=True):
        parent[find(x)] = find(y)
    frags = frame.groupby("true").person.unique()
    splits = int(sum(len(f) - 1 for f in frags))
    unseen = int(sum(len({find(p) for p in f}) - 1 for f in frags))
    info = {"replicate": r, "profile": prof.seed, "records": len(frame),
            "persons": int(a.nunique()), "named": int(frame.true.nunique()),
            "splits": splits, "unseen merges": unseen,
            "merged persons": int((frame.groupby("person").true.nunique() - 1).sum())}
    return pd.concat([stored, unstored], ignore_index=True), info


def main() -> None:
    from dadkhah.estimate import fit_pair_calibration

    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--persons", type=int, default=400)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    parts, infos = [], []
    for i in range(args.replicates):
        r = args.start + i
        try:
            d, info = collect(r, i, args.persons)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports and goes on
            print(f"replicate {r}: FAILED {type(exc).__name__}: {exc}", flush=True)
            continue
        parts.append(d)
        infos.append(info)
        print(info, flush=True)
        if args.out:
            pd.concat(parts).to_parquet(args.out)
            pd.DataFrame(infos).to_csv(args.out.with_suffix(".csv"), index=False)
    d = pd.concat(parts, ignore_index=True)
    x = np.log(np.clip(d.p, 1e-6, 1 - 1e-6) / (1 - np.clip(d.p, 1e-6, 1 - 1e-6)))
    keep = d.p.notna() | (d.side == "linked")
    cal = fit_pair_calibration(np.where(d.p.notna(), x, np.nan)[keep], d.side[keep],
                               d.match[keep], source="tuning profiles")
    print(cal.summary())
    inf = pd.DataFrame(infos)
    rate = inf["unseen merges"] / inf["persons"]
    print(f"unseen merges per register person: mean {rate.mean():.4f}, "
          f"min {rate.min():.4f}, max {rate.max():.4f}")


if __name__ == "__main__":
    main()
