"""OCR of page images with Tesseract (Persian + English), through pytesseract.

Tesseract and its Persian model come from Debian (``tesseract-ocr``, ``tesseract-ocr-fas``,
``tesseract-ocr-eng``; ``scripts/system-deps.sh`` installs them).  Before reading, a page is
cleaned: turned to grey, its skew measured and turned back (:func:`deskew_angle`, a search
over small angles for the one whose row profile is sharpest), and binarised with Otsu's
threshold.  Each line comes back with its box on the *original* image (the skew undone),
the mean confidence of its words, and, when wide gaps split it, its cells (a table row).

Two things raise what is read right (SYNTHETIC tuning pages, ``benchmarks/ocr_bench.py``):
the page is read twice, binarised and grey, and per line the reading with more known
words (name lexicon, the case's names, list words) is kept; and words with digits are read
again by their shapes (:mod:`dadkhah.documents.digits`; small print by its grey levels
against the digits drawn at its height), since Tesseract misreads digits drawn as Noto
Naskh draws them.  The binarised page is smoothed first where its print is
not small (:attr:`OcrSettings.smooth`).  Upscaling the page (1.5×) and Sauvola's local
threshold were tried and read worse on the tuning pages (names 65% and 70% against 80%);
so did upscaling pages of small print to a line height of 28 px (two-column tuning pages 17
and 24: names 83% → 54%).
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from dadkhah.documents.model import Box, Line, PageReport, turned_box
from dadkhah.errors import IngestError
from dadkhah.names import fold_digits

__all__ = ["OcrSettings", "binarise", "deskew_angle", "engine_name", "line_height", "ocr_page",
           "split_columns"]


@dataclass(frozen=True)
class OcrSettings:
    """``languages`` as Tesseract names them; ``psm`` its page segmentation mode (3: find
    columns and blocks); ``cell_gap`` splits a line into cells at word gaps wider than that
    many times the line's height."""

    languages: str = "fas"
    psm: int = 4
    deskew: bool = True
    binarise: bool = True
    max_skew: float = 4.0
    cell_gap: float = 2.5
    digits: bool = True
    """Re-read words with digits by their shapes (:mod:`dadkhah.documents.digits`)."""
    second_pass: bool = True
    """Read the page twice, binarised and grey, and keep per line the reading with more
    known words."""
    smooth: float = 0.8
    """Radius of a Gaussian blur applied before binarising the page Tesseract reads (grain
    on a photocopy leaves ragged, broken strokes after the threshold); 0: none.  On the
    tuning pages 15-40 it raised names read right from 81% to 84% (after correction 92% to
    93%) on pages of ordinary print, and lowered them on pages of small print (two columns),
    hence :attr:`smooth_min_px`."""
    smooth_min_px: float = 22.0
    """Pages whose lines are shorter than this (pixels of ink rows, :func:`line_height`)
    are not smoothed: small print loses its dots and teeth to the blur."""
    user_words: tuple[str, ...] = ()
    """Words Tesseract should prefer (its ``--user-words``): the name lexicon and the names
    already in the case.  On the tuning seeds they raised full names read right by about
    eight points."""


def _check_tesseract(languages: str) -> Any:
    try:
        import pytesseract
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise IngestError("pytesseract is not installed.",
                          hint="Install dadkhah's dependencies (pip install pytesseract).") from exc
    try:
        have = set(_languages())
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise IngestError("Tesseract is not installed, so scanned pages cannot be read.",
                          hint="Run scripts/system-deps.sh (Debian: apt-get install "
                               "tesseract-ocr tesseract-ocr-fas tesseract-ocr-eng).") from exc
    missing = [lang for lang in languages.split("+") if lang not in have]
    if missing:
        raise IngestError(f"Tesseract has no model for {', '.join(missing)}.",
                          hint="Run scripts/system-deps.sh (Debian: apt-get install "
                               + " ".join(f"tesseract-ocr-{m}" for m in missing) + ").")
    return pytesseract


@lru_cache(maxsize=1)
def _languages() -> tuple[str, ...]:
    import pytesseract

    return tuple(pytesseract.get_languages(config=""))


