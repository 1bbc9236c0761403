"""A small HTML reader for the report tests (standard library only): tables by id with each
cell's text and attributes, figures with their images, and every element's attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    text: str
    attrs: dict[str, str]
    tag: str


@dataclass
class Table:
    id: str
    attrs: dict[str, str]
    rows: list[list[Cell]] = field(default_factory=list)
    row_attrs: list[dict[str, str]] = field(default_factory=list)

    def body(self) -> list[tuple[dict[str, str], list[Cell]]]:
        """Rows made of td cells (header rows left out), with the row's attributes."""
        return [(a, r) for a, r in zip(self.row_attrs, self.rows, strict=True)
                if r and any(c.tag == "td" for c in r)]


@dataclass
class Page:
    tables: dict[str, Table]
    images: list[dict[str, str]]
    figures: list[str]
    elements: list[tuple[str, dict[str, str]]]
    text: str


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, Table] = {}
        self.stack: list[Table] = []
        self.cell: Cell | None = None
        self.images: list[dict[str, str]] = []
        self.figures: list[str] = []
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        if tag in ("style", "script"):
            self.skip += 1
        if tag == "table":
            t = Table(a.get("id", f"table-{len(self.tables)}"), a)
            self.tables[t.id] = t
            self.stack.append(t)
        elif tag == "tr" and self.stack:
            self.stack[-1].rows.append([])
            self.stack[-1].row_attrs.append(a)
        elif tag in ("td", "th") and self.stack:
            self.cell = Cell("", a, tag)
            self.stack[-1].rows[-1].append(self.cell)
        elif tag == "img":
            self.images.append(a)
        elif tag == "figure":
            self.figures.append(a.get("id", ""))

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag in ("style", "script"):
            self.skip -= 1
        if tag == "table" and self.stack:
            self.stack.pop()
        if tag in ("td", "th"):
            if self.cell is not None:
                self.cell.text = " ".join(self.cell.text.split())
            self.cell = None

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self.skip:
            return
        self.text.append(data)
        if self.cell is not None:
            self.cell.text += data


def parse(html: str) -> Page:
    r = _Reader()
    r.feed(html)
    r.close()
    return Page(r.tables, r.images, r.figures, r.elements, "".join(r.text))


def number(text: str) -> int:
    """'1,234' → 1234."""
    return int(text.replace(",", "").strip())
