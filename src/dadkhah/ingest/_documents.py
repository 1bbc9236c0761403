"""Documents (PDF, page images, saved web pages) read as if they were a file of rows.

:class:`DocumentReader` reads the document (:func:`dadkhah.documents.read_document`), splits
its lines into entries (:func:`dadkhah.documents.entry_rows`) and gives them to the importer
like JSON Lines: the header is :data:`dadkhah.documents.ROW_KEYS` (``full_name`` … map
themselves; ``number`` is the ``external_id``), and each row's raw text is the entry as one
JSON object, holding the machine reading verbatim with its page, box, confidence, method,
the file's SHA-256, ``verified: false`` and the correction proposals.  That raw row is what
the store keeps, so no column of the store is needed for provenance.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from dadkhah.documents import (
    ROW_KEYS,
    DocumentReading,
    EntryLayout,
    NameCorrector,
    OcrSettings,
    entry_rows,
    load_layout,
    read_document,
)
from dadkhah.documents.textlayer import ocr_words
from dadkhah.ingest.readers import FileFacts, ReadRow, _json_cell

__all__ = ["DocumentOptions", "DocumentReader"]


@dataclass(frozen=True)
class DocumentOptions:
    """How to read a document: its entry layout (or a layout TOML file, whose
    ``[document]`` table may give ``url``, ``captured_at``, ``languages``, ``dpi``,
    ``force_ocr``), the page's address and capture time (given here, they win over the
    saved page's own), the names already in the case to propose corrections from, and
    ``pages(done, total)``, called as each page has been read."""

    layout: EntryLayout | str | Path | None = None
    url: str | None = None
    captured_at: str | None = None
    case_names: tuple[str, ...] = ()
    pages: Callable[[int, int], None] | None = None

    def resolved_layout(self) -> EntryLayout:
        if isinstance(self.layout, EntryLayout):
            return self.layout
        return load_layout(self.layout) if self.layout else EntryLayout()


def _header_fields(header: Sequence[str]) -> dict[int, str]:
    from dadkhah.ingest.mapping import detect_mapping

    m = detect_mapping(list(header))
    return {m.indices(list(header))[f]: f for f in m.columns}


class DocumentReader:
    """A document's entries as rows (the whole document is read when constructed, so a
    document that cannot be read fails before anything is written)."""

    encoding = None

    def __init__(self, path: Path, kind: str, facts: FileFacts,
                 options: DocumentOptions | None = None) -> None:
        opts = options or DocumentOptions()
        layout = opts.resolved_layout()
        doc = dict(layout.document)
        settings = OcrSettings(languages=str(doc.get("languages", "fas")),
                               user_words=ocr_words(opts.case_names))
        self.format = kind
        self.path = path
        self.reading: DocumentReading = read_document(
            path, kind=kind, settings=settings, dpi=int(doc.get("dpi", 200)),
            force_ocr=bool(doc.get("force_ocr", False)), progress=opts.pages,
            url=opts.url or doc.get("url"), captured_at=opts.captured_at or doc.get("captured_at"),
            sha256=facts.sha256)
        corrector = NameCorrector.default().with_names(opts.case_names)
        self.entries = entry_rows(self.reading, layout, corrector=corrector,
                                header_fields=_header_fields)
        self.header = list(ROW_KEYS)
        self.total = len(self.entries)
        self._done = 0

    def position(self) -> int:
        return self._done

    def rows(self) -> Iterator[ReadRow]:
        for i, row in enumerate(self.entries, start=1):
            self._done = i
            raw = json.dumps(row, ensure_ascii=False)
            yield ReadRow(i, i, [_json_cell(row.get(k)) for k in self.header], raw)

    def close(self) -> None:
        pass
