"""Bulk writes (:func:`dadkhah.store.tables.execute_many`): the rows SQLAlchemy's insert would
store, sealed into the audit chain like any other write, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import insert, select

from dadkhah.ingest import import_file
from dadkhah.store import Case
from dadkhah.store.audit import append
from dadkhah.store.tables import (
    LinkPair,
    LinkRun,
    PersonIdChange,
    SourceRecord,
    execute_many,
    insert_row,
    insert_rows,
    insert_sql,
)


def _pairs(case: Case) -> list[tuple[object, ...]]:
    with case.read() as conn:
        return [tuple(r) for r in conn.execute(
            select(LinkPair.record_l, LinkPair.record_r, LinkPair.match_probability,
                   LinkPair.match_weight, LinkPair.priority, LinkPair.gamma, LinkPair.review)
            .order_by(LinkPair.id)).all()]


def test_execute_many_stores_what_insert_stores_and_seals_it(case: Case,
                                                             tmp_path: Path) -> None:
    f = tmp_path / "list.csv"  # SYNTHETIC names
    f.write_text("full_name\nAli Rezaei\nAli Rezaee\nSara Karimi\nSarah Karimi\n",
                 encoding="utf-8")
    import_file(case, f, source="s1")
    with case.read() as conn:
        r1, r2, r3, r4 = conn.execute(select(SourceRecord.id).order_by(SourceRecord.id)
                                      ).scalars().all()
    rows = [{"record_l": r1, "record_r": r2, "match_probability": 0.25, "match_weight": -1.5,
             "priority": 0.125, "gamma": json.dumps({"name": 1.5}), "review": True},
            {"record_l": r3, "record_r": r4, "match_probability": 0.0625, "match_weight": -4.0,
             "priority": 0.0, "gamma": None, "review": False}]
    with case.write() as conn:
        run = insert_row(conn, LinkRun, started_at="2026-12-06T00:00:00+00:00", actor="t",
                         backend="duckdb", threshold=0.4, settings="{}", model="{}")
        conn.execute(insert(LinkPair), [{"run_id": run, **r} for r in rows])
    core = _pairs(case)
    with case.write() as conn:
        conn.execute(LinkPair.__table__.delete())
        execute_many(conn, insert_sql(LinkPair, ["run_id", *rows[0]]),
                     [{"run_id": run, **r} for r in rows])
        # a column named by an SQL keyword is quoted
        execute_many(conn, insert_sql(PersonIdChange, ("run_id", "old_person_id", "kind",
                                                        "into")),
                     [{"run_id": run, "old_person_id": 7, "kind": "merged", "into": "[8]"}])
        append(conn, by="tester", action="test.bulk", target="link_pairs", details={})
    assert _pairs(case) == core
    assert [p[-1] for p in core] == [True, False]
    with case.read() as conn:
        assert conn.execute(select(PersonIdChange.old_person_id, PersonIdChange.into)).all() \
            == [(7, "[8]")]
    report = case.verify_audit()
    assert report.ok, report.summary()


def test_execute_many_with_no_rows_writes_nothing(case: Case) -> None:
    with case.write() as conn:
        execute_many(conn, insert_sql(PersonIdChange, ("run_id",)), [])
    with case.read() as conn:
        assert conn.execute(select(PersonIdChange.id)).all() == []


def test_insert_rows_stores_what_insert_stores_and_seals_it(case: Case, tmp_path: Path) -> None:
    # rows as tuples in the columns' order (positional parameters on SQLite), as the
    # register's write stores a relink's scored pairs and person records
    f = tmp_path / "list.csv"  # SYNTHETIC names
    f.write_text("full_name\nAli Rezaei\nAli Rezaee\nSara Karimi\nSarah Karimi\n",
                 encoding="utf-8")
    import_file(case, f, source="s1")
    with case.read() as conn:
        r1, r2, r3, r4 = conn.execute(select(SourceRecord.id).order_by(SourceRecord.id)
                                      ).scalars().all()
    columns = ("run_id", "record_l", "record_r", "match_probability", "match_weight",
               "priority", "gamma", "review")
    values = [(r1, r2, 0.25, -1.5, 0.125, json.dumps({"name": 1.5}), True),
              (r3, r4, 0.0625, -4.0, 0.0, None, False)]
    with case.write() as conn:
        run = insert_row(conn, LinkRun, started_at="2026-12-06T00:00:00+00:00", actor="t",
                         backend="duckdb", threshold=0.4, settings="{}", model="{}")
        conn.execute(insert(LinkPair), [dict(zip(columns, (run, *v), strict=True))
                                        for v in values])
    core = _pairs(case)
    with case.write() as conn:
        conn.execute(LinkPair.__table__.delete())
        insert_rows(conn, LinkPair, columns, [(run, *v) for v in values])
        insert_rows(conn, PersonIdChange, ("run_id", "old_person_id", "kind", "into"),
                    iter([(run, 7, "merged", "[8]")]))  # any iterable; "into" quoted
        insert_rows(conn, PersonIdChange, ("run_id",), [])
        append(conn, by="tester", action="test.bulk", target="link_pairs", details={})
    assert _pairs(case) == core
    assert [p[-1] for p in core] == [True, False]
    with case.read() as conn:
        assert conn.execute(select(PersonIdChange.old_person_id, PersonIdChange.into)).all() \
            == [(7, "[8]")]
    report = case.verify_audit()
    assert report.ok, report.summary()
