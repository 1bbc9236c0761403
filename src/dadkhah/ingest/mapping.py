"""Column mapping: which column of a file holds which record field.

A mapping is read from a small TOML file or detected from the header row::

    # mappings/families.toml
    [columns]
    full_name = "نام و نام خانوادگی"
    father_name = "نام پدر"
    death_date = "تاریخ اعدام"
    prison = "زندان"

    [options]          # all optional
    encoding = "cp1256"
    delimiter = ";"
    sheet = "Sheet1"
    birth_years = "1900-1975"   # plausible years of birth and death dates
    death_years = "1979-1992"   # (see dadkhah.ingest.validate.DateWindow)
    date_order = "day_first"    # 08/10/1988 is 8 October; by default the list's dates settle it

Columns that are not mapped are still kept, verbatim, in every record's raw row.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from dadkhah.errors import MappingError
from dadkhah.names import normalize_persian
from dadkhah.store import RECORD_FIELDS

_SEPARATORS = str.maketrans({"\u200c": " ", "_": " ", "-": " ", ".": " ", ":": " "})
_SPACES = re.compile(r"\s+")
_OPTIONS = ("encoding", "delimiter", "sheet", "format", "birth_years", "death_years",
            "date_order")


def fold_header(text: str) -> str:
    """A header as compared: NFKC, Persian-normalised (:func:`dadkhah.names.normalize_persian`:
    letter forms, marks, tatweel), case-folded, separators and ZWNJ as spaces."""
    t = normalize_persian(unicodedata.normalize("NFKC", text)).casefold().translate(_SEPARATORS)
    t = "".join(c for c in t if unicodedata.category(c) not in ("Cf", "Mn"))
    return _SPACES.sub(" ", t).strip()


@cache
def header_synonyms() -> dict[str, str]:
    """Folded header text → field, from ``data/headers.toml`` (first field listed wins)."""
    data = tomllib.loads(resources.files("dadkhah.ingest").joinpath("data/headers.toml")
                         .read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for fld, names in data.items():
        for name in names:
            out.setdefault(fold_header(name), fld)
    return out


@dataclass(frozen=True)
class Mapping:
    """Field → column header; ``origin`` is "file" or "detected".

    ``reasons`` says, per mapped field, why that column was chosen (shown in the import
    preview); ``unsure`` holds, per field, why the choice may be wrong and should be checked
    (a bare «نام»/"Name" whose meaning the other columns do not settle, two columns for one
    field …).  Both are empty for a mapping built by hand.
    """

    columns: dict[str, str]
    origin: str
    options: dict[str, str] = field(default_factory=dict)
    path: str | None = None
    reasons: dict[str, str] = field(default_factory=dict)
    unsure: dict[str, str] = field(default_factory=dict)

    def indices(self, header: list[str]) -> dict[str, int]:
        """Field → column index in ``header`` (the first column with that header)."""
        pos: dict[str, int] = {}
        for i, h in enumerate(header):
            pos.setdefault(h, i)
        return {f: pos[c] for f, c in self.columns.items()}

    def unmapped(self, header: list[str]) -> list[str]:
        used = set(self.columns.values())
        return [h for h in header if h not in used]

    def explain(self) -> list[str]:
        """One line per mapped field: ``field ← 'header': reason`` and, for a choice to
        check, ``(unsure: why)``."""
        out = []
        for f, c in self.columns.items():
            line = f"{f} ← {c!r}"
            if f in self.reasons:
                line += f": {self.reasons[f]}"
            if f in self.unsure:
                line += f" (unsure: {self.unsure[f]})"
            out.append(line)
        return out


_BARE = "bare_name"
_WARD = "ward"
_ADDRESS = "address"
_RELATION = "relation"
_FRENCH_NOM = "nom"

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NUMBERING = re.compile(r"^\(?\d{1,3}\s*[.)\-–]?\)?\s+|^\d{1,3}[.)\-–]\s*")
_INITIALS = re.compile(r"\b(?:[A-Za-z]\.){2,}")
_TRIM = " :;*?؟!.,،-–—\"'«»"
_BRACKETS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")


def _header_key(header: str) -> str:
    """A header as looked up in the synonym table: :func:`fold_header`, with camelCase split
    («dateOfBirth»), and numbering («۱. », "3) ") and trailing marks («:», "*", "?") taken off."""
    t = _INITIALS.sub(lambda m: m.group(0).replace(".", ""), header)  # "D.O.B." → "DOB"
    t = fold_header(_CAMEL.sub(" ", t))
    t = _NUMBERING.sub("", t).strip(_TRIM)
    return _SPACES.sub(" ", t).strip()


def _unaccent(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word)
                   if unicodedata.category(c) != "Mn")


@cache
def header_words() -> dict[str, str]:
    """Word (folded, spaces removed) → the meaning it carries in a header, from
    ``data/header_words.toml`` (see that file)."""
    data = tomllib.loads(resources.files("dadkhah.ingest").joinpath("data/header_words.toml")
                         .read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for meaning, words in data.items():
        for w in words:
            out.setdefault(_unaccent(fold_header(w)).replace(" ", ""), meaning)
    return out


_WORD = re.compile(r"[^\W_]+|[#&°]+|n°")


def _meanings(key: str) -> tuple[dict[str, list[str]], list[str]]:
    """The meanings of a header's words (meaning → the words that carry it) and the words
    that carry none.  Two neighbouring words are also tried joined («جان باختن» typed
    «جانباختن»), a Latin plural without its "s", a Persian word with «و» (and) glued on."""
    vocab = header_words()
    toks = [_unaccent(w) for w in _WORD.findall(key.replace("'", " ").replace("’", " "))]
    found: dict[str, list[str]] = {}
    unknown: list[str] = []
    used = [False] * len(toks)
    for i in range(len(toks) - 1):  # two words that are one («جان باختن», «اعدام شده»)
        m = vocab.get(toks[i] + toks[i + 1])
        if m:
            found.setdefault(m, []).append(f"{toks[i]} {toks[i + 1]}")
            used[i] = used[i + 1] = True
    for i, tok in enumerate(toks):
        if used[i]:
            continue
        m = vocab.get(tok)
        if m is None and len(tok) > 3 and tok.endswith("s"):
            m = vocab.get(tok[:-1])
        if m is None and tok.isascii() and len(tok) >= 5:
            m = _stem_match(tok)
        if m is None and len(tok) > 2 and tok.startswith("و") and tok[1:] in vocab:
            found.setdefault("conjunction", []).append("و")
            tok = tok[1:]
            m = vocab[tok]
        if m is None:
            pieces = _segment(tok, vocab) if len(tok) >= 4 and not tok.isascii() else None
            if pieces:  # «شهر‌دستگیری»: a ZWNJ after «ر» is dropped, the words run together
                for piece in pieces:
                    found.setdefault(vocab[piece], []).append(piece)
            elif not tok.isdigit() and len(tok) > 1:
                unknown.append(tok)
            continue
        found.setdefault(m, []).append(tok)
    return found, unknown


_ENDINGS = ("s", "es", "e", "ed", "ing", "er", "ers", "aire", "aires", "ique", "iques")


@cache
def _stem_match(tok: str) -> str | None:
    """The meaning of a Latin word written shortened or with another ending: a known word
    of five letters or more that it begins ("naiss." for naissance), that begins it with a
    common ending after ("commentaires" for comment), or that it shares all but the last
    letter or two with ("résident" for residence) — when all such words carry
    one meaning ("personal" is not "person", "executive" not "execution")."""
    found = set()
    for w, m in _latin_words_by_prefix().get(tok[:5], ()):
        common = len(os.path.commonprefix([w, tok]))
        if (common == len(tok) or (common == len(w) and tok[common:] in _ENDINGS)
                or (common >= 6 and common == min(len(w), len(tok)) - 1
                    and max(len(w), len(tok)) - common <= 2)):
            found.add(m)
    return found.pop() if len(found) == 1 else None


@cache
def _latin_words_by_prefix() -> dict[str, list[tuple[str, str]]]:
    """The Latin header words of five letters or more by their first five letters: every
    rule of :func:`_stem_match` needs five common letters at least, so a word is compared
    only with those (a sheet of 50,000 unknown headers is read in a second, not minutes)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for w, m in header_words().items():
        if w.isascii() and len(w) >= 5:
            out.setdefault(w[:5], []).append((w, m))
    return out


