"""Every team page in Persian shows no English interface text where the Persian catalog has
its own (issue #17 item 7): each page is rendered for a Persian user, and no English
message whose Persian translation differs may appear in its text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dadkhah.web import i18n
from tests.web.conftest import copy_case, login, make_client

PAGES = ["/team/", "/team/search?q=a", "/team/review", "/team/sources", "/team/imports",
         "/team/jobs", "/team/users", "/team/audit", "/team/casefile/", "/team/casefile/map",
         "/places", "/team/restrictions"]


class _Text(HTMLParser):
    """The text a reader sees, without scripts, styles and hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # type: ignore[type-arg]
        if tag in ("script", "style", "title"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "title") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    p = _Text()
    p.feed(html)
    return " ".join(" ".join(p.parts).split())


def _english_fragments() -> dict[str, str]:
    """English interface text (the longest literal piece of each message, at least three
    words) of every message the Persian catalog translates differently."""
    en, fa = i18n.catalog("en"), i18n.catalog("fa")
    out = {}
    for key, text in en.items():
        if key not in fa or fa[key] == text:
            continue
        piece = max(re.split(r"\{[^}]*\}", text), key=len).strip(" .,:;()")
        if len(piece.split()) >= 3:
            out[key] = piece
    return out


@pytest.fixture(scope="module")
def persian_pages(web_case, tmp_path_factory):  # type: ignore[no-untyped-def]
    # A private copy: the admin's language changes and a relink job runs.
    location = copy_case(web_case.pristine, tmp_path_factory.mktemp("fa-pages") / "case")
    with make_client(str(location)) as c:
        token = login(c, "admin")
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        r = c.post("/team/jobs", data={"csrf_token": login(c, "admin"), "kind": "link"})
        pages = {path: c.get(path).text for path in [*PAGES, r.url.path]}
        person = re.search(r'href="(/team/persons/\d+)"', pages["/team/search?q=a"])
        if person:
            pages[person.group(1)] = c.get(person.group(1)).text
        c.post("/lang", data={"lang": "en", "next": "/team/", "csrf_token": login(c, "admin")})
        pages["english:/team/review"] = c.get("/team/review").text  # the detector's control
    return pages


def test_persian_pages_are_persian(persian_pages) -> None:  # type: ignore[no-untyped-def]
    assert len(persian_pages) >= len(PAGES) + 1
    for path, html in persian_pages.items():
        if not path.startswith("english:"):
            assert '<html lang="fa" dir="rtl">' in html, path


def test_no_english_interface_text_in_persian_pages(persian_pages) -> None:  # type: ignore[no-untyped-def]
    fragments = _english_fragments()
    assert len(fragments) > 50
    left = {path: sorted(k for k, piece in fragments.items() if piece in _visible(html))
            for path, html in persian_pages.items()}
    # The same check finds the English page's messages: it can see what it looks for.
    assert {"evidence.intro", "review.keys"} <= set(left.pop("english:/team/review"))
    assert not {p: k for p, k in left.items() if k}, left
