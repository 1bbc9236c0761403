"""The command line starts without the heavy libraries, and refuses bad option values with
one usage error naming the allowed values (never a traceback)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from dadkhah.cli import _choices as ch
from dadkhah.cli import app

runner = CliRunner()

HEAVY = ("splink", "duckdb", "pandas", "numpy", "scipy", "statsmodels", "matplotlib",
         "fastapi", "starlette", "sqlalchemy", "numba", "pyarrow", "openpyxl", "jinja2")


def _plain(output: str) -> str:
    """The output with Rich's box drawn away and line wrapping undone."""
    return " ".join(output.replace("│", " ").split())


@pytest.mark.parametrize("args", [["--help"], ["names", "explain", "علی رضایی"],
                                  ["estimate", "--help"], ["user", "--help"]])
def test_light_commands_import_no_heavy_library(args: list[str]) -> None:
    code = textwrap.dedent(f"""
        import json, sys
        from typer.testing import CliRunner
        from dadkhah.cli import app
        res = CliRunner().invoke(app, {args!r})
        print(json.dumps([res.exit_code, sorted(sys.modules)]))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    code_, modules = json.loads(out.splitlines()[-1])
    assert code_ == 0
    loaded = sorted({m.split(".")[0] for m in modules} & set(HEAVY))
    assert loaded == [], f"dadkhah {' '.join(args)} imported {loaded}"


def test_choices_equal_the_library_lists() -> None:
    from dadkhah import access, casefile, estimate, users
    from dadkhah.linkage import DEFAULT_THRESHOLD
    from dadkhah.register import BOUNDARIES
    from dadkhah.register.review import DECISIONS
    from dadkhah.simulate.scenarios import SCENARIOS
    from dadkhah.store import RELIABILITY_GRADES, SOURCE_KINDS

    assert ch.ESTIMATE_METHODS == estimate.METHODS
    assert ch.SOURCE_KINDS == SOURCE_KINDS
    from dadkhah.store.tables import COPY_EXTENTS, RESTRICTABLE_KINDS

    assert ch.RESTRICTABLE_KINDS == RESTRICTABLE_KINDS
    assert ch.COPY_EXTENTS == COPY_EXTENTS
    assert ch.RELIABILITY_GRADES == RELIABILITY_GRADES
    assert ch.ROLES == access.ROLES
    assert ch.LANGUAGES == users.LANGUAGES
    assert ch.DECISIONS == DECISIONS
    assert ch.BOUNDARIES == BOUNDARIES
    assert set(ch.SCENARIOS) == set(SCENARIOS)
    assert ch.DEFAULT_THRESHOLD == DEFAULT_THRESHOLD
    for name in ("ACTOR_KINDS", "EVENT_TYPES", "MODES", "STATUSES", "FIGURE_TYPES",
                 "EVIDENCE_KINDS"):
        assert getattr(ch, name) == getattr(casefile, name), name


def test_choices_without_a_library_constant_match_what_the_library_accepts() -> None:
    from dadkhah.estimate import CaptureHistories
    from dadkhah.estimate.closed import ClosedPopulation
    from dadkhah.estimate.loglinear import LogLinear
    from dadkhah.names import explain

    h = CaptureHistories.from_csv("tests/data/mse/hare.csv")
    for criterion in ch.CRITERIA:
        assert LogLinear(criterion=criterion).fit(h).total > 0
        assert ClosedPopulation(criterion=criterion).fit(h).total > 0
    with pytest.raises(ValueError):
        LogLinear(criterion="xyz").fit(h)
    for kind in ch.EXPLAIN_KINDS:
        explain("علی", kind)
    with pytest.raises(ValueError):
        explain("علی", "person")


@pytest.mark.parametrize(("args", "allowed"), [
    (["estimate", "-H", "tests/data/mse/hare.csv", "--method", "foo"],
     "'foo' is not one of: chapman, lincoln-petersen, loglinear, closed, stepwise, lcmcr, dga"),
    (["estimate", "-H", "tests/data/mse/hare.csv", "--criterion", "xyz"],
     "'xyz' is not one of: aic, bic"),
    (["report", "--method", "lcmcr,foo"], "'foo' is not one of: chapman"),
    (["report", "--stratum-method", "bar"], "'bar' is not one of: chapman"),
    (["link", "--backend", "sqlite"], "'sqlite' is not one of: duckdb, spark"),
    (["export", "records", "--format", "xml"], "'xml' is not one of: csv, jsonl"),
    (["export", "register", "--format", "parquet"], "'parquet' is not one of: csv, xlsx, json"),
    (["user", "add", "sara", "--role", "boss"],
     "'boss' is not one of: admin, editor, reviewer, viewer"),
    (["user", "role", "sara", "boss"], "'boss' is not one of: admin"),
    (["user", "add", "sara", "--language", "de"], "'de' is not one of: en, fa"),
    (["source", "add", "x", "--title", "X", "--kind", "blog"], "'blog' is not one of: family_list"),
    (["event", "add", "x", "--title", "X", "--type", "picnic"],
     "'picnic' is not one of: mass_execution"),
    (["actor", "add", "x", "--kind", "robot"], "'robot' is not one of: person, institution"),
    (["review", "decide", "1", "2", "maybe"], "'maybe' is not one of: match, no_match, unsure"),
    (["simulate", "--scenario", "huge", "-o", "x"], "'huge' is not one of: small"),
    (["names", "explain", "x", "--as", "person"], "'person' is not one of: auto, name, date"),
    (["submissions", "list", "--status", "old"], "'old' is not one of: pending, accepted"),
    (["estimate", "-H", "tests/data/mse/hare.csv", "--level", "2"], "2.0 is not between 0 and 1"),
    (["report", "--level", "95"], "95.0 is not between 0 and 1"),
])
def test_bad_values_are_a_usage_error_naming_the_allowed_values(args, allowed) -> None:
    res = runner.invoke(app, ["--case", "/nonexistent/case", *args])
    text = _plain(res.output)
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "Invalid value" in text
    assert allowed in text


def test_values_are_folded_as_the_library_folds_them() -> None:
    from dadkhah.cli._choices import choice, fold_choice, fold_upper

    assert choice(ch.RELIABILITY_GRADES, fold=fold_upper)("b") == "B"
    assert choice(ch.EVENT_TYPES, fold=fold_choice)("Mass-Execution") == "mass_execution"
    assert choice(ch.ESTIMATE_METHODS, split=True)(["lcmcr, loglinear", "dga"]) == [
        "lcmcr", "loglinear", "dga"]
    assert choice(ch.ROLES)(None) is None


def _all_zero_row(tmp_path):  # the library refuses it with a ValueError
    path = tmp_path / "h.csv"
    path.write_text("A,B,count\n1,1,3\n0,0,4\n1,0,2\n", encoding="utf-8")
    return str(path)


def test_a_library_value_error_is_one_sentence_and_a_hint(tmp_path) -> None:
    res = runner.invoke(app, ["estimate", "-H", _all_zero_row(tmp_path)])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    assert "Error:" in res.output and "Hint:" in res.output


def test_debug_shows_the_traceback_of_a_library_value_error(tmp_path) -> None:
    res = runner.invoke(app, ["--debug", "estimate", "-H", _all_zero_row(tmp_path)])
    assert res.exit_code == 1 and isinstance(res.exception, ValueError)
