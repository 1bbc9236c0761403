"""The core tables: sources, imports, source records, the audit log and the register.

The schema itself is created by the Alembic migrations in ``migrations/``; these classes
must stay in step with them (``tests/store/test_migrations.py`` compares the two).

Conventions: timestamps are ISO 8601 strings in UTC (``2026-11-27T01:02:03.456789+00:00``) so
that hashes over them are identical on SQLite and PostgreSQL; JSON is stored as text, written
canonically by :func:`dadkhah.store.audit.canonical_json` where it is hashed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    insert,
    text,
    true,
)
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
    "ngo_report",
    "un_document",
    "court_record",
    "academic",
    "audiovisual",
    "other",
)
"""Kinds of source: lists that name victims, and the reports, judgments and recordings the
case file cites."""

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


def insert_row(conn: Connection, model: type[Base], /, **values: Any) -> int:
    """``INSERT INTO <model's table> (…) VALUES (…)``; returns the new row's primary key.

    The one idiom for inserting a row with a generated id (``insert(Model)`` runs the same
    SQL as ``Model.__table__.insert()``, which type checkers cannot follow).  ``conn`` and
    ``model`` are positional-only, so tables may have columns of those names (``link_runs``
    has ``model``)."""
    key = conn.execute(insert(model).values(**values)).inserted_primary_key
    if key is None:  # pragma: no cover - only for an INSERT … SELECT or a multi-row insert
        raise RuntimeError(f"no primary key for the row inserted into {model.__tablename__}")
    return int(key[0])


def execute_many(conn: Connection, sql: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run one SQL statement with named parameters (``:name``) once per row of ``rows``.

    For the register's bulk writes (persons, their records, scored pairs, row hashes):
    on SQLite the rows go straight to the driver's ``executemany`` (which binds ``:name``
    itself, in C), not through SQLAlchemy's per-row parameter processing, which cost more
    than the inserts; elsewhere through :func:`sqlalchemy.text`.  The values must be what
    the driver stores as they are (``int``, ``float``, ``str``, ``bool``, None: no numpy
    scalars)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(sql, list(rows))
    else:
        conn.execute(text(sql), list(rows))


def insert_rows(conn: Connection, model: type[Base], columns: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> None:
    """Insert ``rows`` (one tuple of values per row, in the order of ``columns``) into
    ``model``'s table, as :func:`execute_many` does with :func:`insert_sql`.

    On SQLite the tuples go to the driver with positional parameters: no dict per row
    (a relink stores a million scored pairs: the dicts and their binding by name cost a
    tenth of the insert).  Elsewhere each row becomes the dict :func:`execute_many` takes."""
    if conn.dialect.name == "sqlite":
        names = ", ".join(f'"{c}"' for c in columns)
        sql = (f"INSERT INTO {model.__tablename__} ({names}) "
               f"VALUES ({', '.join('?' * len(columns))})")
        batch = rows if isinstance(rows, list) else list(rows)
        if batch:
            conn.exec_driver_sql(sql, batch)
        return
    execute_many(conn, insert_sql(model, columns),
                 [dict(zip(columns, row, strict=True)) for row in rows])


def insert_sql(model: type[Base], columns: Sequence[str]) -> str:
    """``INSERT INTO <model's table> ("column", …) VALUES (:column, …)``, for
    :func:`execute_many` (column names quoted: ``person_id_changes`` has ``into``)."""
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    return f"INSERT INTO {model.__tablename__} ({names}) VALUES ({values})"


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
    # Citation details (migration 0004, set by dadkhah.casefile.sources.cite_source).
    accessed_at: Mapped[str | None] = mapped_column(String(40))  # date the URL was read
    archive_url: Mapped[str | None] = mapped_column(Text)  # archived copy (e.g. Wayback)
    archive_sha256: Mapped[str | None] = mapped_column(String(64))  # hash of that copy


COPY_EXTENTS = ("whole", "part")
"""How much of another source a source copies (``source_copies.extent``)."""


class SourceCopy(Base):
    """A source that copies another, wholly or in part (migration 0016): capture–recapture
    counts it together with the source it copies."""

    __tablename__ = "source_copies"
    __table_args__ = (
        CheckConstraint("source_id <> copied_id", name="ck_source_copies_self"),
        CheckConstraint("extent IN ('whole', 'part')", name="ck_source_copies_extent"),
    )

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True,
                                           autoincrement=False)
    copied_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), primary_key=True,
                                           autoincrement=False)
    extent: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)
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
        Index("ix_source_records_name_key", "name_key"),  # names: migration 0003
        Index("ix_source_records_surname_key", "surname_key"),  # names: migration 0003
        Index("ix_source_records_machine_reading", "machine_reading"),  # migration 0017
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
    # True when the raw row is a machine reading of a document (a JSON object with its
    # reading and the file's SHA-256: dadkhah.documents.provenance), NULL for a row of a list
    # file; set at import (migration 0017 filled it for older records).  The documents'
    # verification queue and counts find their records by it, not by scanning every raw row.
    machine_reading: Mapped[bool | None] = mapped_column(Boolean)

    # --- parsed columns (migration 0003), owned by dadkhah.register.normalize ---------------
    # Derived from the mapped text above by `dadkhah normalize`; rebuilt at will, never
    # edited by hand.  Keep in step with NORMALIZED_COLUMNS below.
    name_fa: Mapped[str | None] = mapped_column(Text)
    name_latin: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(String(200))
    given_key: Mapped[str | None] = mapped_column(String(200))
    surname_key: Mapped[str | None] = mapped_column(String(200))
    father_key: Mapped[str | None] = mapped_column(String(200))
    name_titles: Mapped[str | None] = mapped_column(String(200))
    sex_code: Mapped[str | None] = mapped_column(String(1))
    age_min: Mapped[int | None] = mapped_column(Integer)
    age_max: Mapped[int | None] = mapped_column(Integer)
    birth_earliest: Mapped[str | None] = mapped_column(String(10))
    birth_latest: Mapped[str | None] = mapped_column(String(10))
    birth_precision: Mapped[str | None] = mapped_column(String(16))
    death_earliest: Mapped[str | None] = mapped_column(String(10))
    death_latest: Mapped[str | None] = mapped_column(String(10))
    death_precision: Mapped[str | None] = mapped_column(String(16))
    arrest_place_id: Mapped[str | None] = mapped_column(String(64))
    prison_id: Mapped[str | None] = mapped_column(String(64))
    city_id: Mapped[str | None] = mapped_column(String(64))
    province_id: Mapped[str | None] = mapped_column(String(64))
    parse_problems: Mapped[str | None] = mapped_column(Text)  # JSON list of {field, problem}
    normalized_at: Mapped[str | None] = mapped_column(String(40))


NORMALIZED_COLUMNS = (
    "name_fa", "name_latin", "name_key", "given_key", "surname_key", "father_key",
    "name_titles", "sex_code", "age_min", "age_max", "birth_earliest", "birth_latest",
    "birth_precision", "death_earliest", "death_latest", "death_precision", "arrest_place_id",
    "prison_id", "city_id", "province_id", "parse_problems", "normalized_at",
)
"""Parsed columns of a source record (filled by dadkhah.register.normalize.normalize_case)."""


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


# -- the register (migration 0002) ----------------------------------------------------------
class LinkRun(Base):
    """One run of record linkage: settings, trained model and its report."""

    __tablename__ = "link_runs"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    started_at: Mapped[str] = mapped_column(String(40))
    finished_at: Mapped[str | None] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    backend: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[float] = mapped_column(Float)
    settings: Mapped[str] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(Text)
    report: Mapped[str | None] = mapped_column(Text)


class Person(Base):
    """A person in the register: the records that name them and the best data they give."""

    __tablename__ = "persons"

    id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(16))
    name_fa: Mapped[str | None] = mapped_column(Text)
    name_latin: Mapped[str | None] = mapped_column(Text)
    father_fa: Mapped[str | None] = mapped_column(Text)
    father_latin: Mapped[str | None] = mapped_column(Text)
    sex: Mapped[str | None] = mapped_column(String(1))
    birth_year_lo: Mapped[int | None] = mapped_column(Integer)
    birth_year_hi: Mapped[int | None] = mapped_column(Integer)
    death_earliest: Mapped[str | None] = mapped_column(String(10))
    death_latest: Mapped[str | None] = mapped_column(String(10))
    prison_id: Mapped[str | None] = mapped_column(String(64))
    city_id: Mapped[str | None] = mapped_column(String(64))
    n_records: Mapped[int] = mapped_column(Integer)
    n_sources: Mapped[int] = mapped_column(Integer)
    sources: Mapped[str] = mapped_column(Text)
    support: Mapped[str] = mapped_column(Text)
    first_run_id: Mapped[int | None] = mapped_column(ForeignKey("link_runs.id"))
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("link_runs.id"))
    # Where each display form came from (migration 0012; NAME_ORIGINS): ``source`` (written
    # so by a source: which ones in ``*_sources``, a JSON list of source ids), ``machine``
    # (transliterated, no source wrote a form in that script) or ``person`` (corrected by
    # a team member: ``name_corrections``).
    name_fa_origin: Mapped[str | None] = mapped_column(String(16))
    name_latin_origin: Mapped[str | None] = mapped_column(String(16))
    name_fa_sources: Mapped[str | None] = mapped_column(Text)
    name_latin_sources: Mapped[str | None] = mapped_column(Text)
    father_fa_origin: Mapped[str | None] = mapped_column(String(16))
    father_latin_origin: Mapped[str | None] = mapped_column(String(16))


NAME_ORIGINS = ("source", "machine", "person")
"""Where a person's display name in one script came from: written so by a source, a machine
transliteration (no source wrote that script), or corrected by a team member."""


class NameCorrection(Base):
    """A team member's correction of a person's display name (migration 0012).

    Keyed to the source records the person held when corrected (``record_ids``, JSON list),
    not to the person id, which a relink may retire: every relink re-applies the correction
    to the person now holding most of those records.  Withdrawn corrections are kept."""

    __tablename__ = "name_corrections"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    person_id: Mapped[int] = mapped_column(IdType, index=True)  # the person when corrected
    record_ids: Mapped[str] = mapped_column(Text)
    name_fa: Mapped[str | None] = mapped_column(Text)
    name_latin: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))
    father_fa: Mapped[str | None] = mapped_column(Text)  # the father's name (migration 0014)
    father_latin: Mapped[str | None] = mapped_column(Text)
    withdrawn_at: Mapped[str | None] = mapped_column(String(40))
    withdrawn_by: Mapped[str | None] = mapped_column(String(200))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class PersonRecord(Base):
    __tablename__ = "person_records"

    record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id"), index=True)


class PersonIdChange(Base):
    """An id that disappeared in a relink: merged into another person, or split."""

    __tablename__ = "person_id_changes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id"))
    old_person_id: Mapped[int] = mapped_column(IdType, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    into: Mapped[str] = mapped_column(Text)


class LinkPair(Base):
    """A scored pair from the latest run that a reviewer may want to see."""

    __tablename__ = "link_pairs"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id"), index=True)
    record_l: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    record_r: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    priority: Mapped[float] = mapped_column(Float)
    gamma: Mapped[str | None] = mapped_column(Text)
    # Offered for review (migration 0016); false: scored below the review band, stored for
    # the linkage draws of the estimates only.
    review: Mapped[bool] = mapped_column(default=True, server_default=true())


class Decision(Base):
    """A human decision on a pair of records; it constrains every later linkage run."""

    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_pair", "record_l", "record_r"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    record_l: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    record_r: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    decision: Mapped[str] = mapped_column(String(16))
    reviewer: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(16))
    superseded_by: Mapped[int | None] = mapped_column(IdType)


class AuditSample(Base):
    """A stratified random sample of pairs drawn from one linkage run for people to review,
    from which the register's precision and recall are estimated (migration 0008)."""

    __tablename__ = "audit_samples"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("link_runs.id"), index=True)
    drawn_at: Mapped[str] = mapped_column(String(40))
    drawn_by: Mapped[str] = mapped_column(String(200))
    seed: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    strata: Mapped[str] = mapped_column(Text)  # JSON {stratum: {"kind": …, "size": pairs}}
    # The latest estimate from the answers (JSON of LinkageQuality.to_dict), when stored.
    estimate: Mapped[str | None] = mapped_column(Text)
    estimated_at: Mapped[str | None] = mapped_column(String(40))


