"""The case store: sources, imports, source records (verbatim) and the audit log."""

from dadkhah.store._audit import AuditReport
from dadkhah.store._schema import RECORD_FIELDS, RELIABILITY_GRADES, SOURCE_KINDS
from dadkhah.store.case import Case, ImportInfo, RecordView, SourceInfo

__all__ = [
    "AuditReport",
    "Case",
    "ImportInfo",
    "RECORD_FIELDS",
    "RELIABILITY_GRADES",
    "RecordView",
    "SOURCE_KINDS",
    "SourceInfo",
]
