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


def test_lists_that_write_names_differently_key_alike() -> None:
    """A surname written first with a title between («خلیلی سید محمد»), a lone surname in
    the given-name column, swapped columns, and a surname ending written in another
    romanisation («Navidnajhad») key like the plain form."""
    records = pd.DataFrame({
        "unique_id": [1, 2, 3, 4, 5, 6],
        "source_id": [1, 2, 3, 4, 5, 6],
        "full_name": ["محمد خلیلی", "خلیلی سید محمد", None, None, "Javad Navidnajhad", None],
        "given_names": [None, None, "Naqavipour", "نویدنژاد", None, "Mohammad"],
        "surname": [None, None, "", "جواد", None, "Naqavipour"],
    })
    f = compute_features(records).set_index("unique_id")
    assert f.loc[1, "given_key"] == f.loc[2, "given_key"]
    assert f.loc[1, "surname_key"] == f.loc[2, "surname_key"]
    assert pd.isna(f.loc[3, "given_key"]) and f.loc[3, "surname_key"] == f.loc[6, "surname_key"]
    assert (f.loc[4, "given_key"], f.loc[4, "surname_key"]) == \
        (f.loc[5, "given_key"], f.loc[5, "surname_key"])


def test_given_names_only_leave_the_surname_missing() -> None:
    """A memoir's «رضا محمد» is two given names, not Reza of the Mohammad family: the
    surname is missing, and the given name keys like «Reza Mohammad Soltani»'s."""
    records = pd.DataFrame({"unique_id": [1, 2], "source_id": [1, 2],
                            "full_name": ["رضا محمد", "Reza Mohammad Soltani"]})
    f = compute_features(records).set_index("unique_id")
    assert pd.isna(f.loc[1, "surname_key"])
    assert f.loc[1, "given_key"] == f.loc[2, "given_key"]


def test_an_age_in_the_birth_column_keeps_both_readings() -> None:
    """«25» in the birth column is an age or the Solar Hijri year 1325: the birth interval
    holds both (born about 1963, or 1946), so neither reading is contradicted."""
    records = pd.DataFrame({"unique_id": [1, 2, 3], "source_id": [1, 2, 3],
                            "full_name": ["Ali Ahmadi"] * 3,
                            "birth_date": ["۲۵", "1340", None],
                            "death_date": ["1988-08-01"] * 3, "age": [None, None, "25"]})
    f = compute_features(records).set_index("unique_id")
    assert f.loc[1, "birth_lo"] <= 1946 and f.loc[1, "birth_hi"] >= 1963
    assert f.loc[2, "birth_hi"] - f.loc[2, "birth_lo"] <= 1  # a real year stays precise
    assert f.loc[1, "birth_lo"] <= f.loc[3, "birth_lo"] <= f.loc[1, "birth_hi"]


def test_text_key_is_independent_of_how_the_name_was_split() -> None:
    """A surname prefix between the words («حاج») read as the mark of «surname first» puts
    the given name in the surname: ``text_key`` keeps the name as written, in reading order,
    so it agrees with the same name in two columns, in «Surname، Given» order, or in Latin;
    a name without surname has none."""
    records = pd.DataFrame({
        "unique_id": [1, 2, 3, 4, 5],
        "source_id": [1, 2, 3, 4, 5],
        "full_name": [None, "علي حاج عظيمي پور", "حاج‌عظیمی‌پور، علی", None, "علی"],
        "given_names": ["علی", None, None, "Ali", None],
        "surname": ["حاج‌عظیمی‌پور", None, None, "Haj Azimipour", None],
    })
    f = compute_features(records).set_index("unique_id")
    assert pd.notna(f.loc[1, "text_key"])
    assert f.loc[1, "text_key"] == f.loc[2, "text_key"] == f.loc[3, "text_key"] \
        == f.loc[4, "text_key"]
    assert pd.isna(f.loc[5, "text_key"])


def test_a_title_alone_where_the_given_name_goes_is_no_given_name() -> None:
    from dadkhah.linkage.features import _name_parts

    lone = _name_parts(None, "Seyed", "Ahmadi", None)
    assert lone[0] is None and lone[3] is None  # given_key, given1_key
    assert lone[1] == _name_parts(None, "Ali", "Ahmadi", None)[1]


def test_titles_and_their_article_leave_the_given_name_and_its_initial() -> None:
    from dadkhah.linkage.features import _name_parts

    plain = _name_parts(None, "Mohammad", "Ahmadi", None)
    for given in ("Al-Hajj Mohammad", "Haj Mohammad", "حاج محمد"):
        got = _name_parts(None, given, "Ahmadi", None)
        assert got[0] == plain[0], given  # given_key
        assert got[4] == "m", given  # initial: not the title's «h»


def test_saeed_where_the_given_name_goes_is_a_given_name() -> None:
    """«Saeed»/«سعید» share the cross-script key of «Seyed» but are given names: the
    features keep them (names.lone_titles, the import's rule too)."""
    from dadkhah.linkage.features import _name_parts

    for given in ("Saeed", "سعید", "Saeedeh"):
        got = _name_parts(None, given, "Ahmadi", None)
        assert got[0] and got[3] and got[4] == "s", given  # given_key, given1_key, initial
    assert _name_parts("Saeed Ahmadi", None, None, None)[0]


def test_a_date_outside_the_cases_years_is_read_as_unknown() -> None:
    """«شهریور ۱۳۹۷» (2018, one digit mistyped for ۱۳۶۷) and a birth in 1844 are kept as
    written but do not tell the record from its person (session 19, second blind probe)."""
    recs = pd.DataFrame({"unique_id": [1, 2, 3, 4], "source_id": [1, 1, 1, 1],
                         "full_name": ["علی رضایی"] * 4,
                         "death_date": ["شهریور ۱۳۹۷", "شهریور ۱۳۶۷", None, None],
                         "birth_date": [None, None, "1844", "1344"]})
    f = compute_features(recs).set_index("unique_id")
    assert pd.isna(f.loc[1, "death_lo"]) and pd.isna(f.loc[1, "death_hi"])
    assert not pd.isna(f.loc[2, "death_lo"])
    assert pd.isna(f.loc[3, "birth_lo"]) and f.loc[4, "birth_lo"] == 1965
