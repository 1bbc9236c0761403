"""The father guard: a person has one father, so records naming two different fathers are
two persons however alike their names (namesakes of a dense case: a second blind probe at
20,000 persons merged «Jamshid Bigdeli, son of Jahangir» with «Jamshid Bigdeli, son of
Faramarz» through records without a father's name).  SYNTHETIC keys."""

import pandas as pd
import pytest

from dadkhah.linkage.cluster import cluster_records, fathers_differ
from dadkhah.names import word_key


def _recs(fathers: list[str | None]) -> pd.DataFrame:
    n = len(fathers)
    return pd.DataFrame({"unique_id": range(1, n + 1),
                         "surname_key": [word_key("بیگدلی")] * n,
                         "given1_key": [word_key("جمشید")] * n,
                         "father_key": [word_key(f) if f else None for f in fathers]})


def _edges(*triples) -> pd.DataFrame:
    return pd.DataFrame(triples, columns=["unique_id_l", "unique_id_r", "match_probability"])


def test_two_fathers_keep_namesakes_apart_even_through_a_record_without_one() -> None:
    # 2 names no father: it fits both; once it joins one, the other stays apart
    edges = _edges((1, 2, .99), (2, 3, .98), (1, 3, .95))
    res = cluster_records(_recs(["جهانگیر", None, "فرامرز"]), edges, threshold=.5)
    assert res.n_clusters == 2 and res.members()[1] == [1, 2]
    assert res.refusal_counts() == {"fathers": 2}  # 2–3 and 1–3
    off = cluster_records(_recs(["جهانگیر", None, "فرامرز"]), edges, threshold=.5,
                          father_guard=False)
    assert off.n_clusters == 1


@pytest.mark.parametrize(("a", "b"), [
    ("حسن", "حسین"),  # one letter apart: a retyping error as likely as another name
    ("محمد", "محمود"),  # one consonant skeleton
    ("علی", "علی‌اکبر"),  # the second part of a compound name dropped
    ("جهانگیر", "جهاگنیر"),  # a misspelling the dictionary does not know
    ("ایرج", "ايرج"),  # Arabic letter forms: one key
])
def test_fathers_that_may_be_one_name_do_not_separate(a: str, b: str) -> None:
    assert not fathers_differ(word_key(a), word_key(b))
    res = cluster_records(_recs([a, b]), _edges((1, 2, .99)), threshold=.5)
    assert res.n_clusters == 1


def test_latin_and_persian_fathers_compare_by_their_key() -> None:
    assert not fathers_differ(word_key("Iraj"), word_key("ایرج"))
    assert fathers_differ(word_key("Iraj"), word_key("منصور"))
