"""The dossier of one actor: everything alleged against them, on whose word, with what
evidence — one self-contained HTML file (inline CSS, no external assets)."""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select

from dadkhah.access import Viewer
from dadkhah.casefile._common import CREDIBILITY, CitationInfo, attribution
from dadkhah.casefile.actors import ActorInfo, get_actor
from dadkhah.casefile.allegations import AllegationInfo, list_allegations
from dadkhah.casefile.burial import BurialSiteInfo, list_burial_sites
from dadkhah.casefile.events import EventInfo, list_events
from dadkhah.casefile.evidence import CustodyEntry, EvidenceInfo, custody_of, list_evidence
from dadkhah.casefile.testimony import TestimonyInfo, list_testimonies
from dadkhah.names import jalali_of, persian_digits
from dadkhah.store import Case, audit
from dadkhah.store.tables import RELIABILITY_GRADES, Source

RELIABILITY = dict(zip(RELIABILITY_GRADES, (
    "completely reliable", "usually reliable", "fairly reliable", "not usually reliable",
    "unreliable", "reliability cannot be judged"), strict=True))


@dataclass(frozen=True)
class TimelineEntry:
    earliest: str
    latest: str
    kind: str  # role | event | allegation
    text: str

    def when(self) -> str:
        if self.earliest == self.latest:
            return self.earliest
        return f"{self.earliest} … {self.latest}"

    def when_fa(self) -> str:
        a, b = jalali_of(self.earliest), jalali_of(self.latest)
        return a if a == b else f"{a} … {b}"


@dataclass(frozen=True)
class Dossier:
    """What the dossier of ``actor`` shows; :func:`render_dossier` turns it into HTML."""

    actor: ActorInfo
    allegations: tuple[AllegationInfo, ...]
    events: tuple[EventInfo, ...]
    burial_sites: tuple[BurialSiteInfo, ...]
    sources: tuple[CitationInfo, ...]  # one per source (first citation), in first-cited order
    evidence: tuple[tuple[EvidenceInfo, tuple[CustodyEntry, ...]], ...]
    testimonies: tuple[TestimonyInfo, ...]
    timeline: tuple[TimelineEntry, ...]
    generated_at: str

    def summary(self) -> str:
        return (f"Dossier of {self.actor.display_name}: {len(self.actor.roles)} role(s), "
                f"{len(self.allegations)} allegation(s) about {len(self.events)} event(s), "
                f"{len(self.sources)} source(s), {len(self.evidence)} evidence item(s)")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _cited(obj: Any, shown: set[str]) -> Any:
    """``obj`` (an actor, role, allegation, event, figure or burial site) without the
    citations of sources not in ``shown`` (restricted from the reader), nested ones too."""
    changes: dict[str, Any] = {}
    if hasattr(obj, "sources"):
        changes["sources"] = tuple(c for c in obj.sources if c.source in shown)
    for nested in ("roles", "figures"):
        if hasattr(obj, nested):
            changes[nested] = tuple(_cited(x, shown) for x in getattr(obj, nested))
    return dataclasses.replace(obj, **changes) if changes else obj


def dossier_data(case: Case, ref: int | str, *, viewer: Viewer | None = None) -> Dossier:
    """Gather an actor's roles, the allegations against them, the events those concern
    (with every figure side by side), their sources, evidence and custody, and a timeline.
    Sources, evidence and testimonies restricted from ``viewer`` (None: nobody) are left
    out (a claim that cites a restricted source is kept, without that citation)."""
    shown = {s.slug for s in case.sources(viewer)}
    actor = _cited(get_actor(case, ref, viewer=viewer), shown)
    allegations = [_cited(a, shown)
                   for a in list_allegations(case, accused=actor.id, viewer=viewer)]
    wanted = {a.event for a in allegations}
    events = [_cited(e, shown) for e in list_events(case, viewer=viewer) if e.slug in wanted]
    sites = [_cited(b, shown) for b in list_burial_sites(case, viewer=viewer)
             if b.slug in {e.burial_site for e in events}]

    sources: dict[str, CitationInfo] = {}
    groups: list[tuple[CitationInfo, ...]] = [actor.sources]
    groups += [r.sources for r in actor.roles]
    groups += [a.sources for a in allegations]
    groups += [e.sources for e in events] + [f.sources for e in events for f in e.figures]
    groups += [b.sources for b in sites]
    for group in groups:
        for c in group:
            if c.source in shown:
                sources.setdefault(c.source, c)

    shas = {s for a in allegations for s in a.evidence} | {s for e in events for s in e.evidence}
    items = [e for e in list_evidence(case, viewer=viewer) if e.sha256 in shas]
    missing = {it.source for it in items
               if it.source and it.source not in sources and it.source in shown}
    if missing:  # an item's own source belongs in the list too (no claim credibility)
        s = Source.__table__
        with case.read() as conn:
            for sr in conn.execute(select(s).where(s.c.slug.in_(missing)).order_by(s.c.id)):
                sources[sr.slug] = CitationInfo(
                    source=sr.slug, title=sr.title, reliability=sr.reliability, credibility="",
                    url=sr.url, citation=sr.citation, accessed_at=sr.accessed_at,
                    archive_url=sr.archive_url, archive_sha256=sr.archive_sha256, kind=sr.kind,
                    organisation=sr.organisation, notes=sr.notes)
    with case.read() as conn:
        custody = custody_of(conn, [e.id for e in items])
    testimonies = [t for t in list_testimonies(case, viewer=viewer) if t.event in wanted]

    timeline: list[TimelineEntry] = []
    for r in actor.roles:
        if r.start_earliest:
            timeline.append(TimelineEntry(r.start_earliest, r.start_latest or r.start_earliest,
                                          "role", f"begins as {r.position}"))
        if r.end_earliest:
            timeline.append(TimelineEntry(r.end_earliest, r.end_latest or r.end_earliest,
                                          "role", f"ends as {r.position}"))
    for e in events:
        if e.date_earliest:
            timeline.append(TimelineEntry(e.date_earliest, e.date_latest or e.date_earliest,
                                          "event", e.title))
    timeline.sort(key=lambda t: (t.earliest, t.latest, t.kind))
    return Dossier(actor=actor, allegations=tuple(allegations), events=tuple(events),
                   burial_sites=tuple(sites), sources=tuple(sources.values()),
                   evidence=tuple((it, tuple(_shareable(c) for c in custody[it.id]))
                                  for it in items),
                   testimonies=tuple(testimonies), timeline=tuple(timeline),
                   generated_at=audit.now_utc())