def _segment(tok: str, vocab: dict[str, str]) -> list[str] | None:
    """``tok`` as two or three known words run together, else None."""
    for i in range(2, len(tok) - 1):
        a, b = tok[:i], tok[i:]
        if a in vocab and b in vocab:
            return [a, b]
        if a in vocab:
            for j in range(2, len(b) - 1):
                if b[:j] in vocab and b[j:] in vocab:
                    return [a, b[:j], b[j:]]
    return None


def _by_meaning(m: dict[str, list[str]]) -> tuple[str | None, str]:
    """A field (``bare_name`` for a bare name, None for no record field) from the meanings of
    a header's words, with the rule that decided.  Rules are ordered: the first that holds
    wins (a burial place is no place of a record; a date of arrest is no death date)."""
    has = m.__contains__
    date = has("date") or has("birth_date")
    if has("burial"):
        return None, "a burial place or date is no record field"
    if has("age"):  # "Age at execution", "Age when executed": an age, not a date
        return "age", "an age"
    if has("sex"):
        return "sex", "a sex"
    if has("arrest"):
        if has("other"):  # "Occupation before arrest": not where
            return None, "a kind of information that is no record field"
        if date and not (has("place") or has("city")):
            return None, "a date of arrest is no record field"
        return "place_of_arrest", "where the person was arrested"
    if has("death") and not has("name"):
        if has("place") or has("prison") or has("city"):
            return "prison", "where the person was executed or held"
        return "death_date", "when the person was executed or died"
    if has("birth_place") or (has("birth") and (has("place") or has("city"))):
        if has("province"):
            return "province", "the province of birth"
        return "city", "where the person was born"
    if has("birth") or has("birth_date"):
        if has("province"):
            return "province", "the province of birth"
        return "birth_date", "when the person was born"
    if has("ward"):  # «بند», "Prison ward": where in a prison, read from the other columns
        return _WARD, "a prison ward"
    if has("other"):  # «مدت حبس» (time in prison), "Occupation": no record field
        return None, "a kind of information that is no record field"
    if has("prison"):
        return "prison", "a prison or place of detention"
    if has("province"):
        return "province", "a province or region"
    if has("city"):
        return "city", "a city, town or place of residence"
    if has("address"):  # «نشانی»: its town is the city where the list has no city column
        return _ADDRESS, "an address"
    if has("relation"):  # «نسبت»: the relation to another person of the list
        return _RELATION, "the relation to another person of the list"
    if has("father"):
        return "father_name", "the father's name"
    if has("family"):
        if has("given") or (has("conjunction") and has("name")) or has("full"):
            return "full_name", "given name and family name together"
        return "surname", "the family name"
    if has("given"):
        if has("conjunction") and has("name"):
            return "full_name", "given name and family name together"
        return "given_names", "the given name"
    if has("full") or has("person"):
        return "full_name", "the whole name of the person"
    if has("name"):
        return _BARE, "a bare name"
    if has("affiliation"):
        return "affiliation", "a political affiliation or charge"
    if has("notes"):
        return "notes", "remarks"
    if has("identifier"):
        return "external_id", "a row number or identifier"
    return None, "no word of the header says what it holds"