@lru_cache(maxsize=1)
def engine_name(languages: str = "fas+eng") -> str:
    """``tesseract <version> <languages>``, as recorded with every reading."""
    pytesseract = _check_tesseract(languages)
    return f"tesseract {pytesseract.get_tesseract_version()} {languages}"


def _otsu(a: np.ndarray) -> int:
    hist = np.bincount(a.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    cum = np.cumsum(hist)
    cum_mean = np.cumsum(hist * np.arange(256))
    w0 = cum / total
    w1 = 1 - w0
    mu0 = cum_mean / np.maximum(cum, 1)
    mu1 = (cum_mean[-1] - cum_mean) / np.maximum(total - cum, 1)
    between = w0 * w1 * (mu0 - mu1) ** 2
    return int(np.argmax(between))


def binarise(img: Any) -> Any:
    """Black text on white by Otsu's threshold (grey image in, 1-bit-valued grey out)."""
    from PIL import Image

    a = np.asarray(img.convert("L"))
    t = _otsu(a)
    return Image.fromarray(np.where(a > t, 255, 0).astype(np.uint8), mode="L")


def deskew_angle(img: Any, max_angle: float = 4.0, step: float = 0.1) -> float:
    """The rotation (degrees, PIL's sense) that makes the text lines horizontal.

    Searched on a reduced, binarised copy: lines are horizontal when the ink per row is
    most uneven (rows of text, then white gaps), measured by the variance of the row sums.
    """
    from PIL import Image

    small = img.convert("L")
    scale = 800 / max(small.size)
    if scale < 1:
        small = small.resize((round(small.width * scale), round(small.height * scale)),
                             Image.Resampling.BILINEAR)
    a = np.asarray(small)
    ink = Image.fromarray(np.where(a > _otsu(a), 0, 255).astype(np.uint8), mode="L")

    def score(angle: float) -> float:
        rows = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32)
        return float(rows.sum(axis=1).var())

    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.5)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.5, best + 0.5 + 1e-9, step)
    return round(float(max(fine, key=score)), 2)


def line_height(img: Any) -> float:
    """The median height in pixels of the page's text lines: runs of inked rows of the
    binarised page (0 when there are none).  Noise inks a few pixels in every row, so a row
    counts as inked when it holds a fifth of the ink of a well-inked row."""
    a = np.asarray(img.convert("L"))
    rows = (a < _otsu(a)).sum(axis=1).astype(np.float64)
    if not rows.any():
        return 0.0
    inked = rows > 0.2 * float(np.percentile(rows[rows > 0], 90))
    runs: list[int] = []
    n = 0
    for v in inked:
        if v:
            n += 1
        elif n:
            runs.append(n)
            n = 0
    if n:
        runs.append(n)
    runs = [r for r in runs if r > 2]
    return float(np.median(runs)) if runs else 0.0


def split_columns(img: Any, min_gap: float = 0.03) -> list[tuple[int, int]]:
    """The page's text columns as (left, right) pixel ranges, right to left: split at white
    vertical bands wider than ``min_gap`` of the page width between inked regions.

    Speckle makes a white band look inked here and there, so the ink per pixel column is
    smoothed and must reach a tenth of a well-inked column's; a region narrower than the gap (a
    margin's dirt, a column of entry numbers) joins its nearest neighbour.
    """
    a = np.asarray(img.convert("L"))
    ink = np.convolve((a < 128).sum(axis=0).astype(np.float64), np.ones(9) / 9, mode="same")
    top = float(np.percentile(ink[ink > 0], 90)) if (ink > 0).any() else 0.0
    xs = np.flatnonzero(ink > max(3.0, 0.1 * top))
    if xs.size == 0:
        return [(0, img.width)]
    gap = max(1, int(min_gap * img.width))
    cols: list[list[int]] = []
    start = prev = int(xs[0])
    for x in xs[1:]:
        if x - prev > gap:
            cols.append([start, prev + 1])
            start = int(x)
        prev = int(x)
    cols.append([start, prev + 1])
    while len(cols) > 1:
        narrow = [i for i, (l0, r0) in enumerate(cols) if r0 - l0 < 2 * gap]
        if not narrow:
            break
        i = narrow[0]
        if i == 0:
            j = 1
        elif i == len(cols) - 1:
            j = i - 1
        else:
            j = i - 1 if cols[i][0] - cols[i - 1][1] < cols[i + 1][0] - cols[i][1] else i + 1
        cols[j] = [min(cols[i][0], cols[j][0]), max(cols[i][1], cols[j][1])]
        del cols[i]
    pad = gap // 2
    return [(max(0, l0 - pad), min(img.width, r0 + pad)) for l0, r0 in reversed(cols)]


