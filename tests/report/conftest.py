"""A small linked SYNTHETIC case and one report of it, built once per session."""

from __future__ import annotations

import warnings

import pytest

PERSONS = 1200  # a reduced 'small' scenario: linkage in a few seconds


@pytest.fixture(scope="session")
def linked(tmp_path_factory):
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case

    tmp = tmp_path_factory.mktemp("report")
    sc = simulated_case(tmp / "case", scenario="small", persons=PERSONS, seed=5)
    normalize_case(sc.case, by="tester")
    link_case(sc.case, by="tester")
    yield sc
    sc.case.close()


@pytest.fixture(scope="session")
def lcmcr_estimate(linked):
    """A short LCMCR run on the register, passed to the report as precomputed."""
    from dadkhah.estimate import LCMCR
    from dadkhah.register import register_histories

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return LCMCR(burnin=300, samples=400, thin=2, chains=2, seed=11).fit(
            register_histories(linked.case))


@pytest.fixture(scope="session")
def report(linked, lcmcr_estimate, tmp_path_factory):
    """(ReportData, HTML path, HTML text): loglinear overall and by sex, chapman (which
    cannot run on five lists), LCMCR reused."""
    from dadkhah.report import gather_report_data, render_html

    data = gather_report_data(linked.case, by=("sex",), methods=("loglinear", "chapman"),
                              seed=3, precomputed={"lcmcr": lcmcr_estimate},
                              command="dadkhah report --test")
    out = tmp_path_factory.mktemp("html") / "report.html"
    text = render_html(data)
    out.write_text(text, encoding="utf-8")
    return data, out, text


@pytest.fixture(scope="session")
def parsed(report):
    from tests.report._html import parse

    return parse(report[2])




@pytest.fixture(scope="session")
def example_report_map(tmp_path_factory):
    """(the report's map figure as HTML, the example case file's burial sites): a small
    linked SYNTHETIC case with the 1988 example case file loaded, reported once."""
    import re

    from dadkhah import casefile
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.report import gather_report_data, render_html
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path_factory.mktemp("report-map") / "c", scenario="small",
                        persons=150, seed=3)
    link_case(sc.case)
    casefile.load_example(sc.case, by="tester")
    html = render_html(gather_report_data(sc.case, by=(), methods=("loglinear",),
                                          include_names=False))
    sites = casefile.list_burial_sites(sc.case)
    sc.case.close()
    figure = re.search(r'<figure class="map" id="figure-cf-map">.*?</figure>', html, re.S)
    return (figure.group(0) if figure else None), sites
