from __future__ import annotations

import pytest

from dadkhah.names import load_gazetteer, resolve_place
from dadkhah.names.places import KINDS, _exact, _strip_generic

G = load_gazetteer()


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Gohardasht", None, "prison:gohardasht"),
        ("Gohar Dasht prison", None, "prison:gohardasht"),
        ("Rajaei Shahr", None, "prison:gohardasht"),
        ("Rajai Shahr Prison, Karaj", None, "prison:gohardasht"),
        ("زندان رجایی‌شهر", None, "prison:gohardasht"),
        ("گوهردشت کرج", None, "prison:gohardasht"),
        ("Evin", None, "prison:evin"),
        ("Evin Prison, Tehran", None, "prison:evin"),
        ("زندان اوین", None, "prison:evin"),
        ("Qezel Hesar", None, "prison:qezel_hesar"),
        ("Ghezel Hessar", None, "prison:qezel_hesar"),
        ("قزل‌حصار", None, "prison:qezel_hesar"),
        ("Vakilabad, Mashhad", None, "prison:vakilabad"),
        ("وکیل آباد مشهد", None, "prison:vakilabad"),
        ("Adelabad Shiraz", None, "prison:adelabad"),
        ("Adel-Abad", None, "prison:adelabad"),
        ("Dizelabad", None, "prison:dizelabad"),
        ("Dizel Abad prison (Kermanshah)", None, "prison:dizelabad"),
        ("Tabriz Central Prison", None, "prison:tabriz"),
        ("Tabriz", "prison", "prison:tabriz"),
        ("Tabriz", None, "city:tabriz"),
        ("Dastgerd", None, "prison:dastgerd"),
        ("زندان دستگرد اصفهان", None, "prison:dastgerd"),
        ("Karun", None, "prison:karun"),
        ("Karoun prison, Ahwaz", None, "prison:karun"),
        ("Lakan", None, "prison:lakan"),
        ("Bakhtaran", None, "city:kermanshah"),
        ("باختران", "province", "prov:kermanshah"),
        ("Esfahan", "city", "city:isfahan"),
        ("Ispahan", None, "city:isfahan"),
        ("Meshed", None, "city:mashhad"),
        ("Ahwaz", None, "city:ahvaz"),
        ("Rezaiyeh", None, "city:urmia"),
        ("Orumiyeh", None, "city:urmia"),
        ("Teheran", None, "city:tehran"),
        ("استان فارس", None, "prov:fars"),
        ("Khorasan", None, "prov:khorasan"),
        ("Kurdestan", None, "prov:kurdistan"),
        ("Sistan-Baluchistan", None, "prov:sistan_baluchestan"),
    ],
)
def test_spellings_resolve_to_one_id(text: str, kind: str | None, expected: str) -> None:
    m = resolve_place(text, kind)
    assert m.id == expected, m


@pytest.mark.parametrize(
    ("text", "kind", "problem"),
    [
        ("Nowhere", None, "not in the gazetteer"),
        ("", None, "empty"),
        ("Tehran", "prison", "names a city"),  # two prisons in Tehran: never guessed
        ("Karaj", "prison", "names a city"),
        ("Evin, Mashhad", None, "do not contain each other"),
        ("zendan", None, "not in the gazetteer"),
    ],
)
def test_unresolved_values_are_kept_with_a_reason(text: str, kind: str | None,
                                                  problem: str) -> None:
    m = resolve_place(text, kind)
    assert m.place is None
    assert m.problem is not None and problem in m.problem


def test_gazetteer_is_consistent() -> None:
    assert len(G) >= 90
    kinds = {p.kind for p in G.places.values()}
    assert kinds == set(KINDS)
    for p in G.places.values():
        assert p.source, p.id
        assert p.id.split(":")[0] in {"prov", "city", "prison"}
        if p.parent:
            assert p.parent in G.places, p.id
        if p.kind == "prison":
            assert G.ancestor(p.id, "city") is not None
            assert G.ancestor(p.id, "province") is not None
        if p.kind == "city":
            assert G.ancestor(p.id, "province") is not None