def _read_column(pytesseract: Any, work: Any, x0: int, x1: int, languages: str, config: str,
                 data: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """Tesseract's words of one column, added to ``data`` (returned) with page
    coordinates."""
    part = pytesseract.image_to_data(work.crop((x0, 0, x1, work.height)), lang=languages,
                                     config=config, output_type=pytesseract.Output.DICT)
    part["left"] = [v + x0 for v in part["left"]]
    part["block_num"] = [v + 1000 * x0 for v in part["block_num"]]  # distinct per column
    for k, v in part.items():
        data.setdefault(k, []).extend(v)
    return data


def ocr_page(img: Any, page: int, settings: OcrSettings | None = None, *,
             scale: float = 1.0) -> tuple[list[Line], PageReport]:
    """Read one page image; boxes are multiplied by ``scale`` (72/dpi gives PDF points)."""
    from PIL import Image, ImageFilter

    s = settings or OcrSettings()
    pytesseract = _check_tesseract(s.languages)
    t0 = time.perf_counter()
    grey = img.convert("L")
    angle = deskew_angle(grey, s.max_skew) if s.deskew else 0.0
    work = grey.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255) if angle else grey
    bw = binarise(work) if s.binarise else work
    # the page Tesseract reads: smoothed before the threshold; digits are matched against
    # their templates on the plain threshold (smoothing rounds the teeth of ۲ ۳ ۴)
    seen = bw
    if s.binarise and s.smooth and line_height(work) >= s.smooth_min_px:
        seen = binarise(work.filter(ImageFilter.GaussianBlur(s.smooth)))
    # Tesseract's OpenMP threads fight over this machine's cores (2 cores, several
    # processes): one thread per page reads faster, often by 3x.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    config = f"--psm {s.psm} -c preserve_interword_spaces=1"
    columns = split_columns(bw)
    readings: list[list[Line]] = []
    with tempfile.TemporaryDirectory(prefix="dadkhah-ocr-") as tmp:
        if s.user_words:
            words = Path(tmp) / "user-words.txt"
            words.write_text("\n".join(s.user_words) + "\n", encoding="utf-8")
            config += f" --user-words {words} -c lstm_use_matrix=1"
        images = [seen, work] if s.second_pass and s.binarise else [seen]
        # the readings run as separate Tesseract processes, two at a time (one per core of
        # a small machine); each column's words are added in column order, as before
        page_ink: _PageInk | None = None
        with ThreadPoolExecutor(max_workers=2) as pool:
            parts = {(k, c): pool.submit(_read_column, pytesseract, image, x0, x1,
                                         s.languages, config, {})
                     for k, image in enumerate(images) for c, (x0, x1) in enumerate(columns)}
            for k in range(len(images)):
                data: dict[str, list[Any]] = {}
                for c in range(len(columns)):
                    for key, v in parts[(k, c)].result().items():
                        data.setdefault(key, []).extend(v)
                if s.digits and data.get("text"):
                    if page_ink is None:  # one page, both readings
                        page_ink = _PageInk.of(bw, work)
                    _reread_digits(page_ink, data)
                    _find_lost_days(page_ink, data)
                readings.append(_lines(data, page, s, angle, grey.size, scale))
    lines = readings[0] if len(readings) == 1 else _choose(readings[0], readings[1],
                                                           s.user_words)
    # reading order of the page: columns right to left, then top to bottom
    lines = _reading_order(lines)
    seconds = time.perf_counter() - t0
    return lines, PageReport(page, "ocr", "no usable text layer: read by OCR", len(lines),
                             round(seconds, 2), angle)


