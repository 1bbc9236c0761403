"""The tables of the estimates' summaries (``dadkhah estimate``'s output) read in Persian
from the interface catalogue as they say in English: the title, the header, each row (a
stratum «جنس: مرد» "observed …; NOT ESTIMATED" too, the combined row, the imputed counts),
in Persian digits.  Rendered in English, ``summary_wordings()`` is the summary word for
word, so the English output is unchanged.  Data: the public hare histories and small
SYNTHETIC tables."""

from __future__ import annotations

import re
import warnings
from functools import cache, partial
from typing import Any

import pytest

from dadkhah.estimate import (
    DocumentedCount,
    LogLinear,
    Summary,
    combine_imputations,
    estimate_by_stratum,
    estimate_total,
)
from dadkhah.web.i18n import render_wording
from tests.estimate.test_wordings import MSE, PERSIAN, SEX, WESTERN_DIGITS, _strata


def _hare() -> Any:
    from dadkhah.estimate import CaptureHistories

    return CaptureHistories.from_csv(MSE / "hare.csv")


def _table(summary: Summary) -> Summary:
    """A summary without its footnotes (they have wordings of their own)."""
    return Summary(summary.title, summary.header, summary.rows, banner=summary.banner)


@cache
def _results() -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hare = _hare()
        sparse = estimate_by_stratum(_strata(SEX), LogLinear().fit)
        runs = [estimate_by_stratum(_strata(SEX), LogLinear().fit) for _ in range(2)]
        imputed = combine_imputations(runs, seed=0, imputed={(("sex", "m"),): 3.5})
        return [estimate_total(hare, method="loglinear", seed=1),
                estimate_total(hare, method="closed", seed=1),
                DocumentedCount.of(hare), sparse, imputed]


@pytest.mark.parametrize("i", range(5))
def test_a_summary_table_in_english_is_the_summary_word_for_word(i: int) -> None:
    result = _results()[i]
    english = result.summary_wordings().render(partial(render_wording, "en"))
    assert english == _table(result.summary())
    assert english.as_text() in result.summary().as_text()


def test_a_summary_table_in_persian() -> None:
    *_, sparse, imputed = _results()
    fa = sparse.summary_wordings().render(partial(render_wording, "fa"))
    assert fa.title == "اندازهٔ برآوردشدهٔ جمعیت بر پایهٔ sex (loglinear)"
    rows = dict(fa.rows)
    assert rows["جنس: زن"] == "دیده‌شده ۱٬۲۶۴؛ برآورد نشد"
    assert rows["جنس: نامعلوم"] == "دیده‌شده ۴۰؛ برآورد نشد"
    assert re.fullmatch(r"دیده‌شده ۱۲۸؛ برآورد [۰-۹٬]+ \([۰-۹٬]+ تا [۰-۹٬]+\)", rows["جنس: مرد"])
    assert "ترکیب‌شده" in rows and fa.header == (("لایه‌ها", "۳"),)
    for k, v in (*fa.header, *fa.rows):
        assert PERSIAN.search(k + v) and not WESTERN_DIGITS.search(k + v), (k, v)
    assert not re.search(r"observed|ESTIMATED|combined|sex=", fa.as_text())
    fa = imputed.summary_wordings().render(partial(render_wording, "fa"))
    assert dict(fa.header)["جانهی‌ها"] == "۲"
    assert "(که ۳٫۵ نفر از آن جانهی شده‌اند)" in dict(fa.rows)["جنس: مرد"]
    hare = _results()[0].summary_wordings().render(partial(render_wording, "fa"))
    assert hare.banner is None and dict(hare.header)["سطح"] == "۹۵٪"
    assert dict(hare.header)["فهرست‌ها"] == "c1، c2، c3، c4، c5، c6"


@pytest.mark.parametrize("built", [None, 1234])
def test_the_propagated_table_in_english_is_its_summary_and_reads_in_persian(
        built: int | None) -> None:
    """The table of an estimate with the linkage's uncertainty carried into it (what
    ``dadkhah estimate`` prints on a case): its extra rows too."""
    from dataclasses import replace

    from dadkhah.estimate import LinkagePropagated

    pooled, fixed = _results()[0], _results()[1]
    pooled = replace(pooled, settings={**pooled.settings, "model": "[c1c2]",
                                       "chosen_on": "register"})
    p = LinkagePropagated(estimate=pooled, fixed=fixed, n_draws=1200,
                          persons=(1010, 1100, 1190), linkage_share=0.25,
                          uncertain_pairs=4321, register_persons=built,
                          calibration="SYNTHETIC calibration line")
    english = p.summary_wordings().render(partial(render_wording, "en"))
    assert english == _table(p.summary())
    fa = p.summary_wordings().render(partial(render_wording, "fa"))
    rows = dict(fa.rows)
    assert rows["فهرست‌های قرعه‌کشی‌شده"].startswith(
        "۱۲۰۰ (۴٬۳۲۱ جفت نامطمئن)؛ افراد مستند ۱٬۰۱۰ تا ۱٬۱۹۰ (میانه ۱٬۱۰۰)")
    assert rows["سهم پیوند رکوردها از پهنای بازه"] == "۲۵٪"
    assert rows["احتمال جفت‌ها"] == "SYNTHETIC calibration line"
    assert fa.title == "اندازهٔ برآوردشدهٔ جمعیت (loglinear، با عدم قطعیت پیوند رکوردها)"
    assert not re.search(r"[0-9]", fa.as_text().replace("c1", "").replace("c2", "").replace(
        "c3", "").replace("c4", "").replace("c5", "").replace("c6", "").replace(
        "1992", ""))


