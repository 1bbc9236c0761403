"""Clustering that combines the scored pairs' evidence field by field (``linkage="fields"``)."""

import math

import pandas as pd
import pytest

from dadkhah.linkage.cluster import cluster_records
from dadkhah.linkage.run import field_log_weights

PRIOR = math.log(1e-3 / (1 - 1e-3))  # log prior odds, about -6.9


def _recs(n: int) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": range(1, n + 1)})


def _pairs(*rows: tuple) -> pd.DataFrame:
    """rows: (left, right, {field: natural-log weight}); fields not given were not compared."""
    fields = sorted({f for *_, w in rows for f in w})
    out = []
    for a, b, w in rows:
        lo = PRIOR + sum(w.values())
        out.append({"unique_id_l": a, "unique_id_r": b,
                    "match_probability": 1 / (1 + math.exp(-lo)), "lw_prior": PRIOR,
                    **{f"lw_{f}": w.get(f, 0.0) for f in fields}})
    return pd.DataFrame(out)


# Ali Sabeti in three lists: 1 and 2 give his given name, surname, birth year and death
# date, 3 (a list without given names) only his surname and birth year; 4, a fourth list,
# gives his full name and death date and another prison (lists misreport prisons).
ALI = _pairs(
    (1, 2, {"name": 7.6, "birth": 2.5, "death": 3.7}),
    (1, 3, {"name": 5.1, "birth": 4.0}),
    (2, 3, {"name": 5.1, "birth": 4.0}),
    (1, 4, {"name": 8.0, "death": 4.0, "place": -4.0}),
    (2, 4, {"name": 8.0, "death": 4.0, "place": -4.0}),
    (3, 4, {"name": 5.1, "place": -4.0}),
)


def test_a_record_lacking_a_field_does_not_count_as_evidence_against() -> None:
    """4 scores 0.75 with 1 and 2, and 0.003 with 3 (which has no given name or death
    date to agree on).  Averaged pair by pair the three log-odds, (1.1 + 1.1 - 5.8) / 3, are
    below the threshold's (0) and 4 stays apart; field by field its name and death date
    agree with the records that give them (name 7.0 on average, death 4.0), its prison
    disagrees with all (-4.0), and with the prior (-6.9) it joins at 0.13."""
    avg = cluster_records(_recs(4), ALI, threshold=0.5, linkage="average")
    assert avg.members() == {1: [1, 2, 3], 4: [4]}
    fields = cluster_records(_recs(4), ALI, threshold=0.5, linkage="fields")
    assert fields.members() == {1: [1, 2, 3, 4]}


def test_a_field_that_disagrees_with_every_record_still_counts_fully() -> None:
    """Another death date beside another prison: 4 is someone else, whatever the mean."""
    other = ALI.copy()
    for a in (1, 2):
        row = (other.unique_id_l == a) & (other.unique_id_r == 4)
        other.loc[row, "lw_death"] = -3.0
        other.loc[row, "match_probability"] = 1 / (1 + math.exp(-(PRIOR + 8.0 - 3.0 - 4.0)))
    res = cluster_records(_recs(4), other, threshold=0.5, linkage="fields")
    assert res.members() == {1: [1, 2, 3], 4: [4]}


def test_unscored_pairs_and_decisions_still_count() -> None:
    """An unscored cross pair counts at -2 as in average linkage; a decision wins."""
    pairs = _pairs((1, 2, {"name": 8.0, "birth": 2.0}), (2, 3, {"name": 8.5}))
    res = cluster_records(_recs(3), pairs, threshold=0.5, linkage="fields")
    # {1,2} × {3}: (field-wise 1.6 for 2–3, -2 for the unscored 1–3) / 2 < 0
    assert res.members() == {1: [1, 2], 3: [3]}
    res = cluster_records(_recs(3), pairs, threshold=0.5, linkage="fields", must_link=[(1, 3)])
    assert res.members() == {1: [1, 2, 3]}


def test_fields_need_the_weight_columns() -> None:
    with pytest.raises(ValueError, match="lw_"):
        cluster_records(_recs(2), _pairs((1, 2, {"name": 9.0}))[
            ["unique_id_l", "unique_id_r", "match_probability"]], linkage="fields")


def test_field_log_weights_from_splink_weights() -> None:
    """log2 weights to natural log; the name's three comparisons are one field; the term-
    frequency adjustment goes with its comparison; the parts add up to match_weight."""
    pairs = pd.DataFrame({"unique_id_l": [1], "unique_id_r": [2], "match_probability": [.9],
                          "mw_name": [0.0], "mw_tf_adj_name": [0.0], "mw_given_alone": [0.0],
                          "mw_surname_alone": [6.0], "mw_tf_adj_surname_alone": [-1.0],
                          "mw_father": [3.0], "mw_tf_adj_father": [0.5], "mw_birth": [-2.0]})
    pairs["match_weight"] = -10.0 + pairs.filter(like="mw_").sum(axis=1)
    out = field_log_weights(pairs).iloc[0]
    ln2 = math.log(2)
    assert out.lw_name == pytest.approx(5.0 * ln2)
    assert out.lw_father == pytest.approx(3.5 * ln2)
    assert out.lw_birth == pytest.approx(-2.0 * ln2)
    assert out.lw_prior == pytest.approx(-10.0 * ln2)
    assert "lw_given_alone" not in out and "lw_tf_adj_father" not in out
    total = out.filter(like="lw_").sum()
    assert total == pytest.approx(out.match_weight * ln2)
