"""Evidence files: a content-addressed store with a chain of custody.

A file is stored once under its SHA-256 (``<case>/evidence/sha256/ab/cdef…``); the same
bytes added twice are stored once, and the second acquisition is still logged.  Every path
by which bytes enter or leave the store writes a custody entry to the hash-chained audit
log (target ``evidence:<id>``, details carry the SHA-256):

``evidence.acquire``  the file enters the case (who obtained it, when, from whom, how)
``evidence.access``   its bytes were read (and re-hashed while reading)
``evidence.export``   a copy left the store (where to, for whom), re-hashed after copying
``evidence.transfer`` it arrived from another case's export (custody before it travels
                      in that export's ``custody.json``)
``evidence.verify``   it was re-hashed by ``verify_evidence``: ok, mismatch or missing

The evidentiary copy in the store is never modified; exports are working copies.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, and_, func, insert, or_, select

from dadkhah import access
from dadkhah.access import Viewer
from dadkhah.casefile._common import require_write, write
from dadkhah.casefile._unseen import unseen
from dadkhah.errors import ConfigError, IntegrityError, InvalidInput, NotFound, StoreError
from dadkhah.store import Case, audit
from dadkhah.store.restrict import hidden_ids_select, visible_source_id
from dadkhah.store.tables import AuditEntry, Evidence, Source, insert_row

EVIDENCE_KINDS = ("document", "audio", "image", "video", "other")
EVIDENCE_ENV = "DADKHAH_EVIDENCE_DIR"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class EvidenceInfo:
    """An evidence item as stored: hash, size (bytes), type and acquisition metadata."""

    id: int
    sha256: str
    size: int
    media_type: str
    kind: str
    original_name: str
    title: str | None
    description: str | None
    acquired_by: str | None
    acquired_at: str | None
    acquired_from: str | None
    acquisition_method: str | None
    source: str | None
    added_at: str
    added_by: str
    already_present: bool = field(default=False, compare=False)

    def summary(self) -> str:
        dup = " (already in the store: stored once)" if self.already_present else ""
        return (f"evidence {self.id}: {self.title or self.original_name} — {self.kind}, "
                f"{self.media_type}, {self.size:,} bytes, sha256 {self.sha256}{dup}")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("already_present")
        return d


@dataclass(frozen=True)
class CustodyEntry:
    """One link of an item's chain of custody (an audit-log entry)."""

    seq: int
    at: str
    by: str
    action: str
    details: dict[str, Any]
    entry_hash: str

    def summary(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.details.items()
                          if k not in ("sha256", "evidence_id") and v not in (None, ""))
        return f"{self.at[:19]} {self.action.removeprefix('evidence.')} by {self.by}" + \
               (f" ({extra})" if extra else "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ItemCheck:
    id: int
    sha256: str
    original_name: str
    status: str  # ok | mismatch | missing
    found_sha256: str | None = None


@dataclass(frozen=True)
class VerifyReport:
    """Result of :func:`verify_evidence`: every item the reader may see re-hashed, and how
    many were not checked because they are kept from the reader (a count only)."""

    items: tuple[ItemCheck, ...]
    not_checked: int = 0

    @property
    def ok(self) -> bool:
        return all(i.status == "ok" for i in self.items)

    @property
    def problems(self) -> tuple[ItemCheck, ...]:
        return tuple(i for i in self.items if i.status != "ok")

    def summary(self) -> str:
        n = len(self.items)
        if self.ok:
            lines = [f"Evidence intact: {n} item(s) re-hashed, every one matches its SHA-256."]
        else:
            lines = [f"Evidence PROBLEMS: {len(self.problems)} of {n} item(s)."]
        for p in self.problems:
            what = ("file is MISSING" if p.status == "missing" else
                    f"content CHANGED (now sha256 {p.found_sha256})")
            lines.append(f"  evidence {p.id} ({p.original_name}, sha256 {p.sha256}): {what}")
        if self.not_checked:
            lines.append(f"{self.not_checked} item(s) not checked: restricted from you "
                         "(an admin checks them with --include-restricted --role admin).")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "items": [asdict(i) for i in self.items],
                "not_checked": self.not_checked}