def _lines(data: dict[str, list[Any]], page: int, s: OcrSettings, angle: float,
           size: tuple[int, int], scale: float) -> list[Line]:
    """Tesseract's words grouped into lines, with boxes on the original page."""
    groups: dict[tuple[int, int, int], list[int]] = {}
    for i, word in enumerate(data.get("text", ())):
        if not str(word).strip():
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        groups.setdefault(key, []).append(i)
    lines: list[Line] = []
    for idx in groups.values():
        # reading order of a Persian line: right to left
        # (by the words' centres: Tesseract may stretch a word's box over a neighbour it
        # could not read, such as the entry's number)
        idx.sort(key=lambda i: -(2 * data["left"][i] + data["width"][i]))
        left = min(data["left"][i] for i in idx)
        top = min(data["top"][i] for i in idx)
        right = max(data["left"][i] + data["width"][i] for i in idx)
        bottom = max(data["top"][i] + data["height"][i] for i in idx)
        height = max(bottom - top, 1)
        cells: list[list[str]] = [[]]
        prev_left: int | None = None
        for i in idx:
            if prev_left is not None and prev_left - (data["left"][i] + data["width"][i]) \
                    > s.cell_gap * height:
                cells.append([])
            cells[-1].append(str(data["text"][i]))
            prev_left = data["left"][i]
        text = " ".join(str(data["text"][i]) for i in idx)
        confs = [float(data["conf"][i]) for i in idx if float(data["conf"][i]) >= 0]
        box = turned_box((left, top, right, bottom), -angle, size) if angle else \
            (left, top, right, bottom)
        lines.append(Line(page=page, box=tuple(round(v * scale, 1) for v in box),  # type: ignore[arg-type]
                          text=text, confidence=round(sum(confs) / len(confs), 1) if confs else 0.0,
                          method="ocr",
                          cells=tuple(" ".join(c) for c in cells) if len(cells) > 1 else None))
    return lines


def _overlap(a: Box | None, b: Box | None) -> float:
    """The share of the smaller box that the two boxes share."""
    if a is None or b is None:
        return 0.0
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h / smaller if smaller > 0 else 0.0


def _known_score(text: str, known: frozenset[str]) -> int:
    """Persian words of a line that are known, less those that are not."""
    from dadkhah.names import normalize_persian
    from dadkhah.names.normalize import ZWNJ

    score = 0
    for w in normalize_persian(text).split():
        w = w.strip(".،,:;!؛«»()").replace(ZWNJ, "")
        if any("\u0600" <= c <= "\u06ef" for c in w):
            score += 1 if w in known else -1
    return score


def _choose(first: list[Line], second: list[Line], words: tuple[str, ...]) -> list[Line]:
    """Per line, the reading of the two passes with more known words (the name lexicon,
    the case's names, the list words: :func:`~dadkhah.documents.textlayer.ocr_words`);
    the first pass's lines and layout stand, a line is only replaced by its twin."""
    from dadkhah.documents.textlayer import lexicon
    from dadkhah.names import normalize_persian
    from dadkhah.names.normalize import ZWNJ

    known = frozenset(normalize_persian(w).replace(ZWNJ, "") for w in words) | lexicon()
    out = []
    for ln in first:
        twin = max(second, key=lambda o: _overlap(ln.box, o.box), default=None)
        if twin is None or _overlap(ln.box, twin.box) < 0.7 or twin.cells is not None \
                or ln.cells is not None:
            out.append(ln)
            continue
        base, other = ln, twin
        if _known_score(twin.text, known) > _known_score(ln.text, known):
            base, other = twin, ln
        text = _mend_words(base.text, other.text, known)
        out.append(replace(ln, text=text, confidence=base.confidence))
    return out


