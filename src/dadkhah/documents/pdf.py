"""PDFs and page images read into lines: the text layer where it is sound, OCR elsewhere.

A PDF page with a text layer is read with pdfplumber: its characters are grouped into lines
by position, and each Persian line is put back in reading order and repaired
(:mod:`dadkhah.documents.textlayer`).  A page without text, or whose text is mostly
unmapped glyphs (``(cid:12)``, private-use or replacement characters), is rendered
(pypdfium2, through pdfplumber) and read by OCR (:mod:`dadkhah.documents.ocr`).  The
choice is reported per page.  Images (PNG, JPEG, TIFF with all its frames) are read by OCR.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from dadkhah.documents.model import Line, PageReport
from dadkhah.documents.ocr import OcrSettings, ocr_page
from dadkhah.documents.textlayer import (
    choose_order,
    fold_presentation_forms,
    restore_zwnj,
    visual_to_logical,
)
from dadkhah.errors import IngestError

__all__ = ["MIN_TEXT_CHARS", "read_image", "read_pdf"]

MIN_TEXT_CHARS = 20
"""A page with fewer characters in its text layer is taken to be a scan."""
_BAD_SHARE = 0.2

PageProgress = Callable[[int, int], None]


def _arabic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum("\u0600" <= c <= "\u06ff" or "\ufb50" <= c <= "\ufeff" for c in letters) \
        / len(letters)


def _bad_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return 1.0
    bad = text.count("(cid:") * 6 + sum(c == "\ufffd" or "\ue000" <= c <= "\uf8ff"
                                        for c in chars)
    return min(1.0, bad / len(chars))


def open_pdf(path: Path) -> Any:
    """pdfplumber's PDF, or one clear :class:`~dadkhah.errors.IngestError` when the file is
    not a PDF, is encrypted with a password, or is damaged."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise IngestError(f"{path.name} is not a PDF (it does not begin with %PDF-); nothing "
                          f"was imported.",
                          hint="Check the file: a PDF saved from a browser or a scanner begins "
                               "with %PDF-. Import images as .png/.jpg/.tif and web pages as "
                               ".html.")
    try:
        pdf = pdfplumber.open(path)
        n = len(pdf.pages)
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError, PDFSyntaxError) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise IngestError(f"{path.name} is encrypted with a password; nothing was imported.",
                              hint="Open it with its password and save an unencrypted copy "
                                   "(for example: qpdf --decrypt --password=… in.pdf out.pdf), "
                                   "then import that copy.") from exc
        raise IngestError(f"{path.name} is a damaged PDF that cannot be read ({cause}); nothing "
                          f"was imported.",
                          hint="Save it again from the program that made it, or print it to "
                               "a new PDF, and import that.") from exc
    if n == 0:
        pdf.close()
        raise IngestError(f"{path.name} has no pages; nothing was imported.",
                          hint="Check that this is the right file.")
    return pdf


def _text_lines(page: Any, page_no: int) -> tuple[list[Line], dict[str, int]]:
    """The text layer's lines in reading order, repaired; counts of what was repaired."""
    counts = {"reversed": 0, "folded": 0, "zwnj": 0}
    lines: list[Line] = []
    for row in page.extract_text_lines(strip=True, return_chars=True):
        visual = row["text"]
        if not visual.strip():
            continue
        rtl = _arabic_share(visual) > 0.5
        as_is = ("as stored", visual)
        rev = ("reversed", visual_to_logical(visual))
        # Persian lines come out of position order left to right, i.e. reversed; unless
        # the glyph shapes or the lexicon say the line is already in reading order
        choice = choose_order([rev, as_is] if rtl else [as_is, rev])
        text = choice.text
        if choice.candidate == "reversed":
            counts["reversed"] += 1
        if fold_presentation_forms(visual) != visual:
            counts["folded"] += 1
        repaired = restore_zwnj(text) if rtl else text
        if repaired != text:
            counts["zwnj"] += 1
        lines.append(Line(page=page_no, box=(round(row["x0"], 1), round(row["top"], 1),
                                             round(row["x1"], 1), round(row["bottom"], 1)),
                          text=repaired, confidence=100.0, method="text"))
    return lines, counts


def read_pdf(path: Path, settings: OcrSettings | None = None, *, dpi: int = 200,
             force_ocr: bool = False, progress: PageProgress | None = None
             ) -> Iterator[tuple[list[Line], PageReport]]:
    """Each page's lines and report, page by page (boxes in PDF points)."""
    pdf = open_pdf(path)
    try:
        total = len(pdf.pages)
        for n, page in enumerate(pdf.pages, start=1):
            t0 = time.perf_counter()
            text = "".join(c["text"] for c in page.chars)
            usable = len(text.strip()) >= MIN_TEXT_CHARS and _bad_share(text) < _BAD_SHARE
            if usable and not force_ocr:
                lines, counts = _text_lines(page, n)
                fixed = {k: v for k, v in counts.items() if v}
                how = ", ".join(f"{v} line(s) {k}" for k, v in fixed.items())
                method = "text-repaired" if fixed else "text"
                reason = (f"text layer sound; repaired: {how}" if fixed
                          else "text layer sound, in reading order")
                yield lines, PageReport(n, method, reason, len(lines),
                                        round(time.perf_counter() - t0, 2))
            else:
                if force_ocr:
                    why = "OCR asked for"
                elif len(text.strip()) < MIN_TEXT_CHARS:
                    why = "no text layer (a scan)"
                else:
                    why = f"text layer unusable ({_bad_share(text):.0%} unmapped glyphs)"
                img = page.to_image(resolution=dpi).original
                lines, rep = ocr_page(img, n, settings, scale=72 / dpi)
                yield lines, PageReport(n, "ocr", f"{why}: read by OCR at {dpi} dpi",
                                        rep.lines, rep.seconds, rep.skew)
            if progress:
                progress(n, total)
    finally:
        pdf.close()


def read_image(path: Path, settings: OcrSettings | None = None, *,
               progress: PageProgress | None = None
               ) -> Iterator[tuple[list[Line], PageReport]]:
    """Each frame of an image file (a multi-page TIFF has several), read by OCR; boxes in
    pixels of the image."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    try:
        img = Image.open(path)
        img.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise IngestError(f"{path.name} is not a readable image ({exc}); nothing was imported.",
                          hint="Save it again as PNG, JPEG or TIFF.") from exc
    frames = getattr(img, "n_frames", 1)
    for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
        lines, rep = ocr_page(frame.copy(), n, settings)
        yield lines, rep
        if progress:
            progress(n, frames)
