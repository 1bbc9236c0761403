"""What the estimates say beside their numbers reads in Persian from the interface
catalogue, as it says in English: why a stratum could not be estimated (the estimators'
refusals), the note on the strata left out of a total, the assumptions, and the strata
themselves («جنس: مرد», the machine form ``sex=m`` staying in English and in JSON).  The
catalogue's English is the library's own, word for word.  Data: small SYNTHETIC tables."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from dadkhah.errors import EstimationError, Wording
from dadkhah.estimate import CaptureHistories, estimate_by_stratum, estimate_total
from dadkhah.estimate.strata import combine_imputations
from dadkhah.web.i18n import catalog, render_wording, stratum_text

PERSIAN = re.compile(r"[\u0600-\u06FF]")
WESTERN_DIGITS = re.compile(r"[0-9]")
MSE = Path(__file__).parents[1] / "data" / "mse"
PATTERNS = [(1, 1, 1), (1, 1, 0), (1, 0, 1), (0, 1, 1), (1, 0, 0), (0, 1, 0), (0, 0, 1)]


def _strata(counts: dict[str, list[int]], by: str = "sex") -> CaptureHistories:
    """SYNTHETIC capture histories of three lists by ``by``."""
    rows = [(*p, value, c) for value, cs in counts.items() for p, c in zip(PATTERNS, cs,
                                                                           strict=True)]
    frame = pd.DataFrame(rows, columns=["A", "B", "C", by, "count"])
    return CaptureHistories.from_frame(frame, by=[by])


# one stratum estimable, one with no overlap, one named by a single list
SEX = {"m": [5, 9, 7, 12, 30, 25, 40], "f": [0, 0, 0, 0, 1234, 20, 10],
       "unknown": [0, 0, 0, 0, 0, 0, 40]}


def _refusal(fn: Any) -> EstimationError:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(EstimationError) as info:
            fn()
    return info.value


def _persian(text: str, *, digits: bool = True) -> None:
    assert PERSIAN.search(text), text
    if digits:
        assert not WESTERN_DIGITS.search(text), text


def test_every_refusal_reads_in_persian_as_it_says_in_english() -> None:
    """The estimators' refusals a stratum meets: no one documented, a single list, no
    overlap (in a stratum and not), two-list estimators on three lists, a list sharing no
    one (log-linear), dga on two lists.  Each carries its wording;
    the catalogue's English is the message itself."""
    sex = _strata(SEX)
    parts = dict(sex.by_stratum())
    isolated = CaptureHistories.from_arrays(
        ["A", "B", "C"], [[1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]], [30, 40, 35, 1200])
    two = CaptureHistories.from_arrays(["A", "B"], [[1, 0], [0, 1]], [1234, 5])
    refused = [
        _refusal(lambda: estimate_total(parts[(("sex", "f"),)], method="loglinear")),
        _refusal(lambda: estimate_total(parts[(("sex", "unknown"),)], method="loglinear")),
        _refusal(lambda: estimate_total(CaptureHistories.from_arrays(
            ["A", "B"], [[1, 0], [0, 1]], [0, 0]), method="loglinear")),
        _refusal(lambda: estimate_total(two, method="loglinear")),
        _refusal(lambda: estimate_total(isolated, method="chapman")),
        _refusal(lambda: estimate_total(isolated, method="loglinear")),
        _refusal(lambda: estimate_total(CaptureHistories.from_csv(MSE / "hare.csv").select(
            ["c1", "c2"]), method="dga")),
    ]
    keys = [e.wording.key if e.wording else None for e in refused]
    assert keys == ["estimate_reason." + k for k in (
        "no_overlap", "too_few_lists", "no_one_documented", "no_overlap", "two_lists_needed",
        "isolated_list_loglinear", "dga_lists")]
    for e in refused:
        assert e.wording is not None
        assert render_wording("en", e.wording) == e.message
        fa = render_wording("fa", e.wording)
        names = [v for _, v in e.wording.values if isinstance(v, (str, tuple))]
        _persian(fa, digits=not any(WESTERN_DIGITS.search(str(n)) for n in names))
    in_f = render_wording("fa", refused[0].wording)  # type: ignore[arg-type]
    assert "«جنس: زن»" in in_f and "{'sex'" not in in_f
    assert "۱٬۲۶۴ نفر" in in_f and "A ۱٬۲۳۴، B ۲۰" in in_f  # the table's sizes, as Persian
    assert "«جنس: نامعلوم»" in render_wording("fa", refused[1].wording)  # type: ignore[arg-type]


def test_a_stratified_estimates_own_footnotes_read_in_persian_as_in_english() -> None:
    """By sex with a stratum of no overlap and one of a single list: each footnote on a
    stratum not estimated and the note on the strata left out of the total have their
    wording; the catalogue's English is the summary's footnote word for word, the Persian
    names the strata by their labels («جنس: زن»), never ``sex=f``, in Persian digits."""
    from dadkhah.estimate import LogLinear

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = estimate_by_stratum(_strata(SEX), LogLinear().fit)
    assert len(res.sparse) == 2 and res.combined is not None
    worded = res.footnote_wordings()
    footnotes = res.summary().footnotes
    assert set(worded) == set(footnotes)  # every footnote here is the stratification's own
    left_out = next(n for n in footnotes if "could not be estimated and are NOT" in n)
    assert "sex=f (No one in stratum {'sex': 'f'} appears" in left_out
    for note, wording in worded.items():
        assert render_wording("en", wording) == note
        fa = render_wording("fa", wording)
        _persian(fa, digits=False)
        assert "sex=" not in fa and "{'sex'" not in fa, fa
    fa = render_wording("fa", worded[left_out])
    assert fa.startswith("۲ لایه با ۱٬۳۰۴ نفر مستند"), fa
    assert "«جنس: زن» (هیچ کس در لایهٔ «جنس: زن» در بیش از یک فهرست نیامده است (" in fa
    assert "؛ «جنس: نامعلوم» (" in fa and not WESTERN_DIGITS.search(fa.replace("A ", "")
                                                                      .replace("B ", ""))
    # the machine form stays in the JSON
    assert res.to_dict()["sparse"][0]["stratum"] == [["sex", "f"]]
    assert "wording" not in res.to_dict()["sparse"][0]