def classify_header(header: str) -> tuple[str | None, str, str | None]:
    """(field, reason, doubt) for one column header, read as a documenter means it.

    The field is ``"bare_name"`` for a bare «نام» / "Name" / "Nom", ``"ward"``, ``"address"``
    («نشانی») and ``"relation"`` («نسبت»), whose place :func:`detect_mapping` decides from
    the other columns, and None for a column that holds no record field.  The header is
    looked up, folded, in the synonym table (``data/headers.toml``) — whole, without its
    numbering, colon or qualifier in brackets
    («تاریخ تولد (شمسی)»), then each of its parts ("Surname/Family name", "Family name
    (surname)"); failing that, the meanings of its words are combined
    (``data/header_words.toml``): «تاریخ» + «درگذشت» is a death date, "place" + "execution"
    a prison, "date" + "arrest" nothing.  ``doubt`` says why the choice should be checked
    (most of the header's words unknown), else None.

    Examples
    --------
    >>> classify_header("۱. نام خانوادگي:")[:2]
    ('surname', "header '۱. نام خانوادگي:' is a known name of surname")
    >>> classify_header("Date of killing")[0], classify_header("محل خاکسپاری")[0]
    ('death_date', None)
    """
    syn = header_synonyms()
    key = _header_key(header)
    bare_key = _BRACKETS.sub(" ", key)
    bare_key = _SPACES.sub(" ", bare_key).strip(_TRIM).strip()
    for k in (key, bare_key):
        if k in syn:
            if syn[k] == _BARE and k != key:
                break  # "Nom (de famille)": the words in brackets say more than a bare name
            return syn[k], f"header {header!r} is a known name of {syn[k]}", None
    parts = [p.strip(_TRIM).strip() for p in re.split(r"[/|()\[\]{}]", key)]
    hits = {syn[p] for p in parts if p in syn and syn[p] != _BARE}
    found, unknown = _meanings(key)
    fld, rule = _by_meaning(found)
    if len(hits) == 1:
        hit = hits.pop()
        # a part names a field ("Family name (surname)"), unless the whole header's words
        # say more ("Where arrested (city)" is a place of arrest, not a city)
        if fld is None or fld in (_BARE, hit):
            part = next(p for p in parts if syn.get(p) == hit)
            return hit, f"{part!r} in header {header!r} is a known name of {hit}", None
    if fld is None and not found:
        return None, rule, None
    words = ", ".join(repr(w) for m, ws in found.items() if m != "noise" for w in ws)
    reason = f"the words {words} in {header!r}: {rule}"
    known = sum(len(ws) for m, ws in found.items() if m != "noise")
    doubt = None
    if fld is not None and len(unknown) > known:
        doubt = ("most words of the header are unknown ("
                 + ", ".join(repr(w) for w in unknown) + "); check what the column holds")
    return fld, reason, doubt


