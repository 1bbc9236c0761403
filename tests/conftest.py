"""Shared fixtures.

``case_location`` runs a test once on SQLite and, when ``DADKHAH_TEST_PG_URL`` names a
PostgreSQL server (``scripts/test`` starts one), once more on a fresh PostgreSQL database.
``readings_case`` is a linked SYNTHETIC case with machine readings of a document, built once
for the report's and the lists' marks of unchecked readings.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

PG_URL = os.environ.get("DADKHAH_TEST_PG_URL")

# Keys dadkhah keeps outside a case (the checkpoint key, the contact key of a server started
# without one) go to a throw-away folder during tests, never the tester's ~/.config.
if "DADKHAH_CONFIG_DIR" not in os.environ:
    import tempfile

    os.environ["DADKHAH_CONFIG_DIR"] = tempfile.mkdtemp(prefix="dadkhah-test-config-")

backends = [pytest.param("sqlite", id="sqlite")]
backends.append(pytest.param("postgres", id="postgres", marks=[
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="DADKHAH_TEST_PG_URL not set (scripts/test sets it)"),
]))


def _pg_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(PG_URL)
    name = "dadkhah_t_" + uuid.uuid4().hex[:12]
    dsn = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=backends)
def case_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a new case can be created: a folder, or an empty PostgreSQL database URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "case")
    else:
        yield from _pg_database()


@pytest.fixture
def case(case_location: str):
    from dadkhah.store import Case

    c = Case.create(case_location, by="tester")
    c.add_source(slug="s1", title="Test list (SYNTHETIC)", kind="ngo_list", reliability="B",
                 synthetic=True, by="tester")
    yield c
    c.close()


def load_script(path: Path) -> ModuleType:
    """A benchmark's or script's file loaded as a module (registered under its file name,
    so that its dataclasses and pickles resolve), for tests that check what it computes."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8",
              delimiter: str = ",") -> Path:
    """Write rows as CSV in ``encoding`` (Python's csv quoting)."""
    import csv
    import io

    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def downgrade(case: Any, revision: str, *, by: str = "t") -> None:
    """Take ``case`` back to schema ``revision`` (Alembic, one transaction), as a test of a
    migration does before upgrading again.  Source copies are removed first: revision 0016
    refuses to downgrade while any is recorded.  A migration's refusal propagates."""
    from alembic import command

    from dadkhah.store._engine import _alembic_config

    for c in case.source_copies():
        case.remove_source_copy(c.source, by=by)
    cfg = _alembic_config()
    with case.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def write_list(folder: Path, fmt: str, header: list[str], rows: list[list[str]]) -> Path:
    """Write a list as ``folder/list.<fmt>``: CSV, XLSX (one sheet) or JSON Lines (one
    object per row, keyed by ``header``)."""
    if fmt == "csv":
        return write_csv(folder / "list.csv", [header, *rows])
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        for row in [header, *rows]:
            ws.append(row)
        path = folder / "list.xlsx"
        wb.save(path)
        return path
    path = folder / "list.jsonl"
    path.write_text("".join(json.dumps(dict(zip(header, r, strict=True)), ensure_ascii=False)
                            + "\n" for r in rows), encoding="utf-8")
    return path


@dataclass(frozen=True)
class ReadingsCase:
    location: str
    readings: list[int]  # the document's records in order: the first checked by a person
    link: Any  # the LinkReport


@pytest.fixture(scope="session")
def readings_case(tmp_path_factory: pytest.TempPathFactory) -> ReadingsCase:
    """A small simulated case (150 persons) plus a saved web page of four entries imported
    as a document (each an unverified machine reading), the first checked by a person;
    normalised and linked (SYNTHETIC).  Tests that change it put it back."""
    from dadkhah.documents import verify_entry
    from dadkhah.ingest import import_file
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.testing import simulated_case
    from tests.documents.test_import_documents import SAVED

    tmp = tmp_path_factory.mktemp("readings")
    sc = simulated_case(tmp / "c", scenario="small", persons=150, seed=3)
    page = tmp / "list.html"
    page.write_text(SAVED, encoding="utf-8")
    sc.case.add_source(slug="web-list", title="Saved web list (SYNTHETIC)", kind="memoir",
                       synthetic=True, by="tester")
    import_file(sc.case, page, source="web-list", by="tester")
    readings = [r.id for r in sc.case.records(source="web-list")]
    assert len(readings) == 4
    verify_entry(sc.case, readings[0], by="checker")
    normalize_case(sc.case, by="tester")
    link = link_case(sc.case, by="tester")
    sc.case.close()
    return ReadingsCase(str(sc.case.location), readings, link)
