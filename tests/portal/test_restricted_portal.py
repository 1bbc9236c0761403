"""The public portal never shows restricted data (issue 16, review W35): not after a relink
links a restricted source's record to a published person, not after a published person's
source is restricted, and not when the person is published again."""

from __future__ import annotations

from html import escape

from dadkhah.access import Viewer
from dadkhah.ingest import import_file
from dadkhah.linkage.pipeline import link_case
from dadkhah.names import name_key, written_forms
from dadkhah.portal import memorial_entries, memorial_entry, publish, search_memorial
from dadkhah.register import (
    get_person,
    list_persons,
    normalize_case,
    query_keys,
    restrict,
)
from dadkhah.users import add_user
from tests.portal.conftest import person_with_records

TITLE = "CONFIDENTIAL informant list from guard R. (do not publish)"
ALL = Viewer(sees_all=True)


def _public_text(case, pid: int) -> str:
    e = memorial_entry(case, pid)
    return repr(e.to_dict()) + repr([x.to_dict() for x in memorial_entries(case)[0]])


def test_relink_with_a_restricted_source_changes_nothing_public(linked, tmp_path) -> None:
    add_user(linked, "alice", "correct horse battery staple", role="editor", by="admin")
    p = person_with_records(linked, 2)
    publish(linked, [p["id"]], by="ed", role="editor")
    before = memorial_entry(linked, p["id"])
    linked.add_source(slug="informant", title=TITLE, kind="other", reliability="D",
                      synthetic=False, by="ed")
    sid = linked.resolve_source_id("informant")
    restrict(linked, "source", sid, users=["alice"], by="ed", role="editor")
    r = p["records"][0]
    name = r.get("full_name") or f"{r.get('given_names', '')} {r.get('surname', '')}".strip()
    f = tmp_path / "informant.csv"
    f.write_text("name,father name,death date,prison,city,notes\n"
                 f"{name},{r.get('father_name', '')},"
                 f"{r.get('death_date', '')},{r.get('prison', '')},{r.get('city', '')},"
                 "informant says\n", encoding="utf-8")
    assert import_file(linked, f, source="informant", by="ed").rows_imported == 1
    normalize_case(linked, by="ed")
    link_case(linked, by="ed")
    holder = next(x for x in list_persons(linked, limit=5000, viewer=ALL)
                  if sid in x["sources"])
    publish(linked, [holder["id"]], by="ed", role="editor")  # a re-publish, too
    for pid in {p["id"], holder["id"]}:
        text = _public_text(linked, pid)
        assert TITLE not in text and "informant" not in text
        assert memorial_entry(linked, pid).synthetic
    if holder["id"] == p["id"]:  # the relink kept the person: the entry is as published
        assert memorial_entry(linked, p["id"]).sources == before.sources


def test_restricting_a_published_source_withdraws_it_from_the_memorial(linked) -> None:
    add_user(linked, "alice", "correct horse battery staple", role="editor", by="admin")
    p = next(x for x in list_persons(linked, limit=1000)
             if x["n_sources"] >= 2 and x["name_latin_origin"] == "source"
             and len(x["name_latin_sources"]) == 1)
    src = p["name_latin_sources"][0]
    title = next(s.title for s in linked.sources(ALL) if s.id == src)
    publish(linked, [p["id"]], by="ed", role="editor")
    assert title in memorial_entry(linked, p["id"]).sources
    restrict(linked, "source", src, users=["alice"], by="ed", role="editor")
    e = memorial_entry(linked, p["id"])
    assert title not in e.sources and title not in e.name_latin_written_by
    visible = [r for r in get_person(linked, p["id"], viewer=ALL)["records"]
               if r["source_id"] != src]
    latin = {written_forms(r.get("full_name"), r.get("given_names"), r.get("surname")).latin
             for r in visible}
    assert e.name_latin_origin == "machine" or e.name_latin in latin
    keys = {name_key(v) for r in visible for v in (
        r.get("full_name"), r.get("given_names"), r.get("surname"),
        f"{r.get('given_names', '')} {r.get('surname', '')}".strip()) if v}
    if p["name_latin"] not in latin:  # the restricted spelling is not shown ...
        assert e.name_latin != p["name_latin"]
        # ... nor found, unless a visible record has its cross-script key
        if not set(query_keys(p["name_latin"])) & keys:
            assert p["id"] not in [x.person_id
                                   for x in search_memorial(linked, p["name_latin"])]
    assert p["id"] in [x.person_id for x in search_memorial(linked, e.name_fa)]
    # publishing again snapshots the unrestricted view only
    publish(linked, [p["id"]], by="ed", role="editor")
    assert title not in _public_text(linked, p["id"])


def test_report_and_exports_leave_out_a_restricted_source(linked, tmp_path) -> None:
    from dadkhah.report import write_report
    from dadkhah.report.exports import write_every_casualty, write_histories, write_register

    add_user(linked, "alice", "correct horse battery staple", role="editor", by="admin")
    src = next(s for s in linked.sources(ALL) if s.records > 0)
    only = [x for x in list_persons(linked, limit=5000, viewer=ALL) if x["sources"] == [src.id]]
    assert only, "a person named by that source alone"
    restrict(linked, "source", src.id, users=["alice"], by="ed", role="editor")
    bob, alice = Viewer("bob"), Viewer("alice")
    for who, seen in ((bob, False), (alice, True), (ALL, True)):
        out = tmp_path / f"report-{who.username}.html"
        res = write_report(linked, out, methods=("loglinear",), stratum_methods=(),
                           include_names=True, linkage_draws=0, imputations=1, viewer=who,
                           actor=who.username or "admin")
        html = out.read_text(encoding="utf-8")
        assert (escape(src.title).replace("&#x27;", "&#39;") in html) is seen, who
        # a person only the restricted source names is not in the report's list of names
        assert (res.persons == len(list_persons(linked, limit=5000, viewer=ALL))) is seen
        reg = write_register(linked, tmp_path / f"r-{who.username}.json", fmt="json",
                             viewer=who)
        ecw = write_every_casualty(linked, tmp_path / f"e-{who.username}.csv", viewer=who)
        hist = write_histories(linked, tmp_path / f"h-{who.username}.csv", viewer=who)
        texts = [p.read_text(encoding="utf-8") for p in (reg.path, ecw.path, hist.path)]
        assert all((src.slug in t) is seen for t in texts), who
        ids = {int(line.split(",")[0]) for line in texts[1].splitlines()[1:]}
        assert ({x["id"] for x in only} <= ids) is seen
