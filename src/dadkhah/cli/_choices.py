"""The closed sets of values that command-line options accept, and their validation.

The tuples are written out here rather than imported from the library so that building the
command line (``dadkhah --help``) does not import estimation, linkage or the store; the
tests (``tests/cli/test_choices.py``) check that each equals the library's own list.

:func:`choice` makes a Typer ``callback`` that checks an option's value before the command
runs: a value outside the set is Click's usage error (exit code 2) naming the allowed values.
Values are folded the way the library folds them (``fold``), so what scripts pass today keeps
working, and the command receives the canonical string.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import typer

from dadkhah.access import ROLES

__all__ = [
    "ACTOR_KINDS", "BACKENDS", "BOUNDARIES", "CRITERIA", "DECISIONS", "ESTIMATE_METHODS",
    "EVENT_TYPES",
    "EVIDENCE_KINDS", "EXPLAIN_KINDS", "FIGURE_TYPES", "LANGUAGES", "MODES",
    "RECORD_FORMATS", "REGISTER_FORMATS", "RELIABILITY_GRADES", "RESTRICTABLE_KINDS", "ROLES",
    "SCENARIOS",
    "SOURCE_KINDS", "STATUSES", "SUBMISSION_STATUSES", "DEFAULT_THRESHOLD", "choice",
    "fold_choice", "fold_format", "fold_upper", "metavar",
]

# dadkhah.estimate.METHODS
ESTIMATE_METHODS = ("chapman", "lincoln-petersen", "loglinear", "closed", "stepwise", "lcmcr",
                    "dga")
# dadkhah.register.BOUNDARIES (provinces in force in 1988, or today's)
BOUNDARIES = ("1988", "today")
# dadkhah.estimate.CRITERIA (loglinear and closed model selection)
CRITERIA = ("aic", "bic")
# dadkhah.store.SOURCE_KINDS
SOURCE_KINDS = ("family_list", "ngo_list", "memoir", "press", "official_record",
                "cemetery_record", "public_submission", "ngo_report", "un_document",
                "court_record", "academic", "audiovisual", "other")
# dadkhah.store.tables.COPY_EXTENTS (how much of another source a source copies)
COPY_EXTENTS = ("whole", "part")
# dadkhah.store.tables.RESTRICTABLE_KINDS (what can be restricted to users or groups)
RESTRICTABLE_KINDS = ("source", "record", "evidence", "testimony")
# dadkhah.store.RELIABILITY_GRADES (Admiralty scale)
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
# dadkhah.cli._common.write_table
RECORD_FORMATS = ("csv", "jsonl")
# dadkhah.report.write_register
REGISTER_FORMATS = ("csv", "xlsx", "json")
# dadkhah.linkage.BACKENDS
BACKENDS = ("duckdb", "spark")
# dadkhah.register.DECISIONS
DECISIONS = ("match", "no_match", "unsure")
# dadkhah.simulate.SCENARIOS
SCENARIOS = ("small", "medium", "large", "stress", "independent", "households")
# dadkhah.names.explain(kind=…)
EXPLAIN_KINDS = ("auto", "name", "date", "place")
# dadkhah.users.LANGUAGES (interface languages; articles use the same two)
LANGUAGES = ("en", "fa")
# dadkhah.portal.list_submissions(status=…), "all" for None
SUBMISSION_STATUSES = ("pending", "accepted", "rejected", "all")
# dadkhah.casefile
ACTOR_KINDS = ("person", "institution")
EVENT_TYPES = ("mass_execution", "execution", "arrest", "detention", "transfer", "trial",
               "decree", "burial", "concealment", "destruction", "public_statement", "meeting",
               "court_case", "other")
MODES = ("ordered", "decided", "carried_out", "was_present", "concealed", "other")
STATUSES = ("alleged", "corroborated", "established_by_court")
FIGURE_TYPES = ("documented", "estimate", "claim", "court_finding", "counter_claim")
EVIDENCE_KINDS = ("document", "audio", "image", "video", "other")


def fold_choice(value: str) -> str:
    """How the case file reads a choice: case, spaces and hyphens do not matter."""
    return value.strip().lower().replace(" ", "_").replace("-", "_")


def fold_upper(value: str) -> str:
    """How grades are read: ``b`` is ``B``."""
    return value.strip().upper()


def fold_format(value: str) -> str:
    """How file formats are read: ``.CSV`` is ``csv``."""
    return value.strip().lower().lstrip(".")


def _fold_lower(value: str) -> str:
    return value.strip().lower()


def choice(values: Sequence[str], *, fold: Callable[[str], str] | None = _fold_lower,
           split: bool = False, extra: Sequence[str] = ()) -> Callable[[Any], Any]:
    """A Typer callback accepting only ``values`` (after ``fold``; ``None`` compares as
    typed).  It returns the canonical value; a list option gets a list back.  ``split``
    also accepts comma-separated values in one argument (and returns them split);
    ``extra`` values are accepted without being listed as alternatives (e.g. ``none``)."""
    allowed = tuple(values)

    def one(v: str) -> str:
        key = fold(v) if fold else v
        for a in (*allowed, *extra):
            if (fold(a) if fold else a) == key:
                return a
        raise typer.BadParameter(f"{v!r} is not one of: {', '.join(allowed)}.")

    def check(value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            return one(value)
        out: list[str] = []
        for item in value:
            parts = [p.strip() for p in item.split(",") if p.strip()] if split else [item]
            out.extend(one(p) for p in parts)
        return out

    return check


def interval_level(value: float | None) -> float | None:
    """A Typer callback for ``--level``: a probability strictly between 0 and 1."""
    if value is not None and not 0 < value < 1:
        raise typer.BadParameter(f"{value} is not between 0 and 1 (e.g. 0.95 for a 95% "
                                 "interval).")
    return value


def metavar(values: Sequence[str]) -> str:
    """``[a|b|c]`` for the help text."""
    return "[" + "|".join(values) + "]"


DEFAULT_THRESHOLD = 0.4
"""dadkhah.linkage.DEFAULT_THRESHOLD, the default of ``dadkhah link --threshold``."""
