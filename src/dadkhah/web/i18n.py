"""Interface languages: message catalogs, Persian digits, Solar Hijri dates.

Catalogs are TOML files ``web/i18n/<part>.<lang>.toml`` (``team.fa.toml``, ``public.fa.toml``
…); every file of a language is merged into one flat catalog, nested tables becoming dotted
keys (``[nav] search = "…"`` → ``nav.search``).  A key missing in Persian falls back to
English, and a key missing in English shows as itself, so a gap is visible, not fatal.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from dadkhah.errors import FIRST_SENTENCE, STRATUM, Wording
from dadkhah.names import format_interval as names_format_interval
from dadkhah.names import format_iso
from dadkhah.names import persian_digits as _persian_digits

I18N = Path(__file__).parent / "i18n"
LANGUAGES = ("en", "fa")
RTL = frozenset({"fa"})
LANG_COOKIE = "dadkhah_lang"


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in table.items():
        if isinstance(v, Mapping):
            out.update(_flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = str(v)
    return out


@cache
def catalog(lang: str, folder: Path = I18N) -> dict[str, str]:
    """Every message of ``lang`` from every ``*.<lang>.toml`` file in ``folder``."""
    merged: dict[str, str] = {}
    for path in sorted(folder.glob(f"*.{lang}.toml")):
        with path.open("rb") as f:
            merged.update(_flatten(tomllib.load(f)))
    return merged


class _Fields(string.Formatter):
    """``str.format`` that writes each number placeholder, once formatted by its spec
    (``{rhat:.2f}``, ``{share:.1%}``), in the digits of the language."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang

    def format_field(self, value: Any, format_spec: str) -> str:
        text = format(value, format_spec)
        return persian_digits(text) if self.lang == "fa" and isinstance(value, (int, float)) \
            else text


