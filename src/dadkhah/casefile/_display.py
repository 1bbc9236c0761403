"""Showing case-file values to people: Solar Hijri dates in Persian digits."""

from __future__ import annotations

from datetime import date

import jdatetime

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def persian_digits(text: str) -> str:
    return text.translate(_FA_DIGITS)


def jalali(iso: str) -> str:
    """'1988-08-15' → '۱۳۶۷/۰۵/۲۴' (Solar Hijri, Persian digits)."""
    d = jdatetime.date.fromgregorian(date=date.fromisoformat(iso))
    return persian_digits(d.strftime("%Y/%m/%d"))
