"""Exports for other tools: the register with provenance, capture histories, Every Casualty.

- :func:`write_register`: one row per documented person (CSV, XLSX or JSON), with the
  sources and source records behind each person (provenance).
- :func:`write_histories`: capture histories as ``dadkhah estimate --histories`` reads them,
  which is also the layout R packages take (one 0/1 column per list, then ``count``;
  e.g. ``Rcapture::closedp.t(df, dfreq=TRUE)`` or ``LCMCR::lcmCR(captures=df[lists])``
  after expanding counts).
- :func:`write_every_casualty`: the Every Casualty Worldwide minimum fields for casualty
  recording (Standards for Casualty Recording, 2016), one row per person, with a companion
  ``*.fields.csv`` that says where each field comes from and why it may be blank.

Every file of a synthetic case says SYNTHETIC (a column, a sheet, a key).

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return as a formula, and names come from lists and from the public's submissions.  CSV cells
of that kind are written with a leading ``'`` (:func:`spreadsheet_safe`, OWASP's advice on
CSV injection); XLSX cells are written as explicit text, so no file holds a formula.  Plain
numbers (``-12``, ``+3.5``) stay as they are.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from dadkhah.access import NOBODY, Viewer
from dadkhah.errors import ConfigError, NotFound
from dadkhah.store import Case

__all__ = ["ECW_FIELDS", "REGISTER_COLUMNS", "ExportResult", "iter_register",
           "spreadsheet_safe", "write_every_casualty", "write_histories", "write_register"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def spreadsheet_safe(value: Any) -> Any:
    """``value`` made inert for a spreadsheet: a string that a spreadsheet would read as a
    formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a
    leading ``'``; a plain number written as text (``-12``) and any non-string are returned
    unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) \
            and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def _safe_row(values: Sequence[Any]) -> list[Any]:
    return [spreadsheet_safe(v) for v in values]


