"""Corrections of a person's display name by people, and keeping them across relinks.

A correction (:func:`correct_name`) sets a person's display name in Latin, in Persian or in
both, and/or the father's display name the same way (``father_latin``, ``father_persian``;
migration 0014), with a reason; it is audited (``name.correct``) and wins over every
automatic choice (origin ``person``, :mod:`dadkhah.register.name_forms`).  It is keyed to
the source records the person held when corrected, not to the person id, which a relink
may retire: every relink (:func:`dadkhah.register.write_register`) re-applies each
correction in force to the person now holding most of those records (ties: the lowest
person id), the newest correction last.  :func:`withdraw_correction` withdraws one
(audited, kept); the person's names go back to what the sources say, or to an older
correction still in force.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from dadkhah.access import Viewer, require
from dadkhah.errors import InvalidInput, NotFound
from dadkhah.names import detect_script, latin_form, normalize_persian
from dadkhah.register.name_forms import (
    MACHINE,
    PERSON,
    RecordName,
    choose_name_forms,
    origin_label,
)
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.restrict import hidden
from dadkhah.store.tables import (
    NameCorrection,
    Person,
    PersonRecord,
    PublishedPerson,
    Source,
    SourceRecord,
    insert_row,
)

__all__ = ["CorrectionResult", "NameCorrectionRow", "NameForm", "NameProvenance",
           "apply_corrections", "correct_name", "name_corrections", "name_provenance",
           "refresh_name_forms", "withdraw_correction"]


@dataclass(frozen=True)
class NameCorrectionRow:
    """A stored correction: what it set, why, who, and whether it was withdrawn."""

    id: int
    person_id: int  # the person when it was made (a relink may have moved its records)
    record_ids: tuple[int, ...]
    name_fa: str | None
    name_latin: str | None
    reason: str
    created_at: str
    created_by: str
    withdrawn_at: str | None = None
    withdrawn_by: str | None = None
    withdrawn_reason: str | None = None
    father_fa: str | None = None
    father_latin: str | None = None

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None

    def summary(self) -> str:
        names = " / ".join(n for n in (self.name_fa, self.name_latin) if n)
        father = " / ".join(n for n in (self.father_fa, self.father_latin) if n)
        if father:
            names = f"{names}; father {father}" if names else f"father {father}"
        state = "in force" if self.in_force else f"withdrawn by {self.withdrawn_by}"
        return f"correction {self.id} of person {self.person_id}: {names} ({state})"


@dataclass(frozen=True)
class CorrectionResult:
    """What :func:`correct_name` or :func:`withdraw_correction` did: the correction and the
    person's display names before and after."""

    correction_id: int
    person_id: int
    action: str  # correct | withdraw
    before: tuple[str | None, str | None]  # (Persian, Latin)
    after: tuple[str | None, str | None]
    published: bool = False  # on the memorial, which shows its snapshot until republished
    father_before: tuple[str | None, str | None] = (None, None)  # (Persian, Latin)
    father_after: tuple[str | None, str | None] = (None, None)

    def summary(self) -> str:
        def show(p: tuple[str | None, str | None]) -> str:
            return " / ".join(n for n in p if n) or "(no name)"
        verb = "corrected" if self.action == "correct" else "correction withdrawn"
        text = (f"person {self.person_id}: {verb} (correction {self.correction_id}): "
                f"{show(self.before)} → {show(self.after)}")
        if self.father_before != self.father_after:
            text += f"; father {show(self.father_before)} → {show(self.father_after)}"
        if self.published:
            text += (f". The memorial shows the published snapshot until the person is "
                     f"published again: dadkhah publish {self.person_id}")
        return text


def _row(r: Any) -> NameCorrectionRow:
    return NameCorrectionRow(
        id=r.id, person_id=r.person_id, record_ids=tuple(json.loads(r.record_ids)),
        name_fa=r.name_fa, name_latin=r.name_latin, reason=r.reason, created_at=r.created_at,
        created_by=r.created_by, withdrawn_at=r.withdrawn_at, withdrawn_by=r.withdrawn_by,
        withdrawn_reason=r.withdrawn_reason, father_fa=r.father_fa, father_latin=r.father_latin)


def _in_force(conn: Connection) -> list[NameCorrectionRow]:
    return [_row(r) for r in conn.execute(
        select(NameCorrection.__table__).where(NameCorrection.withdrawn_at.is_(None))
        .order_by(NameCorrection.id))]


