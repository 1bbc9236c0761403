"""The demo's estimate stage over drawn registers, without the rest of the demo (SYNTHETIC).

    PYTHONPATH=src .venv/bin/python benchmarks/mse_demo_draws.py --case /tmp/demo-case

Simulates the demo's scenario (``small``, seed 1: 5,000 victims on five lists), imports and
links it as ``dadkhah demo`` does, answers an audit sample of 150 pairs from the SYNTHETIC
truth (the demo's stage 11), and prints the register's persons against the truly named, the
missed links the case shows (:meth:`dadkhah.register.LinkageUncertainty.missed_links`) and the
log-linear estimate pooled over drawn registers (the demo's 8): drawn persons and the centre's
move, before and after the audit answers, beside the register's true missed links (known only
because the data are SYNTHETIC).  ``--case`` keeps the linked case (before any audit) in that
folder and reuses a copy of it on the next run (linking the 6,600 records is the slow part).

Each is printed twice: with the log-linear model chosen on the register fitted to every drawn
register (the default since session 10, :func:`dadkhah.estimate.same_model`) and with the
model chosen again on each draw (the former way).  Session 10 (``--case /tmp/demo-case``):

    no audit answers: register's model [14,24,34] on every draw 4,462 [4,347, 4,586],
      centre -0.2%, 2% of the width from linkage; chosen again 4,890 [4,765, 5,024], +9.3%
    150 audit answers: register's model 4,479 [4,365, 4,601], +0.2%, 1%; chosen again
      4,882 [4,758, 5,014], +9.2%
    (fixed 4,472 [4,360, 4,593]; drawn registers 3,504-3,523 and 3,523-3,529 persons, 3,522
    in the register, 3,517 truly named): the +9% was BIC choosing [12,13,14,24,34] on
    registers a few persons apart, not linkage.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import warnings
from pathlib import Path


def _draws(case, label: str, named: int) -> None:  # type: ignore[no-untyped-def]
    from dadkhah.demo import DEMO_SEED, LINKAGE_DRAWS
    from dadkhah.estimate import make_estimator
    from dadkhah.linkage.cluster import cluster_records
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import copied_lists, linkage_uncertainty
    from dadkhah.register.linkage_draws import estimate_over_draws

    unc = linkage_uncertainty(case, features=compute_features)
    print(f"{label}: {unc.missed_links().summary()}", flush=True)
    fit = make_estimator("loglinear", seed=DEMO_SEED)
    copied = copied_lists(case)  # as the demo: a copying list counted with its source
    drawn = unc.drawn_histories(LINKAGE_DRAWS, seed=DEMO_SEED, cluster=cluster_records)
    for reselect in (False, True):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            prop = estimate_over_draws(unc, fit, n=LINKAGE_DRAWS, seed=DEMO_SEED, drawn=drawn,
                                       prepare=copied.apply, reselect=reselect)
        e, f, (lo, _, hi) = prop.estimate, prop.fixed, prop.persons
        how = ("model chosen again on each draw (the former way)" if reselect
               else f"the register's model {f.diagnostics.get('model')} on every draw")
        print(f"{label}, {how}: register {unc.assignment.nunique():,} persons ({named:,} "
              f"truly named); {prop.uncertain_pairs:,} uncertain pairs; drawn {lo:,} to {hi:,}; "
              f"loglinear fixed {f.total:,.0f} [{f.interval.low:,.0f}, "
              f"{f.interval.high:,.0f}], drawn {e.total:,.0f} [{e.interval.low:,.0f}, "
              f"{e.interval.high:,.0f}]; centre {prop.centre_shift:+.1%}; "
              f"{prop.linkage_share:.0%} of the width from linkage", flush=True)


def true_missed_links(case, lists: Path) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(missed links, those no stored pair across the fragments shows): merges needed to
    rejoin each true person's fragments in the register, from the SYNTHETIC truth."""
    import numpy as np
    import pandas as pd

    from dadkhah.register import linkage_uncertainty
    from dadkhah.testing import record_truth

    unc = linkage_uncertainty(case, calibrate=False)
    truth = record_truth(case, lists)
    a, pr = unc.assignment, unc.pairs
    lo = np.minimum(pr.unique_id_l, pr.unique_id_r).to_numpy()
    hi = np.maximum(pr.unique_id_l, pr.unique_id_r).to_numpy()
    true = truth.reindex(lo).to_numpy() == truth.reindex(hi).to_numpy()
    apart = a.reindex(lo).to_numpy() != a.reindex(hi).to_numpy()
    parent: dict[object, object] = {}

    def find(x: object) -> object:
        while parent.get(x, x) != x:
            x = parent[x]
        return x

    for x, y in zip(a.reindex(lo[true & apart]).tolist(), a.reindex(hi[true & apart]).tolist(),
                    strict=True):
        parent[find(x)] = find(y)
    frags = pd.DataFrame({"person": a.to_numpy(), "true": truth.reindex(a.index).to_numpy()}) \
        .groupby("true").person.unique()
    return (int(sum(len(f) - 1 for f in frags)),
            int(sum(len({find(p) for p in f}) - 1 for f in frags)))


def main() -> None:
    from dadkhah.demo import DEMO_SCENARIO, DEMO_SEED, LISTS_FOLDER
    from dadkhah.register import audit_answers, draw_audit_sample, record_decision
    from dadkhah.simulate import run_scenario
    from dadkhah.store import Case
    from dadkhah.testing import import_lists, record_truth

    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--case", type=Path, default=None,
                    help="keep the linked case here and reuse it when it exists")
    ap.add_argument("--audit", type=int, default=150)
    args = ap.parse_args()
    tmp = None
    if args.case is None:
        tmp = tempfile.TemporaryDirectory()
        args.case = Path(tmp.name)
    lists = args.case / LISTS_FOLDER
    sim, man = run_scenario(DEMO_SCENARIO, lists, seed=DEMO_SEED)
    named = sim.observed()
    if not (args.case / "linked").exists():
        from dadkhah.linkage import link_case

        case = Case.create(args.case / "linked", by="bench")
        import_lists(case, lists, man, by="bench")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            link_case(case, by="bench")
    shutil.rmtree(args.case / "work", ignore_errors=True)
    shutil.copytree(args.case / "linked", args.case / "work")
    case = Case.open(args.case / "work")
    split, unseen = true_missed_links(case, lists)
    print(f"SYNTHETIC {DEMO_SCENARIO} scenario, seed {DEMO_SEED}: {sim.true_total:,} victims, "
          f"{named:,} named; the register's true missed links: {split} ({unseen} no stored "
          "pair shows)", flush=True)
    _draws(case, "no audit answers", named)
    truth = record_truth(case, lists)
    draw_audit_sample(case, args.audit, by="bench", seed=1)
    for p in audit_answers(case):
        same = truth[p["record_l"]] == truth[p["record_r"]]
        record_decision(case, p["record_l"], p["record_r"], "match" if same else "no_match",
                        by="bench-reviewer", reason="audit sample, answered from the "
                                                   "SYNTHETIC truth")
    _draws(case, f"{args.audit} audit answers", named)
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
