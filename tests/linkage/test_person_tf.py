"""Name frequencies counted over persons, not records (``run.person_term_frequencies``)."""

import pandas as pd
import pytest

from dadkhah.linkage.run import OWN_PERSON_FLOOR, person_term_frequencies


def test_a_person_in_many_lists_counts_once_and_namesakes_count_each() -> None:
    # «Javad Rezapour» named in four lists (one person); «Ali Ahmadi» borne by two persons,
    # each named once; a record without a full name.
    feats = pd.DataFrame({
        "unique_id": [1, 2, 3, 4, 5, 6, 7],
        "tokens_key": ["jvd rzApVr"] * 4 + ["_lY _hmdY", "_lY _hmdY", None],
    })
    persons = pd.Series([1, 1, 1, 1, 5, 6, 7], index=feats.unique_id)
    tf = person_term_frequencies(feats, persons)["tokens_key"].set_index("tokens_key")
    got = tf["tf_tokens_key"].to_dict()
    # over records splink would give 4/6 and 2/6: the person named often looked commoner.
    # Over persons, the frequency is that of the *other* persons bearing the name (of 3
    # persons with a name): none but a floor for «Javad Rezapour», one for «Ali Ahmadi».
    assert got == pytest.approx({"jvd rzApVr": OWN_PERSON_FLOOR / 3, "_lY _hmdY": 1 / 3})
