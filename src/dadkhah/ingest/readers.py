"""Readers for the files documenters receive: CSV (UTF-8, UTF-16, Windows-1256), XLSX, JSONL;
and :class:`RowsReader` for rows handed over in memory (:func:`dadkhah.ingest.import_rows`).
Documents (PDF, PNG/JPEG/TIFF, saved HTML: :data:`DOCUMENT_FORMATS`) are read by
``dadkhah.ingest._documents.DocumentReader`` over :mod:`dadkhah.documents`.

Every file reader streams: it yields one :class:`ReadRow` at a time and never holds the file.
A row's ``raw`` is what the store keeps verbatim: for CSV and XLSX the JSON array of the
cell strings exactly as read, for JSON Lines the line itself.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dadkhah.errors import IngestError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

CHUNK = 1 << 20
MAX_XLSX_ROWS = 1_048_576  # Excel's own limit; a sheet claiming more is not a list
MAX_XLSX_EXTRA_CELLS = 5_000_000  # cells to the right of the header's columns, all rows
FORMATS = ("csv", "xlsx", "jsonl", "pdf", "image", "html")
DOCUMENT_FORMATS = ("pdf", "image", "html")
"""Formats read as documents (:mod:`dadkhah.documents`, through ``ingest._documents``)."""
_EXT = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
        ".jsonl": "jsonl", ".ndjson": "jsonl", ".pdf": "pdf", ".png": "image", ".jpg": "image",
        ".jpeg": "image", ".tif": "image", ".tiff": "image", ".html": "html", ".htm": "html",
        ".xhtml": "html"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


raw_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
"""How a CSV/XLSX row is stored: compact JSON array of the cells, Persian text unescaped."""


@dataclass(frozen=True, slots=True)
class ReadRow:
    number: int  # 1-based data row (header excluded)
    line: int  # line of the file (CSV/JSONL) or sheet row (XLSX) where the row starts
    cells: list[str]
    raw: str


@dataclass(frozen=True)
class FileFacts:
    """What one pass over the bytes tells: hash, size, and whether it is valid UTF-8."""

    sha256: str
    size: int
    utf8_ok: bool
    sample: bytes


def file_facts(path: Path) -> FileFacts:
    h = hashlib.sha256()
    dec = codecs.getincrementaldecoder("utf-8")()
    ok = True
    size = 0
    sample = b""
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            if not sample:
                sample = chunk[: 1 << 16]
            h.update(chunk)
            size += len(chunk)
            if ok:
                try:
                    dec.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
        if ok:
            try:
                dec.decode(b"", final=True)
            except UnicodeDecodeError:
                ok = False
    return FileFacts(h.hexdigest(), size, ok, sample)


def detect_format(path: Path, given: str | None = None) -> str:
    if given:
        if given not in FORMATS:
            raise IngestError(f"Unknown format {given!r}.",
                              hint="Use one of: " + ", ".join(FORMATS) + ".")
        return given
    fmt = _EXT.get(path.suffix.lower())
    if fmt is None:
        raise IngestError(
            f"Cannot tell the format of {path.name} from its extension {path.suffix!r}.",
            hint="Name it .csv, .xlsx, .jsonl, .pdf, .png, .jpg, .tif or .html, or pass "
                 "--format " + "|".join(FORMATS) + ".")
    return fmt


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\u0600" <= c <= "\u06ff" for c in letters) / len(letters)


def detect_encoding(facts: FileFacts) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), else Windows-1256.

    Windows-1256 is the legacy code page for Persian; a file that is not UTF-8 and whose
    high bytes decode there to Arabic-script letters is taken to be in it.  Anything else
    asks the user for ``--encoding``.
    """
    s = facts.sample
    if s.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if s.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if len(s) >= 4:
        even_nul = s[0::2].count(0) / len(s[0::2])
        odd_nul = s[1::2].count(0) / len(s[1::2])
        if odd_nul > 0.3 and even_nul < 0.05:
            return "utf-16-le"
        if even_nul > 0.3 and odd_nul < 0.05:
            return "utf-16-be"
    if facts.utf8_ok:
        return "utf-8"
    high = bytes(b for b in s if b >= 0x80)
    if high and _arabic_share(high.decode("cp1256", errors="replace")) > 0.6:
        return "cp1256"
    from charset_normalizer import from_bytes

    best = from_bytes(s).best()
    if best is not None and best.encoding:
        return best.encoding
    raise IngestError("Cannot tell the text encoding of the file.",
                      hint="Pass --encoding (for example utf-8, utf-16 or cp1256).")


def _mostly_utf8(sample: bytes) -> bool:
    """Whether most non-ASCII text in ``sample`` is valid UTF-8 (a legacy file's high bytes
    rarely form UTF-8 sequences: Windows-1256 letters are lead bytes followed by letters)."""
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for c in text if c > "\x7f") - bad
    return good > 0 and good >= 4 * bad