def test_every_name_and_alias_resolves_to_its_own_place() -> None:
    """A name only one place of its kind bears resolves to it; a name several bear (two
    towns called Nurabad, Ahvaz's two prisons) stays unresolved with all of them offered."""
    bearers: dict[tuple[str, str], set[str]] = {}
    for p in G.places.values():
        for name in (p.name_en, p.name_fa, *p.aliases):
            bearers.setdefault((p.kind, _exact(_strip_generic(name)[0])), set()).add(p.id)
    for p in G.places.values():
        for name in (p.name_en, p.name_fa, *p.aliases):
            m = G.resolve(name, p.kind)
            shared = bearers[(p.kind, _exact(_strip_generic(name)[0]))]
            if len(shared) == 1:
                assert m.id == p.id, (name, m)
            else:
                assert m.id is None and p.id in m.candidates, (name, m)


def test_the_1988_prisons_are_there() -> None:
    for pid in (
        "prison:evin", "prison:gohardasht", "prison:qezel_hesar", "prison:vakilabad",
        "prison:adelabad", "prison:dizelabad", "prison:tabriz", "prison:dastgerd",
        "prison:karun",
    ):
        assert pid in G.places
    assert G.ancestor("prison:gohardasht", "city").id == "city:karaj"
    assert G.ancestor("prison:vakilabad", "province").id == "prov:razavi_khorasan"


def test_every_county_seat_is_there_with_its_1988_province() -> None:
    """The county seats of OpenStreetMap's counties (a superset of 1988's) are cities of the
    gazetteer, each in a province that existed in 1988."""
    from dadkhah.names.rules import read_data_csv

    counties = read_data_csv("sources/osm_counties.csv")
    assert len(counties) >= 450
    osm = [p for p in G.places.values() if p.kind == "city" and "OSM" in p.source]
    assert len(osm) >= 400
    provinces_1988 = {p.id for p in G.places.values() if p.kind == "province"} - {
        r["province"] for r in read_data_csv("province_splits.csv")}
    assert len(provinces_1988) == 24  # Iran had 24 provinces in 1988
    for p in osm:
        assert G.province_in(p.id) in provinces_1988, p.id
    assert G.province_in("city:gorgan") == "prov:mazandaran"
    assert G.province_in("city:tonekabon") == "prov:mazandaran"
    assert G.province_in("city:chaharbagh") == "prov:tehran"  # Alborz: Tehran in 1988


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # towns the usability review found missing, with 1988 and other spellings
        ("Shahr-e Rey", "city:rey"), ("شهرری", "city:rey"), ("Fuman", "city:fuman"),
        ("فومن", "city:fuman"), ("Tonekabon", "city:tonekabon"), ("Tonkabon", "city:tonekabon"),
        ("Shahsavar", "city:tonekabon"), ("شهسوار", "city:tonekabon"),
        ("Resht", "city:rasht"), ("Bandar Pahlavi", "city:bandar_anzali"),
        ("Gorgan", "city:gorgan"), ("Hashtpar", "city:hashtpar"), ("Talesh", "city:hashtpar"),
        # Arabic letter forms (ي ك) and a space for the zero-width non-joiner
        ("تنكابن", "city:tonekabon"), ("كرمانشاه", "city:kermanshah"),
        ("بندر انزلي", "city:bandar_anzali"),
        ("صومعه سرا", "city:sowmeeh_sara"), ("صومعه‌سرا", "city:sowmeeh_sara"),
        # provincial prisons, a prison row tells its city
        ("زندان ساری", "prison:sari"), ("Yazd Prison", "prison:yazd"),
        ("Urmia Central Prison", "prison:urmia"), ("زندان مرکزی ارومیه", "prison:urmia"),
        ("Rasht Prison", "prison:lakan"), ("زندان مشهد", "prison:vakilabad"),
        ("Zendan-e Sari", "prison:sari"), ("Heshmatiyeh", "prison:heshmatiyeh"),
        ("Lakan Rasht", "prison:lakan"), ("Komiteh Moshtarak", "prison:komiteh_moshtarak"),
        # a county the OSM export lacks, an older name, a seat named unlike its county
        ("پلدختر", "city:pol_e_dokhtar"), ("Gonbad-e Qabus", "city:gonbad"),
        ("Mahshahr", "city:bandar_e_mahshahr"), ("Khalkhal", "city:khalkhal"),
    ],
)
def test_county_seats_towns_and_provincial_prisons(text: str, expected: str) -> None:
    assert resolve_place(text).id == expected


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("Nurabad", {"city:nurabad_fars", "city:nurabad_lorestan"}),
        ("Ardakan", {"city:ardakan_fars", "city:ardakan_yazd"}),
    ],
)
def test_names_of_several_places_stay_ambiguous(text: str, candidates: set[str]) -> None:
    m = resolve_place(text)
    assert m.place is None and set(m.candidates) == candidates, m
    # and a part naming the province settles it
    if text == "Ardakan":
        assert resolve_place("Ardakan, Yazd").id == "city:ardakan_yazd"


