"""Registers drawn from a linked case's stored pairs respect every reviewer decision
(SYNTHETIC data: a simulated case linked by the real pipeline, splink on DuckDB)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dadkhah.linkage import link_case
from dadkhah.linkage.cluster import cluster_records
from dadkhah.register import linkage_uncertainty, record_decision
from dadkhah.testing import simulated_case


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp: Path = tmp_path_factory.mktemp("draws")
    sc = simulated_case(tmp / "case", scenario="small", persons=300, seed=5)
    link_case(sc.case, by="test")
    return sc


def test_decisions_bind_every_drawn_register(linked) -> None:  # type: ignore[no-untyped-def]
    case = linked.case
    unc = linkage_uncertainty(case)
    assert unc.uncertain_pairs > 0  # the model was unsure of some pairs
    # a must-link between two persons the register keeps apart, and a cannot-link inside
    # a person it formed; the decisions are read as they stand, without relinking
    persons = unc.assignment.groupby(unc.assignment.to_numpy()).groups
    multi = [sorted(int(x) for x in v) for v in persons.values() if len(v) >= 2]
    singles = [int(v[0]) for v in persons.values() if len(v) == 1]
    a, b = multi[0][0], multi[0][1]
    c, d = singles[0], singles[1]
    # a stored uncertain pair across two persons, so a draw could link it: cannot-link it
    p = unc.pairs
    cross = p[unc.assignment.reindex(p.unique_id_l).to_numpy()
              != unc.assignment.reindex(p.unique_id_r).to_numpy()]
    e, f = int(cross.unique_id_l.iloc[0]), int(cross.unique_id_r.iloc[0])
    record_decision(case, a, b, "no_match", by="test")
    record_decision(case, c, d, "match", by="test")
    record_decision(case, e, f, "no_match", by="test")
    unc = linkage_uncertainty(case)
    assert (min(c, d), max(c, d)) in unc.must_link
    draws = unc.draw(30, seed=2, cluster=cluster_records)
    for reg in draws:
        assert reg[c] == reg[d]
        assert reg[a] != reg[b]
        assert reg[e] != reg[f]
        for x, y in unc.cannot_link:
            assert reg[x] != reg[y]
        for x, y in unc.must_link:
            assert reg[x] == reg[y]
    # the draws differ: the linkage's uncertainty is really sampled
    assert len({r.nunique() for r in draws}) > 1


def test_drawn_histories_keep_the_lists_and_count_persons(linked) -> None:  # type: ignore[no-untyped-def]
    unc = linkage_uncertainty(linked.case)
    h = unc.histories()
    assert h.lists == unc.lists and h.synthetic
    assert h.observed == unc.assignment.nunique()
    reg = unc.draw(1, seed=3, cluster=cluster_records)[0]
    assert unc.histories(reg).observed == reg.nunique()


def test_cli_estimate_propagates_by_default_and_refuses_headline_without_audit(linked) -> None:  # type: ignore[no-untyped-def]
    import json

    from typer.testing import CliRunner

    from dadkhah.cli import app

    loc = str(linked.case.location)
    r = CliRunner().invoke(app, ["--case", loc, "estimate", "--method", "loglinear",
                                 "--draws", "4", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["linkage"]["draws"] == 4
    assert out["fixed"]["method"] == "loglinear"
    assert out["headline"]["headline"] is None  # no audit sample: no single number
    assert any("audit" in why for why in out["headline"]["reasons"])
    fixed = CliRunner().invoke(app, ["--case", loc, "estimate", "--method", "loglinear",
                                     "--linkage", "fixed", "--json"])
    assert fixed.exit_code == 0, fixed.output
    f = json.loads(fixed.stdout)
    assert "linkage" not in f
    assert f["total"] == out["fixed"]["total"]  # fixed = today's behaviour
    text = CliRunner().invoke(app, ["--case", loc, "estimate", "--method", "loglinear",
                                    "--draws", "2"])
    assert text.exit_code == 0, text.output
    assert "NO SINGLE ESTIMATE" in text.stdout
    assert "register taken as certain" in text.stdout


def test_stored_estimates_keep_both_intervals(linked) -> None:  # type: ignore[no-untyped-def]
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import compute_estimates

    rows = compute_estimates(linked.case, methods=("loglinear",), by="test", seed=2,
                             linkage_draws=3, cluster=cluster_records,
                             features=compute_features)
    row = next(r for r in rows if r.method == "loglinear")
    assert row.estimate is not None
    d = row.estimate.diagnostics
    assert d["fixed_low"] <= d["fixed_total"] <= d["fixed_high"]
    assert 0.0 <= d["linkage_share"] <= 1.0
    assert d["linkage draws"] == 3
    assert (row.low, row.high) == (row.estimate.interval.low, row.estimate.interval.high)
