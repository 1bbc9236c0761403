"""Import lists the name cells it could not read, with their row numbers (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROWS = ["علی رضایی (Ali Rezaei)", "Ali Rezaei / علی رضایی", "???",
        "علی Ali رضایی Rezaei", "پرویز نیک‌نام (SYNTHETIC)", "۱۲۳"]


@pytest.mark.parametrize("dry_run", [True, False])
def test_import_lists_names_it_could_not_read(tmp_path: Path, dry_run: bool) -> None:
    from dadkhah.ingest import import_file
    from dadkhah.register import RecordName, choose_name_forms, normalize_fields
    from dadkhah.store import Case

    case = Case.create(tmp_path / "case")
    case.add_source(slug="t", title="SYNTHETIC test list", kind="other", synthetic=True)
    f = tmp_path / "l.csv"
    f.write_text("name,death date\n" + "".join(f"{n},1367/05/10\n" for n in ROWS),
                 encoding="utf-8")
    rep = import_file(case, f, source="t", dry_run=dry_run)
    got = {(w["row"], w["field"]): w["problem"] for w in rep.name_warnings}
    assert set(got) == {(3, "full_name"), (4, "full_name"), (5, "full_name"),
                        (6, "full_name")}
    assert "SYNTHETIC" in got[(5, "full_name")] and "left out" in got[(5, "full_name")]
    assert "alternate" in got[(4, "full_name")] and "no letters" in got[(3, "full_name")]
    assert "row 3" in rep.summary() and "row 4" in rep.summary()
    assert rep.rows_imported == len(ROWS) and rep.dry_run == dry_run  # rows kept
    case.close()
    # every row with letters keeps a name in the register's choice
    for cell in ROWS:
        forms = choose_name_forms([RecordName(1, cell)])
        has_letters = any(ch.isalpha() for ch in cell if not ch.isdigit())
        assert bool(forms["name_fa"] or forms["name_latin"]) == has_letters, cell
        r = normalize_fields({"full_name": cell})
        assert bool(r["name_fa"] or r["name_latin"]) == has_letters, cell
