"""Versioned JSON export/import: the 1988 example round-trips; hashes are checked."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dadkhah import casefile as cf
from dadkhah.errors import IntegrityError, StoreError
from dadkhah.store import Case


def _doc(folder: Path) -> dict:
    doc = json.loads((folder / "casefile.json").read_text(encoding="utf-8"))
    assert doc["format"] == "dadkhah-casefile" and doc["version"] == cf.FORMAT_VERSION
    doc.pop("exported_at")
    doc.pop("exported_by")
    return doc


def test_round_trip_of_the_1988_example(example_case: Case, tmp_path: Path) -> None:
    first = cf.export_casefile(example_case, tmp_path / "one", by="t", role="editor")
    assert first.counts["allegations"] == len(cf.list_allegations(example_case)) > 0
    # Import into a fresh case (SQLite: for the PostgreSQL variant this crosses backends),
    # export again: nothing lost or changed.
    with Case.create(str(tmp_path / "fresh"), by="t") as fresh:
        got = cf.import_casefile(fresh, tmp_path / "one", by="t", role="editor",
                                 evidence_dir=tmp_path / "fresh-evidence")
        assert got.counts == first.counts
        cf.export_casefile(fresh, tmp_path / "two", by="t", role="editor",
                           evidence_dir=tmp_path / "fresh-evidence")
        assert fresh.verify_audit().ok
        assert cf.verify_evidence(fresh, by="t",
                                  evidence_dir=tmp_path / "fresh-evidence").ok
    one, two = _doc(tmp_path / "one"), _doc(tmp_path / "two")
    assert one == two
    # The files travel with their hashes.
    for item in one["evidence"]:
        assert (tmp_path / "two" / item["path"]).read_bytes() == \
            (tmp_path / "one" / item["path"]).read_bytes()
    assert json.loads((tmp_path / "one" / "custody.json").read_text())


def test_zip_round_trip(example_case: Case, tmp_path: Path) -> None:
    cf.export_casefile(example_case, tmp_path / "case.zip", by="t", role="admin")
    with Case.create(str(tmp_path / "z"), by="t") as z:
        cf.import_casefile(z, tmp_path / "case.zip", by="t")
        assert len(cf.list_actors(z)) == len(cf.list_actors(example_case))


def test_import_refuses_a_changed_file_and_changes_nothing(example_case: Case,
                                                          tmp_path: Path) -> None:
    cf.export_casefile(example_case, tmp_path / "x", by="t", role="admin")
    item = _doc(tmp_path / "x")["evidence"][1]
    path = tmp_path / "x" / item["path"]
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[10] ^= 0x20
    path.write_bytes(bytes(data))
    with Case.create(str(tmp_path / "y"), by="t") as y:
        with pytest.raises(IntegrityError, match="does not match its SHA-256") as exc:
            cf.import_casefile(y, tmp_path / "x", by="t")
        assert item["original_name"] in exc.value.message
        assert "Nothing was imported" in exc.value.hint
        assert cf.list_actors(y) == [] and cf.list_evidence(y) == [] and y.sources() == []
        assert not (tmp_path / "y" / "evidence").exists() or not any(
            p.is_file() for p in (tmp_path / "y" / "evidence").rglob("*"))


def test_import_refuses_an_unknown_version_and_a_bad_reference(cf_case: Case,
                                                               tmp_path: Path) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "casefile.json").write_text(json.dumps({"format": "dadkhah-casefile",
                                                      "version": 99}))
    with pytest.raises(StoreError, match="version 99"):
        cf.import_casefile(cf_case, folder, by="t")
    (folder / "casefile.json").write_text(json.dumps({
        "format": "dadkhah-casefile", "version": 1,
        "actors": [{"slug": "a", "kind": "person", "name_en": "A (SYNTHETIC)"}],
        "events": [{"slug": "e", "event_type": "decree", "title": "E"}],
        "allegations": [{"accused": "a", "event": "e", "mode": "ordered", "text": "t",
                         "sources": [{"source": "no-such-source"}]}]}))
    with pytest.raises(StoreError, match=r"allegations\[0\].*no-such-source"):
        cf.import_casefile(cf_case, folder, by="t")
    assert cf.list_actors(cf_case) == [] and cf.list_events(cf_case) == []


def test_example_attributes_every_claim(example_case: Case) -> None:
    for a in cf.list_allegations(example_case):
        assert a.sources and a.attributed().startswith("According to ")
    figures = cf.list_figures(example_case)
    assert figures and all(f.sources for f in figures)
    killed = [f for f in figures if f.quantity == "killed" and f.event == "massacre-1988"]
    # Conflicting totals stay side by side, each with its own source.
    assert {"over 1,200 political prisoners were executed", "30,000",
            "2,800 or 3,800 (I doubt which figure is right)"} <= {f.value_text for f in killed}
    assert len({f.sources[0].source for f in killed}) == len(killed)
    court = [a for a in cf.list_allegations(example_case)
             if a.status == "established_by_court"]
    assert court and all(any(c.kind == "court_record" for c in a.sources) for a in court)
    assert all(not s.synthetic for s in example_case.sources()
               if s.slug not in ("ngo", "court"))
