"""The case file on a map and a timeline (issue #17 item 5): an offline base map drawn on the
server, burial sites and prisons placed on it, events in date order in either calendar.
Real example case file, real pages, a real browser for the burial site's page."""

from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import copy_case, login, make_client


def _inside(lon: float, lat: float, polygons: list[Any]) -> bool:
    """Even-odd point-in-polygon over every ring (holes count too)."""
    inside = False
    for poly in polygons:
        for ring in poly:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def test_every_city_of_the_gazetteer_lies_inside_iran_on_the_base_map() -> None:
    """The packaged outline and the city points agree (a swapped longitude/latitude, a wrong
    country or a broken outline would put cities outside Iran).  Port cities may sit a
    little off the simplified 1:50m coast: within 0.1 degree (about 10 km) of land."""
    from dadkhah.casefile.geo import _basemap, city_points

    iran = next(f for f in _basemap()["features"] if f["properties"]["iso_n3"] == "364")
    polys = iran["geometry"]["coordinates"]
    near = [(dx, dy) for dx in (-0.1, 0, 0.1) for dy in (-0.1, 0, 0.1)]
    outside = [c for c, (lon, lat) in city_points().items()
               if not any(_inside(lon + dx, lat + dy, polys) for dx, dy in near)]
    assert outside == []
    inland = [c for c, (lon, lat) in city_points().items() if _inside(lon, lat, polys)]
    assert len(inland) >= len(city_points()) - 3
    # …and a point well outside is outside: Baghdad, Kabul, the middle of the Caspian Sea.
    for lon, lat in ((44.36, 33.31), (69.18, 34.53), (50.5, 41.5)):
        assert not _inside(lon, lat, iran["geometry"]["coordinates"])


