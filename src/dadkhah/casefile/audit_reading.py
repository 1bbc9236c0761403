"""The audit log as a team member reads it (restricted records, issue 16).

The log names what each write or read touched: an import's file and source, an evidence
item's file, a claim resting on a source.  An entry about material kept from the reader
would tell them of it, so it is left out of what they read and only counted, as
``evidence verify`` counts the items it did not check.  What is kept from a reader is
decided by the one rule there is: the store's restrictions
(:func:`dadkhah.store.restrict.hidden`: sources, records, evidence, testimonies; an import
is its source's; a person is hidden material when one of their records is, as the register's
:func:`~dadkhah.register.restricted.hidden_persons_select` says) and, for the case file's
actors, roles, events, figures and allegations, :func:`dadkhah.casefile._unseen.unseen`.

An entry is about the material its ``target`` names and the ids and slugs its details
name under the keys the writers use (``source_id``, ``source``, ``sources``, ``import_id``,
``record_id``, ``records``, ``moved``, ``evidence_id``, ``evidence``, ``person_id``,
``person``, ``kept``, ``merged``, ``new_person``, an evidence link's ``claim``, the slugs
``actor``, ``institution`` and ``event``); one of them kept from the reader is enough.
Checking the chain (:meth:`dadkhah.store.Case.verify_audit`) walks every entry whatever
the reader: it shows none of their content.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from dadkhah.access import Viewer
from dadkhah.casefile._unseen import unseen
from dadkhah.register.restricted import hidden_persons_select
from dadkhah.store import Case, audit
from dadkhah.store.restrict import hidden
from dadkhah.store.tables import Actor, Event, Evidence, Import, Source

_SCAN = 500
"""Entries read at a time while filling a page (a reader kept from much needs more)."""


@dataclass(frozen=True)
class AuditLogPage:
    """Entries of the audit log one reader may see, newest first (rows with the columns of
    ``audit_log``), and how many entries in the same stretch of the log were left out
    because they are about material kept from that reader (a count only)."""

    entries: tuple[Any, ...]
    not_shown: int = 0

    def note(self) -> str | None:
        """The line that says entries were left out, or None when none were."""
        if not self.not_shown:
            return None
        return (f"{self.not_shown} entries about material kept from you are not shown "
                "(an admin sees them with --include-restricted --role admin).")


@dataclass(frozen=True)
class _Kept:
    """What of the log's vocabulary is kept from one reader."""

    ids: dict[str, frozenset[int]]
    source_slugs: frozenset[str]
    evidence_sha256: frozenset[str]
    claim_slugs: dict[str, frozenset[str]]

    def __bool__(self) -> bool:
        return any(self.ids.values())

    def _names(self, ref: Any) -> bool:
        """``ref`` is ``kind:id`` (a target, an evidence link's claim) of a kept item."""
        kind, _, n = ref.partition(":") if isinstance(ref, str) else ("", "", "")
        return n.isdigit() and int(n) in self.ids.get(kind, frozenset())

    def about(self, target: str, details: dict[str, Any]) -> bool:
        if self._names(target) or self._names(details.get("claim")):
            return True
        for key, kind in _DETAIL_SLUGS.items():
            if details.get(key) in self.claim_slugs[kind]:
                return True
        for key, kind in _DETAIL_IDS.items():
            if any(i in self.ids[kind] for i in _ints(details.get(key))):
                return True
        slugs = [details.get("source")] + [c.get("source") for c in details.get("sources") or []
                                           if isinstance(c, dict)]
        if any(isinstance(s, str) and s in self.source_slugs for s in slugs):
            return True
        items = details.get("evidence")
        return isinstance(items, list) and any(s in self.evidence_sha256 for s in items
                                               if isinstance(s, str))


_DETAIL_IDS = {"source_id": "source", "import_id": "import", "record_id": "record",
               "records": "record", "moved": "record", "evidence_id": "evidence",
               "person_id": "person", "person": "person", "kept": "person",
               "merged": "person", "new_person": "person"}


