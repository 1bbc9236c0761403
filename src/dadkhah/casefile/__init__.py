"""The case file: who is alleged to have done what, on whose word, with what evidence.

Everything the case file holds is *attributed*: an allegation, a role, an event, a figure
or a burial site is a claim made by one or more sources (``Cite``), never the system's own
statement.  Evidence files are stored content-addressed (SHA-256) with a chain of custody in
the hash-chained audit log; witness identities are encrypted at rest (AES-GCM).

Every function takes the open :class:`dadkhah.store.Case` first, ``by=`` (the user name
written to the audit log) and, where access matters, ``role=`` (a role of
:mod:`dadkhah.access`).  Results are frozen dataclasses with ``summary()`` and ``to_dict()``.
References to actors, events and burial sites are their slugs (or numeric ids).

Public API::

    # sources and citations (sources are shared with the register)
    Cite(source, credibility="6", locator=None, quote=None)      # one source backing a claim
    attribution(citations) -> str                                # "according to …", shown
    cite_source(case, ref, *, accessed_at=, archive_url=, archive_sha256=, by, viewer=None)
    # every reader takes viewer= (restricted records, issue 16): citations, evidence and
    # victims resting on data restricted from the viewer are left out; None: nobody.  A
    # role, figure or allegation whose every source is kept from the viewer does not exist
    # for them, nor does an actor or event resting only on such sources that no claim they
    # may see names (casefile._unseen).  Writers that cite or name an item (add_*,
    # set_allegation_status, add_citation, remove_citation) take viewer= too, the writer:
    # a source, evidence item, actor, event or claim kept from them gets a missing one's
    # answer
    # actors and their roles
    add_actor(case, *, slug, kind, name_en=, name_fa=, aliases=(), notes=, sources=(), by)
    get_actor(case, ref) -> ActorInfo;  list_actors(case, search=None) -> list[ActorInfo]
    add_role(case, *, holder, position, position_fa=, institution=, start=, end=, notes=,
             sources=(), by) -> RoleInfo
    # events, their victims and the figures given for them
    add_event(case, *, slug, event_type, title, title_fa=, description=, date=, place=,
              burial_site=, part_of=, sources=(), evidence=(), by) -> EventInfo
    get_event(case, ref) -> EventInfo;  list_events(case) -> list[EventInfo]
    link_victim(case, event, *, person_id=None, record_id=None, notes=None, by)
    add_figure(case, event, *, quantity, figure_type, value_text, low=, high=, notes=,
               sources=(), by) -> FigureInfo;  list_figures(case, event=None)
    # allegations
    add_allegation(case, *, accused, event, mode, status, text, text_fa=, sources=(),
                   evidence=(), by) -> AllegationInfo
    list_allegations(case, *, accused=None, event=None) -> list[AllegationInfo]
    get_allegation(case, allegation_id) -> AllegationInfo
    set_allegation_status(case, allegation_id, status, *, sources=(), by)
    # burial sites
    add_burial_site(case, *, slug, name_en=, name_fa=, place=, geometry=, description=,
                    sources=(), by) -> BurialSiteInfo
    get_burial_site(case, ref);  list_burial_sites(case)
    # evidence: content-addressed files and their chain of custody
    evidence_root(case, evidence_dir=None) -> Path   # <case>/evidence, or the folder given
    add_evidence(case, path, *, title=, kind=, media_type=, acquired_by=, acquired_at=,
                 acquired_from=, acquisition_method=, source=, evidence_dir=, by)
                 -> EvidenceInfo                  # same bytes twice: stored once
    get_evidence(case, ref) -> EvidenceInfo;  list_evidence(case) -> list[EvidenceInfo]
    read_evidence(case, ref, *, by, role, evidence_dir=) -> bytes      # logs "access"
    export_evidence(case, ref, dest, *, by, role, evidence_dir=) -> Path  # logs "export"
    verify_evidence(case, *, by, evidence_dir=, viewer=) -> VerifyReport         # logs "verify"
    custody_history(case, ref) -> list[CustodyEntry]
    # the audit log as a member reads it: entries about material kept from ``viewer`` are
    # left out and counted (AuditLogPage.not_shown); Viewer.everything reads all, audited
    audit_log(case, *, viewer, by, before=None, limit=100, action=None, actor=None)
              -> AuditLogPage
    link_evidence(case, ref, *, claim_kind, claim_id, locator=None, by)
    # documents imported as lists, kept as evidence (the record's file SHA-256 finds them)
    check_document_keepable(case, path, *, viewer, name=None)  # before an import: bytes kept
                                                               # from viewer refused
    keep_document(case, path, *, source, by, role=None, name=None, viewer=INTERNAL,
                  conn=None) -> EvidenceInfo | None   # conn: in the import's transaction
    record_line_image(case, record_id, *, by, role, viewer=None) -> bytes (PNG of its line)
    # protected testimony
    TestimonyKey.generate(); TestimonyKey.from_base64(text); load_key(key_file=None)
    write_key_file(path) -> TestimonyKey
    add_testimony(case, *, pseudonym, identity, contact=, summary=, event=, taken_at=,
                  taken_place=, language=, consent=, key, by, role) -> TestimonyInfo
    list_testimonies(case) -> list[TestimonyInfo]          # pseudonyms only, no key needed
    get_testimony(case, ref) -> TestimonyInfo
    reveal_testimony(case, ref, *, key, by, role) -> ProtectedFields  # "protected.read"
    rekey_testimonies(case, *, old_key, new_key, by, role) -> RekeyReport # "keys.manage"
    # changes to what is recorded (same rules as adding; each audited with before/after;
    # viewer=, who writes, as every writer takes it: what does not exist for them is missing)
    update_actor(case, ref, *, kind, name_en, name_fa, aliases=(), notes=, by)
    update_event(case, ref, *, event_type, title, title_fa=, description=, date=, place=, by)
    update_allegation(case, allegation_id, *, mode, text, text_fa=, by)
    update_burial_site(case, ref, *, name_en, name_fa, place=, geometry=, description=, by)
    update_role(case, role_id, *, position, position_fa=, institution=, start=, end=, notes=, by)
    update_figure(case, figure_id, *, quantity, figure_type, value_text, low=, high=, notes=, by)
    get_role(case, role_id) -> RoleInfo;  get_figure(case, figure_id) -> FigureInfo
    add_citation(case, claim_kind, claim, cite, *, by)   # one more source for any claim
    remove_citation(case, claim_kind, claim, source, *, reason, by)   # one source fewer
    # the map: burial sites and prisons over an offline base map (Natural Earth outlines,
    # OpenStreetMap provinces; casefile.geo.provinces(), province_at(lon, lat))
    map_points(case, prisons=True) -> list[MapPoint]; burial_point(site) -> MapPoint | None
    render_map_svg(points, lang=, highlight=, label=) -> str (SVG, nothing fetched)
    # the dossier of one actor
    dossier_data(case, ref) -> Dossier;  render_dossier(case, ref) -> str (HTML)
    write_dossier(case, ref, path, *, by, role=None) -> Path
    # versioned JSON exchange (folder: casefile.json + evidence files + custody.json)
    export_casefile(case, folder, *, by, role, evidence_dir=, viewer=) -> ExchangeReport
    import_casefile(case, folder, *, by, role=None, evidence_dir=) -> ExchangeReport
    # the 1988 example (public facts with citations)
    load_example(case, *, by, role=None, folder=None, evidence_dir=) -> ExchangeReport
    EXAMPLE_DIR                                   # examples/1988 of a source checkout

Vocabularies: :data:`ACTOR_KINDS`, :data:`EVENT_TYPES`, :data:`MODES`, :data:`STATUSES`,
:data:`FIGURE_TYPES`, :data:`CREDIBILITY`, :data:`EVIDENCE_KINDS`.
"""

