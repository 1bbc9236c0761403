"""Digits re-read by their shapes: a template match against the digits of common fonts.

Tesseract's Persian model misreads digits drawn in shapes it was not trained on: Noto Naskh
Arabic draws ۴ ۶ ۷ in their Urdu forms, and on such pages Tesseract read «۱۳۶۷» as «۱۳۲۶»,
«۱۳۷۶» or «۱۳۶», so most dates were wrong.  Digits are few and their shapes simple, so a
word Tesseract read as holding digits is read again here, glyph by glyph: the word's ink is
cut into connected components (each Persian digit is one), and each is matched against the
Persian and Arabic-Indic digits (and «/», «.», «،») of the fonts installed on the machine
that draw them (:data:`FONT_GLOBS`), by the correlation of their bitmaps, their shape and
their height against the word's tallest glyph.  The reading is used only when every glyph
matches well; otherwise Tesseract's stands.

Small print (two-column pages: digits 10–13 px tall) loses the teeth that tell «۲» from
«۳» when binarised, so where the page's grey levels are given each glyph is matched by its
grey ink against the templates drawn at the word's own digit height
(:func:`scaled_templates`: box-averaged, as a scanner's sensor averages) where they are
shorter than :data:`GREY_MAX_PX`: on the tuning page
of seed 300 (Noto Naskh, two columns) the words of digits read right rose from 43 to 87 of
170 and those left to Tesseract fell from 79 to 43.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FONT_GLOBS", "GlyphTemplates", "read_digit_word", "scaled_templates", "templates"]

FONT_GLOBS = ("truetype/noto/NotoNaskhArabic-*.ttf", "truetype/noto/NotoSansArabic-*.ttf",
              "truetype/noto/NotoKufiArabic-*.ttf", "truetype/dejavu/DejaVuSans*.ttf",
              "truetype/vazirmatn/*.ttf", "truetype/fonts-beng-extra/*.ttf",
              "opentype/*/*.otf")
"""Fonts (under /usr/share/fonts) whose digits are templates, where they draw them."""
FONT_ROOT = Path("/usr/share/fonts")
SIZE = 20  # side of the normalised glyph bitmap
_CHARS = "۰۱۲۳۴۵۶۷۸۹" + "٠١٢٣٤٥٦٧٨٩" + "/،"
_VALUE = {c: "۰۱۲۳۴۵۶۷۸۹"[i % 10] if i < 20 else c for i, c in enumerate(_CHARS)}
MIN_SCORE = 0.75
"""Below this match score a glyph is no digit (a letter in the box): the word is left."""
GREY_MAX_PX = 17
"""Digits this tall or taller are matched binarised even where grey is given: on the tuning
pages 300–329 the grey match mended 64 fields of the four two-column Noto Naskh pages and,
used on every page, lost 8 on one-column pages; below 17 px it lost none."""
MIN_SCORE_GREY = 0.7
"""The same for the grey match (:func:`scaled_templates`; tuning page of seed 300: 0.7
read 87 words right and 40 wrong of 170, 0.75 78 and 34, 0.6 89 and 57)."""


@dataclass(frozen=True)
class GlyphTemplates:
    """Normalised bitmaps (n, SIZE*SIZE, unit length), the character each stands for, its
    aspect (height over width) and its height over the font's digit height."""

    bitmaps: np.ndarray
    chars: tuple[str, ...]
    aspect: np.ndarray
    rel_height: np.ndarray
    masks: tuple[np.ndarray, ...] = ()
    """The glyphs' bitmaps as drawn (bool, 64 px font), for :func:`scaled_templates`."""

    def __len__(self) -> int:
        return len(self.chars)


def _normalise(mask: np.ndarray) -> np.ndarray:
    """A glyph's ink (bool, or darkness 0–1, cropped to it) centred in a square and scaled
    to SIZE², as a zero-mean unit vector."""
    from PIL import Image

    h, w = mask.shape
    side = max(h, w)
    sq = np.zeros((side, side), dtype=np.uint8)
    y0, x0 = (side - h) // 2, (side - w) // 2
    sq[y0:y0 + h, x0:x0 + w] = np.clip(mask * 255, 0, 255).astype(np.uint8)
    small = np.asarray(Image.fromarray(sq).resize((SIZE, SIZE), Image.Resampling.BILINEAR),
                       dtype=np.float64).ravel()
    small -= small.mean()
    n = np.linalg.norm(small)
    return small / n if n else small


def _glyph_mask(font: Any, ch: str) -> np.ndarray | None:
    from PIL import Image, ImageDraw

    img = Image.new("L", (160, 160), 0)
    ImageDraw.Draw(img).text((20, 20), ch, font=font, fill=255)
    a = np.asarray(img) > 127
    if not a.any():
        return None
    ys, xs = np.nonzero(a)
    return a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


