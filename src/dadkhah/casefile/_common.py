"""What the case-file modules share: vocabularies, citations, references, dates, writes."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, FromClause, Row, and_, insert, or_, select

from dadkhah import access
from dadkhah.access import Viewer
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.store import Case
from dadkhah.store.restrict import any_restrictions, hidden_ids_select, visible_source_id
from dadkhah.store.tables import CLAIM_KINDS, Citation, EvidenceLink, Source

ACTOR_KINDS = ("person", "institution")

EVENT_TYPES = (
    "mass_execution", "execution", "arrest", "detention", "transfer", "trial", "decree",
    "burial", "concealment", "destruction", "public_statement", "meeting", "court_case",
    "other",
)
"""Types of event (HURIDOCS ESF *event*, narrowed to what the 1988 case needs)."""

MODES = ("ordered", "decided", "carried_out", "was_present", "concealed", "other")
"""Mode of an actor's alleged involvement in an event (ESF *degree of involvement*)."""

STATUSES = ("alleged", "corroborated", "established_by_court")
"""Status of an allegation: made by a source; corroborated by independent sources; found
by a court judgment."""

FIGURE_TYPES = ("documented", "estimate", "claim", "court_finding", "counter_claim")
"""What kind of number a figure is: documented (named, counted) ≠ estimate ≠ bare claim."""

CREDIBILITY = {
    "1": "confirmed by other sources",
    "2": "probably true",
    "3": "possibly true",
    "4": "doubtful",
    "5": "improbable",
    "6": "truth cannot be judged",
}
"""Admiralty information-credibility scale, graded per claim (independent of the source's
reliability A-F)."""

_SLUG = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def check_slug(slug: str, what: str) -> None:
    if not _SLUG.match(slug or ""):
        raise InvalidInput(f"{what} id {slug!r} is not usable.",
                           hint="Use lower-case letters, digits, '.', '-' or '_', up to 64 "
                                "characters, starting with a letter or digit (e.g. raisi).")


def check_choice(value: str, choices: Sequence[str], what: str) -> str:
    v = (value or "").strip().lower().replace(" ", "_").replace("-", "_")
    if v not in choices:
        raise InvalidInput(f"Unknown {what} {value!r}.", hint="Use one of: " + ", ".join(choices))
    return v


def require_write(role: str | None, what: str) -> None:
    """The ``write`` permission (held by ``role=None``, the local owner: see dadkhah.access)."""
    access.require(role, "write", what=what)


@contextmanager
def write(case: Case) -> Iterator[Connection]:
    """One write transaction (SQLite BEGIN IMMEDIATE via the engine's hook)."""
    with case.write() as conn:
        yield conn


def resolve(conn: Connection, table: FromClause, ref: int | str, what: str, hint: str,
            unseen: Collection[int] = ()) -> Row[Any]:
    """A row by numeric id or slug, or :class:`NotFound`; the same answer for a row whose
    id is in ``unseen`` (it does not exist for the reader: :mod:`dadkhah.casefile._unseen`)."""
    cond = table.c.slug == str(ref)
    if isinstance(ref, int) or str(ref).isdigit():
        cond = or_(cond, table.c.id == int(ref))
    row = conn.execute(select(table).where(cond)).first()
    if row is None or row.id in unseen:
        raise NotFound(f"No {what} {ref!r} in this case.", hint=hint)
    return row


# -- dates ------------------------------------------------------------------------------------
def parse_interval(text: str | None, what: str) -> tuple[str | None, str | None, str | None]:
    """(earliest, latest, precision) as ISO Gregorian from a date as written, any calendar."""
    if text is None or not str(text).strip():
        return None, None, None
    from dadkhah.names.dates import try_parse_date

    interval, problem = try_parse_date(str(text))
    if interval is None:
        raise InvalidInput(f"Cannot read the {what} {text!r}: {problem}.",
                           hint="Write it as 1988-07-19, 28 Tir 1367, '۲۸ تیر ۱۳۶۷', "
                                "'summer 1988' or a range '1988-07-27 to 1988-09-06'.")
    return interval.earliest.isoformat(), interval.latest.isoformat(), interval.precision


def interval_text(earliest: str | None, latest: str | None) -> str | None:
    """Both calendars for an ISO interval, e.g. '1988-08-15 (۱۳۶۷/۰۵/۲۴)'."""
    if not earliest:
        return None
    from dadkhah.names import jalali_of

    if earliest == latest or not latest:
        return f"{earliest} ({jalali_of(earliest)})"
    return f"{earliest} … {latest} ({jalali_of(earliest)} … {jalali_of(latest)})"


# -- citations ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cite:
    """One source backing one claim.

    ``source`` is a source slug or id; ``credibility`` the Admiralty information-credibility
    grade of *this claim* in that source ("1" confirmed … "6" cannot be judged); ``locator``
    the page, paragraph or timestamp; ``quote`` the words the claim rests on.
    """

    source: str | int
    credibility: str = "6"
    locator: str | None = None
    quote: str | None = None

    @classmethod
    def parse(cls, text: str) -> Cite:
        """``slug`` or ``slug:credibility`` as typed on the command line."""
        slug, _, cred = text.partition(":")
        return cls(slug.strip(), cred.strip() or "6")


