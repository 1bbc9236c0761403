"""The case file's tables (migration 0004): actors, roles, events, allegations, evidence,
testimonies, burial sites.  Filled in by the case-file capability (issue #7).

Declared on the same :class:`dadkhah.store._schema.Base` so that one metadata holds the
whole store (``tests/store/test_migrations.py`` compares it with the migrations).
"""

from __future__ import annotations

from dadkhah.store._schema import Base, IdType  # noqa: F401
