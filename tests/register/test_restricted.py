"""Restricted records (issue 16): a restricted source's records, names, dates and title never
reach another user's view of the register (search, person, records, review queue, exports'
readers) nor the public portal, whatever a relink does; the users and groups it is restricted
to see it.  Checked on a linked SYNTHETIC case against what the visible records hold."""

from __future__ import annotations

import pytest

from dadkhah.access import NOBODY, Viewer
from dadkhah.errors import AccessDenied, InvalidInput, NotFound
from dadkhah.names import written_forms
from dadkhah.register import (
    create_group,
    get_person,
    iter_person_records,
    iter_provenance,
    list_persons,
    restrict,
    restrictions,
    review_queue,
    search_persons,
    search_records,
    unrestrict,
)
from dadkhah.users import add_user
from tests.portal.conftest import linked, linked_template  # noqa: F401

ALICE = Viewer("alice", "editor")
BOB = Viewer("bob", "viewer")
CAROL = Viewer("carol", "reviewer")


def _team(case) -> None:
    for name, role in (("alice", "editor"), ("bob", "viewer"), ("carol", "reviewer")):
        add_user(case, name, "correct horse battery staple", role=role, by="admin")


def _written_latin(case, record_ids) -> set[str]:
    """Every Latin form the given records write (what a visible view may show)."""
    out = set()
    for r in case.iter_records():
        if r.id in record_ids:
            f = r.fields
            forms = written_forms(f.get("full_name"), f.get("given_names"), f.get("surname"))
            if forms.latin:
                out.add(forms.latin)
    return out


def _a_person_whose_latin_name_one_source_wrote(case) -> tuple[dict, int]:
    """A person with records from two or more sources whose Latin display name was written
    by exactly one of them, and the id of that source."""
    for p in list_persons(case, limit=1000, viewer=Viewer(sees_all=True)):
        if p["n_sources"] >= 2 and p["name_latin_origin"] == "source" \
                and len(p["name_latin_sources"]) == 1:
            return get_person(case, p["id"], viewer=Viewer(sees_all=True)), \
                p["name_latin_sources"][0]
    raise AssertionError("no such person in the synthetic case")


def test_a_restricted_source_never_reaches_another_users_register(linked) -> None:  # noqa: F811
    _team(linked)
    p, src = _a_person_whose_latin_name_one_source_wrote(linked)
    hidden_ids = {r["id"] for r in p["records"] if r["source_id"] == src}
    visible_ids = {r["id"] for r in p["records"]} - hidden_ids
    create_group(linked, "legal", members=["carol"], by="admin", role="admin")
    rows = restrict(linked, "source", src, users=["alice"], groups=["legal"],
                    reason="informant", by="admin", role="admin")
    assert {(r.user, r.group) for r in rows} == {("alice", None), (None, "legal")}

    for who in (ALICE, CAROL):  # named, or in a named group: everything, as before
        assert get_person(linked, p["id"], viewer=who)["name_latin"] == p["name_latin"]
        assert {r["id"] for r in get_person(linked, p["id"], viewer=who)["records"]} \
            == hidden_ids | visible_ids
    for who in (BOB, NOBODY, None):
        seen = get_person(linked, p["id"], viewer=who)
        assert {r["id"] for r in seen["records"]} == visible_ids
        assert src not in seen["sources"] and src not in seen["name_latin_sources"]
        assert seen["n_records"] == len(visible_ids)
        # the name shown is one a visible record wrote (or a machine form of one)
        assert seen["name_latin_origin"] == "machine" \
            or seen["name_latin"] in _written_latin(linked, visible_ids)
        hit = search_persons(linked, str(p["id"]), viewer=who).hits
        assert [h.name_latin for h in hit] == [seen["name_latin"]]
    # the hidden spelling finds nothing for bob, unless a visible record writes it too
    if p["name_latin"] not in _written_latin(linked, visible_ids):
        assert p["name_latin"] != get_person(linked, p["id"], viewer=BOB)["name_latin"]
        for h in search_persons(linked, p["name_latin"], viewer=BOB).hits:
            assert h.name_latin != p["name_latin"]
    # records, review queue, exports' readers
    assert not {r.id for r in search_records(linked, viewer=BOB)} & hidden_ids
    assert {r.id for r in search_records(linked, viewer=ALICE)} >= hidden_ids
    assert all(src not in (q.left["source_id"], q.right["source_id"])
               for q in review_queue(linked, limit=100, viewer=BOB))
    rows_bob = [r for r in iter_person_records(linked, viewer=BOB) if r["person_id"] == p["id"]]
    assert {r["record_id"] for r in rows_bob} == visible_ids
    assert {r["name_latin"] for r in rows_bob} == {get_person(linked, p["id"])["name_latin"]}
    prov = next(x for x in iter_provenance(linked, viewer=BOB) if x.person_id == p["id"])
    assert {r.record_id for r in prov.records} == visible_ids
    assert src not in {s.id for s in linked.sources(BOB)}
    assert src in {s.id for s in linked.sources(ALICE)}
    # removed from the group: carol loses it at once
    from dadkhah.register import remove_from_group

    remove_from_group(linked, "legal", ["carol"], by="admin", role="admin")
    assert {r["id"] for r in get_person(linked, p["id"], viewer=CAROL)["records"]} == visible_ids
    # lifted: everyone sees it again
    assert unrestrict(linked, "source", src, by="admin", role="admin") == []
    assert get_person(linked, p["id"], viewer=BOB)["name_latin"] == p["name_latin"]
    report = linked.verify_audit()
    assert report.ok
    with linked.engine.connect() as conn:
        actions = [r[0] for r in conn.exec_driver_sql("SELECT action FROM audit_log")]
    assert actions[-4:] == ["group.create", "restrict", "group.remove", "unrestrict"]


