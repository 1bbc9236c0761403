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
