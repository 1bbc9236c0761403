"""What reports and exports read from the register, in one reading each.

These functions own the SQL so that readers above the register (reports, exports) do not:

* :func:`persons_frame`: the active persons as a :class:`pandas.DataFrame`;
* :func:`field_coverage`: per source, how many records fill each field and which fields
  could not be parsed;
* :func:`linkage_summary`: the latest linkage run, the review decisions in force and the
  pairs offered for review;
* :func:`iter_provenance`: every active person with the source records behind it, streamed.

Every result is a frozen dataclass (or a DataFrame); nothing here writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType, SimpleNamespace
from typing import Any

import pandas as pd
from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from dadkhah.access import Viewer
from dadkhah.register.restricted import hidden_persons_select, redact_persons
from dadkhah.store import RECORD_FIELDS, Case
from dadkhah.store.restrict import hidden_records_select
from dadkhah.store.tables import (
    Decision,
    LinkPair,
    LinkRun,
    Person,
    PersonRecord,
    Source,
    SourceRecord,
)

__all__ = [
    "FieldCoverage",
    "LinkageSummary",
    "PersonProvenance",
    "ProvenanceRecord",
    "field_coverage",
    "iter_provenance",
    "linkage_summary",
    "persons_frame",
]

PROVENANCE_BATCH = 5000
"""Rows fetched from the database at a time by :func:`iter_provenance`."""


def persons_frame(case: Case, *, viewer: Viewer | None = None) -> pd.DataFrame:
    """The active persons of the register, one row each, in id order.

    The columns are those of the persons table (``id``, ``name_fa``, ``name_latin``,
    ``father_fa``, ``father_latin``, ``sex``, ``birth_year_lo``, ``birth_year_hi``,
    ``death_earliest``, ``death_latest`` (ISO dates), ``prison_id``, ``city_id``
    (gazetteer ids), ``n_records``, ``n_sources``, ``sources`` and ``support`` (JSON text:
    the source ids naming the person, and the linkage's support), ``first_run_id``,
    ``last_run_id``, ``status``).  An empty register gives an empty frame with these columns.
    Each person as ``viewer`` may see it (:func:`dadkhah.register.redact_persons`: a person
    only restricted records name is left out, one with some is recomputed from the rest).
    """
    with case.read() as conn:
        frame = pd.read_sql(select(Person.__table__).where(Person.status == "active")
                            .order_by(Person.id), conn)
        affected = set(conn.execute(hidden_persons_select(viewer)).scalars())
        if not affected:
            return frame
        rows = frame[frame.id.isin(affected)].to_dict("records")
        shown = {int(r["id"]): r for r in redact_persons(conn, rows, viewer)}
    keep = ~frame.id.isin(affected) | frame.id.isin(list(shown))
    frame = frame[keep].reset_index(drop=True)
    for i, idx in zip(frame.id, frame.index, strict=True):
        if int(i) in shown:
            for col, value in shown[int(i)].items():
                frame.at[idx, col] = value
    return frame


@dataclass(frozen=True)
class FieldCoverage:
    """How well one source's records could be read.

    ``fields_present``: per field of :data:`dadkhah.store.RECORD_FIELDS`, the records where
    it is not blank.  ``unparsed``: per field, the records whose value normalisation could
    not parse (fields sorted by name; only fields with at least one).
    """

    source_id: int
    fields_present: Mapping[str, int]
    unparsed: Mapping[str, int]


def field_coverage(case: Case) -> dict[int, FieldCoverage]:
    """Field coverage and parse problems of every source that has records, by source id."""
    t = SourceRecord.__table__
    present = [func.sum(sql_case((func.trim(func.coalesce(t.c[f], "")) != "", 1), else_=0))
               .label(f) for f in RECORD_FIELDS]
    with case.read() as conn:
        counts = {r.source_id: r._asdict() for r in conn.execute(
            select(t.c.source_id, *present).group_by(t.c.source_id))}
        unparsed: dict[int, dict[str, int]] = {}
        for sid, problems in conn.execute(
                select(t.c.source_id, t.c.parse_problems)
                .where(t.c.parse_problems.is_not(None), t.c.parse_problems != "[]")):
            for p in json.loads(problems):
                if p.get("kind") == "unparsed":
                    d = unparsed.setdefault(sid, {})
                    d[p["field"]] = d.get(p["field"], 0) + 1
    return {
        sid: FieldCoverage(
            source_id=sid,
            fields_present=MappingProxyType({f: int(counts.get(sid, {}).get(f) or 0)
                                             for f in RECORD_FIELDS}),
            unparsed=MappingProxyType(dict(sorted(unparsed.get(sid, {}).items()))))
        for sid in sorted(counts.keys() | unparsed.keys())
    }


@dataclass(frozen=True)
class LinkageSummary:
    """The latest linkage run and the human review behind the register.

    ``decisions``: review decisions in force (not superseded), by kind.  ``pairs_offered``:
    pairs the linkage offered for review; ``pairs_undecided``: those of them (in either
    order) that no decision in force covers.
    """

    run_id: int
    started_at: str
    finished_at: str | None
    backend: str
    threshold: float
    settings: Mapping[str, Any]
    report: Mapping[str, Any]
    decisions: Mapping[str, int]
    pairs_offered: int
    pairs_undecided: int


def linkage_summary(case: Case) -> LinkageSummary | None:
    """The latest linkage run with the review around it, or None when nothing was linked."""
    with case.read() as conn:
        run = conn.execute(select(LinkRun.__table__).order_by(LinkRun.id.desc()).limit(1)).first()
        if run is None:
            return None
        decisions = dict(conn.execute(select(Decision.decision, func.count())
                                      .where(Decision.superseded_by.is_(None))
                                      .group_by(Decision.decision)).all())
        decided = {(min(a, b), max(a, b)) for a, b in conn.execute(
            select(Decision.record_l, Decision.record_r)
            .where(Decision.superseded_by.is_(None)))}
        pairs = [(min(a, b), max(a, b)) for a, b in conn.execute(
            select(LinkPair.record_l, LinkPair.record_r).where(LinkPair.review))]
    return LinkageSummary(
        run_id=run.id, started_at=run.started_at, finished_at=run.finished_at,
        backend=run.backend, threshold=float(run.threshold),
        settings=MappingProxyType(json.loads(run.settings or "{}")),
        report=MappingProxyType(json.loads(run.report or "{}")),
        decisions=MappingProxyType({k: int(v) for k, v in decisions.items()}),
        pairs_offered=len(pairs), pairs_undecided=sum(p not in decided for p in pairs))


@dataclass(frozen=True)
class ProvenanceRecord:
    """One source record behind a person: where it is and how it writes the name.

    ``source``: the source's slug; ``row_number``: 1-based data row of the imported file;
    ``name``: the full name, else given names and surname, else None.
    """

    record_id: int
    source: str
    row_number: int
    raw_sha256: str
    name: str | None


@dataclass(frozen=True)
class PersonProvenance:
    """An active person of the register (the persons table's fields) and its records."""

    person_id: int
    name_fa: str | None
    name_latin: str | None
    father_fa: str | None
    father_latin: str | None
    sex: str | None
    birth_year_lo: int | None
    birth_year_hi: int | None
    death_earliest: str | None
    death_latest: str | None
    prison_id: str | None
    city_id: str | None
    n_records: int
    n_sources: int
    records: tuple[ProvenanceRecord, ...]
    # where each display form came from (``source``, ``machine`` or ``person``) and the ids
    # of the sources that wrote a ``source`` form (dadkhah.register.name_forms)
    name_fa_origin: str | None = None
    name_latin_origin: str | None = None
    name_fa_sources: tuple[int, ...] = ()
    name_latin_sources: tuple[int, ...] = ()


def iter_provenance(case: Case, *, viewer: Viewer | None = None
                    ) -> Iterator[PersonProvenance]:
    """Every active person in id order, each with its source records in record-id order:
    only the records ``viewer`` may see, the person's data as they give it, and no person
    whose every record is hidden (:mod:`dadkhah.register.restricted`).

    Streamed: rows are fetched :data:`PROVENANCE_BATCH` at a time and each person is yielded
    as soon as its last record is read, so a register of any size fits in memory.  The read
    connection stays open until the iterator is exhausted or closed.
    """
    q = (select(Person.__table__, SourceRecord.id.label("rid"), Source.slug,
                SourceRecord.row_number, SourceRecord.raw_sha256, SourceRecord.full_name,
                SourceRecord.given_names, SourceRecord.surname)
         .join(PersonRecord, PersonRecord.person_id == Person.id)
         .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
         .join(Source, Source.id == SourceRecord.source_id)
         .where(Person.status == "active",
                SourceRecord.id.not_in(hidden_records_select(viewer)))
         .order_by(Person.id, SourceRecord.id))
    person: Any = None
    records: list[ProvenanceRecord] = []
    with case.read() as conn:
        affected = sorted(set(conn.execute(hidden_persons_select(viewer)).scalars()))
        view: dict[int, dict[str, Any]] = {}
        if affected:
            rows = conn.execute(select(Person.__table__).where(Person.id.in_(affected))).all()
            view = {int(p["id"]): p for p in redact_persons(
                conn, [dict(r._mapping) for r in rows], viewer)}
        for r in conn.execution_options(yield_per=PROVENANCE_BATCH).execute(q):
            if person is None or person.id != r.id:
                if person is not None:
                    yield _provenance(person, records)
                person, records = r, []
                if r.id in view:
                    person = SimpleNamespace(**view[r.id])
            name = r.full_name or " ".join(x for x in (r.given_names, r.surname) if x) or None
            records.append(ProvenanceRecord(r.rid, r.slug, r.row_number, r.raw_sha256, name))
    if person is not None:
        yield _provenance(person, records)


def _provenance(r: Any, records: list[ProvenanceRecord]) -> PersonProvenance:
    return PersonProvenance(
        person_id=r.id, name_fa=r.name_fa, name_latin=r.name_latin, father_fa=r.father_fa,
        father_latin=r.father_latin, sex=r.sex, birth_year_lo=r.birth_year_lo,
        birth_year_hi=r.birth_year_hi, death_earliest=r.death_earliest,
        death_latest=r.death_latest, prison_id=r.prison_id, city_id=r.city_id,
        n_records=r.n_records, n_sources=r.n_sources, records=tuple(records),
        name_fa_origin=r.name_fa_origin, name_latin_origin=r.name_latin_origin,
        name_fa_sources=tuple(json.loads(r.name_fa_sources or "[]")),
        name_latin_sources=tuple(json.loads(r.name_latin_sources or "[]")))
