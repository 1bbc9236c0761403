"""A ward that only one prison had gives that prison; other wards name none."""

from __future__ import annotations

from dadkhah.names import resolve_place
from dadkhah.names.wards import ward_prison


def test_wards_of_one_prison_give_the_prison() -> None:
    assert ward_prison("بند ۲۰۹") == ward_prison("Ward 209") == "prison:evin"
    assert ward_prison("آموزشگاه ۳") == "prison:evin"
    assert ward_prison("فرعی ۲") == ward_prison("Far'i 1") == "prison:gohardasht"
    assert resolve_place("بند ۲۰۹", "prison").id == "prison:evin"
    assert resolve_place("فرعی ۲", "prison").id == "prison:gohardasht"


def test_other_wards_name_no_prison_and_say_so() -> None:
    for ward in ("بند ۴", "سالن ۱۳", "Ward 7"):
        assert ward_prison(ward) is None, ward
        m = resolve_place(ward, "prison")
        assert m.id is None and m.problem is not None and "ward" in m.problem, ward
    # a ward is no town
    assert resolve_place("بند ۲۰۹", "city").id is None


def test_a_wards_prison_gives_linkage_the_region_not_the_prison() -> None:
    import pandas as pd

    from dadkhah.linkage.features import compute_features

    # SYNTHETIC: «Kazem, ward 209» was held in Evin at some time; lists that name prisons
    # name where he was killed, which may be Gohardasht: the region is compared, not Evin
    f = compute_features(pd.DataFrame({"unique_id": [1, 2], "source_id": [1, 2],
                                       "full_name": ["کاظم", "کاظم ملکدوست"],
                                       "prison": ["بند ۲۰۹", "اوین"]})).set_index("unique_id")
    assert pd.isna(f.loc[1, "prison_id"]) and f.loc[2, "prison_id"] == "prison:evin"
    assert f.loc[1, "region_id"] == f.loc[2, "region_id"] == "prov:tehran"
