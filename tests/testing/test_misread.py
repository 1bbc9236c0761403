"""The one SYNTHETIC misreading helper shared by the OCR linkage test and benchmark."""

from __future__ import annotations

import pandas as pd

from dadkhah.testing import OCR_CONFUSABLE, misread_records

RECORDS = pd.DataFrame({
    "unique_id": [1, 2, 3, 4, 5, 6, 7],
    "surname": ["صالحی", "صالحی", "ملکی", "امامی", "امامی", "عباسی", None],
    "given_names": ["حسن", "حسن", "علی", "مهدی", "مهدی", "زهرا", "جواد"],
})
TRUTH = pd.Series({1: "a", 2: "a", 3: "b", 4: "c", 5: "c", 6: "d", 7: "d"})


def _changed(a: str, b: str) -> list[tuple[str, str]]:
    return [(x, y) for x, y in zip(a, b, strict=True) if x != y]


def test_one_confusion_in_one_record_of_each_person_named_twice() -> None:
    out, picked = misread_records(RECORDS, TRUTH, 10, seed=0)
    persons = TRUTH[picked]
    # b has one record: never; a, c and d once each (امامی has no letter to confuse and
    # 7 no surname: their given names)
    assert sorted(persons) == ["a", "c", "d"]
    for rid in picked:
        row = RECORDS.unique_id == rid
        was, now = RECORDS[row].iloc[0], out[row].iloc[0]
        diffs = [(_changed(was[c], now[c]) if isinstance(was[c], str) else [])
                 for c in ("surname", "given_names")]
        flat = [d for ds in diffs for d in ds]
        assert len(flat) == 1 and OCR_CONFUSABLE[flat[0][0]] == flat[0][1]
        # the surname when it has a confusable letter, else the given names
        assert bool(diffs[0]) == (isinstance(was.surname, str)
                                  and any(ch in OCR_CONFUSABLE for ch in was.surname))
    untouched = ~RECORDS.unique_id.isin(picked)
    pd.testing.assert_frame_equal(out[untouched], RECORDS[untouched])
    assert RECORDS.surname[0] == "صالحی"  # the input is not changed


def test_at_most_n_and_the_same_for_a_seed() -> None:
    _, two = misread_records(RECORDS, TRUTH, 2, seed=5)
    assert len(two) == 2
    assert misread_records(RECORDS, TRUTH, 2, seed=5)[1] == two
    assert {tuple(misread_records(RECORDS, TRUTH, 1, seed=s)[1]) for s in range(20)} != {
        tuple(two[:1])}
