"""``stratified_over_draws``: the stratified total carries the linkage's uncertainty.

SYNTHETIC data with a known truth: two strata of 400 and 300 persons, two lists capturing
independently (0.5 and 0.4), so Chapman's estimate is valid per stratum.  "Drawn registers"
either all equal the true one (linkage certain) or each merges a different share of the
one-list persons into two-list persons (linkage uncertain, as drawn registers differ).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from dadkhah.cli import app
from dadkhah.estimate import CaptureHistories, LogLinear, estimate_by_stratum
from dadkhah.estimate.chapman import chapman
from dadkhah.linkage import link_case
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import LinkageUncertainty
from dadkhah.register.linkage_draws import drawn_strata, stratified_over_draws
from dadkhah.testing import simulated_case

TRUE = {"x": 400, "y": 300}


def _register(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for s, n in TRUE.items():
        a = rng.random(n) < 0.5
        b = rng.random(n) < 0.4
        seen = a | b
        rows.append(pd.DataFrame({"A": a[seen].astype(int), "B": b[seen].astype(int),
                                  "p": s}))
    return pd.concat(rows, ignore_index=True)


def _merged(f: pd.DataFrame, share: float, seed: int) -> pd.DataFrame:
    """``share`` of each stratum's A-only persons merged with as many B-only persons."""
    rng = np.random.default_rng(seed)
    out = []
    for _, g in f.groupby("p"):
        a_only = g.index[(g.A == 1) & (g.B == 0)].to_numpy()
        b_only = g.index[(g.A == 0) & (g.B == 1)].to_numpy()
        k = min(int(round(share * a_only.size)), b_only.size)
        ga, gb = rng.choice(a_only, k, replace=False), rng.choice(b_only, k, replace=False)
        g = g.copy()
        g.loc[ga, "B"] = 1
        out.append(g.drop(index=gb))
    return pd.concat(out, ignore_index=True)


def _one(f: pd.DataFrame):  # type: ignore[no-untyped-def]
    h = CaptureHistories.from_persons(f, lists=["A", "B"], by=["p"], synthetic=True)
    return estimate_by_stratum(h, chapman).combined


def _width(e) -> float:  # type: ignore[no-untyped-def]
    return float(e.interval.high - e.interval.low)


def test_certain_linkage_keeps_the_width_and_uncertain_linkage_widens_it() -> None:
    """Measured: widths 124 (one register) and 124 (six equal draws); six differing
    draws 332 against at most 124 for any one of them (2.7 times)."""
    f = _register(1)
    one = _one(f)
    certain = stratified_over_draws([f] * 6, ["A", "B"], ["p"], chapman,
                                    synthetic=True).combined
    assert certain is not None and one is not None
    assert abs(_width(certain) - _width(one)) < 0.02 * _width(one)
    assert certain.interval.low <= sum(TRUE.values()) <= certain.interval.high
    drawn = [_merged(f, share, seed=k) for k, share in enumerate(
        [0.0, 0.04, 0.08, 0.12, 0.16, 0.2])]
    uncertain = stratified_over_draws(drawn, ["A", "B"], ["p"], chapman,
                                      synthetic=True).combined
    assert uncertain is not None
    singles = [_one(d) for d in drawn]
    assert _width(uncertain) > 2.0 * max(_width(s) for s in singles if s is not None)


def test_the_pooled_estimate_says_it_carries_the_linkage_draws() -> None:
    # what the interval is pooled over, and that it no longer assumes the matching correct
    f = _register(2)
    res = stratified_over_draws([f, _merged(f, 0.1, seed=1)], ["A", "B"], ["p"], chapman,
                                imputations=2, synthetic=True)
    for e in (*res.strata, res.combined):
        assert e is not None
        # no stratum value is missing, so one completed copy per drawn register
        assert e.interval_kind.endswith("over 2 linkage draws x imputations")
        assert not any(a.startswith("Records were matched") for a in e.assumptions)
        assert any(a.startswith("The register is uncertain") for a in e.assumptions)
    # a plain multiple imputation keeps both
    plain = estimate_by_stratum(CaptureHistories.from_persons(
        f, lists=["A", "B"], by=["p"], synthetic=True), chapman)
    assert any(a.startswith("Records were matched") for a in plain.strata[0].assumptions)


