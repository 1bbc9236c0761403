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
    again = next(a for a in cf.list_allegations(example_case) if a.id == al.id)
    assert len(again.sources) == len(al.sources) + 1
    with pytest.raises(InvalidInput, match="1-6 scale"):
        cf.add_citation(example_case, "event", "decree-1988", cf.Cite("ngo", "9"),
                        by="tester")
    with pytest.raises(InvalidInput, match="Cannot cite"):
        cf.add_citation(example_case, "testimony", 1, "ngo", by="tester")


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
