"""The public portal's tables (migration 0006): public submissions and their moderation,
articles, publication marks.  Filled in by the public-portal part of issue #9.

Declared on the same :class:`dadkhah.store._schema.Base` so that one metadata holds the
whole store.
"""

from __future__ import annotations

from dadkhah.store._schema import Base, IdType  # noqa: F401
