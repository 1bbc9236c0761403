"""What the team's search page shows beside the register's search: place names.

The search itself (query variants, cross-script keys, filters, paging) is
:func:`dadkhah.register.search_persons`; this module only names the gazetteer places the
persons found are linked to, for the page and its filter menus.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from dadkhah.access import Viewer
from dadkhah.register import place_ids
from dadkhah.store import Case


@dataclass(frozen=True)
class PlaceOption:
    id: str
    name_en: str
    name_fa: str


def place_options(case: Case, column: str, viewer: Viewer | None = None
                  ) -> list[PlaceOption]:
    """The prisons (``column="prison_id"``) or cities (``"city_id"``) persons are linked to,
    as ``viewer`` may see them, named from the gazetteer, for the filter menus."""
    return sorted((place_label(i) for i in place_ids(case, column, viewer)),
                  key=lambda o: o.name_en)


@lru_cache(maxsize=4096)
def place_label(place_id: str | None) -> PlaceOption:
    """A gazetteer place's names in both scripts (the id itself when unknown)."""
    from dadkhah.names import load_gazetteer

    if not place_id:
        return PlaceOption("", "", "")
    try:
        pl = load_gazetteer()[place_id]
        return PlaceOption(place_id, pl.name_en, pl.name_fa)
    except KeyError:
        return PlaceOption(place_id, place_id, place_id)


def source_slugs(case: Case) -> dict[int, str]:
    """Source id → slug, to name each import's source."""
    return {s.id: s.slug for s in case.sources()}
