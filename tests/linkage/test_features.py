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
    assert f.loc[1, "surname_key"] is not None
