"""Reading the register: persons and the records behind them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select

from dadkhah.errors import NotFound
from dadkhah.store import RECORD_FIELDS
from dadkhah.store._schema import Person, PersonIdChange, PersonRecord, Source, SourceRecord


def _person_dict(row: Any) -> dict[str, Any]:
    d = row._asdict()
    d["sources"] = json.loads(d["sources"])
    d["support"] = json.loads(d["support"])
    return d


def list_persons(case: Any, *, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    with case.engine.connect() as conn:
        rows = conn.execute(select(Person.__table__).where(Person.status == "active")
                            .order_by(Person.id).limit(limit).offset(offset)).all()
    return [_person_dict(r) for r in rows]


def get_person(case: Any, person_id: int) -> dict[str, Any]:
    """A person, every source record behind it, and where it went if it is gone."""
    with case.engine.connect() as conn:
        row = conn.execute(select(Person.__table__).where(Person.id == person_id)).first()
        if row is None:
            raise NotFound(f"No person {person_id} in the register.",
                           hint="List persons with: dadkhah persons list")
        p = _person_dict(row)
        recs = conn.execute(select(SourceRecord.__table__)
                            .join(PersonRecord, PersonRecord.record_id == SourceRecord.id)
                            .where(PersonRecord.person_id == person_id)
                            .order_by(SourceRecord.id)).all()
        p["records"] = [{"id": r.id, "source_id": r.source_id, "row_number": r.row_number,
                         **{f: getattr(r, f) for f in RECORD_FIELDS if getattr(r, f)}}
                        for r in recs]
        p["id_changes"] = [{"kind": c.kind, "into": json.loads(c.into), "run_id": c.run_id}
                           for c in conn.execute(select(PersonIdChange.__table__)
                                                 .where(PersonIdChange.old_person_id
                                                        == person_id))]
    return p


def iter_person_records(case: Any) -> Iterator[dict[str, Any]]:
    """(person, source record) rows, person by person."""
    q = (select(PersonRecord.person_id, SourceRecord.id.label("record_id"),
                SourceRecord.source_id, Source.slug.label("source_slug"),
                SourceRecord.row_number, Person.name_fa, Person.name_latin)
         .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
         .join(Source, Source.id == SourceRecord.source_id)
         .join(Person, Person.id == PersonRecord.person_id)
         .order_by(PersonRecord.person_id, SourceRecord.id))
    with case.engine.connect() as conn:
        for r in conn.execution_options(yield_per=5000).execute(q):
            yield r._asdict()
