"""Import one file into one source, in one transaction.

The import either commits whole or leaves the store exactly as it was (interrupt, kill -9,
disk full, ``--strict`` with an error).  Every row read ends up either as a source record
or as a rejected row with its reasons; the raw row is kept verbatim in both.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update

from dadkhah.errors import DuplicateImport, IngestError, RowValidationError
from dadkhah.ingest.mapping import Mapping, check_mapping, detect_mapping, load_mapping
from dadkhah.ingest.readers import detect_format, file_facts, open_reader
from dadkhah.ingest.validate import PROBLEM_KINDS, Problem, RowChecker
from dadkhah.store import RECORD_FIELDS
from dadkhah.store._audit import RecordsDigest, append, now_utc, sha256_text
from dadkhah.store._schema import Import, SourceRecord

Progress = Callable[[int, int], None]
"""progress(done, total): units are bytes for CSV/JSONL and sheet rows for XLSX."""

BATCH = 5000
KEEP_PROBLEMS = 200  # problems kept in the report; all of them are stored with the rows


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


class _BatchWriter:
    """Inserts batches on a second thread while the next batch is parsed.

    sqlite3 and psycopg release the GIL while the database works, so parsing and writing
    overlap.  The connection is used only by this thread until :meth:`close` returns; an
    error on either side stops both, and the caller's transaction then rolls back.
    """

    def __init__(self, conn: Any, rec_sql: str, rej_sql: str) -> None:
        import queue
        import threading

        self._conn, self._rec_sql, self._rej_sql = conn, rec_sql, rej_sql
        self._q: queue.Queue = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="dadkhah-import-writer",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (item := self._q.get()) is not None:
            if self._error is not None:
                continue  # drain; the caller will see the error
            records, rejected = item
            try:
                if records:
                    self._conn.exec_driver_sql(self._rec_sql, records)
                if rejected:
                    self._conn.exec_driver_sql(self._rej_sql, rejected)
            except BaseException as exc:  # noqa: BLE001 - re-raised in the caller
                self._error = exc

    def put(self, records: list, rejected: list) -> None:
        if self._error is not None:
            raise self._error
        if records or rejected:
            self._q.put((records, rejected))

    def close(self) -> None:
        """Wait for every batch to be written; re-raise the writer's error if any."""
        self._q.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error


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
        with case.engine.connect() as conn:
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
        with case.engine.begin() as conn:
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
    if conn is not None:
        rec_sql = _insert_sql(conn, "source_records", _REC_COLUMNS)
        rej_sql = _insert_sql(conn, "rejected_rows", _REJ_COLUMNS)
    field_pos = [idx.get(f) for f in RECORD_FIELDS]
    digest = RecordsDigest()
    records: list[tuple[Any, ...]] = []
    rejected: list[tuple[Any, ...]] = []
    kept: list[Problem] = []
    counts: Counter[str] = Counter()
    read = imported = rejected_n = blank = 0
    preview: list[dict[str, Any]] = []

    writer = _BatchWriter(conn, rec_sql, rej_sql) if conn is not None else None

    def flush() -> None:
        nonlocal records, rejected
        if writer is not None:
            writer.put(records, rejected)
        records, rejected = [], []
        if progress:
            progress(reader.position(), reader.total)

    checker = RowChecker(header, idx)

    def _read_rows() -> None:
        nonlocal read, imported, rejected_n, blank
        for row in reader.rows():
            if not "".join(row.cells).strip():
                blank += 1
                continue
            read += 1
            probs = checker.problems(row.number, row.line, row.cells)
            raw_sha = sha256_text(row.raw)
            if probs:
                rejected_n += 1
                for pr in probs:
                    counts[pr.kind] += 1
                    if len(kept) < KEEP_PROBLEMS:
                        kept.append(pr)
                if strict and conn is not None and len(kept) >= KEEP_PROBLEMS:
                    break  # the file is refused anyway; enough examples to fix it
                rejected.append((import_id, row.number, row.raw, raw_sha,
                                 json.dumps([x.to_dict() for x in probs], ensure_ascii=False)))
            else:
                imported += 1
                cells, n = row.cells, len(row.cells)
                values = [cells[i] if i is not None and i < n else None for i in field_pos]
                records.append((source_id, import_id, row.number, row.raw, raw_sha, *values))
                digest.add(row.number, raw_sha)
                if len(preview) < preview_rows:
                    preview.append({"row_number": row.number, "raw": row.raw,
                                    **{f: v for f, v, i in zip(RECORD_FIELDS, values,
                                                               field_pos, strict=True)
                                       if i is not None}})
            if len(records) + len(rejected) >= BATCH:
                flush()
        flush()

    try:
        _read_rows()
    finally:
        if writer is not None:
            writer.close()

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
            records_digest=digest.hexdigest()))
        first_id, last_id = conn.execute(
            select(func.min(SourceRecord.id), func.max(SourceRecord.id))
            .where(SourceRecord.import_id == import_id)).one()
        append(conn, actor=actor, action="import", target=f"import:{import_id}", details={
            "import_id": import_id, "source_id": source_id, "file_name": p.name,
            "file_sha256": facts.sha256, "rows_read": read, "rows_imported": imported,
            "rows_rejected": rejected_n, "records_digest": digest.hexdigest(),
            "first_record_id": first_id, "last_record_id": last_id,
        })
    return report
