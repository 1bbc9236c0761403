"""A minimal, fast, deterministic XLSX writer (inline strings, no styles).

openpyxl writes about 40,000 cells a second and stamps the clock into the file; the lists
of the 1,000,000-person benchmark hold millions of cells.  SpreadsheetML with inline
strings is valid Office Open XML that Excel, LibreOffice and openpyxl all read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["write_xlsx"]

_FIXED_TIME = (1988, 7, 19, 0, 0, 0)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006"


def _col(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _sheet(rows: Iterable[Sequence[str]], width: int) -> Iterable[str]:
    cols = [_col(i) for i in range(width)]
    yield (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS}>'
           "<sheetData>")
    for n, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{cols[i]}{n}" t="inlineStr">'
            f'<is><t xml:space="preserve">{escape(v)}</t></is></c>'
            for i, v in enumerate(row) if v)
        yield f'<row r="{n}">{cells}</row>'
    yield "</sheetData></worksheet>"


def write_xlsx(path: Path, sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[str]]]],
               *, title: str, description: str, creator: str) -> None:
    """Write ``sheets`` = [(name, header, rows), …]; the first sheet is the one readers open."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        def put(name: str, text: str) -> None:
            z.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), text.encode("utf-8"),
                       compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)

        n = len(sheets)
        put("[Content_Types].xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Types xmlns="{_PKG}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxml'
            'formats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="'
                      'application/vnd.openxmlformats-officedocument.spreadsheetml.'
                      'worksheet+xml"/>' for i in range(1, n + 1))
            + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
              'openxmlformats-package.core-properties+xml"/></Types>')
        put("_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{_DOC}/relationships/officeDocument" '
            'Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG}/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>')
        put("docProps/core.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<cp:coreProperties xmlns:cp="{_PKG}/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title>"
            f"<dc:subject>SYNTHETIC data</dc:subject>"
            f"<dc:description>{escape(description)}</dc:description>"
            f"<dc:creator>{escape(creator)}</dc:creator>"
            "</cp:coreProperties>")
        put("xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_RNS}>'
            "<sheets>" + "".join(f'<sheet name="{escape(s[0])}" sheetId="{i}" r:id="rId{i}"/>'
                                 for i, s in enumerate(sheets, start=1))
            + "</sheets></workbook>")
        put("xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{_PKG}/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{_DOC}/relationships/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
            + "</Relationships>")
        for i, (_, header, rows) in enumerate(sheets, start=1):
            info = zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w") as f:
                buf: list[str] = []
                size = 0
                for part in _sheet(_chain([header], rows), len(header)):
                    buf.append(part)
                    size += len(part)
                    if size > 1 << 20:
                        f.write("".join(buf).encode("utf-8"))
                        buf, size = [], 0
                f.write("".join(buf).encode("utf-8"))


def _chain(first, rest):
    yield from first
    yield from rest
