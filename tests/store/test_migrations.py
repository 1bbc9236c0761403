from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from dadkhah.store import Case
from dadkhah.store._engine import current_revision, head_revision
from dadkhah.store.tables import Base


def test_migrations_create_exactly_the_orm_schema(case_location: str) -> None:
    with Case.create(case_location) as case:
        assert current_revision(case.engine) == head_revision()
        with case.read() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_open_refuses_missing_case(tmp_path) -> None:
    import pytest

    from dadkhah.errors import ConfigError

    with pytest.raises(ConfigError, match="No case at"):
        Case.open(tmp_path / "nothing")


def test_create_refuses_existing_case(case_location: str) -> None:
    import pytest

    from dadkhah.errors import StoreError

    Case.create(case_location).close()
    with pytest.raises(StoreError, match="already exists"):
        Case.create(case_location)
