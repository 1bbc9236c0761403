"""Where a case lives and how to reach it: SQLite file in a case folder, or PostgreSQL URL."""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from dadkhah.errors import ConfigError, MigrationNeeded, StoreBusy, StoreError
from dadkhah.store.integrity import SQLITE_TOKEN_FUNCTION

CASE_DB = "case.db"
READING = "dadkhah.reading"  # Connection.info flag: a read (Case.read) begins DEFERRED
_TX_TOKEN = "dadkhah.tx_token"

MIGRATIONS = Path(__file__).parent / "migrations"


def is_server_url(location: str) -> bool:
    """True for a PostgreSQL URL (a case on a database server), False for a case folder."""
    return location.startswith(("postgresql:", "postgresql+", "postgres:"))


def database_url(location: str | Path) -> str:
    """SQLAlchemy URL for a case folder or a PostgreSQL URL (psycopg 3 driver)."""
    loc = str(location)
    if is_server_url(loc):
        url = make_url(loc.replace("postgres://", "postgresql://", 1))
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(loc) / CASE_DB}"


BUSY_TIMEOUT = 30.0  # seconds a writer waits for another's lock (CLI, jobs) before StoreBusy


def busy_error(location: str | Path, waited: float) -> StoreBusy:
    """The clear error for a write that waited ``waited`` s for another writer's lock."""
    return StoreBusy(
        f"The case at {location} is busy: another process (an import, a relink or a "
        f"backup) is writing to it, and this write waited {waited:g} s; nothing was written.",
        hint="Wait for the other process to finish, then retry.")


def make_engine(location: str | Path, *, read_only: bool = False,
                busy_timeout: float | None = None) -> Engine:
    """An engine whose transactions serialise writers (needed by the audit hash chain).

    ``read_only`` (SQLite): transactions begin DEFERRED and the connection refuses writes
    (``PRAGMA query_only``), so readers never wait for a writer — a web page is not held up
    by an import — and a write through such an engine fails at once instead of racing the
    audit chain.  PostgreSQL readers never block on writers, so the flag changes nothing
    there.

    ``busy_timeout`` (SQLite): seconds a write waits for another writer's lock (default
    ``$DADKHAH_WRITE_WAIT``, else :data:`BUSY_TIMEOUT`); past it the write raises
    :class:`~dadkhah.errors.StoreBusy`
    (never a raw "database is locked").  The web application waits less, so a login
    during a long import gets a clear "busy, retry" page quickly."""
    url = database_url(location)
    if url.startswith("sqlite"):
        engine = create_engine(url)
        wait = (busy_timeout if busy_timeout is not None
                else float(os.environ.get("DADKHAH_WRITE_WAIT") or BUSY_TIMEOUT))

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, record: Any) -> None:
            # Let SQLAlchemy, not pysqlite, decide when transactions begin (see the
            # SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL").
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={int(wait * 1000)}")
            cur.execute("PRAGMA cache_size=-65536")  # 64 MiB: large imports touch many pages
            if read_only:
                cur.execute("PRAGMA query_only=ON")
            cur.close()
            # The row-hash triggers tag each changed row with the writing transaction's
            # token (dadkhah.store.integrity); only dadkhah's connections define it, so a
            # row changed with another tool is never sealed by a later dadkhah write.
            token = record.info.setdefault(_TX_TOKEN, [""])
            dbapi_conn.create_function(SQLITE_TOKEN_FUNCTION, 0, lambda: token[0])

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            # IMMEDIATE takes the write lock at once, so two writers never read the same
            # audit-chain head; a read-only engine's snapshot reads need no lock.
            conn.connection.info.setdefault(_TX_TOKEN, [""])[0] = secrets.token_hex(12)
            reading = read_only or conn.info.get(READING, False)
            conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")

        @event.listens_for(engine, "handle_error")
        def _on_error(ctx: Any) -> None:
            # SQLITE_BUSY after busy_timeout: another process holds the write lock.
            orig = ctx.original_exception
            if isinstance(orig, sqlite3.OperationalError) and (
                    "database is locked" in str(orig) or "database is busy" in str(orig)):
                raise busy_error(location, wait) from orig

        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # noqa: BLE001 - driver errors vary
        raise ConfigError(f"Cannot use the database URL: {exc}",
                          hint="Use postgresql://user:password@host/dbname") from exc


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, then: Callable[[Connection], None] | None = None) -> None:
    """Bring the schema to the newest migration, in one transaction; ``then`` runs in the
    same transaction afterwards (the upgrade's audit entry, which seals the row hashes a
    migration changed)."""
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        if then is not None:
            then(conn)


def check_schema(engine: Engine, location: str) -> None:
    rev = current_revision(engine)
    if rev is None:
        raise StoreError(
            f"{location} is not a dadkhah case (no schema).",
            hint=f"Create it with: dadkhah --case {location} init",
        )
    if rev != head_revision():
        raise MigrationNeeded(
            f"The case store at {location} is at schema revision {rev}; this dadkhah needs "
            f"{head_revision()}.",
            hint=f"Back up the case, then run: dadkhah --case {location} upgrade",
        )
