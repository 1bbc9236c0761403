"""Corrections of the father's display name (issue 15; SYNTHETIC data): they win over what
the sources say, are audited, survive relinking, can be withdrawn, and do not touch the
person's own name; the CLI and the person page set them too."""

from __future__ import annotations

import json
import re

import pytest

from tests.register.test_name_forms import _holder, _persons, linked, linked_template  # noqa: F401


def _person_with_father(case) -> dict:
    for p in _persons(case):
        if p["father_fa"] and p["father_latin_origin"] == "machine" and p["n_records"] >= 2:
            return p
    raise AssertionError("no person with a Persian father's name and a machine Latin one")


def test_a_father_correction_wins_is_audited_survives_relink_and_can_be_withdrawn(
        linked) -> None:  # noqa: F811
    from dadkhah.errors import InvalidInput
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import correct_name, get_person, name_corrections, withdraw_correction

    p = _person_with_father(linked)
    records = [r["id"] for r in p["records"]]
    with pytest.raises(InvalidInput, match="father's name"):
        correct_name(linked, p["id"], father_latin="حسن", reason="x", by="e", role="editor")
    with pytest.raises(InvalidInput, match="--father-latin"):
        correct_name(linked, p["id"], father_persian="Hasan", reason="x", by="e",
                     role="editor")
    with pytest.raises(InvalidInput, match="needs a name"):
        correct_name(linked, p["id"], reason="x", by="e", role="editor")
    assert name_corrections(linked) == []  # nothing written by a refusal

    res = correct_name(linked, p["id"], father_latin="Gholam-Hossein", reason="birth record",
                       by="editor1", role="editor")
    assert res.father_before == (p["father_fa"], p["father_latin"])
    assert res.father_after == (p["father_fa"], "Gholam-Hossein")
    assert res.before == res.after == (p["name_fa"], p["name_latin"])  # own name untouched
    assert "father" in res.summary()
    now = get_person(linked, p["id"])
    assert (now["father_latin"], now["father_latin_origin"]) == ("Gholam-Hossein", "person")
    assert (now["father_fa"], now["father_fa_origin"]) == (p["father_fa"], p["father_fa_origin"])
    assert (now["name_latin"], now["name_latin_origin"]) == (p["name_latin"],
                                                              p["name_latin_origin"])
    [c] = name_corrections(linked, person_id=p["id"])
    assert (c.father_latin, c.father_fa, c.name_latin, c.name_fa) == (
        "Gholam-Hossein", None, None, None)
    with linked.read() as conn:
        actor, details = conn.exec_driver_sql(
            "SELECT actor, details FROM audit_log WHERE action = 'name.correct'").one()
    d = json.loads(details)
    assert actor == "editor1" and d["father_latin"] == "Gholam-Hossein"
    assert d["father_before"] == [p["father_fa"], p["father_latin"]]
    rep = linked.verify_audit()
    assert rep.ok, rep.problems

    link_case(linked, by="tester")  # a relink re-applies the correction
    holder = _holder(linked, records)
    after = get_person(linked, holder)
    assert (after["father_latin"], after["father_latin_origin"]) == ("Gholam-Hossein",
                                                                      "person")
    w = withdraw_correction(linked, c.id, reason="mistaken", by="editor1", role="editor")
    assert w.father_before[1] == "Gholam-Hossein" and w.father_after[1] == p["father_latin"]
    back = get_person(linked, holder)
    assert (back["father_latin"], back["father_latin_origin"]) == (p["father_latin"],
                                                                    "machine")
    link_case(linked, by="tester")  # a withdrawn correction stays withdrawn
    again = get_person(linked, _holder(linked, records))
    assert again["father_latin_origin"] == "machine"
    rep = linked.verify_audit()
    assert rep.ok, rep.problems


def test_a_persian_father_correction_renews_the_machine_latin(linked) -> None:  # noqa: F811
    from dadkhah.names import latin_form
    from dadkhah.register import correct_name, get_person

    p = _person_with_father(linked)
    res = correct_name(linked, p["id"], father_persian="غلامحسین", latin="Checked Name",
                       reason="family", by="e", role=None)
    now = get_person(linked, p["id"])
    assert (now["father_fa"], now["father_fa_origin"]) == ("غلامحسین", "person")
    assert now["father_latin"] == latin_form("غلامحسین") != p["father_latin"]
    assert now["father_latin_origin"] == "machine"
    assert (now["name_latin"], now["name_latin_origin"]) == ("Checked Name", "person")
    assert res.father_after == ("غلامحسین", latin_form("غلامحسین"))


