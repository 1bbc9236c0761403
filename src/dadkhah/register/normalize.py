"""Fill the parsed columns of source records (``dadkhah normalize``).

:func:`normalize_fields` turns one record's mapped text into parsed values and a list of
problems; :func:`normalize_case` does it for every record of a case, writes only what
changed (so a second run writes nothing), and returns a :class:`NormalizeReport` that
counts, per source and field, the values that could not be read.

Nothing is guessed: an unreadable date, an unknown place, an age that is not a number stay
``NULL`` in the parsed columns and are listed as problems; the mapped text is untouched.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, func, select, update

from dadkhah.names.dates import DateInterval, birth_interval_from_age, parse_age, try_parse_date
from dadkhah.names.keys import join_keys, name_key, name_tokens, word_key
from dadkhah.names.parse import (
    likely_swapped,
    lone_titles,
    parse_name,
    parse_sex,
    split_scripts,
    written_forms,
)
from dadkhah.names.places import load_gazetteer, resolve_place
from dadkhah.names.romanize import latin_form
from dadkhah.store import Case

__all__ = ["NormalizeReport", "normalize_case", "normalize_fields"]

# Parsed columns written by this module (normalized_at is set when a row changes).
PARSED = (
    "name_fa", "name_latin", "name_key", "given_key", "surname_key", "father_key",
    "name_titles", "sex_code", "age_min", "age_max", "birth_earliest", "birth_latest",
    "birth_precision", "death_earliest", "death_latest", "death_precision",
    "arrest_place_id", "prison_id", "city_id", "province_id", "parse_problems",
)
INPUT_FIELDS = (
    "full_name", "given_names", "surname", "father_name", "sex", "age", "birth_date",
    "death_date", "place_of_arrest", "prison", "city", "province",
)
# Problems that say something about the value but still leave it usable are "notes";
# only "unparsed" problems are counted as unparsed in the report.
_NOTE_PREFIXES = ("surname written first", "one word", "derived from")


def _blank(v: object) -> bool:
    return v is None or not str(v).strip()


def _is_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _names(f: Mapping[str, str | None], problems: list[dict[str, str]]) -> dict[str, object]:
    full, given, surname, father = (f.get(k) for k in ("full_name", "given_names", "surname",
                                                         "father_name"))
    out: dict[str, object] = {}
    titles: list[str] = []
    # a cell may write the name in both scripts («علی رضایی (Ali Rezaei)»): one name with
    # two written forms; its keys come from one part (the Persian), never from both
    forms = written_forms(full, given, surname)
    if not _blank(given) or not _blank(surname):
        gt, gwords = name_tokens(_one_script(given))
        st, swords = name_tokens(_one_script(surname))
        if swords and (lone := lone_titles(gwords)):
            # a given-name cell holding only a title («Seyed», «سید» beside a surname) names
            # no given name: name_tokens keeps a cell's last word, lest a name be lost
            gt, gwords = gt + list(lone), []
            problems.append({"field": "given_names", "kind": "note",
                             "problem": "the given-name cell holds only a title"})
        titles = gt + st
        if likely_swapped(gwords, swords):
            gwords, swords = swords, gwords
            problems.append({"field": "given_names", "kind": "note",
                             "problem": "surname written first: order swapped"})
        gk = join_keys(word_key(w) for w in gwords)
        sk = join_keys(word_key(w) for w in swords)
        fk = ""
        words = [*gwords, *swords]
        text = " ".join(x for x in (given, surname) if x is not None and not _blank(x))
        if not _blank(full):
            p = parse_name(full or "")
            if p.key and p.key != join_keys((gk, sk)):
                problems.append({"field": "full_name", "kind": "note",
                                 "problem": "full name and given/surname columns differ"})
    elif not _blank(full):
        p = parse_name(full or "")
        titles = list(p.titles)
        gk, sk, fk = p.given_key, p.surname_key, p.father_key
        words = [*p.given, *p.surname]
        text = " ".join(words)
        for prob in p.problems:
            problems.append({"field": "full_name", "kind": "note", "problem": prob})
    else:
        return out
    if not _blank(father):
        fk = name_key(father or "")
    out["given_key"] = gk or None
    out["surname_key"] = sk or None
    out["father_key"] = fk or None
    out["name_key"] = join_keys((gk, sk)) or None
    out["name_titles"] = " ".join(titles) or None
    out["name_fa"] = " ".join(words) if words and _is_persian(" ".join(words)) else None
    # the given-name and surname cells are romanised apart: a bound part opening the surname
    # («الله خواه» Allahkhah) is not joined to the given name («مرتضی» Morteza)
    cells = [c for c in (given, surname) if c is not None and not _blank(c)] \
        if not _blank(given) or not _blank(surname) else [text]
    out["name_latin"] = " ".join(filter(None, map(latin_form, cells))) or None if words else None
    if forms.both:
        out["name_latin"] = forms.latin  # as the source wrote it, not a transliteration
        if _blank(full):  # a full-name cell's note comes from parse_name
            problems.append({"field": "given_names", "kind": "note",
                             "problem": "name written in both scripts"
                             + (" (the scripts alternate: check the reading)"
                                if forms.interleaved else "")})
    if out["name_fa"] is None and out["name_latin"] is None:
        # never lose a name a record had: keep what the source wrote
        out["name_fa"], out["name_latin"] = forms.persian, forms.latin
    return out


def _one_script(cell: str | None) -> str:
    """The part of a name cell that gives its keys: the Persian part of a cell written in
    both scripts, else the cell."""
    if not cell:
        return ""
    parts = split_scripts(cell)
    return parts.persian or cell if parts.both else cell


def _interval(value: str | None, field_name: str,
              problems: list[dict[str, str]], day_first: bool | None = None
              ) -> DateInterval | None:
    if _blank(value):
        return None
    d, problem = try_parse_date(value or "", day_first=day_first)
    if d is None:
        problems.append({"field": field_name, "kind": "unparsed", "problem": problem or ""})
    return d


def _place(value: str | None, kind: str | None, field_name: str,
           problems: list[dict[str, str]]) -> str | None:
    if _blank(value):
        return None
    m = resolve_place(value or "", kind)
    if m.place is None:
        problems.append({"field": field_name, "kind": "unparsed", "problem": m.problem or ""})
        return None
    return m.place.id


def normalize_fields(f: Mapping[str, str | None],
                     day_first: Mapping[str, bool | None] | None = None) -> dict[str, object]:
    """Parsed values for one record's mapped fields (keys of :data:`PARSED`).

    ``parse_problems`` is a JSON list of ``{field, kind, problem}``; ``kind`` is
    ``unparsed`` (the value could not be read and its parsed column is empty) or ``note``
    (read, with a remark such as a swapped name order).

    Examples
    --------
    >>> r = normalize_fields({"full_name": "علی احمدی", "death_date": "مرداد ۶۷",
    ...                       "age": "23", "prison": "Gohardasht"})
    >>> r["name_key"], r["death_precision"], r["prison_id"], r["city_id"]
    ('_lYhmdY', 'month', 'prison:gohardasht', None)
    >>> r["birth_earliest"], r["birth_latest"]
    ('1964-07-24', '1965-08-22')
    """
    problems: list[dict[str, str]] = []
    out: dict[str, object] = dict.fromkeys(PARSED)
    out.update(_names(f, problems))

    if not _blank(f.get("sex")):
        out["sex_code"] = parse_sex(f.get("sex"))
        if out["sex_code"] is None:
            problems.append({"field": "sex", "kind": "unparsed", "problem": "not a sex value"})

    age = None
    if not _blank(f.get("age")):
        age = parse_age(f.get("age"))
        if age is None:
            problems.append({"field": "age", "kind": "unparsed", "problem": "not an age"})
        else:
            out["age_min"], out["age_max"] = age

    order = day_first or {}
    death = _interval(f.get("death_date"), "death_date", problems, order.get("death_date"))
    if death is not None:
        out["death_earliest"] = death.earliest.isoformat()
        out["death_latest"] = death.latest.isoformat()
        out["death_precision"] = death.precision
    birth = _interval(f.get("birth_date"), "birth_date", problems, order.get("birth_date"))
    if birth is not None:
        out["birth_earliest"] = birth.earliest.isoformat()
        out["birth_latest"] = birth.latest.isoformat()
        out["birth_precision"] = birth.precision
    elif age is not None and death is not None:
        b = birth_interval_from_age(age, death)
        out["birth_earliest"] = b.earliest.isoformat()
        out["birth_latest"] = b.latest.isoformat()
        out["birth_precision"] = "from_age"

    out["arrest_place_id"] = _place(f.get("place_of_arrest"), None, "place_of_arrest", problems)
    out["prison_id"] = _place(f.get("prison"), "prison", "prison", problems)
    out["city_id"] = _place(f.get("city"), "city", "city", problems)
    out["province_id"] = _place(f.get("province"), "province", "province", problems)
    _fill_containing_places(out, problems)

    out["parse_problems"] = json.dumps(problems, ensure_ascii=False) if problems else None
    return out


def _fill_containing_places(out: dict[str, object], problems: list[dict[str, str]]) -> None:
    """A city's province comes from the gazetteer (a fact, not a guess); a record that names
    another province gets a note, and its own value is kept.

    A prison's city is *not* filled in: lists use «city» for the home town as often as for
    the place of detention, so the city column stays what the record says.
    """
    g = load_gazetteer()
    for child, parent_col, kind in (("city_id", "province_id", "province"),):
        cid = out.get(child)
        if not cid:
            continue
        parent = g.ancestor(str(cid), kind)
        if parent is None:
            continue
        if out.get(parent_col) is None:
            out[parent_col] = parent.id
        elif out[parent_col] != parent.id and not _historically_same(str(out[parent_col]),
                                                                    parent.id):
            problems.append({"field": kind, "kind": "note",
                             "problem": f"{cid} is in {parent.id}, the record says "
                             f"{out[parent_col]}"})


def _historically_same(a: str, b: str) -> bool:
    # Khorasan (one province in 1988) contains Razavi/North/South Khorasan
    gz = load_gazetteer()
    pa, pb = gz.places.get(a), gz.places.get(b)
    return bool(pa and pb and (pa.parent == b or pb.parent == a))


@dataclass
class NormalizeReport:
    """What a normalize run did."""

    records: int = 0
    changed: int = 0
    unchanged: int = 0
    # (source slug, field) -> number of records whose value could not be read
    unparsed: dict[tuple[str, str], int] = field(default_factory=dict)
    # (source slug, field) -> a few distinct unread values (dates, places, ages, sex only)
    examples: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    notes: dict[tuple[str, str], int] = field(default_factory=dict)
    normalized_at: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "records": self.records,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "unparsed": [
                {"source": s, "field": f, "count": n, "examples": self.examples.get((s, f), [])}
                for (s, f), n in sorted(self.unparsed.items())
            ],
            "notes": [{"source": s, "field": f, "count": n}
                      for (s, f), n in sorted(self.notes.items())],
            "normalized_at": self.normalized_at,
        }


# Values of these fields may be shown in the report; names are not (they may be protected).
_SHOWABLE = {"sex", "age", "birth_date", "death_date", "place_of_arrest", "prison", "city",
             "province"}


def _date_orders(conn: Any, t: Any) -> dict[int, dict[str, bool | None]]:
    """Per import, the day/month order its own date values settle (the order the import's
    preview chose: :func:`dadkhah.names.dates.settle_date_order`)."""
    from dadkhah.names.dates import settle_date_order

    out: dict[int, dict[str, bool | None]] = {}
    for fld in ("birth_date", "death_date"):
        rows = conn.execute(select(t.c.import_id, t.c[fld]).where(t.c[fld].is_not(None))
                            .order_by(t.c.import_id)).all()
        by: dict[int, list[str]] = defaultdict(list)
        for imp, v in rows:
            by[imp].append(v)
        for imp, values in by.items():
            out.setdefault(imp, {})[fld] = settle_date_order(values).day_first
    return out


def normalize_case(
    case: Case,
    *,
    by: str = "unknown",
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = 2000,
) -> NormalizeReport:
    """Fill the parsed columns of every source record of *case* (a :class:`dadkhah.store.Case`).

    Idempotent: values are recomputed for every record, but only rows whose parsed values
    changed are written (and get a new ``normalized_at``).  One audit entry records the run.
    *progress* is called as ``progress(done, total)`` after each batch.
    """
    from dadkhah.store import audit
    from dadkhah.store.tables import Source, SourceRecord

    t = SourceRecord.__table__
    cols = [t.c.id, t.c.source_id, t.c.import_id] + [t.c[f] for f in INPUT_FIELDS] + [
        t.c[p] for p in PARSED]
    report = NormalizeReport()
    unparsed: Counter[tuple[str, str]] = Counter()
    notes: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], set[str]] = defaultdict(set)
    now = audit.now_utc()
    report.normalized_at = now
    stmt = (
        update(SourceRecord)
        .where(t.c.id == bindparam("_id"))
        .values({p: bindparam(p) for p in (*PARSED, "normalized_at")})
    )
    with case.write() as conn:
        slugs = dict(conn.execute(select(Source.id, Source.slug)).all())
        orders = _date_orders(conn, t)
        total = conn.execute(select(func.count()).select_from(t)).scalar_one()
        done = 0
        last_id = 0
        while True:
            rows = conn.execute(
                select(*cols).where(t.c.id > last_id).order_by(t.c.id).limit(batch_size)
            ).all()
            if not rows:
                break
            last_id = rows[-1].id
            updates = []
            for r in rows:
                m = r._mapping
                values = normalize_fields({f: m[f] for f in INPUT_FIELDS},
                                          orders.get(r.import_id))
                slug = slugs.get(r.source_id, str(r.source_id))
                for prob in json.loads(values["parse_problems"] or "[]"):  # type: ignore[arg-type]
                    key = (slug, prob["field"])
                    if prob["kind"] == "unparsed":
                        unparsed[key] += 1
                        if prob["field"] in _SHOWABLE and len(examples[key]) < 5:
                            examples[key].add(str(m[prob["field"]]))
                    else:
                        notes[key] += 1
                if any(values[p] != m[p] for p in PARSED):
                    updates.append({"_id": r.id, **values, "normalized_at": now})
            if updates:
                conn.execute(stmt, updates)
            report.changed += len(updates)
            done += len(rows)
            if progress is not None:
                progress(done, total)
        report.records = done
        report.unchanged = done - report.changed
        if report.changed:
            audit.append(conn, by=by, action="normalize", target="source_records",
                          details={"records": done, "changed": report.changed,
                                   "unparsed": sum(unparsed.values())})
    report.unparsed = dict(unparsed)
    report.notes = dict(notes)
    report.examples = {k: sorted(v) for k, v in examples.items()}
    return report
