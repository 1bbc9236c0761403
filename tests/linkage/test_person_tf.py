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


def test_a_rare_full_name_is_valued_by_its_parts() -> None:
    """A first clustering that split «Esmail Mardbini» in two made the name look borne by
    two persons, as often as «Ali Rezaei» borne by two: its parts say it is far rarer (no
    one else bears the surname), so it weighs more, by at most RARE_NAME_MAX_BITS."""
    from dadkhah.linkage.run import RARE_NAME_MAX_BITS

    n_ali = 40  # «Ali» is common: 40 persons, among them the two «Ali Rezaei» and others
    given = ["_smYl", "_smYl"] + ["_lY"] * n_ali + ["hsn"] * 18
    surname = ["mrdbYnY", "mrdbYnY", "rzAY", "rzAY"] + [f"s{i}" for i in range(n_ali + 16)]
    feats = pd.DataFrame({"unique_id": range(1, len(given) + 1), "given_key": given,
                          "surname_key": surname})
    feats["tokens_key"] = [" ".join(sorted(p)) for p in zip(given, surname, strict=True)]
    persons = pd.Series(range(len(feats)), index=feats.unique_id)  # every record its own
    tf = person_term_frequencies(feats, persons)["tokens_key"].set_index("tokens_key")
    got = tf["tf_tokens_key"]
    rare, common = got["_smYl mrdbYnY"], got["_lY rzAY"]
    total = len(feats)
    assert common == pytest.approx(1 / total)  # one other person bears it
    # parts: Esmail 2 of 60 persons, Mardbini 2 of 60: 0.0011 < the floor's 0.5/60,
    # floored at RARE_NAME_MAX_BITS below it
    assert rare == pytest.approx(max(2 / total * 2 / total,
                                     OWN_PERSON_FLOOR / total / 2 ** RARE_NAME_MAX_BITS))
    assert rare < common / 4
