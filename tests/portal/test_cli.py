"""The portal commands through Typer's runner: --json output, roles, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from dadkhah import portal
from dadkhah.cli import app
from tests.portal.test_articles import BODY

runner = CliRunner()


def run(*args: str, ok: bool = True):
    res = runner.invoke(app, [str(a) for a in args])
    if ok:
        assert res.exit_code == 0, res.output
    return res


def test_publish_unpublish(linked) -> None:
    loc = linked.location
    out = json.loads(run("-C", loc, "publish", "1", "2", "--json").stdout)
    assert out["changed"] == [1, 2]
    assert [e.person_id for e in portal.memorial_entries(linked)[0]] == [1, 2]
    out = json.loads(run("-C", loc, "publish", "--all-synthetic", "--json").stdout)
    assert len(out["changed"]) + 2 == len(portal.synthetic_person_ids(linked))
    out = json.loads(run("-C", loc, "unpublish", "2", "--json").stdout)
    assert out["changed"] == [2] and not portal.is_public(linked, 2)
    res = run("-C", loc, "--user", "v", "publish", "3", "--role", "viewer", ok=False)
    assert res.exit_code == 1 and "may not publish" in res.stderr and "Traceback" not in \
        res.output
    res = run("-C", loc, "publish", ok=False)
    assert res.exit_code == 1 and "No persons given" in res.stderr


def test_submissions_accept_reject_and_contact(case, tmp_path: Path) -> None:
    loc = case.location
    a = portal.submit(case, portal.validate_submission(
        {"full_name": "Cli Name", "relation": "son", "contact": "cli@example.org"}))
    b = portal.submit(case, portal.validate_submission({"full_name": "Other",
                                                        "relation": "friend"}))
    listed = json.loads(run("-C", loc, "submissions", "list", "--json").stdout)
    assert [s["id"] for s in listed] == [a.id, b.id]
    assert "cli@example.org" not in json.dumps(listed)
    res = run("-C", loc, "submissions", "show", a.id, "--contact", "--role", "reviewer",
              ok=False)
    assert res.exit_code == 1 and "protected read" in res.stderr
    shown = json.loads(run("-C", loc, "submissions", "show", a.id, "--contact", "--json").stdout)
    assert shown["contact"] == "cli@example.org"
    acc = json.loads(run("-C", loc, "--user", "mod", "submissions", "accept", a.id,
                         "--role", "reviewer", "--json").stdout)
    assert acc["submission"]["status"] == "accepted" and acc["record_id"]
    res = run("-C", loc, "submissions", "reject", b.id, "--reason", "", ok=False)
    assert res.exit_code == 1 and "needs a reason" in res.stderr
    run("-C", loc, "submissions", "reject", b.id, "--reason", "duplicate")
    done = json.loads(run("-C", loc, "submissions", "list", "--status", "all", "--json").stdout)
    assert [s["status"] for s in done] == ["accepted", "rejected"]


def test_article_add_list_publish(case, tmp_path: Path) -> None:
    loc = case.location
    f = tmp_path / "a.md"
    f.write_text(BODY, encoding="utf-8")
    run("-C", loc, "article", "add", "brief", "--file", f, "--title", "In brief")
    assert json.loads(run("-C", loc, "article", "list", "--json").stdout) == []
    run("-C", loc, "article", "publish", "brief")
    listed = json.loads(run("-C", loc, "article", "list", "--json").stdout)
    assert [a["slug"] for a in listed] == ["brief"] and len(listed[0]["footnotes"]) == 2
    f.write_text("Text.[^x]\n", encoding="utf-8")
    res = run("-C", loc, "article", "add", "bad", "--file", f, "--title", "Bad", ok=False)
    assert res.exit_code == 1 and "Line 1: reference [^x] has no note" in res.stderr
