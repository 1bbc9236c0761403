"""The linkage section's audit block: precision and recall measured from a reviewed sample of
pairs when one was drawn, the way to draw one when none was.  All data SYNTHETIC."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.report._html import parse


@pytest.fixture(scope="module")
def audited(linked, lcmcr_estimate, tmp_path_factory):
    """A copy of the linked case with an audit sample of 60 pairs, 50 answered from the
    SYNTHETIC truth (10 left pending), and its report: (case, progress, data, HTML)."""
    from dadkhah.register import (
        audit_answers,
        audit_progress,
        draw_audit_sample,
        record_decision,
    )
    from dadkhah.report import gather_report_data, render_html
    from dadkhah.store import Case

    target = tmp_path_factory.mktemp("audited") / "case"
    target.mkdir()
    src = sqlite3.connect(Path(linked.case.location) / "case.db")
    dst = sqlite3.connect(target / "case.db")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    case = Case.open(target)
    draw_audit_sample(case, 60, by="tester", seed=2)
    for p in audit_answers(case)[:50]:
        same = linked.truth[p["record_l"]] == linked.truth[p["record_r"]]
        record_decision(case, p["record_l"], p["record_r"], "match" if same else "no_match",
                        by="tester", reason="audit sample, answered from the SYNTHETIC truth")
    progress = audit_progress(case)
    data = gather_report_data(case, by=(), methods=(), precomputed={"lcmcr": lcmcr_estimate},
                              command="dadkhah report --test")
    yield case, progress, data, render_html(data)
    case.close()


def test_the_audit_figures_appear_with_their_intervals_and_caveat(audited) -> None:
    _, progress, data, html = audited
    assert data.audit == progress and progress.current and progress.quality is not None
    assert (progress.size, progress.pending) == (60, 10)
    q = progress.quality
    page = parse(html)
    table = page.tables["table-audit"]
    assert table.attrs["data-current"] == "1"
    cells = {c.attrs.get("class"): c for row in table.rows for c in row}
    assert cells["answered"].attrs["data-answered"] == str(progress.answered)
    assert f"{progress.answered} of 60 answered" in cells["answered"].text
    assert "10 awaiting review" in cells["answered"].text
    for name in ("precision", "recall"):
        c = cells[name]
        shown = (getattr(q, name), getattr(q, f"{name}_low"), getattr(q, f"{name}_high"))
        assert [float(c.attrs[k]) for k in ("data-value", "data-low", "data-high")] == \
            pytest.approx(shown)
        assert all(f"{100 * v:.1f}%" in c.text for v in shown)
        assert "95% interval" in c.text
    assert "among scored pairs" in page.text and "0.2" in cells["recall"].text
    assert 'id="audit-caveat"' in html and 'id="audit-hint"' not in html
    assert "the run behind this register" in cells["sample"].text


def test_a_sample_from_an_earlier_run_is_flagged(audited) -> None:
    from dataclasses import replace

    from dadkhah.report import render_html

    _, progress, data, _ = audited
    html = render_html(replace(data, audit=replace(progress, current=False)))
    table = parse(html).tables["table-audit"]
    assert table.attrs["data-current"] == "0"
    assert "not the latest run" in html


def test_without_an_audit_the_report_says_how_to_draw_one(report) -> None:
    data, _, html = report
    assert data.audit is None
    page = parse(html)
    assert "table-audit" not in page.tables
    hint = html.split('id="audit-hint"', 1)[1].split("</p>", 1)[0]
    assert "dadkhah link --audit-sample 200" in hint and "dadkhah review audit -i" in hint
