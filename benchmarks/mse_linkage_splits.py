"""Where the register's split persons come from, on the TUNING profiles without the hard
group (SYNTHETIC; session 11's diagnosis, ``benchmarks/mse_linkage_coverage.py`` docstring):

    PYTHONPATH=src .venv/bin/python benchmarks/mse_linkage_splits.py 0 17

Replicate r is ``mse_linkage_coverage.py --split tuning --ablate hard --persons 300``'s
replicate r (profile r % 20, seed r + 1).  Per replicate it prints the register's persons
against the truly named, its wrong merges (``over``), and every true link it split by kind:
``seen`` (a stored pair across the two persons), ``seen_mention`` (the same, one side an
unresolved mention), ``blocked_unstored`` (a blocking rule compares them, scored below the
stored floor), ``never_blocked``, ``unseen_mention``; the proposed merges (``cand``) and how
many are true, and what the draws expect of them.  Writes ``splits_<start>.csv`` and every
proposed merge with its truth to ``merges_<start>.csv`` (in the working directory).  Never
run it on the held-out profiles.
"""
# ruff: noqa: B007, B905, E401, E501, E701, E702, E741, B023, C401, C416, SIM108, PERF401, RUF005, RUF015
# mypy: ignore-errors
import sys
import time
from dataclasses import replace

import numpy as np
import pandas as pd

from dadkhah.linkage.blocking import admitted_by, mark_dense_blocks
from dadkhah.linkage.cluster import cluster_records
from dadkhah.linkage.features import compute_features
from dadkhah.linkage.settings import BLOCKING_KEYS
from dadkhah.register.build import linkage_input
from dadkhah.register.linkage_draws import _candidate_merges, _undecided_sides, mention_merges
from dadkhah.simulate import profiles, simulate
from dadkhah.testing import linked_simulation

rows = []; cand_rows = []
start, n = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (0, 17)
for r in range(start, start + n):
    t0 = time.time()
    prof = profiles(20, "tuning")[r % 20]
    cfg = replace(prof.config(300), hard_share=0.0)
    sim = simulate(cfg, seed=r + 1, scenario=f"profile-{prof.seed}")
    with linked_simulation(sim) as linked:
        unc, truth = linked.uncertainty, linked.truth
        feats = compute_features(linkage_input(linked.case).records)
    a = unc.assignment
    ids = np.sort(a.index.to_numpy().astype(np.int64))
    codes = pd.factorize(a.reindex(ids).to_numpy())[0].astype(np.int64)
    t = truth.reindex(ids).to_numpy()
    pr = unc.pairs
    lo = np.minimum(pr.unique_id_l, pr.unique_id_r).to_numpy().astype(np.int64)
    hi = np.maximum(pr.unique_id_l, pr.unique_id_r).to_numpy().astype(np.int64)
    p = np.clip(pr.match_probability.to_numpy(float), 1e-6, 1 - 1e-6)
    _, across = _undecided_sides(ids, codes, lo, hi, (), ())
    cand = _candidate_merges(ids, codes, lo, hi, p, across)
    # truth of a candidate merge: persons share a true person
    ptrue = pd.DataFrame({"c": codes, "t": t}).groupby("c").t.agg(lambda v: set(v))
    cand["true"] = [bool(ptrue[x] & ptrue[y]) for x, y in zip(cand.a, cand.b)]
    node = feats.set_index("unique_id").reindex(ids)
    given_only = (node["surname_key"].isna() & node["given_key"].notna()).to_numpy()
    size = np.bincount(codes)
    lone_mention = set(codes[given_only & (size[codes] == 1)].tolist())
    cand["mention"] = [x in lone_mention or y in lone_mention for x, y in zip(cand.a, cand.b)]
    cand["size_a"] = size[cand.a]; cand["size_b"] = size[cand.b]
    cand["rep"] = r; cand["profile"] = prof.seed
    cand_rows.append(cand)
    # needed merges: fragments of each true person
    fr = pd.DataFrame({"c": codes, "t": t}).drop_duplicates()
    frags = fr.groupby("t").c.apply(list)
    tc = set(map(tuple, cand[cand.true][["a", "b"]].to_numpy().tolist()))
    # blocking check
    fm = mark_dense_blocks(feats.set_index("unique_id"), BLOCKING_KEYS)
    rec_of = pd.Series(ids).groupby(codes).apply(list)
    kinds = {"seen": 0, "seen_mention": 0, "blocked_unstored": 0, "never_blocked": 0,
             "unseen_mention": 0}
    for tt, cs in frags.items():
        if len(cs) < 2:
            continue
        # union-find over fragments by true candidate merges
        par = {c: c for c in cs}
        def f(x):
            while par[x] != x: x = par[x]
            return x
        for i in cs:
            for j in cs:
                if i < j and (i, j) in tc:
                    par[f(i)] = f(j)
        comps = {}
        for c in cs: comps.setdefault(f(c), []).append(c)
        comps = list(comps.values())
        # seen merges: within comps
        for comp in comps:
            m = any(c in lone_mention for c in comp)
            kinds["seen_mention" if m else "seen"] += len(comp) - 1
        # unseen merges between comps: check blocking between first comp and others
        base = comps[0]
        for comp in comps[1:]:
            la = [x for c in base for x in rec_of[c]]; lb = [x for c in comp for x in rec_of[c]]
            pp = pd.DataFrame([(x, y) for x in la for y in lb], columns=["id_l", "id_r"])
            pp2 = pd.DataFrame({"id_l": pp.id_r, "id_r": pp.id_l})
            bl = any(admitted_by(fm, q, k).any() for k in BLOCKING_KEYS for q in (pp, pp2))
            m = any(c in lone_mention for c in comp + base)
            kinds["unseen_mention" if m else ("blocked_unstored" if bl else "never_blocked")] += 1
    over = int((pd.DataFrame({"c": codes, "t": t}).groupby("c").t.nunique() - 1).sum())
    ml = unc.missed_links()
    ment = mention_merges(ids, codes, node.reset_index(), lo, hi, p, unc.prior) if unc.prior else None
    cal = unc.calibration
    nonm = cand[~cand.mention]
    drawn = unc.draw(6, seed=r + 1, cluster=cluster_records)
    k = sorted(int(d.nunique()) for d in drawn)
    row = dict(rep=r, profile=prof.seed, named=int(len(set(t))), persons=int(size.size),
               over=over, **kinds, cand=len(cand), cand_true=int(cand.true.sum()),
               cand_true_nonm=int(nonm.true.sum()), exp_apart_nonm=float(cal.apart(nonm.evidence.to_numpy()).sum()),
               exp_mention=float(ment.q.sum()) if ment is not None else -1,
               mention_lone=len(lone_mention),
               ml_apart=ml.apart_links, ml_unseen=ml.unseen, drawn=f"{k[0]}-{k[-1]}", secs=round(time.time()-t0))
    rows.append(row)
    print(row, flush=True)
pd.DataFrame(rows).to_csv(f"splits_{start}.csv", index=False)
pd.concat(cand_rows).to_csv(f"merges_{start}.csv", index=False)
