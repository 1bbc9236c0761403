"""Interface languages: message catalogs, Persian digits, Solar Hijri dates.

Catalogs are TOML files ``web/i18n/<part>.<lang>.toml`` (``team.fa.toml``, ``public.fa.toml``
…); every file of a language is merged into one flat catalog, nested tables becoming dotted
keys (``[nav] search = "…"`` → ``nav.search``).  A key missing in Persian falls back to
English, and a key missing in English shows as itself, so a gap is visible, not fatal.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

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


def translate(lang: str, key: str, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English, then the key itself, as fallbacks), with
    ``{name}`` placeholders filled from ``values``."""
    text = catalog(lang).get(key) or catalog("en").get(key) or key
    if values:
        if lang == "fa":
            values = {k: persian_digits(v) if isinstance(v, (int, float)) else v
                      for k, v in values.items()}
        text = text.format(**values)
    return text


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