def _xlsx_row(sheet: Any, values: Sequence[Any]) -> list[Any]:
    """Cells for a write-only sheet; strings are explicit text, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    out = []
    for v in values:
        if isinstance(v, str):
            cell = WriteOnlyCell(sheet, value=v)
            cell.data_type = "s"
            out.append(cell)
        else:
            out.append(v)
    return out

REGISTER_COLUMNS = (
    "person_id", "name_fa", "name_fa_origin", "name_fa_sources", "name_latin",
    "name_latin_origin", "name_latin_sources", "father_fa", "father_latin", "sex",
    "birth_year_lo", "birth_year_hi", "death_earliest", "death_latest", "death_precision",
    "prison_id", "prison_en", "prison_fa", "city_id", "city_en", "city_fa", "n_records",
    "n_sources", "sources", "record_ids", "source_rows", "synthetic",
)
"""Columns of the register export.  ``sources``: source slugs; ``record_ids``: source record
ids; ``source_rows``: ``slug:row`` (1-based data row of the imported file); lists are joined
with ``;`` in CSV/XLSX and are arrays in JSON.  ``name_fa_origin`` / ``name_latin_origin``:
where each display name came from — ``source`` (written so by the sources in
``name_*_sources``, slugs), ``machine`` (a machine transliteration: no source wrote the name
in Latin letters) or ``person`` (corrected by a team member; ``dadkhah names corrections``)."""

_LIST_COLUMNS = ("sources", "record_ids", "source_rows", "name_fa_sources",
                 "name_latin_sources")


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    format: str
    rows: int
    synthetic: bool
    extra_files: tuple[Path, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        text = f"Wrote {self.rows:,} rows to {self.path} ({self.format})"
        if self.extra_files:
            text += "; field notes in " + ", ".join(str(p) for p in self.extra_files)
        return text + (" — SYNTHETIC data" if self.synthetic else "")


def precision_of(earliest: str | None, latest: str | None) -> str:
    """``day``, ``span of N days`` or empty, from a date interval (ISO strings)."""
    if not earliest or not latest:
        return ""
    from datetime import date

    n = (date.fromisoformat(latest) - date.fromisoformat(earliest)).days + 1
    return "day" if n == 1 else f"span of {n} days"


def _synthetic(case: Case, viewer: Viewer | None = None) -> bool:
    """True when any source naming victims is synthetic (the case file's cited reports name
    none and do not count)."""
    return any(s.synthetic for s in case.sources(viewer) if s.records > 0)


def iter_register(case: Case, *, viewer: Viewer | None = None) -> Iterator[dict[str, Any]]:
    """One dict per active person (``REGISTER_COLUMNS``; list columns as lists), person by
    person, with the records behind each (``records``: record id, source, row, SHA-256 of
    the raw row, and the name as that record writes it).  Only what ``viewer`` may see
    (restricted records; None: no restricted data, :func:`dadkhah.register.iter_provenance`)."""
    from dadkhah.names import load_gazetteer
    from dadkhah.register import iter_provenance

    gaz = load_gazetteer()
    synthetic = _synthetic(case, viewer)
    slug_of = {s.id: s.slug for s in case.sources(viewer)}

    def place(pid: str | None) -> tuple[str | None, str | None]:
        p = gaz.places.get(pid) if pid else None
        return (p.name_en, p.name_fa) if p else (None, None)

    for p in iter_provenance(case, viewer=viewer):
        pe, pf = place(p.prison_id)
        ce, cf = place(p.city_id)
        yield {
            "person_id": p.person_id, "name_fa": p.name_fa,
            "name_fa_origin": p.name_fa_origin,
            "name_fa_sources": [slug_of.get(i, str(i)) for i in p.name_fa_sources],
            "name_latin": p.name_latin, "name_latin_origin": p.name_latin_origin,
            "name_latin_sources": [slug_of.get(i, str(i)) for i in p.name_latin_sources],
            "father_fa": p.father_fa, "father_latin": p.father_latin, "sex": p.sex,
            "birth_year_lo": p.birth_year_lo, "birth_year_hi": p.birth_year_hi,
            "death_earliest": p.death_earliest, "death_latest": p.death_latest,
            "death_precision": precision_of(p.death_earliest, p.death_latest),
            "prison_id": p.prison_id, "prison_en": pe, "prison_fa": pf,
            "city_id": p.city_id, "city_en": ce, "city_fa": cf,
            "n_records": p.n_records, "n_sources": p.n_sources,
            "sources": list(dict.fromkeys(r.source for r in p.records)),
            "record_ids": [r.record_id for r in p.records],
            "source_rows": [f"{r.source}:{r.row_number}" for r in p.records],
            "synthetic": synthetic,
            "records": [{"record_id": r.record_id, "source": r.source,
                         "row_number": r.row_number, "raw_sha256": r.raw_sha256,
                         "name": r.name} for r in p.records],
        }


def _flat(row: dict[str, Any], columns: Sequence[str]) -> list[Any]:
    out = []
    for c in columns:
        v = row[c]
        if c in _LIST_COLUMNS or isinstance(v, list):
            v = ";".join(str(x) for x in v)
        out.append("" if v is None else v)
    return out


def _check_format(fmt: str, allowed: Sequence[str]) -> str:
    f = fmt.lower().lstrip(".")
    if f not in allowed:
        raise ConfigError(f"Unknown export format {fmt!r}.",
                          hint="Use --format " + " or ".join(allowed) + ".")
    return f


def _viewer_details(viewer: Viewer | None) -> dict[str, Any]:
    """What the audit entry of an export says about restricted data."""
    v = viewer or NOBODY
    return {"as_user": v.username, "include_restricted": v.sees_all}


def _audited(case: Case, res: ExportResult, *, actor: str, what: str,
             **details: Any) -> ExportResult:
    """Log the export in the audit chain (``export.<what>``: who, the file and its SHA-256,
    the rows); when the entry cannot be written the files are removed and the error raised
    (:func:`dadkhah.store.audit.record_access`)."""
    from dadkhah.store import audit

    files = (res.path, *res.extra_files)
    audit.record_access(case, by=actor, action=f"export.{what}", target=f"export:{what}",
                        details={"path": str(res.path), "format": res.format,
                                 "rows": res.rows, "sha256": audit.file_sha256(res.path),
                                 **details}, written=files)
    return res


def write_register(case: Case, path: str | Path, *, fmt: str = "csv",
                   actor: str = "unknown", viewer: Viewer | None = None) -> ExportResult:
    """Write the register with provenance as CSV, XLSX or JSON; returns what was written.
    The export is logged in the audit chain as ``export.register`` by ``actor``.  Only what
    ``viewer`` may see is written (None: no restricted data; an admin's
    :meth:`~dadkhah.access.Viewer.everything`: all, and the audit entry says so)."""
    fmt = _check_format(fmt, ("csv", "xlsx", "json"))
    path = Path(path)
    synthetic = _synthetic(case, viewer)
    rows = iter_register(case, viewer=viewer)
    n = 0
    if fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(REGISTER_COLUMNS)
            for row in rows:
                w.writerow(_safe_row(_flat(row, REGISTER_COLUMNS)))
                n += 1
    elif fmt == "json":
        from dadkhah.store import audit

        with path.open("w", encoding="utf-8") as fh:
            head = {"kind": "dadkhah register", "synthetic": synthetic,
                    "generated_at": audit.now_utc(), "case": str(case.location),
                    "note": ("SYNTHETIC data made by the dadkhah simulator" if synthetic
                             else "documented persons (a count, not an estimate)")}
            fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "persons": [\n')
            for row in rows:
                fh.write((",\n" if n else "") + json.dumps(row, ensure_ascii=False))
                n += 1
            fh.write("\n]}\n")
    else:
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        about = wb.create_sheet("about")
        reg = wb.create_sheet("register")
        prov = wb.create_sheet("provenance")
        reg.append(list(REGISTER_COLUMNS))
        prov.append(["person_id", "record_id", "source", "row_number", "raw_sha256", "name"])
        for row in rows:
            reg.append(_xlsx_row(reg, _flat(row, REGISTER_COLUMNS)))
            for rec in row["records"]:
                prov.append(_xlsx_row(prov, [row["person_id"], rec["record_id"], rec["source"],
                                             rec["row_number"], rec["raw_sha256"],
                                             rec["name"] or ""]))
            n += 1
        about.append(["dadkhah register export"])
        about.append(["SYNTHETIC data made by the dadkhah simulator" if synthetic
                      else "documented persons (a count, not an estimate)"])
        about.append(_xlsx_row(about, ["case", str(case.location)]))
        about.append(["persons", n])
        wb.save(path)
    if n == 0:
        path.unlink(missing_ok=True)
        raise NotFound("The register is empty; nothing to export.",
                       hint="Run dadkhah link first.")
    return _audited(case, ExportResult(path, fmt, n, synthetic), actor=actor, what="register",
                    **_viewer_details(viewer))


def write_histories(case: Case, path: str | Path, *, by: Sequence[str] = (),
                    actor: str = "unknown", viewer: Viewer | None = None) -> ExportResult:
    """Capture histories of the register as CSV: one 0/1 column per list (source slug), the
    stratum columns of ``by``, then ``count`` (logged as ``export.histories`` by ``actor``).
    ``dadkhah estimate --histories PATH`` and
    :meth:`dadkhah.estimate.CaptureHistories.from_csv` read it back unchanged.

    A list restricted from ``viewer`` is left out (its column, and the persons only it
    names: :func:`dadkhah.register.register_histories`)."""
    from dadkhah.register import register_histories

    h = register_histories(case, by=tuple(by), viewer=viewer)
    frame = h.to_frame()
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].map(spreadsheet_safe)
    frame.columns = [spreadsheet_safe(str(c)) for c in frame.columns]
    path = Path(path)
    frame.to_csv(path, index=False)
    return _audited(case, ExportResult(path, "csv", len(frame), h.synthetic), actor=actor,
                    what="histories", by=list(by), **_viewer_details(viewer))


ECW_FIELDS = (
    # (column, Every Casualty item, where it comes from / why it may be blank)
    ("victim_id", "record identifier", "person id in the dadkhah register"),
    ("name", "name", ("best Latin form of the name: a correction by a person, else the "
     "spelling most sources write, else a machine transliteration (see name_latin_origin)")),
    ("name_latin_origin", "name (provenance)", ("where the Latin name came from: source "
     "(as written by a source), machine (machine transliteration) or person (corrected)")),
    ("name_original", "name (original script)", ("best Persian-script form; blank when no "
     "source writes the name in Persian")),
    ("name_fa_origin", "name (original script, provenance)", ("source (as written) or "
     "person (corrected); blank when there is no Persian-script name")),
    ("name_variants", "name variants", ("every distinct spelling in the source records, "
     "joined with ' | '")),
    ("sex", "sex/gender", "male / female; blank when no source records it"),
    ("age_at_death", "age", ("year of death minus year of birth, as a range when the birth "
     "year is uncertain; blank when no birth date or age is recorded")),
    ("age_band", "age (child/adult band)", ("child (under 18) or adult when the age range "
     "allows; blank otherwise")),
    ("date_of_death_earliest", "date of incident", "earliest possible date of death (ISO)"),
    ("date_of_death_latest", "date of incident", "latest possible date of death (ISO)"),
    ("date_precision", "date of incident (precision)", "day, or the span in days"),
    ("place_of_death", "location of incident", "prison (gazetteer name); blank when unknown"),
    ("city", "location of incident", "city of the prison or of the record"),
    ("province", "location of incident", "province (1988 boundaries) of the prison or city"),
    ("type_of_death", "type of death", ("as given with --type-of-death for the whole case; "
     "blank when not given (sources list deaths, they do not always say how)")),
    ("perpetrators", "perpetrators", ("ALLEGED only: the accused of the case file's "
     "allegations on events the person is linked to (dadkhah event victim), each with "
     "the allegation's mode and status; blank when the person is linked to no event")),
    ("involved_actors", "involved actors", ("BLANK: the case file records roles of actors, "
     "not their involvement with individual victims")),
    ("source_kinds", "source (kind)", "kinds of the sources naming the person"),
    ("sources", "source", "source ids (slugs); the documents are kept in the case"),
    ("n_sources", "corroboration", "how many distinct sources name the person"),
    ("status", "status", "documented: named in at least one source (not an estimate)"),
    ("synthetic", "-", "true for data made by the dadkhah simulator"),
)
"""Every Casualty Worldwide minimum fields (DOMAIN.md §2.2) and how this export fills them."""


def _age(row: dict[str, Any]) -> tuple[str, str]:
    lo_b, hi_b = row["birth_year_lo"], row["birth_year_hi"]
    d1, d2 = row["death_earliest"], row["death_latest"]
    if lo_b is None or hi_b is None or not d1 or not d2:
        return "", ""
    lo, hi = int(d1[:4]) - int(hi_b), int(d2[:4]) - int(lo_b)
    text = str(lo) if lo == hi else f"{lo}-{hi}"
    band = "child" if hi < 18 else ("adult" if lo >= 18 else "")
    return text, band


def alleged_perpetrators(case: Case, viewer: Viewer | None = None) -> dict[int, list[str]]:
    """person id → 'ALLEGED: name (mode, status; event slug)' for every allegation on an
    event the person is linked to in the case file, as ``viewer`` (None: nobody in
    particular) may see them (an allegation resting only on sources kept from them is left
    out, as the case file's readers leave it out)."""
    from dadkhah import casefile

    by_event: dict[str, list[str]] = {}
    for a in casefile.list_allegations(case, viewer=viewer):
        by_event.setdefault(a.event, []).append(
            f"ALLEGED: {a.accused_name} ({a.mode.replace('_', ' ')}, "
            f"{a.status.replace('_', ' ')}; event {a.event})")
    out: dict[int, list[str]] = {}
    for e in casefile.list_events(case, viewer=viewer):
        for v in e.victims:
            if v.get("person_id") is not None and e.slug in by_event:
                out.setdefault(int(v["person_id"]), []).extend(by_event[e.slug])
    return out


def write_every_casualty(case: Case, path: str | Path, *, type_of_death: str | None = None,
                         actor: str = "unknown", viewer: Viewer | None = None) -> ExportResult:
    """Write the Every Casualty Worldwide minimum fields as CSV, one row per documented
    person, and ``<name>.fields.csv`` documenting each column and its blanks (logged as
    ``export.every-casualty`` by ``actor``); only what ``viewer`` may see, as
    :func:`write_register`."""
    from dadkhah.names import load_gazetteer

    path = Path(path)
    gaz = load_gazetteer()
    kinds = {s.slug: s.kind for s in case.sources(viewer)}
    sex = {"m": "male", "f": "female"}
    filled = {c: 0 for c, _, _ in ECW_FIELDS}
    alleged = alleged_perpetrators(case, viewer)
    n = 0
    synthetic = _synthetic(case, viewer)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow([c for c, _, _ in ECW_FIELDS])
        for row in iter_register(case, viewer=viewer):
            age, band = _age(row)
            place = row["prison_id"] or row["city_id"]
            prov = gaz.ancestor(place, "province") if place else None
            city = row["city_en"] or None
            if city is None and row["prison_id"]:
                prison_city = gaz.ancestor(row["prison_id"], "city")
                city = prison_city.name_en if prison_city else None
            variants = list(dict.fromkeys(r["name"] for r in row["records"] if r["name"]))
            out = {
                "victim_id": row["person_id"], "name": row["name_latin"],
                "name_latin_origin": row["name_latin_origin"],
                "name_original": row["name_fa"], "name_fa_origin": row["name_fa_origin"],
                "name_variants": " | ".join(variants),
                "sex": sex.get(row["sex"] or "", ""), "age_at_death": age, "age_band": band,
                "date_of_death_earliest": row["death_earliest"],
                "date_of_death_latest": row["death_latest"],
                "date_precision": row["death_precision"], "place_of_death": row["prison_en"],
                "city": city, "province": prov.name_en if prov else None,
                "type_of_death": type_of_death,
                "perpetrators": " | ".join(alleged.get(row["person_id"], [])),
                "involved_actors": None,
                "source_kinds": ";".join(dict.fromkeys(kinds.get(s, "") for s in row["sources"])),
                "sources": ";".join(row["sources"]), "n_sources": row["n_sources"],
                "status": "documented", "synthetic": synthetic,
            }
            for k, v in out.items():
                if v not in (None, ""):
                    filled[k] += 1
            w.writerow(_safe_row(["" if out[c] is None else out[c] for c, _, _ in ECW_FIELDS]))
            n += 1
    fields = path.with_name(path.stem + ".fields.csv")
    with fields.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["column", "every_casualty_item", "filled_rows", "blank_rows", "notes"])
        for c, item, note in ECW_FIELDS:
            w.writerow([c, item, filled[c], n - filled[c], note])
    return _audited(case, ExportResult(path, "csv", n, synthetic, (fields,)), actor=actor,
                    what="every-casualty", **_viewer_details(viewer))
