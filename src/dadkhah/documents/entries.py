"""One list entry, as printed, split into record fields.

Persian victim lists print an entry as a numbered line whose parts are separated by «،»
and introduced by the words they are read by::

    ۱۲. علی‌اصغر رضایی، فرزند حسن، متولد ۱۳۴۰، زندان اوین، اهل تبریز، اعدام ۱۰ مرداد ۱۳۶۷

:func:`parse_entry` finds the number, cuts the line into parts (at «،» and what OCR makes of
it, and before each label word even where the separator was lost), reads each labelled
part into its field, and gives the parts without a label to the fields of the document's
:class:`EntryLayout` in order, after recognising dates (:func:`dadkhah.names.try_parse_date`,
either calendar, Persian or Arabic-Indic digits), prisons and cities (the gazetteer) and
affiliations.  Values are kept as written but for Arabic letter forms (ي → ی, ك → ک:
:func:`dadkhah.names.fold_letters`, which label words are matched by); everything else is
the register's work, so the record holds the source's own text.

A layout is configured per document, like a CSV mapping (:func:`load_layout`)::

    # layout.toml
    [layout]
    order = ["full_name", "prison", "death_date"]   # parts without a label, in order
    numbered = true                                  # entries start with their number
    wrapped = false                                  # an entry may run onto a second line
    [labels]                                         # more label words, per field
    father_name = ["ولد"]
    [document]                                       # for saved web pages and OCR
    url = "https://example.org/list.html"
    captured_at = "2024-05-01T10:00:00Z"
    languages = "fas"
    dpi = 200
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dadkhah.documents.correct import confusion_cost, rasm
from dadkhah.errors import MappingError
from dadkhah.names import fold_digits, fold_letters, resolve_place, try_parse_date
from dadkhah.names.affiliations import resolve_affiliation

__all__ = ["ENTRY_FIELDS", "Entry", "EntryLayout", "LABELS", "load_layout", "parse_entry"]

ENTRY_FIELDS = ("full_name", "father_name", "sex", "age", "birth_date", "prison", "city",
                "death_date", "affiliation", "notes")
"""Record fields an entry can fill (``number`` goes to ``external_id``)."""

LABELS: dict[str, tuple[str, ...]] = {
    "father_name": ("فرزند", "نام پدر", "پسر", "دختر", "ولد", "son of", "daughter of",
                    "father"),
    "birth_date": ("متولد سال", "سال تولد", "تاریخ تولد", "متولد", "تولد", "born"),
    "age": ("سن", "age"),
    "prison": ("زندان", "prison"),
    "city": ("محل تولد", "اهل", "شهر", "from"),
    "death_date": ("تاریخ اعدام", "اعدام در", "اعدام", "تاریخ شهادت", "شهادت", "executed on",
                   "executed"),
    "affiliation": ("هوادار", "عضو", "وابسته به", "supporter of", "member of"),
}
"""Words that introduce a field, longest first within a field.  «زندان» stays in the value
(«زندان اوین» is the prison's name as written); the others are dropped from it."""

_KEEP_LABEL = {"prison", "affiliation"}
_SEX_OF_LABEL = {"پسر": "m", "دختر": "f", "son of": "m", "daughter of": "f"}
_DIGIT = "0-9۰-۹٠-٩"
# (after marks OCR makes of specks before it: «" ۲۶.»، «+۳»، «< ۳۱.»، «#۴۷»; or glued to the
# name, «۵علی», unless it is a «۱» that may be an alef, «۱سدالله»)
_NUMBER = re.compile(rf"^\s*(?:[\"'«»+*<>#~^|]+\s*)?[.(\[]?\s*([{_DIGIT}]{{1,6}})"
                     rf"(?:\s*[)\].\-–_ـ:/]\s*|\s+|(?<![{_DIGIT}][۱1١])(?<=[{_DIGIT}]{{2}})"
                     rf"(?=[\u0621-\u06cc])|(?<=[۰۲-۹0٠٢-٩])(?=[\u0621-\u06cc]))(?=\D)")
# «۱.» as OCR often reads it: alef, or a Latin l/I, before the dot
_ONE = re.compile(r"^\s*([اlI|]{1,3})\s*[.)\-]\s+(?=\S)")
_LETTER_DOT = re.compile(r"(?<=[\u0621-\u06cc])[.:](?=[\u0621-\u06cc])"
                         r"|(?<=[\u0621-\u06cc])\.(?=[0-9۰-۹٠-٩])")
_MARK_CHARS = r"lI!|.,:;()\[\]\-–\"'«»+*"
_JUNK_CHARS = rf"{_DIGIT}ا{_MARK_CHARS}"
_JUNK_TOKEN = rf"[{_JUNK_CHARS}]*[{_DIGIT}{_MARK_CHARS}][{_JUNK_CHARS}]*\s+"
# the last token may be glued to the name («۰.۵۰سعید»), but not a lone «۱» (an alef: «۱سد»)
_JUNK_GLUED = rf"[{_JUNK_CHARS}]*[{_DIGIT}{_MARK_CHARS}](?<![۱1١])"
_JUNK_HEAD = re.compile(rf"^\s*((?:{_JUNK_TOKEN})*(?:{_JUNK_TOKEN}|{_JUNK_GLUED}))"
                        r"(?=[\u0621-\u06cc])")
# «،» after a year, drawn to its left, read as a leading zero: «متولد ۱۳۴۰،» → «۰۱۳۴۰»
_COMMA_ZERO = re.compile(r"^[۰0٠](?=[۱1١][۲-۴2-4٢-٤][0-9۰-۹٠-٩]{2}$)")
# «،» and what OCR makes of it: «,» «؛» «;» «:» «ء» and «.» before a space (not inside a date)
_SEP = re.compile(r"\s*(?:[،,؛;|\t]|\.{2,}|(?<![0-9۰-۹٠-٩])[.:](?=\s)|ء(?=\s))\s*")
_GLUED_DATE = re.compile(rf"^([\u0621-\u06cc]{{4,7}})\s*(?=[{_DIGIT}])")
_AGE_SUFFIX = re.compile(rf"^([{_DIGIT}]{{1,3}})\s*(?:ساله|سال)$")
_TRIM = " .,:;،؛ء-–_()[]«»\"'/!?؟<>+*=#~^|"
_SEP_KEEP = re.compile(f"({_SEP.pattern})")
_WEAK_SEPARATORS = (".", ":", "ء")
# a lone digit after a date's year: the next line's number or a stray mark read as one
_DATE_TAIL = re.compile(r"(?<=[0-9۰-۹٠-٩]{4})\s+[0-9۰-۹٠-٩]$")
# bidi marks OCR leaves around digits (U+200E, U+200F, U+061C) and other invisible marks
_MARKS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class EntryLayout:
    """How one document writes its entries (see the module's example file).

    ``order`` lists the fields of the parts that carry no label, in the order they are
    printed; ``numbered`` says entries begin with their number (None: decided from the
    document, when most lines do); ``wrapped`` says an entry may run onto the next line
    (then, in a numbered list, a line without a number continues the entry above it; off
    by default, since OCR also loses numbers); ``labels`` adds label words per field.
    """

    order: tuple[str, ...] = ("full_name",)
    numbered: bool | None = None
    wrapped: bool = False
    labels: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    document: Mapping[str, Any] = field(default_factory=dict)

    def all_labels(self) -> list[tuple[str, str]]:
        """(label word, field), longest words first, so «تاریخ اعدام» wins over «اعدام»."""
        pairs = [(w, f) for f, words in LABELS.items() for w in words]
        pairs += [(w, f) for f, words in self.labels.items() for w in words]
        return sorted(pairs, key=lambda p: -len(p[0]))


def load_layout(path: str | Path) -> EntryLayout:
    """Read a layout TOML file (``[layout]``, ``[labels]``, ``[document]``); raises
    :class:`~dadkhah.errors.MappingError` naming what is wrong."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"Layout file {p} does not exist.",
                           hint="Check the path given to --layout.") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"Layout file {p} is not valid TOML: {exc}.",
                           hint='Write it as [layout] order = ["full_name", …].') from exc
    lay = data.get("layout", {}) or {}
    order = tuple(lay.get("order", ("full_name",)))
    allowed = (*ENTRY_FIELDS, "number", "skip")
    bad = [f for f in order if f not in allowed]
    labels = {k: tuple(v) for k, v in (data.get("labels", {}) or {}).items()}
    bad += [f for f in labels if f not in ENTRY_FIELDS]
    if bad:
        raise MappingError(f"Layout file {p}: unknown field(s) {', '.join(bad)}.",
                           hint="Fields are: " + ", ".join(allowed) + ".")
    numbered = lay.get("numbered")
    return EntryLayout(order=order, numbered=None if numbered is None else bool(numbered),
                       wrapped=bool(lay.get("wrapped", False)),
                       labels=labels, document=dict(data.get("document", {}) or {}))


@dataclass(frozen=True)
class Entry:
    """What :func:`parse_entry` read: the entry's number (as written), its fields (as
    written) and the parts it could not place (kept in ``notes`` too)."""

    number: str | None
    fields: dict[str, str]
    unplaced: tuple[str, ...] = ()

    def summary(self) -> str:
        parts = [f"{k}={v}" for k, v in self.fields.items()]
        return (f"#{self.number} " if self.number else "") + "; ".join(parts)


def leading_number(text: str) -> str | None:
    """The entry number a line starts with («۱۲.», «12-», «(12)»), as written."""
    m = _NUMBER.match(text)
    return m.group(1) if m else None


def _split_labels(part: str, labels: list[tuple[str, str]]) -> list[str]:
    """Cut a part before every label word that is not at its start (a lost separator),
    also before a label as OCR misread it (:func:`_label_of`)."""
    words = "|".join(re.escape(w) for w, _ in labels)
    pieces = re.split(rf"\s+(?=(?:{words})(?:\s|:|$))", part)
    # a label word that is the end of a place's name («اهل قائم شهر»: «شهر» is a label)
    merged: list[str] = []
    for piece in pieces:
        if merged and (prev := merged[-1].split()) and piece.split() and any(
                resolve_place(f"{prev[-1]} {piece.split()[0]}", k).place is not None
                for k in ("city", "prison")):
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    out: list[str] = []
    for piece in merged:
        toks = piece.split(" ")
        start = 0
        for i in range(1, len(toks)):
            # a one-word label misread; the word after it must exist (a value)
            if i + 1 < len(toks) and (_fuzzy_label(toks[i].strip(_TRIM), labels)
                                      or _city_label(toks[i], toks[i + 1:])):
                out.append(" ".join(toks[start:i]))
                start = i
        out.append(" ".join(toks[start:]))
    return [p for p in out if p.strip()]


_CITY_LABEL = "اهل"


def _city_label(word: str, rest: list[str]) -> bool:
    """Whether ``word`` is «اهل» as OCR misread it on a noisy page (افل، اقل، هل، اهلن: one
    letter changed, lost or added; امن، آمل: two, after an alef) before a city's name
    (``rest``, one or two words, is a known city): the city's label, not a word of the value
    before it."""
    from rapidfuzz.distance import Levenshtein

    w = word.strip(_TRIM)
    # two letters changed only in a word that still starts as the label does (امن، آمل)
    most = 2 if len(w) == 3 and w[0] in "اآ" else 1
    if not 2 <= len(w) <= 4 or Levenshtein.distance(w, _CITY_LABEL) > most or not rest:
        return False
    return any(resolve_place(" ".join(rest[:n]).strip(_TRIM), "city").place is not None
               for n in (1, 2) if n <= len(rest))


def _fuzzy_label(head: str, labels: list[tuple[str, str]]) -> tuple[str, str] | None:
    """(label, field) for a word that differs from a one-word label only by dots (four
    letters or more: فززند، اعذام) or by one confusable letter (آهل)."""
    if len(head) < 3:
        return None
    for word, fld in labels:
        if " " not in word and len(word) == len(head) and rasm(word) == rasm(head) \
                and (len(head) >= 4 or confusion_cost(word, head) <= 0.35):
            return word, fld
    return None


def _label_of(part: str, labels: list[tuple[str, str]]) -> tuple[str, str, str] | None:
    """(field, label, value) when ``part`` starts with a label word, or with what OCR made
    of one: a word of four letters or more that differs from a label only by dots
    (فززند، اعذام) counts as that label."""
    for word, fld in labels:
        if part == word or part.startswith(word + " ") or part.startswith(word + ":"):
            value = part[len(word):].strip(_TRIM)
            return fld, word, value
    head, _, rest = part.partition(" ")
    hit = _fuzzy_label(head.strip(_TRIM), labels)
    if hit:
        return hit[1], hit[0], rest.strip(_TRIM)
    if _city_label(head, rest.split()):
        return "city", _CITY_LABEL, rest.strip(_TRIM)
    # a date's label with its last letter misread or digits run into it («اعداخ ۲۳»،
    # «اعدام۲۰ آبان»): the date after it says which label it was
    m = _GLUED_DATE.match(part)
    if m:
        for word, fld in labels:
            if fld in ("death_date", "birth_date") and " " not in word and len(word) >= 5 \
                    and m.group(1).startswith(word[:-1]) and len(m.group(1)) <= len(word) + 1:
                return fld, word, part[m.end(1):].strip(_TRIM)
    return None


def _name_tail(chunk: str, labels: list[tuple[str, str]]) -> bool:
    """Whether ``chunk`` can only be the rest of a name: one or two words, no label, no
    digit, not a known prison or city."""
    words = chunk.split()
    if not 1 <= len(words) <= 2 or re.search(f"[{_DIGIT}]", chunk):
        return False
    if _label_of(chunk, labels) or _fuzzy_label(words[0], labels):
        return False
    return all(resolve_place(chunk, k).place is None for k in ("prison", "city"))


def _is_date(text: str) -> bool:
    t = fold_digits(text)
    return bool(re.search(r"\d", t)) and try_parse_date(t)[0] is not None


def _peel(part: str, order: list[str]) -> list[str]:
    """A first part that ran on past the name (separators lost or never printed): trailing
    words with digits are a date; a trailing prison or city is peeled only when the layout
    prints one after the name, since surnames are often place names."""
    words = part.split()
    tail: list[str] = []
    i = len(words)
    # words with digits, and a month name among them («۱۰ مرداد ۱۳۶۷»)
    while i > 1 and (re.search(f"[{_DIGIT}]", words[i - 1])
                     or (i < len(words) and _is_date(" ".join(words[i - 1:])))):
        i -= 1
    if i < len(words):
        tail.insert(0, " ".join(words[i:]))
        words = words[:i]
    for kind in ("prison", "city"):
        if kind in order and len(words) > 2:
            for n in (2, 1):
                cand = " ".join(words[-n:])
                if len(words) - n >= 2 and resolve_place(cand, kind).place is not None:
                    tail.insert(0, cand)
                    words = words[:-n]
                    break
    return [" ".join(words), *tail]


def parse_entry(text: str, layout: EntryLayout | None = None) -> Entry:
    """Split one list line into fields (values as written).

    Examples
    --------
    >>> e = parse_entry("۱۲. علی رضایی، فرزند حسن، متولد ۱۳۴۰، زندان اوین، اعدام ۱۳۶۷/۰۵/۱۰")
    >>> e.number, e.fields["full_name"], e.fields["father_name"], e.fields["prison"]
    ('۱۲', 'علی رضایی', 'حسن', 'زندان اوین')
    >>> e.fields["birth_date"], e.fields["death_date"]
    ('۱۳۴۰', '۱۳۶۷/۰۵/۱۰')
    """
    lay = layout or EntryLayout()
    labels = lay.all_labels()
    # a dot OCR saw between two letters («فرزند.مهرداد»، «گوهردشت.اعدام») parts words
    body = _LETTER_DOT.sub(" ", fold_letters(_MARKS.sub("", text).strip()))
    number = None
    m = _NUMBER.match(body)
    if m and lay.numbered is not False:
        number, body = m.group(1), body[m.end():]
    elif lay.numbered is not False and (one := _ONE.match(body)):
        number, body = "۱" * len(one.group(1)), body[one.end():]
    # what else OCR made of the number: a second reading of it, or marks («۰ 1۴.», «ا!.»,
    # «,۱»): tokens of digits and marks before the first word (a name never starts so)
    while lay.numbered is not False and (junk := _JUNK_HEAD.match(body)):
        if number is None and (digits := re.search(f"[{_DIGIT}]+", junk.group(1))):
            number = digits.group()
        body = body[junk.end():]
    parts: list[str] = []
    pieces = _SEP_KEEP.split(body)  # text, separator, text, separator …
    for k in range(0, len(pieces), 2):
        chunk = pieces[k].strip(_TRIM)
        if not chunk:
            continue
        weak = k > 0 and pieces[k - 1].strip() in _WEAK_SEPARATORS
        if weak and len(parts) == 1 and _name_tail(chunk, labels):
            # «جواد. آهنگرزاده»: a dot or colon OCR saw inside the name, not a separator
            parts[0] = f"{parts[0]} {chunk}"
            continue
        pieces_here = [p.strip(_TRIM) for p in _split_labels(chunk, labels)]
        if weak and len(parts) == 1 and len(pieces_here) > 1 and len(parts[0].split()) == 1 \
                and _name_tail(pieces_here[0], labels):
            # «رقیه. رضوانی فرزند نوروز»: a one-word name's rest after a dot, before a label
            parts[0] = f"{parts[0]} {pieces_here.pop(0)}"
        parts.extend(pieces_here)
    fields: dict[str, str] = {}
    free: list[str] = []
    # a label cut from its value by a stray dot («زندان. وکیل‌آباد») takes the next part
    joined: list[str] = []
    for part in parts:
        hit = _label_of(joined[-1], labels) if joined else None
        if hit and not hit[2]:
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    for part in joined:
        if not part:
            continue
        hit = _label_of(part, labels)
        if hit:
            fld, word, value = hit
            if fld in _KEEP_LABEL:
                # the label is part of the name as written («زندان اوین»), spelled right
                # even where OCR misread it («زتدان»)
                value = f"{word} {value}".strip() if value else part.strip(_TRIM)
            if fld in ("birth_date", "death_date"):
                value = _DATE_TAIL.sub("", _COMMA_ZERO.sub("", value))
            if fld == "father_name" and word in _SEX_OF_LABEL:
                fields.setdefault("sex", _SEX_OF_LABEL[word])
            if fld not in ("birth_date", "death_date", "age") and value:
                # a date run on into this part (its separator lost)
                value, *rest = _peel(value, [])
                free.extend(rest)
            if value and fld not in fields:
                fields[fld] = value
                continue
        a = _AGE_SUFFIX.match(part)
        if a and "age" not in fields:
            fields["age"] = a.group(1)
            continue
        free.append(part)
    # parts without a label: by the layout's order, recognising dates, places, groups
    order = [f for f in lay.order if f not in fields]
    if free and not _is_date(free[0]):
        free[:1] = _peel(free[0], order)
    unplaced: list[str] = []
    for part in free:
        if order and order[0] == "full_name" and "full_name" not in fields and \
                not _is_date(part):
            fields["full_name"] = part
            order.pop(0)
            continue
        if _is_date(part):
            fld = "death_date" if "death_date" not in fields else "birth_date"
            if fld not in fields:
                fields[fld] = part
                if fld in order:
                    order.remove(fld)
                continue
        if "prison" not in fields and resolve_place(part, "prison").place is not None:
            fields["prison"] = part
            if "prison" in order:
                order.remove("prison")
            continue
        if "city" not in fields and resolve_place(part, "city").place is not None:
            fields["city"] = part
            if "city" in order:
                order.remove("city")
            continue
        if "affiliation" not in fields and resolve_affiliation(part) is not None:
            fields["affiliation"] = part
            if "affiliation" in order:
                order.remove("affiliation")
            continue
        if order:
            fld = order.pop(0)
            if fld == "number":
                number = part
            elif fld != "skip":
                fields[fld] = part
            continue
        unplaced.append(part)
    if unplaced:
        fields["notes"] = "، ".join(unplaced)
    return Entry(number, fields, tuple(unplaced))