def _refuse_mixed_utf8(path: Path) -> None:
    """A file that is UTF-8 but for some rows is refused whole, never decoded as a legacy
    code page: that would turn every UTF-8 row into plausible-looking Arabic-script mojibake
    (review I4), and decoding row by row would guess each row's encoding silently."""
    line = locate_decode_error(path, "utf-8")
    raise IngestError(
        f"{path.name} is UTF-8 text, but line {line} holds bytes that are not valid UTF-8 "
        f"(a row saved in another encoding, such as Windows-1256?); nothing was imported.",
        hint=f"Re-save line {line} (and any later such lines) as UTF-8 and import again, or, "
             f"if the whole file really is in one legacy encoding, pass --encoding "
             f"(for example cp1256).")


def locate_decode_error(path: Path, encoding: str) -> int | None:
    """The 1-based line holding the first bytes that do not decode (None if all decode)."""
    dec = codecs.getincrementaldecoder(encoding)(errors="strict")
    line = 1
    with path.open("rb") as f:
        for raw in f:  # split on the byte 0x0A: fed in order, so multi-byte text still decodes
            try:
                text = dec.decode(raw)
            except UnicodeDecodeError:
                return line
            line += text.count("\n")
    return None


def _check_encoding(encoding: str) -> None:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise IngestError(f"Unknown encoding {encoding!r}.",
                          hint="Use for example utf-8, utf-16 or cp1256.") from exc


class _CountingReader(io.RawIOBase):
    """Wraps a binary file and counts the bytes read, for progress on text streams."""

    def __init__(self, raw: io.BufferedReader) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b: WriteableBuffer) -> int | None:
        n = self._raw.readinto(b)
        self.count += n or 0
        return n


class CsvReader:
    """Streams a delimited text file. ``header`` is the first non-blank row."""

    format = "csv"

    def __init__(self, path: Path, encoding: str, delimiter: str | None = None) -> None:
        self.path = path
        self.encoding = encoding
        self.total = path.stat().st_size
        _check_encoding(encoding)
        with path.open("rb") as f:
            head = f.read(1 << 15).decode(encoding, errors="ignore")
        self.delimiter = delimiter or _sniff_delimiter(head, path)
        self._open_text()
        self._reader = csv.reader(self._text, delimiter=self.delimiter)
        self.header: list[str] = []
        self._header_line = 0
        try:
            for cells in self._reader:
                if any(c.strip() for c in cells):
                    self.header = cells
                    self._header_line = self._reader.line_num
                    break
        except UnicodeDecodeError as exc:
            self.close()
            raise IngestError(f"{path.name} cannot be read as {encoding}: {exc}.",
                              hint="Pass the right --encoding (utf-8, utf-16, cp1256).") from exc
        if not self.header:
            self.close()
            raise IngestError(f"{path.name} has no header row (the file is empty).",
                              hint="The first row must name the columns.")

    def _open_text(self) -> None:
        self._bin = self.path.open("rb")
        self._counter = _CountingReader(self._bin)
        self._text = io.TextIOWrapper(io.BufferedReader(self._counter, CHUNK),
                                      encoding=self.encoding, newline="", errors="strict")

    def position(self) -> int:
        return self._counter.count

    def rows(self) -> Iterator[ReadRow]:
        number = 0
        start = self._reader.line_num + 1
        try:
            for cells in self._reader:
                number += 1
                yield ReadRow(number, start, cells, raw_json(cells))
                start = self._reader.line_num + 1
        except UnicodeDecodeError as exc:
            # The text layer decodes ahead of the CSV parser, so find the line from the bytes.
            line = locate_decode_error(self.path, self.encoding) or start
            raise IngestError(
                f"{self.path.name}, line {line}: bytes that are not valid {self.encoding} "
                f"({exc.reason}).",
                hint="Pass the right --encoding, or fix the file at that line.") from exc
        except csv.Error as exc:
            raise IngestError(f"{self.path.name}, line {start}: {exc}.",
                              hint="Check the quoting on that line (an unclosed \" ?).") from exc

    def close(self) -> None:
        self._bin.close()


