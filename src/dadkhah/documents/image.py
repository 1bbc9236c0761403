"""The image of one line of a document, so a person can check its reading against its source.

A record read from a PDF or a scan keeps its page and the box of its line (PDF points for a
PDF, pixels for an image: :data:`~dadkhah.documents.read.PROVENANCE_KEYS`).
:func:`line_image` renders that page from the document's bytes (pypdfium2 for a PDF, Pillow
for an image, a multi-page TIFF's frame by its number) and crops it to the box with a
margin, as PNG bytes.  A saved web page has no image: its rows keep a locator instead.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from PIL import Image, UnidentifiedImageError

from dadkhah.errors import InvalidInput, NotFound

__all__ = ["LINE_IMAGE_DPI", "line_image"]

LINE_IMAGE_DPI = 150
"""Resolution a PDF page is rendered at for a line's image (a 12 pt line is ~25 px high)."""


def _page_of_pdf(data: bytes, page: int, dpi: int) -> tuple[Image.Image, float]:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise InvalidInput("The stored document is not a PDF that can be rendered.",
                           hint="Check the evidence item with: dadkhah evidence verify") from exc
    try:
        if not 1 <= page <= len(pdf):
            raise NotFound(f"The document has {len(pdf)} page(s), not a page {page}.",
                           hint="The record's page does not match its document.")
        scale = dpi / 72
        img = pdf[page - 1].render(scale=scale).to_pil()
    finally:
        pdf.close()
    return img, scale


def _page_of_image(data: bytes, page: int) -> Image.Image:
    try:
        img = Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise InvalidInput("The stored document is not an image that can be read.",
                           hint="Check the evidence item with: dadkhah evidence verify") from exc
    frames = getattr(img, "n_frames", 1)
    if not 1 <= page <= frames:
        raise NotFound(f"The image has {frames} page(s), not a page {page}.",
                       hint="The record's page does not match its document.")
    img.seek(page - 1)
    return img.convert("RGB") if img.mode not in ("RGB", "L", "1") else img.copy()


def line_image(data: bytes, page: int, box: Sequence[float] | None, *,
               box_unit: str | None, dpi: int = LINE_IMAGE_DPI, margin: float = 0.4) -> bytes:
    """The PNG image of the line at ``box`` on ``page`` (1-based) of a document's bytes.

    ``box`` is (left, top, right, bottom) in ``box_unit``: ``"pt"`` (PDF points, the page
    rendered at ``dpi``) or ``"px"`` (pixels of the image, kept at its own resolution).
    ``margin`` is added on every side, in line heights (0.4: a little of the lines above
    and below shows, so a person sees where the line sits).  Raises
    :class:`~dadkhah.errors.InvalidInput` for a row with no box (a saved web page's) or
    bytes that are no PDF or image, :class:`~dadkhah.errors.NotFound` for a page the
    document does not have.
    """
    if box is None or len(box) != 4 or box_unit not in ("pt", "px"):
        raise InvalidInput("This reading has no line on a page image (a saved web page's "
                           "rows keep a locator, not a box).",
                           hint="Check it against the saved page at its locator.")
    if box_unit == "pt":
        img, scale = _page_of_pdf(data, page, dpi)
    else:
        img, scale = _page_of_image(data, page), 1.0
    left, top, right, bottom = (float(v) * scale for v in box)
    pad = max(4.0, margin * (bottom - top))
    w, h = img.size
    crop = (max(0, int(left - pad)), max(0, int(top - pad)),
            min(w, int(right + pad + 0.5)), min(h, int(bottom + pad + 0.5)))
    if crop[2] <= crop[0] or crop[3] <= crop[1]:
        raise InvalidInput("The record's box lies outside its page.",
                           hint="The record's box does not match its document.")
    out = io.BytesIO()
    img.crop(crop).save(out, format="PNG", optimize=True)
    return out.getvalue()
