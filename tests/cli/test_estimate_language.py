"""``dadkhah estimate`` says its notes and warnings in Persian too to a team member whose
interface language is Persian (``dadkhah user add --language fa``), with Persian digits,
from the interface catalogue; to anyone else in English only.  Data: the public hare
capture histories, marked synthetic here for --true-total."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dadkhah.cli import app
from dadkhah.store import Case
from dadkhah.users import add_user

HARE = str(Path(__file__).parents[1] / "data" / "mse" / "hare.csv")
PERSIAN = re.compile(r"[\u0600-\u06FF]")


@pytest.fixture
def loc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("DADKHAH_USER", raising=False)
    loc = str(tmp_path / "case")
    with Case.create(loc, by="tester") as case:
        add_user(case, "dorsa", "correct horse battery staple", role="viewer", by="t",
                 language="fa")
        add_user(case, "ed", "correct horse battery staple", role="viewer", by="t")
    return loc


def _run(loc: str, user: str, *args: str) -> Any:
    res = CliRunner().invoke(app, ["-C", loc, "--user", user, "estimate", "-H", HARE,
                                   "--synthetic", "--true-total", "1234", *args])
    assert res.exit_code == 0, res.output
    return res


def test_the_true_total_line_in_the_users_language(loc: str) -> None:
    english = "True total (synthetic data, known to the simulator): 1,234"
    fa = _run(loc, "dorsa").stdout.splitlines()
    at = fa.index(english)
    assert fa[at + 1] == "شمار واقعی (دادهٔ ساختگی، که شبیه‌ساز می‌داند): ۱٬۲۳۴"
    for user in ("ed", "not-a-member"):
        out = _run(loc, user).stdout
        assert english in out.splitlines()
        assert "شمار واقعی" not in out


def test_a_warning_in_the_users_language(loc: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warning of the estimators that is not among the estimate's own notes goes to
    stderr, led in Persian too (its words are the estimator's own)."""
    import dadkhah.estimate as estimate

    fitted = estimate.estimate_total

    def warned(*args: Any, **kwargs: Any) -> Any:
        warnings.warn("SYNTHETIC warning for the test", UserWarning, stacklevel=2)
        return fitted(*args, **kwargs)

    monkeypatch.setattr(estimate, "estimate_total", warned)
    lines = _run(loc, "dorsa").stderr.splitlines()
    assert lines[lines.index("Warning: SYNTHETIC warning for the test") + 1] \
        == "هشدار: SYNTHETIC warning for the test"
    assert not any(PERSIAN.search(line) for line in _run(loc, "ed").stderr.splitlines())


# -- the estimators' warnings and the headline (dadkhah.errors.Wording) ---------------------
MSE = Path(__file__).parents[1] / "data" / "mse"
WESTERN_DIGITS = re.compile(r"[0-9]")