_BARE_DATE_WORDS = frozenset({"date", "dates", "تاریخ"})


def _bare_date(header: str) -> bool:
    """Whether a header says only "date" («Date», «تاریخ», "Date (Gregorian)"): a date
    word and nothing else the header-word table knows or does not know but noise."""
    found, unknown = _meanings(_header_key(header))
    words = {w for m, ws in found.items() if m != "noise" for w in ws}
    return not unknown and bool(words) and words <= _BARE_DATE_WORDS


def _address_and_relation(kept: dict[str, str], columns: dict[str, str],
                          reasons: dict[str, str], unsure: dict[str, str]) -> None:
    """Place an address and a relation column (no record field of their own): an address
    gives the city where the list has no city column (the place reader takes the town from
    «تهران، خیابان خیام، پلاک ۸۲»); a relation («پسر», "brother of No. 12"), then an address
    beside a city column, is kept in the notes while the list has no notes column; a column
    left over is said so, and kept in the raw row."""
    address, relation = kept.get(_ADDRESS), kept.get(_RELATION)
    if address is not None and "city" not in columns:
        columns["city"] = address
        reasons["city"] = (f"an address column {address!r} in a list with no city column: "
                           "the town is read from the address")
        unsure["city"] = f"check that {address!r} names the town (read as the city)"
        address = None
    for h, what in ((relation, "the relation to another person of the list"),
                    (address, "an address beside the city column")):
        if h is None:
            continue
        if "notes" not in columns:
            columns["notes"] = h
            reasons["notes"] = f"{h!r} holds {what}: no record field of its own, kept as a note"
        else:
            note = f"{h!r} holds {what}; the notes field is taken, so it is kept in the raw row"
            unsure["notes"] = f"{unsure['notes']}; {note}" if "notes" in unsure else note


