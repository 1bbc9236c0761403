"""Where each display name came from, and corrections by people (issue 15; SYNTHETIC data).

Checked against what the records say: a Latin form marked ``source`` must be a name some
record of the person wrote (in the sources listed), a ``machine`` form one that none wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dadkhah.names import split_scripts, written_forms

PERSONS = 250


@pytest.fixture(scope="module")
def linked_template(tmp_path_factory) -> Path:
    from dadkhah.testing import linked_case

    return linked_case(tmp_path_factory.mktemp("forms-template") / "case", persons=PERSONS,
                       seed=11)


@pytest.fixture
def linked(linked_template: Path, tmp_path: Path):
    from dadkhah.testing import case_copy

    with case_copy(linked_template, tmp_path / "case") as case:
        yield case


def _persons(case) -> list[dict]:
    from dadkhah.register import get_person, list_persons

    return [get_person(case, p["id"]) for p in list_persons(case, limit=10_000)]


def _written_latin(person: dict) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for r in person["records"]:
        la = written_forms(r.get("full_name"), r.get("given_names"), r.get("surname")).latin
        if la:
            out.setdefault(la, set()).add(r["source_id"])
    return out


def test_every_display_name_says_where_it_came_from(linked) -> None:
    persons = _persons(linked)
    machine = source = 0
    for p in persons:
        written = _written_latin(p)
        assert p["name_latin"], p["id"]
        assert p["name_latin_origin"] in ("source", "machine"), p["id"]
        if p["name_latin_origin"] == "source":
            source += 1
            assert p["name_latin"] in written
            assert set(p["name_latin_sources"]) == written[p["name_latin"]]
        else:
            machine += 1
            assert not written, (p["id"], written)  # a machine form only when none written
            assert p["name_fa"] and p["name_latin_sources"] == []
        if p["name_fa"]:
            assert p["name_fa_origin"] == "source"
    # the synthetic lists hold both Persian-only and Latin persons
    assert machine > 0 and source > 0


def test_most_frequent_written_form_wins_then_reliability() -> None:
    from dadkhah.register import RecordName, choose_name_forms

    recs = [RecordName(1, "Ali Rezai"), RecordName(2, "Ali Rezaei"), RecordName(3, "Ali Rezaei")]
    f = choose_name_forms(recs, {1: "A", 2: "D", 3: "D"})
    assert (f["name_latin"], json.loads(f["name_latin_sources"])) == ("Ali Rezaei", [2, 3])
    # a tie goes to the more reliable source, then to the lower source id
    tie = [RecordName(5, "Ali Rezai"), RecordName(4, "Ali Rezaei")]
    assert choose_name_forms(tie, {5: "B", 4: "C"})["name_latin"] == "Ali Rezai"
    assert choose_name_forms(tie, {5: "C", 4: "C"})["name_latin"] == "Ali Rezaei"
    assert choose_name_forms(tie)["name_latin"] == "Ali Rezaei"  # F for both: lower id


def test_arabic_letter_forms_are_one_written_persian_form() -> None:
    from dadkhah.register import RecordName, choose_name_forms

    f = choose_name_forms([RecordName(1, "علي كريمي"), RecordName(2, "علی کریمی")])
    assert f["name_fa"] == "علی کریمی"
    assert json.loads(f["name_fa_sources"]) == [1, 2]
    assert f["name_latin_origin"] == "machine"


@pytest.mark.parametrize("cell", ["علی رضایی (Ali Rezaei)", "Ali Rezaei / علی رضایی",
                                  "علی رضایی - Ali Rezaei", "علی رضایی – Ali Rezaei",
                                  "Ali Rezaei (علي رضايي)"])
def test_a_mixed_script_cell_is_one_name_with_two_written_forms(cell: str) -> None:
    from dadkhah.names import parse_name
    from dadkhah.register import RecordName, choose_name_forms, normalize_fields

    parts = split_scripts(cell)
    assert parts.both and not parts.interleaved
    assert (parts.latin, parts.persian.replace("ي", "ی")) == ("Ali Rezaei", "علی رضایی")
    p = parse_name(cell)
    assert p.key == parse_name("علی رضایی").key  # keys from one name, not doubled
    assert p.latin == "Ali Rezaei" and p.written_latin == "Ali Rezaei"
    r = normalize_fields({"full_name": cell})
    assert (r["name_fa"], r["name_latin"]) == ("علی رضایی", "Ali Rezaei")
    assert r["given_key"] == parse_name("علی").key
    f = choose_name_forms([RecordName(1, cell)])
    assert (f["name_fa"], f["name_latin"]) == ("علی رضایی", "Ali Rezaei")
    assert f["name_latin_origin"] == f["name_fa_origin"] == "source"


def test_mixed_given_and_surname_cells() -> None:
    from dadkhah.register import normalize_fields

    r = normalize_fields({"given_names": "علی (Ali)", "surname": "رضایی (Rezaei)"})
    assert (r["name_fa"], r["name_latin"]) == ("علی رضایی", "Ali Rezaei")
    assert r["name_key"] == normalize_fields({"full_name": "علی رضایی"})["name_key"]


def test_explain_no_longer_doubles_the_name() -> None:
    from dadkhah.names import explain

    e = explain("علی رضایی (Ali Rezaei)", "name")
    assert e.result["latin"] == "Ali Rezaei"
    assert "Ali Rezaei Ali Rezaei" not in json.dumps(e.to_dict(), ensure_ascii=False)


def _person_with_machine_latin(case) -> dict:
    for p in _persons(case):
        if p["name_latin_origin"] == "machine" and p["n_records"] >= 2:
            return p
    raise AssertionError("no person with a machine Latin name")


def test_a_correction_wins_is_audited_survives_relink_and_can_be_withdrawn(linked) -> None:
    from dadkhah.errors import AccessDenied, InvalidInput
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import (
        correct_name,
        get_person,
        name_corrections,
        withdraw_correction,
    )

    p = _person_with_machine_latin(linked)
    machine = p["name_latin"]
    with pytest.raises(AccessDenied):
        correct_name(linked, p["id"], latin="Ali Test", reason="x", by="v", role="viewer")
    with pytest.raises(InvalidInput):
        correct_name(linked, p["id"], latin="علی", reason="x", by="e", role="editor")
    with pytest.raises(InvalidInput):
        correct_name(linked, p["id"], latin="Ali Test", reason=" ", by="e", role="editor")
    assert name_corrections(linked) == []  # nothing written by a refusal

    res = correct_name(linked, p["id"], latin="Mahmoud Abdolnazari", reason="family letter",
                       by="editor1", role="editor")
    assert res.before[1] == machine and res.after[1] == "Mahmoud Abdolnazari"
    now = get_person(linked, p["id"])
    assert (now["name_latin"], now["name_latin_origin"]) == ("Mahmoud Abdolnazari", "person")
    assert now["name_fa"] == p["name_fa"] and now["name_fa_origin"] == "source"
    with linked.read() as conn:
        entry = conn.exec_driver_sql(
            "SELECT actor, details FROM audit_log WHERE action = 'name.correct'").one()
    assert entry[0] == "editor1" and "family letter" in entry[1]
    rep = linked.verify_audit()
    assert rep.ok, rep.problems

    link_case(linked, by="tester")  # a relink re-applies the correction
    holder = _holder(linked, [r["id"] for r in p["records"]])
    after = get_person(linked, holder)
    assert (after["name_latin"], after["name_latin_origin"]) == ("Mahmoud Abdolnazari",
                                                                  "person")
    [c] = name_corrections(linked, person_id=holder)
    w = withdraw_correction(linked, c.id, reason="mistaken", by="editor1", role="editor")
    assert w.after[1] == machine
    back = get_person(linked, holder)
    assert (back["name_latin"], back["name_latin_origin"]) == (machine, "machine")
    assert not name_corrections(linked)[0].in_force
    link_case(linked, by="tester")  # a withdrawn correction stays withdrawn
    assert get_person(linked, _holder(linked, [r["id"] for r in p["records"]]))[
        "name_latin_origin"] == "machine"
    rep = linked.verify_audit()
    assert rep.ok, rep.problems


def test_a_persian_correction_renews_the_machine_latin(linked) -> None:
    from dadkhah.names import latin_form
    from dadkhah.register import correct_name, get_person

    p = _person_with_machine_latin(linked)
    correct_name(linked, p["id"], persian="محمود عبدالنظری", reason="family", by="e",
                 role=None)
    now = get_person(linked, p["id"])
    assert (now["name_fa"], now["name_fa_origin"]) == ("محمود عبدالنظری", "person")
    assert now["name_latin"] == latin_form("محمود عبدالنظری")
    assert now["name_latin_origin"] == "machine"


def _holder(case, record_ids: list[int]) -> int:
    from collections import Counter

    from dadkhah.register import register_of

    reg = register_of(case)
    return Counter(int(reg[r]) for r in record_ids).most_common(1)[0][0]


def test_provenance_survives_relink_and_export(linked, tmp_path: Path) -> None:
    import csv

    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import correct_name
    from dadkhah.report.exports import write_every_casualty, write_register

    p = _person_with_machine_latin(linked)
    correct_name(linked, p["id"], latin="Corrected Name", reason="family", by="e", role=None)
    link_case(linked, by="tester")
    holder = _holder(linked, [r["id"] for r in p["records"]])
    persons = {q["id"]: q for q in _persons(linked)}
    slugs = {s.id: s.slug for s in linked.sources()}
    write_register(linked, tmp_path / "r.csv")
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert len(rows) == len(persons)
    for r in rows:
        q = persons[int(r["person_id"])]
        assert r["name_latin"] == q["name_latin"]
        assert r["name_latin_origin"] == q["name_latin_origin"] != ""
        srcs = q["name_latin_sources"]
        assert r["name_latin_sources"] == ";".join(slugs[i] for i in srcs)
    assert {r["name_latin_origin"] for r in rows} == {"source", "machine", "person"}
    mine = next(r for r in rows if int(r["person_id"]) == holder)
    assert (mine["name_latin"], mine["name_latin_origin"]) == ("Corrected Name", "person")
    write_every_casualty(linked, tmp_path / "ecw.csv")
    ecw = {int(r["victim_id"]): r
           for r in csv.DictReader((tmp_path / "ecw.csv").open(encoding="utf-8"))}
    assert ecw[holder]["name_latin_origin"] == "person"
    assert all(ecw[i]["name_latin_origin"] == q["name_latin_origin"] for i, q in persons.items())


@pytest.mark.parametrize("cell", ["پرویز نیک‌نام (SYNTHETIC)", "Dr. پرویز نیک‌نام"])
def test_a_latin_note_in_a_persian_cell_is_not_taken_for_the_name(cell: str) -> None:
    from dadkhah.names import parse_name
    from dadkhah.register import RecordName, choose_name_forms, normalize_fields

    parts = split_scripts(cell)
    assert parts.persian == "پرویز نیک‌نام" and parts.latin is None and parts.left_out
    assert parse_name(cell).key == parse_name("پرویز نیک‌نام").key
    f = choose_name_forms([RecordName(1, cell)])
    assert f["name_fa"] == "پرویز نیک‌نام" and f["name_latin_origin"] == "machine"
    assert normalize_fields({"full_name": cell})["name_fa"] == "پرویز نیک‌نام"


def test_a_published_name_changes_on_the_memorial_only_when_published_again(linked) -> None:
    from dadkhah.portal import memorial_entry, publish
    from dadkhah.register import correct_name

    p = _person_with_machine_latin(linked)
    publish(linked, [p["id"]], by="ed", role="editor")
    e = memorial_entry(linked, p["id"])
    assert (e.name_latin, e.name_latin_origin) == (p["name_latin"], "machine")
    assert "(machine transliteration)" in e.summary()
    res = correct_name(linked, p["id"], latin="Reza Checked", reason="family", by="e",
                       role="editor")
    assert res.published and "dadkhah publish" in res.summary()
    assert memorial_entry(linked, p["id"]).name_latin_origin == "machine"  # the snapshot
    publish(linked, [p["id"]], by="ed", role="editor")  # refreshes the stale snapshot
    e = memorial_entry(linked, p["id"])
    assert (e.name_latin, e.name_latin_origin) == ("Reza Checked", "person")
    assert e.name_fa_written_by and not e.name_latin_written_by


@pytest.mark.postgres
def test_corrections_and_origins_on_postgres(tmp_path: Path) -> None:
    from tests.conftest import PG_URL, _pg_database

    if not PG_URL:
        pytest.skip("DADKHAH_TEST_PG_URL not set (scripts/test sets it)")
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import correct_name, get_person, normalize_case, withdraw_correction
    from dadkhah.testing import simulated_case

    gen = _pg_database()
    url = next(gen)
    try:
        sc = simulated_case(url, scenario="small", persons=150, seed=6,
                            lists_folder=tmp_path / "lists")
        normalize_case(sc.case)
        link_case(sc.case)
        p = _person_with_machine_latin(sc.case)
        res = correct_name(sc.case, p["id"], latin="Pg Checked", reason="r", by="e",
                           role=None)
        link_case(sc.case)
        holder = _holder(sc.case, [r["id"] for r in p["records"]])
        assert get_person(sc.case, holder)["name_latin_origin"] == "person"
        withdraw_correction(sc.case, res.correction_id, reason="r", by="e", role=None)
        assert get_person(sc.case, holder)["name_latin_origin"] == "machine"
        assert sc.case.verify_audit().ok
        sc.case.close()
    finally:
        gen.close()


def test_names_commands(linked) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    runner = CliRunner()
    loc = str(linked.location)
    p = _person_with_machine_latin(linked)
    linked.close()
    res = runner.invoke(app, ["--case", loc, "names", "correct", str(p["id"]), "--latin",
                              "Cli Checked", "--reason", "family letter", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["after"][1] == "Cli Checked" and out["before"][1] == p["name_latin"]
    res = runner.invoke(app, ["--case", loc, "names", "corrections", "--json"])
    [c] = json.loads(res.stdout)
    assert c["name_latin"] == "Cli Checked" and c["reason"] == "family letter"
    res = runner.invoke(app, ["--case", loc, "names", "correct", str(p["id"]), "--latin",
                              "علی", "--reason", "x"])
    assert res.exit_code != 0 and "not in Latin letters" in res.output
    res = runner.invoke(app, ["--case", loc, "names", "withdraw", str(c["id"]), "--reason",
                              "mistaken"])
    assert res.exit_code == 0 and "withdrawn" in res.output
    res = runner.invoke(app, ["names", "explain", "علی رضایی (Ali Rezaei)", "--json"])
    e = json.loads(res.stdout)
    assert e["result"]["latin"] == "Ali Rezaei" and e["result"]["latin_origin"] == "source"
    res = runner.invoke(app, ["names", "explain", "محمود عبدالنظری", "--json"])
    assert json.loads(res.stdout)["result"]["latin_origin"] == "machine"