_ENV = Environment(loader=PackageLoader("dadkhah.casefile", "templates"),
                   autoescape=select_autoescape(["html"]), trim_blocks=True,
                   lstrip_blocks=True)
_ENV.filters["fa_digits"] = persian_digits
_ENV.filters["jalali"] = jalali_of


def dossier_map_points(d: Dossier) -> list[Any]:
    """What a dossier's map draws (:class:`~dadkhah.casefile.geo.MapPoint`), numbered in this
    order: its burial sites, then the places of its events that are not burial sites (the
    prisons where executions took place, the cities of other events), each at its city's
    centre."""
    from dadkhah.casefile.geo import burial_point, place_point

    points = [p for s in d.burial_sites if (p := burial_point(s)) is not None]
    keys = {p.key for p in points}
    for e in d.events:
        if e.place_id and e.place_id not in keys:
            kind = "prison" if e.place_id.startswith("prison:") else "city"
            if (p := place_point(e.place_id, kind)) is not None:
                points.append(p)
                keys.add(p.key)
    return points


def _dossier_map(d: Dossier) -> Markup:
    """The dossier's burial sites and places of its events on the offline map (inline SVG;
    escaped names only; nothing fetched, so it reads the same when shared as a file)."""
    from dadkhah.casefile.geo import render_map_svg

    points = dossier_map_points(d)
    svg = render_map_svg(points, label="Burial sites and places of events") if points else ""
    return Markup(svg)  # noqa: S704


def _event_places(d: Dossier) -> list[tuple[int, Any, list[EventInfo]]]:
    """(number on the map, place, the dossier's events there) for the places of events."""
    points = dossier_map_points(d)
    return [(n, p, [e for e in d.events if e.place_id == p.key])
            for n, p in enumerate(points, 1) if not p.key.startswith("burial:")]


_ENV.globals.update(dossier_map=_dossier_map, event_places=_event_places)


def render_dossier(case: Case, ref: int | str, *, synthetic_note: str | None = None,
                   viewer: Viewer | None = None) -> str:
    """The dossier as one HTML document (UTF-8 text, no external resources), of what
    ``viewer`` may see (:func:`dossier_data`)."""
    d = dossier_data(case, ref, viewer=viewer)
    return _ENV.get_template("dossier.html").render(
        d=d, attribution=attribution, credibility=CREDIBILITY, reliability=RELIABILITY,
        case_location=_shown_location(case), synthetic_note=synthetic_note,
        evidence_names={it.sha256: it.title or it.original_name for it, _ in d.evidence})


# Custody details that name a place on the machine that wrote them (an export's folder, the
# folder an import came from, a written file).
_PATH_KEYS = frozenset({"from", "to", "path", "source_path", "folder", "file"})


def _neutral_name(value: str) -> str:
    """A path's last part: the export or folder name, never the folders above it (which
    may hold a user name on the documenter's machine)."""
    return PureWindowsPath(value).name if "\\" in value else PurePosixPath(value).name


def _looks_like_path(value: object) -> bool:
    return isinstance(value, str) and (value.startswith(("/", "~", "\\")) or
                                       (len(value) > 2 and value[1] == ":" and value[2] in "/\\"))


def _shareable(entry: CustodyEntry) -> CustodyEntry:
    """A custody entry fit for a shared document: any filesystem path reduced to its name
    (the SHA-256, the manifest hash and the entry hash still identify everything)."""
    details = {k: (_neutral_name(v) if isinstance(v, str) and
                   (k in _PATH_KEYS or _looks_like_path(v)) else v)
               for k, v in entry.details.items()}
    return replace(entry, details=details)


def _shown_location(case: Case) -> str:
    """How the footer names the case: the folder's name or the database's name — never a
    local path, a host or a password, as the dossier is meant to be shared."""
    from sqlalchemy.engine import make_url

    from dadkhah.store import is_server_url

    loc = str(case.location)
    if is_server_url(loc):
        return f"database {make_url(loc).database or '?'}"
    return _neutral_name(loc.rstrip("/\\")) or "?"


def write_dossier(case: Case, ref: int | str, path: str | Path, *, by: str,
                  role: str | None = None, viewer: Viewer | None = None) -> Path:
    """Write the dossier of ``ref`` to ``path`` (what ``viewer`` may see) and log that it
    was produced."""
    html = render_dossier(case, ref, viewer=viewer)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    a = get_actor(case, ref, viewer=viewer)
    # Through a read-only handle the entry is written by a short writer of its own, and a
    # dossier whose entry cannot be written is removed (audit.record_access).
    audit.record_access(case, by=by, action="dossier.write", target=f"actor:{a.id}",
                        details={"actor": a.slug, "path": str(out), "role": role,
                                 "as_user": viewer.username if viewer else None,
                                 "include_restricted": bool(viewer and viewer.sees_all),
                                 "html_sha256": audit.sha256_text(html)}, written=[out])
    return out