def test_a_person_only_restricted_records_name_does_not_exist_for_others(linked) -> None:  # noqa: F811,E501
    _team(linked)
    p = next(x for x in list_persons(linked, limit=500) if x["n_records"] == 1)
    rid = get_person(linked, p["id"])["records"][0]["id"]
    restrict(linked, "record", rid, users=["alice"], by="admin", role="editor")
    with pytest.raises(NotFound, match=f"No person {p['id']} in the register"):
        get_person(linked, p["id"], viewer=BOB)
    assert get_person(linked, p["id"], viewer=ALICE)["id"] == p["id"]
    assert p["id"] not in [x["id"] for x in list_persons(linked, limit=1000, viewer=BOB)]
    assert search_persons(linked, p["name_latin"], viewer=BOB).total == sum(
        1 for h in search_persons(linked, p["name_latin"], viewer=ALICE).hits
        if h.id != p["id"])
    assert p["id"] in [h.id for h in search_persons(linked, p["name_latin"],
                                                    viewer=ALICE).hits]


def test_restricting_needs_the_permission_and_a_known_target(linked) -> None:  # noqa: F811
    _team(linked)
    for role in ("viewer", "reviewer", None):
        with pytest.raises(AccessDenied):
            restrict(linked, "source", 1, users=["alice"], by="x", role=role)
    with pytest.raises(NotFound, match="No user 'mallory'"):
        restrict(linked, "source", 1, users=["alice", "mallory"], by="x", role="admin")
    with pytest.raises(NotFound, match="No source 999"):
        restrict(linked, "source", 999, users=["alice"], by="x", role="admin")
    with pytest.raises(InvalidInput, match="to whom"):
        restrict(linked, "source", 1, by="x", role="admin")
    assert restrictions(linked) == []  # all or nothing
    with pytest.raises(AccessDenied):
        Viewer.everything("bob", "editor")
    assert Viewer.everything("root", "admin").sees_all


def test_restrictions_are_tamper_evident(linked) -> None:  # noqa: F811
    import sqlite3
    from pathlib import Path

    _team(linked)
    restrict(linked, "source", 1, users=["alice"], by="admin", role="admin")
    assert linked.verify_audit().ok
    db = sqlite3.connect(Path(linked.location) / "case.db")  # lift it behind dadkhah's back
    db.create_function("dadkhah_tx", 0, lambda: "outside")
    with db:
        db.execute("DELETE FROM restrictions")
    db.close()
    report = linked.verify_audit()
    assert not report.ok
    assert "restrictions" in report.summary()


# -- a deterministic case, on SQLite and PostgreSQL ------------------------------------------
PUBLIC_CSV = "full_name,father_name,death_date,prison\nکوروش میرزامهدی,مهدی,1367/05/10,اوین\n" \
             "علی کاظمی,حسن,1367/05/12,اوین\n"
INFORMANT_CSV = "full_name,father_name,death_date,prison,notes\n" \
                "Kourosh Zarghamifar,Mahdi,1367/05/01,Gohardasht,guard R. says\n"


@pytest.fixture
def small(case_location, tmp_path):
    """Person 1 = a public Persian record + an informant's record with another spelling,
    another prison and date (the register as a linkage run leaves it, written directly:
    linkage is not under test); person 2 = a public record only; person 3 = the informant's
    second record only."""
    from dadkhah.ingest import import_file
    from dadkhah.register import normalize_case, summarise_records
    from dadkhah.store.tables import Person, PersonRecord
    from tests.register.conftest import case_from_csv

    case = case_from_csv(case_location, PUBLIC_CSV, tmp_path)
    case.add_source(slug="informant", title="CONFIDENTIAL informant list", kind="other",
                    reliability="A", synthetic=False, by="ed")
    f = tmp_path / "informant.csv"
    f.write_text(INFORMANT_CSV + "Parviz Khabarchi,,1367/05/02,Evin,\n", encoding="utf-8")
    import_file(case, f, source="informant", by="ed")
    normalize_case(case, by="ed")
    with case.write() as conn:
        for pid, records in ((1, [1, 3]), (2, [2]), (3, [4])):
            conn.execute(Person.__table__.insert().values(
                id=pid, status="active", **summarise_records(conn, records)))
            conn.execute(PersonRecord.__table__.insert(),
                         [{"record_id": r, "person_id": pid} for r in records])
    _team(case)
    restrict(case, "source", case.resolve_source_id("informant"), users=["alice"],
             by="ed", role="editor")
    yield case
    case.close()


