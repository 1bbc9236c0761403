"""Row hashes: every row a claim rests on is bound into the audit chain (migration 0010).

The audit chain (:mod:`dadkhah.store.audit`) proves which writes happened; this module proves
that the tables still hold what those writes left.  It works in three steps:

1. **Capture.**  Triggers on every protected table (:data:`PROTECTED`) note the key of each
   row inserted, updated or deleted in ``row_dirty``, tagged with a token of the writing
   transaction: on SQLite the value of the SQL function ``dadkhah_tx()``, which only
   dadkhah's own connections define (``_engine``), on PostgreSQL ``txid_current()``.  An
   edit made with another tool therefore either fails ("no such function") or is tagged
   with a foreign token that no later dadkhah write will ever seal.
2. **Seal.**  :func:`seal`, called by :func:`dadkhah.store.audit.append` inside the same
   transaction, hashes each noted row as it now stands (SHA-256 of the canonical JSON of its
   non-null columns), appends ``(table, key, hash)`` to ``row_hash_log`` under the new
   entry's id (a ``NULL`` hash: the row was deleted), keeps the newest hash per row in
   ``row_hashes`` (with short per-column digests, to name the changed column), and returns
   the count and SHA-256 of the logged lines, which the entry's ``details`` commit to
   (``rows_sealed``).  A write transaction that changed rows without appending an entry
   gets one (``rows.sealed``) at commit from :meth:`dadkhah.store.Case.write`.
3. **Verify.**  :func:`verify_rows` re-reads ``row_hash_log`` entry by entry and compares
   each entry's lines with the digest the chain holds; replays the log to the hash every row
   must have now; re-hashes every row of every protected table and names each row that
   differs (table, key, and the columns when the ``row_hashes`` cache still agrees with the
   log), each row missing and each row added outside dadkhah.

What is *not* covered (:data:`EXCLUDED_TABLES`, :data:`EXCLUDED_COLUMNS`): the audit log
itself (it is the chain), this module's own tables, login sessions, the scored pairs of the
last linkage run (rebuilt on every run; the decisions reviewers take on them are covered),
and two per-user preferences written without an audit entry (last login time, language).

Rules for migrations (CONTRIBUTING.md): a new table gets its triggers in its migration
(:func:`install_triggers`) or a place in :data:`EXCLUDED_TABLES`; a migration that rebuilds
a protected table (SQLite batch mode drops triggers) or changes what its rows hold installs
the triggers again and calls :func:`mark_table` so the upgrade's audit entry seals the new
hashes.  Adding a nullable column changes no hash (null columns are left out).
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, select, text

from dadkhah.store.tables import Base, execute_many

SQLITE_TOKEN_FUNCTION = "dadkhah_tx"
"""The SQL function (SQLite) the triggers call for the writing transaction's token; defined
on dadkhah's own connections only (``_engine.make_engine``)."""

INTEGRITY_TABLES = ("row_dirty", "row_hashes", "row_hash_log")
"""This module's own tables (migration 0010)."""

EXCLUDED_TABLES: dict[str, str] = {
    "audit_log": "the hash chain itself",
    "alembic_version": "the schema revision",
    "row_dirty": "row hashes: rows changed in the open transaction",
    "row_hashes": "row hashes: the newest hash of every row (a cache, checked against the log)",
    "row_hash_log": "row hashes: the log the audit chain commits to",
    "web_sessions": "login sessions: not case content, swept at every login",
    "link_pairs": "the scored pairs of the latest linkage run, rebuilt by every run "
                  "(the review decisions taken on them are covered)",
    "jobs": "the web workspace's background jobs: operational state (starting and "
            "cancelling one are audit entries, and the work each job does is audited by "
            "the library call it runs)",
}
"""Tables left out of the row hashes, with the reason."""

EXCLUDED_COLUMNS: dict[tuple[str, str], str] = {
    ("users", "last_login_at"): "written at every login, without an audit entry",
    ("users", "language"): "an interface preference, written without an audit entry",
    ("user_totp", "last_step"): "the newest TOTP step accepted, written at every login "
                                "(what keeps a code from being used twice)",
    ("webauthn_credentials", "sign_count"): "the security key's counter, written at every "
                                            "login",
    ("webauthn_credentials", "last_used_at"): "written at every login with the key",
}
"""Columns left out of a protected table's row hash, with the reason."""

