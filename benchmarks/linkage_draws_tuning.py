"""What the linkage draws' default (no audit answers) is learnt from: the register's errors on
the TUNING noise profiles (1-20) and on the ``small`` scenario (the demo's, other seeds),
scored against the SYNTHETIC truth.  Re-learning the default after a linkage or simulator
change is this one command (session 13's, 14's and 15's; about 3 minutes on an idle machine),
then copying the printed values into :data:`dadkhah.estimate.TUNED_PAIR_CALIBRATION` (and
``spread`` from ``--refit tuning.parquet`` once the new power is in it: the resamples hold
the power the source says):

    PYTHONPATH=src .venv/bin/python benchmarks/linkage_draws_tuning.py --replicates 17 \
        --start 1 --persons 300 --ablate-hard --bootstrap 300 --out tuning.parquet

(Until session 12 it was the script's defaults, ``--replicates 20 --persons 400``: profiles
1-20 at 400 persons with the hard-to-document group.)

Each replicate simulates ``--persons`` persons under one tuning profile (seed
``--start`` + i, profile ``profiles(20, "tuning")[i % 20]``), or ``--scenario-persons`` of
``--scenario`` (seeds ``--scenario-seeds``: 2-5 by default; never 1, the demo's own case),
links them as ``dadkhah link`` does (no decisions) and writes, for every stored pair, the
register's side (linked or apart), the pair's log-odds and whether the two records are one
true person; for every true pair within a person that the run did not store, the side
(linked: joined through other records or scored above the band; apart: a *missed link* the
draws cannot see); and the merges the stored pairs propose, with their evidence.  It prints,
per replicate, the persons in the register against the truly named and the missed links
seen and unseen, then the pooled :class:`~dadkhah.estimate.PairCalibration` fitted on every
stored pair (its maps and unstored rate) and the rule for unseen links (``unseen_per_apart``,
``unseen_power``, ``unseen_cv``: a Poisson fit of the unseen links on the expected true
links among the proposed merges, by that calibration, :func:`fit_unseen`).  The ``small``
registers are there because the profiles alone vary too little: on them a fixed rate per
person fits as well as anything, yet it over-predicts the ``small`` registers fourfold.
Never run it on held-out profiles or scenarios: their figures are for reporting only.

Since session 11 it also fits the kept-apart side as the draws now apply it
(:meth:`dadkhah.estimate.PairCalibration.merge`): a logistic map of whether a proposed merge
is true on the log-odds of its strongest stored pair, plus a term for two single records,
over the proposed merges that do not join an unresolved mention (those are drawn by their
own model), and the unseen links against the expected seen links by that map.  Session 11's
values (``apart -2.74 + 0.28 s``, ``apart_single 3.26``, 0.69 unseen per expected seen link)
were fitted on the profiles without their hard-to-document group at 300 persons, the
scenario the coverage target is judged on:

    PYTHONPATH=src .venv/bin/python benchmarks/linkage_draws_tuning.py --replicates 17 \
        --start 1 --persons 300 --ablate-hard --scenario-seeds ''

(seeds 1-17, profiles 1-17: the registers ``mse_linkage_coverage.py --split tuning
--ablate hard --start 0`` builds.)  On them the register held 10.5 persons more than were
named (mean): 16.2 true links split, 5.7 wrong merges.  Of the split links 6.4 were shown
by a stored pair kept apart, 3.7 joined an unresolved mention with a stored pair, 3.3 were
never blocked, 2.8 were mentions with no stored pair and 0.1 were blocked but scored below
the stored floor: so storing more pairs would not help, and the rate of unseen links is
what carries the never-compared ones.

Session 12 (same command, on session 11's merged linkage): every proposed merge is marked
``passable`` when the clustering's checks allow it on its own (the draws' ``_passable``), and
the map is fitted on those only (619 of 1,964 merges, 121 of the 177 true ones: the draws had
realised only 30-40% of the merges they drew, the rest refused by those checks); the unseen
links are every split the map cannot rejoin (the splits less the true allowed merges, 161 in
the 17 registers, against 107 shown by no stored pair).  It prints the ``spread`` of the map
and the unseen rate over ``--bootstrap`` resamples of the registers
(``PairCalibration.spread``).  ``--refit tuning.parquet`` refits on pairs written by ``--out``
without linking again.  Values then set: apart -1.55 + 0.45 s, single +3.03, unseen 1.41 per
expected seen link fitted at power 1 and set to 1.15 (see ``TUNED_PAIR_CALIBRATION``); the
free power (0.36) was rejected for over-merging the ``small`` scenario.

Session 14: each register's info also carries what a real case shows that might predict its
unseen links (:func:`case_signs`: the share of records whose best stored pair scores in the
0.01-0.2 band, the given-name-only share, the share of persons on one list only and its
mean per list), and :func:`fit_unseen` gives beside the in-sample spread the spread of a
register left out of the fit (``cv_loo``, which ``unseen_cv`` now is).  Re-collected on the
merged linkage (``--replicates 17 --start 1 --persons 300 --ablate-hard --bootstrap 300``,
the ``small`` seeds 2-5 beside) and the default refitted on it: apart -1.89 + 0.54 s, single
+3.03, unseen 4.49 x persons x (seen per person)^1.302, cv 0.90 left out (0.81 in sample;
on session 13's pairs 0.66 and 0.59).  None of those signs predicted the unseen rate per
person better out of sample than the seen links per person did (Spearman 0.08-0.32 over
the 17 profiles; see ``TUNED_PAIR_CALIBRATION``).

Session 15 (on batched profiles): the command above gave apart -1.86 + 0.59 s, single +2.93,
unseen 2.73 x persons x (seen per person)^1.175, cv 0.675 left out, adopted after a tuning
before/after (``benchmarks/mse_linkage_coverage.py``'s note).  The script's defaults
(``--replicates 20 --persons 400 --bootstrap 0``: profiles 1-20 at 400 persons WITH the
hard-to-document group, ``small`` 2-5), for comparison only: apart -2.15 + 0.56 s (743
allowed merges, 67 true), single +2.87, linked +1.82 + 0.51 s, unseen 0.29 x persons x
(seen per person)^0.66, cv 1.05 left out (dispersion 3.84 against 5.20 for a fixed rate):
the hard group's few-record persons change the fit, which is why the coverage scenario's
registers (no hard group, 300 persons) are the ones the default is learnt on.

Session 17 (on session 16's linkage, the town comparison's new level): the command above gave
apart -1.90 + 0.55 s, single +2.93, linked +1.50 + 0.52 s, unseen 1.84 x persons x (seen per
person)^1.07, cv 0.781 left out; adopted after a tuning before/after (coverage 35 -> 36 and 34
-> 37 of 40, a little wider; see ``TUNED_PAIR_CALIBRATION``).  Again after the independent
probe's linkage fixes (same session): apart -2.02 + 0.54 s, single +2.97, linked +1.46 + 0.53
s, unseen 1.70 x persons x (seen per person)^1.03, cv 0.833 left out; kept after a tuning
before/after (drawn 37 -> 37, stratified 37 -> 38 of 40, widths 1.47 -> 1.51 and 1.52 ->
1.47 times the true histories').
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pandas as pd

SCENARIO_REPLICATE = 10_000
"""Added to a scenario replicate's seed to number it apart from the profiles' replicates."""


def collect(r: int, i: int, persons: int, scenario: str | None = None,
            ablate_hard: bool = False) -> tuple[pd.DataFrame, dict[str, object]]:
    """One replicate: tuning profile ``i`` (seed ``r``), or the named ``scenario`` (seed
    ``r``, ``persons`` persons) when given; ``ablate_hard``: the profile without its
    hard-to-document group (as ``mse_linkage_coverage.py --ablate hard``)."""
    from dataclasses import replace
    from types import SimpleNamespace

    from dadkhah.simulate import profiles, scenario_config, simulate
    from dadkhah.testing import linked_simulation

    rid = r if scenario is None else SCENARIO_REPLICATE + r  # distinct from the profiles'
    if scenario is None:
        prof = profiles(20, "tuning")[i % 20]
        cfg = prof.config(persons)
        cfg = replace(cfg, hard_share=0.0) if ablate_hard else cfg
        sim = simulate(cfg, seed=r, scenario=f"profile-{prof.seed}")
    else:
        prof = SimpleNamespace(seed=f"{scenario}-{r}")
        sim = simulate(scenario_config(scenario, persons=persons), seed=r, scenario=scenario)
    with linked_simulation(sim, calibrate=False) as linked:
        unc, truth = linked.uncertainty, linked.truth
    a = unc.assignment
    pr = unc.pairs
    lo = np.minimum(pr.unique_id_l, pr.unique_id_r).to_numpy()
    hi = np.maximum(pr.unique_id_l, pr.unique_id_r).to_numpy()
    stored = pd.DataFrame({
        "replicate": rid, "profile": prof.seed, "lo": lo, "hi": hi,
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
    unstored = pd.DataFrame({"replicate": rid, "profile": prof.seed, "lo": w.rec_x.to_numpy(),
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
    # the merges the stored pairs propose, with their evidence (what the case shows of its
    # splits: the expected true links among them, under the calibration fitted below, is
    # what the unseen ones are learnt in proportion to)
    from dadkhah.linkage.cluster import cluster_records
    from dadkhah.register.linkage_draws import (
        _candidate_merges,
        _kept_pairs,
        _passable,
        _undecided_sides,
    )

    ids = np.sort(a.index.to_numpy().astype(np.int64))
    codes = pd.factorize(a.reindex(ids).to_numpy())[0].astype(np.int64)
    _, across = _undecided_sides(ids, codes, lo.astype(np.int64), hi.astype(np.int64), (), ())
    cand = _candidate_merges(ids, codes, lo.astype(np.int64), hi.astype(np.int64),
                             np.clip(pr.match_probability.to_numpy(float), 1e-6, 1 - 1e-6),
                             across)
    nodes = unc.features.set_index("unique_id").reindex(ids).rename_axis("unique_id") \
        .reset_index() if unc.features is not None else pd.DataFrame({"unique_id": ids})
    ka, kb = _kept_pairs(ids, codes, lo.astype(np.int64), hi.astype(np.int64))
    passable = _passable(ids, codes, lo.astype(np.int64), hi.astype(np.int64), ka, kb, cand,
                         nodes, cluster_records, [], [])
    one = frame.groupby("person").true.agg(set)
    code_person = pd.Series(a.reindex(ids).to_numpy()).groupby(codes).first()
    same = [bool(one[code_person[x]] & one[code_person[y]])
            for x, y in zip(cand["a"].tolist(), cand["b"].tolist(), strict=True)]
    merges = pd.DataFrame({"replicate": rid, "profile": prof.seed, "lo": np.nan, "hi": np.nan,
                           "p": cand["p"].to_numpy(), "side": "merge", "match": same,
                           "evidence": cand["evidence"].to_numpy(),
                           "single": cand["single"].to_numpy(), "passable": passable,
                           "mention": _mention_merge(unc.features, ids, codes, cand)})
    # since session 12 the unseen links are every split the draws' kept-apart map cannot
    # rejoin: the fragments of a true person left apart once every true proposed merge the
    # clustering's checks allow is made (a true merge the checks refuse is never drawn, so
    # the random unseen merges carry it, as they carry the never-compared ones)
    parent.clear()
    for x, y, t_, ok_ in zip(cand["a"].tolist(), cand["b"].tolist(), same, passable.tolist(),
                             strict=True):
        if t_ and ok_:
            parent[find(("c", x))] = find(("c", y))
    frag_codes = pd.DataFrame({"c": codes, "t": truth.reindex(ids).to_numpy()}) \
        .drop_duplicates().groupby("t").c.unique()
    rejoinable = int(sum(len(f) - len({find(("c", int(c))) for c in f}) for f in frag_codes))
    info = {"replicate": rid, "profile": prof.seed, "records": len(frame),
            **case_signs(unc),
            "persons": int(a.nunique()), "named": int(frame.true.nunique()),
            "splits": splits, "unseen merges": splits - rejoinable,
            "unseen by stored pairs": unseen, "candidate merges": len(cand),
            "merged persons": int((frame.groupby("person").true.nunique() - 1).sum())}
    return pd.concat([stored, unstored, merges], ignore_index=True), info


def case_signs(unc) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """What a real case shows that might predict its unseen links (session 14, candidates
    for the unseen rate's predictor): the share of records whose best stored pair scores in
    the 0.01-0.2 band (compared, below the review band), the share naming only a given name,
    and the share of register persons named by one list only (overall and the mean over
    lists of each list's share of its persons that no other list names)."""
    pr = unc.pairs
    ids = unc.records["unique_id"].to_numpy()
    best = (pd.concat([pr[["unique_id_l", "match_probability"]].set_axis(["r", "p"], axis=1),
                       pr[["unique_id_r", "match_probability"]].set_axis(["r", "p"], axis=1)])
            .groupby("r").p.max().reindex(ids))
    f = unc.features
    given_only = (float((f["surname_key"].isna() & f["given_key"].notna()).mean())
                  if f is not None and {"surname_key", "given_key"} <= set(f.columns)
                  else math.nan)
    h = unc.histories()
    pat = np.repeat(h.patterns, h.counts, axis=0)
    one = pat.sum(axis=1) == 1
    per_list = [float(one[pat[:, j] == 1].mean()) for j in range(pat.shape[1])
                if (pat[:, j] == 1).any()]
    return {"lowband share": float(((best >= 0.01) & (best < 0.2)).mean()),
            "given-only share": given_only, "singleton share": float(one.mean()),
            "list singleton share": float(np.mean(per_list)) if per_list else math.nan}


def main() -> None:
    from dataclasses import replace

    from dadkhah.estimate import CalibrationMap, fit_pair_calibration

    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--persons", type=int, default=400)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--scenario", default="small",
                    help="a named scenario whose noise differs from the profiles' (default "
                    "small, the demo's), run beside them so that the unseen-link rate is "
                    "learnt across regimes; never a held-out scenario, nor the demo's seed 1")
    ap.add_argument("--scenario-seeds", default="2,3,4,5",
                    help="its seeds, comma-separated ('' for none)")
    ap.add_argument("--scenario-persons", type=int, default=1500)
    ap.add_argument("--ablate-hard", action="store_true",
                    help="the profiles without their hard-to-document group (where MSE on the "
                    "true histories is valid; what session 11's kept-apart map was fitted on)")
    ap.add_argument("--refit", type=Path, default=None,
                    help="fit on the pairs an earlier run wrote with --out (its .parquet, the "
                    ".csv beside it) instead of collecting them again")
    ap.add_argument("--bootstrap", type=int, default=200,
                    help="resamples of the registers for the spread of the kept-apart map "
                    "and the unseen rate (PairCalibration.spread; 0: none)")
    args = ap.parse_args()
    from dadkhah.simulate import HELD_OUT_SCENARIOS

    seeds = [int(x) for x in args.scenario_seeds.split(",") if x.strip()]
    if args.scenario in HELD_OUT_SCENARIOS or (args.scenario == "small" and 1 in seeds):
        raise SystemExit("refusing to tune on a held-out scenario or on the demo's own case")
    jobs: list[tuple[int, int, int, str | None]] = [
        (args.start + i, i, args.persons, None) for i in range(args.replicates)]
    jobs += [(s, -1, args.scenario_persons, args.scenario) for s in seeds]
    parts, infos = [], []
    if args.refit is not None:
        parts = [pd.read_parquet(args.refit)]
        infos = pd.read_csv(args.refit.with_suffix(".csv")).to_dict("records")
        jobs = []
    for r, i, persons, scenario in jobs:
        try:
            d, info = collect(r, i, persons, scenario, args.ablate_hard)
        except Exception as exc:  # noqa: BLE001 - a benchmark reports and goes on
            print(f"replicate {r} {scenario or ''}: FAILED {type(exc).__name__}: {exc}", flush=True)
            continue
        parts.append(d)
        infos.append(info)
        print(info, flush=True)
        if args.out:  # profiles are numbers, scenario replicates names: one type
            pd.concat(parts).astype({"profile": str}).to_parquet(args.out)
            pd.DataFrame(infos).to_csv(args.out.with_suffix(".csv"), index=False)
    d = pd.concat(parts, ignore_index=True)
    m = d[d.side == "merge"]
    d = d[d.side != "merge"]
    x = np.log(np.clip(d.p, 1e-6, 1 - 1e-6) / (1 - np.clip(d.p, 1e-6, 1 - 1e-6)))
    keep = d.p.notna() | (d.side == "linked")
    cal = fit_pair_calibration(np.where(d.p.notna(), x, np.nan)[keep], d.side[keep],
                               d.match[keep], source="tuning profiles")
    print(cal.summary())
    inf = pd.DataFrame(infos).set_index("replicate")
    rate = inf["unseen merges"] / inf["persons"]
    print(f"unseen merges per register person: mean {rate.mean():.4f}, "
          f"min {rate.min():.4f}, max {rate.max():.4f}")
    # unseen links against the expected true links among the merges the stored pairs
    # propose (the case's own sign of splitting), by that calibration: log E[unseen] =
    # log persons + a + b log(seen / persons), Poisson; b = 1 is unseen in proportion to the
    # seen, b = 0 a fixed rate per person
    # the kept-apart merges by the strongest pair's log-odds and their kind (two single
    # records or not), unresolved mentions left out (the draws take them by their own model)
    mx = np.log(np.clip(m.p, 1e-6, 1 - 1e-6) / (1 - np.clip(m.p, 1e-6, 1 - 1e-6)))
    # since session 12 only the merges the clustering's checks allow (``passable``): the
    # draws never make the others (PairCalibration.apart_passable)
    ok_m = (m["passable"].astype(bool).to_numpy() if "passable" in m.columns
            else np.ones(len(m), dtype=bool))
    fit_m = m["mention"].astype(bool).eq(False).to_numpy() & ok_m
    print(f"proposed merges the checks allow: {int(ok_m.sum())} of {len(m)} "
          f"({int(m.match[ok_m].sum())} of {int(m.match.sum())} true ones)")
    import statsmodels.api as sm

    res = sm.GLM(m.match.astype(float).to_numpy()[fit_m],
                 np.c_[np.ones(int(fit_m.sum())), mx[fit_m],
                       m.single.astype(float).to_numpy()[fit_m]],
                 family=sm.families.Binomial()).fit()
    a0, a1, a2 = (float(v) for v in res.params)
    cal = replace(cal, apart=CalibrationMap("apart", a0, a1), apart_single=a2,
                  apart_by="strongest", apart_passable=bool("passable" in m.columns))
    print(f"kept-apart merges: {int(fit_m.sum())} ({int(m.match[fit_m].sum())} true), "
          f"{a0:+.2f} {a1:+.2f} s, single records {a2:+.2f} (apart=CalibrationMap('apart', "
          f"{a0:.2f}, {a1:.2f}), apart_single={a2:.2f}, apart_by='strongest', "
          f"apart_passable={cal.apart_passable})")
    seen = pd.Series(cal.merge(mx, m.single.astype(float).to_numpy()) * ok_m,
                     index=m.replicate.to_numpy()).groupby(level=0).sum() \
        .reindex(inf.index, fill_value=0.0)
    fit = fit_unseen(inf["unseen merges"].to_numpy(float), inf["persons"].to_numpy(float),
                     seen.to_numpy(float))
    print(f"unseen links: {fit['rate']:.4f} x persons x (seen per person)^{fit['power']:.2f} "
          f"(unseen_per_apart={fit['rate']:.4f}, unseen_power={fit['power']:.4f}, "
          f"unseen_cv={fit['cv']:.3f} in the fitted registers, {fit['cv_loo']:.3f} for a "
          f"register left out of the fit); dispersion {fit['dispersion']:.2f} (left out "
          f"{fit['dispersion_loo']:.2f}) against "
          f"{fit['dispersion_fixed']:.2f} for a fixed rate per person and "
          f"{fit['dispersion_ratio']:.2f} for a fixed ratio to the seen")
    for r_, row in inf.iterrows():
        print(f"  {row['profile']}: persons {row['persons']} unseen {row['unseen merges']} "
              f"expected seen {seen[r_]:.1f} -> predicted "
              f"{predict_unseen(fit, row['persons'], seen[r_]):.1f}")
    if args.bootstrap > 0:
        from dadkhah.estimate import TUNED_PAIR_CALIBRATION as tuned

        cov = bootstrap_spread(m, inf, power=tuned.unseen_power, resamples=args.bootstrap)
        sd = np.sqrt(np.diag(cov))
        print(f"spread over {args.bootstrap} resamples of the {len(inf)} registers (power "
              f"held at {tuned.unseen_power:.2f}): sd intercept {sd[0]:.3f}, slope "
              f"{sd[1]:.3f}, single {sd[2]:.3f}, log unseen rate {sd[3]:.3f}\n"
              f"  spread=({', '.join(f'{v:.4g}' for v in cov.ravel())})")


def bootstrap_spread(m: pd.DataFrame, inf: pd.DataFrame, *, power: float,
                     resamples: int = 200, seed: int = 19) -> np.ndarray:
    """Covariance of (kept-apart intercept, slope, single-record term, log unseen rate) over
    resamples of the registers with replacement (a register's merges and unseen links move
    together): how well the tuning registers pin the calibration down
    (:attr:`dadkhah.estimate.PairCalibration.spread`).  Each resample refits the logistic
    map on its merges (mentions left out, as in the fit) and the unseen rate at ``power``
    (Poisson, the power held: sum of unseen links over sum of persons x (seen per
    person)^power, the seen by that resample's map)."""
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    reps = inf.index.to_numpy()
    by_rep = {r: m[m.replicate == r] for r in reps}
    out = []
    for _ in range(resamples):
        pick = rng.choice(reps, size=reps.size, replace=True)
        mm = pd.concat([by_rep[r] for r in pick], ignore_index=True)
        x = np.log(np.clip(mm.p, 1e-6, 1 - 1e-6) / (1 - np.clip(mm.p, 1e-6, 1 - 1e-6)))
        ok = (mm["passable"].astype(bool).to_numpy() if "passable" in mm.columns
              else np.ones(len(mm), dtype=bool))
        keep = mm["mention"].astype(bool).eq(False).to_numpy() & ok
        try:
            res = sm.GLM(mm.match.astype(float).to_numpy()[keep],
                         np.c_[np.ones(int(keep.sum())), x[keep],
                               mm.single.astype(float).to_numpy()[keep]],
                         family=sm.families.Binomial()).fit()
        except Exception:  # noqa: BLE001 - a separated resample is skipped
            continue
        a0, a1, a2 = (float(v) for v in res.params)
        unseen = persons_term = 0.0
        for r in pick:
            g = by_rep[r]
            if "passable" in g.columns:
                g = g[g["passable"].astype(bool)]
            gx = np.log(np.clip(g.p, 1e-6, 1 - 1e-6) / (1 - np.clip(g.p, 1e-6, 1 - 1e-6)))
            seen = float((1 / (1 + np.exp(-(a0 + a1 * gx + a2 * g.single.astype(float)))))
                         .sum())
            persons = float(inf.loc[r, "persons"])
            unseen += float(inf.loc[r, "unseen merges"])
            persons_term += persons * (max(seen, 0.1) / persons) ** power
        out.append((a0, a1, a2, math.log(max(unseen, 0.5) / persons_term)))
    return np.cov(np.asarray(out).T)


def _mention_merge(features: pd.DataFrame | None, ids: np.ndarray, codes: np.ndarray,
                   cand: pd.DataFrame) -> np.ndarray:
    """Whether each proposed merge joins an unresolved mention (a record naming only a given
    name, alone in its person), which the draws take by :func:`dadkhah.register.
    linkage_draws.mention_merges` instead of by the kept-apart map."""
    if features is None or not {"given_key", "surname_key"} <= set(features.columns):
        return np.zeros(len(cand), dtype=bool)
    node = features.set_index("unique_id").reindex(ids)
    given_only = (node["surname_key"].isna() & node["given_key"].notna()).to_numpy()
    size = np.bincount(codes)
    lone = np.unique(codes[given_only & (size[codes] == 1)])
    return np.asarray(np.isin(cand["a"].to_numpy(), lone) | np.isin(cand["b"].to_numpy(), lone))


def predict_unseen(fit: dict[str, float], persons: float, seen: float) -> float:
    """Expected unseen links by ``fit`` (:func:`fit_unseen`)."""
    return float(fit["rate"] * persons * (max(seen, 0.0) / persons) ** fit["power"])


MAX_POWER = 2.0
"""Largest power of :func:`fit_unseen` (until session 12: 1, no more than proportional to
the seen; session 13, with the ``small`` registers in the fit, the free power is 1.3: the
``small`` registers show about a third of the unseen links per expected seen link that the
profiles show, and at power 1 their drawn registers held fewer persons than were named)."""


def fit_unseen(unseen: np.ndarray, persons: np.ndarray, seen: np.ndarray) -> dict[str, float]:
    """Poisson fit of log E[unseen] = log persons + a + b log(seen / persons), b kept in
    [0, :data:`MAX_POWER`] (never falling as the seen grow); the gamma spread (coefficient
    of variation) the draws use is the dispersion beyond Poisson."""
    import statsmodels.api as sm

    x = np.log(np.maximum(seen, 0.1) / persons)
    off = np.log(persons)

    def disp(mu: np.ndarray) -> float:
        return float(((unseen - mu) ** 2 / mu).sum() / max(len(mu) - 1, 1))

    res = sm.GLM(unseen, np.c_[np.ones_like(x), x], family=sm.families.Poisson(),
                 offset=off).fit()
    a, b = (float(v) for v in res.params)
    if not 0.0 <= b <= MAX_POWER:
        b = float(np.clip(b, 0.0, MAX_POWER))
        a = float(sm.GLM(unseen, np.ones((x.size, 1)), family=sm.families.Poisson(),
                         offset=off + b * x).fit().params[0])
    mu = np.exp(a + off + b * x)
    cv2 = float(np.mean(((unseen - mu) ** 2 - mu) / mu**2))
    fixed = unseen.sum() / persons.sum() * persons
    ratio = unseen.sum() / np.maximum(seen, 0.1).sum() * np.maximum(seen, 0.1)
    # the spread a NEW register's unseen links have about the rule's prediction: each
    # register predicted by the rule fitted without it (rate and power), so that the draws'
    # gamma spread carries how poorly the predictor transfers, not only its in-sample misfit
    loo = np.empty_like(mu)
    for i in range(mu.size):
        k = np.arange(mu.size) != i
        ai = float(sm.GLM(unseen[k], np.ones((int(k.sum()), 1)), family=sm.families.Poisson(),
                          offset=off[k] + b * x[k]).fit().params[0])
        loo[i] = math.exp(ai + off[i] + b * x[i])
    cv2_loo = float(np.mean(((unseen - loo) ** 2 - loo) / loo**2))
    return {"rate": math.exp(a), "power": b, "cv": math.sqrt(max(cv2, 0.0)),
            "cv_loo": math.sqrt(max(cv2_loo, 0.0)),
            "dispersion": disp(mu), "dispersion_fixed": disp(fixed),
            "dispersion_ratio": disp(ratio), "dispersion_loo": disp(loo)}


if __name__ == "__main__":
    main()
