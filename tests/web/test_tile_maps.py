"""Maps over an operator's tile server, and the offline default (issue #17 item 5): with
``--tile-url`` every map (case file, burial site, memorial /places, a memorial entry) is
drawn over that server's tiles and the Content-Security-Policy lets images in from its host
only; without it no page names any other host, and the base map still renders in Chromium.
A memorial entry shows its prison and city on a small map, at city centres only.

Positions are checked by projecting the drawn markers back to degrees and asking the bundled
province borders which province they fall in, against the gazetteer's own province of the
place: no pixel is hard-coded."""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.web.conftest import SECRET, WebCase, copy_case, login

TILES = "https://tiles.example.org/osm/{z}/{x}/{y}.png"
CREDIT = "© OpenStreetMap contributors"


@pytest.fixture(scope="module")
def map_case(web_case: WebCase, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example case file on the synthetic case, with 30 persons published."""
    from dadkhah import casefile as cf
    from dadkhah import portal
    from dadkhah.store import Case

    target = copy_case(web_case.pristine, tmp_path_factory.mktemp("tiles") / "case")
    with Case.open(str(target)) as case:
        cf.load_example(case, by="tests")
        portal.publish(case, portal.synthetic_person_ids(case)[:30], by="tests",
                       role="editor")
    return str(target)


def _client(location: str, **kwargs: Any) -> Any:
    from fastapi.testclient import TestClient

    from dadkhah.web import create_app

    return TestClient(create_app(location, secret_key=SECRET, **kwargs),
                      base_url="https://testserver")


def _svgs(html: str) -> list[str]:
    return re.findall(r'<svg class="casefile-map.*?</svg>', html, re.S)


def _unproject(x: float, y: float, tiled: bool) -> tuple[float, float]:
    """Degrees of a drawn point: the inverse of the map's projection."""
    from dadkhah.casefile import geo

    if not tiled:
        return x / (geo._KX * geo._SCALE) + geo.WEST, geo.NORTH - y / geo._SCALE
    n = 256 * 2 ** geo._ZOOM
    mx, my = x / geo._M_SCALE + geo._M_LEFT, y / geo._M_SCALE + geo._M_TOP
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * my / n))))
    return mx / n * 360 - 180, lat


def _markers(svg: str) -> list[tuple[str, float, float]]:
    """(key, x, y) of each marker: a circle's centre, a square's middle."""
    out = []
    for g in re.findall(r'<g class="map-point[^"]*" data-key="([^"]+)"><title>.*?</title>'
                        r'(<circle[^>]*>|<rect[^>]*>)', svg, re.S):
        key, shape = g
        num = {k: float(v) for k, v in re.findall(r'(?<![\w-])(\w+)="(-?[\d.]+)"', shape)}
        if shape.startswith("<circle"):
            out.append((key, num["cx"], num["cy"]))
        else:
            out.append((key, num["x"] + num["width"] / 2, num["y"] + num["height"] / 2))
    return out


def test_a_tile_url_is_checked_before_anything_opens() -> None:
    from dadkhah.casefile.geo import TileServer
    from dadkhah.errors import ConfigError

    t = TileServer.parse(TILES, CREDIT)
    assert t.origin == "https://tiles.example.org"
    assert t.tile(5, 20, 12) == "https://tiles.example.org/osm/5/20/12.png"
    assert TileServer.parse("http://localhost:8080/{z}/{x}/{y}.png").credit() == \
        "localhost:8080"
    for bad, says in (("ftp://t.example/{z}/{x}/{y}.png", "not an http"),
                      ("https://t.example/{z}/{x}.png", "lacks {y}"),
                      ("https://t.example;script-src */{z}/{x}/{y}", "unusual host"),
                      ("https://user:pw@t.example/{z}/{x}/{y}", "unusual host"),
                      ("/tiles/{z}/{x}/{y}.png", "not an http")):
        with pytest.raises(ConfigError, match=re.escape(says)):
            TileServer.parse(bad)


