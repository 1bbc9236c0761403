"""The PDF route (headless Chromium) read back with poppler's pdfinfo and pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dadkhah.errors import ConfigError
from dadkhah.report.pdf import chromium_path, html_to_pdf

needs_tools = pytest.mark.skipif(
    chromium_path() is None or shutil.which("pdftotext") is None,
    reason="chromium and poppler-utils are installed by scripts/system-deps.sh")

# pdftotext wraps right-to-left runs in bidi embedding marks; the letters between them are in
# logical order.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def pdf_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.MULTILINE).group(1))


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True)
    return _BIDI.sub("", out.stdout)


@needs_tools
def test_page_breaks_and_persian_survive_printing(tmp_path) -> None:
    html = tmp_path / "t.html"
    html.write_text(
        '<html lang="en"><head><meta charset="utf-8"><style>section{break-before:page}'
        '</style></head><body>'
        '<section><h1>One</h1><p>name: <bdi dir="rtl" lang="fa">محمد سلطان‌زاده</bdi></p>'
        '</section><section><h1>Two</h1><p dir="rtl" lang="fa">زندان اوین</p></section>'
        '<section><h1>Three</h1></section></body></html>', encoding="utf-8")
    pdf = html_to_pdf(html, tmp_path / "t.pdf")
    assert pdf_pages(pdf) == 3
    text = pdf_text(pdf)
    assert "محمد سلطان\u200cزاده" in text or "محمد سلطانزاده" in text.replace("\u200c", "")
    assert "زندان اوین" in text
    assert text.index("One") < text.index("Two") < text.index("Three")
    # untagged by default (small and fast); tagged=True keeps the structure for screen readers
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Tagged:\s+no", info, re.MULTILINE)
    tagged = html_to_pdf(html, tmp_path / "tagged.pdf", tagged=True)
    info = subprocess.run(["pdfinfo", str(tagged)], capture_output=True, text=True,
                          check=True).stdout
    assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE)


@needs_tools
@pytest.mark.slow
def test_report_pdf(report, tmp_path) -> None:
    data, html, _ = report
    pdf = html_to_pdf(html, tmp_path / "report.pdf")
    text = pdf_text(pdf)
    # at least one page per section, and the names appendix at no more than ~80 rows a page
    assert pdf_pages(pdf) >= 7 + len(data.names) // 80
    assert "Casualty report" in text and "SYNTHETIC DATA" in text
    assert f"{data.persons:,}" in text
    # every row printed: the first and the last name of the appendix are in the PDF
    for row in (data.names[0], data.names[-1]):
        assert row.name_latin in text
        if row.name_fa:
            assert row.name_fa.replace("\u200c", "") in text.replace("\u200c", "")
    for s in data.sources:
        assert s.slug in text


def test_missing_browser_is_a_clear_error(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DADKHAH_CHROMIUM", str(tmp_path / "no-such-browser"))
    html = tmp_path / "r.html"
    html.write_text("<p>x</p>")
    with pytest.raises(ConfigError, match="no Chromium") as exc:
        html_to_pdf(html, tmp_path / "r.pdf")
    assert "system-deps.sh" in exc.value.hint
    assert not (tmp_path / "r.pdf").exists()
