"""Documents made for the tests: born-digital PDFs (fpdf2), saved web pages, scans."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

needs_tesseract = pytest.mark.skipif(
    shutil.which("tesseract") is None,
    reason="tesseract is not installed (scripts/system-deps.sh installs it)")


def visual_pdf(path: Path, lines: list[str], *, presentation_forms: bool = True,
               encrypt: str | None = None) -> Path:
    """A PDF whose Persian text is stored as a word processor stores it: shaped into
    presentation forms (or base letters) and in visual order, left to right as drawn."""
    import arabic_reshaper
    from bidi.algorithm import get_display
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dv", "", DEJAVU)
    pdf.set_font("dv", size=12)
    for i, text in enumerate(lines):
        shaped = arabic_reshaper.reshape(text) if presentation_forms else text
        pdf.text(20, 30 + 10 * i, get_display(shaped))
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password=encrypt)
    pdf.output(str(path))
    return path