def test_a_city_with_two_prisons_gives_no_prison() -> None:
    """Ahvaz had Karun and Sepidar: «زندان اهواز» names no prison (prison_city_names.csv
    has no row for Ahvaz); a city with one central prison gives it."""
    m = resolve_place("زندان اهواز", "prison")
    assert m.place is None and "city:ahvaz" in m.problem
    assert resolve_place("زندان رشت", "prison").id == "prison:lakan"
    assert resolve_place("Mashhad prison").id == "prison:vakilabad"
    assert resolve_place("Mashhad").id == "city:mashhad"  # without the word, the city


def test_generated_rows_match_the_extract() -> None:
    """gazetteer.csv's OSM rows are what scripts/build_gazetteer.py makes of the extract."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, str(root / "scripts" / "build_gazetteer.py"),
                          "--check"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("prison d'Evin", "prison", "prison:evin"),      # French elided article
        ("Prison d’Adelabad", None, "prison:adelabad"),
        ("Tehran (Evin)", "city", "city:tehran"),         # town column, prison in brackets
        ("Karaj (Gohardasht)", "city", "city:karaj"),
        ("Tehran (Evin)", "prison", "prison:evin"),
        ("Tehran (Evin)", None, "prison:evin"),           # no kind asked: the most specific
    ],
)
def test_a_place_asked_of_a_value_that_names_two(text: str, kind: str | None,
                                                 expected: str) -> None:
    assert resolve_place(text, kind).id == expected


def test_a_town_and_a_prison_elsewhere_stay_unresolved() -> None:
    assert "do not contain each other" in (resolve_place("Shiraz (Evin)", "city").problem or "")


@pytest.mark.parametrize("text,kind,expected", [
    # ALA-LC and Arabic-style lists without diacritics: short i and u, final -ah
    ("Tihran", "city", "city:tehran"),
    ("Kirmanshah", None, "city:kermanshah"),
    ("Bushihr", None, "city:bushehr"),
    ("Maraghah", None, "city:maragheh"),
    ("Burujird", None, "city:borujerd"),
    ("Qizil Ḥiṣār", "prison", "prison:qezel_hesar"),
    ("Dizilabad Prison", None, "prison:dizelabad"),
    ("Ivin Prison", None, "prison:evin"),
    ("prison d'Ivin", None, "prison:evin"),
    ("Evin Prison, Tihran", None, "prison:evin"),
    # French ch
    ("Racht", None, "city:rasht"),
    ("Mechhed", "city", "city:mashhad"),
    # an abbreviation
    ("Thr.", "city", "city:tehran"),
])
def test_scholarly_and_french_spellings_are_respelled(text: str, kind: str | None,
                                                      expected: str) -> None:
    m = resolve_place(text, kind)
    assert m.id == expected, m.problem


@pytest.mark.parametrize("text", ["Paris", "Mosul", "Moscow", "Karachi", "Istanbul"])
def test_respelling_does_not_turn_foreign_towns_into_iranian_ones(text: str) -> None:
    assert resolve_place(text).id is None


def test_a_respelled_prison_is_not_a_town() -> None:
    # «Ivin» read with a short first i is Evin (a prison); asked for a town it is none
    assert resolve_place("Ivin", "city").id is None
    assert resolve_place("Ivin", "prison").id == "prison:evin"