def test_strata_not_estimated_in_every_imputation_read_in_persian_as_in_english() -> None:
    from dadkhah.estimate import LogLinear

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reps = [estimate_by_stratum(_strata(SEX), LogLinear().fit),
                estimate_by_stratum(_strata({**SEX, "f": [2, 1, 1, 3, 1234, 20, 10]}),
                                    LogLinear().fit)]
        res = combine_imputations(reps)
    worded = res.footnote_wordings()
    notes = res.summary().footnotes
    partly = next(n for n in notes if n.startswith("sex=f: not estimable in 1 of 2"))
    every = next(n for n in notes if "could not be estimated in every imputation" in n)
    for note in (partly, every):
        assert render_wording("en", worded[note]) == note
        _persian(render_wording("fa", worded[note]), digits=False)
    assert "در ۱ جانهی از ۲ جانهی برآوردپذیر نبود" in render_wording("fa", worded[partly])


def test_every_assumption_reads_in_persian_as_it_says_in_english() -> None:
    """Every estimator's assumptions (each closed-population model's too, the linkage's
    draws, the imputations, the strata added) have a wording whose English is the
    assumption itself; the summary's ``Assumption: …`` footnotes too."""
    from dadkhah.estimate import _assumptions, closed, propagate, strata

    isolated = CaptureHistories.from_arrays(
        ["A", "B", "C"], [[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]],
        [10, 30, 40, 35, 100])
    hare = CaptureHistories.from_csv(MSE / "hare.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fits = [estimate_total(h, method=m, seed=1, **o) for h, m, o in (
            (hare, "loglinear", {}), (hare, "closed", {}), (isolated, "stepwise", {}),
            (isolated, "dga", {}), (hare.select(["c1", "c2"]), "chapman", {}),
            (isolated, "lcmcr", {"samples": 50, "burnin": 10, "chains": 1, "K": 2}))]
    texts = {a for e in fits for a in e.assumptions} | set(closed._ASSUMPTIONS.values()) | {
        propagate.LINKAGE_ASSUMPTION, strata._IMPUTATION_ASSUMPTION,
        strata._DRAWN_IMPUTATION_ASSUMPTION, strata._STRATA_ADDED}
    assert texts == set(_assumptions._keys()) and len(texts) == 20
    for text in texts:
        wording = _assumptions.assumption_wording(text)
        assert wording is not None, text
        assert render_wording("en", wording) == text
        _persian(render_wording("fa", wording), digits=False)
    for e in fits:
        worded = e.footnote_wordings()
        said = [n for n in e.summary().footnotes if n.startswith("Assumption: ")]
        assert said and all(render_wording("en", worded[n]) == n for n in said)
        assert all(render_wording("fa", worded[n]).startswith("فرض: ") for n in said)


def test_a_stratum_is_named_by_its_labels_in_persian_and_by_its_machine_form_in_english(
        ) -> None:
    pairs = (("sex", "m"), ("prison", "prison:evin"), ("month", "1988-07"),
             ("city", "unknown"), ("region", "north"))
    assert stratum_text("en", pairs) == ("sex=m, prison=prison:evin, month=1988-07, "
                                         "city=unknown, region=north")
    assert stratum_text("en", ()) == "all" and stratum_text("fa", ()) == "همه"
    fa = stratum_text("fa", pairs)
    assert fa == ("جنس: مرد، زندان: زندان اوین، ماه مرگ: ۱۳۶۷/۰۴/۱۰ – ۱۳۶۷/۰۵/۰۹، "
                  "شهر: نامعلوم، region: north")
    wording = Wording.stratum(pairs[:1])
    assert wording.to_dict() == {"wording": "stratum", "values": {"sex": "m"}}
    assert render_wording("fa", wording) == "جنس: مرد"
    assert render_wording("en", Wording.from_dict(wording.to_dict())) == "sex=m"


def test_the_new_wordings_are_in_both_catalogues() -> None:
    src = Path(__file__).parents[2] / "src" / "dadkhah"
    used = {k for p in src.rglob("*.py") for k in re.findall(
        r'"((?:estimate_reason|estimate_assumption|estimate_stratum|report_strata)\.'
        r'[a-z_.]+)', p.read_text("utf-8"))}
    assert len(used) >= 20
    en, fa = catalog("en"), catalog("fa")
    for table in ("estimate_reason", "estimate_assumption", "estimate_stratum",
                  "report_strata"):
        keys = {k for k in en if k.startswith(f"{table}.")}
        assert keys == {k for k in fa if k.startswith(f"{table}.")}, table
