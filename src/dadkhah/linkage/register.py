"""Linkage on a case: build the register of persons from the source records.

``link_case`` reads every source record, links them (:func:`dadkhah.linkage.run.link_features`)
under the human decisions stored in the case, and rewrites the register in one transaction:
persons keep their ids when their membership mostly persists; ids that disappear are recorded
as merged or split; the uncertain pairs are kept for review.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select, update

from dadkhah.errors import LinkageError
from dadkhah.linkage.features import EPOCH, compute_features
from dadkhah.linkage.run import LinkResult, link_features
from dadkhah.linkage.stable_ids import IdAssignment, assign_person_ids
from dadkhah.names import detect_script, latin_form, normalize_persian
from dadkhah.store import RECORD_FIELDS
from dadkhah.store._audit import append, now_utc
from dadkhah.store._schema import (
    Decision,
    LinkPair,
    LinkRun,
    Person,
    PersonIdChange,
    PersonRecord,
    SourceRecord,
)

REVIEW_BAND = (0.2, 0.98)
"""Scored pairs with a match probability in this band are offered for review."""


@dataclass(frozen=True)
class LinkReport:
    """What a linkage run did to the register."""

    run_id: int
    records: int
    persons: int
    kept_ids: int
    new_persons: int
    merged_ids: int
    split_ids: int
    threshold: float
    prior: float
    scored_pairs: int
    review_pairs: int
    must_links: int
    cannot_links: int
    conflicts: list[str] = field(default_factory=list)
    refusals: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        lines = [
            f"Linkage run {self.run_id}: {self.records:,} source records → "
            f"{self.persons:,} persons (documented persons, not an estimate of the total)",
            f"  ids: {self.kept_ids:,} kept, {self.new_persons:,} new, {self.merged_ids:,} "
            f"merged into another person, {self.split_ids:,} split",
            f"  threshold {self.threshold}; prior {self.prior:.3g}; {self.scored_pairs:,} "
            f"scored pairs; {self.review_pairs:,} await review",
            f"  decisions applied: {self.must_links:,} match, {self.cannot_links:,} not a match",
        ]
        if self.refusals:
            lines.append("  merges refused: " + ", ".join(f"{k} {v:,}"
                                                          for k, v in self.refusals.items()))
        lines += [f"  CONFLICT: {c}" for c in self.conflicts]
        lines += [f"  note: {n}" for n in self.notes]
        lines.append("  time: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.timings.items()))
        return "\n".join(lines)


def load_records(conn: Any) -> pd.DataFrame:
    cols = [SourceRecord.id.label("unique_id"), SourceRecord.source_id,
            *[getattr(SourceRecord, f) for f in RECORD_FIELDS]]
    return pd.read_sql(select(*cols).order_by(SourceRecord.id), conn)


def current_decisions(conn: Any) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(must-link, cannot-link) pairs from the latest decision on each pair."""
    rows = conn.execute(select(Decision.record_l, Decision.record_r, Decision.decision)
                        .where(Decision.superseded_by.is_(None))
                        .order_by(Decision.id)).all()
    latest: dict[tuple[int, int], str] = {}
    for a, b, d in rows:
        latest[(min(a, b), max(a, b))] = d
    must = [p for p, d in latest.items() if d == "match"]
    cannot = [p for p, d in latest.items() if d == "no_match"]
    return must, cannot


def link_case(case: Any, *, threshold: float = 0.9, backend: str = "duckdb",
              actor: str = "unknown", progress: Callable[[str], None] | None = None,
              spark: Any = None) -> LinkReport:
    """Link every source record of ``case`` into persons and rewrite the register."""
    say = progress or (lambda _m: None)
    with case.engine.connect() as conn:
        records = load_records(conn)
        must, cannot = current_decisions(conn)
    if len(records) < 2:
        raise LinkageError(f"The case has {len(records)} source record(s); nothing to link.",
                           hint="Import source lists first (dadkhah import).")
    say(f"features for {len(records):,} records")
    import time

    t0 = time.perf_counter()
    features = compute_features(records)
    t_feat = time.perf_counter() - t0
    res = link_features(features, threshold=threshold, must_link=must, cannot_link=cannot,
                        backend=backend, progress=say, spark=spark)
    say("writing the register")
    t1 = time.perf_counter()
    with case.engine.begin() as conn:
        report = _write_register(conn, records, res, must, cannot, actor)
    timings = {"features": t_feat, **res.timings, "write": time.perf_counter() - t1}
    return LinkReport(**{**report.to_dict(), "timings": timings})