def detect_mapping(header: list[str]) -> Mapping:
    """Map columns whose header says, in English, French or Persian, which field they hold.

    Each header is read by :func:`classify_header` (synonym table first, then the meanings
    of its words).  A column whose header was matched exactly wins over one matched by its
    words when both claim one field; the other is flagged and left unmapped.

    A bare name header («نام», «اسم», "Name", "Nom") is read from the other columns, as a
    documenter means it:

    * with a surname column («نام خانوادگی», "Surname", "Last name", "Family name") and no
      given-name column, it is the **given name** (a memoir's «نام» beside «نام خانوادگی»,
      an English list's ``Name`` beside ``Surname``);
    * "Nom" beside a given-name column ("Prénom") is the **surname**, as French lists write;
    * otherwise it is the **full name**; when the list also has a given-name column, or
      "Nom" stands alone, the choice is flagged as unsure.

    A given-name header ("First name", "Prénom") in a list with no surname and no full-name
    column is taken as the full name (the name parser then splits it), flagged as unsure.

    A ward header («بند», "Ward", "quartier") is read as the **prison** in a list with no
    prison column (a ward that only one prison had, «بند ۲۰۹», gives that prison:
    :func:`dadkhah.names.wards.ward_prison`; any other ward stays as written, flagged
    unread), else as **notes**; flagged as unsure.

    A bare date header ("Date", «تاریخ», "Date (dd/mm/yyyy)") in a list with no other
    column of the date of death is the **date of death**, flagged as unsure: in a list of
    the executed, the one date it gives is when the person was killed (an English NGO
    list's ``Date`` beside ``Age``; left unmapped, every date of that list was lost).
    """
    columns: dict[str, str] = {}
    reasons: dict[str, str] = {}
    unsure: dict[str, str] = {}
    exact: dict[str, bool] = {}
    bare: str | None = None
    bare_date: str | None = None
    ward: str | None = None
    kept: dict[str, str] = {}  # an address and a relation column, placed after the others
    for h in header:
        fld, why, doubt = classify_header(h)
        if fld is None:
            if bare_date is None and _bare_date(h):
                bare_date = h
            continue
        if fld == _WARD:
            ward = ward or h
            continue
        if fld in (_ADDRESS, _RELATION):
            kept.setdefault(fld, h)
            continue
        if fld == _BARE:
            if bare is None:
                bare = h
            else:
                unsure.setdefault("bare_name", f"another bare name column {h!r} was not mapped")
            continue
        is_exact = why.startswith(f"header {h!r} is a known name")  # the whole header
        if fld in columns:
            if is_exact and not exact[fld]:  # an exact header beats one read from its words
                unsure[fld] = (f"{columns[fld]!r} also seems to hold this field; it was not "
                               "mapped (kept in the raw row)")
            else:
                unsure[fld] = (f"{h!r} also names this field; it was not mapped (kept in "
                               "the raw row)")
                continue
        columns[fld], reasons[fld], exact[fld] = h, why, is_exact
        if doubt:
            unsure[fld] = doubt
    extra_bare = unsure.pop("bare_name", None)
    if bare is not None:
        french = _SPACES.sub(" ", _BRACKETS.sub(" ", _header_key(bare))).strip(_TRIM) \
            .strip() == _FRENCH_NOM  # "Nom (en persan)" is still «Nom»
        if french and "given_names" in columns and "surname" not in columns:
            fld, why = "surname", (f"{bare!r} beside the given-name column "
                                   f"{columns['given_names']!r} is the family name")
        elif "surname" in columns and "given_names" not in columns:
            fld, why = "given_names", (f"a bare name beside the surname column "
                                       f"{columns['surname']!r} is the given name")
        else:
            fld, why = "full_name", "a bare name in a list with no surname column is the full name"
            if "given_names" in columns and "surname" in columns:
                why = "a bare name beside both given-name and surname columns is the full name"
            if "given_names" in columns:
                unsure[fld] = (f"the list also has a given-name column "
                               f"{columns['given_names']!r}; check what {bare!r} holds")
            elif french:
                unsure[fld] = "in French lists «Nom» is often the family name only"
        if fld in columns:
            unsure[fld] = (f"the bare name column {bare!r} could also be this field; "
                           "it was not mapped (kept in the raw row)")
        else:
            columns[fld], reasons[fld] = bare, why
        if extra_bare:
            unsure.setdefault(fld, extra_bare)
    if "given_names" in columns and "surname" not in columns and "full_name" not in columns:
        g = columns.pop("given_names")
        reasons.pop("given_names")
        columns["full_name"] = g
        reasons["full_name"] = (f"{g!r} is the only name column (no surname column), "
                                "so it is read as the full name")
        unsure["full_name"] = "check whether it holds whole names or given names only"
    if ward is not None:
        # a memoir's «بند»: the ward gives the prison where only one prison had it (Evin's
        # 209, Gohardasht's side wards: dadkhah.names.wards); any other ward is kept as
        # written, in the prison field or, beside a prison column, in the notes
        fld = "prison" if "prison" not in columns else "notes" if "notes" not in columns \
            else None
        if fld is None:
            unsure.setdefault("prison", f"the ward column {ward!r} was not mapped (kept in "
                                        "the raw row)")
        else:
            columns[fld] = ward
            reasons[fld] = (f"a ward column {ward!r}: " + (
                "a ward only one prison had (Evin's 209, Gohardasht's side wards) gives the "
                "prison; other wards are kept as written" if fld == "prison"
                else "the list has a prison column; the ward is kept as a note"))
            unsure[fld] = f"check that {ward!r} holds prison wards"
    _address_and_relation(kept, columns, reasons, unsure)
    if bare_date is not None and "death_date" not in columns:
        columns["death_date"] = bare_date
        reasons["death_date"] = (f"a bare date column {bare_date!r} in a list with no other "
                                 "date of death is the date of death")
        unsure["death_date"] = (f"check that {bare_date!r} holds the date of death "
                                "(execution), not of arrest or of birth")
    # columns in header order, so the preview reads like the file
    order = {h: i for i, h in reversed(list(enumerate(header)))}
    columns = dict(sorted(columns.items(), key=lambda kv: order[kv[1]]))
    return Mapping(columns=columns, origin="detected", reasons=reasons, unsure=unsure)