from dadkhah.casefile._common import (
    ACTOR_KINDS,
    CREDIBILITY,
    EVENT_TYPES,
    FIGURE_TYPES,
    MODES,
    STATUSES,
    CitationInfo,
    Cite,
    attribution,
)
from dadkhah.casefile.actors import (
    ActorInfo,
    RoleInfo,
    add_actor,
    add_role,
    get_actor,
    list_actors,
)
from dadkhah.casefile.allegations import (
    AllegationInfo,
    add_allegation,
    get_allegation,
    list_allegations,
    set_allegation_status,
)
from dadkhah.casefile.audit_reading import AuditLogPage, audit_log
from dadkhah.casefile.burial import (
    BurialSiteInfo,
    add_burial_site,
    get_burial_site,
    list_burial_sites,
)
from dadkhah.casefile.documents import (
    DOCUMENT_ACQUISITION,
    check_document_keepable,
    keep_document,
    record_line_image,
)
from dadkhah.casefile.dossier import Dossier, dossier_data, render_dossier, write_dossier
from dadkhah.casefile.edit import (
    add_citation,
    get_figure,
    get_role,
    remove_citation,
    update_actor,
    update_allegation,
    update_burial_site,
    update_event,
    update_figure,
    update_role,
)
from dadkhah.casefile.events import (
    EventInfo,
    FigureInfo,
    add_event,
    add_figure,
    get_event,
    link_victim,
    list_events,
    list_figures,
)
from dadkhah.casefile.evidence import (
    EVIDENCE_KINDS,
    CustodyEntry,
    EvidenceInfo,
    VerifyReport,
    add_evidence,
    custody_history,
    evidence_root,
    export_evidence,
    get_evidence,
    link_evidence,
    list_evidence,
    read_evidence,
    verify_evidence,
)
from dadkhah.casefile.example import EXAMPLE_DIR, load_example
from dadkhah.casefile.exchange import (
    FORMAT_VERSION,
    ExchangeReport,
    export_casefile,
    import_casefile,
)
from dadkhah.casefile.geo import MapPoint, burial_point, map_points, render_map_svg
from dadkhah.casefile.sources import cite_source
from dadkhah.casefile.testimony import (
    ProtectedFields,
    RekeyReport,
    TestimonyInfo,
    TestimonyKey,
    add_testimony,
    get_testimony,
    list_testimonies,
    load_key,
    rekey_testimonies,
    reveal_testimony,
    write_key_file,
)

