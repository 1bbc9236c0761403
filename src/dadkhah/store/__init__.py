"""The case store: the persistence kernel every other package builds on.

Public here, and only here (the ``_engine`` module is private to ``store``):

* :class:`Case` — create, open or upgrade a case; :meth:`Case.read` / :meth:`Case.write`
  give a connection or a write transaction, so the transaction rules live in one place;
  sources, import batches and source records (kept verbatim with their SHA-256);
  :func:`check_url` refuses any address that is not http(s).
* :mod:`dadkhah.store.tables` — every table of the store (SQLAlchemy 2 declarative).  Each
  domain package (register, casefile, portal, users, …) owns the SQL over its own tables.
* :mod:`dadkhah.store.jobs` — background jobs kept in the case (the web workspace runs
  long operations as jobs: :func:`jobs.submit_job`, :func:`jobs.claim_job` …).
* :mod:`dadkhah.store.audit` — the append-only, hash-chained audit log: :func:`audit.append`
  inside each write transaction, :func:`audit.verify` to re-walk the chain.
* :mod:`dadkhah.store.integrity` — row hashes: every protected row bound into the chain.
* :mod:`dadkhah.store.integrity_anchor` — signed checkpoints of the chain kept outside the
  case (truncation, rewrites) and RFC 3161 time-stamp requests.
* :mod:`dadkhah.store.restrict` — restricted records: the one predicate of what a
  :class:`dadkhah.access.Viewer` may not see.
"""

from dadkhah.store import audit, integrity, integrity_anchor, jobs, restrict, tables
from dadkhah.store._engine import is_server_url
from dadkhah.store.audit import AuditReport
from dadkhah.store.case import (
    Case,
    ImportInfo,
    RecordView,
    SourceCopyInfo,
    SourceInfo,
    check_url,
)
from dadkhah.store.tables import COPY_EXTENTS, RECORD_FIELDS, RELIABILITY_GRADES, SOURCE_KINDS

__all__ = [
    "COPY_EXTENTS",
    "RECORD_FIELDS",
    "RELIABILITY_GRADES",
    "SOURCE_KINDS",
    "AuditReport",
    "Case",
    "ImportInfo",
    "RecordView",
    "SourceCopyInfo",
    "SourceInfo",
    "audit",
    "integrity",
    "integrity_anchor",
    "check_url",
    "is_server_url",
    "jobs",
    "restrict",
    "tables",
]