def load_mapping(path: str | Path) -> Mapping:
    """Read a TOML mapping file (``[columns]`` field = header, optional ``[options]``);
    raises :class:`~dadkhah.errors.MappingError` naming what is wrong."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError(f"Mapping file {p} does not exist.",
                           hint="Check the path given to --mapping.") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"Mapping file {p} is not valid TOML: {exc}.",
                           hint='Write it as [columns] lines such as full_name = "Name".') from exc
    cols = data.get("columns")
    if not isinstance(cols, dict) or not cols:
        raise MappingError(f"Mapping file {p} has no [columns] table.",
                           hint='Add [columns] with lines such as full_name = "Name".')
    unknown = [k for k in cols if k not in RECORD_FIELDS]
    if unknown:
        raise MappingError(f"Mapping file {p}: unknown field(s) {', '.join(unknown)}.",
                           hint="Fields are: " + ", ".join(RECORD_FIELDS) + ".")
    bad = [k for k, v in cols.items() if not isinstance(v, str)]
    if bad:
        raise MappingError(f"Mapping file {p}: the column for {bad[0]} must be a header text.",
                           hint=f'Write {bad[0]} = "Header as in the file".')
    opts: dict[str, Any] = data.get("options", {}) or {}
    unknown_opts = [k for k in opts if k not in _OPTIONS]
    if unknown_opts:
        raise MappingError(f"Mapping file {p}: unknown option(s) {', '.join(unknown_opts)}.",
                           hint="Options are: " + ", ".join(_OPTIONS) + ".")
    return Mapping(columns=dict(cols), origin="file", options={k: str(v) for k, v in opts.items()},
                   path=str(p), reasons={k: f"named in the mapping file {p.name}" for k in cols})


def check_mapping(mapping: Mapping, header: list[str], file_name: str) -> None:
    """Every mapped column must be in the header, and a name must be mapped."""
    missing = [(f, c) for f, c in mapping.columns.items() if c not in header]
    if missing:
        f, c = missing[0]
        raise MappingError(
            f"{file_name}: column {c!r} (mapped to {f}"
            + (f" in {mapping.path}" if mapping.path else "") + ") is not in the header.",
            hint="Columns in the file: " + ", ".join(repr(h) for h in header) + ".")
    if not {"full_name", "given_names", "surname"} & set(mapping.columns):
        raise MappingError(
            f"{file_name}: no column holds a name (full_name, given_names or surname).",
            hint="Write a mapping file with --mapping, e.g. [columns] full_name = \"<header>\"; "
                 "columns in the file: " + ", ".join(repr(h) for h in header) + ".")
