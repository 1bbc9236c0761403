"""Every step the machine takes on one name, date or place, for a person to check.

:func:`explain` returns an :class:`Explanation`: an ordered list of steps, each with what
went in, what came out and which rule or table row did it.  The CLI prints it
(``dadkhah names explain``); nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dadkhah.names.dates import try_parse_date
from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.keys import (
    _alef_maqsura,
    _latin_to_persian,
    canonical_latin,
    latin_skeleton,
    name_tokens,
    word_key,
)
from dadkhah.names.normalize import detect_script, has_persian, normalize_name
from dadkhah.names.parse import parse_name, split_scripts
from dadkhah.names.places import resolve_place

__all__ = ["Explanation", "Step", "explain"]


@dataclass(frozen=True, slots=True)
class Step:
    """One step: its name, the value it produced, and how."""

    name: str
    value: object
    how: str = ""


@dataclass(frozen=True, slots=True)
class Explanation:
    """The steps for one value and the final result (JSON-safe)."""

    text: str
    kind: str  # "name" | "date" | "place"
    steps: tuple[Step, ...] = ()
    result: dict[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "kind": self.kind,
            "steps": [{"name": s.name, "value": s.value, "how": s.how} for s in self.steps],
            "result": self.result,
        }


def _codepoints(text: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in text if not c.isalnum() and not c.isspace())


def explain(text: str, kind: str = "auto") -> Explanation:
    """Explain how *text* is read as a ``name``, ``date`` or ``place`` (``auto``: a date if
    it parses as one, else a place if the gazetteer knows it, else a name).

    Examples
    --------
    >>> e = explain("Ali-Akbar Hosseinzadeh")
    >>> e.kind, e.result["key"]
    ('name', '_lYkbrhsYnzdE')
    """
    if kind not in ("auto", "name", "date", "place"):
        raise ValueError(f"kind must be auto, name, date or place, not {kind!r}")
    if kind == "auto":
        if try_parse_date(text)[0] is not None:
            kind = "date"
        elif resolve_place(text).place is not None:
            kind = "place"
        else:
            kind = "name"
    return {"name": _explain_name, "date": _explain_date, "place": _explain_place}[kind](text)


def _explain_name(text: str) -> Explanation:
    d = load_name_dictionary()
    steps = [
        Step("input", text, f"script: {detect_script(text)}"),
        Step("invisible or special characters", _codepoints(text) or "none"),
        Step("normalised", normalize_name(text), "letter forms, diacritics, digits, spaces"),
    ]
    parts = split_scripts(text)
    if parts.both:
        steps.append(Step("written in both scripts", f"«{parts.persian}» + \"{parts.latin}\"",
                          "one name, two written forms; keys from the Persian part"
                          + (" (the scripts alternate: check the reading)"
                             if parts.interleaved else "")))
    titles, words = name_tokens(parts.persian if parts.both and parts.persian else text)
    steps.append(Step("titles (kept as attributes)", list(titles), "romanization.csv: title"))
    steps.append(Step("words", list(words), "bound parts joined (Zadeh, Pour, Nejad, Ollah)"))
    for w in words:
        if has_persian(w):
            entries = d.lookup(w)
            how = "Persian skeleton (romanization.csv: persian_key)"
            if entries:
                e = entries[0]
                how += f"; dictionary: {e.kind} {e.preferred_latin}"
                if e.frequency:
                    how += f", {e.frequency:,} people ({e.source})"
            read = _alef_maqsura(w)
            if read != w:
                how += f"; read as «{read}», the given name's spelling with ی"
            steps.append(Step(f"key of «{w}»", word_key(w), how))
            continue
        canon = canonical_latin(w)
        fa = _latin_to_persian(w)
        if fa is not None:
            how = f"dictionary: «{w}» is a romanisation of «{fa}»; key of the Persian spelling"
            freq = d.frequency(fa)
            if freq:
                how += f"; {freq:,} people"
        else:
            how = "not in the dictionary: Latin skeleton (romanization.csv: latin_key)"
            if canon != w:
                how += f" of the usual spelling «{canon}» (latin_token/prefix/suffix)"
            how += f"; skeleton alone: {latin_skeleton(canon)}"
        steps.append(Step(f"key of «{w}»", word_key(w), how))
    p = parse_name(text)
    steps.append(Step("given name(s)", list(p.given), f"key {p.given_key}"))
    steps.append(Step("surname", list(p.surname), f"key {p.surname_key}"))
    if p.father:
        steps.append(Step("father's name", list(p.father), f"key {p.father_key}"))
    if p.swapped:
        steps.append(Step("order", "swapped", "surname written first; fields put right"))
    # titles in front, as the register's display form has them (latin_form)
    machine = " ".join([*(t.capitalize() for t in p.titles), p.latin]).strip()
    if p.written_latin:
        steps.append(Step("Latin form", f"{p.written_latin} (as written)",
                          f"written in the text; usual spelling {p.latin}"))
    else:
        steps.append(Step("Latin form", f"{machine} (machine transliteration)",
                          "no Latin form was written: dictionary spelling, else "
                          "letter-by-letter guess"))
    if p.persian:
        steps.append(Step("Persian form", p.persian))
    steps.append(Step("name key", p.key, "given + surname; equal keys = same name"))
    for prob in p.problems:
        steps.append(Step("problem", prob))
    result = p.to_dict()
    result["latin_origin"] = "source" if p.written_latin else "machine"
    result["latin_display"] = p.written_latin or machine
    return Explanation(text, "name", tuple(steps), result)


def _explain_date(text: str) -> Explanation:
    steps = [
        Step("input", text, f"script: {detect_script(text)}"),
        Step("normalised", normalize_name(text), "digits to ASCII, letter forms, case"),
    ]
    d, problem = try_parse_date(text)
    if d is None:
        steps.append(Step("not read", problem, "kept as written and reported"))
        return Explanation(text, "date", tuple(steps), {"problem": problem})
    steps.append(Step("calendar as written", "Solar Hijri" if d.calendar == "jalali"
                      else "Gregorian"))
    steps.append(Step("precision", d.precision, "approximate" if d.approximate else ""))
    steps.append(Step("Solar Hijri", d.jalali_text(), "converted with jdatetime"))
    steps.append(Step("Gregorian", d.gregorian_text()))
    return Explanation(text, "date", tuple(steps), d.to_dict())


def _explain_place(text: str) -> Explanation:
    steps = [Step("input", text, f"script: {detect_script(text)}")]
    m = resolve_place(text)
    if m.place is None:
        steps.append(Step("not resolved", m.problem, ", ".join(m.candidates)))
    else:
        steps.append(Step("place", f"{m.place.name_en} / {m.place.name_fa}",
                          f"matched by {m.method}"))
        steps.append(Step("id", m.place.id, f"source: {m.place.source}"))
        if m.place.note:
            steps.append(Step("note", m.place.note))
    return Explanation(text, "place", tuple(steps), m.to_dict())