def _write_register(conn: Any, records: pd.DataFrame, res: LinkResult,
                    must: list, cannot: list, actor: str) -> LinkReport:
    settings = {"threshold": res.threshold, "backend": res.backend,
                "review_band": list(REVIEW_BAND)}
    run_id = conn.execute(LinkRun.__table__.insert().values(
        started_at=now_utc(), actor=actor, backend=res.backend, threshold=res.threshold,
        settings=json.dumps(settings), model=json.dumps(res.model, default=str),
    )).inserted_primary_key[0]

    previous: dict[int, list[int]] = {}
    for pid, rid in conn.execute(
            select(PersonRecord.person_id, PersonRecord.record_id)
            .join(Person, Person.id == PersonRecord.person_id)
            .where(Person.status == "active")):
        previous.setdefault(int(pid), []).append(int(rid))
    max_id = conn.execute(select(func.max(Person.id))).scalar() or 0
    clusters = res.clusters.members()
    ids: IdAssignment = assign_person_ids(previous, clusters, next_id=max_id + 1)

    # Persons that lost their id stay in the table, marked, so old references resolve.
    for ch in ids.changes:
        conn.execute(update(Person).where(Person.id == ch.old_id)
                     .values(status=ch.kind, last_run_id=run_id))
        conn.execute(PersonIdChange.__table__.insert().values(
            run_id=run_id, old_person_id=ch.old_id, kind=ch.kind, into=json.dumps(ch.into)))
    conn.execute(delete(PersonRecord))

    feats = res.features.set_index("unique_id")
    recs = records.set_index("unique_id")
    existing = {int(i) for i in conn.execute(select(Person.id)).scalars()}
    person_rows, link_rows = [], []
    for key, members in clusters.items():
        pid = ids.person_of[key]
        row = _person_row(pid, members, recs, feats)
        row["last_run_id"] = run_id
        if pid in existing:
            conn.execute(update(Person).where(Person.id == pid).values(**row))
        else:
            person_rows.append({**row, "id": pid, "first_run_id": run_id})
        link_rows.extend({"record_id": r, "person_id": pid} for r in members)
    if person_rows:
        conn.execute(Person.__table__.insert(), person_rows)
    conn.execute(PersonRecord.__table__.insert(), link_rows)

    review = _review_pairs(res)
    conn.execute(delete(LinkPair))
    if len(review):
        conn.execute(LinkPair.__table__.insert(), [
            {"run_id": run_id, "record_l": int(r.unique_id_l), "record_r": int(r.unique_id_r),
             "match_probability": float(r.match_probability),
             "match_weight": float(r.match_weight), "priority": float(r.priority),
             "gamma": json.dumps({c[6:]: int(getattr(r, c)) for c in review.columns
                                  if c.startswith("gamma_")})}
            for r in review.itertuples(index=False)])
    merged = sum(c.kind == "merged" for c in ids.changes)
    split = sum(c.kind == "split" for c in ids.changes)
    report = LinkReport(
        run_id=run_id, records=len(records), persons=len(clusters), kept_ids=ids.kept,
        new_persons=len(ids.new), merged_ids=merged, split_ids=split,
        threshold=res.threshold, prior=res.prior, scored_pairs=len(res.pairs),
        review_pairs=len(review), must_links=len(must), cannot_links=len(cannot),
        conflicts=[c.describe() for c in res.clusters.conflicts],
        refusals=res.clusters.refusal_counts(), notes=list(res.notes),
    )
    conn.execute(update(LinkRun).where(LinkRun.id == run_id).values(
        finished_at=now_utc(), report=json.dumps(report.to_dict())))
    append(conn, actor=actor, action="link", target=f"link_run:{run_id}", details={
        "run_id": run_id, "records": len(records), "persons": len(clusters),
        "kept": ids.kept, "new": len(ids.new), "merged": merged, "split": split,
        "changes": [[c.old_id, c.kind, list(c.into)] for c in ids.changes[:1000]],
    })
    return report


def _review_pairs(res: LinkResult) -> pd.DataFrame:
    """Pairs in the review band, ordered by how much a decision would change the register:
    uncertainty times the number of records whose person a decision would change."""
    lo, hi = REVIEW_BAND
    p = res.pairs
    band = p[(p.match_probability >= lo) & (p.match_probability <= hi)].copy()
    if band.empty:
        band["priority"] = []
        return band
    assign = res.clusters.assignment
    size = assign.map(assign.value_counts())
    cl, cr = assign.reindex(band.unique_id_l).to_numpy(), assign.reindex(band.unique_id_r).to_numpy()
    sl, sr = size.reindex(band.unique_id_l).to_numpy(), size.reindex(band.unique_id_r).to_numpy()
    impact = pd.Series(sl + sr, index=band.index).where(cl != cr, sl)
    band["priority"] = (1 - (2 * band.match_probability - 1).abs()) * impact
    return band.sort_values("priority", ascending=False)


def _mode(values: list) -> Any:
    vals = [v for v in values if v is not None and v == v and str(v).strip()]
    return Counter(vals).most_common(1)[0][0] if vals else None


def _day(n: Any) -> str | None:
    if n is None or pd.isna(n):
        return None
    return (EPOCH + timedelta(days=int(n))).isoformat()


