"""(Persian, Latin) name examples a case itself holds, to grow the name lexicon.

A person of the register named by a record in Persian script and by a record in Latin
script says how that name is romanised in this case's sources.  :func:`case_name_examples`
reads those pairs from the store; :meth:`dadkhah.names.NameLexicon.with_examples` (pure)
turns them into lexicon words, keeping only words whose name keys agree across the
scripts.

>>> # lexicon = load_name_lexicon().with_examples(case_name_examples(case))
>>> # latin_form("محمود عبدالنظری", lexicon)
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from dadkhah.names import detect_script
from dadkhah.store import Case
from dadkhah.store.tables import Person, PersonRecord, SourceRecord

__all__ = ["case_name_examples"]


def _text(v: str | None) -> str:
    return (v or "").strip()


def case_name_examples(case: Case) -> list[tuple[str, str]]:
    """(Persian, Latin) pairs of name parts written for one active person in both scripts.

    Per person, every distinct Persian-script form is paired with every distinct Latin-script
    form: given names with given names and surnames with surnames where records have those
    columns, full names (or given + surname) otherwise.  Sorted, with repeats (a pair seen
    for two persons counts twice when examples are voted on).  Reads only; empty for a case
    not yet linked.
    """
    with case.read() as conn:
        rows = conn.execute(
            select(PersonRecord.person_id, SourceRecord.full_name, SourceRecord.given_names,
                   SourceRecord.surname)
            .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
            .join(Person, Person.id == PersonRecord.person_id)
            .where(Person.status == "active")
            .order_by(PersonRecord.person_id, PersonRecord.record_id)).all()
    forms: dict[int, dict[tuple[str, str], set[str]]] = defaultdict(lambda: defaultdict(set))
    for pid, full, given, surname in rows:
        given, surname, full = _text(given), _text(surname), _text(full)
        parts = {"given": given, "surname": surname} if given and surname else \
            {"full": full or f"{given} {surname}".strip()}
        for part, text in parts.items():
            if not text:
                continue
            script = detect_script(text)
            if script in ("persian", "latin"):
                forms[pid][(part, script)].add(text)
    out: list[tuple[str, str]] = []
    for by in forms.values():
        for part in ("given", "surname", "full"):
            for fa in sorted(by.get((part, "persian"), ())):
                out.extend((fa, la) for la in sorted(by.get((part, "latin"), ())))
        # a person with a full name in one script and separate columns in the other
        if not by.get(("full", "persian")) and by.get(("full", "latin")):
            for g in sorted(by.get(("given", "persian"), ())):
                for s in sorted(by.get(("surname", "persian"), ())):
                    out.extend((f"{g} {s}", la) for la in sorted(by[("full", "latin")]))
        if not by.get(("full", "latin")) and by.get(("full", "persian")):
            for g in sorted(by.get(("given", "latin"), ())):
                for s in sorted(by.get(("surname", "latin"), ())):
                    out.extend((fa, f"{g} {s}") for fa in sorted(by[("full", "persian")]))
    return sorted(out)
