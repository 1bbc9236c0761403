"""Scanned lists, rendered by the simulator with their truth, read by Tesseract.

Few pages, so the tests run in seconds; ``benchmarks/ocr_bench.py`` measures more.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dadkhah.documents import OcrSettings
from dadkhah.documents.ocr import deskew_angle, line_height, ocr_page, split_columns
from dadkhah.ingest import import_file
from dadkhah.names import fold_digits, normalize_persian
from dadkhah.simulate.scans import ScanEntry, ScanSpec, render_scans, write_scans
from dadkhah.store import Case
from tests.documents.conftest import needs_tesseract

pytestmark = [pytest.mark.ocr, needs_tesseract]
ZWNJ = "\u200c"


def norm(text: str | None) -> str:
    return normalize_persian(fold_digits(text or "")).replace(ZWNJ, "").replace(" ", "")


def overlap(a: list[float], b: tuple[float, ...]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))


def _match(raws: list[dict], e: ScanEntry, scale: float = 1.0) -> dict | None:
    box = tuple(v * scale for v in e.box)
    best = max((r for r in raws if r["page"] == e.page), key=lambda r: overlap(r["box"], box),
               default=None)
    return best if best is not None and overlap(best["box"], box) >= 0.5 else None


@pytest.fixture(scope="module")
def scan():
    return render_scans(ScanSpec(entries=14, font="dejavu", noise=0.2, skew=1.0), seed=5)


def test_deskew_finds_the_page_turn(scan) -> None:
    # the page was turned by skews[0]; turning it back is the opposite angle
    assert abs(deskew_angle(scan.pages[0]) + scan.skews[0]) < 0.25


def test_image_scan_gives_records_with_page_box_confidence_and_truth(case: Case,
                                                                     tmp_path: Path,
                                                                     scan) -> None:
    (png,) = write_scans(scan, tmp_path / "list.png")
    rep = import_file(case, png, source="s1", by="tester")
    assert rep.file_format == "image" and rep.document["pages"][0]["method"] == "ocr"
    recs = case.records()
    raws = [json.loads(r.raw) for r in recs]
    assert all(r["verified"] is False and r["box_unit"] == "px" and 0 < r["confidence"] <= 100
               and r["engine"].startswith("tesseract") and r["reading"] for r in raws)
    found = [(e, _match(raws, e)) for e in scan.entries]
    assert sum(m is not None for _, m in found) >= 13  # every line's box found, or nearly
    names = sum(m is not None and norm(m["full_name"]) == norm(e.fields["full_name"])
                for e, m in found)
    assert names >= 10, f"{names}/14 full names read right"
    fields = [(f, e.fields[f], m.get(f)) for e, m in found if m
              for f in ("father_name", "prison", "death_date") if f in e.fields]
    right = sum(norm(got) == norm(want) for _, want, got in fields)
    assert right >= 0.8 * len(fields), [x for x in fields if norm(x[1]) != norm(x[2])]
    # the records' mapped fields are the machine reading as stored in the raw row
    assert recs[0].fields["full_name"] == raws[0]["full_name"]


def test_scanned_pdf_boxes_are_in_points(case: Case, tmp_path: Path, scan) -> None:
    (pdf,) = write_scans(scan, tmp_path / "list.pdf")
    rep = import_file(case, pdf, source="s1", by="tester")
    page = rep.document["pages"][0]
    assert page["method"] == "ocr" and "no text layer" in page["reason"]
    raws = [json.loads(r.raw) for r in case.records()]
    assert raws[0]["box_unit"] == "pt"
    scale = 72 / scan.spec.dpi
    assert sum(_match(raws, e, scale) is not None for e in scan.entries) >= 13


def test_two_columns_are_read_right_column_first() -> None:
    doc = render_scans(ScanSpec(entries=10, columns=2, font="dejavu", noise=0.1, skew=0.3,
                                line_spacing=8.0, layout="plain"), seed=2)
    img = doc.pages[0]
    assert len(split_columns(img)) == 2
    lines, _ = ocr_page(img, 1, OcrSettings())
    right_col = [ln for ln in lines if ln.box and ln.box[0] > img.width / 2]
    left_col = [ln for ln in lines if ln.box and ln.box[2] < img.width / 2]
    assert right_col and left_col
    # reading order: all of the right column, then the left one
    assert lines.index(right_col[-1]) < lines.index(left_col[0])


def test_line_height_tells_small_print_which_is_not_smoothed() -> None:
    """Ordinary print (one column, 12 pt at 200 dpi) is smoothed before its threshold;
    a long labelled line printed smaller to fit a column of two is not."""
    one = render_scans(ScanSpec(entries=20, font="sans", size_pt=12.0, skew=0, noise=0.3),
                       seed=3)
    two = render_scans(ScanSpec(entries=40, columns=2, font="sans", size_pt=11.0, skew=0,
                                noise=0.3), seed=3)
    smooth_min = OcrSettings().smooth_min_px
    assert line_height(one.pages[0]) >= smooth_min > line_height(two.pages[0]) > 8


def test_an_unknown_word_is_taken_from_the_other_pass_when_it_is_known_there() -> None:
    from dadkhah.documents.ocr import _mend_words

    known = frozenset({"نسرین", "الیاس", "فرزند", "رضایی"})
    # the better line garbled the name's first word; the other pass read it
    assert _mend_words("ندرن الیاس فرزند", "نسرین الیاس فررند", known) == "نسرین الیاس فرزند"
    # a known word is never replaced, nor a number, nor words of a line read otherwise
    assert _mend_words("نسرین ۱۲", "نسرن ۱۳", known) == "نسرین ۱۲"
    assert _mend_words("ندرن رضایی", "نسرین", known) == "ندرن رضایی"
    # words aligned by those read alike, never a word shifted into another's place
    assert _mend_words("۱۲. مهناز نظرگلایی", "مهناز رضایی", known | {"مهناز"}) \
        == "۱۲. مهناز نظرگلایی"
    # a word is not cut to the word it begins with
    assert _mend_words("حسین میرنصرتیفر", "حسین رضایی", known) == "حسین میرنصرتیفر"


def _date_line(day: str | None) -> tuple[object, dict[str, list[object]]]:
    """A line «اعدام ۷ مهر» in Naskh (SYNTHETIC) and Tesseract-like words for it; ``day``
    is what Tesseract read for «۷» (None: nothing)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf", 34)
    img = Image.new("L", (260, 80), 255)
    d = ImageDraw.Draw(img)
    boxes = {}
    for text, x in (("مهر", 60), ("۷", 112), ("اعدام", 140)):
        d.text((x, 10), text, font=font, fill=0)
        boxes[text] = d.textbbox((x, 10), text, font=font)
    data: dict[str, list[object]] = {k: [] for k in (
        "text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")}
    read = [("اعدام", "اعدام"), ("۷", day), ("مهر", "مهر")]
    for key, text in read:
        if text is None:
            continue
        b = boxes[key]
        for k, v in (("text", text), ("conf", 90), ("left", b[0]), ("top", b[1]),
                     ("width", b[2] - b[0]), ("height", b[3] - b[1]), ("block_num", 1),
                     ("par_num", 1), ("line_num", 1)):
            data[k].append(v)
    return img, data


@pytest.mark.parametrize("day", [None, "؟"])
def test_a_day_tesseract_dropped_before_a_month_is_read_by_its_shape(day: str | None) -> None:
    from dadkhah.documents.ocr import _find_lost_days, _PageInk, binarise

    img, data = _date_line(day)
    _find_lost_days(_PageInk.of(binarise(img), img), data)
    assert "۷" in data["text"]
    assert len(data["text"]) == 3


def test_a_day_already_read_is_left() -> None:
    from dadkhah.documents.ocr import _find_lost_days, _PageInk, binarise

    img, data = _date_line("۸")
    _find_lost_days(_PageInk.of(binarise(img), img), data)
    assert data["text"] == ["اعدام", "۸", "مهر"]