def test_with_a_tile_server_every_map_is_drawn_over_it_and_only_its_host_is_allowed(
        map_case: str) -> None:
    from dadkhah import casefile as cf
    from dadkhah import portal
    from dadkhah.casefile import geo
    from dadkhah.names.places import load_gazetteer
    from dadkhah.store import Case

    gaz = load_gazetteer()
    with Case.open(map_case) as case:
        entry = next(e for e in portal.memorial_entries(case, limit=100)[0]
                     if e.prison is not None)
        sites = {f"burial:{s.slug}": s for s in cf.list_burial_sites(case)}
    with _client(map_case, tile_url=TILES, tile_attribution=CREDIT) as c:
        login(c, "viewer")
        pages = ["/team/casefile/", "/team/casefile/map", "/team/casefile/burial/khavaran",
                 "/places", f"/memorial/{entry.person_id}"]
        for url in pages:
            r = c.get(url)
            assert r.status_code == 200, url
            csp = dict(d.strip().split(" ", 1) for d in
                       r.headers["content-security-policy"].split(";"))
            assert csp["img-src"] == "'self' data: https://tiles.example.org", url
            # Only images: scripts, styles, connections stay on this site.
            assert all("example" not in v for k, v in csp.items() if k != "img-src")
            svgs = _svgs(r.text)
            assert svgs, url
            for svg in svgs:
                assert f'data-tiles="{TILES}"' in svg
                assert CREDIT.replace("©", "") in svg  # the credit is written on the map
                images = re.findall(r'<image href="([^"]+)" x="([-\d.]+)" y="([-\d.]+)" '
                                    r'width="([\d.]+)" height="([\d.]+)"', svg)
                assert len(images) >= 4
                assert all(h.startswith("https://tiles.example.org/osm/5/") for h, *_ in images)
                assert "map-province" not in svg  # the tiles carry their own borders
                rects = [tuple(float(v) for v in rest) for _, *rest in images]
                for key, x, y in _markers(svg):
                    # Each marker lies on a tile and where its place is on the earth.
                    assert any(rx <= x <= rx + w and ry <= y <= ry + h
                               for rx, ry, w, h in rects), (url, key)
                    lon, lat = _unproject(x, y, tiled=True)
                    # …at the point geo gives its place (0.05 degree: the drawn pixel).
                    at = geo.burial_point(sites[key]) if key in sites else \
                        geo.place_point(key)
                    assert at is not None and abs(at.lon - lon) < 0.05 and \
                        abs(at.lat - lat) < 0.05, (url, key, lon, lat, at)
                    found = geo.province_at(lon, lat)
                    place = sites[key].place_id if key in sites else key
                    want = gaz.ancestor(place, "province") if place else None
                    if want is not None:
                        assert found is not None and found.id == want.id, (url, key, lon, lat)
        # Nothing else on the page reaches the tile host: only <image> elements; the
        # caption credits the tiles, not the bundled base map.
        html = c.get("/places").text
        assert "Natural Earth" not in html and "over the map tiles" in html
        assert html.count("tiles.example.org") == html.count("<image ") + html.count(
            "data-tiles=")


def _external(html: str, own: str) -> list[str]:
    """Absolute addresses of other hosts in what a browser would fetch or send to: src,
    href of link/image/script, form actions, srcset, CSS url(), data-tiles."""
    found = []
    for attr in re.findall(r'<(?:script|img|image|link|iframe|source|audio|video|embed|object|'
                           r'form|use)\b[^>]*?\b(?:src|href|action|srcset|data)="([^"]*)"',
                           html, re.I):
        found.append(attr)
    found += re.findall(r'url\(\s*["\']?([^"\')]+)', html)
    found += re.findall(r'data-tiles="([^"]*)"', html)
    out = []
    for u in found:
        for part in u.split(","):
            part = part.strip().split(" ")[0]
            host = urlsplit(urljoin(own, part)).netloc
            if host and host != urlsplit(own).netloc:
                out.append(part)
    return out


def test_without_a_tile_server_no_page_names_another_host(map_case: str) -> None:
    """Crawl the team workspace (as an admin) and the public portal, in English and Persian,
    following this site's links: nothing a browser would fetch is on another host, and the
    Content-Security-Policy names no host."""
    own = "https://testserver"
    with _client(map_case) as c:
        token = login(c, "admin")
        seen: set[str] = set()
        for lang in ("en", "fa"):
            c.post("/lang", data={"csrf_token": token, "lang": lang, "next": "/team/"})
            queue = ["/team/", "/", "/places", "/memorial", "/team/casefile/",
                     "/team/casefile/map", "/team/casefile/timeline"]
            visited = 0
            while queue and visited < 60:
                url = queue.pop(0)
                if (lang, url) in seen:
                    continue
                seen.add((lang, url))  # type: ignore[arg-type]
                r = c.get(url)
                visited += 1
                if r.status_code != 200 or "html" not in r.headers.get("content-type", ""):
                    continue
                assert _external(r.text, own) == [], url
                csp = r.headers["content-security-policy"]
                assert "http" not in csp and "." not in csp, csp
                if _svgs(r.text):
                    assert "<image" not in r.text and "data-tiles" not in r.text
                for link in re.findall(r'<a [^>]*href="(/[^"#?]*)"', r.text):
                    if not any(s in link for s in ("logout", "/download", "/export", "/api/",
                                                   "/files/", "/static/")):
                        queue.append(link)
        assert len(seen) >= 40


