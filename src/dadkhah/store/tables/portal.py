"""The public portal's tables (migration 0006): public submissions and their moderation,
articles, publication marks.

Declared on the same :class:`dadkhah.store.tables.core.Base` so that one metadata holds the
whole store.

What is protected here: a submitter's contact details live in their own table
(``portal_submission_contacts``), AES-GCM encrypted when the server has the case's testimony
key, never in the submission's fields, the source record it becomes, or the audit log, so no
query that serves the public can reach them by accident.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dadkhah.store.tables.core import Base, IdType


class PortalSubmission(Base):
    """A family member's report of a victim, or a correction to a memorial entry."""

    __tablename__ = "portal_submissions"
    __table_args__ = (Index("ix_portal_submissions_status", "status"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # report | correction
    person_id: Mapped[int | None] = mapped_column(IdType)  # the memorial entry corrected
    fields: Mapped[str] = mapped_column(Text)  # canonical JSON {record field: text}
    relation: Mapped[str] = mapped_column(Text)  # the submitter's relation to the victim
    language: Mapped[str] = mapped_column(String(8))  # UI language the form was sent in
    client_hash: Mapped[str] = mapped_column(String(64))  # keyed hash of the IP, never the IP
    status: Mapped[str] = mapped_column(String(16))  # pending | accepted | rejected
    submitted_at: Mapped[str] = mapped_column(String(40))
    decided_at: Mapped[str | None] = mapped_column(String(40))
    decided_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)  # of a rejection
    record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))


class PortalSubmissionContact(Base):
    """PROTECTED: how to reach a submitter.  Readable only with ``protected.read``."""

    __tablename__ = "portal_submission_contacts"

    submission_id: Mapped[int] = mapped_column(ForeignKey("portal_submissions.id"),
                                               primary_key=True)
    contact: Mapped[str] = mapped_column(Text)
    scheme: Mapped[str] = mapped_column(String(32))  # "plain" | "aes-gcm:<key fingerprint>"


class PublishedPerson(Base):
    """A person of the register marked public: only these ever leave the store.

    The public fields are a snapshot taken when the person was published (migration 0009):
    a later relink that links another source's record to the person changes the register,
    never the memorial, until somebody publishes the person again."""

    __tablename__ = "published_persons"

    person_id: Mapped[int] = mapped_column(IdType, primary_key=True, autoincrement=False)
    published_at: Mapped[str] = mapped_column(String(40))
    published_by: Mapped[str] = mapped_column(String(200))
    name_fa: Mapped[str | None] = mapped_column(Text)
    name_latin: Mapped[str | None] = mapped_column(Text)
    birth_year_lo: Mapped[int | None] = mapped_column(Integer)
    birth_year_hi: Mapped[int | None] = mapped_column(Integer)
    death_earliest: Mapped[str | None] = mapped_column(String(10))
    death_latest: Mapped[str | None] = mapped_column(String(10))
    prison_id: Mapped[str | None] = mapped_column(String(64))
    city_id: Mapped[str | None] = mapped_column(String(64))
    sources: Mapped[str | None] = mapped_column(Text)  # JSON list of source ids
    # where each published name form came from, as ``persons`` says (migration 0012)
    name_fa_origin: Mapped[str | None] = mapped_column(String(16))
    name_latin_origin: Mapped[str | None] = mapped_column(String(16))
    name_fa_sources: Mapped[str | None] = mapped_column(Text)
    name_latin_sources: Mapped[str | None] = mapped_column(Text)


class PublishedRecord(Base):
    """A source record a publication covers (the person's records when it was published):
    the memorial's search matches names through these records only."""

    __tablename__ = "published_records"

    person_id: Mapped[int] = mapped_column(ForeignKey("published_persons.person_id"),
                                           primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("source_records.id"), primary_key=True)


class Article(Base):
    """A published analysis: text with ``[^n]`` footnotes that cite its sources."""

    __tablename__ = "portal_articles"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    summary: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    public: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))
