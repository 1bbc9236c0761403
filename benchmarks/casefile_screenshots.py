"""Screenshots of the case file's map, timeline and an editing form, for docs/web.md
(SYNTHETIC register plus the 1988 example case file of public facts).

Usage: python benchmarks/casefile_screenshots.py [--out docs/screenshots]

Builds a small simulated case (400 persons, linked) with one user per role, loads the example
case file, serves it on a free port and photographs three pages with Playwright driving
Debian's chromium: the map in Persian (desktop), the timeline in Persian (390-px phone) and
the allegation form in English.  Prints the paths of the PNG files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import uvicorn
    from playwright.sync_api import sync_playwright
    from tests.web.conftest import CHROMIUM_ARGS, SECRET, browser_login, build_web_case, free_port

    from dadkhah import casefile as cf
    from dadkhah.store import Case
    from dadkhah.web import create_app

    location = Path(tempfile.mkdtemp(prefix="dadkhah-shots-")) / "case"
    build_web_case(location, persons=400)
    with Case.open(location) as case:
        cf.load_example(case, by="screenshots")
        allegation = cf.list_allegations(case)[0].id
    app = create_app(str(location), secret_key=SECRET)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    shots = [("fa", "/team/casefile/map", "casefile-map-fa", 1100, 900),
             ("fa", "/team/casefile/timeline", "casefile-timeline-fa-phone", 390, 844),
             ("en", f"/team/casefile/allegations/{allegation}/edit",
              "casefile-edit-allegation", 1100, 900)]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                     args=CHROMIUM_ARGS)
        for lang, url, name, width, height in shots:
            context = browser.new_context(base_url=f"http://localhost:{port}", locale="en-GB",
                                          viewport={"width": width, "height": height})
            page = context.new_page()
            browser_login(page, "editor")
            if lang == "fa":
                page.click("#lang-switch")
                page.wait_for_load_state()
            page.goto(url)
            path = Path(args.out) / f"{name}.png"
            page.screenshot(path=str(path))
            print(path)
            if lang == "fa":
                page.click("#lang-switch")
                page.wait_for_load_state()
            context.close()
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