FIELD_DIGEST_CHARS = 8
"""Hex characters per column in ``row_hashes.fields`` (a CRC-32): enough to name the changed
column, small beside the row."""


@dataclass(frozen=True)
class TableSpec:
    """A protected table: its key columns (one or two integers) and the columns hashed."""

    name: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def table(self) -> Table:
        return Base.metadata.tables[self.name]


def _specs() -> dict[str, TableSpec]:
    out: dict[str, TableSpec] = {}
    for name, table in sorted(Base.metadata.tables.items()):
        if name in EXCLUDED_TABLES:
            continue
        keys = tuple(c.name for c in table.primary_key.columns)
        if not 1 <= len(keys) <= 2:  # pragma: no cover - a schema rule, held by a test
            raise RuntimeError(f"table {name} needs a key of one or two integer columns")
        cols = tuple(c.name for c in table.columns if (name, c.name) not in EXCLUDED_COLUMNS)
        out[name] = TableSpec(name, keys, cols)
    return out


PROTECTED: dict[str, TableSpec] = _specs()
"""Every table whose rows are hashed into the chain (all tables but :data:`EXCLUDED_TABLES`)."""


# -- hashing ----------------------------------------------------------------------------------
# what json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")) writes,
# without building an encoder for every row
_canon = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def row_hash(spec: TableSpec, row: Any) -> str:
    """SHA-256 of a row: the canonical JSON of the table name and its non-null columns.

    Null columns are left out, so adding a nullable column in a migration changes no hash."""
    m = row._mapping
    return _hash_values(spec, [m[c] for c in spec.columns])


def _hash_values(spec: TableSpec, values: Sequence[Any]) -> str:
    content = {c: v for c, v in zip(spec.columns, values, strict=True) if v is not None}
    return hashlib.sha256(_canon([spec.name, content]).encode("utf-8")).hexdigest()


def field_digests(spec: TableSpec, row: Any) -> str:
    """Short digests of each column, in :attr:`TableSpec.columns` order (``row_hashes.fields``).

    CRC-32 of each value's ``repr``: they only *name* the changed column once the SHA-256
    row hash has found the change (SHA-256 of every column cost six times the row hash on
    an import)."""
    m = row._mapping
    return _digest_values([m[c] for c in spec.columns])


def _digest_values(values: Sequence[Any]) -> str:
    crc = zlib.crc32
    return struct.pack(f">{len(values)}I", *[crc(repr(v).encode("utf-8")) for v in values]).hex()


def changed_fields(spec: TableSpec, row: Any, digests: str | None) -> tuple[str, ...]:
    """The columns of ``row`` whose digest differs from ``digests`` (empty when unknown)."""
    if not digests or len(digests) != FIELD_DIGEST_CHARS * len(spec.columns):
        return ()
    now = field_digests(spec, row)
    w = FIELD_DIGEST_CHARS
    return tuple(c for i, c in enumerate(spec.columns) if now[i * w:(i + 1) * w]
                 != digests[i * w:(i + 1) * w])


def _key(spec: TableSpec, row: Any) -> tuple[int, int]:
    m = row._mapping
    return (int(m[spec.keys[0]]), int(m[spec.keys[1]]) if len(spec.keys) == 2 else 0)


def key_text(spec: TableSpec, key: tuple[int, int]) -> str:
    """``id 7`` or ``person_id 3, record_id 9``: how a row is named in messages."""
    if len(spec.keys) == 1:
        return f"{spec.keys[0]} {key[0]}"
    return f"{spec.keys[0]} {key[0]}, {spec.keys[1]} {key[1]}"


class LogDigest:
    """Running SHA-256 over the lines an entry adds to ``row_hash_log``, in log order."""

    def __init__(self) -> None:
        self._h = hashlib.sha256()
        self.count = 0

    def add(self, tbl: str, k1: int, k2: int, h: str | None) -> None:
        self._h.update(f"{tbl}|{k1}|{k2}|{h or '-'}\n".encode())
        self.count += 1

    def hexdigest(self) -> str:
        return self._h.hexdigest()


