"""Reports people can read, and exports for other tools.

- :func:`write_report`: the casualty report of a linked case, one self-contained HTML file
  (and a PDF printed from it), from :func:`gather_report_data` (everything read once into
  an immutable :class:`ReportData`) and :func:`render_html`.
- :mod:`dadkhah.report.exports`: the register with provenance (CSV/XLSX/JSON), capture
  histories for other MSE software, Every Casualty Worldwide minimum fields.
"""

from dadkhah.report.data import ReportData, gather_report_data
from dadkhah.report.html import render_html
from dadkhah.report.pdf import chromium_path, html_to_pdf
from dadkhah.report.write import ReportResult, write_report

__all__ = ["ReportData", "ReportResult", "chromium_path", "gather_report_data", "html_to_pdf",
           "render_html", "write_report"]
