"""The public portal shows only what is marked public: checked by crawling it.

One private copy of the session's SYNTHETIC case (``portal_site``) gets a third of its
persons published, a public article and a draft, submissions with contact details (pending,
accepted and rejected) and a witness testimony.  The crawler follows every link from ``/``
and every URL in the JSON API from ``/api/public/``, in English and in Persian, and every
response is searched for the protected values: submitters' contacts and notes, witness
identities, the draft, and the names of persons that are not published.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.web.conftest import copy_case, login, make_client, with_published_name

ARTICLE = """In the summer of 1988 the main prisons were closed to visits.[^abr]

- Evin
- Gohardasht

[^abr]: Abrahamian, *Tortured Confessions* (1999). https://www.iranrights.org/library/document/289
"""


@dataclass
class PortalSite:
    location: str
    public_ids: list[int]
    hidden_ids: list[int]
    protected: dict[str, str] = field(default_factory=dict)  # what → value never shown
    pending_id: int = 0
    person_fa: str = ""  # a published person's Persian name


def build_portal_site(source: str, target: Path) -> PortalSite:
    from dadkhah import portal
    from dadkhah.casefile.testimony import TestimonyKey, add_testimony
    from dadkhah.register import get_person
    from dadkhah.store import Case

    loc = str(copy_case(source, target))
    case = Case.open(loc)
    ids = portal.synthetic_person_ids(case)
    public, hidden = ids[::3][:45], [i for i in ids if i % 3 != ids[0] % 3]
    portal.publish(case, public, by="tests", role="editor")
    site = PortalSite(loc, public, hidden)
    shown = portal.memorial_entries(case, limit=1000)[0]
    public_names = [n for e in shown for n in (e.name_fa, e.name_latin) if n]
    site.person_fa = next(e.name_fa for e in shown if e.name_fa)
    n = 0
    for pid in hidden:  # names of unpublished persons that no published name contains
        p = get_person(case, pid)
        for script, name in (("fa", p["name_fa"]), ("latin", p["name_latin"])):
            if name and len(name) > 6 and not any(name in x or x in name
                                                  for x in public_names):
                site.protected[f"unpublished name {pid} {script}"] = name
                n += 1
        if n >= 40:
            break
    portal.add_article(case, slug="summer-1988", title="Summer 1988", body=ARTICLE,
                       public=True, by="tests", role="editor")
    portal.add_article(case, slug="draft", title="Draft title Ql28",
                       body="Unpublished draft text Ql29.[^a]\n\n[^a]: note\n",
                       by="tests", role="editor")
    site.protected |= {"draft title": "Draft title Ql28", "draft text": "Ql29"}

    def send(name: str, contact: str, notes: str) -> int:
        form = portal.validate_submission({"full_name": name, "relation": "cousin Rl55",
                                           "contact": contact, "notes": notes,
                                           "death_date": "1367/05/10"})
        return portal.submit(case, form).id

    site.pending_id = send("Pendingname Vx44", "kin-contact-7731@example.org",
                           "pending note Qx91")
    acc = send("Acceptedname Vx45", "+98 912 555 0199", "accepted note Qx92")
    rej = send("Rejectedname Vx46", "rejected-kin@example.org", "rejected note Qx93")
    portal.accept(case, acc, by="tests", role="reviewer")
    portal.reject(case, rej, reason="test", by="tests", role="reviewer")
    site.protected |= {
        "pending contact": "kin-contact-7731@example.org", "pending name": "Pendingname Vx44",
        "pending notes": "pending note Qx91", "accepted contact": "+98 912 555 0199",
        "accepted notes": "accepted note Qx92", "rejected contact": "rejected-kin@example.org",
        "rejected name": "Rejectedname Vx46", "relation": "cousin Rl55",
    }
    add_testimony(case, pseudonym="witness-a", identity="Witness Identity Zr83",
                  contact="witness-zr83@example.org", summary="testimony summary Zr84",
                  key=TestimonyKey.generate(), by="tests", role="admin")
    site.protected |= {"witness identity": "Witness Identity Zr83",
                       "witness contact": "witness-zr83@example.org",
                       "testimony summary": "testimony summary Zr84"}
    case.close()
    return site


@pytest.fixture(scope="module")
def portal_site(web_case, tmp_path_factory) -> PortalSite:
    return build_portal_site(web_case.location, tmp_path_factory.mktemp("portal") / "case")


@pytest.fixture
def site_client(portal_site):
    with make_client(portal_site.location) as c:
        yield c


_HREF = re.compile(r'(?:href|action)="([^"#]*)')


def _links(url: str, response: Any) -> list[str]:
    ctype = response.headers.get("content-type", "")
    if "json" in ctype:
        found: list[str] = []

        def walk(x: Any) -> None:
            if isinstance(x, dict):
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)
            elif isinstance(x, str) and x.startswith("/") and not x.startswith("//"):
                found.append(x)

        walk(response.json())
        return found
    return [urljoin(url, h.replace("&amp;", "&")) for h in _HREF.findall(response.text)]


def crawl(client: Any, starts: list[str], limit: int = 800) -> dict[str, Any]:
    """Every public URL reachable from ``starts`` (GET only; team pages and static files are
    not the public portal and are left out)."""
    seen: dict[str, Any] = {}
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or parts.path.startswith(("/team", "/static", "/lang")):
            continue
        r = client.get(path)
        seen[path] = r
        queue.extend(_links(path, r))
    return seen


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_crawl_finds_no_protected_value(site_client, portal_site, lang) -> None:
    site_client.cookies.set("dadkhah_lang", lang)
    pages = crawl(site_client, ["/", "/api/public/"])
    assert all(r.status_code == 200 for r in pages.values()), \
        [(u, r.status_code) for u, r in pages.items() if r.status_code != 200]
    # The crawl reached every published entry, in HTML and JSON, and the public article.
    for pid in portal_site.public_ids:
        assert f"/memorial/{pid}" in pages and f"/api/public/persons/{pid}" in pages
    assert "/articles/summer-1988" in pages and "/api/public/articles/summer-1988" in pages
    assert len(portal_site.protected) >= 40
    leaks = [(what, url) for url, r in pages.items()
             for what, value in portal_site.protected.items() if value in r.text
             or json.dumps(value)[1:-1] in r.text]
    assert leaks == []
    hidden = set(portal_site.hidden_ids)
    linked = {int(m) for r in pages.values() for m in re.findall(r"/memorial/(\d+)", r.text)}
    assert linked and not linked & hidden


def test_unpublished_person_is_not_found_anywhere(site_client, portal_site) -> None:
    for pid in portal_site.hidden_ids[:5]:
        assert site_client.get(f"/memorial/{pid}").status_code == 404
        r = site_client.get(f"/api/public/persons/{pid}")
        assert r.status_code == 404 and r.json()["ok"] is False
        assert site_client.get(f"/submit?person_id={pid}").status_code == 404
    # An id that does not exist answers exactly like an unpublished one.
    a = site_client.get(f"/api/public/persons/{portal_site.hidden_ids[0]}").json()
    b = site_client.get("/api/public/persons/99999999").json()
    assert a["status"] == b["status"] == 404 and a["hint"] == b["hint"]


def test_searching_unpublished_names_finds_nothing(site_client, portal_site) -> None:
    names = [v for k, v in portal_site.protected.items() if k.startswith("unpublished")][:10]
    for name in names:
        r = site_client.get("/api/public/persons", params={"q": name})
        assert r.json()["persons"] == [], name
        html = site_client.get("/memorial", params={"q": name}).text
        assert "entry-link" not in html


def test_drafts_and_articles(site_client) -> None:
    assert site_client.get("/articles/draft").status_code == 404
    assert site_client.get("/api/public/articles/draft").status_code == 404
    html = site_client.get("/articles/summer-1988").text
    assert 'href="#fn-1"' in html and "<em>Tortured Confessions</em>" in html
    data = site_client.get("/api/public/articles/summer-1988").json()
    assert data["footnotes"][0]["number"] == 1 and "Abrahamian" in data["footnotes"][0]["text"]


def test_memorial_pages_label_synthetic_entries(site_client, portal_site) -> None:
    pid = portal_site.public_ids[0]
    html = site_client.get(f"/memorial/{pid}").text
    assert "SYNTHETIC" in html and "synthetic-warning" in html
    assert site_client.get(f"/api/public/persons/{pid}").json()["synthetic"] is True


def test_a_bidi_override_in_a_name_is_neutralised_on_the_pages(portal_site, tmp_path) -> None:
    """I21: `\u202eevil\u202c Hosseini` rendered as is reads "live Hosseini"; the stored
    name stays verbatim, the person page and the memorial show it without the controls."""
    pid = portal_site.public_ids[0]
    spoof = "\u202eevil\u202c Hosseini \u2067x\u2069"
    location = with_published_name(portal_site.location, tmp_path / "case", pid, spoof)
    with make_client(str(location)) as c:
        memorial = c.get(f"/memorial/{pid}").text
        listing = c.get("/memorial", params={"q": "Hosseini"}).text
        login(c, "viewer")
        person = c.get(f"/team/persons/{pid}").text
    for html in (memorial, person):
        assert "evil\u202c Hosseini" not in html and "evil Hosseini x" in html
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", html)
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", listing)
    with sqlite3.connect(location / "case.db") as db:
        assert db.execute("select name_latin from persons where id = ?",
                          (pid,)).fetchone()[0] == spoof


def test_persian_portal_is_rtl_with_persian_digits(site_client, portal_site) -> None:
    site_client.cookies.set("dadkhah_lang", "fa")
    html = site_client.get("/memorial").text
    assert '<html lang="fa" dir="rtl">' in html
    count = re.search(r'<p class="note">([^<]*)</p>', html).group(1)
    assert re.search("[۰-۹]", count) and not re.search("[0-9]", count)
    assert "۱۳۶۷/" in html  # Solar Hijri dates in Persian digits


def test_search_a_persian_name_typed_in_latin(site_client, portal_site) -> None:
    from dadkhah.names import latin_form

    typed = latin_form(portal_site.person_fa).lower().replace("ou", "u").replace("ss", "s")
    site_client.cookies.set("dadkhah_lang", "fa")
    html = site_client.get("/memorial", params={"q": typed}).text
    assert portal_site.person_fa in html and "entry-link" in html
    found = site_client.get("/api/public/persons", params={"q": typed}).json()["persons"]
    assert portal_site.person_fa in [p["name_fa"] for p in found]
