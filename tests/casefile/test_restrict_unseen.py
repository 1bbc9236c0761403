"""Actors, roles and events resting only on a source kept from the reader (restricted
records, issue 16): "what rests only on restricted material does not exist for that
reader".  A role or an event cited only from kept sources is not there for them; an actor
or an event another claim they may see names stays.  Every reader agrees: lists, single
items (answered as missing ones), references from other items, the dossier, the report's
case-file section and the exchange file, with counts to match.  SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from dadkhah import casefile as cf
from dadkhah.access import NOBODY, Viewer
from dadkhah.errors import NotFound
from dadkhah.store import Case
from tests.casefile.unseen_case import GHOSTS, Planted, add_team, example_folder, plant

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "editor")
EVERYTHING = Viewer(sees_all=True)


@pytest.fixture
def planted(example_case: Case) -> Planted:
    add_team(example_case)
    return plant(example_case, "alice")


def _same_answer(call, hidden: str, missing: str) -> None:
    """``call(hidden)`` is refused with the very words ``call(missing)`` gets."""
    with pytest.raises(NotFound) as a:
        call(hidden)
    with pytest.raises(NotFound) as b:
        call(missing)
    assert (a.value.message.replace(hidden, "X"), a.value.hint) \
        == (b.value.message.replace(missing, "X"), b.value.hint)


def _document(case: Case, viewer: Viewer | None) -> tuple[dict, dict[str, int]]:
    from dadkhah.casefile.exchange import casefile_document

    left: dict[str, int] = {}
    with case.read() as conn:
        return casefile_document(conn, viewer, left), left


def test_what_rests_only_on_a_kept_source_is_not_there(example_case: Case,
                                                       planted: Planted) -> None:
    from dadkhah.report.data import _casefile

    case, p = example_case, planted
    for who in (ALICE, EVERYTHING):
        actors = {a.slug: a for a in cf.list_actors(case, viewer=who)}
        assert {"ghost-actor", "known-actor"} <= set(actors)
        assert p.hidden_role in {r.id for r in actors[p.holder].roles}
        assert cf.get_event(case, "child-event", viewer=who).part_of == "ghost-event"
        assert "ghost-event" in {e.slug for e in cf.list_events(case, viewer=who)}
        doc, left = _document(case, who)
        assert all(g in json.dumps(doc, ensure_ascii=False) for g in GHOSTS)
    for who in (BOB, NOBODY, None):
        actors = {a.slug: a for a in cf.list_actors(case, viewer=who)}
        assert "ghost-actor" not in actors
        # known through a role cited from a source the reader may see
        assert [r.id for r in actors["known-actor"].roles] == [p.known_role]
        assert p.hidden_role not in {r.id for r in actors[p.holder].roles}
        assert actors[p.holder].roles == cf.get_actor(case, p.holder, viewer=who).roles
        assert not cf.list_actors(case, "Ghost Actor", viewer=who)
        _same_answer(lambda ref, who=who: cf.get_actor(case, ref, viewer=who), "ghost-actor",
                     "nobody-x")
        _same_answer(lambda ref, who=who: cf.get_actor(case, ref, viewer=who),
                     "Ghost Actor (SYNTHETIC)", "Nobody X (SYNTHETIC)")
        _same_answer(lambda ref, who=who: cf.list_allegations(case, accused=ref, viewer=who),
                     "ghost-actor", "nobody-x")
        for role_id in (p.hidden_role, p.ghost_role):
            _same_answer(lambda ref, who=who: cf.get_role(case, ref, viewer=who), str(role_id),
                         "99999")

        events = {e.slug: e for e in cf.list_events(case, viewer=who)}
        assert "ghost-event" not in events and "known-event" in events
        assert events["child-event"].part_of is None
        assert cf.get_event(case, "child-event", viewer=who).part_of is None
        _same_answer(lambda ref, who=who: cf.get_event(case, ref, viewer=who), "ghost-event",
                     "no-event")
        _same_answer(lambda ref, who=who: cf.list_figures(case, ref, viewer=who), "ghost-event",
                     "no-event")
        _same_answer(lambda ref, who=who: cf.list_allegations(case, event=ref, viewer=who),
                     "ghost-event", "no-event")
        assert all("ghost-event" not in b.events for b in cf.list_burial_sites(case, viewer=who))
        if p.site:
            assert "ghost-event" not in cf.get_burial_site(case, p.site, viewer=who).events

        summary = _casefile(case, who)
        assert summary is not None
        assert "ghost-actor" not in {a.slug for a in summary.actors}
        assert "ghost-event" not in {e.slug for e in summary.events}
        d = cf.dossier_data(case, p.holder, viewer=who)
        assert p.hidden_role not in {r.id for r in d.actor.roles}

        doc, left = _document(case, who)
        text = json.dumps(doc, ensure_ascii=False)
        assert not any(g in text for g in GHOSTS)
        assert (left["actors"], left["roles"], left["events"]) == (1, 2, 1)
        # what the file keeps refers only to what it holds (so that it imports)
        slugs = {a["slug"] for a in doc["actors"]}
        events_in = {e["slug"] for e in doc["events"]}
        assert {r["holder"] for r in doc["roles"]} <= slugs
        assert {r["institution"] for r in doc["roles"]} - {None} <= slugs
        assert {a["accused"] for a in doc["allegations"]} <= slugs
        assert {a["event"] for a in doc["allegations"]} <= events_in
        assert {e["part_of"] for e in doc["events"]} - {None} <= events_in


def test_nobody_writes_onto_what_is_not_there_for_them(example_case: Case, planted: Planted,
                                                       tmp_path) -> None:
    """A writer naming an actor, an event, a role or a claim that does not exist for them
    gets the answer a missing one gets, and nothing is written."""
    case = example_case
    note = tmp_path / "note.txt"
    note.write_text("a note (SYNTHETIC)\n", encoding="utf-8")
    item = cf.add_evidence(case, note, title="SYNTHETIC note", by="bob", viewer=BOB)
    key = cf.TestimonyKey.generate()
    kinds = {"actor": ("ghost-actor", "nobody-x"), "event": ("ghost-event", "no-event"),
             "role": (str(planted.ghost_role), "99999")}
    before = _document(case, EVERYTHING)[0]
    for kind, (hidden, missing) in kinds.items():
        _same_answer(lambda ref, k=kind: cf.add_citation(case, k, ref, "ngo:2", by="bob",
                                                           viewer=BOB), hidden, missing)
    _same_answer(lambda ref: cf.add_role(case, holder=ref, position="SYNTHETIC", by="bob",
                                         viewer=BOB), "ghost-actor", "nobody-x")
    _same_answer(lambda ref: cf.add_allegation(case, accused=ref, event="known-event",
                                               mode="ordered", text="SYNTHETIC",
                                               sources=["ngo:2"], by="bob", viewer=BOB),
                 "ghost-actor", "nobody-x")
    _same_answer(lambda ref: cf.add_figure(case, ref, quantity="killed", figure_type="claim",
                                           value_text="1",
                                           sources=["ngo:2"], by="bob", viewer=BOB),
                 "ghost-event", "no-event")
    _same_answer(lambda ref: cf.add_event(case, slug="synthetic-x", event_type="other",
                                          title="SYNTHETIC", part_of=ref, by="bob",
                                          viewer=BOB), "ghost-event", "no-event")
    _same_answer(lambda ref: cf.link_victim(case, ref, record_id=1, by="bob", viewer=BOB),
                 "ghost-event", "no-event")
    _same_answer(lambda ref: cf.link_evidence(case, item.sha256, claim_kind="event",
                                              claim_id=ref, by="bob", viewer=BOB),
                 "ghost-event", "no-event")
    _same_answer(lambda ref: cf.add_testimony(case, pseudonym="w-synthetic", identity="X",
                                              event=ref, key=key, by="bob", role="editor",
                                              viewer=BOB), "ghost-event", "no-event")
    assert _document(case, EVERYTHING)[0] == before


def test_the_command_line_reads_as_its_user(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--user bob``: lists, counts and single items as bob may see them; a ghost is
    answered as a missing one (exit 1, the same words)."""
    from typer.testing import CliRunner

    from dadkhah.cli import app

    for var in ("DADKHAH_EVIDENCE_DIR", "DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    example_folder(loc)
    with Case.open(loc) as case:
        p = plant(case, "alice")
    runner = CliRunner()

    def run(user: str, *args: str, code: int = 0) -> str:
        res = runner.invoke(app, ["-C", loc, "--user", user, *args])
        assert res.exit_code == code, res.output
        return res.output

    for user, seen in (("alice", True), ("bob", False)):
        actors = {a["slug"]: a for a in json.loads(run(user, "actor", "list", "--json"))}
        assert ("ghost-actor" in actors) is seen and "known-actor" in actors
        table = run(user, "actor", "list")
        row = next(line for line in table.splitlines() if f" {p.holder} " in line)
        assert row.split("│")[-2].strip() == str(len(actors[p.holder]["roles"]))
        assert (p.hidden_role in {r["id"] for r in actors[p.holder]["roles"]}) is seen
        events = {e["slug"] for e in json.loads(run(user, "event", "list", "--json"))}
        assert ("ghost-event" in events) is seen
        assert ("ghost-event" in run(user, "event", "list")) is seen
        child = json.loads(run(user, "event", "show", "child-event", "--json"))
        assert (child["part_of"] == "ghost-event") is seen
        out = tmp_path / f"dossier-{user}.html"
        run(user, "dossier", p.holder, "-o", str(out))
        assert ("SYNTHETIC hidden post" in out.read_text(encoding="utf-8")) is seen
    for command in (("actor", "show"), ("event", "show"), ("dossier",)):
        ghost = "ghost-event" if command[0] == "event" else "ghost-actor"
        hidden = run("bob", *command, ghost, code=1)
        missing = run("bob", *command, "nobody-x", code=1)
        assert hidden.replace(ghost, "X") == missing.replace("nobody-x", "X")


def _kept_claims(case: Case) -> tuple[int, int]:
    """A figure and an allegation alice cites only from the kept source (SYNTHETIC)."""
    from tests.casefile.unseen_case import KEPT

    fig = cf.add_figure(case, "known-event", quantity="killed", figure_type="claim",
                        value_text="9 (SYNTHETIC)", sources=[f"{KEPT}:2"], by="alice",
                        viewer=ALICE)
    holder = cf.list_actors(case, viewer=NOBODY)[0].slug
    al = cf.add_allegation(case, accused=holder, event="known-event", mode="ordered",
                           text="SYNTHETIC kept allegation", sources=[f"{KEPT}:2"],
                           by="alice", viewer=ALICE)
    return fig.id, al.id


def _everything(case: Case) -> tuple[dict, list, object]:
    from dadkhah.store import audit

    with case.read() as conn:
        head = audit.head(conn)
    return _document(case, EVERYTHING)[0], case.source_copies(), head


def test_nobody_updates_what_is_not_there_for_them(example_case: Case,
                                                   planted: Planted) -> None:
    """Every ``update_*`` of the case file, and the record of which source copies another,
    refuse an item that does not exist for the writer (or an institution, or a source, that
    does not) with the words a missing one gets, and write nothing; alice, who may see it,
    changes it, and reads back what she may see."""
    from tests.casefile.unseen_case import KEPT

    case, p = example_case, planted
    fig, al = _kept_claims(case)
    case.set_source_copy("ngo", KEPT, by="alice", viewer=ALICE)
    site = p.site or "khavaran"
    cf.add_citation(case, "burial", site, f"{KEPT}:2", by="alice", viewer=ALICE)

    def updates(who: Viewer | None) -> dict[str, tuple]:
        """name → (call, hidden ref, missing ref)."""
        def actor(ref: str) -> object:
            return cf.update_actor(case, ref, kind="person", name_en="X (SYNTHETIC)",
                                   name_fa=None, by="w", viewer=who)

        def event(ref: str) -> object:
            return cf.update_event(case, ref, event_type="other", title="X (SYNTHETIC)",
                                   by="w", viewer=who)

        def role(ref: str) -> object:
            return cf.update_role(case, ref, position="X (SYNTHETIC)", by="w", viewer=who)

        def institution(ref: str) -> object:
            return cf.update_role(case, p.known_role, position="X (SYNTHETIC)",
                                  institution=ref, by="w", viewer=who)

        def figure(ref: str) -> object:
            return cf.update_figure(case, ref, quantity="killed", figure_type="claim",
                                    value_text="X (SYNTHETIC)", by="w", viewer=who)

        def allegation(ref: str) -> object:
            return cf.update_allegation(case, int(ref), mode="decided", text="X (SYNTHETIC)",
                                        by="w", viewer=who)

        def copies(ref: str) -> object:
            return case.set_source_copy("court", ref, by="w", viewer=who)

        def copied_by(ref: str) -> object:
            return case.set_source_copy(ref, "court", by="w", viewer=who)

        def uncopy(ref: str) -> object:
            return case.remove_source_copy("ngo", ref, by="w", viewer=who)

        return {"actor": (actor, "ghost-actor", "nobody-x"),
                "event": (event, "ghost-event", "no-event"),
                "hidden role": (role, str(p.hidden_role), "99999"),
                "ghost role": (role, str(p.ghost_role), "99999"),
                "institution": (institution, "ghost-actor", "nobody-x"),
                "figure": (figure, str(fig), "99999"),
                "allegation": (allegation, str(al), "99999"),
                "copies": (copies, KEPT, "no-such-list"),
                "copied by": (copied_by, KEPT, "no-such-list"),
                "uncopy": (uncopy, KEPT, "no-such-list")}

    before = _everything(case)
    for who in (BOB, NOBODY, None):
        for name, (call, hidden, missing) in updates(who).items():
            try:
                _same_answer(call, hidden, missing)
            except BaseException as exc:
                raise AssertionError(f"{name} as {who}") from exc
        # withdrawing every copy of ngo leaves the copy of a source kept from the writer
        assert case.remove_source_copy("ngo", None, by="w", viewer=who) == 0
        # a burial site exists for everyone: changing nothing, read back as the writer
        now = cf.get_burial_site(case, site, viewer=EVERYTHING)
        burial = cf.update_burial_site(case, site, name_en=now.name_en, name_fa=now.name_fa,
                                       place=now.place_id, geometry=now.geometry,
                                       description=now.description, by="w", viewer=who)
        assert KEPT not in {c.source for c in burial.sources}
    assert _everything(case) == before  # nothing written, nothing audited

    for name, (call, hidden, _) in updates(ALICE).items():
        if name == "uncopy":
            assert call(hidden) == 1
            continue
        out = call(hidden)
        if name in ("figure", "allegation"):
            assert KEPT in {c.source for c in out.sources}, name  # read back as alice
    burial = cf.update_burial_site(case, site, name_en="Site (SYNTHETIC)", name_fa=None,
                                   by="alice", viewer=ALICE)
    assert KEPT in {c.source for c in burial.sources}


def test_the_command_line_updates_as_its_user(tmp_path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    """``--user bob`` editing an item, naming an institution or a source that does not
    exist for him: exit 1 with the words a missing one gets, nothing written; withdrawing
    every copy of a source leaves the copy of alice's source; alice makes the changes."""
    from typer.testing import CliRunner

    from dadkhah.cli import app
    from tests.casefile.unseen_case import KEPT

    for var in ("DADKHAH_EVIDENCE_DIR", "DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    example_folder(loc)
    with Case.open(loc) as case:
        p = plant(case, "alice")
        fig, al = _kept_claims(case)
        case.set_source_copy("ngo", KEPT, by="alice", viewer=ALICE)
    runner = CliRunner()

    def run(user: str, *args: str) -> tuple[int, str]:
        res = runner.invoke(app, ["-C", loc, "--user", user, *args])
        return res.exit_code, res.output

    # (command with X where the hidden or the missing reference goes, hidden, missing)
    commands = [(("actor", "edit", "X", "--notes", "SYNTHETIC"), "ghost-actor", "nobody-x"),
                (("event", "edit", "X", "--title", "SYNTHETIC"), "ghost-event", "no-event"),
                (("actor", "role-edit", "X", "--notes", "SYNTHETIC"), str(p.ghost_role),
                 "99999"),
                (("actor", "role-edit", str(p.known_role), "--institution", "X"),
                 "ghost-actor", "nobody-x"),
                (("event", "figure-edit", "X", "--notes", "SYNTHETIC"), str(fig), "99999"),
                (("allegation", "edit", "X", "--text", "SYNTHETIC"), str(al), "99999"),
                (("source", "edit", "ai-2008", "--copies", "X"), KEPT, "no-such-list"),
                (("source", "edit", "X", "--copies", "ai-2008"), KEPT, "no-such-list"),
                (("source", "edit", "ngo", "--no-copies", "X"), KEPT, "no-such-list"),
                (("source", "add", "synthetic-copy", "--title", "C (SYNTHETIC)", "--kind",
                  "memoir", "--copies", "X"), KEPT, "no-such-list")]
    with Case.open(loc) as case:
        before = _everything(case)
    for command, hidden, missing in commands:
        code, kept = run("bob", *(hidden if a == "X" else a for a in command))
        code2, absent = run("bob", *(missing if a == "X" else a for a in command))
        assert code == code2 == 1, (command, kept)
        assert kept.replace(hidden, "X") == absent.replace(missing, "X"), command
    code, out = run("bob", "source", "edit", "ngo", "--no-copies", "all")
    assert code == 0 and "Withdrew 0 statement(s)" in out, out
    with Case.open(loc) as case:
        assert _everything(case) == before
    for command, hidden, _ in commands:
        code, out = run("alice", *(hidden if a == "X" else a for a in command))
        assert code == 0, (command, out)


def test_a_read_asks_what_is_not_there_once(example_case: Case, planted: Planted,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """One reading of an event, an actor, the actors, the figures or the allegations works
    out what does not exist for the reader once (the one rule of
    :mod:`dadkhah.casefile._unseen`), not once for the item and again for its parts."""
    from sqlalchemy import Connection

    from dadkhah.casefile import _unseen, actors, allegations, events

    calls: list[Viewer | None] = []

    def counted(conn: Connection, viewer: Viewer | None) -> _unseen.Unseen:
        calls.append(viewer)
        return _unseen.unseen(conn, viewer)

    for module in (actors, allegations, events):
        monkeypatch.setattr(module, "unseen", counted)
    reads = {"get_event": lambda: cf.get_event(example_case, "child-event", viewer=BOB),
             "list_events": lambda: cf.list_events(example_case, viewer=BOB),
             "get_actor": lambda: cf.get_actor(example_case, planted.holder, viewer=BOB),
             "list_actors": lambda: cf.list_actors(example_case, viewer=BOB),
             "list_figures": lambda: cf.list_figures(example_case, viewer=BOB),
             "list_allegations": lambda: cf.list_allegations(example_case, viewer=BOB)}
    for name, read in reads.items():
        calls.clear()
        read()
        assert calls == [BOB], name
