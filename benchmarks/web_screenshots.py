"""Screenshots of the team workspace's and the public portal's main pages, for docs/web.md
(SYNTHETIC demo data).

Usage: python benchmarks/web_screenshots.py [--out docs/screenshots] [--case DIR] [--full-colour]

Builds the demo case (the ``small`` scenario, normalised, linked and estimated, plus the 1988
example case file of public facts), serves it on a free port and photographs each page with
Playwright driving Debian's chromium, in English and Persian, on a desktop (1280 px) and a
phone (390 px; files named ``*-phone.png``).  Writes PNG files (reduced to a 256-colour
palette unless ``--full-colour``: a third of the size, text still sharp) and prints their
paths and total size.  Then measures, at 390 px, every team and portal page of the demo case
in both languages (issue #17: none wider than 400 px; exits 1 if one is).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "screenshots-only"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_case(location: Path) -> None:
    from dadkhah import casefile as cf
    from dadkhah import users
    from dadkhah.demo import run_demo
    from dadkhah.store import Case

    run_demo(location, say=lambda _: None)
    with Case.open(location) as case:
        if not cf.list_actors(case):  # the demo may load the example itself
            cf.load_example(case, by="screenshots")
        users.add_user(case, "maryam", PASSWORD, role="editor", by="screenshots",
                      display_name="Maryam (editor)")


def serve(location: Path):  # type: ignore[no-untyped-def]
    import socket

    import uvicorn

    from dadkhah.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # The screenshot user logs in with a password only (editors need a second factor by
    # default; this is a throw-away demo server on this machine).
    app = create_app(str(location), require_2fa="none")
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://localhost:{port}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--case", type=Path, default=None)
    ap.add_argument("--full-colour", action="store_true",
                    help="keep full-colour PNGs (default: a 256-colour palette)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright
    from sqlalchemy import select

    from dadkhah.names import latin_form
    from dadkhah.store import Case
    from dadkhah.store.tables import Person

    location = args.case or Path(tempfile.mkdtemp(prefix="dadkhah-shots-")) / "case"
    if not (location / "case.db").exists():
        build_case(location)
    with Case.open(location) as case, case.read() as conn:
        person = conn.execute(select(Person.id, Person.name_fa).where(
            Person.status == "active", Person.n_records >= 4).order_by(Person.id)).first()
    server, url = serve(location)
    args.out.mkdir(parents=True, exist_ok=True)
    shots = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=CHROMIUM_ARGS)
        page = browser.new_page(base_url=url, viewport={"width": 1280, "height": 860})

        phone = {"width": 390, "height": 844}
        desktop = {"width": 1280, "height": 860}

        def shot(name: str, path: str | None = None, at: str | None = None) -> None:
            if path:
                page.goto(path)
            page.wait_for_load_state("networkidle")
            if at and page.locator(at).count():  # scrolled into view (a map below the fold)
                page.locator(at).first.scroll_into_view_if_needed()
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target), full_page=False)
            if not args.full_colour:
                _palette(target)
            shots.append(target)

        def both(name: str, path: str, at: str | None = None) -> None:
            """A desktop and a phone screenshot of one page."""
            page.set_viewport_size(desktop)
            shot(name, path, at)
            page.set_viewport_size(phone)
            shot(f"{name}-phone", path, at)
            page.set_viewport_size(desktop)

        def to_lang(code: str) -> None:
            # The switch toggles, and a user's language is kept between runs: look first.
            if page.locator("html").get_attribute("lang") != code:
                page.click("#lang-switch")
                page.wait_for_load_state()

        page.goto("/team/login")
        page.fill("input[name=username]", "maryam")
        page.fill("input[name=password]", PASSWORD)
        page.click("#login-submit")
        page.wait_for_url("**/team/")
        to_lang("en")
        surname = latin_form(person.name_fa).split()[-1]
        both("dashboard", "/team/")
        both("search", f"/team/search?q={surname}")
        shot("person", f"/team/persons/{person.id}")
        shot("review", "/team/review")
        shot("imports", "/team/imports")
        shot("jobs", "/team/jobs")
        shot("casefile-actor", "/team/casefile/actors/khomeini")
        shot("casefile-map", "/team/casefile/map", at="svg.casefile-map")
        page.goto("/team/")
        to_lang("fa")
        both("dashboard-fa", "/team/")
        both("search-fa", f"/team/search?q={person.name_fa.split()[-1]}")
        both("person-fa", f"/team/persons/{person.id}")
        both("review-fa", "/team/review")
        both("jobs-fa", "/team/jobs")
        # The column-mapping editor on a list whose name header «ستون الف» is not known.
        upload = Path(tempfile.mkdtemp(prefix="dadkhah-shots-")) / "list.csv"
        upload.write_text("ستون الف,نام پدر,زندان,تاریخ اعدام\n"
                          "مهتاب کریمی‌نژاد,حسین,اوین,۱۳۶۷/۰۵/۱۲\n"
                          "بهرام نیک‌نام,علی,گوهردشت,۱۳۶۷/۰۶/۰۲\n", encoding="utf-8")
        for size, name in ((desktop, "import-mapping-fa"), (phone, "import-mapping-fa-phone")):
            page.set_viewport_size(size)
            page.goto("/team/imports")
            page.set_input_files("input[type=file]", str(upload))
            source = page.locator("select[name=source] option").nth(1).get_attribute("value")
            page.select_option("select[name=source]", source)
            page.click("#preview-button")
            page.locator("#mapping-problem").wait_for()
            shot(name, at="#mapping-problem")
        page.set_viewport_size(desktop)
        shot("casefile-map-fa", "/team/casefile/map", at="svg.casefile-map")
        page.set_viewport_size(phone)
        shot("casefile-burial-fa-phone", "/team/casefile/burial/khavaran",
             at="svg.casefile-map")
        page.set_viewport_size(desktop)
        to_lang("en")
        # The public portal, as an anonymous visitor sees it (the demo publishes the
        # SYNTHETIC persons and one article of public facts).
        page = browser.new_page(base_url=url, viewport=desktop)
        shot("portal-home", "/")
        both("portal-entry", f"/memorial/{person.id}")
        shot("portal-article", "/articles/1988-public-record")
        shot("portal-places", "/places", at="svg.casefile-map")
        page.goto("/submit")
        to_lang("fa")
        shot("portal-submit-fa")
        both("portal-entry-fa", f"/memorial/{person.id}")
        page.set_viewport_size(phone)
        shot("portal-entry-map-fa-phone", f"/memorial/{person.id}", at="#entry-map")
        page.set_viewport_size(desktop)
        both("portal-places-fa", "/places", at="svg.casefile-map")
        # Issue #17's phone check on the demo case: no page wider than 400 px at 390 px, in
        # English and in Persian (the team's pages as the editor, the portal's as a visitor).
        team = browser.new_page(base_url=url, viewport=phone)
        team.goto("/team/login")
        team.fill("input[name=username]", "maryam")
        team.fill("input[name=password]", PASSWORD)
        team.click("#login-submit")
        team.wait_for_url("**/team/")
        pages = ["/team/", f"/team/search?q={surname}", f"/team/persons/{person.id}",
                 "/team/review", "/team/imports", "/team/sources", "/team/jobs",
                 "/team/casefile/", "/team/casefile/timeline", "/team/casefile/map",
                 "/team/casefile/actors/khomeini", "/team/casefile/burial/khavaran",
                 "/team/casefile/new/allegation", "/", "/memorial", f"/memorial/{person.id}",
                 "/places", "/submit"]
        wide = []
        for lang in ("en", "fa"):
            team.goto("/team/")
            if team.locator("html").get_attribute("lang") != lang:
                team.click("#lang-switch")
                team.wait_for_load_state()
            for path in pages:
                team.goto(path)
                width = team.evaluate("document.documentElement.scrollWidth")
                print(f"phone width {lang} {path}: {width} px")
                if width > 400:
                    wide.append((lang, path, width))
        print(f"pages wider than 400 px at 390 px: {wide or 'none'} "
              f"(of {2 * len(pages)} measured)")
        browser.close()
    server.should_exit = True
    for s in shots:
        print(s.relative_to(ROOT) if s.is_relative_to(ROOT) else s)
    print(f"{len(shots)} screenshots, {sum(s.stat().st_size for s in shots) / 1e6:.1f} MB")
    if wide:
        sys.exit(1)


def _palette(path: Path) -> None:
    """Rewrite a screenshot with a 256-colour palette (no dithering, so text stays crisp)."""
    from PIL import Image

    with Image.open(path) as im:
        small = im.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE,
                                          dither=Image.Dither.NONE)
    small.save(path, optimize=True)


if __name__ == "__main__":
    main()
