"""Publication: only marked, active persons leave the store, with public fields only."""

from __future__ import annotations

import dataclasses
import json

import pytest

from dadkhah.errors import AccessDenied, NotFound
from dadkhah.names import latin_form
from dadkhah.portal import (
    MemorialEntry,
    is_public,
    memorial_entries,
    memorial_entry,
    publish,
    search_memorial,
    synthetic_person_ids,
    unpublish,
)
from tests.portal.conftest import person_with_records


def test_memorial_entry_has_public_fields_only() -> None:
    names = {f.name for f in dataclasses.fields(MemorialEntry)}
    assert names == {"person_id", "name_fa", "name_latin", "birth_year", "death", "prison",
                     "city", "sources", "synthetic", "name_fa_origin", "name_latin_origin",
                     "name_fa_written_by", "name_latin_written_by"}


def test_only_published_persons_are_shown(linked) -> None:
    p = person_with_records(linked, 2)
    with pytest.raises(NotFound):
        memorial_entry(linked, p["id"])
    assert memorial_entries(linked) == ([], 0)
    rep = publish(linked, [p["id"]], by="ed", role="editor")
    assert rep.changed == (p["id"],)
    e = memorial_entry(linked, p["id"])
    assert (e.name_fa, e.name_latin) == (p["name_fa"], p["name_latin"])
    assert e.synthetic and len(e.sources) == p["n_sources"]
    assert e.death is not None and e.death.earliest == p["death_earliest"]
    assert e.death.jalali.startswith("1367/")  # summer 1988 in the Solar Hijri calendar
    entries, total = memorial_entries(linked)
    assert total == 1 and [x.person_id for x in entries] == [p["id"]]
    assert publish(linked, [p["id"]], by="ed", role="editor").unchanged == (p["id"],)
    unpublish(linked, [p["id"]], by="ed", role="editor")
    assert not is_public(linked, p["id"])
    with pytest.raises(NotFound):
        memorial_entry(linked, p["id"])
    with linked.engine.connect() as conn:
        actions = [r[0] for r in conn.exec_driver_sql("SELECT action FROM audit_log")]
    assert actions[-2:] == ["publish", "unpublish"]
    assert linked.verify_audit().ok


def test_publish_is_all_or_nothing_and_needs_permission(linked) -> None:
    p = person_with_records(linked, 1)
    with pytest.raises(NotFound, match="99999"):
        publish(linked, [p["id"], 99999], by="ed", role="editor")
    assert not is_public(linked, p["id"])
    for role in ("reviewer", "viewer", None):
        with pytest.raises(AccessDenied):
            publish(linked, [p["id"]], by="x", role=role)


def test_search_finds_a_persian_name_typed_in_latin_and_only_public_ones(linked) -> None:
    p = person_with_records(linked, 1)
    other = next(x for x in synthetic_person_ids(linked) if x != p["id"])
    publish(linked, [p["id"]], by="ed", role="editor")
    # The Persian name as a reader might type it in Latin, spelt unlike the stored Latin
    # form, so that only the cross-script keys can find it.
    typed = (latin_form(p["name_fa"]).replace("ou", "u").replace("ss", "s")
             .replace("ei", "ey").lower())
    assert typed not in p["name_latin"].lower()
    assert p["id"] in [e.person_id for e in search_memorial(linked, typed)]
    assert p["id"] in [e.person_id for e in search_memorial(linked, p["name_fa"])]
    # An unpublished person's name finds nothing, however exactly it is typed.
    from dadkhah.register import get_person

    hidden = get_person(linked, other)
    found = [e.person_id for e in search_memorial(linked, hidden["name_latin"])]
    assert other not in found


def test_synthetic_ids_are_every_active_person_here(linked) -> None:
    with linked.engine.connect() as conn:
        active = conn.exec_driver_sql("SELECT count(*) FROM persons WHERE status='active'"
                                      ).scalar()
    assert len(synthetic_person_ids(linked)) == active


def test_merged_person_is_no_longer_public(linked) -> None:
    p = person_with_records(linked, 1)
    publish(linked, [p["id"]], by="ed", role="editor")
    with linked.engine.begin() as conn:  # what a relink does to a merged id
        conn.exec_driver_sql(f"UPDATE persons SET status='merged' WHERE id={p['id']}")
    assert not is_public(linked, p["id"])
    assert json.dumps([e.to_dict() for e in memorial_entries(linked)[0]]) == "[]"
