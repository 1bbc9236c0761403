"""The report's estimates section: the linkage's uncertainty beside the fixed register, the
headline refused with its range and reasons, the sensitivity table and plot, and no
"unknown" stratum (SYNTHETIC data)."""

from __future__ import annotations

import re
import warnings

import pytest


def test_linkage_table_and_refused_headline(report, parsed) -> None:  # type: ignore[no-untyped-def]
    data = report[0]
    assert set(data.propagated) == {"loglinear", "lcmcr"}
    rows = {a["data-method"]: c for a, c in parsed.tables["table-linkage-uncertainty"].body()}
    p = data.propagated["loglinear"]
    assert float(rows["loglinear"][1].attrs["data-value"]) == pytest.approx(p.estimate.total)
    assert float(rows["loglinear"][3].attrs["data-low"]) == pytest.approx(p.fixed.interval.low)
    assert float(rows["loglinear"][4].attrs["data-value"]) == pytest.approx(p.linkage_share)
    # no audit sample was drawn for this case: the report must not lead with one number
    assert data.headline.refused
    box = next(a for _, a in parsed.elements if a.get("id") == "headline-estimated")
    assert box.get("data-refused") == "1"
    ranges = [a for _, a in parsed.elements if a.get("class") == "big range"]
    assert float(ranges[0]["data-low"]) == pytest.approx(data.headline.low)
    assert "precision and recall are unknown" in report[2]


def test_no_unknown_stratum_is_estimated(report, parsed) -> None:  # type: ignore[no-untyped-def]
    data = report[0]
    by_sex = next(r.result for r in data.estimates if r.by == "sex" and r.result)
    strata = {dict(e.stratum)["sex"] for e in by_sex.strata} | {
        dict(s.stratum)["sex"] for s in by_sex.sparse}
    assert "unknown" not in strata and strata <= {"m", "f"}
    assert by_sex.replicates > 1  # some persons' sex was missing and was imputed


def test_sensitivity_table_and_plot(linked) -> None:  # type: ignore[no-untyped-def]
    from dadkhah.report import gather_report_data, render_html
    from tests.report._html import parse

    data = gather_report_data(linked.case, by=(), methods=("loglinear",), seed=2,
                              linkage_draws=0, sensitivity=True, include_names=False)
    assert data.propagated == {}
    page = parse(render_html(data))
    rows = page.tables["table-sensitivity"].body()
    assert len(rows) == len(data.sensitivity.rows)
    families = {a["data-family"] for a, _ in rows}
    assert {"lcmcr", "loglinear", "dga", "leave-one-out"} <= families
    assert any(a.get("id") == "fig-sensitivity" for _, a in page.elements)
    # with the interface's Persian, each alternative is named in Persian beside its English
    from functools import partial

    from dadkhah.web.i18n import render_wording

    fa = parse(render_html(data, persian=partial(render_wording, "fa")))
    labels = [c[1].text for _, c in fa.tables["table-sensitivity"].body()]
    assert any(t.startswith("BIC-weighted average") and "لگ‌خطی: میانگین وزن‌دار با BIC" in t
               for t in labels), labels
    assert all(re.search("[\u0600-\u06ff]", t) for t in labels), labels


