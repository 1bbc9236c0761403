"""Building the register from a linkage run: what linkage reads, and the one write.

Linkage (:func:`dadkhah.linkage.link_case`) owns the model; this module owns the tables it
feeds.  :func:`linkage_input` reads the source records and the reviewers' decisions in force
in one read; :func:`write_register` replaces persons, their records and the review pairs in
one write transaction, keeping person ids stable (:func:`assign_person_ids`), recording the
ids that disappear, and finishing the run row and its audit entry in that same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, delete, func, select, update

from dadkhah.register.corrections import apply_corrections
from dadkhah.register.name_forms import RecordName, choose_name_forms
from dadkhah.register.stable_ids import IdAssignment, IdChange, assign_person_ids
from dadkhah.store import RECORD_FIELDS, Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import (
    Decision,
    LinkPair,
    LinkRun,
    Person,
    PersonIdChange,
    PersonRecord,
    Source,
    SourceRecord,
    execute_many,
    insert_row,
    insert_rows,
    insert_sql,
)

EPOCH = date(1970, 1, 1)
"""Day zero of the day numbers in the linkage features (``death_lo``, ``death_hi``): the
features are written with it (:mod:`dadkhah.linkage.features`) and read back with it here."""


@dataclass(frozen=True)
class LinkageInput:
    """What a linkage run starts from, read at one moment.

    ``records``: one row per source record in id order, columns ``unique_id`` (the record
    id), ``source_id`` and every field of :data:`dadkhah.store.RECORD_FIELDS`.
    ``must_link`` / ``cannot_link``: record-id pairs ``(low, high)`` from the latest decision
    on each pair that no newer decision superseded (*match* / *not a match*; *unsure*
    constrains nothing)."""

    records: pd.DataFrame = field(repr=False)
    must_link: list[tuple[int, int]]
    cannot_link: list[tuple[int, int]]

    def summary(self) -> str:
        return (f"{len(self.records):,} source records; decisions in force: "
                f"{len(self.must_link):,} match, {len(self.cannot_link):,} not a match")


def linkage_input(case: Case) -> LinkageInput:
    """The source records and the decisions in force, in one read (see :class:`LinkageInput`)."""
    cols = [SourceRecord.id.label("unique_id"), SourceRecord.source_id,
            *[getattr(SourceRecord, f) for f in RECORD_FIELDS]]
    with case.read() as conn:
        records = pd.read_sql(select(*cols).order_by(SourceRecord.id), conn)
        must, cannot = _decisions_in_force(conn)
    return LinkageInput(records, must, cannot)


def _decisions_in_force(conn: Connection) -> tuple[list[tuple[int, int]],
                                                    list[tuple[int, int]]]:
    rows = conn.execute(select(Decision.record_l, Decision.record_r, Decision.decision)
                        .where(Decision.superseded_by.is_(None))
                        .order_by(Decision.id)).all()
    latest: dict[tuple[int, int], str] = {}
    for a, b, d in rows:
        latest[(min(a, b), max(a, b))] = d
    must = [p for p, d in latest.items() if d == "match"]
    cannot = [p for p, d in latest.items() if d == "no_match"]
    return must, cannot


def record_sources(case: Case) -> pd.DataFrame:
    """Every source record's place in its list: columns ``id`` (record id), ``source`` (the
    source's slug) and ``row_number`` (1-based data row of the imported file), in id order.
    For joining a truth table or another file keyed by list and row."""
    with case.read() as conn:
        return pd.read_sql(select(SourceRecord.id, Source.slug.label("source"),
                                  SourceRecord.row_number)
                           .join(Source, Source.id == SourceRecord.source_id)
                           .order_by(SourceRecord.id), conn)


@dataclass(frozen=True)
class RunRecord:
    """The linkage run as the ``link_runs`` row keeps it: backend (``duckdb`` or ``spark``),
    match-probability threshold, the trained model (splink settings, JSON-serialisable but
    for values ``str()`` can write) and the review band (low, high match probability)."""

    backend: str
    threshold: float
    model: Mapping[str, Any] = field(repr=False)
    review_band: tuple[float, float]

    def summary(self) -> str:
        lo, hi = self.review_band
        return f"{self.backend} run, threshold {self.threshold}, review band {lo}–{hi}"


@dataclass(frozen=True)
class RegisterChanges:
    """What :func:`write_register` did: the run's id, records and persons written, and the
    person ids kept, new, and gone (each :class:`IdChange` says merged into or split over
    which persons)."""

    run_id: int
    records: int
    persons: int
    kept: int
    new: tuple[int, ...]
    changes: tuple[IdChange, ...]
    review_pairs: int

    @property
    def merged(self) -> int:
        return sum(c.kind == "merged" for c in self.changes)

    @property
    def split(self) -> int:
        return sum(c.kind == "split" for c in self.changes)

    def summary(self) -> str:
        return (f"run {self.run_id}: {self.records:,} records → {self.persons:,} persons; "
                f"{self.kept:,} ids kept, {len(self.new):,} new, {self.merged:,} merged, "
                f"{self.split:,} split; {self.review_pairs:,} pairs for review")


def write_register(case: Case, run: RunRecord, records: pd.DataFrame, features: pd.DataFrame,
                   assignment: pd.Series, review: pd.DataFrame, *, by: str,
                   report: Callable[[RegisterChanges], Mapping[str, Any]],
                   below_band: pd.DataFrame | None = None) -> RegisterChanges:
    """Replace the register with a linkage run's result, all or nothing, in one transaction.

    ``records``: the run's input (:attr:`LinkageInput.records`); ``features``: the linkage
    features by ``unique_id`` (``sex``, ``death_lo``/``death_hi`` in days since 1970-01-01,
    ``birth_lo``/``birth_hi`` years, ``prison_id``, ``city_id``); ``assignment``: record id →
    cluster key; ``review``: the pairs to offer for review, most consequential first
    (``unique_id_l``, ``unique_id_r``, ``match_probability``, ``match_weight``,
    ``priority`` and a ``mw_<comparison>`` match weight per comparison); ``below_band``:
    other scored pairs (``unique_id_l``, ``unique_id_r``, ``match_probability``,
    ``match_weight``), stored with ``review`` false for the linkage draws of the estimates
    (:mod:`dadkhah.register.linkage_draws`) and never offered for review.

    Inserts the run row, gives clusters stable person ids (:func:`assign_person_ids`), marks
    persons that lost their id as merged or split (kept, so old references resolve), rewrites
    persons, person records and review pairs, then finishes the run row with ``report(…)``
    (the caller's account of the run, stored as JSON) and appends the ``link`` audit entry.
    """
    with case.write() as conn:
        return _write(conn, run, records, features, assignment, review, by, report,
                      below_band)


def _write(conn: Connection, run: RunRecord, records: pd.DataFrame, features: pd.DataFrame,
           assignment: pd.Series, review: pd.DataFrame, by: str,
           report: Callable[[RegisterChanges], Mapping[str, Any]],
           below_band: pd.DataFrame | None = None) -> RegisterChanges:
    settings = {"threshold": run.threshold, "backend": run.backend,
                "review_band": list(run.review_band)}
    run_id = insert_row(
        conn, LinkRun,
        started_at=now_utc(), actor=by, backend=run.backend, threshold=run.threshold,
        settings=json.dumps(settings), model=json.dumps(run.model, default=str),
    )

    previous: dict[int, list[int]] = {}
    for pid, rid in conn.execute(
            select(PersonRecord.person_id, PersonRecord.record_id)
            .join(Person, Person.id == PersonRecord.person_id)
            .where(Person.status == "active")):
        previous.setdefault(int(pid), []).append(int(rid))
    max_id = conn.execute(select(func.max(Person.id))).scalar() or 0
    clusters = _clusters(assignment)
    ids: IdAssignment = assign_person_ids(previous, clusters, next_id=max_id + 1)

    execute_many(conn, "UPDATE persons SET status = :kind, last_run_id = :run WHERE id = :old",
                 [{"kind": ch.kind, "run": run_id, "old": ch.old_id} for ch in ids.changes])
    execute_many(conn, insert_sql(PersonIdChange, ("run_id", "old_person_id", "kind", "into")),
                 [{"run_id": run_id, "old_person_id": ch.old_id, "kind": ch.kind,
                   "into": json.dumps(ch.into)} for ch in ids.changes])
    conn.execute(delete(PersonRecord))

    existing = {int(i) for i in conn.execute(select(Person.id)).scalars()}
    reliability = dict(conn.execute(select(Source.id, Source.reliability)).all())
    summaries = person_summaries(records, features, assignment, reliability)
    # people's name corrections win, on whichever person now holds their records
    by_person = {ids.person_of[key]: row for key, row in summaries.items()}
    record_ids = assignment.index.astype(int).tolist()
    record_persons = [ids.person_of[int(k)] for k in assignment.to_numpy().tolist()]
    apply_corrections(conn, by_person, dict(zip(record_ids, record_persons, strict=True)))
    person_rows, updates = [], []
    for key, row in summaries.items():
        pid = ids.person_of[key]
        row["last_run_id"] = run_id
        if pid in existing:
            updates.append({"pid": pid, **row})
        else:
            person_rows.append({**row, "id": pid, "first_run_id": run_id})
    if person_rows:
        execute_many(conn, insert_sql(Person, list(person_rows[0])), person_rows)
    if updates:
        cols = [c for c in updates[0] if c != "pid"]
        execute_many(conn, "UPDATE persons SET " + ", ".join(f'"{c}" = :{c}' for c in cols)
                     + " WHERE id = :pid", updates)
    insert_rows(conn, PersonRecord, ("record_id", "person_id"),
                list(zip(record_ids, record_persons, strict=True)))

    conn.execute(delete(LinkPair))
    pair_columns = ("run_id", "record_l", "record_r", "match_probability", "match_weight",
                    "priority", "gamma", "review")
    if len(review):
        mw = [c for c in review.columns if c.startswith("mw_")]
        names = [c[3:] for c in mw]
        weights = zip(*[[round(float(x), 2) for x in review[c].tolist()] for c in mw],
                      strict=True) if mw else ((),) * len(review)
        insert_rows(conn, LinkPair, pair_columns, [
            (run_id, int(a), int(b), float(p), float(w), float(pr),
             json.dumps(dict(zip(names, g, strict=True))), True)
            for a, b, p, w, pr, g in zip(
                review.unique_id_l.tolist(), review.unique_id_r.tolist(),
                review.match_probability.tolist(), review.match_weight.tolist(),
                review.priority.tolist(), weights, strict=True)])
    if below_band is not None and len(below_band):
        insert_rows(conn, LinkPair, pair_columns, [
            (run_id, int(a), int(b), float(p), float(w), 0.0, None, False)
            for a, b, p, w in zip(below_band.unique_id_l.tolist(),
                                  below_band.unique_id_r.tolist(),
                                  below_band.match_probability.tolist(),
                                  below_band.match_weight.tolist(), strict=True)])
    done = RegisterChanges(run_id=run_id, records=len(records), persons=len(clusters),
                           kept=ids.kept, new=ids.new, changes=ids.changes,
                           review_pairs=len(review))
    conn.execute(update(LinkRun).where(LinkRun.id == run_id).values(
        finished_at=now_utc(), report=json.dumps(dict(report(done)))))
    append(conn, by=by, action="link", target=f"link_run:{run_id}", details={
        "run_id": run_id, "records": done.records, "persons": done.persons,
        "kept": done.kept, "new": len(done.new), "merged": done.merged, "split": done.split,
        "changes": [[c.old_id, c.kind, list(c.into)] for c in done.changes[:1000]],
    })
    return done


def _clusters(assignment: pd.Series) -> dict[int, list[int]]:
    """Cluster key → its record ids, ascending; keys ascending (as ``groupby().groups``
    gives them, without building an index per cluster)."""
    keys = assignment.to_numpy()
    rids = assignment.index.to_numpy()
    order = np.lexsort((rids, keys))
    keys, rids = keys[order], rids[order]
    cut = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    starts = np.concatenate([[0], cut]) if len(keys) else cut
    return {int(k): [int(r) for r in part] for k, part in zip(
        keys[starts].tolist(), np.split(rids, cut), strict=True)}


def _day(n: Any) -> str | None:
    if n is None or pd.isna(n):
        return None
    return _iso_day(int(n))


@lru_cache(maxsize=100_000)
def _iso_day(n: int) -> str:
    return (EPOCH + timedelta(days=n)).isoformat()


def _group_mode(df: pd.DataFrame, col: str) -> pd.Series:
    """Most frequent non-empty value of ``col`` per cluster (ties: first in record order)."""
    sub = df[["cluster", col]].dropna()
    sub = sub[sub[col].astype(str).str.strip() != ""]
    counts = sub.groupby(["cluster", col], sort=False).size().reset_index(name="n")
    counts = counts.sort_values(["cluster", "n"], ascending=[True, False], kind="stable")
    return counts.drop_duplicates("cluster").set_index("cluster")[col]


def _interval(df: pd.DataFrame, lo: str, hi: str) -> tuple[pd.Series, pd.Series]:
    """Intersection of the members' intervals; where they do not meet, the widest span
    (sources disagree, and the register must not pretend they agree)."""
    g = df.groupby("cluster")
    a, b = g[lo].max(), g[hi].min()
    bad = a > b
    a = a.where(~bad, g[lo].min())
    b = b.where(~bad, g[hi].max())
    return a, b


_FEATURES = ["sex", "death_lo", "death_hi", "birth_lo", "birth_hi", "prison_id", "city_id"]


def person_summaries(records: pd.DataFrame, features: pd.DataFrame,
                     assignment: pd.Series, reliability: Mapping[int, str] | None = None,
                     ) -> dict[int, dict[str, Any]]:
    """Best data per cluster, as the ``persons`` row's columns: display names in both scripts
    and the father's name, each with its origin (as written by which sources, or machine
    transliteration: the rule of :mod:`dadkhah.register.name_forms`, ties broken by
    ``reliability``, source id → Admiralty grade), sex, birth years and death dates (the members'
    intervals intersected, or their widest span where they disagree; dates ISO), prison and
    city, sources, and which records support the name, death and prison.

    ``records`` and ``features`` as for :func:`write_register`; ``assignment``: record id →
    cluster key.  Returns cluster key → column values (``status`` ``active``)."""
    feats = features.set_index("unique_id")[_FEATURES]
    # a feature that is also a record field (the raw ``sex``) is kept as ``<name>_f``
    feats = feats.rename(columns={c: f"{c}_f" for c in _FEATURES if c in records.columns})
    df = records.set_index("unique_id").join(feats)
    df["cluster"] = assignment.reindex(df.index).to_numpy()
    full = df["full_name"].where(df["full_name"].fillna("").str.strip() != "")
    parts = (df["given_names"].fillna("") + " " + df["surname"].fillna("")).str.strip()
    df["name"] = full.fillna(parts).replace("", None)
    # display names and their origin: the rule of dadkhah.register.name_forms
    sex, prison, city = (_group_mode(df, "sex_f"), _group_mode(df, "prison_id"),
                         _group_mode(df, "city_id"))
    dlo, dhi = _interval(df, "death_lo", "death_hi")
    blo, bhi = _interval(df, "birth_lo", "birth_hi")
    # one pass over the records, in record order: each cluster's names, members, sources,
    # and the records that support its name, death and prison
    names_of: dict[int, list[RecordName]] = {}
    members: dict[int, list[int]] = {}
    sources_of: dict[int, set[int]] = {}
    support: dict[str, dict[int, list[int]]] = {"name": {}, "death": {}, "prison": {}}
    s_name, s_death, s_prison = support["name"], support["death"], support["prison"]
    for k, rid, src, fn, gn, sn, fa, has_name, has_death, has_prison in zip(
            df["cluster"].to_numpy().tolist(), df.index.astype(int).tolist(),
            [int(x) for x in df["source_id"].tolist()], df["full_name"].tolist(),
            df["given_names"].tolist(), df["surname"].tolist(), df["father_name"].tolist(),
            df["name"].notna().tolist(), df["death_lo"].notna().tolist(),
            df["prison_id"].notna().tolist(), strict=True):
        names_of.setdefault(k, []).append(RecordName(src, fn, gn, sn, fa))
        members.setdefault(k, []).append(rid)
        sources_of.setdefault(k, set()).add(src)
        if has_name:
            s_name.setdefault(k, []).append(rid)
        if has_death:
            s_death.setdefault(k, []).append(rid)
        if has_prison:
            s_prison.setdefault(k, []).append(rid)
    as_dict = {name: series.dropna().to_dict() for name, series in {
        "sex": sex, "prison": prison, "city": city, "dlo": dlo,
        "dhi": dhi, "blo": blo, "bhi": bhi}.items()}

    def get(name: str, k: int) -> Any:
        return as_dict[name].get(k)

    out: dict[int, dict[str, Any]] = {}
    for k, recs in members.items():
        b_lo, b_hi = get("blo", k), get("bhi", k)
        srcs = sorted(sources_of[k])
        out[int(k)] = {
            "status": "active", **choose_name_forms(names_of[k], reliability),
            "sex": get("sex", k), "birth_year_lo": None if b_lo is None else int(b_lo),
            "birth_year_hi": None if b_hi is None else int(b_hi),
            "death_earliest": _day(get("dlo", k)), "death_latest": _day(get("dhi", k)),
            "prison_id": get("prison", k), "city_id": get("city", k),
            "n_records": len(recs), "n_sources": len(srcs), "sources": json.dumps(srcs),
            "support": json.dumps({f: support[f].get(k, []) for f in support}),
        }
    return out
