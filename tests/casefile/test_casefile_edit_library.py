"""Changing what the case file holds (dadkhah.casefile.edit and the 'edit' commands): the
rules of adding apply again, every change is one audit entry with before and after, a
change that changes nothing writes nothing, a refused change leaves the case as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dadkhah import casefile as cf
from dadkhah.errors import AccessDenied, DadkhahError, InvalidInput
from dadkhah.store import Case
from dadkhah.store.tables import AuditEntry


def _entries(case: Case, action: str) -> list[dict]:
    with case.read() as conn:
        return [json.loads(r.details) for r in conn.execute(
            select(AuditEntry.__table__).where(AuditEntry.action == action)
            .order_by(AuditEntry.id))]


def _audit_count(case: Case) -> int:
    with case.read() as conn:
        return int(conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one())


def test_an_event_edit_reads_the_date_again_and_is_audited(example_case: Case) -> None:
    e = cf.get_event(example_case, "decree-1988")
    after = cf.update_event(example_case, "decree-1988", event_type="decree", title=e.title,
                            title_fa=e.title_fa, description=e.description,
                            date="۱۰ مرداد ۱۳۶۷", place="Evin", by="tester")
    assert (after.date_earliest, after.date_precision, after.place_id) == (
        "1988-08-01", "day", "prison:evin")
    [entry] = _entries(example_case, "event.edit")
    assert entry["slug"] == "decree-1988"
    assert entry["changed"]["date_text"] == [e.date_text, "۱۰ مرداد ۱۳۶۷"]
    assert set(entry["changed"]) == {"date_text", "date_earliest", "date_latest",
                                     "date_precision", "place_id", "place_text"}
    # The same values again: nothing written, not even an audit entry.
    n = _audit_count(example_case)
    cf.update_event(example_case, "decree-1988", event_type="decree", title=e.title,
                    title_fa=e.title_fa, description=e.description, date="۱۰ مرداد ۱۳۶۷",
                    place="Evin", by="tester")
    assert _audit_count(example_case) == n


def test_refused_changes_leave_the_case_as_it_was(example_case: Case) -> None:
    a = cf.get_actor(example_case, "raisi")
    n = _audit_count(example_case)
    with pytest.raises(InvalidInput, match="needs a name"):
        cf.update_actor(example_case, "raisi", kind="person", name_en="", name_fa=" ",
                        by="tester")
    with pytest.raises(InvalidInput, match="Cannot read the event date"):
        cf.update_event(example_case, "decree-1988", event_type="decree", title="x",
                        date="۱۳۶۷/۱۳/۴۰", by="tester")
    with pytest.raises(DadkhahError):
        cf.update_burial_site(example_case, "khavaran", name_en="K", name_fa=None,
                              geometry={"type": "Point", "coordinates": [200, 35]},
                              by="tester")
    with pytest.raises(AccessDenied):  # a viewer may not write
        cf.update_allegation(example_case, 1, mode="ordered", text="x", by="v",
                             role="viewer")
    assert cf.get_actor(example_case, "raisi") == a and _audit_count(example_case) == n


def test_an_allegation_and_a_citation(example_case: Case) -> None:
    al = cf.list_allegations(example_case)[0]
    after = cf.update_allegation(example_case, al.id, mode="decided", text=al.text,
                                 text_fa="متن", by="tester")
    assert (after.mode, after.status, after.text_fa) == ("decided", al.status, "متن")
    cited = cf.add_citation(example_case, "allegation", al.id, cf.Cite("court", "1", "p. 3"),
                            by="tester")
    assert cited == {"source": "court", "credibility": "1", "locator": "p. 3"}
    again = cf.get_allegation(example_case, al.id)
    assert again == next(a for a in cf.list_allegations(example_case) if a.id == al.id)
    assert len(again.sources) == len(al.sources) + 1
    assert cf.get_allegation(example_case, str(al.id)) == again
    with pytest.raises(InvalidInput, match="1-6 scale"):
        cf.add_citation(example_case, "event", "decree-1988", cf.Cite("ngo", "9"),
                        by="tester")
    with pytest.raises(InvalidInput, match="Cannot cite"):
        cf.add_citation(example_case, "testimony", 1, "ngo", by="tester")


def test_a_missing_allegation_is_one_not_found_everywhere(example_case: Case) -> None:
    """Reading, editing and changing the status of an allegation the case lacks: one
    NotFound, with where to list them (the lookup is written once)."""
    from dadkhah.errors import NotFound

    n = _audit_count(example_case)
    for attempt in (lambda: cf.get_allegation(example_case, 99_999),
                    lambda: cf.get_allegation(example_case, "raisi"),
                    lambda: cf.update_allegation(example_case, 99_999, mode="decided",
                                                 text="x", by="tester"),
                    lambda: cf.set_allegation_status(example_case, 99_999, "alleged",
                                                     by="tester")):
        with pytest.raises(NotFound, match="No allegation .* in this case") as err:
            attempt()
        assert err.value.hint == "List allegations with: dadkhah allegation list"
    assert _audit_count(example_case) == n


def test_edit_commands_change_only_what_is_given(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    for var in ("DADKHAH_EVIDENCE_DIR", "DADKHAH_KEY", "DADKHAH_KEY_FILE", "DADKHAH_ROLE"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    runner = CliRunner()

    def run(*args: str) -> dict:
        res = runner.invoke(app, ["-C", loc, *args])
        assert res.exit_code == 0, res.output
        return json.loads(res.stdout) if "--json" in args else {}

    run("init")
    run("casefile", "example")
    before = run("actor", "show", "raisi", "--json")
    after = run("actor", "edit", "raisi", "--notes", "Edited notes.", "--json")
    assert after["notes"] == "Edited notes." and after["name_fa"] == before["name_fa"]
    assert after["aliases"] == before["aliases"]
    e = run("event", "edit", "decree-1988", "--date", "1988-07-28", "--json")
    assert e["date_earliest"] == "1988-07-28" and e["event_type"] == "decree"
    b = run("burial", "edit", "khavaran", "--geojson",
            '{"type": "Point", "coordinates": [51.58, 35.63]}', "--json")
    assert b["geometry"] == {"type": "Point", "coordinates": [51.58, 35.63]}
    assert b["place_id"] == "city:tehran"
    res = runner.invoke(app, ["-C", loc, "event", "edit", "decree-1988", "--date", "x y z"])
    assert res.exit_code != 0 and "Cannot read the event date" in res.output


def test_a_role_and_a_figure_are_edited_with_the_rules_of_adding(example_case: Case) -> None:
    r = cf.get_actor(example_case, "raisi").roles[0]
    after = cf.update_role(example_case, r.id, position=r.position, position_fa="دادستان",
                           institution=None, start="تیر ۱۳۶۷", end=r.end_text, notes="n",
                           by="tester")
    assert (after.position_fa, after.start_earliest, after.start_latest) == (
        "دادستان", "1988-06-22", "1988-07-22")
    assert after.sources == r.sources and after.holder == r.holder
    [entry] = _entries(example_case, "role.edit")
    assert entry["changed"]["start_text"] == [r.start_text, "تیر ۱۳۶۷"]
    f = cf.list_figures(example_case)[0]
    g = cf.update_figure(example_case, f.id, quantity=f.quantity, figure_type="estimate",
                         value_text=f.value_text, low=100, high=200, notes=None, by="tester")
    assert (g.figure_type, g.low, g.high, g.sources) == ("estimate", 100, 200, f.sources)
    [entry] = _entries(example_case, "figure.edit")
    assert entry["changed"]["figure_type"] == [f.figure_type, "estimate"]
    n = _audit_count(example_case)
    with pytest.raises(InvalidInput, match="ends before it starts"):
        cf.update_figure(example_case, f.id, quantity="killed", figure_type="claim",
                         value_text="x", low=5, high=1, by="tester")
    with pytest.raises(InvalidInput, match="Unknown figure type"):
        cf.update_figure(example_case, f.id, quantity="killed", figure_type="guess",
                         value_text="x", by="tester")
    with pytest.raises(InvalidInput, match="Cannot read the start date"):
        cf.update_role(example_case, r.id, position="x", start="۱۳۶۷/۱۳/۴۰", by="tester")
    with pytest.raises(DadkhahError, match="No role"):
        cf.update_role(example_case, 99999, position="x", by="tester")
    with pytest.raises(AccessDenied):
        cf.update_figure(example_case, f.id, quantity="killed", figure_type="claim",
                         value_text="x", by="v", role="viewer")
    assert _audit_count(example_case) == n and cf.get_figure(example_case, f.id) == g


def test_removing_a_source_keeps_attribution_and_the_record(example_case: Case) -> None:
    """A source comes off a claim with a reason, recorded with what was cited; a figure or
    an allegation is never left without a source, nor a court finding without its judgment."""
    f = cf.list_figures(example_case)[0]
    assert len(f.sources) == 1
    n = _audit_count(example_case)
    with pytest.raises(InvalidInput, match="only source"):
        cf.remove_citation(example_case, "figure", f.id, f.sources[0].source, reason="wrong",
                           by="tester")
    with pytest.raises(InvalidInput, match="Say why"):
        cf.remove_citation(example_case, "figure", f.id, f.sources[0].source, reason=" ",
                           by="tester")
    assert _audit_count(example_case) == n
    other = next(s.slug for s in example_case.sources() if s.slug != f.sources[0].source)
    cf.add_citation(example_case, "figure", f.id, cf.Cite(other, "3", "p. 9"), by="tester")
    removed = cf.remove_citation(example_case, "figure", f.id, f.sources[0].source,
                                 reason="misread the page", by="tester")
    assert removed["source"] == f.sources[0].source
    assert [s.source for s in cf.get_figure(example_case, f.id).sources] == [other]
    [entry] = _entries(example_case, "citation.remove")
    assert entry["reason"] == "misread the page"
    assert entry["removed"][0]["credibility"] == f.sources[0].credibility
    with pytest.raises(DadkhahError, match="is not cited"):
        cf.remove_citation(example_case, "figure", f.id, f.sources[0].source, reason="x",
                           by="tester")
    # An actor may be left without a source (the library records actors so too).
    a = next(a for a in cf.list_actors(example_case) if a.sources)
    for s in a.sources:
        cf.remove_citation(example_case, "actor", a.slug, s.source, reason="test",
                           by="tester")
    assert cf.get_actor(example_case, a.slug).sources == ()
    # A court finding keeps its court judgment.
    court = [al for al in cf.list_allegations(example_case)
             if al.status == "established_by_court"]
    for al in court:
        judgment = [s for s in al.sources if s.kind == "court_record"]
        if len(judgment) == 1 and len(al.sources) > 1:
            n = _audit_count(example_case)
            with pytest.raises(DadkhahError, match="court judgment"):
                cf.remove_citation(example_case, "allegation", al.id, judgment[0].source,
                                   reason="test", by="tester")
            assert _audit_count(example_case) == n
            assert next(x for x in cf.list_allegations(example_case)
                        if x.id == al.id).sources == al.sources
            break
    else:
        pytest.fail("the example has no court finding with a judgment and another source")


def test_role_figure_and_source_commands(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    for var in ("DADKHAH_EVIDENCE_DIR", "DADKHAH_KEY", "DADKHAH_KEY_FILE", "DADKHAH_ROLE"):
        monkeypatch.delenv(var, raising=False)
    loc = str(tmp_path / "case")
    runner = CliRunner()

    def run(*args: str, ok: bool = True) -> dict:
        res = runner.invoke(app, ["-C", loc, *args])
        assert (res.exit_code == 0) == ok, res.output
        return json.loads(res.stdout) if ok and "--json" in args else {"output": res.output}

    run("init")
    run("casefile", "example")
    actor = run("actor", "show", "raisi", "--json")
    r = actor["roles"][0]
    after = run("actor", "role-edit", str(r["id"]), "--notes", "Checked.", "--json")
    assert after["notes"] == "Checked." and after["position"] == r["position"]
    assert after["institution"] == r["institution"] and after["start_text"] == r["start_text"]
    event = next(e for e in [run("event", "show", s, "--json") for s in
                             ("massacre-1988", "decree-1988")] if e["figures"])
    f = event["figures"][0]
    g = run("event", "figure-edit", str(f["id"]), "--type", "estimate", "--json")
    assert g["figure_type"] == "estimate" and g["value_text"] == f["value_text"]
    assert (g["low"], g["high"]) == (f["low"], f["high"])
    only = f["sources"][0]["source"]
    refused = run("casefile", "source-remove", "figure", str(f["id"]), only, "--reason", "x",
                  ok=False)
    assert "only source" in refused["output"]
    cited = {c["source"] for item in (actor, event, *actor["roles"], *event["figures"])
             for c in item["sources"]}
    other = sorted(cited - {only})[0]
    run("casefile", "source-add", "figure", str(f["id"]), "-s", f"{other}:2",
        "--locator", "p. 4")
    run("casefile", "source-remove", "figure", str(f["id"]), only, "--reason", "misread")
    h = run("event", "figure-edit", str(f["id"]), "--no-range", "--json")
    assert [s["source"] for s in h["sources"]] == [other] and h["low"] is None