# -- where the files live -----------------------------------------------------------------
def evidence_root(case: Case, evidence_dir: str | Path | None = None) -> Path:
    """The evidence folder: ``evidence_dir``, else ``$DADKHAH_EVIDENCE_DIR``, else
    ``<case folder>/evidence``.  A PostgreSQL case has no folder, so one must be given."""
    chosen = evidence_dir or os.environ.get(EVIDENCE_ENV)
    if chosen:
        return Path(chosen)
    if case.is_server:
        raise ConfigError(
            "This case is on a PostgreSQL server, so it has no folder for evidence files.",
            hint=f"Pass --evidence-dir PATH (or set {EVIDENCE_ENV}) to a folder that every "
                 "team member's dadkhah can reach, and keep it backed up with the database.")
    return Path(case.location) / "evidence"


def blob_path(root: Path, sha256: str) -> Path:
    return root / "sha256" / sha256[:2] / sha256[2:]


def hash_file(path: Path) -> tuple[str, int]:
    """(SHA-256 hex, size in bytes), read in 1 MiB chunks."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _guess(name: str, media_type: str | None, kind: str | None) -> tuple[str, str]:
    mt = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if kind is None:
        major = mt.split("/")[0]
        kind = (major if major in ("audio", "image", "video") else
                "document" if major == "text" or mt in ("application/pdf", "application/json")
                or "document" in mt or "msword" in mt else "other")
    if kind not in EVIDENCE_KINDS:
        raise InvalidInput(f"Unknown evidence kind {kind!r}.",
                           hint="Use one of: " + ", ".join(EVIDENCE_KINDS))
    return mt, kind


def store_blob(root: Path, src: Path, sha256: str) -> bool:
    """Copy ``src`` into the store under ``sha256``; False if it was already there."""
    dest = blob_path(root, sha256)
    if dest.exists():
        return False
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".incoming-")
    os.close(fd)
    try:
        shutil.copyfile(src, tmp)
        if hash_file(Path(tmp))[0] != sha256:
            raise IntegrityError(f"{src} changed while it was being copied into the store.",
                                 hint="Add it again once nothing is writing to it.")
        os.chmod(tmp, 0o444)  # the evidentiary copy is read-only
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return True


# -- adding and reading -----------------------------------------------------------------------
def resolve_evidence(conn: Connection, ref: int | str) -> Row[Any]:
    """An item by id, full SHA-256, or a unique SHA-256 prefix of at least 8 characters."""
    s = str(ref).strip().lower()
    conds = [Evidence.sha256 == s]
    if s.isdigit() and len(s) < 8:
        conds.append(Evidence.id == int(s))
    elif len(s) >= 8:
        conds.append(Evidence.sha256.startswith(s))
    rows = conn.execute(select(Evidence.__table__).where(or_(*conds))).all()
    if len(rows) != 1:
        raise NotFound(f"{'No' if not rows else 'More than one'} evidence item matches "
                       f"{ref!r}.", hint="List items with: dadkhah evidence list (give the id "
                                         "or at least 8 characters of the SHA-256).")
    return rows[0]


def _info(conn: Connection, row: Row[Any], already: bool = False) -> EvidenceInfo:
    src = (conn.execute(select(Source.slug).where(Source.id == row.source_id)).scalar()
           if row.source_id else None)
    return EvidenceInfo(
        id=row.id, sha256=row.sha256, size=row.size, media_type=row.media_type, kind=row.kind,
        original_name=row.original_name, title=row.title, description=row.description,
        acquired_by=row.acquired_by, acquired_at=row.acquired_at,
        acquired_from=row.acquired_from, acquisition_method=row.acquisition_method,
        source=src, added_at=row.added_at, added_by=row.added_by, already_present=already)


def add_evidence(case: Case, path: str | Path, *, title: str | None = None,
                 description: str | None = None, kind: str | None = None,
                 media_type: str | None = None, acquired_by: str | None = None,
                 acquired_at: str | None = None, acquired_from: str | None = None,
                 acquisition_method: str | None = None, source: int | str | None = None,
                 evidence_dir: str | Path | None = None, by: str,
                 role: str | None = None, viewer: Viewer | None = None,
                 conn: Connection | None = None) -> EvidenceInfo:
    """Add a file to the evidence store and log its acquisition.

    ``acquired_by`` who obtained it, ``acquired_at`` when (as written), ``acquired_from``
    from whom or where (URL, archive, person's pseudonym), ``acquisition_method`` how
    (download, scan, handed over …).  The same bytes added again are not stored twice: the
    existing item is returned (``already_present``) and the second acquisition is logged;
    when that item is restricted from ``viewer`` the file is refused (:class:`StoreError`)
    with nothing of the item said and nothing written.
    ``source``, the source it belongs to, must be one ``viewer`` (who writes; None: nobody
    in particular) may see: another gets the answer a source the case does not hold gets.
    ``conn``: a connection inside the caller's write transaction, whose other writes the
    item then commits or rolls back with (an import's records); by default a transaction
    of its own.
    """
    require_write(role, "evidence")
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"No file at {path}.", hint="Give the path of the file to add.")
    mt, kind = _guess(path.name, media_type, kind)
    sha, size = hash_file(path)
    root = evidence_root(case, evidence_dir)
    created = store_blob(root, path, sha)
    meta = {"acquired_by": acquired_by, "acquired_at": acquired_at,
            "acquired_from": acquired_from, "acquisition_method": acquisition_method}

    def acquire(conn: Connection) -> EvidenceInfo:
        existing = conn.execute(select(Evidence.__table__)
                                .where(Evidence.sha256 == sha)).first()
        if existing is not None:
            _refuse_unseen_copy(conn, existing, viewer)
        src_id = None
        if source is not None:
            src_id = visible_source_id(conn, source, viewer)
        if existing is None:
            eid = insert_row(conn, Evidence,
                sha256=sha, size=size, media_type=mt, kind=kind, original_name=path.name,
                title=title, description=description, source_id=src_id,
                added_at=audit.now_utc(), added_by=by, **meta)
        else:
            eid = existing.id
        audit.append(conn, by=by, action="evidence.acquire",
                      target=f"evidence:{eid}",
                      details={"evidence_id": eid, "sha256": sha, "size": size,
                               "original_name": path.name, "duplicate": existing is not None,
                               **meta})
        row = conn.execute(select(Evidence.__table__).where(Evidence.id == eid)).one()
        return _info(conn, row, already=existing is not None)

    try:
        if conn is not None:
            return acquire(conn)
        with write(case) as own:
            return acquire(own)
    except BaseException:
        if created:  # leave the store as it was
            p = blob_path(root, sha)
            os.chmod(p, 0o644)
            p.unlink(missing_ok=True)
        raise


def refuse_unseen_copy(case: Case, path: Path, viewer: Viewer | None, *,
                       refused: str = "nothing was added or logged") -> None:
    """Refuse the file at ``path`` when its bytes are already an evidence item ``viewer``
    may not see (:class:`StoreError`, saying ``refused``): the check :func:`add_evidence`
    makes, asked before a caller writes anything else that the file would rest on."""
    sha, _ = hash_file(path)
    with case.read() as conn:
        existing = conn.execute(select(Evidence.__table__)
                                .where(Evidence.sha256 == sha)).first()
        if existing is not None:
            _refuse_unseen_copy(conn, existing, viewer, refused)


def _refuse_unseen_copy(conn: Connection, existing: Row[Any], viewer: Viewer | None,
                        refused: str = "nothing was added or logged") -> None:
    """Refuse to add again the bytes of ``existing`` when ``viewer`` may not see that item.

    The store holds each content once, so the bytes cannot become a second item, and
    answering with the item would hand the writer its title, name, source and id.  The
    refusal tells them only what their own file already tells them (its SHA-256) and that
    it is restricted, as an id already taken is refused whoever holds it."""
    if conn.execute(select(Evidence.id).where(Evidence.id == existing.id, _visible(viewer))
                    ).first() is None:
        raise StoreError(
            f"A file with the same content (SHA-256 {existing.sha256}) is already in the "
            f"evidence store, restricted from you; {refused}.",
            hint="Ask an admin, or a team member who may see it, to record this "
                 "acquisition or to share the item with you.")


def _visible(viewer: Viewer | None) -> Any:
    """Condition on ``evidence``: ``viewer`` may see the item (restricted records: neither
    the item nor the source it comes from is restricted from them)."""
    return and_(Evidence.id.not_in(hidden_ids_select("evidence", viewer)),
                or_(Evidence.source_id.is_(None),
                    Evidence.source_id.not_in(hidden_ids_select("source", viewer))))


def _check_visible(conn: Connection, row: Row[Any], ref: int | str,
                   viewer: Viewer | None) -> Row[Any]:
    """``row``, or the same "no evidence item" answer as an unknown one when ``viewer`` may
    not see it."""
    if conn.execute(select(Evidence.id).where(Evidence.id == row.id, _visible(viewer))
                    ).first() is None:
        raise NotFound(f"No evidence item matches {ref!r}.",
                       hint="List items with: dadkhah evidence list (give the id or at "
                            "least 8 characters of the SHA-256).")
    return row


def get_evidence(case: Case, ref: int | str, *, viewer: Viewer | None = None) -> EvidenceInfo:
    """An item's metadata by id or SHA-256 (prefix); reads no bytes, logs nothing.  An item
    restricted from ``viewer`` (None: nobody) is not found."""
    with case.read() as conn:
        return _info(conn, _check_visible(conn, resolve_evidence(conn, ref), ref, viewer))


def list_evidence(case: Case, *, viewer: Viewer | None = None) -> list[EvidenceInfo]:
    """Every evidence item's metadata ``viewer`` may see, in the order added."""
    with case.read() as conn:
        return [_info(conn, r) for r in conn.execute(
            select(Evidence.__table__).where(_visible(viewer)).order_by(Evidence.id)).all()]


def _log(case: Case, row: Row[Any], action: str, by: str, **details: Any) -> None:
    with write(case) as conn:
        audit.append(conn, by=by, action=action, target=f"evidence:{row.id}",
                      details={"evidence_id": row.id, "sha256": row.sha256, **details})


def read_evidence(case: Case, ref: int | str, *, by: str, role: str,
                  purpose: str | None = None,
                  evidence_dir: str | Path | None = None,
                  viewer: Viewer | None = None) -> bytes:
    """The bytes of an item (for viewing); logs the access and checks the hash.  An item
    restricted from ``viewer`` (None: nobody) is not found."""
    access.require(role, "read", what=f"evidence {ref}")
    with case.read() as conn:
        row = _check_visible(conn, resolve_evidence(conn, ref), ref, viewer)
    p = blob_path(evidence_root(case, evidence_dir), row.sha256)
    data = p.read_bytes() if p.exists() else None
    found = hashlib.sha256(data).hexdigest() if data is not None else None
    _log(case, row, "evidence.access", by, role=role, purpose=purpose,
         hash_ok=found == row.sha256)
    if data is None:
        raise IntegrityError(f"Evidence {row.id} ({row.original_name}) is missing from the "
                             f"store ({p}).", hint="Restore it from a backup or an export, "
                                                   "then run: dadkhah evidence verify")
    if found != row.sha256:
        raise IntegrityError(f"Evidence {row.id} ({row.original_name}) no longer matches its "
                             f"SHA-256 ({found} ≠ {row.sha256}).",
                             hint="Restore it from a backup or an export; run: dadkhah "
                                  "evidence verify")
    return data


def _check_file_name(name: str, at: str) -> str:
    """``name`` if it is a bare file name; an :class:`InvalidInput` naming ``at`` otherwise.

    An evidence item's original name becomes a file name on export, so a name from an
    imported case file must not carry a folder (``/``, ``\\``), an absolute path, ``..``, a
    drive letter or a control character."""
    bad = (not name or name in (".", "..") or "/" in name or "\\" in name
           or any(ord(ch) < 32 or ord(ch) == 127 for ch in name)
           or (len(name) >= 2 and name[1] == ":" and name[0].isalpha()))
    if bad:
        raise InvalidInput(f"{at}: the original name {name!r} is not a plain file name.",
                           hint="Give the file's name without any folder, e.g. "
                                "'decree-1988.pdf' (no '/', '\\', '..' or control characters); "
                                "nothing was imported.")
    return name


def _export_name(row: Any) -> str:
    """A safe file name for ``row`` inside an export folder: the last part of its original
    name, or ``evidence-<id>`` when nothing usable is left."""
    name = str(row.original_name or "").replace("\\", "/").split("/")[-1]
    name = "".join(ch for ch in name if ord(ch) >= 32 and ord(ch) != 127).strip()
    if len(name) >= 2 and name[1] == ":" and name[0].isalpha():
        name = name[2:]
    return name if name and name not in (".", "..") else f"evidence-{row.id}"


def export_evidence(case: Case, ref: int | str, dest: str | Path, *, by: str, role: str,
                    recipient: str | None = None, purpose: str | None = None,
                    evidence_dir: str | Path | None = None, viewer: Viewer | None = None) -> Path:
    """Copy an item out of the store (to a folder, under its original name, or to a file
    path), re-hash the copy and log the export with its destination and recipient."""
    access.require(role, "evidence.export", what=f"evidence {ref}")
    with case.read() as conn:  # an item restricted from ``viewer`` is not found
        row = _check_visible(conn, resolve_evidence(conn, ref), ref, viewer)
    src = blob_path(evidence_root(case, evidence_dir), row.sha256)
    if not src.exists():
        raise IntegrityError(f"Evidence {row.id} is missing from the store ({src}).",
                             hint="Run: dadkhah evidence verify")
    dest = Path(dest)
    if dest.is_dir():
        # The stored name may come from someone else's case file: never let it leave `dest`.
        target = dest / _export_name(row)
        if target.resolve(strict=False).parent != dest.resolve():
            raise StoreError(f"Evidence {row.id}'s name would be written outside {dest}.",
                             hint="Export to a file path instead: --to FOLDER/NAME")
    else:
        target = dest
    if os.path.lexists(target):
        raise StoreError(f"{target} already exists; not overwriting it.",
                         hint="Export to an empty folder or a new file name.")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, target)
    found, _ = hash_file(target)
    if found != row.sha256:
        target.unlink()
        raise IntegrityError(f"The copy of evidence {row.id} does not match its SHA-256.",
                             hint="Run: dadkhah evidence verify")
    _log(case, row, "evidence.export", by, role=role, to=str(target), recipient=recipient,
         purpose=purpose, hash_ok=True)
    return target


def verify_evidence(case: Case, *, by: str, evidence_dir: str | Path | None = None,
                    viewer: Viewer | None = None) -> VerifyReport:
    """Re-hash every item in the store ``viewer`` may see (None: nobody in particular; an
    admin's ``Viewer.everything`` sees all); report each mismatch or missing file, and log
    one ``evidence.verify`` custody entry per item checked (one transaction).  Items kept
    from ``viewer`` are only counted: naming a damaged one would name what they may not see."""
    root = evidence_root(case, evidence_dir)
    with case.read() as conn:
        rows = conn.execute(select(Evidence.__table__).where(_visible(viewer))
                            .order_by(Evidence.id)).all()
        total = conn.execute(select(func.count()).select_from(Evidence.__table__)).scalar_one()
    checks = []
    for r in rows:
        p = blob_path(root, r.sha256)
        if not p.exists():
            checks.append(ItemCheck(r.id, r.sha256, r.original_name, "missing"))
            continue
        found, _ = hash_file(p)
        checks.append(ItemCheck(r.id, r.sha256, r.original_name,
                                "ok" if found == r.sha256 else "mismatch",
                                None if found == r.sha256 else found))
    with write(case) as conn:
        for c in checks:
            audit.append(conn, by=by, action="evidence.verify",
                          target=f"evidence:{c.id}",
                          details={"evidence_id": c.id, "sha256": c.sha256,
                                   "result": c.status, "found_sha256": c.found_sha256})
    return VerifyReport(tuple(checks), not_checked=total - len(rows))


def custody_history(case: Case, ref: int | str) -> list[CustodyEntry]:
    """Every custody entry of an item, oldest first, from the audit log."""
    with case.read() as conn:
        row = resolve_evidence(conn, ref)
        return custody_of(conn, [row.id])[row.id]


def custody_of(conn: Connection, ids: list[int]) -> dict[int, list[CustodyEntry]]:
    out: dict[int, list[CustodyEntry]] = {i: [] for i in ids}
    if not ids:
        return out
    targets = {f"evidence:{i}": i for i in ids}
    q = (select(AuditEntry.__table__).where(AuditEntry.target.in_(list(targets)))
         .order_by(AuditEntry.id))
    for e in conn.execute(q):
        out[targets[e.target]].append(CustodyEntry(e.id, e.at, e.actor, e.action,
                                                   json.loads(e.details), e.entry_hash))
    return out


def link_evidence(case: Case, ref: int | str, *, claim_kind: str, claim_id: int | str,
                  locator: str | None = None, by: str, role: str | None = None,
                  viewer: Viewer | None = None) -> None:
    """Let an item support a claim: ``claim_kind`` one of allegation, event, role, figure,
    burial, actor, testimony; ``claim_id`` its id (or slug / pseudonym where it has one).
    An item or a claim that does not exist for ``viewer`` (who writes; None: nobody in
    particular) gets the answer an unknown one gets."""
    from dadkhah.store import tables as t

    tables = {"actor": t.Actor, "role": t.Role, "event": t.Event, "figure": t.Figure,
              "allegation": t.Allegation, "burial": t.BurialSite, "testimony": t.Testimony}
    require_write(role, "evidence links")
    if claim_kind not in tables:
        raise InvalidInput(f"Unknown claim kind {claim_kind!r}.",
                           hint="Use one of: " + ", ".join(tables))
    table = tables[claim_kind].__table__
    with write(case) as conn:
        row = _check_visible(conn, resolve_evidence(conn, ref), ref, viewer)
        conds = [table.c.id == int(claim_id)] if str(claim_id).isdigit() else []
        for col in ("slug", "pseudonym"):
            if col in table.c:
                conds.append(table.c[col] == str(claim_id))
        claim = conn.execute(select(table.c.id).where(or_(*conds))).first() if conds else None
        if claim_kind == "testimony" and claim is not None:
            claim = conn.execute(select(table.c.id).where(  # a testimony kept from them
                table.c.id == claim.id,
                table.c.id.not_in(hidden_ids_select("testimony", viewer)))).first()
        if claim is None or claim.id in unseen(conn, viewer).of(claim_kind):
            raise NotFound(f"No {claim_kind} {claim_id!r} in this case.",
                           hint=f"List them with: dadkhah {claim_kind} list")
        conn.execute(insert(t.EvidenceLink).values(
            claim_kind=claim_kind, claim_id=claim.id, evidence_id=row.id, locator=locator))
        audit.append(conn, by=by, action="evidence.link", target=f"evidence:{row.id}",
                      details={"evidence_id": row.id, "sha256": row.sha256,
                               "claim": f"{claim_kind}:{claim.id}", "locator": locator})
