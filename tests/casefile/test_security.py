"""Security findings of the review (`../shared/reviews/security-review.md`) that the case file
must hold: URL schemes (W22) and evidence names that climb out of a folder (C7)."""

from __future__ import annotations

import json
import tempfile
import zipfile
from pathlib import Path

import pytest

from dadkhah import casefile as cf
from dadkhah.errors import InvalidInput
from dadkhah.store import Case

JS_URL = "javascript:window.__xss='url1';alert(1)"


def _manifest(folder: Path, **sections: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc: dict[str, object] = {"format": "dadkhah-casefile", "version": cf.FORMAT_VERSION,
                              "sources": [], "actors": [], "roles": [], "burial_sites": [],
                              "events": [], "allegations": [], "evidence": []}
    doc.update(sections)
    (folder / "casefile.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


@pytest.mark.parametrize("url", [JS_URL, " JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                 "file:///etc/passwd", "vbscript:msgbox(1)", "//evil.example",
                                 "https://ok.example/\njavascript:alert(1)"])
def test_a_source_url_must_be_http_or_https(cf_case: Case, url: str) -> None:
    """W22: `source add --url` (Case.add_source) refuses any other scheme, with a hint."""
    with pytest.raises(InvalidInput, match="not a web address") as exc:
        cf_case.add_source(slug="js-url", title="Innocent UN report", kind="un_document",
                           url=url, by="t")
    assert "http://" in (exc.value.hint or "")
    assert "js-url" not in {s.slug for s in cf_case.sources()}
    with pytest.raises(InvalidInput, match="not a web address"):
        cf.cite_source(cf_case, "ngo", archive_url=url, by="t")


def test_a_web_url_is_kept(cf_case: Case) -> None:
    s = cf_case.add_source(slug="un", title="UN report", kind="un_document",
                           url=" https://www.ohchr.org/report?id=1 ", by="t")
    assert s.url == "https://www.ohchr.org/report?id=1"
    assert cf.cite_source(cf_case, "un", archive_url="http://archive.org/x",
                          by="t")["archive_url"] == "http://archive.org/x"


def test_a_case_file_with_a_javascript_url_is_refused(cf_case: Case, tmp_path: Path) -> None:
    """W22 via a partner's case file (work/cf/G-jsurl.zip)."""
    folder = _manifest(tmp_path / "g", sources=[{
        "slug": "partner-report", "title": "Partner report", "kind": "ngo_report",
        "reliability": "B", "url": "javascript:fetch('/team/users')"}])
    with pytest.raises(InvalidInput, match=r"sources\[0\].*partner-report.*not a web"):
        cf.import_casefile(cf_case, folder, by="t")
    assert "partner-report" not in {s.slug for s in cf_case.sources()}


def _crafted(example_case: Case, tmp_path: Path, name: str) -> Path:
    """The example case file, exported, with evidence[0].original_name set to ``name``
    (work/cf/D-origname.zip of the review)."""
    folder = tmp_path / "d"
    cf.export_casefile(example_case, folder, by="t", role="admin")
    doc = json.loads((folder / "casefile.json").read_text(encoding="utf-8"))
    doc["evidence"][0]["original_name"] = name
    (folder / "casefile.json").write_text(json.dumps(doc), encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind", ["absolute", "relative", "backslash", "nul", "dotdot"])
def test_a_case_file_with_a_path_as_evidence_name_is_refused(example_case: Case,
                                                            tmp_path: Path, kind: str) -> None:
    """C7 on import: the entry and the name are named, nothing is imported."""
    name = {"absolute": str(tmp_path / "PWNED-absolute.txt"),
            "relative": "../../PWNED-relative.sh", "backslash": "..\\..\\PWNED.bat",
            "nul": "ok.pdf\x00.sh", "dotdot": ".."}[kind]
    folder = _crafted(example_case, tmp_path, name)
    with Case.create(str(tmp_path / "fresh"), by="t") as fresh:
        with pytest.raises(InvalidInput, match=r"evidence\[0\].*not a plain file name") as exc:
            cf.import_casefile(fresh, folder, by="t", evidence_dir=tmp_path / "fresh-ev")
        assert "nothing was imported" in (exc.value.hint or "")
        assert cf.list_evidence(fresh) == [] and fresh.sources() == []


@pytest.mark.parametrize("name", ["ABSOLUTE", "../../PWNED-relative.sh", "..\\..\\x.sh",
                                  "..", "sub/../../y.txt", "C:evil.txt"])
def test_evidence_export_stays_in_the_folder(example_case: Case, tmp_path: Path,
                                             name: str) -> None:
    """C7 on export: a name already stored (an older version, a direct edit) cannot climb
    out of the chosen folder; the file lands inside it."""
    from sqlalchemy import update

    from dadkhah.store.tables import Evidence

    if name == "ABSOLUTE":
        name = str(tmp_path / "PWNED-absolute.txt")
    item = cf.list_evidence(example_case)[0]
    with example_case.write() as conn:
        conn.execute(update(Evidence).where(Evidence.id == item.id)
                     .values(original_name=name))
    dest = tmp_path / "outdir" / "sub"
    dest.mkdir(parents=True)
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    got = cf.export_evidence(example_case, item.id, dest, by="t", role="admin")
    assert got.parent == dest and got.is_file()
    assert got.name not in ("", ".", "..") and "/" not in got.name and "\\" not in got.name
    new = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    assert new == {got}
    assert not (tmp_path / "PWNED-absolute.txt").exists()


def test_a_case_file_without_the_optional_sections_imports(cf_case: Case,
                                                           tmp_path: Path) -> None:
    """C10: a manifest with only some sections gave a KeyError traceback from the counts."""
    folder = tmp_path / "partial"
    folder.mkdir()
    (folder / "casefile.json").write_text(json.dumps({
        "format": "dadkhah-casefile", "version": 1,
        "actors": [{"slug": "only-actor", "kind": "person", "name_en": "A (SYNTHETIC)"}]}))
    report = cf.import_casefile(cf_case, folder, by="t")
    assert report.counts["actors"] == 1 and report.counts["sources"] == 0
    assert [a.slug for a in cf.list_actors(cf_case)] == ["only-actor"]


def test_a_zip_bomb_is_refused_before_extraction(cf_case: Case, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """C8: E-bomb.zip (1 MB holding 1 GiB) was extracted in full to the temporary folder
    before casefile.json was read.  Here 1 MB holding 128 MiB of zeros."""
    bomb = tmp_path / "E-bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("evidence/big", "w") as f:
        block = bytes(1 << 20)
        for _ in range(128):
            f.write(block)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    with pytest.raises(InvalidInput, match="expand"):
        cf.import_casefile(cf_case, bomb, by="t")
    assert not any(p.is_file() for p in (tmp_path / "tmp").rglob("*"))
