from __future__ import annotations

import pytest

from dadkhah.names import load_gazetteer, resolve_place
from dadkhah.names.places import KINDS

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
    for p in G.places.values():
        for name in (p.name_en, p.name_fa, *p.aliases):
            m = G.resolve(name, p.kind)
            assert m.id == p.id, (name, m)


def test_the_1988_prisons_are_there() -> None:
    for pid in (
        "prison:evin", "prison:gohardasht", "prison:qezel_hesar", "prison:vakilabad",
        "prison:adelabad", "prison:dizelabad", "prison:tabriz", "prison:dastgerd",
        "prison:karun",
    ):
        assert pid in G.places
    assert G.ancestor("prison:gohardasht", "city").id == "city:karaj"
    assert G.ancestor("prison:vakilabad", "province").id == "prov:razavi_khorasan"