def _hand_linkage(p: float):  # type: ignore[no-untyped-def]
    """1,500 persons (truth known), three lists, one record per capture; the register links
    each person's records correctly and the model gives every such link probability ``p``;
    each person's stratum (x or y, 5% unknown) is the register's."""
    rng = np.random.default_rng(3)
    lists = ("A", "B", "C")
    n = 1500
    on = rng.random((n, 3)) < np.array([0.35, 0.3, 0.25])
    rows, person = [], []
    for i in range(n):
        for j, name in enumerate(lists):
            if on[i, j]:
                rows.append((len(rows) + 1, name))
                person.append(i)
    records = pd.DataFrame(rows, columns=["unique_id", "source"])
    truth = pd.Series(person, index=records.unique_id)
    pairs = []
    for members in truth.groupby(truth.to_numpy()).groups.values():
        ids = sorted(int(x) for x in members)
        pairs += [(a, b, p) for k, a in enumerate(ids) for b in ids[k + 1:]]
    unc = LinkageUncertainty(records=records, assignment=truth, lists=lists, synthetic=True,
                             pairs=pd.DataFrame(pairs, columns=["unique_id_l", "unique_id_r",
                                                                "match_probability"]))
    stratum = np.where(rng.random(n) < 0.5, "x", "y").astype(object)
    stratum[rng.random(n) < 0.05] = "unknown"
    return unc, pd.DataFrame({"p": stratum}), n


def _by_stratum_over_draws(p: float):  # type: ignore[no-untyped-def]
    unc, frame, n = _hand_linkage(p)
    fixed = stratified_over_draws(drawn_strata(unc, frame, ["p"], [unc.assignment]),
                                  list(unc.lists), ["p"], LogLinear().fit, imputations=6,
                                  synthetic=True).combined
    frames = drawn_strata(unc, frame, ["p"], unc.draw(6, seed=1, cluster=cluster_records))
    drawn = stratified_over_draws(frames, list(unc.lists), ["p"], LogLinear().fit,
                                  synthetic=True).combined
    return fixed, drawn, n


def test_by_stratum_certain_linkage_does_not_widen() -> None:
    """Measured: widths 189.1 (register, 6 imputations) and 189.3 (6 draws, 1 imputation
    each); both cover the true 1,500."""
    fixed, drawn, n = _by_stratum_over_draws(1.0)
    assert _width(drawn) < 1.1 * _width(fixed)
    assert fixed.interval.low <= n <= fixed.interval.high
    assert drawn.interval.low <= n <= drawn.interval.high


def test_by_stratum_uncertain_linkage_widens() -> None:
    """Measured: widths 189 (register) and 10,482 (6 draws splitting persons)."""
    fixed, drawn, _ = _by_stratum_over_draws(0.5)
    assert _width(drawn) > 1.5 * _width(fixed)


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A simulated case (SYNTHETIC) linked by the real pipeline: the model is unsure of some
    pairs.  (About 15 s: the only test of dadkhah estimate --by on drawn registers.)"""
    sc = simulated_case(tmp_path_factory.mktemp("by") / "case", scenario="small",
                        persons=300, seed=5)
    link_case(sc.case, by="test")
    return sc


@pytest.mark.filterwarnings("ignore::dadkhah.errors.EstimationWarning")
def test_cli_estimate_by_propagates_linkage_unless_fixed(linked) -> None:  # type: ignore[no-untyped-def]
    """Measured: combined width 73.4 on 4 drawn registers against 69.0 fixed (the small
    scenario's linkage is nearly certain)."""
    loc = str(linked.case.location)
    args = ["--case", loc, "estimate", "--method", "loglinear", "--by", "sex",
            "--imputations", "4", "--json"]
    r = CliRunner().invoke(app, [*args, "--draws", "4"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert any("propagated" in n for n in out.get("cli_notes", []))
    f = CliRunner().invoke(app, [*args, "--linkage", "fixed"])
    assert f.exit_code == 0, f.output
    fixed = json.loads(f.stdout)
    assert not any("propagated" in n for n in fixed.get("cli_notes", []))

    def width(d) -> float:  # type: ignore[no-untyped-def]
        c = d["combined"]
        return float(c["high"] - c["low"])

    assert width(out) > width(fixed)


@pytest.mark.filterwarnings("ignore::dadkhah.errors.EstimationWarning")
def test_cli_estimate_by_says_the_imputation_footnote_in_the_users_language(
        linked, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """``estimate --by sex`` with missing sexes imputed: a Persian user reads the
    footnote on the imputations in Persian (Persian digits) under the English summary;
    a user of English gets the summary alone."""
    import re

    from dadkhah.users import add_user
    from dadkhah.web.i18n import catalog

    monkeypatch.delenv("DADKHAH_USER", raising=False)
    loc = str(linked.case.location)
    add_user(linked.case, "dorsa", "correct horse battery staple", role="viewer", by="t",
             language="fa")
    args = ["estimate", "--method", "loglinear", "--by", "sex", "--imputations", "3",
            "--linkage", "fixed"]
    fa = CliRunner().invoke(app, ["--case", loc, "--user", "dorsa", *args])
    en = CliRunner().invoke(app, ["--case", loc, *args])
    assert fa.exit_code == 0 and en.exit_code == 0, fa.output + en.output
    start = catalog("fa")["estimate_note.imputed"].split("{", 1)[0]
    said = [line for line in fa.stdout.splitlines() if line.startswith(start)]
    assert len(said) == 1 and not re.search(r"[0-9]", said[0].replace("sex", "")), fa.stdout
    assert "persons imputed (3 imputations" in en.stdout and start not in en.stdout
