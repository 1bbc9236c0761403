"""The case file's tables (migration 0004): actors, roles, events, allegations, figures,
burial sites, citations, evidence, testimonies.

Declared on the same :class:`dadkhah.store.tables.core.Base` so that one metadata holds the
whole store (``tests/store/test_migrations.py`` compares it with the migrations).

The model follows the HURIDOCS Events Standard Formats (event, involvement, information,
chain of events) and the Berkeley Protocol (hash at collection, acquisition metadata, chain
of custody):

* a *claim* is anything the case file asserts on someone else's word: an allegation, a role,
  an event, a figure, a burial site.  Claims are never the system's own statements; each
  is linked to the sources that make it (:class:`Citation`, with the per-claim information
  credibility 1-6 of the Admiralty scale) and to evidence items (:class:`EvidenceLink`).
* custody of an evidence item (acquire, access, copy, export, transfer, verify) is written
  to the hash-chained audit log with target ``evidence:<id>``; there is no custody table
  that could be edited apart from the chain.
* dates are intervals of ISO Gregorian dates with a precision (``dadkhah.names.dates``),
  kept beside the text as written.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dadkhah.store.tables.core import Base, IdType


class Actor(Base):
    """A person or an institution named in the case file."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # person | institution
    name_en: Mapped[str | None] = mapped_column(Text)
    name_fa: Mapped[str | None] = mapped_column(Text)
    name_key: Mapped[str | None] = mapped_column(String(200), index=True)  # cross-script key
    aliases: Mapped[str] = mapped_column(Text)  # JSON list of strings, any script
    notes: Mapped[str | None] = mapped_column(Text)  # biographical notes, attributed in text
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class Role(Base):
    """An actor holding a position (in an institution) over a time interval."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    position: Mapped[str] = mapped_column(Text)
    position_fa: Mapped[str | None] = mapped_column(Text)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id"))
    start_text: Mapped[str | None] = mapped_column(String(64))  # as written
    start_earliest: Mapped[str | None] = mapped_column(String(10))
    start_latest: Mapped[str | None] = mapped_column(String(10))
    end_text: Mapped[str | None] = mapped_column(String(64))
    end_earliest: Mapped[str | None] = mapped_column(String(10))
    end_latest: Mapped[str | None] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class BurialSite(Base):
    """A place where victims were buried (often a mass grave), with a GeoJSON geometry."""

    __tablename__ = "burial_sites"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_en: Mapped[str | None] = mapped_column(Text)
    name_fa: Mapped[str | None] = mapped_column(Text)
    place_id: Mapped[str | None] = mapped_column(String(64))  # gazetteer id (city/province)
    geometry: Mapped[str | None] = mapped_column(Text)  # GeoJSON geometry, canonical JSON
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class Event(Base):
    """What happened, where and when (HURIDOCS ESF *event*)."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    event_type: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    title_fa: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    date_text: Mapped[str | None] = mapped_column(String(64))  # as written
    date_earliest: Mapped[str | None] = mapped_column(String(10))
    date_latest: Mapped[str | None] = mapped_column(String(10))
    date_precision: Mapped[str | None] = mapped_column(String(16))
    place_id: Mapped[str | None] = mapped_column(String(64))  # gazetteer id
    place_text: Mapped[str | None] = mapped_column(Text)
    burial_site_id: Mapped[int | None] = mapped_column(ForeignKey("burial_sites.id"))
    part_of_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))  # chain of events
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class EventVictim(Base):
    """A victim of an event: a person of the register or one source record."""

    __tablename__ = "event_victims"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    # Person ids are stable across relinks (merges are recorded in person_id_changes), but a
    # relink may retire one, so there is no foreign key: a retired id is followed, not lost.
    person_id: Mapped[int | None] = mapped_column(IdType)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("source_records.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class Allegation(Base):
    """An actor's alleged involvement in an event, attributed to its sources."""

    __tablename__ = "allegations"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    mode: Mapped[str] = mapped_column(String(32))  # ordered | decided | carried_out | …
    status: Mapped[str] = mapped_column(String(32))  # alleged | corroborated | established
    text: Mapped[str] = mapped_column(Text)  # the claim as the sources make it
    text_fa: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class Figure(Base):
    """A number one source gives for an event (e.g. persons killed), kept beside the others."""

    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    quantity: Mapped[str] = mapped_column(String(32))  # killed | buried | names_listed | …
    figure_type: Mapped[str] = mapped_column(String(32))  # documented | estimate | claim | …
    value_text: Mapped[str] = mapped_column(Text)  # as the source words it
    low: Mapped[int | None] = mapped_column(BigInteger)
    high: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class Citation(Base):
    """A claim backed by a source, with the information credibility of that claim (1-6)."""

    __tablename__ = "citations"
    __table_args__ = (Index("ix_citations_claim", "claim_kind", "claim_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    claim_kind: Mapped[str] = mapped_column(String(16))  # allegation|role|event|figure|burial|actor
    claim_id: Mapped[int] = mapped_column(IdType)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    credibility: Mapped[str] = mapped_column(String(1))  # Admiralty 1-6
    locator: Mapped[str | None] = mapped_column(Text)  # page, paragraph, timestamp
    quote: Mapped[str | None] = mapped_column(Text)


class Evidence(Base):
    """A file kept content-addressed by SHA-256 in the evidence store, with how it was got."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(127))
    kind: Mapped[str] = mapped_column(String(16))  # document | audio | image | video | other
    original_name: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    acquired_by: Mapped[str | None] = mapped_column(Text)
    acquired_at: Mapped[str | None] = mapped_column(String(64))
    acquired_from: Mapped[str | None] = mapped_column(Text)
    acquisition_method: Mapped[str | None] = mapped_column(Text)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    added_at: Mapped[str] = mapped_column(String(40))
    added_by: Mapped[str] = mapped_column(String(200))


class EvidenceLink(Base):
    """A claim supported by an evidence item."""

    __tablename__ = "evidence_links"
    __table_args__ = (Index("ix_evidence_links_claim", "claim_kind", "claim_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    claim_kind: Mapped[str] = mapped_column(String(16))
    claim_id: Mapped[int] = mapped_column(IdType)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True)
    locator: Mapped[str | None] = mapped_column(Text)


class Testimony(Base):
    """A witness statement.  Identity and contact are AES-GCM ciphertext; the key is never
    stored in the case, only its fingerprint (to tell a wrong key from a damaged row)."""

    __tablename__ = "testimonies"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(64), unique=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    taken_at: Mapped[str | None] = mapped_column(String(64))
    taken_place: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(32))
    consent: Mapped[str | None] = mapped_column(Text)  # who may receive it (UN, courts …)
    summary: Mapped[str | None] = mapped_column(Text)  # pseudonymised statement summary
    protected: Mapped[str] = mapped_column(Text)  # base64(nonce ‖ AES-GCM ciphertext)
    key_fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


CLAIM_KINDS = ("actor", "role", "event", "figure", "allegation", "burial", "testimony")
"""Things a citation or an evidence link can back."""

__all__ = [
    "CLAIM_KINDS", "Actor", "Allegation", "BurialSite", "Citation", "Event", "EventVictim",
    "Evidence", "EvidenceLink", "Figure", "Role", "Testimony",
]