def test_the_estimators_warnings_are_said_in_persian_beside_their_english(
        report) -> None:  # type: ignore[no-untyped-def]
    """Every kind of estimator warning, in an estimate's notes and in the sensitivity
    table: with the interface's Persian (as the command line and the web write the report),
    each is followed by its Persian with Persian digits; without it, English only.  The
    sensitivity view's rows keep their warnings' wordings as they fit."""
    import html
    from dataclasses import replace
    from functools import partial

    from dadkhah.estimate import CaptureHistories, estimate_total
    from dadkhah.estimate.sensitivity import Sensitivity, _run
    from dadkhah.report import render_html
    from dadkhah.web.i18n import render_wording
    from tests.cli.test_estimate_language import _warned

    data = report[0]
    raised = [w for w in _warned() if getattr(w, "wording", None)]
    texts = tuple(dict.fromkeys(str(w) for w in raised))
    worded = {str(w): w.wording for w in raised}
    run = next(r for r in data.estimates if r.by is None and r.result is not None)
    isolated = CaptureHistories.from_arrays(
        ["A", "B", "C"], [[1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], [30, 40, 35, 1200])
    fitted = _run("loglinear", "stepwise", lambda: estimate_total(isolated, method="stepwise"))
    assert fitted.warnings and set(fitted.wordings) == set(fitted.warnings)
    row = replace(fitted, warnings=texts, wordings=worded)
    data = replace(data, estimates=[replace(r, warnings=texts, wordings=worded) if r is run
                                    else r for r in data.estimates],
                   sensitivity=Sensitivity((row,), level=0.95, observed=data.documented()))
    page = html.unescape(render_html(data, persian=partial(render_wording, "fa")))
    for w in raised:
        fa = render_wording("fa", w.wording)
        assert f'{w} <bdi dir="rtl" lang="fa" class="note-fa">{fa}</bdi>' in page, str(w)
        assert f'{w} <bdi dir="rtl" lang="fa" class="warning-fa">{fa}</bdi>' in page, str(w)
    english = render_html(data)
    assert 'class="note-fa"' not in english and 'class="warning-fa"' not in english


_PERSIAN_BESIDE = re.compile(r' <bdi dir="rtl" lang="fa" '
                             r'class="(?:headline|note|stratum-note|warning|heading|notes|'
                             r'reason|sum|assumption|th)-fa">.*?</bdi>')


@pytest.mark.parametrize("shown", ["refused", "propagated", "fixed"])
def test_the_headline_box_is_said_in_persian_beside_its_english(report, shown) -> None:  # type: ignore[no-untyped-def]
    """The headline box (a number with its interval, or the range when none stands) and
    the reasons a headline is refused: the catalogue's English is the report's English
    word for word, and with the interface's Persian each phrase is followed by its Persian
    in Persian digits, the English page otherwise unchanged byte for byte."""
    import html
    from dataclasses import replace
    from functools import partial

    from dadkhah.report import render_html
    from dadkhah.report.html import build_context, headline_wordings
    from dadkhah.web.i18n import render_wording

    data = report[0]
    assert data.headline.refused and data.propagated  # the fixture's case, as the other tests
    if shown != "refused":
        data = replace(data, headline=None)
    if shown == "fixed":
        data = replace(data, propagated={})
    wordings = headline_wordings(build_context(data))
    expected = {"refused": {"refused_label", "refused_range", "refused_why", "reasons_title",
                            "reasons_range"},
                "propagated": {"label", "interval"}, "fixed": {"label", "interval"}}[shown]
    assert set(wordings) == expected
    english = report[2] if shown == "refused" else render_html(data)
    said = html.unescape(re.sub(r"<[^>]+>", "", english))
    persian = render_html(data, persian=partial(render_wording, "fa"))
    assert _PERSIAN_BESIDE.sub("", persian) == english
    reasons = data.headline.wordings if shown == "refused" else ()
    assert shown != "refused" or len(reasons) == len(data.headline.reasons) > 0
    for w in (*wordings.values(), *reasons):
        assert render_wording("en", w) in said, w
        fa = render_wording("fa", w)
        numbers = re.sub(r"\w+=[0-9]+", "", fa)  # a model's settings (K=10) are its name
        assert not re.search(r"[0-9]", numbers) and re.search(r"[\u0600-\u06ff]", fa), fa
        assert f'class="headline-fa">{html.escape(fa, quote=False)}</bdi>' in persian \
            or f'class="headline-fa">{html.escape(fa)}</bdi>' in persian, fa
    if shown != "refused":
        linkage = "the linkage's uncertainty" in render_wording("en", wordings["interval"])
        assert linkage == (shown == "propagated")
    assert 'class="headline-fa"' not in english


def test_a_strata_note_of_a_warning_is_said_in_persian_beside_its_english(report) -> None:  # type: ignore[no-untyped-def]
    """A note of the tables by stratum that is an estimator's warning in one stratum
    (``sex=m: …``, as combine_estimates writes it): with the interface's Persian it is
    followed by the stratum and the warning's Persian; the English is the catalogue's
    ``{stratum}: {text}`` word for word, and a note with no wording stays English only."""
    import html
    from dataclasses import replace
    from functools import partial

    from dadkhah.errors import Wording
    from dadkhah.report import render_html
    from dadkhah.web.i18n import render_wording
    from tests.cli.test_estimate_language import _warned

    data = report[0]
    warned = next(w for w in _warned() if getattr(w, "wording", None))
    run = next(r for r in data.estimates if r.by == "sex" and r.result is not None)
    note = f"sex=m: {warned}"
    wording = Wording.of("estimate_note.in_stratum", stratum=Wording.stratum((("sex", "m"),)),
                         text=warned.wording)
    combined = replace(run.result.combined, notes=(note, "sex=f: a note with no wording"),
                       wordings={note: wording})
    data = replace(data, estimates=[
        replace(r, result=replace(r.result, combined=combined)) if r is run else r
        for r in data.estimates])
    assert render_wording("en", wording) == note
    fa = render_wording("fa", wording)
    assert fa.startswith("لایهٔ «جنس: مرد»: ")
    page = html.unescape(render_html(data, persian=partial(render_wording, "fa")))
    assert f'<li>{note} <bdi dir="rtl" lang="fa" class="stratum-note-fa">{fa}</bdi></li>' in page
    assert "<li>sex=f: a note with no wording</li>" in page
    assert 'class="stratum-note-fa"' not in render_html(data)


def test_the_tables_by_stratum_say_their_headings_notes_and_reasons_in_persian_too(
        report) -> None:  # type: ignore[no-untyped-def]
    """With the interface's Persian, a table by stratum has its heading, its column headers,
    its sum row, its notes' summary ("N note(s)") and each stratum's reason for not being estimated
    followed by their Persian (Persian digits, strata by their labels); the strata left
    out of a total are named «جنس: …», never sex=…; the methods' assumptions too.  Without
    it the page is the English page, and the Persian page less its Persian is that page."""
    import html
    from dataclasses import replace
    from functools import partial

    from dadkhah.estimate import LogLinear, estimate_by_stratum
    from dadkhah.report import render_html
    from dadkhah.web.i18n import catalog, render_wording
    from tests.estimate.test_wordings import SEX, _strata

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sparse = estimate_by_stratum(_strata(SEX), LogLinear().fit)  # SYNTHETIC
    data = report[0]
    run = next(r for r in data.estimates if r.by == "sex" and r.result is not None)
    data = replace(data, estimates=[replace(r, result=sparse) if r is run else r
                                    for r in data.estimates])
    english = render_html(data)
    page = render_html(data, persian=partial(render_wording, "fa"))
    assert _PERSIAN_BESIDE.sub("", page) == english
    assert "<h3>By sex</h3>" in english and "note(s)</summary>" in english
    page = html.unescape(page)
    fa = catalog("fa")
    assert '<h3>By sex <bdi dir="rtl" lang="fa" class="heading-fa">بر پایهٔ جنس</bdi></h3>' \
        in page
    assert f'class="sum-fa">{fa["report_strata.sum"]}</bdi>' in page
    notes = len(sparse.combined.notes)
    assert f'loglinear by sex: {notes} note(s) <bdi dir="rtl" lang="fa" class="notes-fa">' \
        f'loglinear بر پایهٔ جنس: {"۰۱۲۳۴۵۶۷۸۹"[notes]} یادداشت</bdi>' in page
    reasons = re.findall(r'class="reason-fa">(.*?)</bdi>', page)
    assert any(r.startswith("برآورد نشد: هیچ کس در لایهٔ «جنس: زن» در بیش از یک فهرست")
               for r in reasons), reasons
    left_out = re.findall(r'class="stratum-note-fa">(۲ لایه با .*?)</bdi>', page)
    assert len(left_out) == 1 and "«جنس: زن» (" in left_out[0]
    assert "sex=" not in left_out[0] and not re.search("[0-9]", left_out[0].replace(
        "A ", "").replace("B ", "").replace("C ", ""))
    assert 'class="assumption-fa">' + fa["estimate_assumption.strata_added"] in page
    # the column headers too (the English page keeps them as they were)
    assert ('<th class="num doc">documented</th><th class="num est">ESTIMATED, loglinear</th>'
            '<th class="num est">interval</th>') in english
    beside = '<bdi dir="rtl" lang="fa" class="th-fa">{}</bdi></th>'
    for english_words, key in (("documented", "documented"), ("interval", "interval")):
        assert f"{english_words} " + beside.format(fa[f"report_strata.{key}"]) in page
    assert "ESTIMATED, loglinear " + beside.format("برآوردشده، loglinear") in page
