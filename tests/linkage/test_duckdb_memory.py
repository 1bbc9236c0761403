"""Linkage's DuckDB runs under a memory limit and spills to a private folder it removes."""

from __future__ import annotations

import gc
import os
import stat
from pathlib import Path

import pytest

from dadkhah.errors import LinkageError
from dadkhah.linkage.run import DUCKDB_MEMORY_ENV, _db_api, _spilled


def _setting(api, name: str) -> str:
    return api._con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def test_the_default_limit_and_a_private_spill_folder_removed_with_the_connection(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DUCKDB_MEMORY_ENV, raising=False)
    api = _db_api("duckdb")
    limit = _setting(api, "memory_limit")
    assert limit.endswith("GiB") and 1.2 < float(limit.split()[0]) < 1.5, limit  # 1.5 GB
    spill = Path(_setting(api, "temp_directory"))
    assert spill.is_dir() and stat.S_IMODE(spill.stat().st_mode) == 0o700
    del api
    gc.collect()
    assert not spill.exists()


def test_the_limit_is_taken_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DUCKDB_MEMORY_ENV, "512MB")
    assert _setting(_db_api("duckdb"), "memory_limit") in ("488.2 MiB", "488.3 MiB")
    monkeypatch.setenv(DUCKDB_MEMORY_ENV, "default")
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    shown = _setting(_db_api("duckdb"), "memory_limit")
    assert shown.endswith("GiB") and float(shown.split()[0]) * 2**30 > 0.5 * total, shown


def test_a_size_duckdb_cannot_read_is_refused_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DUCKDB_MEMORY_ENV, "lots")
    with pytest.raises(LinkageError, match="DADKHAH_DUCKDB_MEMORY='lots'"):
        _db_api("duckdb")


def test_the_stored_vectors_go_to_disk_while_python_clusters_and_come_back(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DUCKDB_MEMORY_ENV, "512MB")
    api = _db_api("duckdb")
    con = api._con
    con.execute("CREATE TABLE v AS SELECT range AS a, range * 2 AS b FROM range(5000000)")

    def held() -> int:
        return con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0]

    before = held()
    assert before > 60 * 2**20  # the table is in DuckDB's memory
    with _spilled(api, "duckdb", object()):
        assert _setting(api, "memory_limit") == "61.0 MiB"
        assert held() <= 64 * 10**6  # written out to the spill folder, memory freed
    assert _setting(api, "memory_limit") in ("488.2 MiB", "488.3 MiB")
    assert con.execute("SELECT sum(b) FROM v").fetchone()[0] == 5000000 * 4999999
    with _spilled(api, "duckdb", None):  # no stored vectors: the limit is left alone
        assert _setting(api, "memory_limit") in ("488.2 MiB", "488.3 MiB")