def apply_corrections(conn: Connection, persons: dict[int, dict[str, Any]],
                      person_of_record: Mapping[int, int]) -> int:
    """Apply the corrections in force to ``persons`` (person id → ``persons`` columns,
    changed in place): each to the person in ``persons`` holding most of its records,
    the newest last.  A corrected Persian form with a machine Latin form gets the machine
    form of the corrected spelling.  Returns how many corrections found their person."""
    applied = 0
    for c in _in_force(conn):
        held = Counter(person_of_record[r] for r in c.record_ids
                       if r in person_of_record and person_of_record[r] in persons)
        if not held:
            continue
        top = max(held.values())
        row = persons[min(p for p, n in held.items() if n == top)]
        if c.name_fa:
            row.update(name_fa=c.name_fa, name_fa_origin=PERSON, name_fa_sources=None)
            if row.get("name_latin_origin") in (MACHINE, None):
                row.update(name_latin=latin_form(c.name_fa) or None,
                           name_latin_origin=MACHINE, name_latin_sources=None)
        if c.name_latin:
            row.update(name_latin=c.name_latin, name_latin_origin=PERSON,
                       name_latin_sources=None)
        if c.father_fa:  # the father's name: the same rule, without sources
            row.update(father_fa=c.father_fa, father_fa_origin=PERSON)
            if row.get("father_latin_origin") in (MACHINE, None):
                row.update(father_latin=latin_form(c.father_fa) or None,
                           father_latin_origin=MACHINE)
        if c.father_latin:
            row.update(father_latin=c.father_latin, father_latin_origin=PERSON)
        applied += 1
    return applied