def _mend_words(text: str, other: str, known: frozenset[str]) -> str:
    """``text`` with an unknown Persian word replaced by the known word the other pass's
    reading of the same line ``other`` has in its place: a noisy page garbles a different
    word in each pass, often the name's first, so the better line can still hold a worse
    word.  The two readings are aligned word by word (words read alike anchor them); a
    word is replaced only by one alike enough (edits on 40% of its letters or fewer) and never by a
    word it begins with (the other pass lost its tail: «میرنصرتیفر», «میرنصرتی»)."""
    from difflib import SequenceMatcher

    from rapidfuzz.distance import Levenshtein

    from dadkhah.names import normalize_persian
    from dadkhah.names.normalize import ZWNJ

    def bare(w: str) -> str:
        return normalize_persian(w).strip(".،,:;!؛«»()").replace(ZWNJ, "")

    mine, theirs = text.split(), other.split()
    out = list(mine)
    blocks = SequenceMatcher(None, mine, theirs, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in blocks:
        if op != "replace" or i2 - i1 != j2 - j1:
            continue
        for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
            a, b = bare(mine[i]), bare(theirs[j])
            if any("\u0600" <= c <= "\u06ef" for c in a) and a not in known and b in known \
                    and not _HAS_DIGIT.search(mine[i] + theirs[j]) and not a.startswith(b) \
                    and Levenshtein.normalized_similarity(a, b) >= 0.6:
                out[i] = theirs[j]
    return " ".join(out)


_HAS_DIGIT = re.compile("[0-9۰-۹٠-٩]")
_LETTER = re.compile("[A-Za-z\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]")
_LEAD = re.compile("^[^0-9۰-۹٠-٩]+")
_TRAIL = re.compile("[^0-9۰-۹٠-٩]+$")


@dataclass(frozen=True)
class _PageInk:
    """A page as the digit reader sees it: ``ink`` (bool) from the binarised page, whose
    ink cuts the glyphs, and ``dark`` (0 white to 1 black) from the same page before the
    threshold, whose grey levels are matched (None: match the binarised glyphs)."""

    ink: np.ndarray
    dark: np.ndarray | None

    @classmethod
    def of(cls, work: Any, grey: Any = None) -> _PageInk:
        """From the binarised page image ``work`` and the grey one ``grey`` (PIL images)."""
        dark = None if grey is None else \
            (255.0 - np.asarray(grey.convert("L"), dtype=np.float32)) / 255.0
        return cls(np.asarray(work.convert("L")) < 128, dark)


def _reread_digits(page: _PageInk, data: dict[str, list[Any]]) -> None:
    """Words Tesseract read as holding digits, read again glyph by glyph against the
    digits of common fonts (:func:`dadkhah.documents.digits.read_digit_word`); the new
    reading replaces Tesseract's where every glyph matched."""
    from dadkhah.documents.digits import read_digit_word, templates

    tpl = templates()
    ink, dark = page.ink, page.dark
    for i, word in enumerate(data["text"]):
        text = str(word).strip()
        if not text or not _HAS_DIGIT.search(text):
            continue
        x0, y0 = data["left"][i], data["top"][i]
        x1, y1 = x0 + data["width"][i], y0 + data["height"][i]
        pad = max(3, (y1 - y0) // 3)
        left = max(0, x0 - 1 - pad)
        rows, cols = slice(max(0, y0 - 1), y1 + 1), slice(left, x1 + 1 + pad)
        lo = max(0, x0 - 1) - left
        got = read_digit_word(ink[rows, cols], tpl, span=(lo, lo + x1 + 1 - max(0, x0 - 1)),
                              grey=None if dark is None else dark[rows, cols])
        if not got:
            continue
        # marks after a number print at its left (RTL): «۱۲.» shows as «.۱۲»; a dot
        # matches «۰» (a Persian zero is a dot), so a dot at the left is the mark unless
        # Tesseract read a leading zero; Tesseract's own marks are kept around the digits
        tess_digits = "".join(_HAS_DIGIT.findall(fold_digits(text)))
        while len(got) > 1 and (got[0] == "،" or (got[0] == "۰" and (
                "." in text or not tess_digits.startswith("0")))):
            got = got[1:]
        # inside a number a comma-like dot is a zero (DejaVu's «۰» is a short stroke)
        got = got.strip("،").replace("،", "۰")
        if not _HAS_DIGIT.search(got):
            continue
        lead = _LEAD.match(text)
        trail = _TRAIL.search(text)
        data["text"][i] = (lead.group() if lead else "") + got + (trail.group() if trail else "")


def _find_lost_days(page: _PageInk, data: dict[str, list[Any]]) -> None:
    """The day of a date that Tesseract dropped (a lone small digit, such as Naskh's
    «۷», is often read as nothing): where a month name has no number at its right (RTL:
    before it) on its line but ink lies in the gap, that ink is read glyph by glyph as
    :func:`_reread_digits` reads digits; a day of 1 to 31 matched whole is added as a
    word of the line (confidence -1: no Tesseract confidence)."""
    from dadkhah.documents.correct import SOLAR_MONTHS
    from dadkhah.documents.digits import read_digit_word, templates
    from dadkhah.names import normalize_persian

    months = frozenset(normalize_persian(m) for m in SOLAR_MONTHS)
    tpl = templates()
    ink, dark = page.ink, page.dark
    texts = list(data["text"])
    for i, word in enumerate(texts):
        if normalize_persian(str(word).strip(".،,:;")) not in months:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        x0, y0 = data["left"][i], data["top"][i]
        x1, y1 = x0 + data["width"][i], y0 + data["height"][i]
        h = y1 - y0
        right = [j for j, t in enumerate(texts) if j != i and str(t).strip()
                 and (data["block_num"][j], data["par_num"][j], data["line_num"][j]) == key
                 and data["left"][j] + data["width"][j] / 2 > x1]
        nxt = min(right, key=lambda j: data["left"][j], default=None)
        if nxt is not None and _HAS_DIGIT.search(str(texts[nxt])):
            continue
        if nxt is not None and len(str(texts[nxt]).strip()) <= 2 \
                and not _LETTER.search(str(texts[nxt])):
            # the day read as a mark («؟», «|»): its own box is read by the templates
            n0, n1 = data["left"][nxt], data["left"][nxt] + data["width"][nxt]
            nt, nb = data["top"][nxt], data["top"][nxt] + data["height"][nxt]
            pad = max(3, (nb - nt) // 3)
            lo = max(0, n0 - 1 - pad)
            rows, cols = slice(max(0, nt - 1), nb + 1), slice(lo, n1 + 1 + pad)
            got = read_digit_word(ink[rows, cols], tpl, span=(n0 - 1 - lo, n1 + 1 - lo),
                                  grey=None if dark is None else dark[rows, cols])
            if got and got.isdigit() and 1 <= int(fold_digits(got)) <= 31:
                data["text"][nxt] = got
            continue
        g0 = x1 + 2
        g1 = min(data["left"][nxt] - 2 if nxt is not None else x1 + 3 * h, x1 + 3 * h,
                 ink.shape[1])
        if g1 - g0 < 3:
            continue
        rows = slice(max(0, y0 - h // 4), min(ink.shape[0], y1 + h // 4))
        crop = ink[rows, g0:g1]
        if not crop.any():
            continue
        got = read_digit_word(crop, tpl, grey=None if dark is None else dark[rows, g0:g1])
        if not got or not got.isdigit() or not 1 <= int(fold_digits(got)) <= 31:
            continue
        inked = np.flatnonzero(crop.any(axis=0))
        for k in data:
            data[k].append(data[k][i])
        data["text"][-1] = got
        data["conf"][-1] = -1
        data["left"][-1] = g0 + int(inked[0])
        data["width"][-1] = int(inked[-1] - inked[0]) + 1


def _reading_order(lines: list[Line]) -> list[Line]:
    """Lines in reading order: by column (right to left), then top to bottom.  A line's
    column is how far its right edge lies from the page's, in half-widths of the text."""
    boxes = [ln.box for ln in lines if ln.box is not None]
    if not boxes or len(boxes) != len(lines):
        return lines
    page_right = max(b[2] for b in boxes)
    width = page_right - min(b[0] for b in boxes)
    cols: dict[int, list[tuple[Line, Box]]] = {}
    for ln, b in zip(lines, boxes, strict=True):
        c = int((page_right - b[2]) / (width / 2 + 1e-9)) if width else 0
        cols.setdefault(min(c, 3), []).append((ln, b))
    out: list[Line] = []
    for c in sorted(cols):
        out.extend(ln for ln, _ in sorted(cols[c], key=lambda lb: lb[1][1]))
    return out
