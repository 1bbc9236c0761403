"""Counts, menus and a hidden source's slug (issue 16): what the dashboard, the review page
and the search page count or offer is what the viewer may see — records, persons, pairs
awaiting review, sources, prisons and cities — and a batch or search naming a source hidden
from the viewer gets the very answer a source that does not exist gets.  Checked on a
linked SYNTHETIC case against the readers that list what the viewer sees."""

from __future__ import annotations

import pytest

from dadkhah.access import NOBODY, Viewer
from dadkhah.errors import NotFound
from dadkhah.register import (
    ReviewBatch,
    count_persons,
    keeps_out,
    list_persons,
    place_ids,
    restrict,
    review_backlog,
    review_queue,
    search_persons,
    source_choices,
)
from dadkhah.users import add_user
from tests.portal.conftest import linked, linked_template  # noqa: F401

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "viewer")
EVERYTHING = Viewer(sees_all=True)
MANY = 100_000


def _counts(case, who) -> dict:
    return {"records": case.count_records(who), "persons": count_persons(case, who),
            "backlog": review_backlog(case, viewer=who),
            "sources": [s for _, s, _ in source_choices(case, who)],
            "prisons": sorted(place_ids(case, "prison_id", who)),
            "cities": sorted(place_ids(case, "city_id", who))}


def _seen(case, who) -> dict:
    """The same figures, from the readers that list what ``who`` sees."""
    persons = list_persons(case, limit=MANY, viewer=who)
    return {"records": sum(s.records for s in case.sources(who)),
            "persons": len(persons),
            "backlog": len(review_queue(case, limit=MANY, viewer=who)),
            "sources": [s.slug for s in case.sources(who)],
            "prisons": sorted({p["prison_id"] for p in persons if p["prison_id"]}),
            "cities": sorted({p["city_id"] for p in persons if p["city_id"]})}


def test_counts_and_menus_are_the_viewers(linked) -> None:  # noqa: F811
    for name in ("alice", "bob"):
        add_user(linked, name, "correct horse battery staple", role="editor", by="admin")
    everything = _counts(linked, EVERYTHING)
    assert not keeps_out(linked, BOB)
    assert _counts(linked, BOB) == everything == _seen(linked, EVERYTHING)
    src = max(linked.sources(EVERYTHING), key=lambda s: s.records)
    restrict(linked, "source", src.id, users=["alice"], by="admin", role="admin")
    assert keeps_out(linked, BOB) and keeps_out(linked, NOBODY)
    assert not keeps_out(linked, ALICE) and not keeps_out(linked, EVERYTHING)

    for who in (ALICE, EVERYTHING):
        assert _counts(linked, who) == everything
    bob = _counts(linked, BOB)
    assert bob["records"] == everything["records"] - src.records
    assert src.slug not in bob["sources"]
    assert bob["persons"] < everything["persons"]
    seen = _seen(linked, BOB)
    for k in ("records", "persons", "backlog", "sources"):
        assert bob[k] == seen[k], k
    # the menus offer every place a visible person has, and nothing hidden records alone name
    for column, menu in (("prison_id", "prisons"), ("city_id", "cities")):
        assert set(seen[menu]) <= set(bob[menu]) <= _record_places(linked, src.id, column)
    assert _counts(linked, NOBODY) == bob  # nobody in particular: the same as bob

    # every source restricted: bob has nothing to count, nothing in any menu
    for s in linked.sources(EVERYTHING):
        restrict(linked, "source", s.id, users=["alice"], by="admin", role="admin")
    assert _counts(linked, BOB) == {"records": 0, "persons": 0, "backlog": 0, "sources": [],
                                    "prisons": [], "cities": []}
    assert _counts(linked, ALICE) == everything


def _record_places(case, hidden_source: int, column: str) -> set[str]:
    """The places the records of every other source name (what bob's records may show)."""
    from sqlalchemy import select

    from dadkhah.store.tables import SourceRecord

    sr = SourceRecord.__table__
    with case.read() as conn:
        return {x for x in conn.execute(select(sr.c[column]).where(
            sr.c.source_id != hidden_source)).scalars() if x}


def test_a_hidden_sources_slug_is_answered_as_a_missing_one(linked) -> None:  # noqa: F811
    add_user(linked, "alice", "correct horse battery staple", role="editor", by="admin")
    src = max(linked.sources(EVERYTHING), key=lambda s: s.records)
    restrict(linked, "source", src.id, users=["alice"], by="admin", role="admin")
    missing = "no-such-list"

    def answer(call, ref) -> tuple[str, str | None]:
        with pytest.raises(NotFound) as exc:
            call(ref)
        text = exc.value.message.replace(repr(ref), "REF").replace(str(ref), "REF")
        return text, exc.value.hint

    calls = [lambda ref: search_persons(linked, "", source=ref, viewer=BOB),
             lambda ref: review_queue(linked, batch=ReviewBatch(source=ref), viewer=BOB),
             lambda ref: review_backlog(linked, ReviewBatch(source=ref), viewer=BOB),
             lambda ref: search_persons(linked, "", source=ref, viewer=None)]
    for call in calls:
        assert answer(call, src.slug) == answer(call, missing)
    assert answer(calls[0], str(src.id)) == answer(calls[0], str(10_000 + src.id))
    # the users it is restricted to find it as before
    assert search_persons(linked, "", source=src.slug, viewer=ALICE).total > 0
    assert review_backlog(linked, ReviewBatch(source=src.slug), viewer=ALICE) >= 0
