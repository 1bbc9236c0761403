"""Restricted evidence, testimonies and sources in the case file (issue 16): another user
does not find them (list, metadata, bytes, export, reveal, dossier); the users they are
restricted to do.  SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from dadkhah import casefile as cf
from dadkhah.access import Viewer
from dadkhah.errors import NotFound
from dadkhah.register import restrict
from dadkhah.store import Case
from dadkhah.users import add_user

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "editor")


def test_restricted_evidence_and_testimony(cf_case: Case, tmp_path: Path) -> None:
    for u in ("alice", "bob"):
        add_user(cf_case, u, "correct horse battery staple", role="editor", by="admin")
    f = tmp_path / "scan.txt"
    f.write_bytes(b"SYNTHETIC scan of an informant's note\n")
    ev = cf.add_evidence(cf_case, f, title="informant note", by="t", role="editor")
    other = tmp_path / "open.txt"
    other.write_bytes(b"SYNTHETIC open file\n")
    cf.add_evidence(cf_case, other, title="open file", source="ngo", by="t", role="editor")
    key = cf.TestimonyKey.generate()
    for p in ("w-secret", "w-open"):
        cf.add_testimony(cf_case, pseudonym=p, identity="SYNTHETIC person", key=key, by="t",
                         role="editor")
    secret = cf.get_testimony(cf_case, "w-secret", viewer=Viewer(sees_all=True))
    restrict(cf_case, "evidence", ev.id, users=["alice"], by="t", role="editor")
    restrict(cf_case, "testimony", secret.id, users=["alice"], by="t", role="editor")
    assert [e.title for e in cf.list_evidence(cf_case, viewer=BOB)] == ["open file"]
    assert [e.title for e in cf.list_evidence(cf_case, viewer=ALICE)] == ["informant note",
                                                                          "open file"]
    assert [t.pseudonym for t in cf.list_testimonies(cf_case, viewer=BOB)] == ["w-open"]
    for call in (lambda v: cf.get_evidence(cf_case, ev.id, viewer=v),
                 lambda v: cf.read_evidence(cf_case, ev.id, by="x", role="editor", viewer=v),
                 lambda v: cf.export_evidence(cf_case, ev.id, tmp_path / f"out-{v.username}",
                                              by="x", role="editor", viewer=v),
                 lambda v: cf.get_testimony(cf_case, "w-secret", viewer=v),
                 lambda v: cf.reveal_testimony(cf_case, "w-secret", key=key, by="x",
                                               role="editor", viewer=v)):
        with pytest.raises(NotFound):
            call(BOB)
        call(ALICE)
    # a whole source restricted: its evidence goes with it
    restrict(cf_case, "source", cf_case.resolve_source_id("ngo"), users=["alice"], by="t",
             role="editor")
    assert cf.list_evidence(cf_case, viewer=BOB) == []
    assert cf_case.verify_audit().ok


def test_dossier_leaves_out_a_restricted_source(example_case: Case) -> None:
    add_user(example_case, "alice", "correct horse battery staple", role="editor", by="a")
    actor = sorted({a.accused for a in cf.list_allegations(example_case)})[0]
    d = cf.dossier_data(example_case, actor, viewer=Viewer(sees_all=True))
    cited = sorted({c.source for a in d.allegations for c in a.sources})
    assert cited
    slug = cited[0]
    title = next(s.title for s in example_case.sources(Viewer(sees_all=True))
                 if s.slug == slug)
    assert _shows(title, cf.render_dossier(example_case, actor, viewer=ALICE))
    restrict(example_case, "source", example_case.resolve_source_id(slug), users=["alice"],
             by="t", role="editor")
    assert not _shows(title, cf.render_dossier(example_case, actor, viewer=BOB))
    assert _shows(title, cf.render_dossier(example_case, actor, viewer=ALICE))
    assert slug not in {c for c in (x.source for x in
                                     cf.dossier_data(example_case, actor, viewer=BOB)
                                     .sources)}


def _shows(title: str, html: str) -> bool:
    from html import escape

    return title in html or escape(title).replace("&#x27;", "&#39;") in html
