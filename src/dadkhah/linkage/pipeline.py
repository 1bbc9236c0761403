"""Linkage on a case: build the register of persons from the source records.

``link_case`` reads every source record, links them (:func:`dadkhah.linkage.run.link_features`)
under the human decisions stored in the case, and rewrites the register in one transaction:
persons keep their ids when their membership mostly persists; ids that disappear are recorded
as merged or split; the uncertain pairs are kept for review.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import Connection, bindparam, delete, func, insert, select, update

from dadkhah.errors import LinkageError
from dadkhah.linkage.features import EPOCH, compute_features
from dadkhah.linkage.run import LinkResult, link_features
from dadkhah.linkage.settings import DEFAULT_THRESHOLD
from dadkhah.linkage.stable_ids import IdAssignment, assign_person_ids
from dadkhah.names import detect_script, latin_form, normalize_persian
from dadkhah.store import RECORD_FIELDS, Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import (
    Decision,
    LinkPair,
    LinkRun,
    Person,
    PersonIdChange,
    PersonRecord,
    SourceRecord,
    insert_row,
)

if TYPE_CHECKING:
    from pathlib import Path

    from dadkhah.linkage.evaluate import LinkageEvaluation

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


def load_records(conn: Connection) -> pd.DataFrame:
    cols = [SourceRecord.id.label("unique_id"), SourceRecord.source_id,
            *[getattr(SourceRecord, f) for f in RECORD_FIELDS]]
    return pd.read_sql(select(*cols).order_by(SourceRecord.id), conn)


def current_decisions(conn: Connection) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
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


def link_case(case: Case, *, threshold: float = DEFAULT_THRESHOLD, backend: str = "duckdb",
              by: str = "unknown", progress: Callable[[str], None] | None = None,
              spark: Any = None, train_on_decisions: bool = False) -> LinkReport:
    """Link every source record of ``case`` into persons and rewrite the register.

    ``train_on_decisions``: estimate the model's m probabilities from the reviewers' match
    decisions (at least :data:`dadkhah.linkage.run.MIN_LABELS`) instead of by EM."""
    say = progress or (lambda _m: None)
    with case.read() as conn:
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
                        backend=backend, progress=say, spark=spark,
                        labels=must if train_on_decisions else ())
    say("writing the register")
    t1 = time.perf_counter()
    with case.write() as conn:
        report = _write_register(conn, records, res, must, cannot, by)
    timings = {"features": t_feat, **res.timings, "write": time.perf_counter() - t1}
    return LinkReport(**{**report.to_dict(), "timings": timings})


def _write_register(conn: Connection, records: pd.DataFrame, res: LinkResult,
                    must: list[tuple[int, int]], cannot: list[tuple[int, int]],
                    by: str) -> LinkReport:
    settings = {"threshold": res.threshold, "backend": res.backend,
                "review_band": list(REVIEW_BAND)}
    run_id = insert_row(
        conn, LinkRun,
        started_at=now_utc(), actor=by, backend=res.backend, threshold=res.threshold,
        settings=json.dumps(settings), model=json.dumps(res.model, default=str),
    )

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
        conn.execute(insert(PersonIdChange).values(
            run_id=run_id, old_person_id=ch.old_id, kind=ch.kind, into=json.dumps(ch.into)))
    conn.execute(delete(PersonRecord))

    existing = {int(i) for i in conn.execute(select(Person.id)).scalars()}
    summaries = person_summaries(records, res.features, res.clusters.assignment)
    person_rows, updates = [], []
    for key, row in summaries.items():
        pid = ids.person_of[key]
        row["last_run_id"] = run_id
        if pid in existing:
            updates.append({"pid": pid, **row})
        else:
            person_rows.append({**row, "id": pid, "first_run_id": run_id})
    if person_rows:
        conn.execute(insert(Person), person_rows)
    if updates:
        conn.execute(update(Person).where(Person.id == bindparam("pid"))
                     .values({c: bindparam(c) for c in updates[0] if c != "pid"}), updates)
    assign = res.clusters.assignment
    conn.execute(insert(PersonRecord), [
        {"record_id": int(r), "person_id": ids.person_of[int(k)]}
        for r, k in zip(assign.index, assign.to_numpy(), strict=True)])

    review = _review_pairs(res)
    conn.execute(delete(LinkPair))
    if len(review):
        conn.execute(insert(LinkPair), [
            {"run_id": run_id, "record_l": int(r.unique_id_l), "record_r": int(r.unique_id_r),
             "match_probability": float(r.match_probability),
             "match_weight": float(r.match_weight), "priority": float(r.priority),
             "gamma": json.dumps({c[3:]: round(float(getattr(r, c)), 2)
                                  for c in review.columns if c.startswith("mw_")})}
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
    append(conn, by=by, action="link", target=f"link_run:{run_id}", details={
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
    cl = assign.reindex(band.unique_id_l).to_numpy()
    cr = assign.reindex(band.unique_id_r).to_numpy()
    sl, sr = size.reindex(band.unique_id_l).to_numpy(), size.reindex(band.unique_id_r).to_numpy()
    impact = pd.Series(sl + sr, index=band.index).where(cl != cr, sl)
    band["priority"] = (1 - (2 * band.match_probability - 1).abs()) * impact
    return band.sort_values("priority", ascending=False)


def _day(n: Any) -> str | None:
    if n is None or pd.isna(n):
        return None
    return (EPOCH + timedelta(days=int(n))).isoformat()


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


def person_summaries(records: pd.DataFrame, features: pd.DataFrame,
                     assignment: pd.Series) -> dict[int, dict[str, Any]]:
    """Best data per cluster: display names in both scripts (most frequent spelling), sex,
    date intervals, places, sources, and which records support each."""
    df = records.set_index("unique_id").join(features.set_index("unique_id")[
        ["sex", "death_lo", "death_hi", "birth_lo", "birth_hi", "prison_id", "city_id"]],
        rsuffix="_f")
    df["cluster"] = assignment.reindex(df.index).to_numpy()
    full = df["full_name"].where(df["full_name"].fillna("").str.strip() != "")
    parts = (df["given_names"].fillna("") + " " + df["surname"].fillna("")).str.strip()
    df["name"] = full.fillna(parts).replace("", None)
    script = df["name"].map(lambda t: detect_script(t) if isinstance(t, str) else None)
    df["name_fa"] = df["name"].where(script == "persian").map(
        lambda t: normalize_persian(t) if isinstance(t, str) else None)
    df["name_la"] = df["name"].where(script == "latin")
    fscript = df["father_name"].map(lambda t: detect_script(t) if isinstance(t, str) else None)
    df["father_fa"] = df["father_name"].where(fscript == "persian").map(
        lambda t: normalize_persian(t) if isinstance(t, str) else None)
    df["father_la"] = df["father_name"].where(fscript == "latin")
    name_fa, name_la = _group_mode(df, "name_fa"), _group_mode(df, "name_la")
    father_fa, father_la = _group_mode(df, "father_fa"), _group_mode(df, "father_la")
    sex, prison, city = (_group_mode(df, "sex_f"), _group_mode(df, "prison_id"),
                         _group_mode(df, "city_id"))
    dlo, dhi = _interval(df, "death_lo", "death_hi")
    blo, bhi = _interval(df, "birth_lo", "birth_hi")
    clusters = df["cluster"].to_numpy().tolist()
    rids = df.index.astype(int).tolist()
    members: dict[int, list[int]] = {}
    sources_of: dict[int, set[int]] = {}
    support: dict[str, dict[int, list[int]]] = {"name": {}, "death": {}, "prison": {}}
    masks = {"name": df["name"].notna().tolist(), "death": df["death_lo"].notna().tolist(),
             "prison": df["prison_id"].notna().tolist()}
    for i, (k, rid, src) in enumerate(zip(clusters, rids, df["source_id"].tolist(),
                                          strict=True)):
        members.setdefault(k, []).append(rid)
        sources_of.setdefault(k, set()).add(int(src))
        for field_, mask in masks.items():
            if mask[i]:
                support[field_].setdefault(k, []).append(rid)
    as_dict = {name: series.dropna().to_dict() for name, series in {
        "name_fa": name_fa, "name_la": name_la, "father_fa": father_fa,
        "father_la": father_la, "sex": sex, "prison": prison, "city": city, "dlo": dlo,
        "dhi": dhi, "blo": blo, "bhi": bhi}.items()}

    def get(name: str, k: int) -> Any:
        return as_dict[name].get(k)

    out: dict[int, dict[str, Any]] = {}
    for k, recs in members.items():
        fa, la = get("name_fa", k), get("name_la", k)
        ffa, fla = get("father_fa", k), get("father_la", k)
        b_lo, b_hi = get("blo", k), get("bhi", k)
        srcs = sorted(sources_of[k])
        out[int(k)] = {
            "status": "active", "name_fa": fa,
            "name_latin": la or (latin_form(fa) if fa else None),
            "father_fa": ffa, "father_latin": fla or (latin_form(ffa) if ffa else None),
            "sex": get("sex", k), "birth_year_lo": None if b_lo is None else int(b_lo),
            "birth_year_hi": None if b_hi is None else int(b_hi),
            "death_earliest": _day(get("dlo", k)), "death_latest": _day(get("dhi", k)),
            "prison_id": get("prison", k), "city_id": get("city", k),
            "n_records": len(recs), "n_sources": len(srcs), "sources": json.dumps(srcs),
            "support": json.dumps({f: support[f].get(k, []) for f in support}),
        }
    return out


def read_truth(path: str | Path) -> pd.DataFrame:
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


def truth_by_record(case: Case, truth: pd.DataFrame) -> pd.Series:
    """record id → true person id, joining a truth table (see :func:`read_truth`) to the
    case's records by source slug and row number."""
    from dadkhah.store.tables import Source

    with case.read() as conn:
        rec = pd.read_sql(select(SourceRecord.id, Source.slug.label("list_id"),
                                 SourceRecord.row_number)
                          .join(Source, Source.id == SourceRecord.source_id), conn)
    merged = rec.merge(truth, on=["list_id", "row_number"], how="left")
    missing = merged.person_id.isna().sum()
    if missing:
        raise LinkageError(f"{missing} record(s) have no row in the truth file.",
                           hint="Use the truth file written with these lists.")
    return merged.set_index("id").person_id.rename("person_id")


def evaluate_case(case: Case, truth: pd.DataFrame) -> LinkageEvaluation:
    """Compare the register with a truth table (see :func:`read_truth`)."""
    from dadkhah.linkage.evaluate import evaluate_clusters
    from dadkhah.register import register_of

    true = truth_by_record(case, truth)
    linked = register_of(case)
    if len(linked) < len(true):
        raise LinkageError("Some records are in no person: the register is out of date.",
                           hint="Run dadkhah link first.")
    return evaluate_clusters(linked, true)
