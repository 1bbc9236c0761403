"""Import one file into one source, in one transaction.

The import either commits whole or leaves the store exactly as it was (interrupt, kill -9,
disk full, ``--strict`` with an error).  Every row read ends up either as a source record
or as a rejected row with its reasons; the raw row is kept verbatim in both.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from dadkhah.errors import DuplicateImport, IngestError, RowValidationError
from dadkhah.ingest._rows import WORKER_MIN_BYTES, RowProcessor, RowState, worker_batches
from dadkhah.ingest.mapping import Mapping, check_mapping, detect_mapping, load_mapping
from dadkhah.ingest.readers import detect_format, file_facts, open_reader
from dadkhah.ingest.validate import PROBLEM_KINDS
from dadkhah.store import RECORD_FIELDS
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import Import, SourceRecord

Progress = Callable[[int, int], None]
"""progress(done, total): units are bytes for CSV/JSONL and sheet rows for XLSX."""



@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    file_name: str
    file_sha256: str
    file_size: int
    file_format: str
    encoding: str | None
    source_id: int
    mapping: dict[str, str]
    mapping_origin: str
    unmapped_columns: list[str]
    rows_read: int
    rows_imported: int
    rows_rejected: int
    blank_rows: int
    problem_counts: dict[str, int]
    problems: list[dict[str, Any]]
    import_id: int | None = None
    dry_run: bool = False
    preview: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def summary(self) -> str:
        head = "DRY RUN (nothing written): " if self.dry_run else f"Import {self.import_id}: "
        lines = [
            f"{head}{self.file_name} ({self.file_format}, {self.encoding or 'binary'}, "
            f"{self.file_size:,} bytes, sha256 {self.file_sha256[:12]}…) into source "
            f"{self.source_id}",
            f"  rows read {self.rows_read:,}; imported {self.rows_imported:,}; "
            f"rejected {self.rows_rejected:,}" + (f"; blank rows skipped {self.blank_rows:,}"
                                                   if self.blank_rows else ""),
            f"  mapping ({self.mapping_origin}): "
            + ", ".join(f"{f} ← {c!r}" for f, c in self.mapping.items()),
        ]
        if self.unmapped_columns:
            lines.append("  not mapped (kept in the raw row): "
                         + ", ".join(repr(c) for c in self.unmapped_columns))
        for kind, n in self.problem_counts.items():
            lines.append(f"  {n:,} × {PROBLEM_KINDS[kind]}")
        for p in self.problems[:10]:
            lines.append(f"    {p['message']}")
        if len(self.problems) > 10:
            lines.append(f"    … {sum(self.problem_counts.values()) - 10:,} more "
                         f"(all stored with the rejected rows)")
        return "\n".join(lines)


_REC_COLUMNS = ("source_id", "import_id", "row_number", "raw", "raw_sha256", *RECORD_FIELDS)
_REJ_COLUMNS = ("import_id", "row_number", "raw", "raw_sha256", "problems")


def _insert_sql(conn: Any, table: str, columns: tuple[str, ...]) -> str:
    """A plain positional INSERT: executemany on tuples skips SQLAlchemy's per-row
    parameter processing, which otherwise costs as much as the insert itself."""
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s", "numeric": ":1"}[
        conn.dialect.paramstyle]
    return (f"INSERT INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join([mark] * len(columns))})")


def import_file(case: Any, path: str | Path, *, source: int | str,
                mapping: str | Path | Mapping | None = None, strict: bool = False,
                force: bool = False, encoding: str | None = None, file_format: str | None = None,
                delimiter: str | None = None, sheet: str | None = None, dry_run: bool = False,
                preview_rows: int = 5, actor: str = "unknown",
                progress: Progress | None = None) -> ImportReport:
    """Import ``path`` into ``source`` of ``case``.

    Parameters
    ----------
    mapping
        A TOML mapping file (see :mod:`dadkhah.ingest.mapping`) or a :class:`Mapping`;
        detected from the header when None.
    strict
        Reject the whole file on any row problem (nothing is written).  By default good
        rows are imported and bad rows are stored as rejected rows with their reasons.
    force
        Import even if a file with the same SHA-256 was imported into this case before.
    dry_run
        Read and validate everything, write nothing; the report carries a preview of the
        first ``preview_rows`` records as they would be stored.
    """
    p = Path(path)
    if not p.is_file():
        raise IngestError(f"File {p} does not exist.", hint="Check the path and try again.")
    source_id = case.resolve_source_id(source)
    m = mapping if isinstance(mapping, Mapping) else (load_mapping(mapping) if mapping else None)
    opts = m.options if m else {}
    fmt = detect_format(p, file_format or opts.get("format"))
    facts = file_facts(p)
    if not dry_run and not force:
        with case.read() as conn:
            prior = conn.execute(select(Import.id, Import.source_id, Import.imported_at)
                                 .where(Import.file_sha256 == facts.sha256)).first()
        if prior:
            raise DuplicateImport(
                f"{p.name} was already imported (import {prior.id} into source "
                f"{prior.source_id} on {prior.imported_at[:10]}; same SHA-256).",
                hint="Nothing was written. Pass --force to import it again anyway.")
    reader = open_reader(p, fmt, facts, encoding=encoding or opts.get("encoding"),
                         delimiter=delimiter or opts.get("delimiter"),
                         sheet=sheet or opts.get("sheet"))
    try:
        header = reader.header
        m = m or detect_mapping(header)
        check_mapping(m, header, p.name)
        idx = m.indices(header)
        if dry_run:
            return _run(None, case, p, reader, facts, m, idx, source_id, strict, actor,
                        progress, preview_rows)
        with case.write() as conn:
            return _run(conn, case, p, reader, facts, m, idx, source_id, strict, actor,
                        progress, preview_rows)
    finally:
        reader.close()


def _run(conn: Any, case: Any, p: Path, reader: Any, facts: Any, m: Mapping,
         idx: dict[str, int], source_id: int, strict: bool, actor: str,
         progress: Progress | None, preview_rows: int) -> ImportReport:
    header = reader.header
    import_id = None
    if conn is not None:
        import_id = conn.execute(Import.__table__.insert().values(
            source_id=source_id, file_name=p.name, file_sha256=facts.sha256,
            file_size=facts.size, file_format=reader.format, encoding=reader.encoding,
            header=json.dumps(header, ensure_ascii=False),
            mapping=json.dumps(m.columns, ensure_ascii=False), mapping_origin=m.origin,
            strict=strict, rows_read=0, rows_imported=0, rows_rejected=0,
            imported_by=actor, imported_at=now_utc(),
        )).inserted_primary_key[0]
    options = dict(source_id=source_id, import_id=import_id, strict=strict,
                   preview_rows=preview_rows)
    if conn is not None and facts.size >= WORKER_MIN_BYTES:
        state = RowState()
        batches = worker_batches(reader, p, header, idx, options, state)
    else:
        processor = RowProcessor(header, idx, **options)
        state = processor.state
        batches = processor.batches(reader)
    if conn is not None:
        rec_sql = _insert_sql(conn, "source_records", _REC_COLUMNS)
        rej_sql = _insert_sql(conn, "rejected_rows", _REJ_COLUMNS)
    for records, rejected, done, total in batches:
        if conn is not None:
            if records:
                conn.exec_driver_sql(rec_sql, records)
            if rejected:
                conn.exec_driver_sql(rej_sql, rejected)
        if progress:
            progress(done, total)
    read, imported, rejected_n, blank = state.read, state.imported, state.rejected, state.blank
    counts, kept, preview = state.counts, state.kept, state.preview

    problems = [dict(pr.to_dict(), message=pr.describe(p.name)) for pr in kept]
    if strict and counts:
        total = sum(counts.values())
        raise RowValidationError(
            f"{p.name}: {total:,} problem(s) in {rejected_n:,} row(s); nothing was imported "
            f"(--strict). First: {kept[0].describe(p.name)}",
            problems=problems,
            hint="Fix the rows named, or import without --strict to keep the good rows and "
                 "store the bad ones as rejected rows.")
    report = ImportReport(
        file_name=p.name, file_sha256=facts.sha256, file_size=facts.size,
        file_format=reader.format, encoding=reader.encoding, source_id=source_id,
        mapping=dict(m.columns), mapping_origin=m.origin, unmapped_columns=m.unmapped(header),
        rows_read=read, rows_imported=imported, rows_rejected=rejected_n, blank_rows=blank,
        problem_counts=dict(counts), problems=problems, import_id=import_id,
        dry_run=conn is None, preview=preview,
    )
    if conn is not None:
        conn.execute(update(Import).where(Import.id == import_id).values(
            rows_read=read, rows_imported=imported, rows_rejected=rejected_n,
            records_digest=state.digest))
        first_id, last_id = conn.execute(
            select(func.min(SourceRecord.id), func.max(SourceRecord.id))
            .where(SourceRecord.import_id == import_id)).one()
        append(conn, actor=actor, action="import", target=f"import:{import_id}", details={
            "import_id": import_id, "source_id": source_id, "file_name": p.name,
            "file_sha256": facts.sha256, "rows_read": read, "rows_imported": imported,
            "rows_rejected": rejected_n, "records_digest": state.digest,
            "first_record_id": first_id, "last_record_id": last_id,
        })
    return report
