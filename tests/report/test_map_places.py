"""The report's and the dossiers' maps put each place in its province (issue #17 item 5):
markers are projected back to degrees and the bundled province borders are asked where they
fall, against the gazetteer's own province of each place (two independent sources), so a
swapped axis, a wrong projection or a mislabelled marker fails.  No pixel is hard-coded."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

import pytest


def _unproject(x: float, y: float) -> tuple[float, float]:
    from dadkhah.casefile import geo

    return x / (geo._KX * geo._SCALE) + geo.WEST, geo.NORTH - y / geo._SCALE


def _markers(svg: str) -> list[tuple[str, str, float, float]]:
    """(key of the first place it stands for, its title, x, y) of each marker."""
    out = []
    for key, title, shape in re.findall(
            r'<g class="map-point[^"]*" data-key="([^"]+)"><title>(.*?)</title>'
            r'(<circle[^>]*>|<rect[^>]*>)', svg, re.S):
        num = {k: float(v) for k, v in re.findall(r'(?<![\w-])(\w+)="(-?[\d.]+)"', shape)}
        x, y = ((num["cx"], num["cy"]) if shape.startswith("<circle") else
                (num["x"] + num["width"] / 2, num["y"] + num["height"] / 2))
        out.append((key, html_lib.unescape(title), x, y))
    return out


def _check_provinces(svg: str, place_of: dict[str, str | None]) -> int:
    """Every marker lies in the province the gazetteer gives its place; returns how many
    markers were checked."""
    from dadkhah.casefile.geo import city_points, province_at
    from dadkhah.names.places import load_gazetteer

    gaz = load_gazetteer()
    checked = 0
    for key, title, x, y in _markers(svg):
        place = place_of.get(key, key)
        want = gaz.ancestor(place, "province") if place else None
        assert want is not None, (key, title)
        lon, lat = _unproject(x, y)
        got = province_at(lon, lat)
        assert got is not None and got.id == want.id, (key, title, got)
        # …and at its city's centre (the example's sites have no coordinates of their own).
        city = gaz.ancestor(place, "city")
        assert city is not None
        cx, cy = city_points()[city.id]
        assert abs(cx - lon) < 0.05 and abs(cy - lat) < 0.05, (key, lon, lat, cx, cy)
        checked += 1
    return checked


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from dadkhah import casefile
    from dadkhah.store import Case

    loc = tmp_path_factory.mktemp("mapplaces") / "c"
    with Case.create(str(loc), by="tester") as case:
        casefile.load_example(case, by="tester")
    return loc


def test_the_reports_map_places_burial_sites_and_prisons_in_their_provinces(
        example_report_map) -> None:
    from dadkhah.casefile.geo import prison_points

    figure, sites = example_report_map
    assert figure
    place_of: dict[str, str | None] = {f"burial:{s.slug}": s.place_id for s in sites}
    n = _check_provinces(figure, place_of)
    # Nearby places share a marker, but the map has markers in several provinces.
    assert n >= 8
    titles = " ".join(t for _, t, _, _ in _markers(figure))
    for i, p in enumerate(prison_points(), len(sites) + 1):
        assert f"{i}. {p.name_en}" in titles  # every prison is on it, numbered after sites


def test_a_dossier_maps_the_places_of_its_executions(example: Path) -> None:
    """A dossier whose events took place in prisons (and none at a burial site) still has
    its map: those prisons, in their provinces, listed with the events below it."""
    from dadkhah import casefile
    from dadkhah.store import Case

    with Case.open(str(example)) as case:
        dossiers: list[tuple[Any, str]] = [
            (casefile.dossier_data(case, a.slug), casefile.render_dossier(case, a.slug))
            for a in casefile.list_actors(case)]
    with_places = [(d, h) for d, h in dossiers
                   if any(e.place_id for e in d.events) and not d.burial_sites]
    assert with_places
    for d, html in with_places:
        figure = re.search(r'<figure class="map" id="burial-map">.*?</figure>', html, re.S)
        assert figure, d.actor.slug
        places = {e.place_id for e in d.events if e.place_id}
        titles = " ".join(t for _, t, _, _ in _markers(figure.group(0)))
        from dadkhah.names.places import load_gazetteer

        gaz = load_gazetteer()
        for pid in places:
            assert gaz.places[pid].name_en in titles, (d.actor.slug, pid)
        assert _check_provinces(figure.group(0), {}) >= 1
        listed = re.search(r'<ol class="map-places" id="event-places">.*?</ol>', html, re.S)
        assert listed
        for e in d.events:
            if e.place_id:
                assert f'href="#event-{e.slug}"' in listed.group(0)
    # A dossier with no place at all has no map.
    bare = [h for d, h in dossiers
            if not d.burial_sites and not any(e.place_id for e in d.events)]
    assert bare and all('id="burial-map"' not in h for h in bare)


def test_a_dossier_with_burial_sites_puts_them_in_their_provinces(example: Path) -> None:
    from dadkhah import casefile
    from dadkhah.store import Case

    with Case.open(str(example)) as case:
        actor = next(a.slug for a in casefile.list_actors(case)
                     if casefile.dossier_data(case, a.slug).burial_sites)
        d = casefile.dossier_data(case, actor)
        html = casefile.render_dossier(case, actor)
    figure = re.search(r'<figure class="map" id="burial-map">.*?</figure>', html, re.S)
    assert figure
    place_of: dict[str, str | None] = {f"burial:{s.slug}": s.place_id for s in d.burial_sites}
    assert _check_provinces(figure.group(0), place_of) >= 1