# -- capture ----------------------------------------------------------------------------------
def token_sql(dialect: str) -> str:
    """SQL for the writing transaction's token, as the triggers store it."""
    if dialect == "postgresql":
        return "txid_current()::text"
    return f"{SQLITE_TOKEN_FUNCTION}()"


def current_token(conn: Connection) -> str:
    """The token the triggers give rows changed in this transaction."""
    return str(conn.exec_driver_sql(f"SELECT {token_sql(conn.dialect.name)}").scalar_one())


def trigger_names(table: str) -> tuple[str, str, str]:
    return (f"rowhash_{table}_ins", f"rowhash_{table}_upd", f"rowhash_{table}_del")


def trigger_ddl(dialect: str, table: str, keys: Sequence[str]) -> list[str]:
    """CREATE TRIGGER statements that note changed rows of ``table`` in ``row_dirty``."""
    k1 = keys[0]
    ins, upd, dele = trigger_names(table)

    def sel(alias: str) -> str:
        k2 = f"{alias}.{keys[1]}" if len(keys) == 2 else "0"
        return f"{token_sql(dialect)}, '{table}', {alias}.{k1}, {k2}"

    if dialect == "postgresql":
        # Statement-level triggers with transition tables: one INSERT … SELECT per statement.
        def fn(name: str, body: str) -> str:
            return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN {body} RETURN NULL; END $$")

        def put(alias: str) -> str:
            return (f"INSERT INTO row_dirty (tok, tbl, k1, k2) SELECT {sel(alias)} "
                    f"FROM {alias} ON CONFLICT DO NOTHING;")

        return [
            fn(ins, put("new_rows")),
            fn(upd, put("new_rows") + " " + put("old_rows")),
            fn(dele, put("old_rows")),
            f"CREATE TRIGGER {ins} AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {ins}()",
            f"CREATE TRIGGER {upd} AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows "
            f"NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {upd}()",
            f"CREATE TRIGGER {dele} AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {dele}()",
        ]

    def put_row(alias: str) -> str:
        k2 = f"{alias}.{keys[1]}" if len(keys) == 2 else "0"
        return (f"INSERT OR IGNORE INTO row_dirty (tok, tbl, k1, k2) VALUES "
                f"({token_sql(dialect)}, '{table}', {alias}.{k1}, {k2});")

    return [
        f"CREATE TRIGGER {ins} AFTER INSERT ON {table} BEGIN {put_row('NEW')} END",
        f"CREATE TRIGGER {upd} AFTER UPDATE ON {table} BEGIN {put_row('NEW')} "
        f"{put_row('OLD')} END",
        f"CREATE TRIGGER {dele} AFTER DELETE ON {table} BEGIN {put_row('OLD')} END",
    ]


def drop_trigger_ddl(dialect: str, table: str) -> list[str]:
    if dialect == "postgresql":
        return [s for n in trigger_names(table)
                for s in (f"DROP TRIGGER IF EXISTS {n} ON {table}",
                          f"DROP FUNCTION IF EXISTS {n}()")]
    return [f"DROP TRIGGER IF EXISTS {n}" for n in trigger_names(table)]


def install_triggers(conn: Connection, tables: Iterable[tuple[str, Sequence[str]]]) -> None:
    """Create the capture triggers on ``(table, key columns)`` (dropping old ones first)."""
    d = conn.dialect.name
    for table, keys in tables:
        for stmt in [*drop_trigger_ddl(d, table), *trigger_ddl(d, table, keys)]:
            conn.exec_driver_sql(stmt)


BASELINE = "dadkhah.integrity.baseline"
"""Key of ``Connection.info`` set by :func:`mark_all`: the next entry's seal is a baseline."""