def test_names_dates_and_places_of_a_restricted_record_do_not_leak(small) -> None:
    from dadkhah.portal import memorial_entry, publish, search_memorial

    full = get_person(small, 1, viewer=ALICE)
    assert full["name_latin"] == "Kourosh Zarghamifar"  # a source wrote it: beats machine
    assert full["prison_id"] is not None and full["n_records"] == 2
    seen = get_person(small, 1, viewer=BOB)
    assert seen["name_latin_origin"] == "machine" and "Zarghamifar" not in seen["name_latin"]
    assert seen["death_earliest"] == "1988-08-01" and seen["prison_id"] == "prison:evin"
    assert seen["n_records"] == 1 and [r["id"] for r in seen["records"]] == [1]
    assert search_persons(small, "Zarghamifar", viewer=BOB).total == 0
    assert search_persons(small, "Gohardasht", viewer=BOB).total == 0
    assert [h.id for h in search_persons(small, "Zarghamifar", viewer=ALICE).hits] == [1]
    assert search_persons(small, "", prison="prison:gohardasht", viewer=BOB).total == 0
    assert [h.id for h in search_persons(small, "Khabarchi", viewer=ALICE).hits] == [3]
    assert search_persons(small, "Khabarchi", viewer=BOB).total == 0
    with pytest.raises(NotFound):
        get_person(small, 3, viewer=BOB)
    assert [r.id for r in search_records(small, "Zarghamifar", viewer=BOB)] == []
    assert [r.id for r in search_records(small, "Zarghamifar", viewer=ALICE)] == [3]
    # the portal: the snapshot is the unrestricted view, searched by it only
    publish(small, [1], by="ed", role="editor")
    e = memorial_entry(small, 1)
    assert "Zarghamifar" not in repr(e) and "CONFIDENTIAL" not in repr(e) and e.synthetic
    assert search_memorial(small, "Zarghamifar") == []
    assert [x.person_id for x in search_memorial(small, "کوروش")] == [1]
    from dadkhah.errors import InvalidInput as Refused

    with pytest.raises(Refused, match="only by restricted records"):
        publish(small, [3], by="ed", role="editor")


def test_command_line_restricts_lists_and_exports_as_the_user(small, tmp_path) -> None:
    import csv

    from typer.testing import CliRunner

    from dadkhah.cli import app

    def run(*args: str, user: str = "bob") -> str:
        res = CliRunner().invoke(app, ["--case", str(small.location), "--user", user, *args])
        assert res.exit_code == 0, res.output
        return res.output

    out = run("restrict", "list")
    assert "source 2: open to user alice" in out
    assert "Zarghamifar" not in run("persons", "show", "1")
    assert "Zarghamifar" in run("persons", "show", "1", user="alice")
    assert "Zarghamifar" not in run("records", "list", "--search", "Zarghamifar")
    assert "Zarghamifar" in run("records", "show", "3", user="alice")
    shown = CliRunner().invoke(app, ["--case", str(small.location), "--user", "bob",
                                     "records", "show", "3"])
    assert shown.exit_code != 0 and "No source record 3" in shown.output
    for user, extra, seen in (("bob", [], False), ("alice", [], True),
                              ("root", ["--include-restricted", "--role", "admin"], True)):
        target = tmp_path / f"register-{user}.csv"
        run("export", "register", "-o", str(target), *extra, user=user)
        text = target.read_text(encoding="utf-8")
        assert ("Zarghamifar" in text) is seen and ("informant" in text) is seen
        rows = list(csv.DictReader(text.splitlines()))
        assert {r["person_id"] for r in rows} == ({"1", "2", "3"} if seen else {"1", "2"})
    res = CliRunner().invoke(app, ["--case", str(small.location), "--user", "ed", "export",
                                   "register", "-o", str(tmp_path / "x.csv"),
                                   "--include-restricted", "--role", "editor"])
    assert res.exit_code != 0 and "restricted" in res.output
    hist = tmp_path / "h.csv"
    run("export", "histories", "-o", str(hist))
    assert "informant" not in hist.read_text(encoding="utf-8").splitlines()[0]
    run("restrict", "remove", "source", "informant", "--role", "editor", user="ed")
    assert "Nothing is restricted" in run("restrict", "list")
    with small.engine.connect() as conn:
        details = [r[0] for r in conn.exec_driver_sql(
            "SELECT details FROM audit_log WHERE action = 'export.register' ORDER BY id")]
    assert '"include_restricted":true' in details[-1].replace(" ", "")


