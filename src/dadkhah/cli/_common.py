"""What every command shares: the case option, JSON output, error reporting."""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from dadkhah.errors import ConfigError, DadkhahError, Wording

if TYPE_CHECKING:  # imported inside open_case at run time, to keep --help fast
    from dadkhah.store import Case

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

F = TypeVar("F", bound=Callable[..., Any])

JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON instead of text.")


class State:
    """Global options, set by the root callback and read by every command."""

    case: str | None = None
    debug: bool = False
    user: str | None = None


state = State()


def case_location() -> str:
    """The case chosen with --case or DADKHAH_CASE, or a clear error."""
    loc = state.case or os.environ.get("DADKHAH_CASE")
    if not loc:
        raise ConfigError(
            "No case chosen.",
            hint="Pass --case PATH (a case folder or a postgresql:// URL) before the command, "
            "or set DADKHAH_CASE.",
        )
    return loc


def open_case(*, read_only: bool = False) -> Case:
    """The case chosen with --case.  ``read_only`` for commands that only read: on SQLite
    they then neither wait for a writer (an import in progress) nor can write."""
    from dadkhah.store import Case

    return Case.open(case_location(), read_only=read_only)


def current_user() -> str:
    return state.user or os.environ.get("DADKHAH_USER") or os.environ.get("USER") or "unknown"


def user_language() -> str:
    """The interface language (``en`` or ``fa``) of the team member a command runs as
    (``--user``), as the case's users record it (``dadkhah user add --language``, or the
    web application's settings); English for anyone else, or without a case."""
    from dadkhah.users import get_user

    try:
        with open_case(read_only=True) as case:
            return get_user(case, current_user()).language
    except DadkhahError:
        return "en"


def say(message: str | Callable[[str], str] | Wording, lang: str, *,
        frame: str | None = None, **values: Any) -> list[str]:
    """The lines of ``message``, a key of the interface catalogue (:mod:`dadkhah.web.i18n`),
    the library's own words as a function of the language, or a library message's
    :class:`~dadkhah.errors.Wording` (a warning's): in English, and for a reader of Persian
    (``lang`` fa) in Persian too, as ``dadkhah upgrade`` says what it did.  Whole numbers
    among ``values`` get thousands separators and, in Persian, Persian digits; ``frame``
    is a message that wraps each line as its ``{text}`` ("Note: {text}")."""
    from dadkhah.web.i18n import format_number, render_wording, translate

    lines = []
    for lang_ in dict.fromkeys(("en", lang)):
        shown = {k: format_number(v, lang_) if isinstance(v, int) and not isinstance(v, bool)
                 else v for k, v in values.items()}
        text = (render_wording(lang_, message) if isinstance(message, Wording)
                else message(lang_) if callable(message)
                else translate(lang_, message, **shown))
        lines.append(translate(lang_, frame, text=text) if frame else text)
    return lines


def _default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    if is_dataclass(o) and not isinstance(o, type):
        return asdict(o)
    if hasattr(o, "to_dict"):
        return o.to_dict()
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def print_json(obj: Any) -> None:
    """Print JSON with Persian text as-is (not \\u-escaped)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=_default) + "\n")


def print_result(obj: Any, json_out: bool) -> None:
    """A command's result: as JSON with ``--json``, else its ``summary()`` as plain text."""
    if json_out:
        print_json(obj)
    else:
        console.print(obj.summary(), soft_wrap=True, markup=False)


BAD_VALUE_HINT = ("Check the values given on the command line against the command's --help; "
                  "--debug shows where the error came from.")
"""The hint shown for a library ValueError or TypeError (a value the library refused)."""


def _sentence(text: str) -> str:
    text = text.strip() or "A value was refused."
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


def report_error(message: str, hint: str | None) -> None:
    """Print one error sentence and its hint on stderr, the way every command does."""
    err_console.print(f"[bold red]Error:[/] {message}", soft_wrap=True, markup=True,
                      highlight=False)
    if hint:
        err_console.print(f"[bold]Hint:[/] {hint}", soft_wrap=True)


def handle_errors(fn: F) -> F:
    """Turn a DadkhahError into one clear message (and Hint) on stderr and exit code 1.

    A ``ValueError`` or ``TypeError`` from the library (a value it refused that the command
    line did not check first) gets the same form, with a generic hint.  ``--debug`` shows
    the traceback instead."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DadkhahError as exc:
            if state.debug:
                raise
            report_error(exc.message, exc.hint)
            raise typer.Exit(code=1) from None
        except (ValueError, TypeError) as exc:
            if state.debug:
                raise
            report_error(escape(_sentence(str(exc))), BAD_VALUE_HINT)
            raise typer.Exit(code=1) from None

    return wrapper  # type: ignore[return-value]


def write_table(rows: Any, columns: list[str], fmt: str, output: Path | None) -> int:
    """Stream ``rows`` (sequences in ``columns`` order) as CSV or JSON Lines to ``output``
    (standard output when None); returns the number of rows written.  CSV cells that a
    spreadsheet would run as a formula get a leading ``'``."""
    import csv

    from dadkhah.report.exports import spreadsheet_safe

    if fmt not in ("csv", "jsonl"):
        raise ConfigError(f"Unknown export format {fmt!r}.", hint="Use --format csv or jsonl.")
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    n = 0
    try:
        writer = csv.writer(out) if fmt == "csv" else None
        if writer:
            writer.writerow(columns)
        for row in rows:
            if writer:
                writer.writerow(["" if v is None else spreadsheet_safe(v) for v in row])
            else:
                out.write(json.dumps(dict(zip(columns, row, strict=True)),
                                     ensure_ascii=False) + "\n")
            n += 1
    finally:
        if output:
            out.close()
    return n
