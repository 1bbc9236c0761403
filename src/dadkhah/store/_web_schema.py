"""The web application's tables (migration 0005): users and their sessions.
Filled in by the team-workspace part of issue #9.

Declared on the same :class:`dadkhah.store._schema.Base` so that one metadata holds the
whole store.
"""

from __future__ import annotations

from dadkhah.store._schema import Base, IdType  # noqa: F401
