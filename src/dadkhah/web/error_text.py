"""The particulars of an error in the user's language (issue #17 item 7).

The library's errors say what went wrong and where in English (``file.csv, row 3 (line 4),
column 'age': …``).  A Persian page leads with what kind of failure it was
(:func:`dadkhah.web.i18n.error_kind`); this module also says *where*, in Persian with Persian
digits, from the particulars the error carries: a :class:`~dadkhah.errors.RowValidationError`'s
``problems`` (row, line, column, value, kind of problem), an import report's problems and
date warnings, and, for the errors users meet most in the web's loop (a column mapping that
does not fit, a file imported before, a record, person, source or decision that is gone, a
decision already replaced), the file, column, ids and dates their messages are built from
(:data:`_SHAPES`: one pattern per message the library writes; a test raises each through the
library, so a reworded message is caught).  The English original stays available, collapsed.
Nothing here is shown in English pages, which keep the library's message as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape

from dadkhah.web import i18n

# (error class, the library's message shape with named particulars, catalog key of the
# Persian sentence with the same names).  The first matching shape of the error's class
# (or one of its bases) is used.
_SHAPES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (cls, re.compile(pattern, re.S), key) for cls, pattern, key in (
        ("MappingError", r"^(?P<file>.+?): column '(?P<column>.*)' \(mapped to "
                         r"(?P<field>\w+)(?: in .*)?\) is not in the header\.$",
         "particulars.mapping_column"),
        ("MappingError", r"^(?P<file>.+?): no column holds a name", "particulars.mapping_no_name"),
        ("DuplicateImport", r"^(?P<file>.+?) was already imported \(import (?P<import>\d+) "
                            r"into source (?P<source>\d+) on (?P<date>[\d-]+);",
         "particulars.duplicate_file"),
        ("DuplicateImport", r"^(?P<file>.+?) holds the same rows as (?P<other>.+?), already "
                            r"imported \(import (?P<import>\d+) into source (?P<source>\d+) "
                            r"on (?P<date>[\d-]+);", "particulars.duplicate_rows"),
        # an import into a source kept from the reader: neither it nor its source is named
        ("DuplicateImport", r"^(?P<file>.+?) was already imported \(into a source restricted "
                            r"from you;", "particulars.duplicate_file_hidden"),
        ("DuplicateImport", r"^(?P<file>.+?) holds the same rows as a list already imported "
                            r"\(into a source restricted from you;",
         "particulars.duplicate_rows_hidden"),
        ("NotFound", r"^No source record (?P<id>\d+) in this case\.", "particulars.no_record"),
        ("NotFound", r"^No person (?P<id>\d+) in the register\.", "particulars.no_person"),
        ("NotFound", r"^No source '(?P<source>.+)' in this case\.", "particulars.no_source"),
        ("NotFound", r"^No decision (?P<id>\d+) in this case\.", "particulars.no_decision"),
        ("InvalidInput", r"^Decision (?P<id>\d+) is no longer in force \(decision "
                         r"(?P<newer>\d+) replaced it\)\.", "particulars.decision_replaced"),
    ))

_NUMERIC = {"row", "line", "id", "import", "newer", "source", "count"}
_ISOLATED = {"file", "other", "column", "value", "source_name"}


def _fill(lang: str, key: str, values: Mapping[str, Any]) -> Markup:
    """The sentence ``key`` with its values, as HTML: numbers and dates in the language's
    digits, a record field by its label, a file name, header or value isolated in ``<bdi>``
    (a Latin name inside a Persian sentence must not reorder the punctuation around it;
    the pages strip bidi control characters from text, so an element does it)."""
    from dadkhah.names import persian_digits

    shown: dict[str, Any] = {}
    for k, v in values.items():
        if k in _NUMERIC or k == "date":
            v = persian_digits(str(v)) if lang == "fa" else str(v)
        elif k == "field" and isinstance(v, str):
            label = i18n.translate(lang, f"field.{v}")
            v = v if label == f"field.{v}" else label
        elif k in _ISOLATED:
            v = Markup("<bdi>{}</bdi>").format(v)
        shown[k] = v
    return Markup(escape(i18n.translate(lang, key))).format(**shown)


def problem_text(lang: str, problem: Mapping[str, Any], file_name: str) -> Markup:
    """One problem of an import (a row :class:`~dadkhah.ingest.validate.Problem` or a
    :class:`~dadkhah.ingest.validate.DateWarning`, as the report's dicts) in ``lang``: the
    file, the row and line, the column and the value, and what is wrong with it."""
    if lang == "en" and problem.get("message"):
        return Markup("<bdi>{}</bdi>").format(problem["message"])
    kind = str(problem.get("kind", ""))
    what = i18n.translate(lang, f"particulars.problem.{kind}")
    if what == f"particulars.problem.{kind}":
        what = i18n.translate(lang, "particulars.problem.other")
    key = ("particulars.where_column" if problem.get("column") is not None
           else "particulars.where_row")
    text = _fill(lang, key, {"file": file_name, "row": problem.get("row", 0),
                             "line": problem.get("line", 0),
                             "column": problem.get("column") or ""}) + Markup(": ") + what
    if problem.get("value") not in (None, ""):
        text += _fill(lang, "particulars.value", {"value": str(problem["value"])[:80]})
    return text + Markup(".")


def _file_of(message: str) -> str:
    """The file name a RowValidationError's message starts with (``name: N problem(s)``)."""
    return message.split(": ", 1)[0] if ": " in message else ""


def error_particulars(lang: str, exc: BaseException | None = None, *,
                      name: str | None = None, message: str | None = None,
                      problems: Iterable[Mapping[str, Any]] | None = None) -> list[Markup]:
    """Sentences in ``lang`` saying where the error ``exc`` is (or, for a failed job, the
    error known by its class ``name`` and ``message``); [] in English or when the error
    carries no particulars this module knows how to say."""
    if lang == "en":
        return []
    if exc is not None:
        from dadkhah.errors import DadkhahError

        classes = [c.__name__ for c in type(exc).__mro__]
        message = exc.message if isinstance(exc, DadkhahError) else str(exc)
        problems = getattr(exc, "problems", None) or problems
    else:
        import dadkhah.errors as errors

        cls = getattr(errors, name or "", None)
        classes = [c.__name__ for c in cls.__mro__] if isinstance(cls, type) else []
        message = message or ""
    out: list[Markup] = []
    if problems:
        listed = list(problems)
        file_name = _file_of(message or "")
        out += [problem_text(lang, p, file_name) for p in listed[:5]]
        if len(listed) > 5:
            out.append(_fill(lang, "particulars.more_problems", {"count": len(listed) - 5}))
        return out
    for cls_name, pattern, key in _SHAPES:
        if cls_name in classes and (m := pattern.match(message or "")):
            out.append(_fill(lang, key, m.groupdict()))
            break
    return out


__all__ = ["error_particulars", "problem_text"]
