"""One entry point for documents: read a file into lines (:func:`read_document`) and the
lines into list entries with their provenance (:func:`entry_rows`)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from dadkhah.documents.correct import SOLAR_MONTHS, FieldCorrector, NameCorrector
from dadkhah.documents.entries import EntryLayout, leading_number, parse_entry
from dadkhah.documents.model import DocumentReading, Line, PageReport
from dadkhah.documents.ocr import OcrSettings, engine_name
from dadkhah.errors import IngestError
from dadkhah.names import persian_digits

__all__ = ["DOCUMENT_KINDS", "PROVENANCE_KEYS", "ROW_KEYS", "document_kind", "entry_rows",
           "provenance", "read_document"]

DOCUMENT_KINDS = {".pdf": "pdf", ".png": "image", ".jpg": "image", ".jpeg": "image",
                  ".tif": "image", ".tiff": "image", ".html": "html", ".htm": "html",
                  ".xhtml": "html"}
"""File extensions read as documents, by kind."""

FIELD_KEYS = ("number", "full_name", "father_name", "sex", "age", "birth_date", "prison",
              "city", "death_date", "affiliation", "notes")
PROVENANCE_KEYS = ("reading", "page", "box", "box_unit", "confidence", "method", "locator",
                   "file_sha256", "engine", "url", "captured_at", "verified", "proposals")
"""What every entry row keeps beside its fields: the machine reading verbatim, where it is
(page, box in ``box_unit``, or an HTML locator), how sure the reading is, how it was read,
the file's SHA-256, the page's address and capture time, ``verified`` (false: a machine
reading no person has checked) and the correction proposals."""
ROW_KEYS = FIELD_KEYS + PROVENANCE_KEYS


def document_kind(path: Path, given: str | None = None) -> str | None:
    """``"pdf"``, ``"image"`` or ``"html"`` for a document file, else None."""
    if given in ("pdf", "image", "html"):
        return given
    return DOCUMENT_KINDS.get(path.suffix.lower())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def read_document(path: str | Path, *, kind: str | None = None,
                  settings: OcrSettings | None = None, dpi: int = 200, force_ocr: bool = False,
                  url: str | None = None, captured_at: str | None = None,
                  progress: Callable[[int, int], None] | None = None,
                  sha256: str | None = None) -> DocumentReading:
    """Read a PDF, an image or a saved web page into lines with their provenance.

    Raises :class:`~dadkhah.errors.IngestError` (one clear message, nothing read) for a
    file that is not what its name says, an encrypted or damaged PDF, or a document in
    which no text at all is found.
    """
    from dadkhah.documents.html import read_html
    from dadkhah.documents.pdf import read_image, read_pdf

    p = Path(path)
    k = document_kind(p, kind)
    if k is None:
        raise IngestError(f"{p.name} is not a document dadkhah reads (PDF, PNG, JPEG, TIFF, "
                          f"HTML).", hint="Name the file .pdf, .png, .jpg, .tif or .html.")
    s = settings or OcrSettings()
    digest = sha256 or _sha256(p)
    lines: list[Line] = []
    pages: list[PageReport] = []
    engine = "pdfplumber"
    box_unit: str | None = "pt"
    if k == "html":
        got, rep, page_url, page_time = read_html(p)
        lines, pages, engine, box_unit = got, [rep], "html.parser (beautifulsoup4)", None
        url = url or page_url
        captured_at = captured_at or page_time
    else:
        it = (read_pdf(p, s, dpi=dpi, force_ocr=force_ocr, progress=progress) if k == "pdf"
              else read_image(p, s, progress=progress))
        for got, rep in it:
            lines.extend(got)
            pages.append(rep)
        if any(r.method == "ocr" for r in pages):
            engine = engine_name(s.languages) + (" + pdfplumber" if k == "pdf" else "")
        if k == "image":
            box_unit = "px"
    by_page = {r.page: r.method for r in pages}
    lines = [replace(ln, method=by_page.get(ln.page, ln.method)) for ln in lines]
    if not any(ln.text.strip() for ln in lines):
        raise IngestError(f"{p.name}: no text was found on its {len(pages)} page(s); nothing "
                          f"was imported.",
                          hint="Check that the pages hold the list (a blank or very faint "
                               "scan reads as nothing); rescan at 200-300 dpi if need be.")
    return DocumentReading(p.name, digest, k, box_unit, engine, tuple(pages), tuple(lines),
                           url=url, captured_at=captured_at,
                           dpi=dpi if k == "pdf" else None)


@dataclass(frozen=True)
class _Pending:
    line: Line
    text: str


def _join_row_pieces(lines: Sequence[Line]) -> list[Line]:
    """A piece of a line read as a line of its own (Tesseract may put an entry's number,
    or a speck where it stood, in a block apart from the rest of its line: two-column
    tuning page 429) joined to the line at its left on the same row: the piece is read
    first (right to left), the box is both boxes'.  A piece is four characters or fewer,
    not a table row, its row shared by half its height or more, the gap between them
    under two line heights."""
    pieces = [ln for ln in lines if ln.cells is None and ln.box is not None
              and len(ln.text.replace(" ", "")) <= 4]
    if not pieces:
        return list(lines)
    joined: dict[int, Line] = {}  # id of the line a piece joins → the line as joined
    used: set[int] = set()
    for piece in pieces:
        pb = piece.box
        assert pb is not None
        h = pb[3] - pb[1]
        best: Line | None = None
        for ln in lines:
            b = ln.box
            if ln is piece or b is None or ln.cells is not None or ln.page != piece.page \
                    or id(ln) in used or len(ln.text.replace(" ", "")) <= 4:
                continue
            shared = min(b[3], pb[3]) - max(b[1], pb[1])
            gap = pb[0] - b[2]
            if h > 0 and shared >= 0.5 * h and -0.5 * h <= gap < 2 * max(h, b[3] - b[1]) \
                    and (best is None or b[2] > (best.box or b)[2]):
                best = ln
        if best is None or best.box is None:
            continue
        base = joined.get(id(best), best)
        bb = base.box
        assert bb is not None
        joined[id(best)] = replace(base, text=f"{piece.text} {base.text}",
                                   box=(min(bb[0], pb[0]), min(bb[1], pb[1]),
                                        max(bb[2], pb[2]), max(bb[3], pb[3])))
        used.add(id(piece))
    return [joined.get(id(ln), ln) for ln in lines if id(ln) not in used]


def _merge_wrapped(lines: Sequence[Line], numbered: bool) -> list[_Pending]:
    """In a numbered list, a line without a number right below an entry (on the same page,
    within two line heights, not a table row) continues that entry."""
    out: list[_Pending] = []
    for ln in lines:
        prev = out[-1].line if out else None
        if (numbered and prev is not None and ln.cells is None and ln.box and prev.box
                and ln.page == prev.page and leading_number(ln.text) is None
                and leading_number(out[-1].text) is not None
                and 0 < ln.box[1] - prev.box[1] < 2.2 * (prev.box[3] - prev.box[1])
                and abs(ln.box[2] - prev.box[2]) < 3 * (prev.box[3] - prev.box[1])):
            out[-1] = _Pending(prev, out[-1].text + " " + ln.text)
            continue
        out.append(_Pending(ln, ln.text))
    return out


@lru_cache(maxsize=1)
def _fields_corrector() -> FieldCorrector:
    return FieldCorrector()


HeaderFields = Callable[[Sequence[str]], dict[int, str]]
"""Maps a table's header texts to {column index: field} (the importer passes its column
detection, :func:`dadkhah.ingest.detect_mapping`)."""


def entry_rows(reading: DocumentReading, layout: EntryLayout | None = None, *,
               corrector: NameCorrector | None = None,
               header_fields: HeaderFields | None = None) -> list[dict[str, Any]]:
    """One row per entry: its fields as written (:func:`~dadkhah.documents.entries.parse_entry`
    or, for a table with a known header, by column) and its provenance
    (:data:`PROVENANCE_KEYS`).  Name readings get correction *proposals*; the fields stay
    the machine reading."""
    lay = layout or EntryLayout()
    lines = _join_row_pieces(reading.lines)
    numbered = lay.numbered
    if numbered is None:
        counted = [ln for ln in lines if ln.cells is None]
        numbered = bool(counted) and sum(leading_number(ln.text) is not None
                                         for ln in counted) >= 0.5 * len(counted)
    rows: list[dict[str, Any]] = []
    mapped_headers: dict[tuple[str, ...], dict[int, str]] = {}
    for pend in _merge_wrapped(lines, numbered and lay.wrapped):
        ln = pend.line
        fields: dict[str, str] = {}
        if ln.cells is not None and ln.header is not None and header_fields is not None:
            if ln.header not in mapped_headers:
                mapped_headers[ln.header] = header_fields(ln.header)
            by_col = mapped_headers[ln.header]
            for i, cell in enumerate(ln.cells):
                f = by_col.get(i)
                if f and cell:
                    fields.setdefault("number" if f == "external_id" else f, cell)
        if not fields.get("full_name"):
            entry = parse_entry(pend.text, lay)
            if numbered and entry.number is None and ln.cells is None and len(entry.fields) < 2:
                # in a numbered list, a line with no number and nothing but a name-like
                # text is a heading or a caption, not an entry (OCR losing an entry's
                # number still leaves its other fields): kept, with no fields, so the
                # import stores it as a rejected row
                entry = replace(entry, fields={})
            fields = {**entry.fields, **fields}
            if entry.number is not None:
                fields.setdefault("number", entry.number)
        proposals = []
        if corrector is not None:
            for f in ("full_name", "father_name"):
                prop = corrector.propose(fields.get(f), f)
                if prop is not None:
                    proposals.append(prop.to_dict())
        for f in ("prison", "city", "death_date", "birth_date"):
            prop = _fields_corrector().propose(f, fields.get(f))
            if prop is not None:
                proposals.append(prop.to_dict())
        row: dict[str, Any] = {k: fields.get(k) for k in FIELD_KEYS}
        row.update(reading=pend.text, page=ln.page,
                   box=list(ln.box) if ln.box else None, box_unit=reading.box_unit,
                   confidence=ln.confidence, method=ln.method, locator=ln.locator,
                   file_sha256=reading.file_sha256, engine=reading.engine, url=reading.url,
                   captured_at=reading.captured_at, verified=False, proposals=proposals)
        rows.append(row)
    _propose_years(rows)
    _propose_centuries(rows)
    return rows


_YEAR = re.compile(r"(?<![0-9۰-۹٠-٩])[0-9۰-۹٠-٩]{3,4}(?![0-9۰-۹٠-٩])")
DEATH_YEARS = (range(1357, 1373), range(1978, 1994))
"""Plausible death years (Solar Hijri, Gregorian) a document's consensus year may mend."""


