"""What reading a document gives: lines with their provenance, and a report per page."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["DocumentReading", "Line", "PageReport", "Box", "turned_box"]

Box = tuple[float, float, float, float]
"""(left, top, right, bottom) on the page: PDF points for PDFs, pixels for images (HTML
rows have no box but a ``locator``)."""


def turned_box(box: Box, angle: float, size: tuple[int, int]) -> Box:
    """The bounding box of ``box`` once the page of ``size`` is turned by ``angle`` degrees
    about its centre as PIL's ``rotate(angle)`` turns it (counter-clockwise on screen, y
    down); ``-angle`` turns it back.  The scan simulator places lines with it, the OCR
    reader maps a deskewed page's boxes back to the scan."""
    cx, cy = size[0] / 2, size[1] / 2
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - cx, y - cy
        xs.append(cx + cos * dx + sin * dy)
        ys.append(cy - sin * dx + cos * dy)
    return (min(xs), min(ys), max(xs), max(ys))

METHODS = {
    "text": "text layer, as stored",
    "text-repaired": "text layer, repaired (presentation forms folded, order fixed, ZWNJ)",
    "ocr": "OCR of the page image (no usable text layer)",
    "html": "HTML of a saved web page",
}
"""How a page was read, as reported to users."""


@dataclass(frozen=True)
class Line:
    """One line of text read from a page, with where it is and how sure the reading is.

    ``text`` is the machine reading verbatim (after the repair of a text layer: the repair
    is reported on the page); ``cells`` holds a table row's cells when the line is one;
    ``confidence`` is 0–100 (Tesseract's mean word confidence; 100 for a text layer or HTML,
    whose letters are not guessed).
    """

    page: int
    box: Box | None
    text: str
    confidence: float
    method: str
    cells: tuple[str, ...] | None = None
    header: tuple[str, ...] | None = None  # a table row's column headers, when known
    locator: str | None = None  # where in an HTML page: "table 1, row 5", "list 2, item 3"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PageReport:
    """How one page was read and why (``method`` a key of :data:`METHODS`)."""

    page: int
    method: str
    reason: str
    lines: int
    seconds: float = 0.0
    skew: float = 0.0  # degrees the page was turned back before OCR

    def describe(self) -> str:
        return f"page {self.page}: {METHODS.get(self.method, self.method)} — {self.reason}"


@dataclass(frozen=True)
class DocumentReading:
    """A document read into lines: its kind, the engine, page reports and the lines.

    ``box_unit`` is ``"pt"`` (PDF points), ``"px"`` (image pixels) or None (HTML).
    ``url`` and ``captured_at`` are those of a saved web page (from its own metadata or
    given).
    """

    file_name: str
    file_sha256: str
    kind: str  # "pdf" | "image" | "html"
    box_unit: str | None
    engine: str
    pages: tuple[PageReport, ...]
    lines: tuple[Line, ...]
    url: str | None = None
    captured_at: str | None = None
    dpi: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> str:
        head = (f"{self.file_name} ({self.kind}, sha256 {self.file_sha256[:12]}…): "
                f"{len(self.lines)} line(s) on {len(self.pages)} page(s); engine {self.engine}")
        if self.url:
            head += f"; from {self.url}" + (f" captured {self.captured_at}"
                                             if self.captured_at else "")
        return "\n".join([head, *(f"  {p.describe()}" for p in self.pages)])