def test_father_correction_from_the_cli(linked) -> None:  # noqa: F811
    from typer.testing import CliRunner

    from dadkhah.cli import app

    runner = CliRunner()
    loc = str(linked.location)
    p = _person_with_father(linked)
    linked.close()
    res = runner.invoke(app, ["--case", loc, "names", "correct", str(p["id"]),
                              "--father-latin", "Cli Father", "--reason", "letter", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["father_after"][1] == "Cli Father" and out["after"] == out["before"]
    res = runner.invoke(app, ["--case", loc, "names", "corrections", "--json"])
    [c] = json.loads(res.stdout)
    assert c["father_latin"] == "Cli Father" and c["name_latin"] is None
    res = runner.invoke(app, ["--case", loc, "names", "correct", str(p["id"]),
                              "--father-persian", "Hasan", "--reason", "x"])
    assert res.exit_code != 0 and "not in Persian script" in res.output
    assert "--father-latin" in res.output


def test_father_correction_from_the_person_page(linked) -> None:  # noqa: F811
    from dadkhah import users
    from dadkhah.register import get_person
    from dadkhah.store import Case
    from tests.web.conftest import PASSWORD, csrf_of, login, make_client

    p = _person_with_father(linked)
    users.add_user(linked, "editor", PASSWORD, role="editor", by="tests")
    loc = str(linked.location)
    linked.close()
    with make_client(loc) as c:
        login(c, "editor")
        page = c.get(f"/team/persons/{p['id']}")
        assert 'name="father_latin"' in page.text and 'name="father_persian"' in page.text
        r = c.post(f"/team/persons/{p['id']}/name",
                   data={"csrf_token": csrf_of(page.text), "father_latin": "Web Father",
                         "reason": "family letter"}, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
        page = c.get(f"/team/persons/{p['id']}?done=named")
        row = re.search(r'<td id="father-name">(.*?)</td>', page.text, re.S)
        assert row is not None and "Web Father" in row.group(1)
        assert 'data-origin="person"' in row.group(1)
        assert 'class="father-correction"' in page.text
    with Case.open(loc) as case:
        now = get_person(case, p["id"])
    assert (now["father_latin"], now["father_latin_origin"]) == ("Web Father", "person")


def test_migration_0014_keeps_corrections_and_their_hashes(linked) -> None:  # noqa: F811
    """Down to 0013 (the father columns dropped, the table rebuilt) and up again: the
    corrections made before stay, and the audit chain and row hashes still verify."""
    from dadkhah.register import correct_name, name_corrections
    from dadkhah.store import Case
    from dadkhah.store._engine import head_revision
    from tests.conftest import downgrade

    p = _person_with_father(linked)
    correct_name(linked, p["id"], latin="Before Upgrade", reason="r", by="e", role=None)
    downgrade(linked, "0013")
    loc = linked.location
    linked.close()
    with Case.upgrade(loc, by="t") as case:
        assert case.schema_revision() == head_revision()
        [c] = name_corrections(case)
        assert (c.name_latin, c.father_latin, c.father_fa) == ("Before Upgrade", None, None)
        rep = case.verify_audit()
        assert rep.ok, rep.problems
        res = correct_name(case, p["id"], father_latin="After Upgrade", reason="r", by="e",
                           role=None)
        assert res.father_after[1] == "After Upgrade"
        assert case.verify_audit().ok
        with pytest.raises(RuntimeError, match="father's name"):
            downgrade(case, "0013")  # it would lose the father's correction
        assert name_corrections(case)[-1].father_latin == "After Upgrade"


def test_names_explain_person_says_where_each_name_came_from(linked) -> None:  # noqa: F811
    from typer.testing import CliRunner

    from dadkhah.cli import app
    from dadkhah.register import correct_name, name_provenance

    p = _person_with_father(linked)
    with linked.read() as conn:
        slugs = dict(conn.exec_driver_sql("SELECT id, slug FROM sources").all())
    prov = name_provenance(linked, p["id"])
    forms = {(f.field, f.script): f for f in prov.forms}
    assert forms["name", "latin"].origin == p["name_latin_origin"]
    assert forms["name", "fa"].sources == tuple(slugs[i] for i in p["name_fa_sources"])
    assert forms["name", "fa"].sources  # a Persian form is always written by a source
    assert forms["father", "latin"].origin == "machine" and not prov.corrections
    c = correct_name(linked, p["id"], latin="Checked Person", father_latin="Checked Father",
                     reason="family letter", by="e", role=None)
    loc = str(linked.location)
    linked.close()
    res = CliRunner().invoke(app, ["--case", loc, "names", "explain", "--person",
                                   str(p["id"]), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    got = {(f["field"], f["script"]): f for f in out["forms"]}
    for key, value in ((("name", "latin"), "Checked Person"),
                       (("father", "latin"), "Checked Father")):
        assert (got[key]["value"], got[key]["origin"]) == (value, "person")
        assert got[key]["correction_id"] == c.correction_id
    assert got["name", "fa"]["origin"] == "source" and got["name", "fa"]["sources"]
    res = CliRunner().invoke(app, ["--case", loc, "names", "explain", "--person",
                                   str(p["id"])])
    assert res.exit_code == 0 and "person" in res.output
    assert "Checked Father" in res.output and f"correction {c.correction_id}" in res.output
    res = CliRunner().invoke(app, ["--case", loc, "names", "explain", "--person", "999999"])
    assert res.exit_code != 0 and "No person 999999" in res.output
    res = CliRunner().invoke(app, ["--case", loc, "names", "explain"])
    assert res.exit_code != 0 and "Nothing to explain" in res.output