def _propose_years(rows: list[dict[str, Any]]) -> None:
    """Where most of a list's death dates that can be death years share one year (a list of
    one year's killings), propose that year for a date whose year cannot be one (OCR: «۱۳۳۶», «۱۳۶»
    for «۱۳۶۷»), saying why.  Only proposed, as everything else."""
    from collections import Counter

    from dadkhah.names import fold_digits

    years: list[int | None] = []
    for r in rows:
        value = _current(r)
        found = _YEAR.findall(fold_digits(value))
        # the year of «۱۳۶۷/۰۵/۱۲» is its first part, of «۱۲ مرداد ۱۳۶۷» its last
        years.append((int(found[0]) if "/" in value else int(found[-1])) if found else None)
    plausible = Counter(y for y in years if y is not None and any(y in w for w in DEATH_YEARS))
    dated = sum(y is not None for y in years)
    if not plausible or dated < 5:
        return
    year, n = plausible.most_common(1)[0]
    # the consensus is among the years that can be death years: on a page of small print
    # most years are misread (Noto Naskh's «۶۷» read «۲۶», «۷۶», «۹۶»), and the misreadings
    # are no years of the killings; a fifth of all dates must still agree, and most of the
    # plausible ones
    if n < 5 or n < 0.6 * plausible.total() or n < 0.2 * dated:
        return
    for r, y in zip(rows, years, strict=True):
        # on top of a proposal already made for the date (a month name mended)
        prior = next((p for p in r["proposals"] if p["field"] == "death_date"), None)
        value = _current(r)
        new_year = persian_digits(str(year))
        if y is None:
            # a day and a month name whose year was lost or cut to a digit or two
            # («۲۸ مرداد»، «۲۳ شهریور ۳»)
            words = value.split()
            months = [i for i, w in enumerate(words) if w in SOLAR_MONTHS]
            if len(months) != 1 or months[0] != 1 or not _DAY.fullmatch(words[0]) \
                    or len(words) > 3 or (len(words) == 3 and not _DAY.fullmatch(words[2])):
                continue
            proposed = " ".join([*words[:2], new_year])
            why = (f"year lost; {n} of the list's {dated} dated entries are in {new_year}")
        elif any(y in w for w in DEATH_YEARS):
            continue
        else:
            matches = list(_YEAR.finditer(value))
            m = matches[0] if "/" in value else matches[-1]
            digits = m.group()
            if not any("۰" <= c <= "۹" for c in digits):
                new_year = str(year)
            proposed = value[:m.start()] + new_year + value[m.end():]
            why = (f"year {digits} cannot be a death year here; {n} of the list's {dated} "
                   f"dated entries are in {new_year}")
        if prior:
            prior.update(proposed=proposed, why=f"{prior['why']}; {why}")
        else:
            r["proposals"].append({"field": "death_date", "reading": value,
                                   "proposed": proposed, "why": why})