def _person_row(pid: int, members: list[int], recs: pd.DataFrame,
                feats: pd.DataFrame) -> dict[str, Any]:
    r = recs.loc[members]
    f = feats.loc[members]
    names = [(fn if isinstance(fn, str) and fn.strip() else
              " ".join(x for x in (g, s) if isinstance(x, str) and x.strip()))
             for fn, g, s in zip(r.full_name, r.given_names, r.surname, strict=True)]
    fa = [n for n in names if n and detect_script(n) == "persian"]
    la = [n for n in names if n and detect_script(n) == "latin"]
    name_fa = _mode([normalize_persian(n) for n in fa])
    name_latin = _mode(la) or (latin_form(name_fa) if name_fa else None)
    fathers = [x for x in r.father_name if isinstance(x, str) and x.strip()]
    father_fa = _mode([normalize_persian(x) for x in fathers if detect_script(x) == "persian"])
    father_latin = _mode([x for x in fathers if detect_script(x) == "latin"]) or \
        (latin_form(father_fa) if father_fa else None)
    dlo, dhi = f.death_lo.dropna(), f.death_hi.dropna()
    death_lo = int(dlo.max()) if len(dlo) else None
    death_hi = int(dhi.min()) if len(dhi) else None
    if death_lo is not None and death_hi is not None and death_lo > death_hi:
        death_lo, death_hi = int(dlo.min()), int(dhi.max())  # sources disagree: widest
    blo, bhi = f.birth_lo.dropna(), f.birth_hi.dropna()
    birth_lo = int(blo.max()) if len(blo) else None
    birth_hi = int(bhi.min()) if len(bhi) else None
    if birth_lo is not None and birth_hi is not None and birth_lo > birth_hi:
        birth_lo, birth_hi = int(blo.min()), int(bhi.max())
    ids = [int(m) for m in members]

    def support(mask: Any) -> list[int]:
        return [i for i, ok in zip(ids, mask, strict=True) if ok]

    sources = sorted({int(s) for s in r.source_id})
    return {
        "status": "active", "name_fa": name_fa, "name_latin": name_latin,
        "father_fa": father_fa, "father_latin": father_latin, "sex": _mode(list(f.sex)),
        "birth_year_lo": birth_lo, "birth_year_hi": birth_hi,
        "death_earliest": _day(death_lo), "death_latest": _day(death_hi),
        "prison_id": _mode(list(f.prison_id)), "city_id": _mode(list(f.city_id)),
        "n_records": len(ids), "n_sources": len(sources), "sources": json.dumps(sources),
        "support": json.dumps({
            "name": support([bool(n) for n in names]),
            "death": support(f.death_lo.notna()),
            "prison": support(f.prison_id.notna()),
        }),
    }




def read_truth(path: Any) -> pd.DataFrame:
    """A truth file: one row per record with its list (source slug), row number and true
    person.  Column names accepted: ``list_id``/``source``, ``row_number``/``row``,
    ``person_id``/``person``."""
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        raise LinkageError(f"Truth file {p} does not exist.", hint="Check the path.")
    t = pd.read_csv(p, comment="#", dtype=str)
    aliases = {"list_id": ("list_id", "source", "list", "source_slug"),
               "row_number": ("row_number", "row"),
               "person_id": ("person_id", "person", "true_person")}
    cols = {}
    for want, names in aliases.items():
        found = next((c for c in names if c in t.columns), None)
        if found is None:
            raise LinkageError(f"Truth file {p.name} has no {want} column.",
                               hint="Columns needed: list_id, row_number, person_id; found "
                                    + ", ".join(t.columns) + ".")
        cols[want] = t[found]
    out = pd.DataFrame(cols)
    out["row_number"] = out["row_number"].astype(int)
    return out


def evaluate_case(case: Any, truth: pd.DataFrame) -> Any:
    """Compare the register with a truth table (see :func:`read_truth`)."""
    from dadkhah.linkage.evaluate import evaluate_clusters
    from dadkhah.store._schema import Source

    with case.engine.connect() as conn:
        rec = pd.read_sql(
            select(SourceRecord.id, Source.slug.label("list_id"), SourceRecord.row_number,
                   PersonRecord.person_id)
            .join(Source, Source.id == SourceRecord.source_id)
            .join(PersonRecord, PersonRecord.record_id == SourceRecord.id, isouter=True), conn)
    if rec.person_id.isna().any():
        raise LinkageError("Some records are in no person: the register is out of date.",
                           hint="Run dadkhah link first.")
    merged = rec.merge(truth, on=["list_id", "row_number"], how="left",
                       suffixes=("", "_true"))
    missing = merged.person_id_true.isna().sum()
    if missing:
        raise LinkageError(f"{missing} record(s) have no row in the truth file.",
                           hint="Use the truth file written with these lists.")
    return evaluate_clusters(merged.set_index("id").person_id,
                             merged.set_index("id").person_id_true)
