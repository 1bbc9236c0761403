"""Reading the register: persons and the records behind them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from dadkhah.access import INTERNAL, Viewer
from dadkhah.documents import reading_states, unverified_records
from dadkhah.errors import NotFound
from dadkhah.store import RECORD_FIELDS, Case
from dadkhah.store.restrict import hidden_ids_select, hidden_records_select, hides
from dadkhah.store.tables import Person, PersonIdChange, PersonRecord, Source, SourceRecord


def _person_dict(row: Any) -> dict[str, Any]:
    d = row._asdict()
    d["sources"] = json.loads(d["sources"])
    d["support"] = json.loads(d["support"])
    # the ids of the sources that wrote each display name (register.name_forms)
    for col in ("name_fa_sources", "name_latin_sources"):
        d[col] = json.loads(d[col]) if d.get(col) else []
    return d


def count_persons(case: Case, viewer: Viewer | None = None) -> int:
    """How many persons the register holds (active ones: not merged away) that ``viewer``
    (None: nobody in particular) may see: a person only hidden records name does not count
    (one indexed query decides whether anything is hidden from the viewer at all)."""
    q = select(func.count()).select_from(Person).where(Person.status == "active")
    with case.read() as conn:
        if hides(conn, viewer):
            q = q.where(select(PersonRecord.record_id).where(
                PersonRecord.person_id == Person.id,
                PersonRecord.record_id.not_in(hidden_records_select(viewer))).exists())
        return int(conn.execute(q).scalar() or 0)


def list_persons(case: Case, *, limit: int = 50, offset: int = 0,
                 viewer: Viewer | None = None) -> list[dict[str, Any]]:
    """Active persons in id order, ``limit`` from ``offset``, as dicts of their columns, as
    ``viewer`` may see them (:func:`dadkhah.register.restricted.redact_persons`; a person
    only restricted records name is left out).  ``unverified_only`` says whether all the
    viewer knows of the person is unchecked machine readings (:func:`unverified_only_persons`)."""
    from dadkhah.register.restricted import redact_persons

    with case.read() as conn:
        rows = conn.execute(select(Person.__table__).where(Person.status == "active")
                            .order_by(Person.id).limit(limit).offset(offset)).all()
        persons = redact_persons(conn, [_person_dict(r) for r in rows], viewer)
    unchecked = unverified_only_persons(case, [p["id"] for p in persons], viewer=viewer)
    for p in persons:
        p["unverified_only"] = p["id"] in unchecked
    return persons


def get_person(case: Case, person_id: int, *, viewer: Viewer | None = None) -> dict[str, Any]:
    """A person, every source record behind it that ``viewer`` may see, and where it went
    if it is gone, and whether all the viewer knows of them is unchecked machine readings
    (``unverified_only``, :func:`unverified_only_persons`).  A person only hidden records
    name is not found, with the same message as an unknown id (a viewer does not learn that
    restricted data exists)."""
    from dadkhah.register.restricted import redact_persons

    missing = NotFound(f"No person {person_id} in the register.",
                       hint="List persons with: dadkhah persons list")
    with case.read() as conn:
        row = conn.execute(select(Person.__table__).where(Person.id == person_id)).first()
        if row is None:
            raise missing
        shown = redact_persons(conn, [_person_dict(row)], viewer)
        if not shown:
            raise missing
        p = shown[0]
        recs = conn.execute(select(SourceRecord.__table__)
                            .join(PersonRecord, PersonRecord.record_id == SourceRecord.id)
                            .where(PersonRecord.person_id == person_id,
                                   SourceRecord.id.not_in(hidden_records_select(viewer)))
                            .order_by(SourceRecord.id)).all()
        p["records"] = [{"id": r.id, "source_id": r.source_id, "row_number": r.row_number,
                         **{f: getattr(r, f) for f in RECORD_FIELDS if getattr(r, f)}}
                        for r in recs]
        p["id_changes"] = [{"kind": c.kind, "into": json.loads(c.into), "run_id": c.run_id}
                           for c in conn.execute(select(PersonIdChange.__table__)
                                                 .where(PersonIdChange.old_person_id
                                                        == person_id))]
    p["unverified_only"] = person_id in unverified_only_persons(case, [person_id], viewer=viewer)
    return p


def iter_person_records(case: Case, *, viewer: Viewer | None = None
                        ) -> Iterator[dict[str, Any]]:
    """(person, source record) rows, person by person, with the person's display names and
    where they came from (``name_*_origin``): only the records ``viewer`` may see, and the
    names as those records give them (:func:`dadkhah.register.restricted.redact_persons`)."""
    from dadkhah.register.restricted import hidden_persons_select, redact_persons

    q = (select(PersonRecord.person_id, SourceRecord.id.label("record_id"),
                SourceRecord.source_id, Source.slug.label("source_slug"),
                SourceRecord.row_number, Person.name_fa, Person.name_latin,
                Person.name_fa_origin, Person.name_latin_origin)
         .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
         .join(Source, Source.id == SourceRecord.source_id)
         .join(Person, Person.id == PersonRecord.person_id)
         .where(SourceRecord.id.not_in(hidden_records_select(viewer)))
         .order_by(PersonRecord.person_id, SourceRecord.id))
    names = ("name_fa", "name_latin", "name_fa_origin", "name_latin_origin")
    with case.read() as conn:
        affected = set(conn.execute(hidden_persons_select(viewer)).scalars())
        view: dict[int, dict[str, Any]] = {}
        if affected:
            view = {int(p["id"]): p for p in redact_persons(
                conn, [{"id": i, **dict.fromkeys(names)} for i in sorted(affected)], viewer)}
        for r in conn.execution_options(yield_per=5000).execute(q):
            d = r._asdict()
            if d["person_id"] in view:
                d.update({k: view[d["person_id"]][k] for k in names})
            yield d


def register_of(case: Case) -> pd.Series:
    """record id → person id, for every record in the register."""
    with case.read() as conn:
        reg = pd.read_sql(select(PersonRecord.record_id, PersonRecord.person_id), conn)
    return reg.set_index("record_id").person_id


def unverified_only_persons(case: Case, person_ids: Iterable[int] | None = None, *,
                            viewer: Viewer | None = None) -> set[int]:
    """The persons (of ``person_ids``, else every active one) every record of whom that
    ``viewer`` may see (None: nobody in particular) is a machine reading of a document no
    person has checked (:func:`dadkhah.documents.verify_entry`): what is known of them is
    as a machine read it.  Given ``person_ids`` (a page of a list), only their records are
    read; without, one scan of the document records first (a case with none: one query)."""
    q = (select(PersonRecord.person_id, PersonRecord.record_id)
         .join(Person, Person.id == PersonRecord.person_id).where(Person.status == "active"))
    unchecked: set[int] | None = None
    if person_ids is None:
        unchecked = set(unverified_records(case, viewer=viewer))
        if not unchecked:
            return set()
    else:
        ids = sorted({int(p) for p in person_ids})
        if not ids:
            return set()
        q = q.where(PersonRecord.person_id.in_(ids))
    with case.read() as conn:
        if hides(conn, viewer):
            q = q.where(PersonRecord.record_id.not_in(hidden_records_select(viewer)))
        rows = conn.execute(q).all()
    if unchecked is None:
        unchecked = {r for r, state in reading_states(case, [r for _, r in rows]).items()
                     if state == "unverified"}
    only: dict[int, bool] = {}
    for person, record in rows:
        only[person] = only.get(person, True) and record in unchecked
    return {p for p, yes in only.items() if yes}


STRATA = ("prison", "city", "province", "month", "sex")
"""Strata the register can be split by for estimation."""

BOUNDARIES = ("1988", "today")
"""Which provinces ``province`` strata use: those in force in 1988, the year of the events
(default; provinces created later are folded back, :func:`dadkhah.names.province_in`), or
today's."""