def refresh_name_forms(conn: Connection, person_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Recompute the display names of ``person_ids`` (active persons) from their records and
    the corrections in force, and write them; returns person id → the name columns.
    Runs in the caller's write transaction (the caller appends the audit entry)."""
    ids = sorted({int(i) for i in person_ids})
    if not ids:
        return {}
    reliability = dict(conn.execute(select(Source.id, Source.reliability)).all())
    recs: dict[int, list[RecordName]] = {i: [] for i in ids}
    for r in conn.execute(select(PersonRecord.person_id, SourceRecord.source_id,
                                 SourceRecord.full_name, SourceRecord.given_names,
                                 SourceRecord.surname, SourceRecord.father_name)
                          .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
                          .where(PersonRecord.person_id.in_(ids))
                          .order_by(SourceRecord.id)):
        recs[r.person_id].append(RecordName(r.source_id, r.full_name, r.given_names,
                                            r.surname, r.father_name))
    rows = {i: choose_name_forms(recs[i], reliability) for i in ids}
    corrected = {int(r) for c in _in_force(conn) for r in c.record_ids}
    person_of_record = {int(rid): int(pid) for rid, pid in conn.execute(
        select(PersonRecord.record_id, PersonRecord.person_id)
        .join(Person, Person.id == PersonRecord.person_id)
        .where(Person.status == "active", PersonRecord.record_id.in_(corrected)))}
    apply_corrections(conn, rows, person_of_record)
    for i, row in rows.items():
        conn.execute(update(Person).where(Person.id == i).values(row))
    return rows


def _active_person(conn: Connection, person_id: int) -> Any:
    p = conn.execute(select(Person.__table__).where(Person.id == person_id)).first()
    if p is None:
        raise NotFound(f"No person {person_id} in the register.",
                       hint="Find the person with: dadkhah persons list, or search the web.")
    if p.status != "active":
        raise NotFound(f"Person {person_id} is no longer in the register (status "
                       f"{p.status}: a relink merged or split it).",
                       hint="Correct the person that now holds its records: "
                            f"dadkhah persons show {person_id} says which.")
    return p


def _clean(latin: str | None, persian: str | None, *,
           what: str = "name", opt: str = "") -> tuple[str | None, str | None]:
    """The Latin and Persian spellings, trimmed and normalised; refused in the wrong script
    (``what`` and ``opt`` name the field and its option in the message)."""
    la = " ".join((latin or "").split()) or None
    fa = normalize_persian(persian) if persian and persian.strip() else None
    if la is not None and detect_script(la) != "latin":
        raise InvalidInput(f"The Latin {what} {la!r} is not in Latin letters.",
                           hint=f"Put the Persian spelling in --{opt}persian.")
    if fa is not None and detect_script(fa) != "persian":
        raise InvalidInput(f"The Persian {what} {fa!r} is not in Persian script.",
                           hint=f"Put the Latin spelling in --{opt}latin.")
    return la, fa


def correct_name(case: Case, person_id: int, *, latin: str | None = None,
                 persian: str | None = None, reason: str, by: str,
                 role: str | None, father_latin: str | None = None,
                 father_persian: str | None = None) -> CorrectionResult:
    """Correct a person's display name and/or their father's display name, in Latin and/or
    Persian (``write`` permission).

    The correction is stored with the person's record ids, applied now, audited
    (``name.correct``) and re-applied by every later relink; the corrected forms get origin
    ``person``.  Refused (nothing written) for a person not active in the register, an empty
    reason, no name at all, or a name in the wrong script."""
    require(role, "write", what="names in the register")
    la, fa = _clean(latin, persian)
    fla, ffa = _clean(father_latin, father_persian, what="father's name", opt="father-")
    if la is None and fa is None and fla is None and ffa is None:
        raise InvalidInput("A correction needs a name: --latin, --persian, --father-latin "
                           "or --father-persian.",
                           hint='dadkhah names correct 12 --latin "Ali Rezaei" '
                                '--reason "family letter"')
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("A correction needs a reason (who says so, on what evidence).",
                           hint='Add --reason "letter from the family, 2026-03-01".')
    with case.write() as conn:
        p = _active_person(conn, person_id)
        records = sorted(int(r) for r in conn.execute(
            select(PersonRecord.record_id).where(PersonRecord.person_id == person_id))
            .scalars())
        if not records:
            raise InvalidInput(f"Person {person_id} holds no source records.",
                               hint="Run dadkhah link, then correct the person.")
        cid = insert_row(conn, NameCorrection, person_id=person_id,
                         record_ids=json.dumps(records), name_fa=fa, name_latin=la,
                         father_fa=ffa, father_latin=fla,
                         reason=reason, created_at=now_utc(), created_by=by)
        after = refresh_name_forms(conn, [person_id])[person_id]
        before = (p.name_fa, p.name_latin)
        father_before = (p.father_fa, p.father_latin)
        published = conn.execute(select(PublishedPerson.person_id).where(
            PublishedPerson.person_id == person_id)).first() is not None
        details: dict[str, Any] = {
            "correction_id": cid, "name_fa": fa, "name_latin": la, "reason": reason,
            "before": list(before), "records": records, "role": role}
        if ffa or fla:
            details.update(father_fa=ffa, father_latin=fla,
                           father_before=list(father_before))
        append(conn, by=by, action="name.correct", target=f"person:{person_id}",
               details=details)
    return CorrectionResult(cid, person_id, "correct", before,
                            (after["name_fa"], after["name_latin"]), published,
                            father_before, (after["father_fa"], after["father_latin"]))


def withdraw_correction(case: Case, correction_id: int, *, reason: str, by: str,
                        role: str | None) -> CorrectionResult:
    """Withdraw a correction (``write`` permission; audited as ``name.withdraw``, kept).
    The person now holding its records gets the names the rule gives without it."""
    require(role, "write", what="names in the register")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Withdrawing a correction needs a reason.",
                           hint='Add --reason "the family wrote again".')
    with case.write() as conn:
        r = conn.execute(select(NameCorrection.__table__)
                         .where(NameCorrection.id == correction_id)).first()
        if r is None:
            raise NotFound(f"No name correction {correction_id}.",
                           hint="List them with: dadkhah names corrections")
        c = _row(r)
        if not c.in_force:
            raise InvalidInput(f"Correction {correction_id} was already withdrawn "
                               f"({c.withdrawn_at} by {c.withdrawn_by}).")
        held = Counter(conn.execute(
            select(PersonRecord.person_id).join(Person, Person.id == PersonRecord.person_id)
            .where(Person.status == "active", PersonRecord.record_id.in_(c.record_ids)))
            .scalars())
        pid = min(p for p, n in held.items() if n == max(held.values())) if held else None
        before: tuple[str | None, str | None] = (None, None)
        father_before: tuple[str | None, str | None] = (None, None)
        if pid is not None:
            p = conn.execute(select(Person.name_fa, Person.name_latin, Person.father_fa,
                                    Person.father_latin).where(Person.id == pid)).one()
            before = (p.name_fa, p.name_latin)
            father_before = (p.father_fa, p.father_latin)
        conn.execute(update(NameCorrection).where(NameCorrection.id == correction_id).values(
            withdrawn_at=now_utc(), withdrawn_by=by, withdrawn_reason=reason))
        after, father_after = before, father_before
        if pid is not None:
            row = refresh_name_forms(conn, [pid])[pid]
            after = (row["name_fa"], row["name_latin"])
            father_after = (row["father_fa"], row["father_latin"])
        details: dict[str, Any] = {"correction_id": correction_id, "person_id": pid,
                                   "reason": reason, "after": list(after), "role": role}
        if c.father_fa or c.father_latin:
            details["father_after"] = list(father_after)
        append(conn, by=by, action="name.withdraw", target=f"name_correction:{correction_id}",
               details=details)
        published = pid is not None and conn.execute(select(PublishedPerson.person_id).where(
            PublishedPerson.person_id == pid)).first() is not None
    return CorrectionResult(correction_id, pid if pid is not None else c.person_id,
                            "withdraw", before, after, published, father_before,
                            father_after)


