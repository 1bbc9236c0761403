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

Columns that are not mapped are still kept, verbatim, in every record's raw row.
"""

from __future__ import annotations

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
_OPTIONS = ("encoding", "delimiter", "sheet", "format", "birth_years", "death_years")


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
_FRENCH_NOM = "nom"


def detect_mapping(header: list[str]) -> Mapping:
    """Map columns whose header is a known English, French or Persian name of a field.

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
    """
    syn = header_synonyms()
    columns: dict[str, str] = {}
    reasons: dict[str, str] = {}
    unsure: dict[str, str] = {}
    bare: str | None = None
    for h in header:
        fld = syn.get(fold_header(h))
        if fld is None:
            continue
        if fld == _BARE:
            if bare is None:
                bare = h
            else:
                unsure.setdefault("bare_name", f"another bare name column {h!r} was not mapped")
            continue
        if fld in columns:
            unsure[fld] = f"{h!r} also names this field; it was not mapped (kept in the raw row)"
            continue
        columns[fld] = h
        reasons[fld] = f"header {h!r} is a known name of {fld}"
    extra_bare = unsure.pop("bare_name", None)
    if bare is not None:
        french = fold_header(bare) == _FRENCH_NOM
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
