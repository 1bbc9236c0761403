"""``dadkhah simulate`` on the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dadkhah.cli import app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_simulate_writes_a_scenario(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    res = run("simulate", "--scenario", "small", "--persons", "400", "--seed", "3",
              "--out", str(out), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["synthetic"] is True and data["true_total"] == 400 and data["seed"] == 3
    assert [x["id"] for x in data["lists"]] == ["families", "ngo_a", "ngo_b", "memoir", "press"]
    for x in data["lists"]:
        assert (out / x["file"]).exists()
    assert (out / data["files"]["truth"]).exists()
    # again into the same folder: replaced, identical
    before = (out / "SYNTHETIC-truth.csv").read_bytes()
    text = run("simulate", "--persons", "400", "--seed", "3", "--out", str(out))
    assert text.exit_code == 0 and "SYNTHETIC" in text.stdout and "400 persons" in text.stdout
    assert (out / "SYNTHETIC-truth.csv").read_bytes() == before


def test_unknown_scenario_and_foreign_folder_are_refused(tmp_path: Path) -> None:
    res = run("simulate", "--scenario", "huge", "--out", str(tmp_path / "x"))
    assert res.exit_code == 2  # a usage error: Click names the allowed scenarios
    assert "'huge' is not one of" in res.output and "small" in res.output
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "families.csv").write_text("name\n", encoding="utf-8")
    res = run("simulate", "--persons", "100", "--out", str(tmp_path / "real"))
    assert res.exit_code == 1 and "not simulator output" in res.output
    assert (tmp_path / "real" / "families.csv").read_text(encoding="utf-8") == "name\n"
    res = run("simulate", "--persons", "0", "--out", str(tmp_path / "y"))
    assert res.exit_code == 1 and "--persons" in res.output


def test_a_new_scenario_replaces_the_previous_files(tmp_path: Path) -> None:
    out = tmp_path / "sim"
    assert run("simulate", "--persons", "300", "--out", str(out)).exit_code == 0
    assert (out / "SYNTHETIC-families.csv").exists()
    res = run("simulate", "--scenario", "independent", "--persons", "300", "--out", str(out),
              "--json")
    assert res.exit_code == 0
    files = {p.name for p in out.iterdir()}
    assert "SYNTHETIC-families.csv" not in files
    assert {"SYNTHETIC-list_a.csv", "SYNTHETIC-list_b.csv"} <= files


def test_config_file_and_manifest_reproduce_a_simulation(tmp_path: Path) -> None:
    toml = tmp_path / "c.toml"
    toml.write_text('persons = 350\nhard_share = 0.0\n\n[[lists]]\nid = "one"\n'
                    'title = "One (SYNTHETIC)"\nkind = "press"\ncapture = [0.4, 0.4]\n'
                    'script = "latin"\nheader_language = "en"\n'
                    'errors = { typo = 0.2, duplicate = 0.1 }\n', encoding="utf-8")
    res = run("simulate", "--config", str(toml), "--seed", "8", "--out", str(tmp_path / "a"),
              "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["true_total"] == 350 and [x["id"] for x in data["lists"]] == ["one"]
    manifest = tmp_path / "a" / "SYNTHETIC-manifest.json"
    res = run("simulate", "--config", str(manifest), "--seed", "8", "--out", str(tmp_path / "b"))
    assert res.exit_code == 0, res.output
    for name in ("SYNTHETIC-one.csv", "SYNTHETIC-truth.csv", "SYNTHETIC-persons.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    bad = tmp_path / "bad.toml"
    bad.write_text("persons = \n", encoding="utf-8")
    res = run("simulate", "--config", str(bad), "--out", str(tmp_path / "c"))
    assert res.exit_code == 1 and "bad.toml" in res.output
    res = run("simulate", "--config", str(tmp_path / "none.toml"), "--out", str(tmp_path / "c"))
    assert res.exit_code == 1 and "does not exist" in res.output
