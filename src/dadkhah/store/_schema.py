"""The case store's tables (SQLAlchemy 2 declarative).

The schema itself is created by the Alembic migrations in ``migrations/``; these classes
must stay in step with them (``tests/store/test_migrations.py`` compares the two).

Conventions: timestamps are ISO 8601 strings in UTC (``2026-11-27T01:02:03.456789+00:00``) so
that hashes over them are identical on SQLite and PostgreSQL; JSON is stored as text, written
canonically by :func:`dadkhah.store._audit.canonical_json` where it is hashed.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite needs INTEGER PRIMARY KEY for autoincrement; PostgreSQL gets BIGINT identity.
IdType = BigInteger().with_variant(Integer(), "sqlite")

SOURCE_KINDS = (
    "family_list",
    "ngo_list",
    "memoir",
    "press",
    "official_record",
    "cemetery_record",
    "public_submission",
    "other",
)
"""Kinds of source that name victims."""

RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
"""Admiralty source-reliability scale: A completely reliable … E unreliable, F cannot be judged."""

RECORD_FIELDS = (
    "external_id",
    "full_name",
    "given_names",
    "surname",
    "father_name",
    "sex",
    "age",
    "birth_date",
    "death_date",
    "place_of_arrest",
    "prison",
    "city",
    "province",
    "affiliation",
    "notes",
)
"""Mapped fields of a source record, in display order.  Values are the source's own text."""


class Base(DeclarativeBase):
    pass


class Source(Base):
    """A list or document that names victims."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    organisation: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(64))
    citation: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    language: Mapped[str | None] = mapped_column(String(32))
    script: Mapped[str | None] = mapped_column(String(32))
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    notes: Mapped[str | None] = mapped_column(Text)
    synthetic: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class Import(Base):
    """One import batch: one file read into one source."""

    __tablename__ = "imports"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    file_name: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_size: Mapped[int] = mapped_column(BigInteger)
    file_format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    header: Mapped[str] = mapped_column(Text)  # JSON array of the header cells as read
    mapping: Mapped[str] = mapped_column(Text)  # JSON {field: column}
    mapping_origin: Mapped[str] = mapped_column(String(16))  # "file" | "detected"
    strict: Mapped[bool] = mapped_column(default=False)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_imported: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    records_digest: Mapped[str | None] = mapped_column(String(64))
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[str] = mapped_column(String(40))


class SourceRecord(Base):
    """One imported row, verbatim, with its mapped fields (original text)."""

    __tablename__ = "source_records"
    __table_args__ = (
        UniqueConstraint("import_id", "row_number", name="uq_source_records_import_row"),
        Index("ix_source_records_source", "source_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"))
    row_number: Mapped[int] = mapped_column(Integer)  # 1-based data row (header excluded)
    raw: Mapped[str] = mapped_column(Text)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(Text)
    full_name: Mapped[str | None] = mapped_column(Text)
    given_names: Mapped[str | None] = mapped_column(Text)
    surname: Mapped[str | None] = mapped_column(Text)
    father_name: Mapped[str | None] = mapped_column(Text)
    sex: Mapped[str | None] = mapped_column(Text)
    age: Mapped[str | None] = mapped_column(Text)
    birth_date: Mapped[str | None] = mapped_column(Text)
    death_date: Mapped[str | None] = mapped_column(Text)
    place_of_arrest: Mapped[str | None] = mapped_column(Text)
    prison: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    province: Mapped[str | None] = mapped_column(Text)
    affiliation: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class RejectedRow(Base):
    """A row that failed validation, kept verbatim with the reasons so nothing is lost."""

    __tablename__ = "rejected_rows"
    __table_args__ = (
        UniqueConstraint("import_id", "row_number", name="uq_rejected_rows_import_row"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("imports.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    raw: Mapped[str] = mapped_column(Text)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    problems: Mapped[str] = mapped_column(Text)  # JSON list of {column, value, problem}


class AuditEntry(Base):
    """One write operation.  Append-only; ``entry_hash`` chains it to the previous entry."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(Text)  # e.g. "import:3"
    details: Mapped[str] = mapped_column(Text)  # canonical JSON, affected ids etc.
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
