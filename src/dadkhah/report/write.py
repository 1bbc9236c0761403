"""Write the casualty report of a case: gather, render, print."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from dadkhah.errors import Wording
from dadkhah.report.data import ReportData, gather_report_data
from dadkhah.report.html import render_html
from dadkhah.report.pdf import chromium_path, html_to_pdf
from dadkhah.store import Case

__all__ = ["ReportData", "ReportResult", "write_report"]


@dataclass(frozen=True)
class ReportResult:
    """What :func:`write_report` wrote, with the time each step took (seconds)."""

    html: Path
    pdf: Path | None
    persons: int
    synthetic: bool
    timings: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        lines = [f"Report written to {self.html}" + (" (SYNTHETIC data)" if self.synthetic
                                                      else "")]
        if self.pdf:
            lines.append(f"PDF written to {self.pdf}")
        lines.append("  time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items()))
        return "\n".join(lines)


def write_report(case: Case, out: str | Path, *, pdf: bool = False, actor: str = "unknown",
                 persian: Callable[[Wording], str] | None = None,
                 **options: Any) -> ReportResult:
    """Gather, render and write the report of ``case`` to ``out`` (an .html file); with
    ``pdf``, also print it to the same name with ``.pdf``; the report is logged in the audit
    chain as ``report.write`` by ``actor`` (with the files' SHA-256).  ``options`` go to
    :func:`gather_report_data` (by, methods, seed, level, precomputed, include_names,
    command, progress, viewer: who reads it, for restricted records).  ``persian`` says an
    estimator warning's :class:`~dadkhah.errors.Wording` in Persian beside its English
    (:func:`dadkhah.report.html.render_html`; the command line and the web pass the
    interface catalogue's ``render_wording``)."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        out = out.with_suffix(".html")
    if pdf and chromium_path() is None:
        html_to_pdf(out, out.with_suffix(".pdf"))  # raises the clear error before the work
    t0 = time.perf_counter()
    data = gather_report_data(case, **options)
    t1 = time.perf_counter()
    text = render_html(data, persian=persian)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    t2 = time.perf_counter()
    est = sum(r.seconds for r in data.estimates)
    timings = {"read": t1 - t0 - est, "estimate": est, "render": t2 - t1}
    pdf_path = None
    if pdf:
        html_to_pdf(out, out.with_suffix(".pdf"))
        pdf_path = out.with_suffix(".pdf")  # as the caller named the HTML file
        timings["pdf"] = time.perf_counter() - t2
    from dadkhah.store import audit

    files = [out] + ([pdf_path] if pdf_path else [])
    audit.record_access(case, by=actor, action="report.write", target="report",
                        details={"path": str(out), "pdf": str(pdf_path) if pdf_path else None,
                                 "persons": data.persons,
                                 "as_user": getattr(options.get("viewer"), "username", None),
                                 "include_restricted": bool(getattr(options.get("viewer"),
                                                                    "sees_all", False)),
                                 "sha256": {p.name: audit.file_sha256(p) for p in files}},
                        written=files)
    return ReportResult(out, pdf_path, data.persons, data.synthetic, timings)
