"""Migration 0012 gives persons linked before it the origin of their display names
(SYNTHETIC data): downgrade a linked, published case to 0011, upgrade it again, and compare
with what the linkage itself decided."""

from __future__ import annotations

from sqlalchemy import text

from dadkhah.linkage import link_case
from dadkhah.portal import publish
from dadkhah.store import Case
from dadkhah.store._engine import head_revision
from dadkhah.testing import simulated_case
from tests.conftest import downgrade

COLUMNS = "id, name_latin, name_fa_origin, name_latin_origin"


def test_upgrade_to_0012_marks_existing_names(tmp_path) -> None:
    sc = simulated_case(tmp_path / "case", scenario="small", persons=150, seed=2)
    case = sc.case
    link_case(case, by="t")
    with case.read() as conn:
        linked = {r[0]: r for r in conn.execute(text(
            f"SELECT {COLUMNS} FROM persons WHERE status = 'active'"))}
    publish(case, list(linked)[:20], by="t", role="admin")
    downgrade(case, "0011")
    case.close()
    upgraded = Case.upgrade(tmp_path / "case", by="t")
    assert upgraded.schema_revision() == head_revision()
    with upgraded.read() as conn:
        back = {r[0]: r for r in conn.execute(text(
            f"SELECT {COLUMNS} FROM persons WHERE status = 'active'"))}
        published = dict(conn.execute(text(
            "SELECT person_id, name_latin_origin FROM published_persons")).all())
    assert back.keys() == linked.keys()
    machine = [i for i, r in linked.items() if r[3] == "machine"]
    assert machine and all(back[i][3] == "machine" for i in machine)  # never marked written
    agree = sum(back[i][2:] == linked[i][2:] for i in linked)
    assert agree >= 0.95 * len(linked)  # the backfill's SQL is the rule, nearly
    assert all(published[i] == back[i][3] for i in published)
    assert upgraded.verify_audit().ok
    upgraded.close()
