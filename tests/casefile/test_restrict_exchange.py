"""Restricted records in the case-file exchange file (issue 16): ``dadkhah casefile export``
leaves out sources, evidence and testimonies restricted from whoever exports, with every
citation and link to them, unless an admin asks for everything; the audit entry says which.
SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dadkhah import casefile as cf
from dadkhah.access import Viewer
from dadkhah.errors import AccessDenied
from dadkhah.register import restrict
from dadkhah.store import Case
from dadkhah.users import add_user


def _setup(case: Case, tmp_path: Path) -> dict[str, str]:
    """Restrict to alice: one source the example cites, one evidence file, one testimony."""
    for u in ("alice", "bob"):
        add_user(case, u, "correct horse battery staple", role="editor", by="admin")
    everything = Viewer(sees_all=True)
    d = cf.dossier_data(case, sorted({a.accused for a in cf.list_allegations(case)})[0],
                        viewer=everything)
    slug = sorted({c.source for a in d.allegations for c in a.sources})[0]
    title = next(s.title for s in case.sources(everything) if s.slug == slug)
    f = tmp_path / "note.txt"
    f.write_bytes(b"SYNTHETIC informant note kept for alice\n")
    ev = cf.add_evidence(case, f, title="informant note SYNTHETIC", by="t", role="editor")
    key = cf.TestimonyKey.generate()
    cf.add_testimony(case, pseudonym="w-secret", identity="SYNTHETIC person", key=key, by="t",
                     role="editor")
    t = cf.get_testimony(case, "w-secret", viewer=everything)
    restrict(case, "source", case.resolve_source_id(slug), users=["alice"], by="t",
             role="editor")
    restrict(case, "evidence", ev.id, users=["alice"], by="t", role="editor")
    restrict(case, "testimony", t.id, users=["alice"], by="t", role="editor")
    return {"slug": slug, "title": title, "sha": ev.sha256}


def _doc(folder: Path) -> tuple[dict, str]:
    text = (folder / "casefile.json").read_text(encoding="utf-8")
    return json.loads(text), text


def _cited(doc: dict) -> set[str]:
    out = set()
    for section in ("actors", "roles", "burial_sites", "events", "allegations",
                    "testimonies"):
        for item in doc.get(section, ()):
            out |= {c["source"] for c in item.get("sources", ())}
            for f in item.get("figures", ()):
                out |= {c["source"] for c in f.get("sources", ())}
    return out


def test_casefile_export_leaves_out_what_the_exporter_may_not_see(example_case: Case,
                                                                   tmp_path: Path) -> None:
    s = _setup(example_case, tmp_path)
    cf.export_casefile(example_case, tmp_path / "bob", by="bob", role="editor",
                       viewer=Viewer("bob", "editor"))
    doc, text = _doc(tmp_path / "bob")
    assert s["slug"] not in {x["slug"] for x in doc["sources"]}
    assert s["slug"] not in _cited(doc) and s["title"] not in text
    assert s["sha"] not in text and "w-secret" not in text
    assert not list((tmp_path / "bob" / "evidence").rglob(s["sha"][2:]))
    assert s["sha"] not in json.loads((tmp_path / "bob" / "custody.json").read_text())
    # the file still imports on its own: no citation of a source it does not carry
    fresh = Case.create(tmp_path / "fresh", by="t")
    cf.import_casefile(fresh, tmp_path / "bob", by="t", role="editor")

    for who, folder in ((Viewer("alice", "editor"), "alice"),
                        (Viewer.everything("root", "admin"), "all")):
        cf.export_casefile(example_case, tmp_path / folder, by=folder, role="admin",
                           viewer=who)
        doc, text = _doc(tmp_path / folder)
        assert s["slug"] in _cited(doc) and s["title"] in text
        assert s["sha"] in text and "w-secret" in text

    entries = {e.actor: e.details if isinstance(e.details, dict) else json.loads(e.details)
               for e in example_case.audit_entries(action="casefile.export")}
    assert entries["bob"]["as_user"] == "bob" and not entries["bob"]["include_restricted"]
    left = entries["bob"]["restricted_left_out"]
    assert left["sources"] == 1 and left["evidence"] == 1 and left["testimonies"] == 1
    assert left["citations"] >= 1
    assert entries["all"]["include_restricted"] and not entries["all"]["restricted_left_out"]
    assert example_case.verify_audit().ok


def test_casefile_export_default_is_nobody(example_case: Case, tmp_path: Path) -> None:
    """A caller that does not say who exports gets no restricted data at all."""
    s = _setup(example_case, tmp_path)
    cf.export_casefile(example_case, tmp_path / "x", by="t", role="admin")
    _, text = _doc(tmp_path / "x")
    assert s["title"] not in text and s["sha"] not in text and "w-secret" not in text


def test_cli_casefile_export_include_restricted_needs_admin(example_case: Case,
                                                             tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    s = _setup(example_case, tmp_path)
    if not str(example_case.location).startswith("postgresql"):
        loc = str(example_case.location)
    else:
        pytest.skip("the CLI test opens the case by folder")

    def run(*args: str, user: str = "bob"):
        return CliRunner().invoke(app, ["--case", loc, "--user", user, "casefile", "export",
                                        *args])

    res = run(str(tmp_path / "b"), "--role", "editor")
    assert res.exit_code == 0, res.output
    assert s["title"] not in _doc(tmp_path / "b")[1]
    res = run(str(tmp_path / "e"), "--include-restricted", "--role", "editor")
    assert res.exit_code != 0 and not (tmp_path / "e").exists()
    assert "restricted" in res.output
    res = run(str(tmp_path / "a"), "--include-restricted", "--role", "admin", user="root")
    assert res.exit_code == 0, res.output
    assert s["title"] in _doc(tmp_path / "a")[1]
    with pytest.raises(AccessDenied):
        Viewer.everything("bob", "editor")
