"""Saved web pages (HTML) holding a list or a table of names, read into lines.

Tables give one line per row with its cells, and the header row's texts when the table has
one; ordered and unordered lists give one line per item; other text gives one line per
paragraph or ``<br>``-separated line that begins with an entry number.  The page's address
and capture time are read from what browsers and archivers leave in a saved page (Chrome's
``<!-- saved from url=… -->``, SingleFile's ``url:``/``saved date:`` comment, the canonical
link or ``og:url``) unless given.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from dadkhah.documents.entries import leading_number
from dadkhah.documents.model import Line, PageReport
from dadkhah.errors import IngestError

__all__ = ["page_origin", "read_html"]

_SAVED_FROM = re.compile(r"saved from url=\(\d+\)(\S+)", re.I)
_SINGLEFILE_URL = re.compile(r"^\s*url:\s*(\S+)", re.I | re.M)
_SINGLEFILE_DATE = re.compile(r"^\s*saved date:\s*(.+?)\s*$", re.I | re.M)


def page_origin(soup: Any, raw: str) -> tuple[str | None, str | None]:
    """(url, capture time) as the saved page records them, None where it does not."""
    from bs4 import Comment

    url = captured = None
    for c in soup.find_all(string=lambda s: isinstance(s, Comment)):
        text = str(c)
        m = _SAVED_FROM.search(text)
        if m and not url:
            url = m.group(1)
        m = _SINGLEFILE_URL.search(text)
        if m and not url:
            url = m.group(1)
        m = _SINGLEFILE_DATE.search(text)
        if m and not captured:
            captured = m.group(1)
    if not url:
        m = _SAVED_FROM.search(raw[:4096])
        url = m.group(1) if m else None
    if not url:
        link = soup.find("link", rel="canonical")
        meta = soup.find("meta", property="og:url")
        url = (link.get("href") if link else None) or (meta.get("content") if meta else None)
    if not captured:
        for name in ("article:modified_time", "dcterms.modified", "date"):
            meta = soup.find("meta", attrs={"property": name}) or soup.find(
                "meta", attrs={"name": name})
            if meta and meta.get("content"):
                captured = str(meta["content"])
                break
    return (str(url) if url else None), captured


def _text(el: Any) -> str:
    return " ".join(el.get_text(" ", strip=True).split())


def read_html(path: Path) -> tuple[list[Line], PageReport, str | None, str | None]:
    """Lines of a saved page, its report, and its (url, capture time) from the page."""
    from bs4 import BeautifulSoup

    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path.name} is empty; nothing was imported.",
                          hint="Save the web page again (File → Save Page As…).")
    soup = BeautifulSoup(data, "html.parser")
    raw = data[:4096].decode("utf-8", errors="replace")
    url, captured = page_origin(soup, raw)
    for junk in soup(["script", "style", "noscript", "template"]):
        junk.decompose()
    lines: list[Line] = []
    for ti, table in enumerate(soup.find_all("table"), start=1):
        header: tuple[str, ...] | None = None
        for ri, tr in enumerate(table.find_all("tr"), start=1):
            cells = tr.find_all(["td", "th"])
            texts = tuple(_text(c) for c in cells)
            if not any(texts):
                continue
            if header is None and cells and all(c.name == "th" for c in cells):
                header = texts
                continue
            lines.append(Line(page=1, box=None, text="، ".join(t for t in texts if t),
                              confidence=100.0, method="html", cells=texts, header=header,
                              locator=f"table {ti}, row {ri}"))
        table.decompose()
    for li_n, lst in enumerate(soup.find_all(["ol", "ul"]), start=1):
        given = str(lst.get("start") or "1")
        start = int(given) if given.isdigit() else 1
        for k, li in enumerate(lst.find_all("li", recursive=False)):
            text = _text(li)
            if not text:
                continue
            if lst.name == "ol" and leading_number(text) is None:
                text = f"{start + k}. {text}"  # the number the browser shows
            lines.append(Line(page=1, box=None, text=text, confidence=100.0, method="html",
                              locator=f"list {li_n}, item {k + 1}"))
        lst.decompose()
    body = soup.body or soup
    for pi, block in enumerate(body.find_all(["p", "div", "pre"]), start=1):
        if block.find(["p", "div", "pre"]):
            continue  # the innermost blocks only
        for k, part in enumerate(block.get_text("\n").split("\n"), start=1):
            text = " ".join(part.split())
            if text and leading_number(text) is not None:
                lines.append(Line(page=1, box=None, text=text, confidence=100.0,
                                  method="html", locator=f"block {pi}, line {k}"))
    report = PageReport(1, "html", "saved web page: tables, lists and numbered lines",
                        len(lines))
    return lines, report, url, captured
