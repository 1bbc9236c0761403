"""The report's name list marks every machine transliteration (issue 15; SYNTHETIC data)."""

from __future__ import annotations

from sqlalchemy import text


def test_every_machine_latin_name_is_marked_in_the_name_list(linked, parsed) -> None:
    with linked.case.read() as conn:
        persons = {r.id: (r.name_latin, r.name_latin_origin) for r in conn.execute(text(
            "SELECT id, name_latin, name_latin_origin FROM persons WHERE status = 'active'"))}
    rows = parsed.tables["table-names"].body()
    assert len(rows) == len(persons)
    machine = 0
    for attrs, cells in rows:
        name, origin = persons[int(attrs["data-person"])]
        shown = cells[2].text
        assert shown.startswith(" ".join((name or "").split()))
        assert ("(machine transliteration)" in shown) == (origin == "machine"), shown
        machine += origin == "machine"
    assert 0 < machine < len(rows)