@lru_cache(maxsize=1)
def templates() -> GlyphTemplates:
    """The templates of every installed font that draws the Persian digits."""
    from PIL import ImageFont

    bitmaps: list[np.ndarray] = []
    kept: list[np.ndarray] = []
    chars: list[str] = []
    aspect: list[float] = []
    rel: list[float] = []
    paths = sorted({p for g in FONT_GLOBS for p in FONT_ROOT.glob(g)})
    for path in paths:
        try:
            font = ImageFont.truetype(str(path), 64)
        except OSError:
            continue
        missing = font.getmask("\uffff").getbbox()
        masks: dict[str, np.ndarray] = {}
        for ch in _CHARS:
            if font.getmask(ch).getbbox() == missing:
                continue  # a glyph the font lacks (its empty box)
            m = _glyph_mask(font, ch)
            if m is not None:
                masks[ch] = m
        digit_h = max((m.shape[0] for c, m in masks.items() if c in "۱٢١۲"), default=0)
        if len([c for c in masks if c in "۰۱۲۳۴۵۶۷۸۹"]) < 10 or not digit_h:
            continue
        for ch, m in masks.items():
            bitmaps.append(_normalise(m))
            kept.append(m)
            chars.append(_VALUE[ch])
            aspect.append(m.shape[0] / m.shape[1])
            rel.append(m.shape[0] / digit_h)
    return GlyphTemplates(np.array(bitmaps).reshape(len(bitmaps), SIZE * SIZE), tuple(chars),
                          np.array(aspect), np.array(rel), tuple(kept))


@lru_cache(maxsize=64)
def scaled_templates(digit_height: int) -> GlyphTemplates:
    """The templates drawn as a page of digits ``digit_height`` pixels tall shows them:
    each glyph box-averaged down to its size there (grey), then normalised."""
    from PIL import Image

    t = templates()
    bitmaps = []
    for m, rel in zip(t.masks, t.rel_height, strict=True):
        f = digit_height * rel / m.shape[0]
        size = (max(1, round(m.shape[1] * f)), max(1, round(m.shape[0] * f)))
        small = Image.fromarray(m.astype(np.uint8) * 255).resize(size, Image.Resampling.BOX)
        bitmaps.append(_normalise(np.asarray(small, dtype=np.float64) / 255))
    return replace(t, bitmaps=np.array(bitmaps).reshape(len(t), SIZE * SIZE))


def _components(ink: np.ndarray) -> list[tuple[int, int, int, int, np.ndarray]]:
    """Glyphs of a word's ink: connected components (8-connected) big enough not to be
    speckle, as (left, top, right, bottom, mask), left to right."""
    from scipy import ndimage

    labels, n = ndimage.label(ink, structure=np.ones((3, 3), dtype=bool))
    out = []
    for i, sl in enumerate(ndimage.find_objects(labels), start=1):
        if sl is None:
            continue
        mask = labels[sl] == i
        if mask.sum() < 4:
            continue
        out.append((sl[1].start, sl[0].start, sl[1].stop, sl[0].stop, mask))
    out.sort(key=lambda c: c[0])
    return out


def read_digit_word(ink: np.ndarray, tpl: GlyphTemplates | None = None, *,
                    span: tuple[int, int] | None = None,
                    grey: np.ndarray | None = None) -> str | None:
    """The characters of a word of digits (a boolean ink crop of it; with ``span``, the
    crop reaches beyond the word's columns ``span`` so that a glyph its box cuts is whole,
    and only glyphs centred inside the span count),
    left to right as printed, or None when a glyph matches no template well (not a word
    of digits, or a glyph broken or touching its neighbour).

    With ``grey`` (the crop's darkness, 0 white to 1 black, same shape as ``ink``) glyphs
    are cut from ``ink`` but matched by their grey ink against :func:`scaled_templates`
    (``tpl`` is then unused)."""
    t = tpl or templates()
    if not len(t):
        return None
    lo, hi = span or (0, ink.shape[1])
    comps = [c for c in _components(ink) if lo <= (c[0] + c[2]) / 2 < hi]
    if not comps:
        return None
    tall = max(b - top for _, top, _, b, _ in comps)
    if tall < 6:
        return None
    if grey is not None and tall >= GREY_MAX_PX:
        grey = None  # print large enough for its binarised teeth
    if grey is not None:
        t = scaled_templates(tall)
    out = []
    for left, top, right, bottom, mask in comps:
        h, w = bottom - top, right - left
        glyph = mask if grey is None else _grey_glyph(grey, mask, left, top)
        if glyph is None:
            return None
        corr = t.bitmaps @ _normalise(glyph)
        score = (corr - 0.15 * np.abs(np.log(h / w) - np.log(t.aspect))
                 - 0.6 * np.abs(h / tall - t.rel_height))
        best = int(np.argmax(score))
        if score[best] < (MIN_SCORE if grey is None else MIN_SCORE_GREY):
            return None
        out.append(t.chars[best])
    return "".join(out)


def _grey_glyph(grey: np.ndarray, mask: np.ndarray, left: int, top: int) -> np.ndarray | None:
    """A glyph's grey ink: the darkness of its pixels and of the ring of one pixel around
    them (its anti-aliased edge), cropped to what is inked."""
    from scipy import ndimage

    h, w = mask.shape
    ring = np.zeros((h + 2, w + 2), dtype=bool)
    ring[1:-1, 1:-1] = mask
    ring = ndimage.binary_dilation(ring)
    t0, l0 = top - 1, left - 1
    # the ring where it falls outside the crop is cut
    rt, rl = max(0, -t0), max(0, -l0)
    sub = grey[max(0, t0):t0 + h + 2, max(0, l0):l0 + w + 2]
    ring = ring[rt:rt + sub.shape[0], rl:rl + sub.shape[1]]
    patch = sub * ring
    ys, xs = np.nonzero(patch > 0.15)
    if ys.size == 0:
        return None
    return patch[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