def translate(lang: str, key: str, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English, then the key itself, as fallbacks), with
    ``{name}`` placeholders filled from ``values`` (numbers in the language's digits)."""
    text = catalog(lang).get(key) or catalog("en").get(key) or key
    if values:
        text = _Fields(lang).vformat(text, (), values)
    return text


def render_wording(lang: str, wording: Wording) -> str:
    """A :class:`~dadkhah.errors.Wording` of the library (a warning, a reason) in ``lang``:
    whole numbers with thousands separators, other numbers as the message's spec writes
    them, both in the language's digits; a list joined as the language joins one (a list
    of wordings: sentences one after another)."""
    if wording.key == STRATUM:
        return stratum_text(lang, wording.values)
    if wording.key == FIRST_SENTENCE:
        # as the library quotes a reason in a list: up to its first full stop
        return str(_value(wording.fields()["text"], lang)).split(".")[0]
    return translate(lang, wording.key, **{k: _value(v, lang) for k, v in wording.values})


def stratum_text(lang: str, stratum: tuple[tuple[str, str], ...]) -> str:
    """A stratum of estimates (its (column, value) pairs) in ``lang``: in English its
    machine form as the library writes it (``sex=m, prison=prison:evin``; ``all``), in
    Persian each column and value by its label (``جنس: مرد``; a place by the gazetteer's
    Persian name, a month of death as its Solar Hijri span, in Persian digits)."""
    if lang == "en":
        return ", ".join(f"{k}={v}" for k, v in stratum) if stratum else "all"
    if not stratum:
        return translate(lang, "estimate_stratum.all")
    known = catalog("en")

    def column(k: str) -> str:
        key = f"estimate_stratum.column.{k}"
        return translate(lang, key) if key in known else k

    return "، ".join(f"{column(k)}: {_stratum_value(lang, k, v)}" for k, v in stratum)


def _stratum_value(lang: str, column: str, value: str) -> str:
    if value == "unknown":
        return translate(lang, "estimate_stratum.unknown")
    if column == "sex" and f"estimate_stratum.sex.{value}" in catalog("en"):
        return translate(lang, f"estimate_stratum.sex.{value}")
    if column in ("prison", "city", "province"):
        from dadkhah.names import load_gazetteer

        place = load_gazetteer().places.get(value)
        return place.name_fa if place is not None and place.name_fa else value
    if column == "month" and re.fullmatch(r"\d{4}-\d{2}", value):
        return format_interval(value, value, lang, calendar="jalali")
    return value


def _value(v: Any, lang: str) -> Any:
    if isinstance(v, Wording):
        return render_wording(lang, v)
    if isinstance(v, int) and not isinstance(v, bool):
        return format_number(v, lang)
    if isinstance(v, (tuple, list)):
        if v and all(isinstance(x, Wording) for x in v):
            return " ".join(render_wording(lang, x) for x in v)
        return ("، " if lang == "fa" else ", ").join(_item(x, lang) for x in v)
    return v  # a float is written by the message's spec; text as it is


def _item(x: Any, lang: str) -> str:
    """One item of a list: a pair (a name and its number) joined by a space."""
    if isinstance(x, (tuple, list)):
        return " ".join(_item(y, lang) for y in x)
    if isinstance(x, float):
        return persian_digits(str(x)) if lang == "fa" else str(x)
    return str(_value(x, lang))


def persian_digits(value: Any) -> str:
    """``value`` as text with Western digits, decimal point and thousands comma in Persian
    form: ``1,234.5`` → ``۱٬۲۳۴٫۵``."""
    return _persian_digits(str(value), number=True)


def format_number(value: Any, lang: str, *, decimals: int = 0) -> str:
    """A number with thousands separators, in the digits of ``lang``."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}" if isinstance(value, (int, float)) else str(value)
    return persian_digits(text) if lang == "fa" else text


def format_date(iso: str | None, lang: str, calendar: str | None = None) -> str:
    """An ISO date (``1988-07-30``, ``1988-07`` or ``1988``) for display with its precision:
    Solar Hijri in Persian digits for ``fa`` (``۱۳۶۷/۰۵/۰۸``), Gregorian for ``en``, or the
    *calendar* asked for (:func:`dadkhah.names.format_iso`, the one date formatter)."""
    return format_iso(iso, lang=lang, calendar=calendar)


def format_interval(lo: str | None, hi: str | None, lang: str,
                    calendar: str | None = None) -> str:
    """A date interval (earliest, latest) with its precision: a day, a month, a year or a
    range (:func:`dadkhah.names.format_interval`)."""
    return names_format_interval(lo, hi, lang=lang, calendar=calendar)


def text_direction(lang: str) -> str:
    return "rtl" if lang in RTL else "ltr"


# Progress notes of background jobs come from the library in English (the CLI prints the
# same words).  Each pattern names the catalog key (``job_note.<key>``) that says it in the
# page's language; the pattern's groups fill the message's placeholders.  A note matching
# none is shown as it is, isolated as text of its own direction.
_JOB_NOTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), key) for pattern, key in (
        (r"^(?P<done>[\d,]+) / (?P<total>[\d,]+) rows$", "rows"),
        (r"^normalising names, dates and places$", "normalising"),
        (r"^waiting for another writer to finish$", "waiting"),
        (r"^training: ", "training"),
        (r"^predicting$", "predicting"),
        (r"^re-scoring with prior ", "rescoring"),
        (r"^re-fitting the model on (?P<n>\d+) reviewed decisions$", "refitting"),
        (r"^fitting the models$", "estimating"),
        (r"^fitting the models on (?P<n>\d+) drawn registers$", "estimating_draws"),
        (r"^exporting: ", "exporting"),
        (r"^writing the dossier$", "dossier"),
        (r"^estimating: ", "estimating"),
        (r"^linkage uncertainty: ", "draws"),
        (r"^reading the register$", "reading"),
        (r"^sources and coverage$", "sources"),
        (r"^sensitivity: ", "sensitivity"),
    ))


def job_note(lang: str, message: str | None) -> tuple[str, bool]:
    """A job's progress ``message`` in ``lang``: ``(text, translated)``.  ``translated`` is
    False when no catalog entry knows the message (it is then returned unchanged)."""
    if not message:
        return "", False
    for pattern, key in _JOB_NOTES:
        m = pattern.search(message)
        if m:
            values: dict[str, Any] = {
                k: int(v.replace(",", "")) for k, v in m.groupdict().items()}
            if lang == "fa":
                values = {k: persian_digits(f"{v:,}") for k, v in values.items()}
            else:
                values = {k: f"{v:,}" for k, v in values.items()}
            return translate(lang, f"job_note.{key}", **values), True
    return message, False


def error_kind_named(lang: str, name: str | None) -> str | None:
    """:func:`error_kind` for an error known only by its class name (a failed job keeps
    the name, not the error): that class's wording, else the general one."""
    if lang == "en" or not name:
        return None
    import dadkhah.errors as errors

    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, errors.DadkhahError):
        return error_kind(lang, cls(""))
    return catalog(lang).get("error.kind.DadkhahError")


def error_kind(lang: str, exc: BaseException) -> str | None:
    """What kind of failure ``exc`` is, and what that usually asks of the user, in ``lang``
    (catalog ``error.kind.<ClassName>``, the nearest class of the error tree that has one);
    None in English or when no class has a wording.  The library's own message says the
    particulars (ids, rows, columns) in English; a page in Persian leads with this and
    shows that message as its detail."""
    if lang == "en":
        return None
    table = catalog(lang)
    for cls in type(exc).__mro__:
        text = table.get(f"error.kind.{cls.__name__}")
        if text:
            return text
    return None