def mark_all(conn: Connection, tables: Iterable[tuple[str, Sequence[str]]]) -> None:
    """Note every row of ``tables`` (all the protected ones) so that the next audit entry
    seals a *baseline*: the hash of every row, whatever the log held before.  Migration
    0010 calls it (the log starts there, and starts again after a downgrade and upgrade);
    ``verify_rows`` does not ask for log lines of entries before the newest baseline."""
    for table, keys in tables:
        mark_table(conn, table, keys)
    conn.info[BASELINE] = True


def mark_table(conn: Connection, table: str, keys: Sequence[str]) -> None:
    """Note every row of ``table`` as changed in this transaction, so the next audit entry
    seals their hashes (a migration that changed what the rows hold calls this)."""
    k2 = keys[1] if len(keys) == 2 else "0"
    tok = token_sql(conn.dialect.name)
    verb = "INSERT OR IGNORE" if conn.dialect.name == "sqlite" else "INSERT"
    tail = "" if conn.dialect.name == "sqlite" else " ON CONFLICT DO NOTHING"
    conn.exec_driver_sql(f"{verb} INTO row_dirty (tok, tbl, k1, k2) SELECT {tok}, '{table}', "
                         f"{keys[0]}, {k2} FROM {table}{tail}")


def missing_triggers(conn: Connection) -> list[str]:
    """Protected tables whose capture triggers are missing (dropped, or a rebuilt table)."""
    if conn.dialect.name == "postgresql":
        have = set(conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
    else:
        have = set(conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    return [t for t in PROTECTED if not set(trigger_names(t)) <= have]


# -- seal -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sealed:
    """What one audit entry sealed: how many row lines it logged and their digest."""

    count: int
    digest: str
    tables: dict[str, int]

    def to_details(self) -> dict[str, Any]:
        return {"count": self.count, "digest": self.digest, "tables": self.tables}


# run with execute_many (straight to the driver on SQLite: a relink seals many rows)
_UPSERT = (
    "INSERT INTO row_hashes (tbl, k1, k2, row_hash, fields, entry_id) "
    "VALUES (:tbl, :k1, :k2, :h, :f, :e) ON CONFLICT (tbl, k1, k2) DO UPDATE SET "
    "row_hash = excluded.row_hash, fields = excluded.fields, entry_id = excluded.entry_id")
_LOG = ("INSERT INTO row_hash_log (entry_id, tbl, k1, k2, row_hash) "
        "VALUES (:e, :tbl, :k1, :k2, :h)")
_FORGET = "DELETE FROM row_hashes WHERE tbl = :tbl AND k1 = :k1 AND k2 = :k2"


def pending(conn: Connection) -> int:
    """Rows changed in this transaction and not sealed yet."""
    return int(conn.execute(text("SELECT count(*) FROM row_dirty WHERE tok = :t"),
                            {"t": current_token(conn)}).scalar_one())


def seal(conn: Connection, entry_id: int) -> Sealed | None:
    """Hash the rows changed in this transaction into ``row_hash_log`` under ``entry_id``.

    Returns None when nothing changed.  Rows whose hash is what ``row_hashes`` already holds
    (rewritten with the same content, as a relink does for most persons) are not logged."""
    tok = current_token(conn)
    tables = [str(t) for t in conn.execute(
        text("SELECT DISTINCT tbl FROM row_dirty WHERE tok = :t ORDER BY tbl"),
        {"t": tok}).scalars()]
    if not tables:
        return None
    digest = LogDigest()
    per_table: dict[str, int] = {}
    for tbl in tables:
        spec = PROTECTED.get(tbl)
        if spec is None:  # pragma: no cover - a trigger on a table not in the metadata
            raise RuntimeError(f"row_dirty names table {tbl!r}, which is not protected")
        logs: list[dict[str, Any]] = []
        upserts: list[dict[str, Any]] = []
        forgets: list[dict[str, Any]] = []
        for key, old, row in _dirty_rows(conn, spec, tok):
            if row is None:
                if old is None:  # inserted and deleted in the same transaction
                    continue
                forgets.append({"tbl": tbl, "k1": key[0], "k2": key[1]})
                logs.append({"e": entry_id, "tbl": tbl, "k1": key[0], "k2": key[1], "h": None})
                continue
            m = row._mapping
            values = [m[c] for c in spec.columns]
            h = _hash_values(spec, values)  # row_hash and field_digests, columns read once
            if h == old:
                continue
            upserts.append({"tbl": tbl, "k1": key[0], "k2": key[1], "h": h,
                            "f": _digest_values(values), "e": entry_id})
            logs.append({"e": entry_id, "tbl": tbl, "k1": key[0], "k2": key[1], "h": h})
        if logs:
            per_table[tbl] = len(logs)
            for line in logs:
                digest.add(tbl, line["k1"], line["k2"], line["h"])
            execute_many(conn, _LOG, logs)
        execute_many(conn, _UPSERT, upserts)
        execute_many(conn, _FORGET, forgets)
    conn.execute(text("DELETE FROM row_dirty WHERE tok = :t"), {"t": tok})
    if not digest.count:
        return None
    return Sealed(digest.count, digest.hexdigest(), per_table)


def _dirty_rows(conn: Connection, spec: TableSpec, tok: str
                ) -> Iterator[tuple[tuple[int, int], str | None, Any]]:
    """(key, hash in row_hashes or None, the row now or None) for each noted row, in key
    order (so the log, and its digest, do not depend on the order of the writes)."""
    t = spec.table
    dirty = text("SELECT d.k1, d.k2, h.row_hash FROM row_dirty d LEFT JOIN row_hashes h "
                 "ON h.tbl = d.tbl AND h.k1 = d.k1 AND h.k2 = d.k2 "
                 "WHERE d.tok = :t AND d.tbl = :tbl ORDER BY d.k1, d.k2")
    keys = conn.execute(dirty, {"t": tok, "tbl": spec.name}).all()
    for i in range(0, len(keys), 500):
        chunk = keys[i:i + 500]
        k1s = sorted({int(k.k1) for k in chunk})
        rows = {_key(spec, r): r for r in conn.execute(
            select(t).where(t.c[spec.keys[0]].in_(k1s)))}
        for k in chunk:
            key = (int(k.k1), int(k.k2))
            yield key, k.row_hash, rows.get(key)


# -- verify -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowProblem:
    """A row that is not what the audit chain says it should be."""

    table: str
    key: str
    kind: str  # changed | missing | added | log
    fields: tuple[str, ...] = ()
    last_entry: int | None = None  # the audit entry that last sealed the row

    def message(self) -> str:
        if self.kind == "changed":
            cols = (" (columns: " + ", ".join(self.fields) + ")") if self.fields else ""
            when = (f"; last written by audit entry {self.last_entry}"
                    if self.last_entry else "")
            return f"{self.table} row {self.key} was altered outside dadkhah{cols}{when}."
        if self.kind == "missing":
            return f"{self.table} row {self.key} was deleted outside dadkhah."
        if self.kind == "added":
            return f"{self.table} row {self.key} was added outside dadkhah."
        return f"{self.table}: {self.key}"


@dataclass(frozen=True)
class RowsReport:
    """Result of :func:`verify_rows`."""

    rows_checked: int
    tables_checked: int
    log_lines: int
    problems: tuple[str, ...] = ()
    rows: tuple[RowProblem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_rows(conn: Connection, sealed: dict[int, tuple[int, str, bool]], last_entry: int
                ) -> RowsReport:
    """Check the row-hash log against the chain and every protected row against the log.

    ``sealed`` maps an audit entry id to the (count, digest, baseline) its details commit
    to; ``last_entry`` is the chain's newest entry id (a log line after it means the chain's
    tail was cut off).  Log lines of entries before the newest baseline are checked when
    present, not required (a downgrade past migration 0010 drops them)."""
    baseline = max((e for e, s in sealed.items() if s[2]), default=0)
    problems: list[str] = []
    rows_named: list[RowProblem] = []
    missing_trg = missing_triggers(conn)
    if missing_trg:
        problems.append("the row-hash triggers are missing on " + ", ".join(missing_trg)
                        + ": writes to these tables are no longer captured (dropped by hand, "
                        "or a migration rebuilt the table without reinstalling them).")
    stale = conn.execute(text("SELECT tbl, k1, k2, tok FROM row_dirty ORDER BY tbl, k1, k2")
                         ).all()
    if stale:
        ex = ", ".join(f"{r.tbl} {r.k1}" for r in stale[:5])
        problems.append(f"{len(stale)} row change(s) were made outside a dadkhah write "
                        f"(noted by the triggers but never sealed into the chain): {ex}"
                        + (" …" if len(stale) > 5 else "") + ".")

    # 1. The log, entry by entry, against the digests the chain commits to.
    expected: dict[str, dict[tuple[int, int], tuple[str | None, int]]] = {t: {} for t in PROTECTED}
    cur_entry: int | None = None
    digest = LogDigest()
    seen: set[int] = set()
    lines = 0

    def close(entry: int | None) -> None:
        if entry is None:
            return
        seen.add(entry)
        want = sealed.get(entry)
        if entry > last_entry:
            problems.append(f"the row-hash log holds rows sealed by audit entry {entry}, "
                            f"after the chain's last entry {last_entry}: entries at the end "
                            f"of the chain were removed.")
        elif want is None:
            problems.append(f"the row-hash log holds rows under audit entry {entry}, which "
                            f"sealed none: rows were added to the log outside dadkhah.")
        elif want[:2] != (digest.count, digest.hexdigest()):
            problems.append(f"the row hashes sealed by audit entry {entry} were altered "
                            f"({digest.count} line(s) in the log, {want[0]} sealed).")

    q = text("SELECT entry_id, tbl, k1, k2, row_hash FROM row_hash_log ORDER BY id")
    for r in conn.execution_options(yield_per=20000).execute(q):
        e = int(r.entry_id)
        if e != cur_entry:
            if cur_entry is not None and e < cur_entry:
                problems.append(f"the row-hash log is out of order at audit entry {e}.")
            close(cur_entry)
            cur_entry, digest = e, LogDigest()
            if e == baseline:  # it hashed every row again: what came before is superseded
                for tbl in expected.values():
                    tbl.clear()
        digest.add(r.tbl, int(r.k1), int(r.k2), r.row_hash)
        lines += 1
        table = expected.get(r.tbl)
        if table is None:
            continue
        table[(int(r.k1), int(r.k2))] = (r.row_hash, e)
    close(cur_entry)
    for entry, (count, _, _) in sorted(sealed.items()):
        if entry not in seen and count and entry >= baseline:
            problems.append(f"the row hashes sealed by audit entry {entry} ({count} line(s)) "
                            f"are missing from the log.")

    # 2. Every protected row against the hash the log says it has.
    checked = 0
    for name, spec in PROTECTED.items():
        want = expected[name]
        t = spec.table
        for row in conn.execution_options(yield_per=5000).execute(select(t)):
            checked += 1
            key = _key(spec, row)
            got = want.pop(key, None)
            h = row_hash(spec, row)
            if got is None or got[0] is None:
                rows_named.append(RowProblem(name, key_text(spec, key), "added"))
            elif got[0] != h:
                cached = conn.execute(text(
                    "SELECT row_hash, fields FROM row_hashes WHERE tbl = :t AND k1 = :a "
                    "AND k2 = :b"), {"t": name, "a": key[0], "b": key[1]}).first()
                cols = (changed_fields(spec, row, cached.fields)
                        if cached is not None and cached.row_hash == got[0] else ())
                rows_named.append(RowProblem(name, key_text(spec, key), "changed", cols,
                                             got[1]))
        for key, (h0, e0) in sorted(want.items()):
            if h0 is not None:
                rows_named.append(RowProblem(name, key_text(spec, key), "missing",
                                             last_entry=e0))
    for rp in rows_named:
        problems.append(rp.message())
    return RowsReport(checked, len(PROTECTED), lines, tuple(problems), tuple(rows_named))


def sealed_in(details: str) -> tuple[int, str, bool] | None:
    """The (count, digest, baseline) an audit entry's details commit to, or None."""
    if '"rows_sealed"' not in details:
        return None
    rs = json.loads(details).get("rows_sealed")
    if not isinstance(rs, dict):
        return None
    return int(rs["count"]), str(rs["digest"]), bool(rs.get("baseline", False))
