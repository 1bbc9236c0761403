"""Exports round-trip against the store (SYNTHETIC case)."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from sqlalchemy import text

from dadkhah.report.exports import (
    ECW_FIELDS,
    REGISTER_COLUMNS,
    write_every_casualty,
    write_histories,
    write_register,
)


def _store(case) -> tuple[dict[int, set[int]], dict[int, str | None]]:
    with case.read() as conn:
        links: dict[int, set[int]] = {}
        for pid, rid in conn.execute(text("SELECT person_id, record_id FROM person_records")):
            links.setdefault(pid, set()).add(rid)
        names = dict(conn.execute(text(
            "SELECT id, name_fa FROM persons WHERE status = 'active'")).all())
    return links, names


def test_register_csv(linked, tmp_path) -> None:
    links, names = _store(linked.case)
    res = write_register(linked.case, tmp_path / "r.csv", fmt="csv")
    with open(res.path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == REGISTER_COLUMNS and res.rows == len(rows) == len(names)
    for r in rows:
        pid = int(r["person_id"])
        assert {int(x) for x in r["record_ids"].split(";")} == links[pid]
        assert r["name_fa"] == (names[pid] or "")
        assert len(r["source_rows"].split(";")) == len(links[pid])
        assert r["synthetic"] == "True"


def test_register_json_and_xlsx_agree(linked, tmp_path) -> None:
    from openpyxl import load_workbook

    links, _ = _store(linked.case)
    j = write_register(linked.case, tmp_path / "r.json", fmt="json")
    doc = json.loads(j.path.read_text(encoding="utf-8"))
    assert doc["synthetic"] is True and len(doc["persons"]) == len(links)
    for p in doc["persons"]:
        assert {r["record_id"] for r in p["records"]} == links[p["person_id"]]
        assert sorted(set(p["sources"])) == sorted({r["source"] for r in p["records"]})
    x = write_register(linked.case, tmp_path / "r.xlsx", fmt="xlsx")
    wb = load_workbook(x.path, read_only=True)
    assert "SYNTHETIC" in wb["about"]["A2"].value
    prov = list(wb["provenance"].iter_rows(min_row=2, values_only=True))
    got: dict[int, set[int]] = {}
    for pid, rid, *_ in prov:
        got.setdefault(pid, set()).add(rid)
    assert got == links
    reg = list(wb["register"].iter_rows(values_only=True))
    assert reg[0] == REGISTER_COLUMNS and len(reg) - 1 == len(links)


def test_register_format_is_checked(linked, tmp_path) -> None:
    from dadkhah.errors import ConfigError

    with pytest.raises(ConfigError, match="Unknown export format") as exc:
        write_register(linked.case, tmp_path / "r.parquet", fmt="parquet")
    assert exc.value.hint and "xlsx" in exc.value.hint


@pytest.mark.parametrize("by", [(), ("prison",)])
def test_histories_round_trip(linked, tmp_path, by) -> None:
    from dadkhah.estimate import CaptureHistories
    from dadkhah.register import register_histories

    res = write_histories(linked.case, tmp_path / "h.csv", by=by)
    back = CaptureHistories.from_csv(res.path, by=by)
    want = register_histories(linked.case, by=by)
    assert back.lists == want.lists
    assert np.array_equal(back.patterns, want.patterns)
    assert np.array_equal(back.counts, want.counts)
    assert back.strata == want.strata
    header = res.path.read_text().splitlines()[0].split(",")
    assert header == [*want.lists, *by, "count"]  # the R layout: 0/1 per list, then count


def test_every_casualty(linked, tmp_path) -> None:
    _, names = _store(linked.case)
    res = write_every_casualty(linked.case, tmp_path / "ecw.csv", type_of_death="execution")
    with open(res.path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [c for c, _, _ in ECW_FIELDS] == list(rows[0])
    assert len(rows) == len(names)
    for r in rows:
        assert r["name_original"] == (names[int(r["victim_id"])] or "")
        assert r["type_of_death"] == "execution" and r["status"] == "documented"
        assert r["perpetrators"] == ""
    with open(res.extra_files[0], encoding="utf-8", newline="") as fh:
        fields = {r["column"]: r for r in csv.DictReader(fh)}
    for col, f in fields.items():
        filled = sum(1 for r in rows if r[col] != "")
        assert int(f["filled_rows"]) == filled and int(f["blank_rows"]) == len(rows) - filled
        assert f["notes"]
    assert int(fields["perpetrators"]["blank_rows"]) == len(rows)
