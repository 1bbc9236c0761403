"""Report parts on hand-made inputs: timeline precision, overlap counts, Persian for plots,
age groups."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from dadkhah.estimate import CaptureHistories
from dadkhah.report.data import _timeline, age_group
from dadkhah.report.persian import has_persian, persian_font, plot_label, plot_text, shape
from dadkhah.report.plots import upset_plot, venn_counts, venn_plot


def _persons(intervals: list[tuple[str | None, str | None]]) -> pd.DataFrame:
    df = pd.DataFrame(intervals, columns=["death_earliest", "death_latest"])
    for c in ("death_earliest", "death_latest"):
        df[c + "_d"] = pd.to_datetime(df[c])
    return df


def test_month_only_date_is_spread_not_put_on_the_first() -> None:
    t = _timeline(_persons([("1988-08-01", "1988-08-31"), ("1988-08-01", "1988-08-01"),
                            ("1988-01-01", "1988-12-31"), (None, None)]))
    assert t.exact == {date(1988, 8, 1): 1}  # only the day-precise person
    assert len(t.spread) == 31
    assert all(v == pytest.approx(1 / 31) for v in t.spread.values())
    assert sum(t.spread.values()) == pytest.approx(1.0)
    assert t.by_precision["day"] == 1 and t.by_precision["within a month"] == 1
    assert t.by_precision["wider span (not drawn)"] == 1 and t.by_precision["no date"] == 1


def test_timeline_mass_is_conserved() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(200):
        a = date(1988, 7, 1) + timedelta(days=int(rng.integers(0, 90)))
        rows.append((a.isoformat(), (a + timedelta(days=int(rng.integers(0, 40)))).isoformat()))
    t = _timeline(_persons(rows))
    assert sum(t.exact.values()) + sum(t.spread.values()) == pytest.approx(200)


def test_age_groups_need_an_unambiguous_age() -> None:
    df = _persons([("1988-08-01", "1988-08-01")] * 4)
    df["birth_year_lo"] = [1960, 1971, 1970, None]
    df["birth_year_hi"] = [1960, 1971, 1971, None]
    # 28; 17; 17-18 straddles two groups; no birth year
    assert list(age_group(df)) == ["25–34", "under 18", "unknown", "unknown"]


def _hist() -> CaptureHistories:
    pats = [p for p in itertools.product((0, 1), repeat=4) if any(p)]
    rng = np.random.default_rng(1)
    return CaptureHistories.from_arrays(["a", "b", "c", "d"], pats,
                                        rng.integers(1, 50, len(pats)))


def test_venn_regions_count_each_person_once() -> None:
    h = _hist()
    counts = venn_counts(h, ["a", "c", "d"])
    full = h.full_table()
    for key, n in counts.items():
        want = sum(full[i] for i in range(16)
                   if tuple((i >> (3 - j)) & 1 for j in (0, 2, 3)) == key)
        assert n == want
    on_none = sum(full[i] for i in range(16) if not (i & 0b1011))
    assert sum(counts.values()) == h.observed - on_none


def test_overlap_figures_render() -> None:
    h = _hist()
    for fig in (upset_plot(h, synthetic=True, top=5), venn_plot(h, synthetic=False)):
        assert fig is not None and fig.data_uri.startswith("data:image/png;base64,")
    assert "10 smallest combinations" in upset_plot(h, synthetic=True, top=5).caption


def test_persian_for_plots() -> None:
    assert persian_font() == "Noto Naskh Arabic"  # installed by scripts/system-deps.sh
    assert shape("Evin") == "Evin"
    shaped = shape("زندان اوین")
    assert all("\ufb50" <= ch <= "\ufeff" or ch == " " for ch in shaped)
    assert has_persian(shaped) and has_persian("اوین") and not has_persian("Evin")
    label = plot_label("Evin Prison", "زندان اوین")
    assert label.startswith("Evin Prison (") and plot_text("زندان اوین") in label
    assert plot_label("Evin Prison", None) == "Evin Prison"


def test_long_stratum_tables_sum_the_tail() -> None:
    from dadkhah.report.data import MAX_STRATUM_ROWS, OTHER, _stratum_rows

    n = MAX_STRATUM_ROWS + 12
    cities = [f"city:c{i:02d}" for i in range(n) for _ in range(n - i)] + [None] * 3
    df = pd.DataFrame({"city_id": cities, "n_sources": [1 + i % 5 for i in range(len(cities))]})
    rows = _stratum_rows(df, "city", {})
    assert len(rows) == MAX_STRATUM_ROWS + 2  # the largest, one row for the rest, unknown
    assert rows[MAX_STRATUM_ROWS].value == OTHER and rows[-1].value == "unknown"
    assert sum(r.persons for r in rows) == len(df)
    assert rows[-1].persons == 3
    assert sum(rows[MAX_STRATUM_ROWS].by_sources) == rows[MAX_STRATUM_ROWS].persons
    assert rows[0].persons == n and rows[MAX_STRATUM_ROWS - 1].persons == n - MAX_STRATUM_ROWS + 1
