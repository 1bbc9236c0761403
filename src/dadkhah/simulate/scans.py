"""Scanned Persian victim lists with their truth: page images for OCR tests and benchmarks.

A list is drawn from the simulator's name tables (given names, surnames, prisons, cities:
:func:`~dadkhah.simulate.population.name_tables`) and typeset the way such lists are
printed in memoirs and booklets: one numbered entry a line, fields separated by «،» and
introduced by the words documenters read them by («فرزند»، «متولد»، «زندان»، «اهل»،
«اعدام»), Persian digits, Solar Hijri dates.  Pages are A4 at the given resolution, in one
or two columns, then degraded like a photocopy: skew, blur, speckle noise, stains.

Every entry carries its truth (fields as written, page, and the box of its line on the
page image after skew), so a reader can be scored field by field and box by box.
EVERYTHING HERE IS SYNTHETIC.

Persian shaping needs Pillow built with libraqm (``PIL.features.check("raqm")``); the
fonts are the Noto Arabic-script fonts installed by ``scripts/system-deps.sh``.

Examples
--------
>>> from dadkhah.simulate.scans import ScanSpec, render_scans
>>> doc = render_scans(ScanSpec(entries=6, dpi=100), seed=1)
>>> len(doc.pages), len(doc.entries), doc.entries[0].page
(1, 6, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from dadkhah.documents.model import turned_box
from dadkhah.names import persian_digits
from dadkhah.simulate.population import jalali, name_tables

__all__ = ["FONTS", "ScanEntry", "ScanSpec", "ScannedList", "draw_entries", "has_glyph",
           "render_scans", "truth_rows", "write_scans"]

FONT_DIR = Path("/usr/share/fonts/truetype")
FONTS = {
    "naskh": "noto/NotoNaskhArabic-Regular.ttf",
    "sans": "noto/NotoSansArabic-Regular.ttf",
    "dejavu": "dejavu/DejaVuSans.ttf",
}
"""Fonts by short name, under /usr/share/fonts/truetype (Debian fonts-noto-core, fonts-dejavu)."""

PRISONS = ("prison:evin", "prison:gohardasht", "prison:qezel_hesar", "prison:vakilabad",
           "prison:adelabad", "prison:tabriz", "prison:dastgerd", "prison:lakan")
_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
           "دی", "بهمن", "اسفند")
FIELDS = ("full_name", "father_name", "birth_date", "prison", "city", "death_date")
"""The fields a rendered entry may hold (as written on the page)."""


@dataclass(frozen=True)
class ScanSpec:
    """How a list is printed and degraded.

    ``layout`` is ``"labelled"`` (fields introduced by their words, separated by «،») or
    ``"plain"`` (number, name, prison and date only, separated by «،», as in the lists the
    issue measured).  ``skew`` is the largest rotation in degrees (each page draws its own
    in ±skew); ``noise`` 0–1 scales speckle, blur and stains.
    """

    entries: int = 40
    dpi: int = 200
    columns: int = 1
    font: str = "naskh"
    size_pt: float = 12.0
    layout: str = "labelled"
    skew: float = 1.0
    noise: float = 0.3
    line_spacing: float = 1.9
    month_names: float = 0.3  # share of dates written «۱۰ مرداد ۱۳۶۷» rather than 1367/05/10
    # (all of them in a font without «/»)

    def summary(self) -> str:
        return (f"{self.entries} entries, {self.dpi} dpi, {self.columns} column(s), font "
                f"{self.font} {self.size_pt:g} pt, {self.layout}, skew ±{self.skew:g}°, "
                f"noise {self.noise:g}")


@dataclass(frozen=True)
class ScanEntry:
    """One printed entry: its number, fields as written, line text, page and box.

    ``box`` is (left, top, right, bottom) in pixels of the page image, after skew.
    """

    number: int
    fields: dict[str, str]
    text: str
    page: int
    box: tuple[int, int, int, int]

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, **self.fields, "text": self.text, "page": self.page,
                "box": list(self.box)}


@dataclass(frozen=True)
class ScannedList:
    """Rendered pages (PIL images, grey) and the truth of every entry on them."""

    spec: ScanSpec
    seed: int
    pages: tuple[Any, ...]  # PIL.Image.Image
    entries: tuple[ScanEntry, ...]
    skews: tuple[float, ...] = field(default=())

    def summary(self) -> str:
        return (f"SYNTHETIC scanned list, seed {self.seed}: {len(self.entries)} entries on "
                f"{len(self.pages)} page(s); {self.spec.summary()}")


@lru_cache(maxsize=16)
def _font(name: str, px: int) -> Any:
    from PIL import ImageFont, features

    if not features.check("raqm"):
        raise RuntimeError("Pillow was built without libraqm: Persian text cannot be shaped "
                           "(install libraqm0 and reinstall Pillow)")
    path = FONT_DIR / FONTS[name]
    if not path.is_file():
        raise FileNotFoundError(f"font {path} is missing: run scripts/system-deps.sh")
    return ImageFont.truetype(str(path), px, layout_engine=ImageFont.Layout.RAQM)


@lru_cache(maxsize=64)
def has_glyph(font_name: str, ch: str) -> bool:
    """Whether the font draws ``ch`` (raqm does not fall back to another font, so a missing
    glyph prints as an empty box: Noto Naskh and Noto Sans Arabic have no «/»)."""
    font = _font(font_name, 40)
    return font.getmask(ch).getbbox() != font.getmask("\uffff").getbbox()


def _date_text(ordinal: int, rng: np.random.Generator, month_names: float,
               slash: bool = True) -> str:
    y, m, d = jalali(ordinal)
    if rng.random() < month_names or not slash:
        return persian_digits(f"{d} {_MONTHS[m - 1]} {y}")
    return persian_digits(f"{y}/{m:02d}/{d:02d}")


def draw_entries(n: int, seed: int, spec: ScanSpec) -> list[tuple[dict[str, str], str]]:
    """(fields as written, line text) for ``n`` invented victims."""
    t = name_tables(PRISONS)
    rng = np.random.default_rng(seed)
    gw = t.given_weight / t.given_weight.sum()
    sw = t.surname_weight / t.surname_weight.sum()
    given = rng.choice(len(t.given_fa), size=n, p=gw)
    given2 = rng.choice(len(t.given_fa), size=n, p=gw)
    father = rng.choice(np.flatnonzero(t.given_sex == 0), size=n)
    surname = rng.choice(len(t.surname_fa), size=n, p=sw)
    prison = rng.integers(0, len(t.prison_ids), size=n)
    city = rng.integers(0, len(t.city_ids), size=n)
    start, end = date(1988, 7, 28).toordinal(), date(1988, 12, 31).toordinal()
    slash = has_glyph(spec.font, "/")
    death = rng.integers(start, end, size=n)
    out = []
    for i in range(n):
        g = str(t.given_fa[given[i]])
        if rng.random() < 0.15 and t.given_sex[given2[i]] == t.given_sex[given[i]]:
            g = f"{g} {t.given_fa[given2[i]]}"
        fields = {"full_name": f"{g} {t.surname_fa[surname[i]]}",
                  "prison": t.prison_fa[prison[i]][0],
                  "death_date": _date_text(int(death[i]), rng, spec.month_names, slash)}
        if not fields["prison"].startswith("زندان"):
            fields["prison"] = "زندان " + fields["prison"]
        parts = [fields["full_name"]]
        if spec.layout == "labelled":
            if rng.random() < 0.8:
                fields["father_name"] = str(t.given_fa[father[i]])
                parts.append(f"فرزند {fields['father_name']}")
            if rng.random() < 0.6:
                fields["birth_date"] = persian_digits(str(int(rng.integers(1318, 1350))))
                parts.append(f"متولد {fields['birth_date']}")
            parts.append(fields["prison"])
            if rng.random() < 0.6:
                fields["city"] = t.city_fa[city[i]][0]
                parts.append(f"اهل {fields['city']}")
            parts.append(f"اعدام {fields['death_date']}")
        else:
            parts += [fields["prison"], fields["death_date"]]
        out.append((fields, "، ".join(parts)))
    return out


def _rotate_box(box: tuple[int, int, int, int], angle: float, size: tuple[int, int]
                ) -> tuple[int, int, int, int]:
    """The bounding box of ``box`` after PIL's rotate(angle) about the page centre, in whole
    pixels that still hold it."""
    left, top, right, bottom = turned_box(box, angle, size)
    return (int(left), int(top), int(math.ceil(right)), int(math.ceil(bottom)))


def _degrade(img: Any, rng: np.random.Generator, noise: float) -> Any:
    from PIL import Image, ImageFilter

    if noise <= 0:
        return img
    img = img.filter(ImageFilter.GaussianBlur(radius=0.3 + 0.7 * noise))
    a = np.asarray(img, dtype=np.float64) + rng.normal(0, 18 * noise, img.size[::-1])
    speck = rng.random(a.shape) < 0.002 * noise
    a[speck] = 0
    # a few faint stains: large soft grey discs
    h, w = a.shape
    yy, xx = np.ogrid[:h, :w]
    for _ in range(int(rng.integers(0, int(3 * noise) + 1))):
        cy, cx = rng.integers(0, h), rng.integers(0, w)
        r = rng.integers(w // 20, w // 8)
        disc = ((yy - cy) ** 2 + (xx - cx) ** 2) < r * r
        a[disc] -= 25 * noise
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), mode="L")


def render_scans(spec: ScanSpec | None = None, *, seed: int = 0) -> ScannedList:
    """Render ``spec.entries`` invented entries onto A4 pages, with their truth."""
    from PIL import Image, ImageDraw

    spec = spec or ScanSpec()
    rng = np.random.default_rng([seed, 7])
    rows = draw_entries(spec.entries, seed, spec)
    w, h = round(8.27 * spec.dpi), round(11.69 * spec.dpi)
    px = round(spec.size_pt / 72 * spec.dpi)
    font = _font(spec.font, px)
    margin = round(0.8 * spec.dpi)
    gutter = round(0.4 * spec.dpi)
    col_w = (w - 2 * margin - gutter * (spec.columns - 1)) // spec.columns
    step = round(px * spec.line_spacing)
    per_col = max(1, (h - 2 * margin) // step)
    pages: list[Any] = []
    entries: list[ScanEntry] = []
    skews: list[float] = []
    i = 0
    while i < len(rows):
        img = Image.new("L", (w, h), 255)
        draw = ImageDraw.Draw(img)
        page_no = len(pages) + 1
        placed: list[tuple[int, dict[str, str], str, tuple[int, int, int, int]]] = []
        for col in range(spec.columns):
            right = w - margin - col * (col_w + gutter)  # columns run right to left
            y = margin
            for _ in range(per_col):
                if i >= len(rows):
                    break
                fields, body = rows[i]
                text = f"{persian_digits(str(i + 1))}. {body}"
                # a line too wide for its column is printed smaller (never wrapped): one
                # entry, one line, as the truth says
                f = font
                size = px
                while f.getlength(text, direction="rtl", language="fa") > col_w and size > 8:
                    size -= 1
                    f = _font(spec.font, size)
                draw.text((right, y), text, font=f, fill=0, anchor="ra", direction="rtl",
                          language="fa")
                bb = draw.textbbox((right, y), text, font=f, anchor="ra", direction="rtl",
                                   language="fa")
                placed.append((i + 1, fields, text, (int(bb[0]), int(bb[1]), int(bb[2]),
                                                     int(bb[3]))))
                y += step
                i += 1
        angle = float(rng.uniform(-spec.skew, spec.skew)) if spec.skew else 0.0
        if angle:
            img = img.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
        img = _degrade(img, rng, spec.noise)
        for number, fields, text, box in placed:
            entries.append(ScanEntry(number, fields, text, page_no,
                                     _rotate_box(box, angle, (w, h)) if angle else box))
        pages.append(img)
        skews.append(angle)
    return ScannedList(spec, seed, tuple(pages), tuple(entries), tuple(skews))


def write_scans(doc: ScannedList, path: str | Path, *, fmt: str | None = None) -> list[Path]:
    """Write the pages: one PDF (image-only, like a scanner's) or one image per page
    (``.png``, ``.jpg``, ``.tif``; pages after the first get ``-2``, ``-3`` …)."""
    p = Path(path)
    fmt = fmt or p.suffix.lower().lstrip(".")
    dpi = (doc.spec.dpi, doc.spec.dpi)
    if fmt == "pdf":
        first, *rest = doc.pages
        first.save(p, "PDF", resolution=doc.spec.dpi, save_all=True, append_images=rest)
        return [p]
    out = []
    for n, img in enumerate(doc.pages, start=1):
        q = p if n == 1 else p.with_name(f"{p.stem}-{n}{p.suffix}")
        img.save(q, dpi=dpi)
        out.append(q)
    return out


def truth_rows(doc: ScannedList) -> list[dict[str, Any]]:
    """The truth as rows (number, fields, page, box), for tests and the benchmark."""
    return [e.to_dict() for e in doc.entries]
