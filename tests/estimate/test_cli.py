from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dadkhah.cli import app
from tests.estimate.conftest import MSE_DATA

runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["estimate", *args])


def test_loglinear_json_has_the_promised_fields() -> None:
    r = run("--histories", str(MSE_DATA / "kosovo.csv"), "--method", "loglinear",
            "--max-order", "3", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    for key in ("method", "observed", "total", "low", "high", "level", "settings"):
        assert key in out
    assert out["observed"] == 4400
    assert abs(out["total"] - 10356.5) < 0.5
    assert out["documented"]["count"] == 4400
    assert out["settings"]["max_order"] == 3


def test_text_output_shows_count_beside_estimate() -> None:
    r = run("--histories", str(MSE_DATA / "spina_bifida.csv"), "--method", "dga")
    assert r.exit_code == 0, r.output
    assert "Documented count (not an estimate)" in r.stdout
    assert "Estimated total" in r.stdout and "731" in r.stdout


def test_refusal_is_an_error_with_hint() -> None:
    r = run("--histories", str(MSE_DATA / "Artificial_3.csv"), "--method", "loglinear")
    assert r.exit_code == 1
    assert "shares no one" in r.output and "Hint:" in r.output


def test_chapman_on_four_lists_needs_lists_option() -> None:
    path = str(MSE_DATA / "kosovo.csv")
    assert run("--histories", path, "--method", "chapman").exit_code == 1
    r = run("--histories", path, "--method", "chapman", "--lists", "EXH,ABA", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["lists"] == ["EXH", "ABA"]


def test_lcmcr_seed_is_reproducible() -> None:
    args = ("--histories", str(MSE_DATA / "spina_bifida.csv"), "--method", "lcmcr",
            "--seed", "7", "--burnin", "1000", "--samples", "500", "--chains", "2", "--json")
    a, b = run(*args), run(*args)
    assert a.exit_code == 0, a.output
    ja, jb = json.loads(a.stdout), json.loads(b.stdout)
    assert ja["total"] == jb["total"] and ja["settings"]["seed"] == 7


def test_strata_by_column(tmp_path: Path) -> None:
    csv = tmp_path / "h.csv"
    csv.write_text("A,B,prison,count\n1,1,Evin,20\n1,0,Evin,30\n0,1,Evin,20\n"
                   "1,1,Gohardasht,10\n1,0,Gohardasht,40\n0,1,Gohardasht,30\n1,0,Shiraz,4\n")
    r = run("--histories", str(csv), "--method", "chapman", "--by", "prison", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["kind"] == "stratified_estimate"
    assert [s["stratum"] for s in out["sparse"]] == [[["prison", "Shiraz"]]]
    assert out["combined"]["observed"] == 150


def test_true_total_only_for_synthetic(tmp_path: Path) -> None:
    path = str(MSE_DATA / "spina_bifida.csv")
    assert run("--histories", path, "--method", "dga", "--true-total", "700").exit_code == 1
    r = run("--histories", path, "--method", "dga", "--synthetic", "--true-total", "700")
    assert r.exit_code == 0
    assert "SYNTHETIC" in r.stdout and "700" in r.stdout


def test_no_histories_explains_the_register_mode() -> None:
    r = run("--method", "loglinear")
    assert r.exit_code == 1
    assert "--case" in r.output


def test_closed_population_models_from_the_cli() -> None:
    r = run("--histories", str(MSE_DATA / "kosovo.csv"), "--method", "closed", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["diagnostics"]["model"] == "Mth chao"
    assert abs(out["total"] - 8591.2) < 1


def test_sensitivity_shows_the_alternatives_side_by_side() -> None:
    r = run("--histories", str(MSE_DATA / "spina_bifida.csv"), "--method", "loglinear",
            "--sensitivity", "--seed", "1", "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    fams = {row["family"] for row in out["sensitivity"]["rows"]}
    assert fams == {"lcmcr", "loglinear", "dga", "leave-one-out"}
    labels = [row["label"] for row in out["sensitivity"]["rows"]]
    assert "K=5, prior Gamma(0.25, 0.25)" in labels and "AIC" in labels
    assert sum(lab.startswith("without ") for lab in labels) == 3
    # given histories (no register to audit): the headline depends on the models only
    h = out["headline"]
    assert h["refused"] == (h["headline"] is None)
    assert h["low"] <= out["total"] <= h["high"]


def test_merge_lists_counts_copied_lists_as_one() -> None:
    """``--merge-lists ABA+OSCE``: the estimate runs on three lists, the merged one named by
    its parts, and the documented count is unchanged; a list the histories lack is a clear
    error naming the lists there are."""
    kosovo = str(MSE_DATA / "kosovo.csv")
    r = run("--histories", kosovo, "--method", "loglinear", "--merge-lists", "ABA+OSCE",
            "--json")
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["lists"] == ["EXH", "ABA+OSCE", "HRW"]
    assert out["observed"] == 4400 and out["documented"]["count"] == 4400
    plain = json.loads(run("--histories", kosovo, "--method", "loglinear", "--json").stdout)
    assert out["total"] != plain["total"]
    bad = run("--histories", kosovo, "--merge-lists", "ABA+NGO_X")
    assert bad.exit_code != 0
    assert "NGO_X" in bad.output and "EXH, ABA, OSCE, HRW" in bad.output
    lone = run("--histories", kosovo, "--merge-lists", "ABA")
    assert lone.exit_code != 0 and "fewer than two lists" in lone.output
