"""The report's estimates section: the linkage's uncertainty beside the fixed register, the
headline refused with its range and reasons, the sensitivity table and plot, and no
"unknown" stratum (SYNTHETIC data)."""

from __future__ import annotations

import pytest


def test_linkage_table_and_refused_headline(report, parsed) -> None:  # type: ignore[no-untyped-def]
    data = report[0]
    assert set(data.propagated) == {"loglinear", "lcmcr"}
    rows = {a["data-method"]: c for a, c in parsed.tables["table-linkage-uncertainty"].body()}
    p = data.propagated["loglinear"]
    assert float(rows["loglinear"][1].attrs["data-value"]) == pytest.approx(p.estimate.total)
    assert float(rows["loglinear"][3].attrs["data-low"]) == pytest.approx(p.fixed.interval.low)
    assert float(rows["loglinear"][4].attrs["data-value"]) == pytest.approx(p.linkage_share)
    # no audit sample was drawn for this case: the report must not lead with one number
    assert data.headline.refused
    box = next(a for _, a in parsed.elements if a.get("id") == "headline-estimated")
    assert box.get("data-refused") == "1"
    ranges = [a for _, a in parsed.elements if a.get("class") == "big range"]
    assert float(ranges[0]["data-low"]) == pytest.approx(data.headline.low)
    assert "precision and recall are unknown" in report[2]


def test_no_unknown_stratum_is_estimated(report, parsed) -> None:  # type: ignore[no-untyped-def]
    data = report[0]
    by_sex = next(r.result for r in data.estimates if r.by == "sex" and r.result)
    strata = {dict(e.stratum)["sex"] for e in by_sex.strata} | {
        dict(s.stratum)["sex"] for s in by_sex.sparse}
    assert "unknown" not in strata and strata <= {"m", "f"}
    assert by_sex.replicates > 1  # some persons' sex was missing and was imputed


def test_sensitivity_table_and_plot(linked) -> None:  # type: ignore[no-untyped-def]
    from dadkhah.report import gather_report_data, render_html
    from tests.report._html import parse

    data = gather_report_data(linked.case, by=(), methods=("loglinear",), seed=2,
                              linkage_draws=0, sensitivity=True, include_names=False)
    assert data.propagated == {}
    page = parse(render_html(data))
    rows = page.tables["table-sensitivity"].body()
    assert len(rows) == len(data.sensitivity.rows)
    families = {a["data-family"] for a, _ in rows}
    assert {"lcmcr", "loglinear", "dga", "leave-one-out"} <= families
    assert any(a.get("id") == "fig-sensitivity" for _, a in page.elements)
