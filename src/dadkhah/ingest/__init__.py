"""Import of source lists: readers, column mapping, validation, raw-row preservation.

Public API::

    import_file(case, path, *, source, …)    a CSV, XLSX or JSON Lines file
    import_rows(case, rows, *, source, …)    rows in memory (dicts, or header + lists), also
                                             inside the caller's transaction (conn=)
    ImportReport                             what an import did
    Mapping, detect_mapping, load_mapping    which column holds which field
    PROBLEM_KINDS                            why a row is rejected, as shown to users
    DateWindow, DATE_WARNING_KINDS           plausible years of dates; what a date check
                                             reports (the row is kept, never rejected)

Ages and sex words are read by :mod:`dadkhah.names` (``parse_age``, ``read_sex``), the
readers the normaliser uses too.
"""

from dadkhah.ingest.importer import ImportReport, import_file, import_rows
from dadkhah.ingest.mapping import Mapping, detect_mapping, load_mapping
from dadkhah.ingest.validate import DATE_WARNING_KINDS, PROBLEM_KINDS, DateWindow

__all__ = [
    "DATE_WARNING_KINDS",
    "DateWindow",
    "ImportReport",
    "Mapping",
    "PROBLEM_KINDS",
    "detect_mapping",
    "import_file",
    "import_rows",
    "load_mapping",
]
