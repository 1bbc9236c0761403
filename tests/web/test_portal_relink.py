"""A relink never changes a published memorial entry (security review W35).

The review's reproduction: a person is published; an informant's list that must never be
public is imported, and a relink links its record to that person.  The memorial page, the
public API and the memorial search must show neither the list's title nor its spelling.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.web.conftest import make_client

TITLE = "CONFIDENTIAL informant list from guard R. at Evin (do not publish)"
SPELLING = "Kouroshqx Mirzamahdipourqx"


def _persian_only_person(case) -> dict:
    """A person whose records are all in Persian (so a Latin record sets its Latin name)."""
    from dadkhah.names import detect_script
    from dadkhah.register import get_person, list_persons

    for p in list_persons(case, limit=1000):
        if not (p["name_fa"] and p["death_earliest"]):
            continue
        full = get_person(case, p["id"])
        if all(detect_script(r.get("full_name") or "") == "persian" for r in full["records"]):
            return full
    raise AssertionError("no person named in Persian only")


def test_a_relink_does_not_put_a_confidential_source_on_a_published_entry(
        fresh_case, tmp_path: Path) -> None:
    from dadkhah.ingest import import_file
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.portal import publish
    from dadkhah.register import get_person, normalize_case, record_decision
    from dadkhah.store import Case

    case = Case.open(fresh_case.location)
    p = _persian_only_person(case)
    publish(case, [p["id"]], by="ed", role="editor")
    with make_client(fresh_case.location) as c:
        before_api = c.get(f"/api/public/persons/{p['id']}").json()
    case.add_source(slug="informant", title=TITLE, kind="other", reliability="D", by="t")
    csv = tmp_path / "informant.csv"
    csv.write_text("name,death date,prison\n"
                   f"{SPELLING},{p['death_earliest']},Evin\n", encoding="utf-8")
    import_file(case, csv, source="informant", by="t")
    normalize_case(case, by="t")
    with case.read() as conn:
        new = conn.exec_driver_sql("SELECT r.id FROM source_records r JOIN sources s "
                                   "ON s.id = r.source_id WHERE s.slug='informant'").scalar()
    record_decision(case, new, p["records"][0]["id"], "match", by="t", reason="informant")
    link_case(case, by="t")
    after = get_person(case, p["id"])  # the relink kept the id and linked the record to it
    assert after["status"] == "active" and new in [r["id"] for r in after["records"]]
    assert after["name_latin"] == SPELLING
    case.close()

    surname = SPELLING.split()[1]
    with make_client(fresh_case.location) as c:
        api = c.get(f"/api/public/persons/{p['id']}").json()
        assert api == before_api and api["synthetic"] is True
        responses = [c.get(f"/memorial/{p['id']}"), c.get(f"/memorial/{p['id']}?lang=fa"),
                     c.get(f"/api/public/persons/{p['id']}"), c.get("/api/public/persons"),
                     c.get("/memorial")]
        for r in responses:
            assert r.status_code == 200, r.url
            for secret in ("CONFIDENTIAL", "informant", "qx"):
                assert secret not in r.text, (r.url, secret)
        # the confidential spelling does not find the entry (a search page echoes the query)
        for q in (SPELLING, surname, "Mirzamahdipour"):
            found = c.get("/api/public/persons", params={"q": q}).json()["persons"]
            assert found == [], q
            page = c.get("/memorial", params={"q": q}).text
            assert f"/memorial/{p['id']}" not in page and "CONFIDENTIAL" not in page
        # the published names still find the entry
        hits = c.get("/api/public/persons", params={"q": p["name_fa"]}).json()["persons"]
        assert p["id"] in [h["person_id"] for h in hits]
    assert not re.search(r"Mirzamahdipour", json.dumps(api))


def test_publishing_again_shows_what_the_relink_linked(fresh_case, tmp_path: Path) -> None:
    """Publishing is the step that makes a new record public: it refreshes the snapshot."""
    from dadkhah.ingest import import_file
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.portal import memorial_entry, publish
    from dadkhah.register import normalize_case, record_decision
    from dadkhah.store import Case

    case = Case.open(fresh_case.location)
    p = _persian_only_person(case)
    publish(case, [p["id"]], by="ed", role="editor")
    case.add_source(slug="second", title="A second public list", kind="other", by="t",
                    synthetic=True)
    csv = tmp_path / "second.csv"
    csv.write_text(f"name\n{SPELLING}\n", encoding="utf-8")
    import_file(case, csv, source="second", by="t")
    normalize_case(case, by="t")
    with case.read() as conn:
        new = conn.exec_driver_sql("SELECT max(id) FROM source_records").scalar()
    record_decision(case, new, p["records"][0]["id"], "match", by="t", reason="same")
    link_case(case, by="t")
    assert "A second public list" not in memorial_entry(case, p["id"]).sources
    rep = publish(case, [p["id"]], by="ed", role="editor")
    assert rep.unchanged == (p["id"],)
    e = memorial_entry(case, p["id"])
    assert "A second public list" in e.sources and e.name_latin == SPELLING
    assert case.verify_audit().ok
    case.close()
