"""The case store's tables (SQLAlchemy 2 declarative), public to every package.

One :class:`Base` and one metadata hold the whole store; each domain's tables live in their
own module (``core``: sources, imports, records, audit log, register; ``casefile``;
``portal``; ``users``; ``integrity``: the row hashes).  The schema itself is created by the
Alembic migrations in ``dadkhah/store/migrations``; these classes must stay in step with them
(``tests/store/test_migrations.py`` compares the two).

Conventions: timestamps are ISO 8601 strings in UTC (``2026-11-27T01:02:03.456789+00:00``) so
that hashes over them are identical on SQLite and PostgreSQL; JSON is stored as text, written
canonically by :func:`dadkhah.store.audit.canonical_json` where it is hashed.  Write through
:meth:`dadkhah.store.Case.write` and read through :meth:`dadkhah.store.Case.read`; every write
appends to the audit chain (:func:`dadkhah.store.audit.append`) in the same transaction;
:func:`insert_row` inserts one row and returns its generated id; :func:`execute_many`
runs one statement for many rows (bulk writes).
"""

from __future__ import annotations

from dadkhah.store.tables.casefile import (
    CLAIM_KINDS,
    Actor,
    Allegation,
    BurialSite,
    Citation,
    Event,
    EventVictim,
    Evidence,
    EvidenceLink,
    Figure,
    Role,
    Testimony,
)
from dadkhah.store.tables.core import (
    COPY_EXTENTS,
    NAME_ORIGINS,
    NORMALIZED_COLUMNS,
    RECORD_FIELDS,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    AuditEntry,
    AuditPair,
    AuditSample,
    Base,
    Decision,
    IdType,
    Import,
    LinkPair,
    LinkRun,
    NameCorrection,
    Person,
    PersonIdChange,
    PersonRecord,
    RejectedRow,
    Source,
    SourceCopy,
    SourceRecord,
    StoredEstimate,
    execute_many,
    insert_row,
    insert_rows,
    insert_sql,
)
from dadkhah.store.tables.integrity import RowDirty, RowHash, RowHashLog
from dadkhah.store.tables.jobs import Job
from dadkhah.store.tables.portal import (
    Article,
    PortalSubmission,
    PortalSubmissionContact,
    PublishedPerson,
    PublishedRecord,
)
from dadkhah.store.tables.restrict import (
    RESTRICTABLE_KINDS,
    GroupMember,
    Restriction,
    UserGroup,
)
from dadkhah.store.tables.users import (
    ApiToken,
    RecoveryCode,
    User,
    UserTotp,
    WebAuthnCredential,
    WebSession,
)

__all__ = [
    "Actor",
    "Allegation",
    "ApiToken",
    "Article",
    "AuditEntry",
    "AuditPair",
    "AuditSample",
    "Base",
    "BurialSite",
    "CLAIM_KINDS",
    "COPY_EXTENTS",
    "Citation",
    "Decision",
    "Event",
    "EventVictim",
    "Evidence",
    "EvidenceLink",
    "Figure",
    "IdType",
    "Import",
    "Job",
    "LinkPair",
    "LinkRun",
    "NAME_ORIGINS",
    "NORMALIZED_COLUMNS",
    "NameCorrection",
    "Person",
    "PersonIdChange",
    "PersonRecord",
    "PortalSubmission",
    "PortalSubmissionContact",
    "PublishedPerson",
    "PublishedRecord",
    "RECORD_FIELDS",
    "RecoveryCode",
    "RELIABILITY_GRADES",
    "RejectedRow",
    "RESTRICTABLE_KINDS",
    "Restriction",
    "GroupMember",
    "UserGroup",
    "Role",
    "RowDirty",
    "RowHash",
    "RowHashLog",
    "SOURCE_KINDS",
    "Source",
    "SourceCopy",
    "SourceRecord",
    "StoredEstimate",
    "Testimony",
    "User",
    "UserTotp",
    "WebAuthnCredential",
    "WebSession",
    "execute_many",
    "insert_row",
    "insert_rows",
    "insert_sql",
]