def test_a_memorial_entry_shows_its_prison_and_city_on_a_small_map(map_case: str) -> None:
    """Only the published entry's prison and city, each at its city's centre, in the right
    province; an entry with neither has no map."""
    from dadkhah import portal
    from dadkhah.casefile import geo
    from dadkhah.names.places import load_gazetteer
    from dadkhah.store import Case

    gaz = load_gazetteer()
    with Case.open(map_case) as case:
        entries = portal.memorial_entries(case, limit=100)[0]
    with_places = [e for e in entries if e.prison is not None or e.city is not None]
    assert with_places
    with _client(map_case) as c:
        for e in with_places[:8]:
            html = c.get(f"/memorial/{e.person_id}").text
            fig = re.search(r'<figure class="map entry-map" id="entry-map">.*?</figure>',
                            html, re.S)
            assert fig, e.person_id
            svg = _svgs(fig.group(0))[0]
            markers = _markers(svg)
            want = {p.id for p in (e.prison, e.city) if p is not None}
            drawn = {key for key, _, _ in markers}
            # Nearby places share a marker: every marker is one of the entry's places.
            assert drawn <= want and drawn
            for key, x, y in markers:
                lon, lat = _unproject(x, y, tiled=False)
                city = gaz.ancestor(key, "city")
                assert city is not None
                cx, cy = geo.city_points()[city.id]
                assert abs(lon - cx) < 0.05 and abs(lat - cy) < 0.05  # the city's centre
                prov = gaz.ancestor(key, "province")
                found = geo.province_at(lon, lat)
                assert prov is None or (found is not None and found.id == prov.id) or \
                    found is None, (key, lon, lat)
            legend = fig.group(0)
            if e.prison is not None:
                assert e.prison.name_en in legend
        without = [e for e in entries if e.prison is None and e.city is None]
        for e in without[:2]:
            assert 'id="entry-map"' not in c.get(f"/memorial/{e.person_id}").text


def test_the_maps_render_offline_in_chromium_by_default(browser: Any, map_case: str) -> None:
    """The burial site's page, /places and a memorial entry draw the bundled base map in a
    real browser, and the browser asks no other host for anything."""
    from dadkhah import portal
    from dadkhah.store import Case
    from dadkhah.web import create_app
    from tests.web.conftest import browser_login, serve

    with Case.open(map_case) as case:
        entry = next(e for e in portal.memorial_entries(case, limit=100)[0]
                     if e.prison is not None)
    with serve(create_app(map_case, secret_key=SECRET)) as url:
        ctx = browser.new_context(base_url=url, locale="fa-IR", viewport={"width": 390,
                                                                          "height": 800})
        try:
            page = ctx.new_page()
            hosts: set[str] = set()
            page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc))
            browser_login(page, "viewer")
            for path in ("/team/casefile/burial/khavaran", "/places",
                         f"/memorial/{entry.person_id}"):
                page.goto(path)
                svg = page.locator("svg.casefile-map").first
                box = svg.bounding_box()
                assert box and box["width"] > 200 and box["height"] > 100, path
                assert page.locator("svg.casefile-map path.map-iran").count() >= 1
                assert page.locator("svg.casefile-map g.map-point").count() >= 1
                # Drawn inside the phone's width, and the page no wider than the phone.
                assert box["x"] >= 0 and box["x"] + box["width"] <= 391, path
                assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
            assert hosts == {urlsplit(url).netloc}, hosts
        finally:
            ctx.close()


def test_dadkhah_serve_takes_the_tile_server_from_its_option_or_the_environment(
        map_case: str) -> None:
    """The real command: ``--tile-url`` (or ``$DADKHAH_TILE_URL``) reaches the pages and the
    policy; a bad template stops the server with what is wrong, before it listens."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import httpx

    from tests.web.test_cli import _serve

    proc, url = _serve(map_case, "--tile-url", TILES, "--tile-attribution", CREDIT)
    try:
        r = httpx.get(f"{url}/places", timeout=30)
        assert "https://tiles.example.org" in r.headers["content-security-policy"]
        assert f'data-tiles="{TILES}"' in r.text
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0].decode()
    assert "Maps over tiles " + TILES in out
    env = {**os.environ, "DADKHAH_CASE": map_case,
           "DADKHAH_TILE_URL": "https://tiles.example.org/{z}/{x}.png"}
    done = subprocess.run([str(Path(sys.executable).parent / "dadkhah"), "serve", "--port",
                           "1"], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "lacks {y}" in done.stdout + done.stderr