def name_corrections(case: Case, *, person_id: int | None = None,
                     include_withdrawn: bool = True,
                     viewer: Viewer | None = None) -> list[NameCorrectionRow]:
    """Stored corrections, oldest first: all, or those whose records ``person_id`` now holds
    (or that were made on that person id).  A correction made on records ``viewer`` may not
    all see is left out (it may rest on a restricted record; the person's view drops it
    too, :func:`dadkhah.register.redact_persons`)."""
    with case.read() as conn:
        q = select(NameCorrection.__table__).order_by(NameCorrection.id)
        if not include_withdrawn:
            q = q.where(NameCorrection.withdrawn_at.is_(None))
        rows = [_row(r) for r in conn.execute(q)]
        hidden_records = hidden(conn, viewer).records
        rows = [c for c in rows if not hidden_records & set(c.record_ids)]
        if person_id is None:
            return rows
        mine = set(conn.execute(select(PersonRecord.record_id)
                                .where(PersonRecord.person_id == person_id)).scalars())
    return [c for c in rows if c.person_id == person_id or mine & set(c.record_ids)]



@dataclass(frozen=True)
class NameForm:
    """One display form of a person: ``name`` or ``father``, in ``fa`` or ``latin``, its
    value and origin (``source``, ``machine``, ``person``), the slugs of the sources that
    wrote it (the person's own name only) and the correction that set it (origin
    ``person``)."""

    field: str
    script: str
    value: str | None
    origin: str | None
    sources: tuple[str, ...] = ()
    correction_id: int | None = None

    def summary(self) -> str:
        label = origin_label(self.origin) or "origin unknown"
        what = f"{'father' if self.field == 'father' else 'name'} ({self.script})"
        if self.value is None:
            return f"{what}: none"
        how = label
        if self.sources:
            how += ": " + ", ".join(self.sources)
        if self.correction_id is not None:
            how += f" (correction {self.correction_id})"
        return f"{what}: {self.value} — {how}"


@dataclass(frozen=True)
class NameProvenance:
    """Where each display name of a person came from (:func:`name_provenance`)."""

    person_id: int
    status: str
    forms: tuple[NameForm, ...]
    corrections: tuple[NameCorrectionRow, ...]  # the person's, withdrawn ones too

    def summary(self) -> str:
        lines = [f"person {self.person_id} ({self.status}):"]
        lines += [f"  {f.summary()}" for f in self.forms]
        lines += [f"  {c.summary()}" for c in self.corrections]
        return "\n".join(lines)


def name_provenance(case: Case, person_id: int, *,
                    viewer: Viewer | None = None) -> NameProvenance:
    """Where each display form of ``person_id`` (name and father, Persian and Latin) came
    from: written by which sources, a machine transliteration, or a correction by a person
    (which one), as ``viewer`` (None: nobody in particular) sees the person: from the
    records they may see only (:func:`dadkhah.register.redact_persons`).  Raises
    :class:`NotFound` for an unknown person id, and for one only hidden records name."""
    from dadkhah.register.restricted import redact_persons

    corrections = tuple(name_corrections(case, person_id=person_id, viewer=viewer))
    with case.read() as conn:
        row = conn.execute(select(Person.__table__).where(Person.id == person_id)).first()
        seen = redact_persons(conn, [row._asdict()], viewer) if row is not None else []
        if not seen:
            raise NotFound(f"No person {person_id} in the register.",
                           hint="Find the person with: dadkhah persons list, or search the web.")
        p = seen[0]
        slugs = dict(conn.execute(select(Source.id, Source.slug)).all())
    forms = []
    for fld, prefix in (("name", "name"), ("father", "father")):
        for script in ("fa", "latin"):
            col = f"{prefix}_{script}"
            value, origin = p[col], p[f"{col}_origin"]
            ids = p[f"{col}_sources"] if fld == "name" else []
            ids = json.loads(ids or "[]") if isinstance(ids, str) or ids is None else ids
            cid = None
            if origin == PERSON:  # the newest correction in force that set this form
                cid = next((c.id for c in reversed(corrections)
                            if c.in_force and getattr(c, col) == value), None)
            forms.append(NameForm(fld, script, value, origin,
                                  tuple(slugs.get(i, str(i)) for i in ids), cid))
    return NameProvenance(person_id, p["status"], tuple(forms), corrections)
