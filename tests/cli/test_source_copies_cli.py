"""``dadkhah source add --copies`` and ``dadkhah source edit``: a source says which source it
copies; the statement shows in ``source show`` and can be withdrawn (SYNTHETIC sources)."""

import json

import typer
from typer.testing import CliRunner

from dadkhah.cli import app

runner = CliRunner()


def run(*args: str, ok: bool = True):  # type: ignore[no-untyped-def]
    res = runner.invoke(app, list(args))
    if ok:
        assert res.exit_code == 0, res.output
    return res


def test_copies_added_edited_shown_and_withdrawn(tmp_path) -> None:  # type: ignore[no-untyped-def]
    c = str(tmp_path / "case")
    run("--case", c, "init")
    run("-C", c, "source", "add", "ngo_a", "--title", "SYNTHETIC A", "--kind", "ngo_list")
    out = run("-C", c, "source", "add", "ngo_b", "--title", "SYNTHETIC B", "--kind", "ngo_list",
              "--copies", "ngo_a").stdout
    assert "it copies part of ngo_a" in out
    run("-C", c, "source", "edit", "ngo_b", "--copies", "ngo_a", "--extent", "whole",
        "--note", "its preface says so")
    shown = json.loads(run("-C", c, "source", "show", "ngo_b", "--json").stdout)
    assert [(x["source"], x["copied"], x["extent"]) for x in shown["copies"]] == [
        ("ngo_b", "ngo_a", "whole")]
    assert "ngo_b copies all of ngo_a (its preface says so)" in run(
        "-C", c, "source", "show", "ngo_a").stdout
    bad = run("-C", c, "source", "edit", "ngo_b", "--copies", "ngo_a", "--extent", "most",
              ok=False)
    assert bad.exit_code != 0 and "whole" in bad.output
    assert run("-C", c, "source", "edit", "ngo_b", ok=False).exit_code == 1
    run("-C", c, "source", "edit", "ngo_b", "--no-copies", "all")
    shown = json.loads(run("-C", c, "source", "show", "ngo_b", "--json").stdout)
    assert shown["copies"] == []


def test_add_and_edit_declare_copies_alike(tmp_path) -> None:  # type: ignore[no-untyped-def]
    group = typer.main.get_command(app).commands["source"]  # type: ignore[attr-defined]

    def option(command: str, name: str):  # type: ignore[no-untyped-def]
        return next(p for p in group.commands[command].params if p.name == name)

    for name in ("copies", "extent"):
        add, edit = option("add", name), option("edit", name)
        assert (add.opts, add.metavar, add.help, add.default) == (
            edit.opts, edit.metavar, edit.help, edit.default)
    c = str(tmp_path / "case")
    run("--case", c, "init")
    run("-C", c, "source", "add", "ngo_a", "--title", "SYNTHETIC A", "--kind", "ngo_list")
    bad = run("-C", c, "source", "add", "ngo_b", "--title", "SYNTHETIC B", "--kind",
              "ngo_list", "--copies", "ngo_a", "--extent", "most", ok=False)
    assert bad.exit_code != 0 and "whole" in bad.output
    out = run("-C", c, "source", "add", "ngo_b", "--title", "SYNTHETIC B", "--kind",
              "ngo_list", "--copies", "ngo_a", "--extent", "whole").stdout
    assert "it copies all of ngo_a" in out
