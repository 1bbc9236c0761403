"""The report draws the case file's burial sites on the offline map (issue #17 item 5)."""

from __future__ import annotations

import html as html_lib
import re


def test_the_report_has_the_burial_map_inline(example_report_map) -> None:
    svg, sites = example_report_map
    assert svg, "no map in the report"
    assert svg.count("<svg") == 1 and "<path" in svg
    # Every burial site is drawn (numbered 1..7 before the prisons), nearby ones together.
    titles = html_lib.unescape(" ".join(re.findall(r"<title>(.*?)</title>", svg)))
    for i, s in enumerate(sites, 1):
        assert f"{i}. {s.name_en}" in titles
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_dossier_draws_the_burial_sites_of_its_events(tmp_path) -> None:
    from dadkhah import casefile
    from dadkhah.store import Case

    with Case.create(str(tmp_path / "c"), by="tester") as case:
        casefile.load_example(case, by="tester")
        # An actor of the example alleged to be involved in an event at a burial site.
        actor = next(a.slug for a in casefile.list_actors(case)
                     if casefile.dossier_data(case, a.slug).burial_sites)
        html = casefile.render_dossier(case, actor)
        sites = casefile.dossier_data(case, actor).burial_sites
        without = next(a.slug for a in casefile.list_actors(case)
                       if not casefile.dossier_data(case, a.slug).burial_sites)
        assert 'id="burial-map"' not in casefile.render_dossier(case, without)
    figure = re.search(r'<figure class="map" id="burial-map">.*?</figure>', html, re.S)
    assert figure and figure.group(0).count("<svg") == 1
    titles = html_lib.unescape(" ".join(re.findall(r"<title>(.*?)</title>", figure.group(0))))
    assert all(f"{i}. {s.name_en}" in titles for i, s in enumerate(sites, 1))
    assert "Burial site 1: " in html
