"""The workspace on each store backend: the embedded SQLite case and PostgreSQL by URL."""

from __future__ import annotations

import re

from tests.web.conftest import PASSWORD, csrf_of, login


def test_workspace_on_each_backend(case_location, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from dadkhah import users
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case
    from dadkhah.web import create_app
    from tests.web.test_pages import latin_variant

    sc = simulated_case(case_location, scenario="small", persons=300, seed=9,
                        lists_folder=tmp_path / "lists")
    normalize_case(sc.case, by="tests")
    link_case(sc.case, by="tests")
    users.add_user(sc.case, "reviewer", PASSWORD, role="reviewer", by="tests")
    from dadkhah.register import list_persons

    person = next(p for p in list_persons(sc.case, limit=300) if p["name_fa"])
    sc.case.close()
    with TestClient(create_app(case_location, secret_key="k"),
                    base_url="https://testserver") as client:
        token = login(client, "reviewer")
        r = client.get("/team/search", params={"q": latin_variant(person["name_fa"])})
        assert f'href="/team/persons/{person["id"]}"' in r.text
        page = client.get("/team/review").text
        m = re.search(r'data-pair="(\d+)-(\d+)"', page)
        if m:
            r = client.post("/team/review/decide", data={
                "csrf_token": csrf_of(page), "record_l": m.group(1), "record_r": m.group(2),
                "decision": "match"})
            assert r.status_code == 200 and "Decision saved" in r.text
        assert client.get(f"/team/persons/{person['id']}").status_code == 200
        assert client.post("/team/logout", data={"csrf_token": token},
                           follow_redirects=False).status_code == 303
