"""Provinces in force in 1988 (the default) and today's."""

from __future__ import annotations

import pytest

from dadkhah.names import load_gazetteer, province_in
from dadkhah.names.rules import read_data_csv


@pytest.mark.parametrize(("place", "y1988", "today"), [
    ("city:karaj", "prov:tehran", "prov:alborz"),
    ("city:qazvin", "prov:zanjan", "prov:qazvin"),
    ("city:mashhad", "prov:khorasan", "prov:razavi_khorasan"),
    ("city:bojnurd", "prov:khorasan", "prov:north_khorasan"),
    ("prison:evin", "prov:tehran", "prov:tehran"),
])
def test_1988_by_default_today_on_request(place: str, y1988: str, today: str) -> None:
    assert province_in(place) == y1988
    assert province_in(place, year=None) == today


def test_a_year_between_splits() -> None:
    assert province_in("city:qazvin", year=1995) == "prov:zanjan"
    assert province_in("city:qazvin", year=1996) == "prov:qazvin"
    assert province_in("city:karaj", year=2005) == "prov:tehran"
    assert province_in(None) is None and province_in("city:nowhere") is None


def test_split_records_name_gazetteer_provinces() -> None:
    g = load_gazetteer()
    for r in read_data_csv("province_splits.csv"):
        assert g[r["province"]].kind == g[r["from"]].kind == "province", r
        assert 1979 < int(r["year"]) < 2030


def test_region_1988_unchanged_for_linkage() -> None:
    g = load_gazetteer()
    assert g.region_1988("city:karaj") == "prov:tehran"
    assert g.region_1988("prov:golestan") == "prov:mazandaran"
