"""Restricted records on the team pages, the API and the memorial (issue 16): an informant's
record restricted to the editor and linked to a person by a relink shows for the editor
only, never for the viewer (search, person page, review queue, API) nor the public.  The
restriction is made through the admin page, as a team member would."""

from __future__ import annotations

from pathlib import Path

from tests.web.conftest import login, make_client

TITLE = "CONFIDENTIAL informant list (do not publish)"
SPELLING = "Kouroshqx Mirzamahdipourqx"


def test_restricted_record_reaches_only_its_users(fresh_case, tmp_path: Path) -> None:
    from dadkhah.ingest import import_file
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.portal import publish
    from dadkhah.register import list_persons, normalize_case, record_decision
    from dadkhah.store import Case

    case = Case.open(fresh_case.location)
    p = next(x for x in list_persons(case, limit=500) if x["death_earliest"])
    publish(case, [p["id"]], by="ed", role="editor")
    case.add_source(slug="informant", title=TITLE, kind="other", reliability="A", by="t")
    csv = tmp_path / "informant.csv"
    csv.write_text(f"name,death date,prison\n{SPELLING},{p['death_earliest']},Evin\n",
                   encoding="utf-8")
    import_file(case, csv, source="informant", by="t")
    normalize_case(case, by="t")
    with case.read() as conn:
        new = conn.exec_driver_sql("SELECT r.id FROM source_records r JOIN sources s "
                                   "ON s.id = r.source_id WHERE s.slug='informant'").scalar()
        first = conn.exec_driver_sql(f"SELECT min(record_id) FROM person_records "
                                     f"WHERE person_id={p['id']}").scalar()
    record_decision(case, new, first, "match", by="t", reason="informant")
    link_case(case, by="t")
    sid = case.resolve_source_id("informant")
    case.close()
    with make_client(fresh_case.location) as c:  # the admin restricts it on the admin page
        token = login(c, "admin")
        r = c.post("/team/restrictions", data={"kind": "source", "object_id": "informant",
                                               "users": "editor", "reason": "informant",
                                               "csrf_token": token}, follow_redirects=True)
        assert r.status_code == 200 and "editor" in r.text
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        assert c.get("/team/restrictions").status_code == 403
    case = Case.open(fresh_case.location)
    holder = next(x for x in list_persons(case, limit=5000, viewer=_all())
                  if sid in x["sources"])
    case.close()
    pages = [f"/team/persons/{holder['id']}", "/team/search?q=Mirzamahdipourqx",
             f"/team/search?q={holder['id']}", "/team/sources", "/team/imports", "/team/"]
    for role, seen in (("viewer", False), ("reviewer", False), ("editor", True)):
        with make_client(fresh_case.location) as c:
            login(c, role)
            text = "".join(c.get(u).text for u in pages)
            assert (SPELLING in text) is seen, role
            assert (TITLE in text) is seen, role
            api = {"Authorization": f"Bearer {fresh_case.tokens[role]}"}
            person = c.get(f"/api/persons/{holder['id']}", headers=api).text
            titles = c.get("/api/sources", headers=api).text
            queue = c.get("/api/review/queue?limit=100", headers=api).text
            assert ("Mirzamahdipourqx" in person) is seen and (TITLE in titles) is seen, role
            if not seen:
                assert "Mirzamahdipourqx" not in queue + titles and TITLE not in person
            hits = c.get("/api/persons?q=Mirzamahdipourqx", headers=api).json()["hits"]
            assert ([h["id"] for h in hits] == [holder["id"]]) is seen, role
            assert (SPELLING in repr(hits)) is seen, role
            assert c.get(f"/api/persons/{holder['id']}", headers=api).status_code == 200
    with make_client(fresh_case.location) as c:  # the public: never
        text = "".join(c.get(u).text for u in (
            f"/api/public/persons/{p['id']}", f"/api/public/persons/{holder['id']}",
            "/api/public/persons?q=Mirzamahdipourqx", f"/memorial/{p['id']}"))
        assert "Mirzamahdipourqx" not in text and TITLE not in text


def _all():
    from dadkhah.access import Viewer

    return Viewer(sees_all=True)
