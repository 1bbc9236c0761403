"""Actors, roles, events, figures, allegations, burial sites: attribution and bad input."""

from __future__ import annotations

import pytest

from dadkhah import casefile as cf
from dadkhah.errors import AccessDenied, InvalidInput, NotFound, StoreError
from dadkhah.ingest import import_file
from dadkhah.store import Case


@pytest.fixture
def filled(cf_case: Case) -> Case:
    cf.add_actor(cf_case, slug="a1", kind="person", name_en="Ali Mohammadi (SYNTHETIC)",
                 name_fa="علی محمدی", aliases=["Ali Mohamadi"], by="t")
    cf.add_event(cf_case, slug="e1", event_type="mass execution", title="Executions (SYNTHETIC)",
                 date="۲۸ تیر ۱۳۶۷", place="Gohardasht", sources=["ngo:2"], by="t")
    return cf_case


def test_names_dates_and_places_are_read(filled: Case) -> None:
    e = cf.get_event(filled, "e1")
    assert (e.date_earliest, e.date_latest, e.date_precision) == ("1988-07-19", "1988-07-19",
                                                                   "day")
    assert e.place_id == "prison:gohardasht" and e.place_text == "Gohardasht"
    # Found by a name in the other script and by a romanisation variant.
    assert cf.get_actor(filled, "علی محمدی").slug == "a1"
    assert [a.slug for a in cf.list_actors(filled, "Ali Mohamadi")] == ["a1"]
    r = cf.add_role(filled, holder="a1", position="Prison official (SYNTHETIC)",
                    start="مرداد ۱۳۶۷", end="1989", sources=["ngo:3"], by="t")
    assert (r.start_earliest, r.start_latest) == ("1988-07-23", "1988-08-22")
    assert (r.end_earliest, r.end_latest) == ("1989-01-01", "1989-12-31")
    assert r.sources[0].credibility == "3" and r.sources[0].reliability == "B"


def test_allegations_are_attributed_and_need_a_source(filled: Case) -> None:
    with pytest.raises(StoreError, match="at least one source"):
        cf.add_allegation(filled, accused="a1", event="e1", mode="ordered", text="x", by="t")
    a = cf.add_allegation(filled, accused="a1", event="e1", mode="was present",
                          text="he was present at the hearings", sources=["ngo:2", "court:1"],
                          by="t")
    assert a.mode == "was_present" and a.status == "alleged"
    assert a.attributed() == ("According to An NGO report (SYNTHETIC) and A court judgment "
                              "(SYNTHETIC): he was present at the hearings")
    assert [c.label() for c in a.sources] == ["An NGO report (SYNTHETIC) [B2]",
                                              "A court judgment (SYNTHETIC) [A1]"]


def test_court_status_needs_a_court_source(filled: Case) -> None:
    with pytest.raises(StoreError, match="court judgment"):
        cf.add_allegation(filled, accused="a1", event="e1", mode="carried_out",
                          status="established_by_court", text="x", sources=["ngo:1"],
                          by="t")
    assert cf.list_allegations(filled) == []
    a = cf.add_allegation(filled, accused="a1", event="e1", mode="carried_out", text="x",
                          sources=["ngo:2"], by="t")
    with pytest.raises(StoreError, match="court judgment"):
        cf.set_allegation_status(filled, a.id, "established_by_court", by="t")
    assert cf.list_allegations(filled)[0].status == "alleged"
    done = cf.set_allegation_status(filled, a.id, "established by court",
                                    sources=["court:1"], by="t")
    assert done.status == "established_by_court"
    assert filled.verify_audit().ok


def test_conflicting_figures_stay_side_by_side(filled: Case) -> None:
    cf.add_figure(filled, "e1", quantity="killed", figure_type="estimate",
                  value_text="about 100", low=90, high=110, sources=["ngo:3"], by="t")
    cf.add_figure(filled, "e1", quantity="killed", figure_type="court_finding",
                  value_text="12", low=12, high=12, sources=["court:1"], by="t")
    figs = cf.list_figures(filled, "e1")
    assert [(f.value_text, f.sources[0].source) for f in figs] == [("about 100", "ngo"),
                                                                   ("12", "court")]
    with pytest.raises(StoreError, match="needs the source"):
        cf.add_figure(filled, "e1", quantity="killed", figure_type="claim", value_text="9",
                      by="t")
    with pytest.raises(StoreError, match="ends before it starts"):
        cf.add_figure(filled, "e1", quantity="killed", figure_type="claim", value_text="9",
                      low=9, high=1, sources=["ngo"], by="t")
    assert len(cf.list_figures(filled)) == 2


BAD_EVENTS = [
    ({"date": "the day after"}, "Cannot read the event date"),
    ({"event_type": "picnic"}, "Unknown event type"),
    ({"place": "Atlantis"}, "not in the gazetteer"),
    ({"slug": "Bad Slug"}, "not usable"),
    ({"sources": ["ngo:9"]}, "not on the 1-6 scale"),
    ({"sources": ["nobody"]}, "No source 'nobody'"),
    ({"part_of": "missing"}, "No event 'missing'"),
]