@dataclass(frozen=True)
class CitationInfo:
    """A citation as stored, with the source's title, reliability and citation details."""

    source: str
    title: str
    reliability: str
    credibility: str
    locator: str | None = None
    quote: str | None = None
    url: str | None = None
    citation: str | None = None
    accessed_at: str | None = None
    archive_url: str | None = None
    archive_sha256: str | None = None
    kind: str = ""
    organisation: str | None = None
    notes: str | None = None  # the source's notes (e.g. "advocacy source")

    def label(self) -> str:
        """'Title [B2]': source reliability and claim credibility, Admiralty style."""
        return f"{self.title} [{self.reliability}{self.credibility}]"

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def add_citations(conn: Connection, claim_kind: str, claim_id: int,
                  sources: Iterable[Cite | str], viewer: Viewer | None = None
                  ) -> list[dict[str, Any]]:
    """Insert the citations of one claim; returns them for the audit entry.  A source
    restricted from ``viewer`` (None: nobody in particular), who is writing, gets the answer
    a source the case does not hold gets (:func:`~dadkhah.store.restrict.no_such_source`):
    citing it would tell them it exists."""
    assert claim_kind in CLAIM_KINDS, claim_kind
    out = []
    for c in sources:
        cite = Cite.parse(c) if isinstance(c, str) else c
        cred = str(cite.credibility).strip()
        if cred not in CREDIBILITY:
            raise InvalidInput(f"Information credibility {cite.credibility!r} (source "
                               f"{cite.source!r}) is not on the 1-6 scale.",
                               hint="Use 1 confirmed, 2 probably true, 3 possibly true, "
                                    "4 doubtful, 5 improbable, 6 cannot be judged.")
        source_id = visible_source_id(conn, cite.source, viewer)
        conn.execute(insert(Citation).values(
            claim_kind=claim_kind, claim_id=claim_id, source_id=source_id, credibility=cred,
            locator=cite.locator, quote=cite.quote))
        slug = conn.execute(select(Source.slug).where(Source.id == source_id)).scalar_one()
        out.append({"source": slug, "credibility": cred, "locator": cite.locator})
    return out


def add_evidence_links(conn: Connection, claim_kind: str, claim_id: int,
                       evidence: Iterable[str | int], viewer: Viewer | None = None
                       ) -> list[str]:
    """Link evidence items (sha256, its prefix, or id) to a claim; an item restricted from
    ``viewer`` (None: nobody in particular) gets the answer an unknown one gets."""
    from dadkhah.casefile.evidence import _check_visible, resolve_evidence

    out = []
    for ref in evidence:
        row = _check_visible(conn, resolve_evidence(conn, ref), ref, viewer)
        conn.execute(insert(EvidenceLink).values(
            claim_kind=claim_kind, claim_id=claim_id, evidence_id=row.id))
        out.append(row.sha256)
    return out


def _restricted_for(conn: Connection, viewer: Viewer | None) -> bool:
    """True when some data may be hidden from ``viewer`` (else readers skip the filter)."""
    return not (viewer is not None and viewer.sees_all) and any_restrictions(conn)


def citations_of(conn: Connection, claim_kind: str, claim_ids: Iterable[int],
                 viewer: Viewer | None = None) -> dict[int, list[CitationInfo]]:
    """claim id → its citations, leaving out those of a source restricted from ``viewer``
    (None: nobody in particular; :data:`dadkhah.access.INTERNAL` for a check that shows
    nothing).  Nothing says a citation was left out: a count would tell the reader that the
    claim rests on material kept from them, which is what the restriction protects."""
    ids = list(claim_ids)
    if not ids:
        return {}
    s = Source.__table__
    q = (select(Citation.claim_id, Citation.credibility, Citation.locator, Citation.quote,
                s.c.slug, s.c.title, s.c.reliability, s.c.url, s.c.citation, s.c.accessed_at,
                s.c.archive_url, s.c.archive_sha256, s.c.kind, s.c.organisation, s.c.notes)
         .join(s, s.c.id == Citation.source_id)
         .where(Citation.claim_kind == claim_kind, Citation.claim_id.in_(ids))
         .order_by(Citation.id))
    if _restricted_for(conn, viewer):
        q = q.where(Citation.source_id.not_in(hidden_ids_select("source", viewer)))
    out: dict[int, list[CitationInfo]] = {i: [] for i in ids}
    for r in conn.execute(q):
        out[r.claim_id].append(CitationInfo(
            source=r.slug, title=r.title, reliability=r.reliability, credibility=r.credibility,
            locator=r.locator, quote=r.quote, url=r.url, citation=r.citation,
            accessed_at=r.accessed_at, archive_url=r.archive_url,
            archive_sha256=r.archive_sha256, kind=r.kind, organisation=r.organisation,
            notes=r.notes))
    return out


def evidence_of(conn: Connection, claim_kind: str, claim_ids: Iterable[int],
                viewer: Viewer | None = None) -> dict[int, list[str]]:
    """claim id → sha256 of its evidence items ``viewer`` may see (an item restricted from
    them, or from a source restricted from them, is left out)."""
    from dadkhah.store.tables import Evidence

    ids = list(claim_ids)
    out: dict[int, list[str]] = {i: [] for i in ids}
    if not ids:
        return out
    q = (select(EvidenceLink.claim_id, Evidence.sha256)
         .join(Evidence, Evidence.id == EvidenceLink.evidence_id)
         .where(EvidenceLink.claim_kind == claim_kind, EvidenceLink.claim_id.in_(ids))
         .order_by(EvidenceLink.id))
    if _restricted_for(conn, viewer):
        q = q.where(and_(Evidence.id.not_in(hidden_ids_select("evidence", viewer)),
                         or_(Evidence.source_id.is_(None),
                             Evidence.source_id.not_in(hidden_ids_select("source", viewer)))))
    for r in conn.execute(q):
        out[r.claim_id].append(r.sha256)
    return out


def attribution(cites: Sequence[CitationInfo]) -> str:
    """'According to A and B' — how every claim is introduced."""
    names = [c.title for c in cites]
    if not names:
        return "According to no recorded source"
    if len(names) == 1:
        return f"According to {names[0]}"
    return "According to " + ", ".join(names[:-1]) + f" and {names[-1]}"
