"""Features read names the way lists write them."""

from __future__ import annotations

import pandas as pd

from dadkhah.linkage.features import compute_features
from dadkhah.names import comma_order


def test_comma_order() -> None:
    assert comma_order("احمدی، علی") == ("احمدی", "علی")
    assert comma_order("AHMADI, Ali") == ("AHMADI", "Ali")
    assert comma_order("Ali Ahmadi") is None
    assert comma_order("Ahmadi,") is None


def test_surname_comma_given_in_the_given_name_column() -> None:
    """«Surname، Given» typed into the given-name column (surname cell empty) keys like the
    same name in its two columns, in either script."""
    records = pd.DataFrame({
        "unique_id": [1, 2, 3],
        "source_id": [1, 2, 3],
        "given_names": ["احمدی، علی", "Ali", "AHMADI, Ali"],
        "surname": ["", "Ahmadi", None],
    })
    f = compute_features(records).set_index("unique_id")
    assert f.loc[1, "given_key"] == f.loc[2, "given_key"] == f.loc[3, "given_key"]
    assert f.loc[1, "surname_key"] == f.loc[2, "surname_key"] == f.loc[3, "surname_key"]
    assert pd.notna(f.loc[1, "surname_key"])


def test_a_lone_surname_keys_as_a_surname() -> None:
    """A full name of one word that is a known surname («Mohammadpour», «طاهری») is read as
    the surname, the given name missing; a lone given name stays a given name."""
    records = pd.DataFrame({"unique_id": [1, 2, 3], "source_id": [1, 2, 3],
                            "full_name": ["Mohammadpour", "علی محمدپور", "Ali"]})
    f = compute_features(records).set_index("unique_id")
    assert f.loc[1, "surname_key"] == f.loc[2, "surname_key"]
    assert pd.isna(f.loc[1, "given_key"])
    assert f.loc[3, "given_key"] == f.loc[2, "given_key"] and pd.isna(f.loc[3, "surname_key"])