# an actor or event named by its slug (a testimony's event, a role's holder or institution)
_DETAIL_SLUGS = {"actor": "actor", "institution": "actor", "event": "event"}


def _ints(value: Any) -> Iterable[int]:
    if isinstance(value, bool):
        return ()
    if isinstance(value, int):
        return (value,)
    if isinstance(value, list):
        return (v for v in value if isinstance(v, int) and not isinstance(v, bool))
    return ()


def _kept_from(conn: Connection, viewer: Viewer | None) -> _Kept:
    gone = hidden(conn, viewer)
    none: frozenset[int] = frozenset()
    ids: dict[str, frozenset[int]] = {k: none for k in (
        "source", "record", "evidence", "testimony", "import", "person", "actor", "role",
        "event", "figure", "allegation")}
    slugs: frozenset[str] = frozenset()
    shas: frozenset[str] = frozenset()
    if gone:
        ids.update(source=gone.sources, record=gone.records, evidence=gone.evidence,
                   testimony=gone.testimonies)
        ids["import"] = frozenset(int(i) for i in conn.execute(
            select(Import.id).where(Import.source_id.in_(sorted(gone.sources)))).scalars())
        ids["person"] = frozenset(int(i) for i in conn.execute(
            hidden_persons_select(viewer)).scalars()) if gone.records else none
        slugs = frozenset(conn.execute(select(Source.slug).where(
            Source.id.in_(sorted(gone.sources)))).scalars())
        shas = frozenset(conn.execute(select(Evidence.sha256).where(
            Evidence.id.in_(sorted(gone.evidence)))).scalars())
    absent = unseen(conn, viewer)
    for kind in ("actor", "role", "event", "figure", "allegation"):
        ids[kind] = absent.of(kind)
    claim_slugs = {
        "actor": frozenset(conn.execute(select(Actor.slug).where(
            Actor.id.in_(sorted(absent.actors)))).scalars()) if absent.actors else frozenset(),
        "event": frozenset(conn.execute(select(Event.slug).where(
            Event.id.in_(sorted(absent.events)))).scalars()) if absent.events else frozenset()}
    return _Kept(ids, slugs, shas, claim_slugs)


def audit_log(case: Case, *, viewer: Viewer | None, by: str, before: int | None = None,
              limit: int = 100, action: str | None = None,
              actor: str | None = None) -> AuditLogPage:
    """The newest ``limit`` entries (with an id below ``before``; ``action`` and ``actor``
    filter as :meth:`dadkhah.store.Case.audit_entries` does) that ``viewer`` (None: nobody
    in particular) may see, and how many entries between the first and the last of them, or
    to the log's end when the page is not full, were left out as being about material kept
    from ``viewer``.  An admin's ``Viewer.everything`` reads every entry, and that read is
    written to the log (``audit.read``, by ``by``)."""
    with case.read() as conn:
        kept = _kept_from(conn, viewer)
    if viewer is not None and viewer.sees_all:
        audit.record_access(case, by=by, action="audit.read", target="audit",
                            details={"include_restricted": True, "role": viewer.role,
                                     "action": action, "actor": actor, "before": before})
    if not kept:
        return AuditLogPage(tuple(case.audit_entries(before=before, limit=limit,
                                                     action=action, actor=actor)))
    shown: list[Any] = []
    left_out = 0
    cursor = before
    while len(shown) < limit:
        chunk = case.audit_entries(before=cursor, limit=max(limit, _SCAN), action=action,
                                   actor=actor)
        for e in chunk:
            if kept.about(e.target, json.loads(e.details)):
                left_out += 1
            else:
                shown.append(e)
                if len(shown) == limit:
                    break
        if len(chunk) < max(limit, _SCAN):
            break
        cursor = chunk[-1].id
    return AuditLogPage(tuple(shown), left_out)


__all__ = ["AuditLogPage", "audit_log"]
