"""The report package's public surface, and its docstring examples."""

from __future__ import annotations

import doctest

import dadkhah.report
import dadkhah.report.exports
import dadkhah.report.persian


def test_all() -> None:
    assert sorted(dadkhah.report.__all__) == [
        "ReportData", "ReportResult", "chromium_path", "gather_report_data", "html_to_pdf",
        "render_html", "write_report"]
    for name in dadkhah.report.__all__:
        assert getattr(dadkhah.report, name).__doc__


def test_doctests() -> None:
    for mod in (dadkhah.report.persian, dadkhah.report.exports):
        res = doctest.testmod(mod)
        assert res.failed == 0
    assert doctest.testmod(dadkhah.report.persian).attempted >= 2