def test_the_provinces_hold_the_cities_the_gazetteer_puts_in_them() -> None:
    """The bundled province borders (OpenStreetMap, simplified) agree with the gazetteer (a
    different source): each county seat lies in the province the gazetteer names, allowing a
    few seats on a simplified border or coast.  A file mismatched to its names, or shifted,
    would fail this by dozens."""
    from dadkhah.casefile.geo import city_points, province_at, provinces
    from dadkhah.names.places import load_gazetteer

    gaz = load_gazetteer()
    assert len(provinces()) == 31
    assert {p.id for p in provinces()} == {
        p.id for p in gaz.places.values() if p.kind == "province" and p.id != "prov:khorasan"}
    cities = [(c, gaz.ancestor(c, "province")) for c in city_points()]
    wrong = [(c, prov.id if prov else None, got.id if got else None)
             for c, prov in cities if prov
             if (got := province_at(*city_points()[c])) is None or got.id != prov.id]
    assert len(wrong) <= max(2, len(cities) // 20), wrong
    assert province_at(51.39, 35.69).id == "prov:tehran"  # type: ignore[union-attr]
    assert province_at(59.6, 36.3).id == "prov:razavi_khorasan"  # type: ignore[union-attr]
    assert province_at(44.36, 33.31) is None  # Baghdad


def test_the_borders_made_after_1988_are_those_of_the_gazetteers_splits() -> None:
    """Merging the provinces split after 1988 gives the 24 of 1988, and each dashed border
    runs between a newer province and the one it came from (or a sibling)."""
    from dadkhah.casefile.geo import borders_after_1988, provinces
    from dadkhah.names.places import load_gazetteer

    gaz = load_gazetteer()
    borders = borders_after_1988()
    pairs = {tuple(b["properties"]["between"]) for b in borders}
    assert ("prov:ardabil", "prov:east_azerbaijan") in pairs
    assert ("prov:qom", "prov:tehran") in pairs and ("prov:alborz", "prov:tehran") in pairs
    assert ("prov:golestan", "prov:mazandaran") in pairs
    assert ("prov:qazvin", "prov:zanjan") in pairs
    assert ("prov:north_khorasan", "prov:razavi_khorasan") in pairs
    assert ("prov:razavi_khorasan", "prov:south_khorasan") in pairs
    # No border between provinces that were already apart in 1988.
    assert not any("prov:isfahan" in p or "prov:fars" in p for p in pairs)
    assert all(b["properties"]["since"] > 1988 for b in borders)
    # Each dashed border joins two provinces that were one in 1988, and folding today's 31
    # provinces back as the gazetteer does gives the 24 of 1988.
    for a, b in pairs:
        assert gaz.province_in(a, 1988) == gaz.province_in(b, 1988)
    assert len({gaz.province_in(p.id, 1988) for p in provinces()}) == 24


def test_points_are_projected_where_the_cities_are() -> None:
    from dadkhah.casefile.geo import HEIGHT, WIDTH, city_points, project

    at = {c: project(*p) for c, p in city_points().items()}
    assert at["city:mashhad"][0] > at["city:tehran"][0] > at["city:tabriz"][0]  # east is right
    assert at["city:shiraz"][1] > at["city:isfahan"][1] > at["city:tehran"][1]  # south is down
    assert all(0 < x < WIDTH and 0 < y < HEIGHT for x, y in at.values())


def test_the_case_file_shows_its_burial_sites_and_prisons_on_a_map(example_case: str) -> None:
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    with Case.open(example_case) as case:
        sites = cf.list_burial_sites(case)
        points = cf.map_points(case)
    assert len(sites) == 7 and [p.key for p in points[:7]] == [f"burial:{s.slug}"
                                                               for s in sites]
    assert all(p.approximate for p in points)  # the example records cities, not coordinates
    with make_client(example_case) as c:
        login(c, "viewer")
        html = c.get("/team/casefile/").text
        svg = re.search(r"<svg class=\"casefile-map\".*?</svg>", html, re.S).group(0)
        assert svg.count('class="map-point map-burial') + svg.count(
            'class="map-point map-prison') >= 10  # nearby points share a marker
        assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        legend = re.search(r'<ol class="map-legend".*?</ol>', html, re.S).group(0)
        assert legend.count("<li") == len(points)
        assert "Khavaran" in legend and "Evin Prison" in legend
        # Persian: names in Persian, numbers in Persian digits on the map.
        token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', html).group(1)
        c.post("/lang", data={"csrf_token": token, "lang": "fa", "next": "/team/"})
        fa = c.get("/team/casefile/map").text
        c.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/team/"})
    assert "خاوران" in fa and "زندان اوین" in fa
    assert re.search(r"<text [^>]*>[۰-۹،]+</text>", fa) and not re.search(
        r"<text [^>]*>[0-9,]+</text>", fa)


def test_a_burial_site_page_has_its_map_in_the_browser(browser: Any,
                                                       example_case: str) -> None:
    """In chromium, with the site's Content-Security-Policy: the map is drawn (it has a
    size), the site is the highlighted marker, and the page asked nothing of other hosts."""
    from dadkhah.web import create_app
    from tests.web.conftest import SECRET, browser_login, serve

    hosts: set[str] = set()
    with serve(create_app(example_case, secret_key=SECRET)) as url:
        context = browser.new_context(base_url=url, locale="en-GB")
        try:
            page = context.new_page()
            page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
            browser_login(page, "viewer")
            page.goto("/team/casefile/burial/khavaran")
            box = page.locator("svg.casefile-map").bounding_box()
            assert box and box["width"] > 200 and box["height"] > 150
            assert page.locator("svg.casefile-map path.map-province").count() == 31
            assert page.locator("svg.casefile-map path.map-border-after-1988").count() >= 7
            tehran = page.locator('svg.casefile-map path[data-province="prov:tehran"]')
            assert tehran.bounding_box()["width"] > 5  # type: ignore[index]
            assert "Tehran" in page.locator("svg.casefile-map").inner_html()
            marked = page.locator("svg.casefile-map g.map-highlight")
            assert marked.count() == 1 and marked.get_attribute("data-key") == "burial:khavaran"
            assert "Khavaran" in page.locator("#map-legend").inner_text()
            # The public memorial's map: provinces drawn, every burial site and prison listed.
            page.goto("/places")
            box = page.locator("svg.casefile-map").bounding_box()
            assert box and box["width"] > 200 and box["height"] > 150
            assert page.locator("svg.casefile-map path.map-province").count() == 31
            assert page.locator("#places-burial li").count() == 7
            assert "Khavaran" in page.locator("#places-burial").inner_text()
            assert "Evin Prison" in page.locator("#places-prison").inner_text()
            assert page.locator('nav a[href="/places"][aria-current="page"]').count() == 1
        finally:
            context.close()
    assert hosts == {url.split("/")[2]}


def test_the_memorial_map_shows_graves_only_at_their_citys_centre(example_case: str,
                                                                   tmp_path: Any) -> None:
    """Coordinates the team records for a grave stay with the team: the public map draws the
    site at its city's centre, the team's map at its coordinates; the public page names no
    person and links to no team page."""
    from dadkhah import casefile as cf
    from dadkhah.casefile.geo import city_points, public_map_points
    from dadkhah.store import Case

    location = copy_case(example_case, tmp_path / "case")
    with Case.open(str(location)) as case:
        cf.update_burial_site(case, "khavaran", name_en="Khavaran cemetery",
                              name_fa="گورستان خاوران", place="city:tehran",
                              geometry={"type": "Point", "coordinates": [51.6012, 35.6123]},
                              by="tests")
        team = {p.key: p for p in cf.map_points(case)}
        public = {p.key: p for p in public_map_points(case)}
    assert (team["burial:khavaran"].lon, team["burial:khavaran"].lat) == (51.6012, 35.6123)
    assert (public["burial:khavaran"].lon, public["burial:khavaran"].lat) == \
        city_points()["city:tehran"]
    assert public["burial:khavaran"].approximate
    assert set(public) == set(team)
    with make_client(str(location)) as c:
        en = c.get("/places")
        assert en.status_code == 200
        token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', en.text).group(1)
        c.post("/lang", data={"csrf_token": token, "lang": "fa", "next": "/places"})
        fa = c.get("/places").text
    assert "51.6012" not in en.text and "35.6123" not in en.text
    assert "/team/" not in en.text.replace('href="/team/"', "")
    assert "Khavaran cemetery" in en.text and "(<bdi>Tehran</bdi>)" in en.text
    assert "گورستان خاوران" in fa and "(<bdi>تهران</bdi>)" in fa
    assert 'data-province="prov:tehran"' in fa and ">تهران</text>" in fa


def test_a_burial_site_page_names_its_province_today_and_in_1988(example_case: str,
                                                                 tmp_path: Any) -> None:
    """Karaj is in Alborz today, a province made from Tehran in 2010: the page says both.
    A site known only by its coordinates gets its province from the map."""
    from dadkhah import casefile as cf
    from dadkhah.store import Case

    location = copy_case(example_case, tmp_path / "case")
    with Case.open(str(location)) as case:
        cf.add_burial_site(case, slug="test-karaj", name_en="Test site (SYNTHETIC)",
                           place="city:karaj", by="tests")
        cf.add_burial_site(case, slug="test-point", name_en="Test point (SYNTHETIC)",
                           geometry={"type": "Point", "coordinates": [52.53, 29.61]},
                           by="tests")
    with make_client(str(location)) as c:
        login(c, "viewer")
        karaj = c.get("/team/casefile/burial/test-karaj").text
        point = c.get("/team/casefile/burial/test-point").text
        khavaran = c.get("/team/casefile/burial/khavaran").text
    assert re.search(r'<p id="province">Province today: <bdi>Alborz</bdi> · in 1988: '
                     r'<bdi>Tehran</bdi></p>', karaj)
    assert '<p id="province">Province today: <bdi>Fars</bdi></p>' in point  # Shiraz
    assert '<p id="province">Province today: <bdi>Tehran</bdi></p>' in khavaran


def test_the_timeline_keeps_each_dates_precision_in_both_calendars(example_case: str) -> None:
    with make_client(example_case) as c:
        login(c, "viewer")
        en = c.get("/team/casefile/timeline").text
        token = re.search(r'<meta name="csrf-token" content="([0-9a-f]+)"', en).group(1)
        c.post("/lang", data={"csrf_token": token, "lang": "fa", "next": "/team/"})
        fa = c.get("/team/casefile/timeline").text
        c.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/team/"})
    # 19 July 1988, a day: 28 Tir 1367.
    item = re.search(r'<li class="day" id="tl-prisons-isolated-1988">.*?</li>', fa, re.S)
    assert item and "۱۳۶۷/۰۴/۲۸" in item.group(0) and "(روز)" in item.group(0)
    assert '<h2 class="timeline-year">۱۳۶۷</h2>' in fa
    # A range stays a range: the Gohardasht executions, 27 July to 6 September 1988.
    item = re.search(r'<li class="range" id="tl-gohardasht-executions-1988">.*?</li>', en,
                     re.S)
    assert item and "1988-07-27 – 1988-09-06" in item.group(0)
    # Date order, and the 1988 events before those of 2016 and 2022.
    order = [m.group(1) for m in re.finditer(r'id="tl-([a-z0-9.-]+)"', en)]
    assert order.index("prisons-isolated-1988") < order.index("audio-release-2016") < \
        order.index("nouri-verdict-2022")
    assert '<h2 class="timeline-year">1988</h2>' in en
