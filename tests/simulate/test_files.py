"""The written files: they import cleanly through the real import, say SYNTHETIC, and the
truth and capture histories agree with what the lists hold."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest

from dadkhah.estimate import CaptureHistories
from dadkhah.ingest import import_file
from dadkhah.simulate import MANIFEST
from dadkhah.store import Case
from tests.simulate.conftest import read_list


@pytest.fixture(scope="module")
def imported(small, tmp_path_factory):
    _sim, man, folder = small
    case = Case.create(tmp_path_factory.mktemp("case") / "c")
    reports = {}
    for lst in man["lists"]:
        case.add_source(slug=lst["id"], title=lst["title"], kind=lst["kind"],
                        reliability=lst["reliability"], synthetic=True)
        reports[lst["id"]] = import_file(case, folder / lst["file"], source=lst["id"])
    yield case, reports
    case.close()


def test_every_list_imports_cleanly_with_detected_mapping(small, imported) -> None:
    sim, man, _ = small
    case, reports = imported
    to_record = {"birth_year": "birth_date", "arrest_date": None}
    for lst, rendered in zip(man["lists"], sim.lists, strict=True):
        rep = reports[lst["id"]]
        assert rep.rows_read == rep.rows_imported == lst["records"] == rendered.size
        assert rep.rows_rejected == 0 and rep.problem_counts == {}
        assert rep.mapping_origin == "detected"
        want = {to_record.get(f, f) for f in rendered.fields} - {None}
        assert set(rep.mapping) == want, lst["id"]
        expected_enc = {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "utf-16": "utf-16",
                        "cp1256": "cp1256", None: None}[lst["encoding"]]
        assert rep.encoding == expected_enc
    assert {s.slug: s.records for s in case.sources()} == \
        {x["id"]: x["records"] for x in man["lists"]}


def test_files_hold_exactly_the_rendered_cells(small) -> None:
    sim, man, folder = small
    for lst, rendered in zip(man["lists"], sim.lists, strict=True):
        rows = read_list(folder / lst["file"], lst["encoding"])
        assert tuple(rows[0]) == rendered.headers
        assert [tuple(r) for r in rows[1:]] == list(rendered.rows())


def test_every_file_is_labelled_synthetic(small) -> None:
    _sim, man, folder = small
    assert man["synthetic"] is True and "SYNTHETIC" in man["notice"]
    assert all(p.name.startswith("SYNTHETIC-") for p in folder.iterdir())
    for lst in man["lists"]:
        rows = read_list(folder / lst["file"], lst["encoding"])
        notes = rows[0].index(lst["columns"]["notes"])
        assert all("SYNTHETIC" in r[notes] for r in rows[1:])
        if lst["format"] == "xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(folder / lst["file"], read_only=True)
            assert "SYNTHETIC" in wb.properties.title and "SYNTHETIC" in wb.sheetnames
            wb.close()
    for name in (man["files"]["truth"], man["files"]["persons"]):
        with (folder / name).open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        assert rows[0][0] == "synthetic" and all(r[0] == "SYNTHETIC" for r in rows[1:])


def test_encodings_are_as_documenters_receive_them(small) -> None:
    _, man, folder = small
    raw = {x["encoding"]: (folder / x["file"]).read_bytes() for x in man["lists"]
           if x["format"] == "csv"}
    assert raw["utf-16"][:2] in (b"\xff\xfe", b"\xfe\xff")
    assert raw["utf-8-sig"][:3] == b"\xef\xbb\xbf"
    with pytest.raises(UnicodeDecodeError):
        raw["cp1256"].decode("utf-8")
    assert "ي" in raw["cp1256"].decode("cp1256")
    assert "ی" in raw["utf-8"].decode("utf-8")


def test_truth_maps_every_record_to_its_person(small) -> None:
    sim, man, folder = small
    with (folder / man["files"]["truth"]).open(encoding="utf-8", newline="") as f:
        truth = list(csv.DictReader(f))
    assert len(truth) == sum(x["records"] for x in man["lists"])
    ids = sim.population.ids()
    for lst in sim.lists:
        rows = [r for r in truth if r["list"] == lst.spec.id]
        assert [int(r["row"]) for r in rows] == list(range(1, lst.size + 1))
        assert [r["person_id"] for r in rows] == list(ids[lst.persons])
        assert [r["file"] for r in rows[:1]] == [lst.spec.file_name]
        assert [r["errors"] for r in rows] == list(lst.error_strings())
        assert sum(int(r["duplicate"]) for r in rows) == int(lst.duplicate.sum())
    mem = sim.truth()
    assert len(mem) == len(truth)
    assert list(mem["person_id"]) == [r["person_id"] for r in truth]
    assert list(mem["row"].astype(str)) == [r["row"] for r in truth]


def test_capture_histories_agree_with_the_truth_file(small) -> None:
    _sim, man, folder = small
    with (folder / man["files"]["truth"]).open(encoding="utf-8", newline="") as f:
        lists_of: dict[str, set[str]] = {}
        for r in csv.DictReader(f):
            lists_of.setdefault(r["person_id"], set()).add(r["list"])
    ids = [x["id"] for x in man["lists"]]
    patterns = Counter(tuple(int(i in s) for i in ids) for s in lists_of.values())
    h = CaptureHistories.from_csv(folder / man["files"]["capture_histories"], synthetic=True)
    assert h.lists == tuple(ids)
    realised = {tuple(p): int(c) for p, c in zip(h.patterns.tolist(), h.counts, strict=True)}
    assert realised == patterns
    assert h.observed == man["observed_persons"] == len(lists_of)
    hp = CaptureHistories.from_csv(folder / man["files"]["capture_histories_by_province"],
                                   by=["province"])
    assert hp.observed == h.observed
    assert h.list_totals() == {x["id"]: x["persons"] for x in man["lists"]}
    # per stratum: observed never above the truth, and the truths add up
    truth = man["true_by_province"]
    assert sum(truth.values()) == man["true_total"]
    strata = dict(hp.by_stratum())
    assert {s[0][1] for s in strata} == set(truth)
    for stratum, hs in strata.items():
        assert 0 < hs.observed <= truth[stratum[0][1]]


def test_estimate_cli_reads_the_capture_histories(small) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    sim, man, folder = small
    res = CliRunner().invoke(app, ["estimate", "--histories",
                                   str(folder / man["files"]["capture_histories"]),
                                   "--method", "chapman", "--lists", "families,ngo_a",
                                   "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    on = sim.captures.on
    assert out["observed"] == int((on[:, 0] | on[:, 1]).sum())
    assert out["diagnostics"]["m"] == int((on[:, 0] & on[:, 1]).sum())


def test_manifest_documents_lists_and_config(small) -> None:
    sim, man, folder = small
    on_disk = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(man, ensure_ascii=False))
    assert man["true_total"] == 5000 and man["scenario"] == "small" and man["seed"] == 1
    assert man["config"]["persons"] == 5000
    for x, lst in zip(man["lists"], sim.lists, strict=True):
        assert x["records"] == lst.size and x["duplicates"] == int(lst.duplicate.sum())
        for kind, r in x["errors_realised"].items():
            assert r["records"] == int(lst.errors[kind].sum())
    assert Path(folder / x["file"]).exists()


def test_stress_files_import_cleanly_too(stress, tmp_path: Path) -> None:
    """Extreme error rates damage names, dates and places, never a row's validity."""
    from dadkhah.simulate import write_simulation

    man = write_simulation(stress, tmp_path / "stress")
    with Case.create(tmp_path / "case") as case:
        for lst in man["lists"]:
            case.add_source(slug=lst["id"], title=lst["title"], kind=lst["kind"],
                            synthetic=True)
            rep = import_file(case, tmp_path / "stress" / lst["file"], source=lst["id"])
            assert rep.rows_imported == lst["records"] and rep.rows_rejected == 0, lst["id"]