def test_command_line_sources_and_records_export_read_as_the_user(small, tmp_path) -> None:
    """``source list``, ``source show`` and ``export records`` read as ``--user`` (as the
    web does): a source kept from them is neither listed nor shown (answered as a missing
    one), nor is a recorded copy with it, and its records are not exported; an admin who asks
    exports everything (audited)."""
    import json

    from typer.testing import CliRunner

    from dadkhah.access import INTERNAL
    from dadkhah.cli import app

    small.set_source_copy("synthetic-1", "informant", by="ed", viewer=INTERNAL)

    def run(*args: str, user: str = "bob", ok: bool = True) -> str:
        res = CliRunner().invoke(app, ["--case", str(small.location), "--user", user, *args])
        assert (res.exit_code == 0) is ok, res.output
        return res.output

    for user, seen in (("bob", False), ("alice", True)):
        listed = run("source", "list", user=user)
        assert ("CONFIDENTIAL" in listed) is seen and ("informant" in listed) is seen
        slugs = {s["slug"] for s in json.loads(run("source", "list", "--json", user=user))}
        assert slugs == ({"synthetic-1", "informant"} if seen else {"synthetic-1"})
        shown = run("source", "show", "synthetic-1", user=user)
        assert ("informant" in shown) is seen, shown  # the copy names it
    hidden = run("source", "show", "informant", ok=False)
    missing = run("source", "show", "no-such-list", ok=False)
    assert hidden.replace("informant", "X") == missing.replace("no-such-list", "X")
    assert "CONFIDENTIAL" in run("source", "show", "informant", user="alice")
    for user, extra, seen in (("bob", [], False), ("alice", [], True),
                              ("root", ["--include-restricted", "--role", "admin"], True)):
        target = tmp_path / f"records-{user}.csv"
        run("export", "records", "-o", str(target), *extra, user=user)
        text = target.read_text(encoding="utf-8")
        assert ("Zarghamifar" in text) is seen and ("CONFIDENTIAL" in text) is seen, user
        assert "Ali" in text or "علی" in text  # the public records are there
    run("export", "records", "-o", str(tmp_path / "x.csv"), "--include-restricted",
        "--role", "editor", user="ed", ok=False)
    with small.engine.connect() as conn:
        details = [r[0] for r in conn.exec_driver_sql(
            "SELECT details FROM audit_log WHERE action = 'export.records' ORDER BY id")]
    assert '"include_restricted":true' in details[-1].replace(" ", "")


def test_migration_0015_down_and_up_and_refused_while_restricted(linked) -> None:  # noqa: F811
    from dadkhah.store import Case
    from dadkhah.store._engine import head_revision
    from tests.conftest import downgrade

    downgrade(linked, "0014")
    loc = linked.location
    linked.close()
    with Case.upgrade(loc, by="t") as case:
        assert case.schema_revision() == head_revision()
        _team(case)
        restrict(case, "source", 1, users=["alice"], by="t", role="admin")
        assert case.verify_audit().ok
        with pytest.raises(RuntimeError, match="restricted data to every user"):
            downgrade(case, "0014")
        assert [r.user for r in restrictions(case)] == ["alice"]


def test_the_citation_details_of_a_source_kept_from_the_writer_are_neither_set_nor_said(
        small, tmp_path) -> None:
    """``casefile cite`` (and :func:`cite_source`) on a source kept from the writer: the
    answer a missing source gets, nothing written; on main it printed the hidden source's
    title with no option given."""
    from typer.testing import CliRunner, Result

    from dadkhah.casefile import cite_source
    from dadkhah.cli import app
    from dadkhah.errors import NotFound

    def run(user: str, ref: str) -> Result:
        return CliRunner().invoke(app, ["--case", str(small.location), "--user", user,
                                        "casefile", "cite", ref, "--role", "editor"])

    head = small.audit_entries(limit=1)[0].id
    hidden, missing = run("bob", "informant"), run("bob", "no-such-list")
    assert hidden.exit_code == missing.exit_code == 1, hidden.output
    assert hidden.output.replace("informant", "X") == missing.output.replace("no-such-list", "X")
    assert "CONFIDENTIAL" not in hidden.output
    with pytest.raises(NotFound):
        cite_source(small, "informant", accessed_at="2026-01-02", by="bob", role="editor",
                    viewer=BOB)
    assert small.audit_entries(limit=1)[0].id == head
    shown = run("alice", "informant")
    assert shown.exit_code == 0 and "CONFIDENTIAL" in shown.output, shown.output
