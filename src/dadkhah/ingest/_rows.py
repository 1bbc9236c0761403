"""Turning read rows into store rows: validation, hashing, mapping, in batches.

:class:`RowProcessor` does the per-row work.  For large files it runs in a second process
(:func:`worker_batches`), so that reading, decoding, validating and hashing one batch overlap
with the database writing the previous one; the two halves cost about the same, and threads
would not overlap them (both hold the GIL).  The worker only reads the file: everything is
written by the importing process, inside its one transaction.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection as PipeConnection
from pathlib import Path
from typing import Any

from dadkhah.ingest.validate import (
    DEFAULT_DATE_WINDOW,
    DateChecker,
    DateWarning,
    DateWindow,
    Problem,
    RowChecker,
)
from dadkhah.store import RECORD_FIELDS
from dadkhah.store.audit import RecordsDigest, sha256_text

BATCH = 5000
KEEP_PROBLEMS = 200  # problems kept in the report; all of them are stored with the rows
WORKER_MIN_BYTES = 8 * 1024 * 1024  # smaller files: starting a process costs more than it saves
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


@dataclass
class RowState:
    """What processing the rows found, for the report and the audit entry."""

    read: int = 0
    imported: int = 0
    rejected: int = 0
    blank: int = 0
    counts: Counter = field(default_factory=Counter)
    kept: list[Problem] = field(default_factory=list)
    digest: str = ""
    preview: list[dict[str, Any]] = field(default_factory=list)
    stopped_early: bool = False
    date_counts: Counter = field(default_factory=Counter)  # (column, kind) → values
    date_kept: list[DateWarning] = field(default_factory=list)
    date_orders: list[dict[str, Any]] = field(default_factory=list)  # per date column


RECORD_COLUMNS = ("source_id", "import_id", "row_number", "raw", "raw_sha256", *RECORD_FIELDS,
                  "machine_reading")
"""The ``source_records`` columns of a record row, in order."""
REJECTED_COLUMNS = ("import_id", "row_number", "raw", "raw_sha256", "problems")
"""The ``rejected_rows`` columns of a rejected row, in order."""

Batch = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], int, int]
"""(record rows, rejected rows, progress done, progress total)."""

_LIST_FORMATS = ("csv", "xlsx")
"""Formats whose raw row is a JSON array of cells, so never a document entry."""


def _reading_test(fmt: str) -> Callable[[str], bool | None] | None:
    """How a record of a ``fmt`` reader gets its ``machine_reading`` mark: True for a raw row
    that is a document entry (:func:`dadkhah.documents.provenance` reads it), None (NULL, left
    out of the row's hash) for a list row; None for the list formats, which need no test."""
    if fmt in _LIST_FORMATS:
        return None
    # here, not at the top: dadkhah.documents brings PIL and numpy, which a CSV or XLSX
    # import does not need
    from dadkhah.documents import provenance

    return lambda raw: True if provenance(raw) is not None else None


class RowProcessor:
    """Validates, hashes and maps the rows of one file, batch by batch."""

    def __init__(self, header: list[str], indices: dict[str, int], *, source_id: int,
                 import_id: int | None, strict: bool, preview_rows: int,
                 date_window: DateWindow = DEFAULT_DATE_WINDOW,
                 day_first: bool | None = None) -> None:
        self.checker = RowChecker(header, indices)
        self.dates = DateChecker(header, indices, date_window, day_first)
        self.field_pos = [indices.get(f) for f in RECORD_FIELDS]
        self.source_id, self.import_id = source_id, import_id
        self.strict, self.preview_rows = strict, preview_rows
        self.state = RowState()
        self._digest = RecordsDigest()

    def batches(self, reader: Any) -> Iterator[Batch]:
        st, check, dates = self.state, self.checker.problems, self.dates
        field_pos, source_id, import_id = self.field_pos, self.source_id, self.import_id
        is_reading = _reading_test(reader.format)
        records: list[tuple[Any, ...]] = []
        rejected: list[tuple[Any, ...]] = []
        for row in reader.rows():
            cells = row.cells
            if not "".join(cells).strip():
                st.blank += 1
                continue
            st.read += 1
            if dates.columns:
                for w in dates.warnings(row.number, row.line, cells):
                    st.date_counts[(w.column, w.kind)] += 1
                    if len(st.date_kept) < KEEP_PROBLEMS:
                        st.date_kept.append(w)
            probs = check(row.number, row.line, cells)
            raw_sha = sha256_text(row.raw)
            if probs:
                st.rejected += 1
                for pr in probs:
                    st.counts[pr.kind] += 1
                    if len(st.kept) < KEEP_PROBLEMS:
                        st.kept.append(pr)
                if self.strict and len(st.kept) >= KEEP_PROBLEMS:
                    st.stopped_early = True  # refused anyway; enough examples to fix it
                    break
                rejected.append((import_id, row.number, row.raw, raw_sha,
                                 json.dumps([x.to_dict() for x in probs], ensure_ascii=False)))
            else:
                st.imported += 1
                n = len(cells)
                values = [cells[i] if i is not None and i < n else None for i in field_pos]
                records.append((source_id, import_id, row.number, row.raw, raw_sha, *values,
                                None if is_reading is None else is_reading(row.raw)))
                self._digest.add(row.number, raw_sha)
                if len(st.preview) < self.preview_rows:
                    st.preview.append({"row_number": row.number, "raw": row.raw,
                                       **{f: v for f, v, i in zip(RECORD_FIELDS, values,
                                                                  field_pos, strict=True)
                                          if i is not None}})
            if len(records) + len(rejected) >= BATCH:
                yield records, rejected, reader.position(), reader.total
                records, rejected = [], []
        if dates.columns:  # values both day/month orders read wait for the list's order
            held, counts = dates.finish()
            st.date_counts.update(counts)
            st.date_kept.extend(held[:max(0, KEEP_PROBLEMS - len(st.date_kept))])
            st.date_kept.sort(key=lambda w: (w.row, w.column))
            st.date_orders = dates.orders
        yield records, rejected, reader.position(), reader.total
        st.digest = self._digest.hexdigest()


# ---------------------------------------------------------------------------- worker process
def _die_with_parent(parent: int, inherited: PipeConnection) -> None:
    """Make sure this reader does not outlive the importing process (kill -9, SIGTERM).

    The forked child inherits the pipe's read end too: while it holds it, a ``send`` after
    the parent died never fails with EPIPE but blocks once the pipe is full, and the orphan
    keeps the database files (and on PostgreSQL the client socket, so the server keeps the
    dead import's transaction open).  Closing it makes the next ``send`` fail; on Linux the
    kernel also sends SIGKILL the moment the parent goes (``PR_SET_PDEATHSIG``), so a reader
    busy on a long batch does not finish it first.  (The signal follows the *thread* that
    forked; :func:`worker_batches` waits for the reader in that thread, so it outlives it.)
    """
    inherited.close()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


def _worker(conn: PipeConnection, inherited: PipeConnection, parent: int, path: str, fmt: str,
            encoding: str | None, delimiter: str | None, sheet: str | None, header: list[str],
            indices: dict[str, int], options: dict[str, Any]) -> None:
    from dadkhah.ingest.readers import open_reader

    _die_with_parent(parent, inherited)
    try:
        p = Path(path)
        # The encoding was settled by the importing process, so no second pass over the bytes.
        reader = open_reader(p, fmt, None, encoding=encoding, delimiter=delimiter, sheet=sheet)
        try:
            if reader.header != header:
                raise RuntimeError("the file changed while it was being imported")
            proc = RowProcessor(header, indices, **options)
            for batch in proc.batches(reader):
                conn.send(("batch", batch))
            conn.send(("done", proc.state))
        finally:
            reader.close()
    except BrokenPipeError:
        return  # the importing process is gone (killed): nothing to report to
    except BaseException as exc:  # noqa: BLE001 - handed to the importing process
        with contextlib.suppress(BrokenPipeError):
            conn.send(("error", exc))
    finally:
        conn.close()


def worker_batches(reader: Any, path: Path, header: list[str], indices: dict[str, int],
                   options: dict[str, Any], out: RowState) -> Iterator[Batch]:
    """Batches computed by a worker process; fills ``out`` with the final state."""
    import multiprocessing as mp

    # fork, not spawn: spawn re-runs the user's main script in the child, which breaks any
    # script or notebook cell that imports at top level.  The forked child only reads the
    # file and never touches the database connection it inherits; it leaves by os._exit,
    # so no finaliser of the parent's objects runs in it.
    ctx = mp.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    delimiter = getattr(reader, "delimiter", None)
    sheet = getattr(reader, "sheet_name", None)
    proc = ctx.Process(target=_worker, name="dadkhah-import-reader", daemon=True,
                       args=(send, recv, os.getpid(), str(path), reader.format,
                             reader.encoding, delimiter, sheet, header, indices, options))
    proc.start()
    send.close()
    try:
        while True:
            try:
                kind, payload = recv.recv()
            except EOFError:
                raise RuntimeError("the import's reader process ended unexpectedly") from None
            if kind == "batch":
                yield payload
            elif kind == "done":
                for f in ("read", "imported", "rejected", "blank", "counts", "kept", "digest",
                          "preview", "stopped_early", "date_counts", "date_kept", "date_orders"):
                    setattr(out, f, getattr(payload, f))
                return
            else:
                raise payload
    finally:
        recv.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
