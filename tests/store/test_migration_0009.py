"""Migration 0009 gives marks made before it a snapshot taken from the register as it stands
(SYNTHETIC data): downgrade a published case to 0008, upgrade it again, compare."""

from __future__ import annotations

from sqlalchemy import text

from dadkhah.linkage import link_case
from dadkhah.portal import publish
from dadkhah.store import Case
from dadkhah.store._engine import head_revision
from dadkhah.testing import simulated_case
from tests.conftest import downgrade

FIELDS = ("name_fa", "name_latin", "birth_year_lo", "death_earliest", "prison_id", "city_id")


def _snapshot(case: Case) -> tuple[list[tuple], list[tuple]]:
    with case.read() as conn:
        persons = conn.execute(text(
            f"SELECT person_id, {', '.join(FIELDS)} FROM published_persons ORDER BY person_id"
        )).all()
        records = conn.execute(text(
            "SELECT person_id, record_id FROM published_records ORDER BY 1, 2")).all()
    return [tuple(r) for r in persons], [tuple(r) for r in records]


def test_upgrade_to_0009_snapshots_existing_marks(tmp_path) -> None:
    sc = simulated_case(tmp_path / "case", scenario="small", persons=150, seed=2)
    case = sc.case
    link_case(case, by="t")
    with case.read() as conn:
        ids = [int(i) for i in conn.execute(
            text("SELECT id FROM persons WHERE status = 'active' ORDER BY id LIMIT 5")).scalars()]
    publish(case, ids, by="t", role="admin")
    before = _snapshot(case)
    assert len(before[0]) == 5 and before[1] and all(p[1] or p[2] for p in before[0])

    downgrade(case, "0008")  # the snapshot columns are dropped
    case.close()
    upgraded = Case.upgrade(tmp_path / "case", by="t")
    assert upgraded.schema_revision() == head_revision()
    assert _snapshot(upgraded) == before  # taken again from the register, unchanged since
    upgraded.close()