_DAY = re.compile("[0-9۰-۹٠-٩]{1,2}")


def _current(row: dict[str, Any], field: str = "death_date") -> str:
    """A row's date as proposed so far, else as read."""
    prior = next((p for p in row["proposals"] if p["field"] == field), None)
    return str(prior["proposed"] if prior else row.get(field) or "")


_YEAR4 = re.compile(r"(?<![0-9۰-۹٠-٩])([0-9۰-۹٠-٩]{2})([0-9۰-۹٠-٩]{2})(?![0-9۰-۹٠-٩])")


def _propose_centuries(rows: list[dict[str, Any]]) -> None:
    """Where nearly all of a list's four-digit birth years share their first two digits
    (the century of the list: «۱۳» in a list of 1988's victims), propose that century for
    a year whose first two digits differ from it by a «۲» for a «۳» or the reverse («۱۲۴۰»
    for «۱۳۴۰»: small print loses the teeth that tell them apart), saying why.  Only
    proposed."""
    from collections import Counter

    from dadkhah.names import fold_digits

    found: list[tuple[dict[str, Any], str, re.Match[str]] | None] = []
    for r in rows:
        value = _current(r, "birth_date")
        m = _YEAR4.search(fold_digits(value)) if value else None
        found.append((r, value, m) if m else None)
    centuries = Counter(f[2].group(1) for f in found if f is not None)
    total = centuries.total()
    if total < 5:
        return
    century, n = centuries.most_common(1)[0]
    if n < 0.8 * total:
        return
    for f in found:
        if f is None:
            continue
        r, value, m = f
        head = m.group(1)
        # one digit differs, and by the teeth small print loses or gains: «۲» for «۳» (a
        # «۱۹..» among «۱۳..» is a year of the other calendar, not a misreading)
        if sorted(f"{a}{b}" for a, b in zip(head, century, strict=True) if a != b) \
                not in (["23"], ["32"]):
            continue
        digits = value[m.start(1):m.end(1)]
        new = persian_digits(century) if any("۰" <= c <= "۹" for c in digits) else century
        proposed = value[:m.start(1)] + new + value[m.end(1):]
        why = (f"year {value[m.start():m.end()]}: {n} of the list's {total} birth years "
               f"begin {new}")
        prior = next((p for p in r["proposals"] if p["field"] == "birth_date"), None)
        if prior:
            prior.update(proposed=proposed, why=f"{prior['why']}; {why}")
        else:
            r["proposals"].append({"field": "birth_date", "reading": value,
                                   "proposed": proposed, "why": why})


def provenance(raw: str) -> dict[str, Any] | None:
    """The provenance a document entry's raw row keeps (page, box, box_unit, confidence,
    method, locator, verified …), or None for a raw row that is not a document entry (a
    CSV, XLSX or JSON Lines row).

    Examples
    --------
    >>> raw = '{"reading": "۱. علی", "page": 2, "box": [1, 2, 3, 4], "file_sha256": "ab"}'
    >>> provenance(raw)["page"], provenance(raw)["box"]
    (2, [1, 2, 3, 4])
    >>> provenance('["علی","اوین"]') is None
    True
    """
    if not raw.startswith("{") or '"reading"' not in raw or '"file_sha256"' not in raw:
        return None
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(obj, dict) or "reading" not in obj or "file_sha256" not in obj:
        return None
    return {k: obj.get(k) for k in PROVENANCE_KEYS}
