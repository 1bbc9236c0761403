"""A case: one store (SQLite file in a case folder, or a PostgreSQL database).

This is the library API a notebook user calls directly::

    from dadkhah.store import Case
    case = Case.create("./mycase")
    src = case.add_source(slug="families-1", title="Families' list", kind="family_list")

    from dadkhah.ingest import import_file
    import_file(case, "families.csv", source=src.slug)

Other packages reach the tables through :meth:`Case.read` and :meth:`Case.write` (never
``case.engine`` directly), so the transaction rules live here: a write transaction takes the
write lock at once (SQLite ``BEGIN IMMEDIATE``), which the audit hash chain needs, and a
read never writes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    delete,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from dadkhah.access import INTERNAL, NOBODY, Viewer
from dadkhah.errors import ConfigError, InvalidInput, NotFound, StoreError
from dadkhah.store import _engine, audit
from dadkhah.store.tables import (
    COPY_EXTENTS,
    RECORD_FIELDS,
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    AuditEntry,
    Import,
    RejectedRow,
    Source,
    SourceCopy,
    SourceRecord,
    insert_row,
)

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_WEB_URL = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)


def check_url(value: str | None, what: str = "URL") -> str | None:
    """``value`` stripped if it is a web address (``http://`` or ``https://``), None if empty.

    Any other scheme (``javascript:``, ``data:``, ``file:`` …) or a value with spaces or
    control characters raises :class:`~dadkhah.errors.InvalidInput`: a URL is shown as a link
    on the team's pages, and a ``javascript:`` link would run with the reader's login.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if not _WEB_URL.match(text) or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise InvalidInput(f"The {what} {text[:80]!r} is not a web address.",
                           hint="Give an address that starts with http:// or https:// "
                                "(other schemes, such as javascript: or file:, are refused).")
    return text


@dataclass(frozen=True)
class SourceInfo:
    """A source as stored, with its record count."""

    id: int
    slug: str
    title: str
    kind: str
    reliability: str
    organisation: str | None = None
    author: str | None = None
    date: str | None = None
    citation: str | None = None
    url: str | None = None
    language: str | None = None
    script: str | None = None
    notes: str | None = None
    synthetic: bool = False
    created_at: str = ""
    created_by: str = ""
    records: int = 0
    imports: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SourceCopyInfo:
    """One source that copies another: ``source`` copies ``copied`` (slugs), ``extent``
    ``whole`` or ``part`` (:data:`~dadkhah.store.tables.COPY_EXTENTS`)."""

    source: str
    copied: str
    extent: str
    note: str | None = None
    created_at: str = ""
    created_by: str = ""

    def summary(self) -> str:
        """One line: "ngo_b copies part of ngo_a"."""
        return (f"{self.source} copies {'all' if self.extent == 'whole' else 'part'} of "
                f"{self.copied}" + (f" ({self.note})" if self.note else ""))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class RecordView:
    """One source record: provenance, the raw row as stored and the mapped fields."""

    id: int
    source_id: int
    source_title: str
    import_id: int
    row_number: int
    raw: str
    raw_sha256: str
    fields: dict[str, str | None]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ImportInfo:
    """One import batch as stored."""

    id: int
    source_id: int
    file_name: str
    file_sha256: str
    file_size: int
    file_format: str
    encoding: str | None
    mapping: dict[str, str]
    rows_read: int
    rows_imported: int
    rows_rejected: int
    imported_by: str
    imported_at: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_SOURCE_COLUMNS = [f.name for f in fields(SourceInfo) if f.name not in ("records", "imports")]


def _check_extent(extent: str) -> None:
    if extent not in COPY_EXTENTS:
        raise InvalidInput(f"Unknown extent of copying {extent!r}.",
                           hint="Use 'whole' (every entry copied) or 'part' (some).")


class Case:
    """An open case store.  Create with :meth:`create`, open with :meth:`open`."""

    def __init__(self, location: str, engine: Engine, *, read_only: bool = False) -> None:
        self.location = location
        self.engine = engine
        self.read_only = read_only
        self.upgraded_from: str | None = None
        """For a case :meth:`upgrade` returned, the schema revision it found (the same as
        :meth:`schema_revision` when there was nothing to do, None for an empty database);
        None for a case opened or created."""

    # -- lifecycle --------------------------------------------------------------------
    @classmethod
    def create(cls, location: str | Path, *, by: str = "unknown") -> Case:
        """Create a new case (folder with ``case.db``, or an empty PostgreSQL database).

        A new folder is made readable by its owner only (0700) and ``case.db`` is 0600
        (SQLite gives its ``-wal`` and ``-shm`` files the same mode)."""
        loc = str(location)
        if not _engine.is_server_url(loc):
            folder = Path(loc)
            if folder.exists() and not folder.is_dir():
                raise ConfigError(f"{loc} exists and is not a folder.",
                                  hint="Choose a new folder name for the case.")
            if (folder / _engine.CASE_DB).exists():
                raise StoreError(f"A case already exists at {loc}.",
                                 hint="Use it as it is, or choose another folder.")
            # Owner-only: the case holds names, submitters' contacts and the audit log.
            if not folder.exists():
                folder.mkdir(parents=True)
                os.chmod(folder, 0o700)
            os.close(os.open(folder / _engine.CASE_DB, os.O_WRONLY | os.O_CREAT, 0o600))
        engine = _engine.make_engine(loc)
        if _engine.current_revision(engine) is not None:
            raise StoreError(f"A case already exists at {loc}.",
                             hint="Use it as it is, or point --case at an empty database.")

        def _audit(conn: Connection) -> None:
            audit.append(conn, by=by, action="init", target="case",
                         details={"schema": _engine.head_revision()})

        _engine.upgrade(engine, then=_audit)
        return cls(loc, engine)

    @classmethod
    def open(cls, location: str | Path, *, read_only: bool = False,
             busy_timeout: float | None = None) -> Case:
        """Open an existing case; refuses a store whose schema is not current.

        ``read_only``: for readers beside a writer (the web application's pages);
        ``busy_timeout``: seconds a write waits for another writer before
        :class:`~dadkhah.errors.StoreBusy` (SQLite; default 30); see
        :func:`dadkhah.store._engine.make_engine`."""
        loc = str(location)
        if not _engine.is_server_url(loc) and not (Path(loc) / _engine.CASE_DB).exists():
            raise ConfigError(f"No case at {loc} (no {_engine.CASE_DB} there).",
                              hint=f"Create one with: dadkhah --case {loc} init")
        engine = _engine.make_engine(loc, read_only=read_only, busy_timeout=busy_timeout)
        # The schema check only reads: on SQLite, through a read-only engine it does not
        # wait for a writer (an import in progress) as the writing engine's would.
        separate = not read_only and not _engine.is_server_url(loc)
        probe = _engine.make_engine(loc, read_only=True) if separate else engine
        try:
            _engine.check_schema(probe, loc)
        finally:
            if separate:
                probe.dispose()
        return cls(loc, engine, read_only=read_only)

    @classmethod
    def upgrade(cls, location: str | Path, *, by: str = "unknown") -> Case:
        """Apply pending migrations to an existing case; the case returned says which
        revision it was at (:attr:`upgraded_from`)."""
        loc = str(location)
        engine = _engine.make_engine(loc)
        before = _engine.current_revision(engine)

        def _audit(conn: Connection) -> None:
            # In the migrations' own transaction, so that the rows a migration changed are
            # sealed into this entry (dadkhah.store.integrity).
            after = MigrationContext.configure(conn).get_current_revision()
            if before != after:
                audit.append(conn, by=by, action="upgrade", target="case",
                              details={"from": before, "to": after})

        _engine.upgrade(engine, then=_audit)
        case = cls(loc, engine)
        case.upgraded_from = before
        return case

    def close(self) -> None:
        """Release the store's connections (the case can be opened again)."""
        self.engine.dispose()

    # -- transactions -----------------------------------------------------------------
    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading, closed on exit (no commit: nothing is written).

        On SQLite its transaction begins DEFERRED: a read sees a consistent snapshot and
        never waits for a writer (a long import), where the write lock would make it wait
        (review K4)."""
        with self.engine.connect() as conn:
            # Connection.info lives with the pooled DBAPI connection: unset it on the way out
            conn.info[_engine.READING] = True
            try:
                yield conn
            finally:
                conn.info.pop(_engine.READING, None)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed on a clean exit, rolled back on any exception.

        On SQLite it holds the write lock from its first statement, so concurrent writers
        serialise and the audit chain's head is never read stale; append the audit entry
        (:func:`dadkhah.store.audit.append`) inside the same transaction.
        """
        with self.engine.begin() as conn:
            yield conn
            # Rows changed after the transaction's last audit entry (or in a write that
            # appends none) get an entry of their own, so no change goes unsealed.
            audit.seal_pending(conn)

    @property
    def is_server(self) -> bool:
        """True for a case on a database server (PostgreSQL), False for a case folder."""
        return _engine.is_server_url(self.location)

    def schema_revision(self) -> str | None:
        """The Alembic revision the store is at (None for an empty database)."""
        return _engine.current_revision(self.engine)

    def __enter__(self) -> Case:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sources ----------------------------------------------------------------------
    def add_source(self, *, slug: str, title: str, kind: str, reliability: str = "F",
                   by: str = "unknown", copies: int | str | None = None,
                   copies_extent: str = "part", viewer: Viewer | None = None,
                   **extra: Any) -> SourceInfo:
        """Register a source (a list or document that names victims).

        ``kind`` is one of :data:`SOURCE_KINDS`; ``reliability`` an Admiralty grade A–F
        (F = reliability cannot be judged).  ``copies``: a source (id or slug) this one
        copies, wholly or in part (``copies_extent``, see :meth:`set_source_copy`), one
        ``viewer`` (who writes; None: nobody in particular) may see.  Other keyword
        arguments: organisation, author, date, citation, url, language, script, notes,
        synthetic.
        """
        if copies is not None:
            _check_extent(copies_extent)
            # before the source is added: all or nothing
            self.resolve_source_id(copies, viewer or NOBODY)
        if not _SLUG.match(slug):
            raise StoreError(f"Source id {slug!r} is not usable.",
                             hint="Use lower-case letters, digits, '.', '-' or '_', up to 64 "
                                  "characters, starting with a letter or digit "
                                  "(e.g. families-1).")
        if kind not in SOURCE_KINDS:
            raise StoreError(f"Unknown source kind {kind!r}.",
                             hint="Use one of: " + ", ".join(SOURCE_KINDS))
        grade = reliability.strip().upper()
        if grade not in RELIABILITY_GRADES:
            raise StoreError(f"Reliability grade {reliability!r} is not on the Admiralty scale.",
                             hint="Use A (completely reliable) … E (unreliable) or F "
                                  "(cannot be judged).")
        unknown = set(extra) - set(_SOURCE_COLUMNS)
        if unknown:
            raise TypeError(f"unknown source fields: {sorted(unknown)}")
        if not title.strip():
            raise StoreError("A source needs a title.", hint="Pass --title.")
        for key in ("url", "archive_url"):
            if key in extra:
                extra[key] = check_url(extra[key], "source URL" if key == "url"
                                       else "archive URL")
        values = dict(slug=slug, title=title, kind=kind, reliability=grade,
                      created_at=audit.now_utc(), created_by=by,
                      synthetic=bool(extra.pop("synthetic", False)), **extra)
        with self.engine.begin() as conn:
            if conn.execute(select(Source.id).where(Source.slug == slug)).first():
                raise StoreError(f"A source with id {slug!r} already exists.",
                                 hint="Choose another id, or import into that source.")
            new_id = insert_row(conn, Source, **values)
            audit.append(conn, by=by, action="source.add", target=f"source:{new_id}",
                          details={"source_id": new_id, **{k: v for k, v in values.items()
                                                           if k not in ("created_at",)}})
        if copies is not None:
            self.set_source_copy(new_id, copies, extent=copies_extent, by=by, viewer=viewer)
        return self.source(new_id)

    def set_source_copy(self, ref: int | str, copied: int | str, *, extent: str = "part",
                        note: str | None = None, by: str = "unknown",
                        viewer: Viewer | None = None) -> SourceCopyInfo:
        """Record that source ``ref`` copies source ``copied``: ``extent`` ``whole`` (every
        entry taken from it) or ``part`` (some entries).  Replaces an earlier statement about
        the same two sources; audited (``source.copies``).  ``dadkhah estimate`` then counts
        the two lists as one (a copied list is a dependence between lists that
        capture–recapture does not model).  ``viewer`` is who writes (None: nobody in
        particular): a source restricted from them gets the answer a missing one gets."""
        _check_extent(extent)
        sid = self.resolve_source_id(ref, viewer or NOBODY)
        cid = self.resolve_source_id(copied, viewer or NOBODY)
        if sid == cid:
            raise InvalidInput(f"Source {ref!r} cannot copy itself.",
                               hint="Name the other source it copies (dadkhah source list).")
        with self.write() as conn:
            slugs = dict(conn.execute(select(Source.id, Source.slug)
                                      .where(Source.id.in_((sid, cid)))).all())
            conn.execute(delete(SourceCopy).where(SourceCopy.source_id == sid,
                                                  SourceCopy.copied_id == cid))
            at = audit.now_utc()
            conn.execute(insert(SourceCopy).values(source_id=sid, copied_id=cid, extent=extent,
                                                   note=note or None, created_at=at,
                                                   created_by=by))
            audit.append(conn, by=by, action="source.copies", target=f"source:{sid}",
                          details={"source": slugs[sid], "copies": slugs[cid],
                                   "extent": extent, "note": note or None})
        return SourceCopyInfo(source=slugs[sid], copied=slugs[cid], extent=extent,
                              note=note or None, created_at=at, created_by=by)

    def remove_source_copy(self, ref: int | str, copied: int | str | None = None, *,
                           by: str = "unknown", viewer: Viewer | None = None) -> int:
        """Withdraw the statement that ``ref`` copies ``copied`` (None: every source it was
        said to copy that ``viewer`` may see); audited (``source.copies.remove``).  Returns
        how many were removed.  ``viewer`` is who writes (None: nobody in particular): a
        source restricted from them gets the answer a missing one gets, and a copy of one
        stays recorded (they cannot see it, so they did not mean it)."""
        from dadkhah.store.restrict import hidden_ids_select

        sid = self.resolve_source_id(ref, viewer or NOBODY)
        cond = SourceCopy.source_id == sid
        if copied is not None:
            cond = cond & (SourceCopy.copied_id == self.resolve_source_id(copied,
                                                                          viewer or NOBODY))
        else:
            cond = cond & SourceCopy.copied_id.not_in(hidden_ids_select("source", viewer))
        with self.write() as conn:
            gone = self._copy_infos(conn, cond)
            if gone:
                conn.execute(delete(SourceCopy).where(cond))
                audit.append(conn, by=by, action="source.copies.remove",
                              target=f"source:{sid}",
                              details={"removed": [[g.source, g.copied] for g in gone]})
        return len(gone)

    def source_copies(self) -> list[SourceCopyInfo]:
        """Every recorded copy between sources, in the order of the copying source."""
        with self.read() as conn:
            return self._copy_infos(conn, None)

    @staticmethod
    def _copy_infos(conn: Connection,
                    cond: ColumnElement[bool] | None) -> list[SourceCopyInfo]:
        # one query with both slugs joined, not one look-up per copy row
        src, cop = aliased(Source), aliased(Source)
        q = (select(SourceCopy.__table__, src.slug.label("source_slug"),
                    cop.slug.label("copied_slug"))
             .join(src, src.id == SourceCopy.source_id)
             .join(cop, cop.id == SourceCopy.copied_id)
             .order_by(SourceCopy.source_id, SourceCopy.copied_id))
        if cond is not None:
            q = q.where(cond)
        return [SourceCopyInfo(source=r.source_slug, copied=r.copied_slug, extent=r.extent,
                               note=r.note, created_at=r.created_at, created_by=r.created_by)
                for r in conn.execute(q).all()]

    def _source_row_to_info(self, row: Row[Any], records: int, imports: int) -> SourceInfo:
        return SourceInfo(**{c: getattr(row, c) for c in _SOURCE_COLUMNS},
                          records=records, imports=imports)

    def resolve_source_id(self, ref: int | str, viewer: Viewer = INTERNAL) -> int:
        """Source id from its number or its slug.  With a ``viewer`` (who writes into it),
        a source restricted from them is answered as a missing one, so that writing cannot
        tell them it exists; the default checks nothing (library code acting for nobody)."""
        from dadkhah.store.restrict import visible_source_id

        with self.read() as conn:
            return visible_source_id(conn, ref, viewer)

    def source(self, ref: int | str, viewer: Viewer | None = None) -> SourceInfo:
        """One source (id or slug), as :meth:`sources` shows it to ``viewer``; a source
        restricted from them is answered as a missing one
        (:func:`~dadkhah.store.restrict.no_such_source`)."""
        sid = self.resolve_source_id(ref)
        found = next((s for s in self.sources(viewer) if s.id == sid), None)
        if found is None:
            from dadkhah.store.restrict import no_such_source

            raise no_such_source(ref)
        return found

    def sources(self, viewer: Viewer | None = None) -> list[SourceInfo]:
        """The case's sources in id order, with their record and import counts; a source
        restricted and not open to ``viewer`` (None: nobody in particular) is left out
        (:mod:`dadkhah.store.restrict`), and a record restricted from them is not counted."""
        from dadkhah.store.restrict import hidden_ids_select, hides

        with self.engine.connect() as conn:
            per_source = select(SourceRecord.source_id, func.count())
            if hides(conn, viewer, ("record",)):
                per_source = per_source.where(
                    SourceRecord.id.not_in(hidden_ids_select("record", viewer)))
            counts = dict(conn.execute(per_source.group_by(SourceRecord.source_id)).all())
            nimp = dict(conn.execute(
                select(Import.source_id, func.count()).group_by(Import.source_id)
            ).all())
            rows = conn.execute(select(Source.__table__).where(
                Source.id.not_in(hidden_ids_select("source", viewer))).order_by(Source.id)).all()
        return [self._source_row_to_info(r, counts.get(r.id, 0), nimp.get(r.id, 0))
                for r in rows]

    # -- imports ----------------------------------------------------------------------
    def imports(self, source: int | str | None = None) -> list[ImportInfo]:
        q = select(Import.__table__).order_by(Import.id)
        if source is not None:
            q = q.where(Import.source_id == self.resolve_source_id(source))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [
            ImportInfo(id=r.id, source_id=r.source_id, file_name=r.file_name,
                       file_sha256=r.file_sha256, file_size=r.file_size,
                       file_format=r.file_format, encoding=r.encoding,
                       mapping=json.loads(r.mapping), rows_read=r.rows_read,
                       rows_imported=r.rows_imported, rows_rejected=r.rows_rejected,
                       imported_by=r.imported_by, imported_at=r.imported_at)
            for r in rows
        ]

    def rejected_rows(self, import_id: int) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(RejectedRow.__table__)
                                .where(RejectedRow.import_id == import_id)
                                .order_by(RejectedRow.row_number)).all()
        return [dict(row_number=r.row_number, raw=r.raw, raw_sha256=r.raw_sha256,
                     problems=json.loads(r.problems)) for r in rows]

    # -- records ----------------------------------------------------------------------
    def iter_records(self, *, source: int | str | None = None,
                     where: ColumnElement[bool] | None = None, limit: int | None = None,
                     offset: int = 0, batch_size: int = 5000) -> Iterator[RecordView]:
        """Source records in id order, streamed.

        ``where`` is a prepared condition on ``source_records``: a name search builds it
        with :func:`dadkhah.register.search.record_match` (Persian letter variants and
        cross-script name keys), or :func:`dadkhah.register.search_records` does it all.
        """
        t = SourceRecord.__table__
        q = (select(t, Source.title.label("source_title"))
             .join(Source, Source.id == t.c.source_id).order_by(t.c.id))
        if source is not None:
            q = q.where(t.c.source_id == self.resolve_source_id(source))
        if where is not None:
            q = q.where(where)
        if offset:
            q = q.offset(offset)
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            result = conn.execution_options(yield_per=batch_size).execute(q)
            for r in result:
                yield _record_view(r)

    def records(self, **kwargs: Any) -> list[RecordView]:
        return list(self.iter_records(**kwargs))

    def record(self, record_id: int, viewer: Viewer | None = None) -> RecordView:
        """One source record; a record restricted from ``viewer`` (None: nobody in
        particular) is not found, like an unknown id."""
        from dadkhah.store.restrict import hidden_records_select

        t = SourceRecord.__table__
        q = (select(t, Source.title.label("source_title"))
             .join(Source, Source.id == t.c.source_id)
             .where(t.c.id == record_id, t.c.id.not_in(hidden_records_select(viewer))))
        with self.engine.connect() as conn:
            r = conn.execute(q).first()
        if r is None:
            raise NotFound(f"No source record {record_id} in this case.",
                           hint="List records with: dadkhah records list")
        return _record_view(r)

    def count_records(self, viewer: Viewer | None = None, *, normalized: bool = False) -> int:
        """How many source records the case holds that ``viewer`` (None: nobody in
        particular) may see; the restriction check is one indexed query.  ``normalized``:
        only those :func:`dadkhah.register.normalize_case` has parsed."""
        from dadkhah.store.restrict import hidden_records_select, hides

        q = select(func.count()).select_from(SourceRecord)
        if normalized:
            q = q.where(SourceRecord.normalized_at.is_not(None))
        with self.engine.connect() as conn:
            if hides(conn, viewer):
                q = q.where(SourceRecord.id.not_in(hidden_records_select(viewer)))
            return int(conn.execute(q).scalar_one())

    # -- audit ------------------------------------------------------------------------
    def audit_entries(self, *, before: int | None = None, limit: int = 100,
                      action: str | None = None, actor: str | None = None) -> list[Any]:
        """The audit log newest first, ``limit`` entries with an id below ``before`` (rows
        with the columns of ``audit_log``: id, at, actor, action, target, details …).
        ``action``: only that action or those under it (``user.login`` also gives
        ``user.login.failed``); ``actor``: only entries by that name."""
        a = AuditEntry.__table__
        q = select(a).order_by(a.c.id.desc()).limit(limit)
        if before:
            q = q.where(a.c.id < before)
        if action:
            # A prefix of dotted names; LIKE's wildcards in the text are taken literally.
            esc = action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            q = q.where(or_(a.c.action == action, a.c.action.like(esc + ".%", escape="\\")))
        if actor:
            q = q.where(a.c.actor == actor)
        with self.engine.connect() as conn:
            return list(conn.execute(q).all())

    def verify_audit(self, *, anchors: Sequence[audit.Anchor] = ()) -> audit.AuditReport:
        """Re-walk the audit hash chain, re-hash every source record and every protected
        row, and check the chain against ``anchors`` (signed checkpoints: see
        :mod:`dadkhah.store.integrity_anchor`)."""
        with self.engine.connect() as conn:
            return audit.verify(conn, anchors=anchors)


def _record_view(r: Row[Any]) -> RecordView:
    return RecordView(id=r.id, source_id=r.source_id, source_title=r.source_title,
                      import_id=r.import_id, row_number=r.row_number, raw=r.raw,
                      raw_sha256=r.raw_sha256, fields={f: getattr(r, f) for f in RECORD_FIELDS})

