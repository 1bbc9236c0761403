"""Documents read into list entries with provenance: born-digital and scanned PDFs, page
images and saved web pages.

Persian victim lists exist as scanned booklets, PDF reports and web pages far more often
than as spreadsheets.  This package reads them into lines (the text layer where it is sound
and repaired where it is not, OCR elsewhere, tables and lists of HTML), splits each line
into fields the way such lists are written, and proposes name corrections against the
name lexicon and the names already in the case.  Every line keeps where it came from: the
file's SHA-256, the page, the box of the line, the OCR confidence and the reading verbatim.
:mod:`dadkhah.ingest` turns the entries into source records (``dadkhah import FILE``).

Public API::

    read_document(path, …) -> DocumentReading     lines and a report per page
    entry_rows(reading, layout, corrector=…)      one row per entry, fields + provenance
    DocumentReading, Line, PageReport, METHODS     what reading gives
    parse_entry(text, layout) -> Entry            one list line split into fields
    EntryLayout, load_layout                       how one document writes its entries
    NameCorrector, Proposal                        confusion-aware name proposals
    OcrSettings                                    Tesseract languages, segmentation, cleanup
    fold_presentation_forms, visual_to_logical, restore_zwnj, choose_order
                                                   repair of a PDF text layer
    provenance(raw) -> dict | None                page, box, confidence … of a stored raw row
    verify_entry(case, record_id, by=…, corrections=…, accept_proposals=…)
                                                   a person's check, audited; reading kept
    verifications(case) -> {record_id: Verification}   the latest check of each record
    unverified_records(case, source=, viewer=, after=, limit=) -> [record id]
                                                   the machine readings nobody has checked
    reading_counts(case, viewer=) -> [ReadingCount]  per source: readings, unverified
    reading_states(case, record_ids) -> {id: "verified" | "unverified"}  machine readings
    line_image(data, page, box, box_unit=…) -> PNG  a line's image cut from its page
    DOCUMENT_KINDS, PROVENANCE_KEYS, ROW_KEYS, document_kind
"""

from dadkhah.documents.correct import NameCorrector, Proposal, WordChange, rasm
from dadkhah.documents.entries import (
    ENTRY_FIELDS,
    Entry,
    EntryLayout,
    leading_number,
    load_layout,
    parse_entry,
)
from dadkhah.documents.image import LINE_IMAGE_DPI, line_image
from dadkhah.documents.model import METHODS, DocumentReading, Line, PageReport
from dadkhah.documents.ocr import OcrSettings
from dadkhah.documents.read import (
    DOCUMENT_KINDS,
    PROVENANCE_KEYS,
    ROW_KEYS,
    document_kind,
    entry_rows,
    provenance,
    read_document,
)
from dadkhah.documents.textlayer import (
    choose_order,
    fold_presentation_forms,
    restore_zwnj,
    visual_to_logical,
)
from dadkhah.documents.verify import (
    ReadingCount,
    Verification,
    reading_counts,
    reading_states,
    unverified_records,
    verifications,
    verify_entry,
)

__all__ = [
    "DOCUMENT_KINDS",
    "DocumentReading",
    "ENTRY_FIELDS",
    "Entry",
    "EntryLayout",
    "LINE_IMAGE_DPI",
    "Line",
    "METHODS",
    "NameCorrector",
    "OcrSettings",
    "PROVENANCE_KEYS",
    "PageReport",
    "Proposal",
    "ROW_KEYS",
    "ReadingCount",
    "Verification",
    "WordChange",
    "choose_order",
    "document_kind",
    "entry_rows",
    "fold_presentation_forms",
    "leading_number",
    "line_image",
    "load_layout",
    "parse_entry",
    "provenance",
    "rasm",
    "read_document",
    "reading_counts",
    "reading_states",
    "restore_zwnj",
    "unverified_records",
    "verifications",
    "verify_entry",
    "visual_to_logical",
]