def _warned() -> list[Any]:
    """The warnings of cheap fits that warn each kind once at least: an isolated list
    (SYNTHETIC counts), short chains, a truncated posterior, two near models, a thin
    overlap."""
    from dadkhah.estimate import CaptureHistories, estimate_total

    isolated = CaptureHistories.from_arrays(
        ["A", "B", "C"], [[1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], [30, 40, 35, 1200])
    hare = CaptureHistories.from_csv(MSE / "hare.csv")
    fits = [(isolated, "stepwise", {}), (isolated, "dga", {}),
            (isolated, "lcmcr", {"samples": 100, "burnin": 50, "chains": 2, "K": 2}),
            (hare, "lcmcr", {"samples": 100, "burnin": 20, "chains": 2, "K": 2}),
            (CaptureHistories.from_csv(MSE / "Western.csv"), "loglinear", {}),
            (hare.select(["c1", "c2"]), "chapman", {})]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for h, method, options in fits:
            estimate_total(h, method=method, seed=1, **options)
    return [w.message for w in caught]


def test_every_warning_of_the_estimators_reads_in_persian_as_it_says_in_english() -> None:
    """Each warning carries its Wording: the catalogue's English is the estimator's own
    sentence, and its Persian is Persian, with Persian digits."""
    from dadkhah.web.i18n import catalog, render_wording

    said = {w.wording.key: w for w in _warned() if getattr(w, "wording", None)}
    kinds = {k for k in catalog("en") if k.startswith("estimate_warning.")
             and not k.startswith(("estimate_warning.headline", "estimate_warning.no_"))}
    assert set(said) == kinds  # every kind was warned here
    for key, w in said.items():
        assert render_wording("en", w.wording) == str(w), key
        fa = render_wording("fa", w.wording)
        assert PERSIAN.search(fa) and re.search("[۰-۹]", fa), (key, fa)
        names = [v for _, v in w.wording.values if isinstance(v, str)]
        if not any(WESTERN_DIGITS.search(n) for n in names):
            assert not WESTERN_DIGITS.search(fa), (key, fa)


def test_a_refused_headline_says_why_in_persian_as_it_says_in_english() -> None:
    from dadkhah.estimate import Estimate, LinkageQuality, judge_headline
    from dadkhah.web.i18n import render_wording

    def est(method: str, total: float, low: float, high: float, **diagnostics: Any) -> Any:
        return Estimate(method=method, lists=("a", "b", "c"), observed=70, total=total,
                        interval=(low, high), diagnostics=diagnostics)

    poor = LinkageQuality(0.8, 0.7, 0.9, 0.95, 0.9, 0.99, 0.95, 1234, 10.0, 200)
    judged = [judge_headline(est("loglinear", 1234.4, 1100.0, 1400.0)),
              judge_headline(est("loglinear", 120.0, 100.0, 150.0),
                             alternatives=[est("lcmcr", 3000.2, 2000.0, 4200.0, rhat=1.31),
                                           est("closed", 85.44, 80.0, 90.0, ess_bulk=42.0)],
                             quality_required=True),
              judge_headline(est("loglinear", 120.0, 100.0, 150.0), quality=poor,
                             quality_required=True)]
    assert [h.refused for h in judged] == [False, True, True]
    assert [len(h.wordings) for h in judged] == [0, 4, 1]
    assert "lcmcr 3,000, closed 85.4." in judged[1].text()  # a list of (label, total)
    for h in judged:
        assert render_wording("en", h.wording()) == h.text()
        fa = render_wording("fa", h.wording())
        assert PERSIAN.search(fa) and not WESTERN_DIGITS.search(fa), fa
    assert "۱٬۲۳۴" in render_wording("fa", judged[0].wording())
    assert "lcmcr ۳٬۰۰۰، closed ۸۵٫۴" in render_wording("fa", judged[1].wording())


def test_the_command_line_says_the_warnings_and_the_headline_in_the_users_language(
        loc: str) -> None:
    """Short chains (hare, 4 chains of 20 draws): the chains disagree, so no headline
    number.  Persian user: the English headline, then its Persian; the warning's Persian
    on stderr (its English is a footnote of the summary).  Anyone else: English only,
    nothing on stderr."""
    lcmcr = ("--method", "lcmcr", "--samples", "20", "--burnin", "5", "--chains", "4",
             "--seed", "1")
    fa = _run(loc, "dorsa", *lcmcr)
    out = fa.stdout.splitlines()
    at = next(i for i, line in enumerate(out) if line.startswith("NO SINGLE ESTIMATE"))
    assert out[at + 1].startswith("برآورد یگانه‌ای در کار نیست: پاسخ‌های قابل دفاع از ۷۱٫۰ تا")
    assert "زنجیره‌های lcmcr (K=10) با هم همخوان نیستند (R-hat ۱٫۰۸" in out[at + 1]
    assert fa.stderr.splitlines() == [
        "هشدار: ۴ زنجیره با هم همخوان نیستند (R-hat ۱٫۰۸، بیش از ۱٫۰۵): میانه‌هایشان "
        "۷۶، ۷۳، ۷۳، ۷۷ است. احتمالاً توزیع پسین چندقله‌ای است یا زنجیره‌ها کوتاه‌اند؛ "
        "میانه و بازهٔ روی‌هم‌گذاشتهٔ آن‌ها قابل اتکا نیست. زنجیره‌های بلندتر و بیشتری اجرا "
        "کنید و این ناهمخوانی را گزارش کنید."]
    assert "The 4 chains disagree (R-hat 1.08 > 1.05)" in fa.stdout  # the footnote
    ed = _run(loc, "ed", *lcmcr)
    assert not PERSIAN.search(ed.stdout + ed.stderr) and ed.stderr == ""
    assert _english_of(out) == ed.stdout.splitlines()
    two = _run(loc, "dorsa", "--method", "chapman", "--lists", "c1,c2")
    out = two.stdout.splitlines()
    at = next(i for i, line in enumerate(out) if line.startswith("Estimated total: 97.6"))
    assert out[at + 1] == "شمار برآوردشده: ۹۷٫۶ (بازهٔ ۹۵٪: ۶۱٫۶ تا ۱۹۴)"
    assert two.stderr.startswith("هشدار: تنها ۴ نفر در هر دو فهرست آمده‌اند")


def test_every_wording_the_library_uses_is_in_both_catalogues_with_its_placeholders() -> None:
    import string

    from dadkhah.web.i18n import catalog

    src = Path(__file__).parents[2] / "src" / "dadkhah"
    used = {k for p in src.rglob("*.py")
            for k in re.findall(r'"(estimate_warning\.[a-z_]+)"', p.read_text("utf-8"))}
    assert len(used) == 16
    for key in used:
        names = [{f for _, f, _, _ in string.Formatter().parse(catalog(lang)[key]) if f}
                 for lang in ("en", "fa")]
        assert names[0] == names[1], key


def test_the_sensitivity_views_footnotes_read_in_persian_as_they_say_in_english() -> None:
    """The sensitivity summary's footnotes, as wordings: the catalogue's English is the
    summary's own (a range from below 100 to no upper end, and one from hundreds to
    thousands; with and without a fit that warned), the Persian is Persian with Persian
    digits."""
    import dataclasses

    from dadkhah.estimate import CaptureHistories, estimate_total
    from dadkhah.estimate.sensitivity import Sensitivity, SensitivityRow
    from dadkhah.web.i18n import render_wording

    hare = CaptureHistories.from_csv(Path(HARE))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        est = estimate_total(hare.select(["c1", "c2"]), method="chapman")
    wide = dataclasses.replace(est, interval=(61.64, float("inf")))
    big = dataclasses.replace(est, total=2000.0, interval=(1234.4, 56789.6))
    for e, warned in ((wide, ()), (big, ("it warned",))):
        view = Sensitivity((SensitivityRow("loglinear", "BIC", e, None, warned),), level=0.9,
                           observed=68)
        english = view.summary().footnotes
        worded = view.footnote_wordings()
        assert [render_wording("en", w) for w in worded] == list(english)
        for w in worded:
            fa = render_wording("fa", w)
            assert PERSIAN.search(fa) and not WESTERN_DIGITS.search(fa), fa
        assert len(worded) == 2 + bool(warned)
    assert "۱٬۲۳۴ تا ۵۶٬۷۹۰" in render_wording("fa", worded[0])


def test_the_command_line_says_the_sensitivity_footnotes_in_the_users_language(
        loc: str) -> None:
    """``--sensitivity`` (two lists: the alternatives that cannot fit say so, cheaply): a
    Persian user reads each footnote's Persian under the summary; anyone else English only."""
    from dadkhah.web.i18n import catalog

    args = ("--method", "chapman", "--lists", "c1,c2", "--sensitivity")
    fa = _run(loc, "dorsa", *args).stdout
    ed = _run(loc, "ed", *args).stdout
    assert not PERSIAN.search(ed)
    leave_one_out = catalog("fa")["estimate_note.sensitivity_leave_one_out"]
    assert leave_one_out in fa.splitlines()
    assert any(line.startswith("گسترهٔ بازه‌های ۹۵٪") for line in fa.splitlines()), fa
    # the table of alternatives again in Persian under the English (session 19)
    assert "حساسیت شمار کل برآوردشده به مدل" in fa.splitlines()
    assert any(line.startswith("لگ‌خطی: BIC ") for line in fa.splitlines()), fa
    assert "Sensitivity of the estimated total to the model" in ed.splitlines()


def test_the_imputation_footnote_of_a_stratified_estimate_reads_in_persian_as_in_english(
        ) -> None:
    """The footnote of an estimate by stratum on imputed stratum values (how many persons
    were imputed, over how many imputations): the catalogue's English is the summary's
    own word for word, the Persian is Persian with Persian digits; no footnote without
    imputations."""
    from dadkhah.estimate import StratifiedEstimate
    from dadkhah.web.i18n import render_wording

    imputed = (((("sex", "m"),), 1234.4), ((("sex", "f"),), 10.2))
    stratified = StratifiedEstimate(by=("sex",), strata=(), sparse=(), combined=None,
                                    replicates=12, imputed=imputed)
    worded = stratified.footnote_wordings()
    assert len(worded) == 1
    for note, wording in worded.items():
        assert note in stratified.summary().footnotes
        assert render_wording("en", wording) == note
        fa = render_wording("fa", wording)
        assert PERSIAN.search(fa) and not WESTERN_DIGITS.search(fa), fa
        assert "۱٬۲۴۵" in fa and "۱۲" in fa
    once = StratifiedEstimate(by=("sex",), strata=(), sparse=(), combined=None)
    assert once.footnote_wordings() == {} and not once.summary().footnotes


def _english_of(lines: list[str]) -> list[str]:
    """A Persian user's output less its Persian: the lines with Persian, and the rules of
    the tables in Persian (a rule under a line in Persian)."""
    return [line for i, line in enumerate(lines) if not PERSIAN.search(line) and not (
        i and line and set(line) <= set("=-") and PERSIAN.search(lines[i - 1]))]


def test_the_assumptions_and_the_strata_not_estimated_read_in_persian_under_the_english(
        loc: str, tmp_path: Path) -> None:
    """A Persian user reads the summaries' tables (title, header, rows: "observed …; NOT
    ESTIMATED" too), each ``Assumption: …`` footnote, each stratum not estimated
    with its reason and the note on the strata left out of the total in Persian under the
    English summary, strata by their labels («region: south» for a column the catalogue
    does not know, never ``region=south`` in Persian), in Persian digits; the English
    lines are those an English user reads, byte for byte, and they read nothing else."""
    from dadkhah.web.i18n import catalog

    plain = _run(loc, "dorsa").stdout.splitlines()
    said = [line for line in plain if line.startswith("فرض: ")]
    assert said == ["فرض: " + catalog("fa")[f"estimate_assumption.{k}"]
                    for k in ("closed_every", "loglinear_dependence", "matched")]
    counts = {"north": [5, 9, 7, 12, 30, 25, 40], "south": [0, 0, 0, 0, 30, 20, 10],
              "west": [0, 0, 0, 0, 0, 0, 40]}
    patterns = ["1,1,1", "1,1,0", "1,0,1", "0,1,1", "1,0,0", "0,1,0", "0,0,1"]
    csv = tmp_path / "strata.csv"  # SYNTHETIC
    csv.write_text("A,B,C,region,count\n" + "".join(
        f"{p},{region},{c}\n" for region, cs in counts.items()
        for p, c in zip(patterns, cs, strict=True)))
    args = ["-C", loc, "estimate", "-H", str(csv), "--by", "region", "--synthetic"]
    fa = CliRunner().invoke(app, ["--user", "dorsa", *args])
    en = CliRunner().invoke(app, ["--user", "ed", *args])
    assert fa.exit_code == 0 and en.exit_code == 0, fa.output + en.output
    lines = fa.stdout.splitlines()
    assert _english_of(lines) == en.stdout.splitlines()
    assert not PERSIAN.search(en.stdout + en.stderr)
    # the English as session 17 printed it, byte for byte
    assert ("[3] 2 stratum/strata with 100 documented people could not be estimated and are "
            "NOT in this total: region=south (No one in stratum {'region': 'south'} appears "
            "on more than one list (60 people, list sizes {'A': 30, 'B': 20, 'C': 10})); "
            "region=west (Only 1 list(s) name anyone in stratum {'region': 'west'} (C); "
            "capture-recapture needs at least 2)") in en.stdout.splitlines()
    assert ("[2] region=west: Only 1 list(s) name anyone in stratum {'region': 'west'} (C); "
            "capture-recapture needs at least 2. A single list says nothing about who it "
            "missed.") in en.stdout.splitlines()
    # the summary's table in Persian under the English, then the footnotes in Persian
    assert "اندازهٔ برآوردشدهٔ جمعیت بر پایهٔ region (loglinear)" in lines
    assert "region: south  دیده‌شده ۶۰؛ برآورد نشد" in lines
    assert "region: west   دیده‌شده ۴۰؛ برآورد نشد" in lines
    assert "لایه‌ها        ۳" in lines and "افراد مستند  ۲۲۸" in lines
    table = en.stdout.splitlines().index("Estimated population size by region (loglinear)")
    assert en.stdout.splitlines()[table - 1:table + 9] == [  # as session 17 printed it
        "*** SYNTHETIC DATA ***",
        "Estimated population size by region (loglinear)",
        "===============================================",
        "Strata        3",
        "-----------------------------------------------",
        "region=north  observed 128; estimate 220 (180 to 278)",
        "region=south  observed 60; NOT ESTIMATED",
        "region=west   observed 40; NOT ESTIMATED",
        "combined      observed 128; estimate 220 (184 to 281)",
        "-----------------------------------------------"]
    persian = [line for line in lines if PERSIAN.search(line)]
    persian = persian[next(i for i, line in enumerate(persian) if line.startswith("لایهٔ «")):]
    assert persian[0].startswith("لایهٔ «region: south»: هیچ کس در لایهٔ «region: south» در "
                                 "بیش از یک فهرست نیامده است (۶۰ نفر؛ اندازهٔ فهرست‌ها: "
                                 "A ۳۰، B ۲۰، C ۱۰).")
    assert persian[1].startswith("لایهٔ «region: west»: تنها ۱ فهرست در لایهٔ «region: west»")
    assert persian[2].startswith("۲ لایه با ۱۰۰ نفر مستند را نتوانستیم برآورد کنیم")
    assert "«region: south» (هیچ کس" in persian[2] and "؛ «region: west» (تنها ۱" in persian[2]
    for line in persian[:3]:
        assert "region=" not in line and not WESTERN_DIGITS.search(line), line