__all__ = [
    "ACTOR_KINDS", "CREDIBILITY", "DOCUMENT_ACQUISITION", "EVENT_TYPES", "EVIDENCE_KINDS",
    "EXAMPLE_DIR", "FIGURE_TYPES",
    "FORMAT_VERSION", "MODES", "STATUSES", "ActorInfo", "AllegationInfo", "BurialSiteInfo",
    "CitationInfo", "Cite", "CustodyEntry", "Dossier", "EventInfo", "EvidenceInfo",
    "ExchangeReport", "FigureInfo", "MapPoint", "ProtectedFields", "RekeyReport", "RoleInfo",
    "TestimonyInfo", "TestimonyKey", "VerifyReport", "add_actor", "add_allegation", "add_citation",
    "add_burial_site", "add_event", "add_evidence", "add_figure", "add_role", "add_testimony",
    "attribution", "burial_point", "check_document_keepable", "cite_source",
    "AuditLogPage", "audit_log", "custody_history", "dossier_data",
    "evidence_root", "export_casefile", "export_evidence", "get_actor", "get_allegation",
    "get_burial_site",
    "get_event", "get_evidence", "get_testimony", "import_casefile", "keep_document",
    "link_evidence",
    "link_victim", "list_actors", "list_allegations", "list_burial_sites", "list_events",
    "list_evidence", "list_figures", "list_testimonies", "load_example", "load_key", "map_points",
    "read_evidence", "record_line_image", "rekey_testimonies", "render_dossier",
    "render_map_svg", "reveal_testimony",
    "set_allegation_status", "update_actor", "update_allegation", "update_burial_site",
    "update_event", "update_figure", "update_role", "get_figure", "get_role", "remove_citation",
    "verify_evidence", "write_dossier", "write_key_file",
]