MISSING = "unknown"
"""The value of a stratum column for a person whose value is not known."""


def _boundary_year(boundaries: str) -> int | None:
    if boundaries not in BOUNDARIES:
        raise NotFound(f"Unknown boundaries {boundaries!r}.",
                       hint="Boundaries: " + ", ".join(BOUNDARIES))
    return None if boundaries == "today" else int(boundaries)


def person_lists(case: Case, *, by: tuple[str, ...] | list[str] = (),
                 boundaries: str = "1988", viewer: Viewer | None = None
                 ) -> tuple[pd.DataFrame, list[str]]:
    """One row per person in the register: a 0/1 column per source (its slug) saying
    whether that source names the person, and the requested stratum columns.

    Strata: ``prison``, ``city`` (gazetteer ids; the city of the person's prison when the
    records name no city), ``province`` (of the prison, else of the city, else the province
    the person's records name; in the divisions of ``boundaries``: ``1988`` by default,
    ``today`` on request), ``month`` (of the death date, when known to the month), ``sex``.
    A person with an unknown stratum value gets ``unknown`` (:data:`MISSING`); see
    :func:`impute_strata` to impute it.  Returns (frame, source slugs).

    Restricted records count only for a ``viewer`` who may see them (None: nobody, so
    estimates shown to the whole team rest on unrestricted records only): a hidden source
    has no column, and a person only hidden records name is left out.
    """
    from dadkhah.names import load_gazetteer

    bad = [b for b in by if b not in STRATA]
    if bad:
        raise NotFound(f"Unknown stratum {bad[0]!r}.", hint="Strata: " + ", ".join(STRATA))
    year = _boundary_year(boundaries)
    with case.read() as conn:
        links = pd.read_sql(select(PersonRecord.person_id, Source.slug,
                                   SourceRecord.province_id)
                            .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
                            .join(Source, Source.id == SourceRecord.source_id)
                            .where(SourceRecord.id.not_in(hidden_records_select(viewer))),
                            conn)
        persons = pd.read_sql(select(Person.id, Person.prison_id, Person.city_id, Person.sex,
                                     Person.death_earliest, Person.death_latest)
                              .where(Person.status == "active",
                                     Person.id.in_(select(PersonRecord.person_id).where(
                                         PersonRecord.record_id.not_in(
                                             hidden_records_select(viewer))))), conn)
        slugs = list(conn.execute(select(Source.slug).where(
            Source.id.not_in(hidden_ids_select("source", viewer))).order_by(Source.id)).scalars())
    if persons.empty:
        raise NotFound("The register is empty.", hint="Run dadkhah link first.")
    wide = (links.assign(on=1).pivot_table(index="person_id", columns="slug", values="on",
                                           aggfunc="max", fill_value=0))
    wide = wide.reindex(columns=slugs, fill_value=0).astype(int)
    frame = persons.set_index("id").join(wide, how="left").fillna({s: 0 for s in slugs})
    gaz = load_gazetteer()

    def city(row: Any) -> str:
        if isinstance(row.city_id, str):
            return str(row.city_id)
        if isinstance(row.prison_id, str):
            anc = gaz.ancestor(row.prison_id, "city")
            if anc is not None:
                return anc.id
        return MISSING

    if "province" in by:
        # the province a person's own records name, when prison and city say nothing
        named = links.dropna(subset=["province_id"])
        record_province = (named.groupby("person_id").province_id
                           .agg(lambda v: v.value_counts().index[0]))
        frame["record_province"] = record_province.reindex(frame.index)

        def province(row: Any) -> str:
            for place in (row.prison_id, row.city_id, row.record_province):
                if isinstance(place, str):
                    prov = gaz.province_in(place, year)
                    if prov is not None:
                        return prov
            return MISSING

        frame["province"] = [province(r) for r in frame.itertuples()]
    if "prison" in by:
        frame["prison"] = frame.prison_id.fillna(MISSING)
    if "city" in by:
        frame["city"] = [city(r) for r in frame.itertuples()]
    if "sex" in by:
        frame["sex"] = frame.sex.fillna(MISSING)
    if "month" in by:
        same = frame.death_earliest.str[:7] == frame.death_latest.str[:7]
        frame["month"] = frame.death_earliest.str[:7].where(same, MISSING).fillna(MISSING)
    return frame[[*slugs, *by]].reset_index(drop=True), slugs


def register_histories(case: Case, *, by: tuple[str, ...] | list[str] = (),
                       boundaries: str = "1988", viewer: Viewer | None = None) -> Any:
    """Capture histories of the register (for :mod:`dadkhah.estimate`), marked synthetic when
    every source is synthetic.  Sources that name nobody are left out.  Persons with a
    missing stratum value form an ``unknown`` stratum (:func:`imputed_histories` imputes
    them instead).  Restricted records count only for a ``viewer`` who may see them
    (:func:`person_lists`)."""
    from dadkhah.estimate import CaptureHistories

    frame, slugs = person_lists(case, by=by, boundaries=boundaries, viewer=viewer)
    used = [s for s in slugs if frame[s].sum() > 0]
    synthetic = all(s.synthetic for s in case.sources(INTERNAL) if s.slug in used)
    return CaptureHistories.from_persons(frame, lists=used, by=list(by), synthetic=synthetic)