def test_bad_input_is_refused_and_nothing_written(filled: Case) -> None:
    for kwargs, match in BAD_EVENTS:  # one case for all: each refusal must leave it as it was
        args = {"slug": "e2", "event_type": "decree", "title": "t", "by": "t"} | kwargs
        with pytest.raises(StoreError, match=match) as exc:
            cf.add_event(filled, **args)
        assert exc.value.hint
        assert [e.slug for e in cf.list_events(filled)] == ["e1"]
    assert filled.verify_audit().ok


def test_writes_need_write_permission(filled: Case) -> None:
    with pytest.raises(AccessDenied):
        cf.add_actor(filled, slug="a2", kind="person", name_en="X", by="v", role="viewer")
    with pytest.raises(AccessDenied):
        cf.add_allegation(filled, accused="a1", event="e1", mode="ordered", text="x",
                          sources=["ngo"], by="v", role="reviewer")
    assert [a.slug for a in cf.list_actors(filled)] == ["a1"]


def test_burial_sites_and_victims(filled: Case) -> None:
    b = cf.add_burial_site(filled, slug="site-1", name_en="Site (SYNTHETIC)", name_fa="گورستان",
                           place="city:tehran",
                           geometry='{"type": "Point", "coordinates": [51.6, 35.6]}',
                           sources=["ngo:2"], by="t")
    assert b.geometry == {"coordinates": [51.6, 35.6], "type": "Point"}
    with pytest.raises(StoreError, match="off the globe"):
        cf.add_burial_site(filled, slug="site-2", name_en="x", by="t",
                           geometry={"type": "Point", "coordinates": [35.6, 151.6]})
    with pytest.raises(StoreError, match="GeoJSON"):
        cf.add_burial_site(filled, slug="site-3", name_en="x", by="t",
                           geometry={"type": "Circle", "coordinates": [1, 2]})
    cf.add_event(filled, slug="burial-1", event_type="burial", title="Burial (SYNTHETIC)",
                 burial_site="site-1", part_of="e1", by="t")
    assert cf.get_burial_site(filled, "site-1").events == ("burial-1",)
    with pytest.raises(NotFound, match="person 7"):
        cf.link_victim(filled, "e1", person_id=7, by="t")
    with pytest.raises(StoreError, match="either a person"):
        cf.link_victim(filled, "e1", by="t")


def test_source_citation_details(filled: Case) -> None:
    d = cf.cite_source(filled, "ngo", accessed_at="6 Azar 1405", archive_url="https://web."
                       "archive.org/x", archive_sha256="A" * 64, by="t")
    assert d["accessed_at"] == "2026-11-27" and d["archive_sha256"] == "a" * 64
    with pytest.raises(StoreError, match="not a SHA-256"):
        cf.cite_source(filled, "ngo", archive_sha256="abc", by="t")
    with pytest.raises(StoreError, match="not one day"):
        cf.cite_source(filled, "ngo", accessed_at="1988", by="t")


def test_victims_from_the_register_travel_only_with_their_records(filled: Case,
                                                                 tmp_path) -> None:
    from tests.conftest import write_csv

    path = write_csv(tmp_path / "l.csv", [["نام", "نام خانوادگی"], ["رضا", "ساختگی"]])
    import_file(filled, path, source="ngo", by="t")
    rec = filled.records()[0]
    e = cf.link_victim(filled, "e1", record_id=rec.id, notes="SYNTHETIC", by="t")
    assert [(v["record_id"], v["person_id"]) for v in e.victims] == [(rec.id, None)]
    cf.export_casefile(filled, tmp_path / "x", by="t", role="admin")
    with Case.create(str(tmp_path / "empty"), by="t") as empty:
        with pytest.raises(StoreError, match="victim record .* is not in this case") as exc:
            cf.import_casefile(empty, tmp_path / "x", by="t")
        assert "lists first" in exc.value.hint
        assert cf.list_events(empty) == []


def test_bad_input_is_invalid_input_and_a_refusal_is_not(filled: Case) -> None:
    # InvalidInput is a StoreError (callers catching StoreError keep working) and answers 400.
    with pytest.raises(InvalidInput, match="not JSON") as exc:
        cf.add_burial_site(filled, slug="site-9", name_en="x", by="t", geometry="{oops")
    assert isinstance(exc.value, StoreError) and exc.value.http_status == 400
    with pytest.raises(InvalidInput, match="not usable"):
        cf.add_actor(filled, slug="Not A Slug", kind="person", name_en="x", by="t")
    # A duplicate id is refused by the store, not bad input.
    with pytest.raises(StoreError, match="already exists") as dup:
        cf.add_actor(filled, slug="a1", kind="person", name_en="x", by="t")
    assert not isinstance(dup.value, InvalidInput)
