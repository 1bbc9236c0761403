"""The row-hash tables (migration 0010), owned by :mod:`dadkhah.store.integrity`.

Declared on the same :class:`dadkhah.store.tables.core.Base` so that one metadata holds the
whole store.  Rows are keyed by table name and one or two integer key columns (``k2`` is 0
for a table with a one-column key).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dadkhah.store.tables.core import Base, IdType


class RowDirty(Base):
    """A row changed in a write transaction and not sealed yet; filled by triggers, emptied
    by :func:`dadkhah.store.integrity.seal` before the transaction commits."""

    __tablename__ = "row_dirty"

    tok: Mapped[str] = mapped_column(String(40), primary_key=True)
    tbl: Mapped[str] = mapped_column(String(64), primary_key=True)
    k1: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    k2: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class RowHash(Base):
    """The newest sealed hash of a row, with short per-column digests (to name a changed
    column).  A cache: :func:`dadkhah.store.integrity.verify_rows` trusts the log, not it."""

    __tablename__ = "row_hashes"

    tbl: Mapped[str] = mapped_column(String(64), primary_key=True)
    k1: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    k2: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    row_hash: Mapped[str] = mapped_column(String(64))
    fields: Mapped[str] = mapped_column(Text)
    entry_id: Mapped[int] = mapped_column(BigInteger)


class RowHashLog(Base):
    """Append-only: each row hash an audit entry sealed (``row_hash`` NULL: row deleted).
    The entry's ``details["rows_sealed"]`` holds the count and digest of its lines."""

    __tablename__ = "row_hash_log"
    __table_args__ = (Index("ix_row_hash_log_entry", "entry_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    entry_id: Mapped[int] = mapped_column(BigInteger)
    tbl: Mapped[str] = mapped_column(String(64))
    k1: Mapped[int] = mapped_column(BigInteger)
    k2: Mapped[int] = mapped_column(BigInteger)
    row_hash: Mapped[str | None] = mapped_column(String(64))


__all__ = ["RowDirty", "RowHash", "RowHashLog"]
