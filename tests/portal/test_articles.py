"""Articles: footnotes checked and rendered safely."""

from __future__ import annotations

import re

import pytest

from dadkhah.errors import AccessDenied, NotFound
from dadkhah.portal import ArticleInvalid, add_article, get_article, list_articles, render_body

BODY = """## In brief

Executions began in late July 1988.[^ai] Prisons were closed to visits.[^abr][^ai]

- Evin
- Gohardasht

[^ai]: Amnesty International, *Blood-soaked secrets* (2018).
    https://www.amnesty.org/en/documents/mde13/9421/2018/en/
[^abr]: Abrahamian, Tortured Confessions (1999).
"""


def test_footnotes_are_numbered_in_citation_order() -> None:
    html, notes = render_body(BODY)
    assert [(n.number, n.label) for n in notes] == [(1, "ai"), (2, "abr")]
    assert html.count('href="#fn-1"') == 2 and html.count('href="#fn-2"') == 1
    assert '<a href="https://www.amnesty.org/en/documents/mde13/9421/2018/en/"' in html
    assert "<h2>In brief</h2>" in html and "<li>Evin</li>" in html
    assert "<em>Blood-soaked secrets</em>" in html


def test_markup_in_the_text_is_escaped() -> None:
    html, _ = render_body('<script>alert(1)</script> "x" [^a]\n\n'
                          '[^a]: javascript:alert(1) <img src=x onerror=alert(1)>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html


@pytest.mark.parametrize(("body", "message"), [
    ("Text.[^x]\n", r"Line 1: reference \[\^x\] has no note"),
    ("Text.\n\n[^x]: note\n", r"never cited"),
    ("A.[^x]\n\n[^x]: one\n[^x]: two\n", r"Line 4: footnote \[\^x\] is defined twice"),
    ("", "no text"),
])
def test_broken_bodies_are_refused_with_their_line(body: str, message: str) -> None:
    with pytest.raises(ArticleInvalid, match=message):
        render_body(body)


def test_drafts_are_not_public(case) -> None:
    add_article(case, slug="draft", title="Draft", body=BODY, by="ed", role="editor")
    a = add_article(case, slug="brief", title="In brief", body=BODY, public=True, by="ed",
                    role="editor")
    assert len(a.footnotes) == 2
    assert [x.slug for x in list_articles(case)] == ["brief"]
    with pytest.raises(NotFound):
        get_article(case, "draft")
    assert get_article(case, "draft", public_only=False).title == "Draft"
    with pytest.raises(AccessDenied):
        add_article(case, slug="x", title="x", body=BODY, by="r", role="reviewer")
    assert case.verify_audit().ok


def test_adjacent_references_are_separated_and_anchors_unique() -> None:
    html, _ = render_body("One.[^a][^b] Two.[^a]\n\n[^a]: first\n[^b]: second\n")
    assert '<sup class="fnref"><a href="#fn-1" id="fnref-1">1</a>,' \
           '<a href="#fn-2" id="fnref-2">2</a></sup>' in html
    assert html.count('id="fnref-1"') == 1 and html.count('href="#fn-1"') == 2


def test_emphasis_never_rewrites_a_footnote_link() -> None:
    """W23: `*…*` spanning two addresses in a note turned the first link's target into
    `https://a.example/<em>x`."""
    html, _ = render_body("Text.[^b]\n\n"
                          "[^b]: https://a.example/*x *y* https://b.example/*z and *this*")
    assert '<a href="https://a.example/*x"' in html
    assert '<a href="https://b.example/*z"' in html
    assert "<em>y</em>" in html and "<em>this</em>" in html
    assert not re.search(r'href="[^"]*<', html)
