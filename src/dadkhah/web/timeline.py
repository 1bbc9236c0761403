"""The case file's events on a timeline (server-rendered HTML, styled by ``app.css``).

Each event keeps the precision its date was written with: a day stays a day, "summer 1988"
stays a season shown as its range, "2003 to 2017" a range of years.  Events are grouped by
the year they start in: the Gregorian year in English, the Solar Hijri year (Persian digits)
in Persian, so a reader sees the calendar of the interface.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from dadkhah.casefile import EventInfo
from dadkhah.web import i18n


@dataclass(frozen=True)
class TimelineEntry:
    """One event as the timeline shows it."""

    slug: str
    title: str
    event_type: str
    earliest: str | None
    latest: str | None
    precision: str | None
    date_text: str | None
    when: str  # the interval in the interface's calendar and digits

    def summary(self) -> str:
        return f"{self.when or '?'}: {self.title} ({self.event_type})"


def _year(iso: str, lang: str) -> str:
    d = date.fromisoformat(iso)
    if lang != "fa":
        return str(d.year)
    import jdatetime

    return i18n.persian_digits(str(jdatetime.date.fromgregorian(date=d).year))


def timeline(events: Iterable[EventInfo], lang: str) -> list[tuple[str, list[TimelineEntry]]]:
    """(year, entries) in date order; undated events last under the year ``""``."""
    groups: dict[str, list[TimelineEntry]] = {}
    dated = sorted(events, key=lambda e: (e.date_earliest is None, e.date_earliest or "",
                                          e.date_latest or "", e.id))
    for e in dated:
        title = (e.title_fa if lang == "fa" else e.title) or e.title
        entry = TimelineEntry(
            slug=e.slug, title=title, event_type=e.event_type, earliest=e.date_earliest,
            latest=e.date_latest, precision=e.date_precision, date_text=e.date_text,
            when=i18n.format_interval(e.date_earliest, e.date_latest, lang))
        groups.setdefault(_year(e.date_earliest, lang) if e.date_earliest else "",
                          []).append(entry)
    return list(groups.items())


__all__ = ["TimelineEntry", "timeline"]
