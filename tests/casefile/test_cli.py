"""The case-file commands through Typer's runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dadkhah.cli import app

runner = CliRunner()


def run(*args: str, ok: bool = True, env: dict | None = None):
    res = runner.invoke(app, list(args), env=env)
    if ok:
        assert res.exit_code == 0, res.output
    return res


@pytest.fixture
def loc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for var in ("DADKHAH_EVIDENCE_DIR", "DADKHAH_KEY", "DADKHAH_KEY_FILE", "DADKHAH_ROLE"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    run("-C", loc, "init")
    return loc


def test_example_dossier_and_export_import(loc: str, tmp_path: Path) -> None:
    rep = json.loads(run("-C", loc, "casefile", "example", "--json").stdout)
    assert rep["counts"]["allegations"] > 5
    actors = json.loads(run("-C", loc, "actor", "list", "--json").stdout)
    assert "raisi" in {a["slug"] for a in actors}
    shown = json.loads(run("-C", loc, "actor", "show", "ابراهیم رئیسی", "--json").stdout)
    assert shown["slug"] == "raisi" and shown["allegations"]
    out = tmp_path / "raisi.html"
    d = json.loads(run("-C", loc, "dossier", "raisi", "-o", str(out), "--json").stdout)
    assert d["path"] == str(out) and out.read_text(encoding="utf-8").count(
        "data-allegation-id") == d["allegations"] == len(shown["allegations"])
    res = run("-C", loc, "event", "show", "massacre-1988")
    assert "30,000" in res.stdout and "over 1,200" in res.stdout
    run("-C", loc, "casefile", "export", str(tmp_path / "exp"))
    loc2 = str(tmp_path / "case2")
    run("-C", loc2, "init")
    assert "Imported" in run("-C", loc2, "casefile", "import", str(tmp_path / "exp")).stdout
    assert "Audit chain intact" in run("-C", loc2, "audit", "verify").stdout


def test_evidence_commands(loc: str, tmp_path: Path) -> None:
    f = tmp_path / "doc.txt"
    f.write_text("a document (SYNTHETIC)\n", encoding="utf-8")
    item = json.loads(run("-C", loc, "evidence", "add", str(f), "--acquired-by", "me",
                          "--json").stdout)
    again = json.loads(run("-C", loc, "evidence", "add", str(f), "--json").stdout)
    assert again["sha256"] == item["sha256"] and again["id"] == item["id"]
    assert "intact" in run("-C", loc, "evidence", "verify").stdout
    res = run("-C", loc, "--user", "v", "evidence", "export", item["sha256"][:12], "--to",
              str(tmp_path / "o"), "--role", "viewer", ok=False)
    assert res.exit_code == 1 and "may not evidence export" in res.output
    run("-C", loc, "evidence", "export", str(item["id"]), "--to", str(tmp_path / "o"),
        "--recipient", "court")
    shown = json.loads(run("-C", loc, "evidence", "show", str(item["id"]), "--json").stdout)
    assert [c["action"] for c in shown["custody"]] == [
        "evidence.acquire", "evidence.acquire", "evidence.verify", "evidence.export"]
    blob = Path(loc) / "evidence" / "sha256" / item["sha256"][:2] / item["sha256"][2:]
    blob.chmod(0o644)
    blob.write_text("changed", encoding="utf-8")
    res = run("-C", loc, "evidence", "verify", ok=False)
    assert res.exit_code == 2 and "CHANGED" in res.stdout


def test_testimony_commands(loc: str, tmp_path: Path) -> None:
    key = tmp_path / "k1"
    run("testimony", "keygen", str(key))
    run("-C", loc, "testimony", "add", "w1", "--identity", "Name Of Witness (SYNTHETIC)",
        "--contact", "nowhere", "--key-file", str(key))
    listed = run("-C", loc, "testimony", "list").stdout
    assert "w1" in listed and "Name Of Witness" not in listed
    shown = run("-C", loc, "testimony", "show", "w1", "--reveal", "--key-file", str(key))
    assert "Name Of Witness (SYNTHETIC)" in shown.stdout
    res = run("-C", loc, "testimony", "show", "w1", "--reveal", "--role", "viewer",
              "--key-file", str(key), ok=False)
    assert res.exit_code == 1 and "may not protected read" in res.output
    key2 = tmp_path / "k2"
    run("testimony", "keygen", str(key2))
    run("-C", loc, "testimony", "rekey", "--key-file", str(key), "--new-key-file", str(key2))
    res = run("-C", loc, "testimony", "show", "w1", "--reveal", ok=False,
              env={"DADKHAH_KEY_FILE": str(key)})
    assert res.exit_code == 1 and "Wrong testimony key" in res.output
    ok = run("-C", loc, "testimony", "show", "w1", "--reveal", "--json",
             env={"DADKHAH_KEY_FILE": str(key2)})
    assert json.loads(ok.stdout)["protected"]["contact"] == "nowhere"


def test_manual_entry_and_errors(loc: str) -> None:
    run("-C", loc, "source", "add", "rep", "--title", "Report (SYNTHETIC)", "--kind",
        "ngo_report", "-r", "B", "--synthetic")
    run("-C", loc, "actor", "add", "x", "--name-en", "X (SYNTHETIC)", "--name-fa", "ایکس")
    run("-C", loc, "actor", "role", "x", "--position", "Judge", "--from", "1367", "-s", "rep:2")
    run("-C", loc, "event", "add", "ev", "--type", "decree", "--title", "Decree (SYNTHETIC)",
        "--date", "late July 1988", "-s", "rep:2")
    run("-C", loc, "event", "figure", "ev", "--type", "claim", "--value", "many", "-s", "rep")
    a = json.loads(run("-C", loc, "allegation", "add", "--actor", "x", "--event", "ev",
                       "--mode", "ordered", "--text", "ordered it", "-s", "rep:3",
                       "--json").stdout)
    assert a["sources"][0]["credibility"] == "3"
    res = run("-C", loc, "event", "add", "ev2", "--type", "decree", "--title", "t", "--date",
              "someday", ok=False)
    assert res.exit_code == 1 and "Cannot read the event date" in res.output
    assert "Traceback" not in res.output
    listed = run("-C", loc, "allegation", "list").stdout
    assert "According to Report (SYNTHETIC): ordered it" in listed
