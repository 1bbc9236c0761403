"""Versioned JSON export and import of a whole case file, evidence files included.

An export is a folder (or a ``.zip`` of one)::

    casefile.json     the case file: {"format": "dadkhah-casefile", "version": 1, ...}
    custody.json      each evidence item's chain of custody in the exporting case
    evidence/sha256/ab/cdef…   the evidence files, named by their SHA-256

References inside ``casefile.json`` are slugs (sources, actors, events, burial sites),
SHA-256 (evidence) and pseudonyms (testimonies), never row ids, so a file can be written
by hand (``examples/1988``) and imported into any case.  Each claim carries its own
``sources`` ([{source, credibility, locator, quote}]) and ``evidence`` ([sha256]).  An
evidence entry may name its file with ``path`` (relative to the folder); import re-hashes
every file and refuses the whole import on any mismatch.  Testimonies travel as
ciphertext with their key fingerprint: no key is needed to export or import them.

Import is one transaction: everything is added or nothing is.  Export → import into a new
case → export gives the same ``casefile.json`` apart from ``exported_at``/``exported_by``.

**Restricted records** (issue 16): an export holds what its ``viewer`` may see, as the
register's exports do.  Sources, evidence files (their own restriction or their source's)
and testimonies restricted from the viewer are left out, with every citation of such a
source, every link to such an evidence file and every event victim named only through
hidden records; an admin gets everything with ``Viewer.everything`` (the CLI's
``--include-restricted --role admin``).  The ``casefile.export`` audit entry records as whom
the file was written, whether restricted data was included and how much was left out.  (A
backup, :mod:`dadkhah.store.backup`, is the case itself and keeps everything.)
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, select

from dadkhah import access
from dadkhah.access import NOBODY, Viewer
from dadkhah.casefile._common import (
    ACTOR_KINDS,
    CREDIBILITY,
    EVENT_TYPES,
    FIGURE_TYPES,
    MODES,
    STATUSES,
    check_choice,
    check_slug,
    require_write,
    write,
)
from dadkhah.casefile._unseen import unseen
from dadkhah.casefile.evidence import (
    _check_file_name,
    _guess,
    blob_path,
    custody_of,
    evidence_root,
    hash_file,
    store_blob,
)
from dadkhah.casefile.testimony import TestimonyKey, ciphertext_problem
from dadkhah.errors import ConfigError, IntegrityError, InvalidInput, StoreError
from dadkhah.store import Case, audit, check_url
from dadkhah.store.restrict import Hidden, hidden
from dadkhah.store.tables import (
    RELIABILITY_GRADES,
    SOURCE_KINDS,
    Actor,
    Allegation,
    Base,
    BurialSite,
    Citation,
    Event,
    EventVictim,
    Evidence,
    EvidenceLink,
    Figure,
    PersonRecord,
    Role,
    Source,
    SourceRecord,
    Testimony,
    insert_row,
)

FORMAT = "dadkhah-casefile"
FORMAT_VERSION = 1
MANIFEST = "casefile.json"
CUSTODY = "custody.json"

SOURCE_FIELDS = ("slug", "title", "kind", "reliability", "organisation", "author", "date",
                 "citation", "url", "language", "script", "notes", "synthetic", "accessed_at",
                 "archive_url", "archive_sha256", "created_at", "created_by")
EVIDENCE_FIELDS = ("sha256", "size", "media_type", "kind", "original_name", "title",
                   "description", "acquired_by", "acquired_at", "acquired_from",
                   "acquisition_method", "added_at", "added_by")
TESTIMONY_FIELDS = ("pseudonym", "taken_at", "taken_place", "language", "consent", "summary",
                    "protected", "key_fingerprint", "created_at", "created_by")


@dataclass(frozen=True)
class ExchangeReport:
    """What an export or import moved."""

    folder: str
    direction: str  # export | import
    counts: dict[str, int]
    manifest_sha256: str

    def summary(self) -> str:
        what = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in self.counts.items() if n)
        verb = "Exported" if self.direction == "export" else "Imported"
        return f"{verb} {what or 'nothing'} ({self.folder}; casefile.json sha256 " \
               f"{self.manifest_sha256[:16]}…)"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# -- export ---------------------------------------------------------------------------------
def _claims(conn: Connection, kind: str, ids: list[int], gone: Hidden,
            left_out: dict[str, int]) -> dict[int, dict[str, list[Any]]]:
    out: dict[int, dict[str, list[Any]]] = {i: {"sources": [], "evidence": []} for i in ids}
    if not ids:
        return out
    s = Source.__table__
    for r in conn.execute(select(Citation.__table__, s.c.slug)
                          .join(s, s.c.id == Citation.source_id)
                          .where(Citation.claim_kind == kind, Citation.claim_id.in_(ids))
                          .order_by(Citation.id)):
        if r.source_id in gone.sources:
            left_out["citations"] += 1
            continue
        out[r.claim_id]["sources"].append({"source": r.slug, "credibility": r.credibility,
                                           "locator": r.locator, "quote": r.quote})
    for r in conn.execute(select(EvidenceLink.__table__, Evidence.sha256, Evidence.source_id)
                          .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
                          .where(EvidenceLink.claim_kind == kind,
                                 EvidenceLink.claim_id.in_(ids))
                          .order_by(EvidenceLink.id)):
        if r.evidence_id in gone.evidence or r.source_id in gone.sources:
            left_out["evidence_links"] += 1
            continue
        out[r.claim_id]["evidence"].append({"sha256": r.sha256, "locator": r.locator})
    return out


def _hidden_persons(conn: Connection, gone: Hidden, person_ids: set[int]) -> set[int]:
    """Of ``person_ids``, those all of whose records are hidden (they do not exist for the
    viewer; :func:`dadkhah.register.redact_persons` leaves them out the same way)."""
    if not gone.records or not person_ids:
        return set()
    seen: dict[int, bool] = {}
    for pid, rid in conn.execute(select(PersonRecord.person_id, PersonRecord.record_id)
                                 .where(PersonRecord.person_id.in_(sorted(person_ids)))):
        seen[int(pid)] = seen.get(int(pid), False) or int(rid) not in gone.records
    return {p for p, visible in seen.items() if not visible}


def casefile_document(conn: Connection, viewer: Viewer | None = None,
                      left_out: dict[str, int] | None = None) -> dict[str, Any]:
    """The whole case file as a JSON-ready dict (without the export stamp), as ``viewer``
    (None: nobody in particular) may see it: restricted sources, evidence and testimonies
    are left out with what cites or links them, so are the actors, roles, events, figures
    and allegations that do not exist for the viewer (:mod:`dadkhah.casefile._unseen`),
    and all are counted in ``left_out`` when given."""
    gone = hidden(conn, viewer or NOBODY)
    dropped = {"sources": 0, "citations": 0, "evidence": 0, "evidence_links": 0,
               "testimonies": 0, "event_victims": 0, "actors": 0, "roles": 0, "events": 0,
               "figures": 0, "allegations": 0}

    def rows(table: type[Base]) -> Sequence[Row[Any]]:
        t = table.__table__
        return conn.execute(select(t).order_by(t.c.id)).all()

    actors, roles, sites = rows(Actor), rows(Role), rows(BurialSite)
    events, allegations, figures = rows(Event), rows(Allegation), rows(Figure)
    evidence, testimonies = rows(Evidence), rows(Testimony)
    if gone:
        # What rests only on sources kept from the viewer is left out, as the readers leave
        # it out (and as the import would refuse a sourceless figure or allegation).
        absent = unseen(conn, viewer or NOBODY)
        claims = {"actor": actors, "role": roles, "event": events, "figure": figures,
                  "allegation": allegations}
        kept = {k: [r for r in rs if r.id not in absent.of(k)] for k, rs in claims.items()}
        dropped.update({k + "s": len(rs) - len(kept[k]) for k, rs in claims.items()})
        actors, roles, events = kept["actor"], kept["role"], kept["event"]
        figures, allegations = kept["figure"], kept["allegation"]
        kept_ev = [e for e in evidence
                   if e.id not in gone.evidence and e.source_id not in gone.sources]
        kept_t = [t for t in testimonies if t.id not in gone.testimonies]
        dropped["evidence"] = len(evidence) - len(kept_ev)
        dropped["testimonies"] = len(testimonies) - len(kept_t)
        evidence, testimonies = kept_ev, kept_t
    # references to what does not exist for the viewer (part_of, a testimony's event) go
    slug = {"actor": {a.id: a.slug for a in actors}, "event": {e.id: e.slug for e in events},
            "burial": {b.id: b.slug for b in sites}}
    c = {k: _claims(conn, k, [r.id for r in rs], gone, dropped) for k, rs in
         (("actor", actors), ("role", roles), ("burial", sites), ("event", events),
          ("allegation", allegations), ("figure", figures), ("testimony", testimonies))}
    # Register lists (sources with imported records) stay with the register; every other
    # source, and any source the case file cites, travels.
    cited = {x["source"] for per in c.values() for d in per.values() for x in d["sources"]}
    with_records = set(conn.execute(select(SourceRecord.source_id).distinct()).scalars())
    src_of = dict(conn.execute(select(Source.id, Source.slug)).all())
    cited |= {src_of[e.source_id] for e in evidence if e.source_id}
    all_sources = rows(Source)
    sources = [s for s in all_sources
               if (s.slug in cited or s.id not in with_records) and s.id not in gone.sources]
    dropped["sources"] = sum(1 for s in all_sources if s.id in gone.sources)

    victims: dict[int, list[dict[str, Any]]] = {e.id: [] for e in events}
    victim_rows = rows(EventVictim)
    no_person = _hidden_persons(conn, gone, {int(v.person_id) for v in victim_rows
                                             if v.person_id is not None})
    for v in victim_rows:
        if v.event_id not in victims:  # its event does not exist for the viewer
            continue
        if v.record_id in gone.records or v.person_id in no_person:
            dropped["event_victims"] += 1
            continue
        victims[v.event_id].append({"person_id": v.person_id, "record_id": v.record_id,
                                    "notes": v.notes, "created_at": v.created_at,
                                    "created_by": v.created_by})
    figs: dict[int, list[dict[str, Any]]] = {e.id: [] for e in events}
    for f in figures:
        figs[f.event_id].append({"quantity": f.quantity, "figure_type": f.figure_type,
                                 "value_text": f.value_text, "low": f.low, "high": f.high,
                                 "notes": f.notes, **c["figure"][f.id],
                                 "created_at": f.created_at, "created_by": f.created_by})
    if left_out is not None:
        left_out.update(dropped)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "sources": [{k: getattr(s, k) for k in SOURCE_FIELDS} for s in sources],
        "actors": [{"slug": a.slug, "kind": a.kind, "name_en": a.name_en,
                    "name_fa": a.name_fa, "aliases": json.loads(a.aliases), "notes": a.notes,
                    **c["actor"][a.id], "created_at": a.created_at,
                    "created_by": a.created_by} for a in actors],
        "roles": [{"holder": slug["actor"][r.actor_id], "position": r.position,
                   "position_fa": r.position_fa,
                   "institution": slug["actor"].get(r.institution_id),
                   "start": r.start_text, "start_earliest": r.start_earliest,
                   "start_latest": r.start_latest, "end": r.end_text,
                   "end_earliest": r.end_earliest, "end_latest": r.end_latest,
                   "notes": r.notes, **c["role"][r.id], "created_at": r.created_at,
                   "created_by": r.created_by} for r in roles],
        "burial_sites": [{"slug": b.slug, "name_en": b.name_en, "name_fa": b.name_fa,
                          "place_id": b.place_id,
                          "geometry": json.loads(b.geometry) if b.geometry else None,
                          "description": b.description, **c["burial"][b.id],
                          "created_at": b.created_at, "created_by": b.created_by}
                         for b in sites],
        "events": [{"slug": e.slug, "event_type": e.event_type, "title": e.title,
                    "title_fa": e.title_fa, "description": e.description, "date": e.date_text,
                    "date_earliest": e.date_earliest, "date_latest": e.date_latest,
                    "date_precision": e.date_precision, "place_id": e.place_id,
                    "place_text": e.place_text,
                    "burial_site": slug["burial"].get(e.burial_site_id),
                    "part_of": slug["event"].get(e.part_of_id), **c["event"][e.id],
                    "victims": victims[e.id], "figures": figs[e.id],
                    "created_at": e.created_at, "created_by": e.created_by} for e in events],
        "allegations": [{"accused": slug["actor"][a.actor_id],
                         "event": slug["event"][a.event_id], "mode": a.mode,
                         "status": a.status, "text": a.text, "text_fa": a.text_fa,
                         **c["allegation"][a.id], "created_at": a.created_at,
                         "created_by": a.created_by} for a in allegations],
        "evidence": [{**{k: getattr(e, k) for k in EVIDENCE_FIELDS},
                      "source": src_of.get(e.source_id),
                      "path": blob_path(Path("evidence"), e.sha256).as_posix()}
                     for e in evidence],
        "testimonies": [{**{k: getattr(t, k) for k in TESTIMONY_FIELDS},
                         "event": slug["event"].get(t.event_id), **c["testimony"][t.id]}
                        for t in testimonies],
    }


def canonical(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def export_casefile(case: Case, folder: str | Path, *, by: str, role: str,
                    evidence_dir: str | Path | None = None,
                    viewer: Viewer | None = None) -> ExchangeReport:
    """Write the case file with its evidence files to a new folder (or ``.zip``).

    Needs ``evidence.export``; each item's copy is re-hashed and logged (``evidence.export``)
    in the same transaction as the ``casefile.export`` entry.  Only what ``viewer`` (None:
    nobody in particular) may see is written (:func:`casefile_document`); the entry says as
    whom, whether restricted data was included, and how much was left out."""
    access.require(role, "evidence.export", what="the case file")
    out = Path(folder)
    zipped = out.suffix.lower() == ".zip"
    if out.exists() and (zipped or any(out.iterdir())):
        raise ConfigError(f"{out} exists and is not empty; not overwriting an export.",
                          hint="Export to a new folder name.")
    root = evidence_root(case, evidence_dir)
    with tempfile.TemporaryDirectory(prefix="dadkhah-export-") as tmp:
        stage = Path(tmp) / "export"
        stage.mkdir()
        with write(case) as conn:
            left_out: dict[str, int] = {}
            doc = casefile_document(conn, viewer, left_out)
            shas = {item["sha256"] for item in doc["evidence"]}
            ids = {sha: i for sha, i in conn.execute(select(Evidence.sha256, Evidence.id))
                   if sha in shas}
            custody = custody_of(conn, list(ids.values()))
            for item in doc["evidence"]:
                src = blob_path(root, item["sha256"])
                if not src.exists() or hash_file(src)[0] != item["sha256"]:
                    raise IntegrityError(
                        f"Evidence {ids[item['sha256']]} ({item['original_name']}) is missing "
                        f"or altered in the store; not exporting a broken case file.",
                        hint="Run: dadkhah evidence verify")
                dest = stage / item["path"]
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dest)
                if hash_file(dest)[0] != item["sha256"]:
                    raise IntegrityError(f"The copy of {item['original_name']} does not match.",
                                         hint="Check the disk; nothing was logged.")
            doc = {**doc, "exported_at": audit.now_utc(), "exported_by": by}
            text = canonical(doc)
            (stage / MANIFEST).write_text(text, encoding="utf-8")
            (stage / CUSTODY).write_text(json.dumps(
                {sha: [c.to_dict() for c in custody[i]] for sha, i in ids.items()},
                ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            digest = audit.sha256_text(text)
            for sha, i in ids.items():
                audit.append(conn, by=by, action="evidence.export",
                              target=f"evidence:{i}",
                              details={"evidence_id": i, "sha256": sha, "role": role,
                                       "to": str(out), "manifest_sha256": digest,
                                       "hash_ok": True})
            counts = _counts(doc)
            audit.append(conn, by=by, action="casefile.export", target="casefile",
                          details={"to": str(out), "manifest_sha256": digest,
                                   "version": FORMAT_VERSION, "counts": counts,
                                   "as_user": (viewer or NOBODY).username,
                                   "include_restricted": (viewer or NOBODY).sees_all,
                                   "restricted_left_out": {k: n for k, n in left_out.items()
                                                           if n}})
        # The export is published only after the transaction holding its custody entries
        # has committed: no copy leaves without its log entry.
        if zipped:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.make_archive(str(out.with_suffix("")), "zip", stage)
        else:
            out.mkdir(parents=True, exist_ok=True)
            for p in stage.iterdir():
                shutil.move(str(p), out / p.name)
    return ExchangeReport(str(out), "export", counts, digest)


def _counts(doc: dict[str, Any]) -> dict[str, int]:
    # every section is optional in a file written by hand or by another tool
    def n(section: str) -> int:
        return len(doc.get(section) or ())

    return {"sources": n("sources"), "actors": n("actors"), "roles": n("roles"),
            "burial_sites": n("burial_sites"), "events": n("events"),
            "figures": sum(len(e.get("figures", ())) for e in doc.get("events") or ()),
            "allegations": n("allegations"), "evidence": n("evidence"),
            "testimonies": n("testimonies")}


# -- import ---------------------------------------------------------------------------------
_ZIP_RATIO = 100
"""Largest expansion (unpacked ÷ packed bytes) of a case-file zip over :data:`_ZIP_SMALL`:
exports hold JSON and evidence files (images, PDF, video) that compress far less."""
_ZIP_SMALL = 64 << 20


def _check_expansion(folder: Path, z: zipfile.ZipFile, tmp: str) -> None:
    """Refuse a zip bomb before anything is extracted.  The sizes are the zip's own
    declarations; zipfile never unpacks more than a member declares."""
    unpacked = sum(i.file_size for i in z.infolist())
    packed = sum(i.compress_size for i in z.infolist())
    if unpacked > _ZIP_SMALL and unpacked > _ZIP_RATIO * max(packed, 1):
        raise InvalidInput(
            f"{folder} would expand to {unpacked:,} bytes from {packed:,}: more than "
            f"{_ZIP_RATIO} times; it was not extracted.",
            hint="Only import exports made by dadkhah; unzip it yourself if you trust it.")
    free = shutil.disk_usage(tmp).free
    if unpacked > free:
        raise InvalidInput(
            f"{folder} would expand to {unpacked:,} bytes; the temporary folder has "
            f"{free:,} bytes free.",
            hint="Free disk space, or unzip it and import the folder.")


@contextmanager
def _opened(folder: Path) -> Iterator[Path]:
    if folder.is_file() and zipfile.is_zipfile(folder):
        with tempfile.TemporaryDirectory(prefix="dadkhah-import-") as tmp:
            with zipfile.ZipFile(folder) as z:
                for name in z.namelist():  # refuse paths that climb out of the folder
                    if name.startswith("/") or ".." in Path(name).parts:
                        raise InvalidInput(f"{folder} holds an unsafe path {name!r}.",
                                           hint="Only import exports made by dadkhah.")
                _check_expansion(folder, z, tmp)
                z.extractall(tmp)
            yield Path(tmp)
    else:
        yield folder


def read_document(folder: Path) -> tuple[dict[str, Any], str]:
    path = folder / MANIFEST
    if not path.is_file():
        raise ConfigError(f"No {MANIFEST} in {folder}.",
                          hint="Give the folder (or .zip) written by dadkhah casefile export.")
    text = path.read_text(encoding="utf-8")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{path} is not valid JSON: line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}.", hint="Fix the JSON at that place.") from None
    if doc.get("format") != FORMAT:
        raise InvalidInput(f"{path} is not a dadkhah case file (format {doc.get('format')!r}).",
                           hint=f'Its first key must be "format": "{FORMAT}".')
    if doc.get("version") != FORMAT_VERSION:
        raise InvalidInput(f"{path} is case-file format version {doc.get('version')!r}; this "
                           f"dadkhah reads version {FORMAT_VERSION}.",
                           hint="Import it with the dadkhah version that wrote it, or upgrade.")
    return doc, audit.sha256_text(text)


class _Loader:
    """Inserts one document inside one transaction, checking as it goes."""

    def __init__(self, conn: Connection, by: str, now: str) -> None:
        self.conn, self.actor, self.now = conn, by, now
        self.ids: dict[str, dict[str, int]] = {"source": {}, "actor": {}, "event": {},
                                               "burial": {}, "evidence": {}}
        self.testimony_key: TestimonyKey | None = None

    def where(self, section: str, i: int, key: str | None = None) -> str:
        return f"{MANIFEST}: {section}[{i}]" + (f" ({key})" if key else "")

    def ref(self, kind: str, slug: str | None, at: str) -> int | None:
        if slug is None:
            return None
        if slug not in self.ids[kind]:
            row = None
            if kind == "source":  # sources may already be in the case (shared with register)
                row = self.conn.execute(select(Source.id).where(Source.slug == slug)).first()
            if row is None:
                raise StoreError(f"{at} refers to {kind} {slug!r}, which is not in the file "
                                 f"or the case.", hint=f"Add that {kind} to the file first.")
            self.ids[kind][slug] = row.id
        return self.ids[kind][slug]

    def insert(self, table: type[Base], **values: Any) -> int:
        return insert_row(self.conn, table, **values)

    def stamp(self, d: dict[str, Any]) -> dict[str, Any]:
        _check_stamp(d, f"{MANIFEST}: an item ({d.get('slug') or d.get('pseudonym') or '?'})")
        return {"created_at": d.get("created_at") or self.now,
                "created_by": d.get("created_by") or self.actor}

    def claims(self, kind: str, claim_id: int, d: dict[str, Any], at: str) -> None:
        for c in d.get("sources") or ():
            cred = str(c.get("credibility", "6"))
            if cred not in CREDIBILITY:
                raise InvalidInput(f"{at}: credibility {cred!r} is not on the 1-6 scale.",
                                   hint="Use 1 (confirmed) … 6 (cannot be judged).")
            self.insert(Citation, claim_kind=kind, claim_id=claim_id,
                        source_id=self.ref("source", c["source"], at), credibility=cred,
                        locator=c.get("locator"), quote=c.get("quote"))
        for e in d.get("evidence") or ():
            sha = e["sha256"] if isinstance(e, dict) else e
            self.insert(EvidenceLink, claim_kind=kind, claim_id=claim_id,
                        evidence_id=self.ref("evidence", sha, at),
                        locator=e.get("locator") if isinstance(e, dict) else None)


def _interval(d: dict[str, Any], prefix: str, text_key: str, at: str) -> dict[str, Any]:
    from dadkhah.casefile._common import parse_interval

    if d.get(f"{prefix}_earliest") or not d.get(text_key):
        return {f"{prefix}_earliest": d.get(f"{prefix}_earliest"),
                f"{prefix}_latest": d.get(f"{prefix}_latest")}
    try:
        a, b, _ = parse_interval(d[text_key], f"{prefix} date")
    except StoreError as exc:
        raise type(exc)(f"{at}: {exc.message}", hint=exc.hint) from None
    return {f"{prefix}_earliest": a, f"{prefix}_latest": b}


def _load(ld: _Loader, doc: dict[str, Any], files: dict[str, Path]) -> None:
    for i, s in enumerate(doc.get("sources", ())):
        at = ld.where("sources", i, s.get("slug"))
        check_slug(s.get("slug", ""), "Source")
        if s.get("kind") not in SOURCE_KINDS or s.get("reliability") not in RELIABILITY_GRADES:
            raise InvalidInput(f"{at}: kind {s.get('kind')!r} or reliability "
                               f"{s.get('reliability')!r} is not allowed.",
                               hint="Kinds: " + ", ".join(SOURCE_KINDS) + "; reliability A-F.")
        existing = ld.conn.execute(select(Source.__table__)
                                   .where(Source.slug == s["slug"])).first()
        if existing is not None:
            if (existing.title, existing.kind) != (s["title"], s["kind"]):
                raise StoreError(f"{at}: the case already has a different source "
                                 f"{s['slug']!r} ({existing.title!r}).",
                                 hint="Rename one of them; a slug names one source.")
            ld.ids["source"][s["slug"]] = existing.id
            continue
        values = {k: s.get(k) for k in SOURCE_FIELDS}
        for key in ("url", "archive_url"):
            try:
                values[key] = check_url(values.get(key), key.replace("_", " "))
            except StoreError as exc:
                raise type(exc)(f"{at}: {exc.message}", hint=exc.hint) from None
        values.update(synthetic=bool(s.get("synthetic", False)), **ld.stamp(s))
        ld.ids["source"][s["slug"]] = ld.insert(Source, **values)

    for i, e in enumerate(doc.get("evidence", ())):
        at = ld.where("evidence", i, e.get("original_name"))
        name = _check_file_name(str(e.get("original_name") or files[e["sha256"]].name), at)
        try:
            media_type, kind = _guess(name, e.get("media_type"), e.get("kind"))
        except StoreError as exc:
            raise type(exc)(f"{at}: {exc.message}", hint=exc.hint) from None
        values = {k: e.get(k) for k in EVIDENCE_FIELDS}
        values.update(original_name=name, media_type=media_type, kind=kind)
        values.update(size=files[e["sha256"]].stat().st_size,
                      added_at=e.get("added_at") or ld.now,
                      added_by=e.get("added_by") or ld.actor,
                      source_id=ld.ref("source", e.get("source"), at))
        if ld.conn.execute(select(Evidence.id).where(Evidence.sha256 == e["sha256"])).first():
            raise StoreError(f"{at}: this case already holds evidence with sha256 "
                             f"{e['sha256']}.", hint="Import into a new case.")
        ld.ids["evidence"][e["sha256"]] = ld.insert(Evidence, **values)

    for i, a in enumerate(doc.get("actors", ())):
        at = ld.where("actors", i, a.get("slug"))
        check_slug(a.get("slug", ""), "Actor")
        from dadkhah.casefile.actors import _key

        aid = ld.insert(Actor, slug=a["slug"], kind=check_choice(a["kind"], ACTOR_KINDS,
                                                                 "actor kind"),
                        name_en=a.get("name_en"), name_fa=a.get("name_fa"),
                        name_key=_key(a.get("name_en"), a.get("name_fa")),
                        aliases=json.dumps(list(a.get("aliases") or ()), ensure_ascii=False),
                        notes=a.get("notes"), **ld.stamp(a))
        ld.ids["actor"][a["slug"]] = aid
        ld.claims("actor", aid, a, at)

    for i, r in enumerate(doc.get("roles", ())):
        at = ld.where("roles", i, r.get("holder"))
        rid = ld.insert(Role, actor_id=ld.ref("actor", r["holder"], at), position=r["position"],
                        position_fa=r.get("position_fa"),
                        institution_id=ld.ref("actor", r.get("institution"), at),
                        start_text=r.get("start"), end_text=r.get("end"),
                        **_interval(r, "start", "start", at), **_interval(r, "end", "end", at),
                        notes=r.get("notes"), **ld.stamp(r))
        ld.claims("role", rid, r, at)

    for i, b in enumerate(doc.get("burial_sites", ())):
        at = ld.where("burial_sites", i, b.get("slug"))
        check_slug(b.get("slug", ""), "Burial site")
        from dadkhah.casefile.burial import check_geometry

        bid = ld.insert(BurialSite, slug=b["slug"], name_en=b.get("name_en"),
                        name_fa=b.get("name_fa"), place_id=b.get("place_id"),
                        geometry=check_geometry(b.get("geometry")),
                        description=b.get("description"), **ld.stamp(b))
        ld.ids["burial"][b["slug"]] = bid
        ld.claims("burial", bid, b, at)

    for i, e in enumerate(doc.get("events", ())):
        at = ld.where("events", i, e.get("slug"))
        check_slug(e.get("slug", ""), "Event")
        dates = _interval(e, "date", "date", at)
        precision = e.get("date_precision")
        if precision is None and e.get("date"):
            from dadkhah.casefile._common import parse_interval

            precision = parse_interval(e["date"], "event date")[2]
        eid = ld.insert(Event, slug=e["slug"],
                        event_type=check_choice(e["event_type"], EVENT_TYPES, "event type"),
                        title=e["title"], title_fa=e.get("title_fa"),
                        description=e.get("description"), date_text=e.get("date"),
                        date_earliest=dates["date_earliest"], date_latest=dates["date_latest"],
                        date_precision=precision, place_id=e.get("place_id"),
                        place_text=e.get("place_text"),
                        burial_site_id=ld.ref("burial", e.get("burial_site"), at),
                        part_of_id=ld.ref("event", e.get("part_of"), at), **ld.stamp(e))
        ld.ids["event"][e["slug"]] = eid
        ld.claims("event", eid, e, at)
        for v in e.get("victims") or ():
            if v.get("record_id") is not None and not ld.conn.execute(
                    select(SourceRecord.id).where(SourceRecord.id == v["record_id"])).first():
                raise StoreError(f"{at}: victim record {v['record_id']} is not in this case.",
                                 hint="Import the register's lists first, then the case file.")
            ld.insert(EventVictim, event_id=eid, person_id=v.get("person_id"),
                      record_id=v.get("record_id"), notes=v.get("notes"), **ld.stamp(v))
        for j, f in enumerate(e.get("figures") or ()):
            fat = f"{at} figures[{j}]"
            if not f.get("sources"):
                raise InvalidInput(f"{fat}: a figure needs the source that gives it.",
                                   hint='Add "sources": [{"source": "<slug>"}].')
            fid = ld.insert(Figure, event_id=eid, quantity=f["quantity"],
                            figure_type=check_choice(f["figure_type"], FIGURE_TYPES,
                                                     "figure type"),
                            value_text=f["value_text"], low=f.get("low"), high=f.get("high"),
                            notes=f.get("notes"), **ld.stamp(f))
            ld.claims("figure", fid, f, fat)

    for i, a in enumerate(doc.get("allegations", ())):
        at = ld.where("allegations", i, f"{a.get('accused')} / {a.get('event')}")
        if not a.get("sources"):
            raise InvalidInput(f"{at}: an allegation needs at least one source.",
                               hint='Add "sources": [{"source": "<slug>", "credibility": "2"}].')
        alid = ld.insert(Allegation, actor_id=ld.ref("actor", a["accused"], at),
                         event_id=ld.ref("event", a["event"], at),
                         mode=check_choice(a["mode"], MODES, "mode"),
                         status=check_choice(a.get("status", "alleged"), STATUSES, "status"),
                         text=a["text"], text_fa=a.get("text_fa"), **ld.stamp(a))
        ld.claims("allegation", alid, a, at)
        from dadkhah.casefile.allegations import _check_court

        try:
            _check_court(ld.conn, a.get("status", "alleged"), alid)
        except StoreError as exc:
            raise type(exc)(f"{at}: {exc.message}", hint=exc.hint) from None

    fingerprints = {t["key_fingerprint"] for t in doc.get("testimonies", ())}
    fingerprints |= set(ld.conn.execute(select(Testimony.key_fingerprint).distinct()).scalars())
    if len(fingerprints) > 1:
        raise StoreError("The testimonies in the file and in the case use different keys.",
                         hint="Re-key one side first (dadkhah testimony rekey) so that one "
                              "key opens them all.")
    for i, t in enumerate(doc.get("testimonies", ())):
        at = ld.where("testimonies", i, t.get("pseudonym"))
        check_slug(t.get("pseudonym", ""), "Pseudonym")
        _check_testimony(t, at, ld.testimony_key)
        tid = ld.insert(Testimony, **{k: t.get(k) for k in TESTIMONY_FIELDS if
                                      k not in ("created_at", "created_by")},
                        event_id=ld.ref("event", t.get("event"), at), **ld.stamp(t))
        ld.claims("testimony", tid, t, at)


_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
# who added an item, as the exporting case recorded it: a user name, no control or bidi marks
_USER_NAME = re.compile(r"[^\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]{1,128}")


def _check_testimony(t: dict[str, Any], at: str, key: TestimonyKey | None) -> None:
    """Refuse a testimony row the file cannot honestly carry (review C9): protected fields
    that are not ciphertext dadkhah writes, a malformed key fingerprint, and — given the
    key — a row that does not decrypt with it (a forged row of the right form)."""
    _check_stamp(t, at)
    problem = ciphertext_problem(t.get("protected"))
    if problem:
        raise IntegrityError(f"{at}: its protected fields are not testimony ciphertext "
                             f"({problem}).",
                             hint="The file was forged or damaged; nothing was imported. Get "
                                  "a good export.")
    fingerprint = t.get("key_fingerprint")
    if not isinstance(fingerprint, str) or not _FINGERPRINT.fullmatch(fingerprint):
        raise InvalidInput(f"{at}: key_fingerprint {fingerprint!r} is not a key fingerprint "
                           f"(64 hexadecimal digits).", hint="Nothing was imported.")
    if key is None:
        # Without the key a forged row of the right form cannot be told from a real one, and
        # once in the case it stops every later `testimony rekey` (review C9): refuse.
        raise ConfigError(f"{at}: a testimony can only be imported with the key it was "
                          f"encrypted with ({fingerprint[:16]}…), so that the row is checked "
                          f"before it enters the case.",
                          hint="Import with --key-file PATH (or DADKHAH_KEY_FILE / "
                               "DADKHAH_KEY). Nothing was imported.")
    if fingerprint != key.fingerprint:
        raise ConfigError(f"{at} was encrypted with key {fingerprint[:16]}…, not with the "
                          f"key given ({key.fingerprint[:16]}…).",
                          hint="Give the key the testimonies were written with. Nothing "
                               "was imported.")
    try:
        fields = key.decrypt(t["protected"], t["pseudonym"])
    except IntegrityError:
        raise IntegrityError(f"{at} does not decrypt with the case's key: the row was "
                             f"forged or altered.",
                             hint="Nothing was imported. Get a good export.") from None
    if not isinstance(fields, dict) or not isinstance(fields.get("identity"), str):
        raise IntegrityError(f"{at}: its decrypted fields are not a witness record.",
                             hint="Nothing was imported.")


def _check_stamp(d: dict[str, Any], at: str) -> None:
    """The file may carry who added an item and when (its provenance in the exporting case),
    but only as a timestamp in the past and a plain user name."""
    when, who = d.get("created_at"), d.get("created_by")
    if when is not None:
        try:
            stamp = datetime.fromisoformat(str(when))
        except ValueError:
            raise InvalidInput(f"{at}: created_at {when!r} is not an ISO 8601 time.",
                               hint="Nothing was imported.") from None
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=UTC)
        if stamp > datetime.now(UTC) + timedelta(days=1):
            raise InvalidInput(f"{at}: created_at {when!r} is in the future.",
                               hint="Nothing was imported.")
    if who is not None and (not isinstance(who, str) or not _USER_NAME.fullmatch(who)):
        raise InvalidInput(f"{at}: created_by {who!r} is not a user name.",
                           hint="Nothing was imported.")


def import_casefile(case: Case, folder: str | Path, *, by: str, role: str | None = None,
                    evidence_dir: str | Path | None = None,
                    testimony_key: TestimonyKey | None = None) -> ExchangeReport:
    """Import a case-file folder (or ``.zip``) into this case, in one transaction.

    Every evidence file is re-hashed first; any mismatch, missing file, unknown reference or
    clash with what the case already holds refuses the whole import.  Testimonies must be
    ciphertext of the form dadkhah writes and decrypt with ``testimony_key``, which a file
    holding testimonies therefore needs (without the key a forged row of the right form
    cannot be told from a real one, and would later stop ``testimony rekey``: review C9)."""
    require_write(role, "the case file")
    src = Path(folder)
    if not src.exists():
        raise ConfigError(f"No case-file export at {src}.",
                          hint="Give the folder (or .zip) written by dadkhah casefile export.")
    root = evidence_root(case, evidence_dir)
    with _opened(src) as base:
        doc, digest = read_document(base)
        files = _check_files(base, doc.get("evidence", ()))
        created = [sha for sha, p in files.items() if store_blob(root, p, sha)]
        try:
            with write(case) as conn:
                ld = _Loader(conn, by, audit.now_utc())
                ld.testimony_key = testimony_key
                _load(ld, doc, files)
                custody_file = base / CUSTODY
                custody_sha = (audit.sha256_text(custody_file.read_text(encoding="utf-8"))
                               if custody_file.is_file() else None)
                for sha, eid in ld.ids["evidence"].items():
                    audit.append(conn, by=by, action="evidence.transfer",
                                  target=f"evidence:{eid}",
                                  details={"evidence_id": eid, "sha256": sha,
                                           "from": str(src), "exported_by":
                                           doc.get("exported_by"), "exported_at":
                                           doc.get("exported_at"), "manifest_sha256": digest,
                                           "custody_sha256": custody_sha, "hash_ok": True})
                counts = _counts(doc)
                audit.append(conn, by=by, action="casefile.import", target="casefile",
                              details={"from": str(src), "manifest_sha256": digest,
                                       "version": doc["version"], "counts": counts})
        except BaseException:
            for sha in created:  # leave the evidence store as it was
                p = blob_path(root, sha)
                os.chmod(p, 0o644)
                p.unlink(missing_ok=True)
            raise
    return ExchangeReport(str(src), "import", counts, digest)


def _check_files(base: Path, items: Iterable[dict[str, Any]]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for i, e in enumerate(items):
        sha = str(e.get("sha256", "")).lower()
        rel = e.get("path") or blob_path(Path("evidence"), sha).as_posix()
        p = (base / rel).resolve()
        if base.resolve() not in p.parents:
            raise StoreError(f"{MANIFEST}: evidence[{i}] path {rel!r} leaves the folder.",
                             hint="Paths are relative to the export folder.")
        if not p.is_file():
            raise IntegrityError(f"{MANIFEST}: evidence[{i}] ({e.get('original_name')}) has "
                                 f"no file at {rel}.", hint="Copy the whole export folder.")
        found, size = hash_file(p)
        if found != sha:
            raise IntegrityError(
                f"{MANIFEST}: evidence[{i}] ({e.get('original_name')}) at {rel} does not match "
                f"its SHA-256: the file has {found}, the manifest says {sha}.",
                hint="The file was changed or damaged after export; get a good copy. "
                     "Nothing was imported.")
        if e.get("size") is not None and int(e["size"]) != size:
            raise IntegrityError(f"{MANIFEST}: evidence[{i}] size {e['size']} ≠ {size} bytes.",
                                 hint="Nothing was imported.")
        e.setdefault("size", size)
        files[sha] = p
    return files