def test_the_sensitivity_table_in_english_is_its_summary_and_reads_in_persian() -> None:
    """``estimate --sensitivity``'s table: each alternative named in the reader's language
    (the family, K and the Gamma prior, the list left out), a failed fit's reason too."""
    from dataclasses import replace

    from dadkhah.errors import Wording
    from dadkhah.estimate import sensitivity

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sens = sensitivity(_hare(), K=(5,), lcmcr={"burnin": 200, "samples": 200, "thin": 1,
                                                   "chains": 2})
    failed = replace(sens.rows[-1], estimate=None, error="SYNTHETIC DATA",
                     error_wording=Wording.of("estimate_summary.synthetic"))
    sens = replace(sens, rows=(*sens.rows, failed), synthetic=True)
    english = sens.summary_wordings().render(partial(render_wording, "en"))
    assert english == _table(sens.summary())
    fa = sens.summary_wordings().render(partial(render_wording, "fa"))
    rows = dict(fa.rows)
    assert fa.title == "حساسیت شمار کل برآوردشده به مدل" and fa.banner == "دادهٔ ساختگی"
    assert dict(fa.header) == {"مستند (دیده‌شده)": "۶۸", "سطح": "۹۵٪"}
    assert "طبقهٔ پنهان (LCMCR): K=۵، پیشین گاما(۰٫۲۵، ۰٫۲۵)" in rows
    assert re.fullmatch(r"[۰-۹٫]+ \([۰-۹٫]+ تا [۰-۹٫]+\)", rows["لگ‌خطی: BIC"])
    assert "لگ‌خطی: میانگین وزن‌دار با BIC" in rows
    assert list(rows.values())[-1] == "ناموفق: دادهٔ ساختگی"
    assert "کنار گذاشتن یک فهرست: بدون c6" in rows
    assert not re.search(r"[0-9]", re.sub(r"c[1-6]", "", fa.as_text()))
    assert not re.search(r"failed|prior|without|loglinear", fa.as_text())


def test_the_pair_calibration_line_reads_in_persian_as_it_says_in_english() -> None:
    """The "Pair probabilities" row of an estimate drawn over registers: the tuned default
    (its missed-link rule with and without its knee, a fixed rate beside it), the model's
    own, a calibration fitted on audit answers, and the missed links the draws add back."""
    from dataclasses import replace

    from dadkhah.errors import Wording
    from dadkhah.estimate import TUNED_PAIR_CALIBRATION as tuned
    from dadkhah.estimate import CalibrationMap, PairCalibration
    from dadkhah.register.linkage_draws import MissedLinks

    cals = [tuned, PairCalibration(), replace(tuned, unseen_knee=0.0, unseen_merges=0.002),
            replace(tuned, source="SYNTHETIC other"),
            replace(tuned, linked=CalibrationMap("linked", 1.0, 0.5, reviewed=40, matches=30))]
    missed = MissedLinks(3500, 1234, 45.67, 12.3)
    worded = [c.line_wording() for c in cals] + [Wording.of(
        "pair_calibration.with_missed", line=tuned.line_wording(), missed=missed.wording())]
    english = [c.line() for c in cals] + [f"{tuned.line()}; {missed.summary()}"]
    assert [render_wording("en", w) for w in worded] == english
    fa = [render_wording("fa", w) for w in worded]
    for line in fa:
        assert PERSIAN.search(line) and not WESTERN_DIGITS.search(line), line
        assert not re.search(r"calibrat|missed|persons|answers", line.replace(
            "--audit-sample", "")), line
    assert "۱٫۷۰۰ × افراد" in fa[0] and "ساختگی" in fa[0]
    assert fa[2].count("برای هر فرد") == 1 and "+ ۰٫۰۰۲ برای هر فرد" in fa[2]
    assert fa[4].startswith("واسنجی‌شده با ۴۰ پاسخ ممیزی")
    assert "۴۵٫۷ در میان ۱٬۲۳۴ ادغامی" in fa[5]