def _sniff_delimiter(head: str, path: Path) -> str:
    if path.suffix.lower() == ".tsv":
        return "\t"
    first = head.splitlines()[:20]
    try:
        return csv.Sniffer().sniff("\n".join(first), delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _cell_text(v: object) -> str:
    """An XLSX cell as text: what a person sees in the cell, without float noise."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat()
    if isinstance(v, (date, time)):
        return v.isoformat()
    return str(v)


class XlsxReader:
    """Streams the first (or the named) sheet of a workbook."""

    format = "xlsx"
    encoding = None

    def __init__(self, path: Path, sheet: str | None = None) -> None:
        from openpyxl import load_workbook

        self.path = path
        try:
            self._wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds
            raise IngestError(f"{path.name} is not a readable XLSX workbook: {exc}.",
                              hint="Save it again from the spreadsheet program as .xlsx.") from exc
        if sheet is not None and sheet not in self._wb.sheetnames:
            names = ", ".join(self._wb.sheetnames)
            self.close()
            raise IngestError(f"{path.name} has no sheet {sheet!r}.",
                              hint=f"Sheets there: {names}.")
        self._ws = self._wb[sheet] if sheet else self._wb.worksheets[0]
        self.sheet_name = self._ws.title
        self.total = self._ws.max_row or 0
        # The sheet's declared dimension is not trusted: openpyxl pads every row to it, so a
        # 5 KB file declaring A1:XFD1048576 meant 17 billion cells (review I22).  Without it,
        # rows hold only the cells stored, and the work follows the real data.
        if hasattr(self._ws, "reset_dimensions"):
            self._ws.reset_dimensions()
        self._it = self._ws.iter_rows(values_only=True)
        self._row = 0
        self._extra = 0
        self.header: list[str] = []
        for values in self._it:
            self._row += 1
            if self._row > MAX_XLSX_ROWS:
                break
            cells = [_cell_text(v) for v in values]
            if any(c.strip() for c in cells):
                self.header = _trim(cells)
                break
        if not self.header:
            self.close()
            raise IngestError(f"{path.name}: the sheet is empty.",
                              hint="The first row must name the columns.")

    def position(self) -> int:
        return self._row

    def rows(self) -> Iterator[ReadRow]:
        width = len(self.header)
        pad = [""] * width
        empty = raw_json(pad)
        for number, values in enumerate(self._it, start=1):
            self._row += 1
            if self._row > MAX_XLSX_ROWS:
                raise self._too_large(f"more than {MAX_XLSX_ROWS:,} rows")
            if not values:  # a row with no stored cell: cheap, however many there are
                yield ReadRow(number, self._row, pad, empty)
                continue
            if len(values) > width:
                # A cell far to the right makes the whole row that wide: bound that work.
                self._extra += len(values) - width
                if self._extra > MAX_XLSX_EXTRA_CELLS:
                    raise self._too_large(f"cells far to the right of the header's "
                                          f"{width} columns (row {self._row})")
            cells = [_cell_text(v) for v in values]
            # Rows are as wide as their last stored cell: pad to the header (as a program
            # showing the sheet does); trailing empties past the header are not data.
            cells = (cells[:width] + pad[len(cells):]) + _trim(cells[width:])
            yield ReadRow(number, self._row, cells, raw_json(cells))

    def _too_large(self, what: str) -> IngestError:
        return IngestError(
            f"{self.path.name}: sheet {self.sheet_name!r} has {what}; nothing was imported.",
            hint="Delete the empty rows and columns past the list in the spreadsheet program "
                 "(or copy the list to a new sheet), save, and import again.")

    def close(self) -> None:
        self._wb.close()


def _trim(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and cells[end - 1] == "":
        end -= 1
    return cells[:end]


class JsonlReader:
    """Streams JSON Lines: one JSON object per line. The header is the union of the keys of
    the first 1,000 objects; keys first seen later stay in the stored line."""

    format = "jsonl"
    SAMPLE = 1000

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self.total = path.stat().st_size
        _check_encoding(encoding)
        keys: dict[str, None] = {}
        with path.open(encoding=encoding, newline="") as sample:
            for i, line in enumerate(sample):
                if i >= self.SAMPLE:
                    break
                obj = _parse_json_line(line, i + 1, path)
                if obj is not None:
                    keys.update(dict.fromkeys(obj))
        self.header = list(keys)
        self._bin = path.open("rb")
        self._counter = _CountingReader(self._bin)
        self._text = io.TextIOWrapper(io.BufferedReader(self._counter, CHUNK),
                                      encoding=encoding, newline="")
        if not self.header:
            self.close()
            raise IngestError(f"{path.name} holds no JSON objects.",
                              hint="Each line must be one JSON object, e.g. {\"name\": \"…\"}.")

    def position(self) -> int:
        return self._counter.count

    def rows(self) -> Iterator[ReadRow]:
        number = 0
        for lineno, line in enumerate(self._text, start=1):
            text = line.rstrip("\r\n")
            obj = _parse_json_line(line, lineno, self.path)
            if obj is None:
                continue
            number += 1
            cells = [_json_cell(obj.get(k)) for k in self.header]
            yield ReadRow(number, lineno, cells, text)

    def close(self) -> None:
        self._bin.close()


def _parse_json_line(line: str, lineno: int, path: Path) -> dict | None:
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise IngestError(f"{path.name}, line {lineno}: not valid JSON ({exc.msg}, column "
                          f"{exc.colno}).",
                          hint="Each line must be one complete JSON object.") from exc
    except RecursionError:  # review I17: a line nested tens of thousands deep
        raise IngestError(f"{path.name}, line {lineno}: JSON nested too deeply to read.",
                          hint="Each line must be one flat JSON object of fields.") from None
    if not isinstance(obj, dict):
        raise IngestError(f"{path.name}, line {lineno}: a JSON {type(obj).__name__}, not an "
                          f"object.", hint="Each line must be one JSON object.")
    return obj


def _json_cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    return json.dumps(v, ensure_ascii=False)


def open_reader(path: Path, fmt: str, facts: FileFacts | None, *, encoding: str | None = None,
                delimiter: str | None = None, sheet: str | None = None):
    """The reader for ``path`` in format ``fmt`` (detected encoding unless given)."""
    if fmt == "xlsx":
        return XlsxReader(path, sheet)
    if encoding:
        enc = encoding
    elif facts is not None:
        enc = detect_encoding(facts)
        if not facts.utf8_ok and not enc.startswith("utf") and _mostly_utf8(facts.sample):
            _refuse_mixed_utf8(path)
    else:
        raise ValueError("open_reader needs the file's facts or its encoding")
    if fmt == "jsonl":
        return JsonlReader(path, enc)
    return CsvReader(path, enc, delimiter)


class RowsReader:
    """Rows given in memory, read as if they were a file.

    Either mappings (field or column name → value; the header is every key, in order of
    first appearance) or, with ``header``, sequences of cells.  Each row's ``raw`` is its
    canonical text, one line: a mapping as a JSON object (``json.dumps``, Persian
    unescaped), cells as the compact JSON array a CSV row is stored as.  The rows read as a
    document are those lines, each ending in ``\\n``: :attr:`facts` holds that document's
    SHA-256 and size, so a row list imported twice is a duplicate import like a file, and a
    mapping row list hashes like the JSON Lines file holding the same lines.
    """

    encoding = "utf-8"

    def __init__(self, rows: Iterable[Mapping[str, Any] | Sequence[Any]], *,
                 header: Sequence[str] | None = None, name: str = "rows") -> None:
        self.name = name
        items = list(rows)
        if header is None:
            keys: dict[str, None] = {}
            for i, r in enumerate(items, start=1):
                if not isinstance(r, Mapping):
                    raise IngestError(f"{name}, row {i}: a {type(r).__name__}, not a mapping.",
                                      hint="Give every row as a dict, or pass header= with "
                                           "rows as lists of cells.")
                keys.update(dict.fromkeys(str(k) for k in r))
            if not keys:
                raise IngestError(f"{name} holds no rows with fields.",
                                  hint="Give at least one row, e.g. {\"full_name\": \"…\"}.")
            self.header = list(keys)
            self.format = "jsonl"
            self._raw = [_raw_text(lambda r=r: json.dumps(r, ensure_ascii=False), name, i)
                         for i, r in enumerate(items, start=1)]
            self._cells = [[_json_cell(r.get(k)) for k in self.header]
                           for r in items if isinstance(r, Mapping)]
        else:
            self.header = [str(h) for h in header]
            self.format = "rows"
            self._cells = []
            for i, r in enumerate(items, start=1):
                if isinstance(r, (str, bytes, Mapping)) or not isinstance(r, Sequence):
                    raise IngestError(f"{name}, row {i}: a {type(r).__name__}, not a list of "
                                      f"cells.", hint="With header=, give each row as a list.")
                self._cells.append([_json_cell(c) for c in r])
            self._raw = [_raw_text(lambda c=c: raw_json(c), name, i)
                         for i, c in enumerate(self._cells, start=1)]
        data = "".join(raw + "\n" for raw in self._raw).encode("utf-8")
        self.facts = FileFacts(hashlib.sha256(data).hexdigest(), len(data), True, b"")
        self.total = len(data)
        self._done = 0

    def position(self) -> int:
        return self._done

    def rows(self) -> Iterator[ReadRow]:
        for i, (cells, raw) in enumerate(zip(self._cells, self._raw, strict=True), start=1):
            self._done += len(raw.encode("utf-8")) + 1
            yield ReadRow(i, i, cells, raw)

    def close(self) -> None:
        pass


def _raw_text(encode: Any, name: str, row: int) -> str:
    try:
        return encode()
    except (TypeError, ValueError) as exc:
        raise IngestError(f"{name}, row {row}: a value is not JSON text ({exc}).",
                          hint="Give values as strings, numbers, booleans or None.") from exc