class AuditPair(Base):
    """One pair of an audit sample; its answer is the reviewers' decision on the pair."""

    __tablename__ = "audit_pairs"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("audit_samples.id"), index=True)
    record_l: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    record_r: Mapped[int] = mapped_column(ForeignKey("source_records.id"))
    kind: Mapped[str] = mapped_column(String(16))  # linked | unlinked
    stratum: Mapped[str] = mapped_column(String(64))
    match_probability: Mapped[float | None] = mapped_column(Float)


class StoredEstimate(Base):
    """An estimate of the total computed from the register, kept so pages need not refit."""

    __tablename__ = "web_estimates"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("link_runs.id"), index=True)
    method: Mapped[str] = mapped_column(String(32))
    observed: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    level: Mapped[float] = mapped_column(Float)
    synthetic: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text)  # JSON list of caveats
    computed_at: Mapped[str] = mapped_column(String(40))
    computed_by: Mapped[str] = mapped_column(String(200))
    # The estimate as fitted, whole (JSON of Estimate.to_dict; migration 0007): None for
    # rows stored before it.
    estimate: Mapped[str | None] = mapped_column(Text)


# Register search looks records up by any of the three cross-script keys; name_key and
# surname_key are indexed by migration 0003, the given-name key here.
Index("ix_source_records_given_key", SourceRecord.__table__.c.given_key)
