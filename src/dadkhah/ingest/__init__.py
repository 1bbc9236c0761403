"""Import of source lists: readers, column mapping, validation, raw-row preservation."""

from dadkhah.ingest.importer import ImportReport, import_file
from dadkhah.ingest.mapping import Mapping, detect_mapping, load_mapping
from dadkhah.ingest.validate import PROBLEM_KINDS, SEX_VALUES, parse_age

__all__ = [
    "ImportReport",
    "Mapping",
    "PROBLEM_KINDS",
    "SEX_VALUES",
    "detect_mapping",
    "import_file",
    "load_mapping",
    "parse_age",
]
