"""Stored estimates are kept whole and read back as estimates (SYNTHETIC data)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from sqlalchemy import update

from dadkhah.estimate import Estimate, estimate_total, synthetic_histories
from dadkhah.register import latest_estimates, store_estimates
from dadkhah.store import Case
from dadkhah.store.tables import StoredEstimate


def _estimate(**over) -> Estimate:
    values = dict(method="chapman", stratum=(("prison", "prison:evin"),), lists=("a", "b"),
                  observed=90, total=120.5, interval=(100.0, math.inf), level=0.9,
                  interval_kind="confidence", notes=("few recaptures",),
                  assumptions=("closed population",), settings={"bias_correction": True},
                  diagnostics={"recaptures": 7, "ratio": 0.25}, synthetic=True)
    return Estimate(**{**values, **over})


def test_estimate_round_trips_through_to_dict() -> None:
    e = _estimate()
    back = Estimate.from_dict(json.loads(json.dumps(e.to_dict())))
    assert back == e
    assert back.interval.high == math.inf and back.interval_kind == "confidence"
    assert dict(back.diagnostics) == dict(e.diagnostics)
    assert back.summary().as_text() == e.summary().as_text()
    with pytest.raises(ValueError):
        Estimate.from_dict({"kind": "documented_count"})


def test_a_fitted_estimate_round_trips() -> None:
    e = estimate_total(synthetic_histories(500, n_lists=3, seed=3), method="loglinear")
    back = Estimate.from_dict(e.to_dict())
    assert back == e and back.to_dict() == e.to_dict()


def test_posterior_draws_are_summarised_not_kept() -> None:
    e = _estimate(interval=(100.0, 150.0), draws=[110.0, 120.0, 130.0])
    back = Estimate.from_dict(e.to_dict())
    assert back == e and back.draws is None
    assert e.to_dict()["n_draws"] == 3 and back.to_dict()["n_draws"] is None


@pytest.fixture
def case(tmp_path: Path):
    case = Case.create(tmp_path / "case")
    yield case
    case.close()


def test_stored_estimates_read_back_whole(case) -> None:
    e = _estimate(interval=(100.0, 150.0))
    [row] = store_estimates(case, {"chapman": e}, by="tester",
                            caveats={"chapman": ["a warning"]})
    assert row.estimate == e
    assert row.estimate.assumptions == ("closed population",)
    assert row.estimate.stratum == (("prison", "prison:evin"),)
    assert (row.total, row.low, row.high, row.level, row.observed) == (120.5, 100, 150, 0.9, 90)
    assert row.notes == ["few recaptures", "a warning"]
    assert json.loads(json.dumps(row.to_dict()))["estimate"]["interval_kind"] == "confidence"


def test_rows_stored_before_migration_0007_still_read(case) -> None:
    store_estimates(case, {"chapman": _estimate(interval=(100.0, 150.0))}, by="tester")
    with case.write() as conn:  # as a row written before the column existed
        conn.execute(update(StoredEstimate).values(estimate=None))
    [row] = latest_estimates(case)
    assert row.estimate is None and row.total == 120.5 and row.notes == ["few recaptures"]
    assert row.to_dict()["estimate"] is None


def test_the_warnings_stored_with_an_estimate_keep_their_wording(case) -> None:
    """Each estimator warning's Wording is stored with the notes and read back whole, so the
    dashboard can say it in Persian: rendered in either language, it says what it said
    before it was stored; a note without a wording stays a note, and rows stored with a
    plain list of notes still read."""
    from dadkhah.web.i18n import render_wording
    from tests.cli.test_estimate_language import _warned

    worded = {str(w): w.wording for w in _warned() if getattr(w, "wording", None)}
    assert len(worded) >= 9
    e = _estimate(interval=(100.0, 150.0))
    [row] = store_estimates(case, {"chapman": e}, by="tester",
                            caveats={"chapman": [*worded, "a note of its own"]},
                            wordings={"chapman": worded})
    assert row.notes == ["few recaptures", *worded, "a note of its own"]
    assert set(row.wordings) == set(worded)
    for text, wording in worded.items():
        for lang in ("en", "fa"):
            assert render_wording(lang, row.wordings[text]) == render_wording(lang, wording)
        assert render_wording("en", row.wordings[text]) == text
    assert json.loads(json.dumps(row.to_dict()))["wordings"].keys() == worded.keys()
    [plain] = store_estimates(case, {"chapman": e}, by="tester")
    assert (plain.notes, dict(plain.wordings)) == (["few recaptures"], {})


def test_the_note_of_a_copied_list_reads_in_both_languages_as_its_sentence() -> None:
    """The catalogue's copies wording says what CopiedLists.sentence says, in English and in
    Persian, for a whole and a partial copy (SYNTHETIC slugs)."""
    from dadkhah.register.copies import CopiedLists
    from dadkhah.store import SourceCopyInfo
    from dadkhah.web.i18n import render_wording

    for extent in ("whole", "part"):
        c = SourceCopyInfo(source="ngo_b", copied="ngo_a", extent=extent, note=None,
                           created_at="2026-01-01", created_by="t")
        [(text, wording)] = CopiedLists((c,)).wordings(["ngo_a", "ngo_b"]).items()
        assert text == CopiedLists.sentence(c)
        for lang in ("en", "fa"):
            assert render_wording(lang, wording) == CopiedLists.sentence(c, lang)
    assert CopiedLists((c,)).wordings(["ngo_a"]) == {}
