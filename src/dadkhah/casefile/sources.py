"""Citation details of a source (shared with the register): date accessed, archived copy."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import update

from dadkhah.access import Viewer
from dadkhah.casefile._common import parse_interval, require_write, resolve, write
from dadkhah.errors import InvalidInput
from dadkhah.store import Case, audit, check_url
from dadkhah.store.restrict import visible_source_id
from dadkhah.store.tables import Source

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def cite_source(case: Case, ref: int | str, *, accessed_at: str | None = None,
                archive_url: str | None = None, archive_sha256: str | None = None,
                by: str, role: str | None = None,
                viewer: Viewer | None = None) -> dict[str, Any]:
    """Set when a source's URL was read (``accessed_at``, any calendar, stored as an ISO
    date) and where an archived copy is (``archive_url``) with that copy's SHA-256.  Values
    left as None are not changed.  Returns the source's citation fields.  ``viewer`` is who
    writes (None: nobody in particular): a source restricted from them gets the answer a
    missing one gets, and nothing is written or returned."""
    require_write(role, f"source {ref}")
    if archive_sha256 is not None and not _SHA256.match(archive_sha256.lower()):
        raise InvalidInput(f"{archive_sha256!r} is not a SHA-256 (64 hex digits).",
                           hint="Hash the archived copy with: sha256sum FILE")
    values: dict[str, Any] = {}
    if accessed_at is not None:
        earliest, latest, _ = parse_interval(accessed_at, "date accessed")
        if earliest != latest:
            raise InvalidInput(f"The date accessed {accessed_at!r} is not one day.",
                               hint="Give the day the page was read, e.g. 2026-11-27.")
        values["accessed_at"] = earliest
    if archive_url is not None:
        values["archive_url"] = check_url(archive_url, "archive URL")
    if archive_sha256 is not None:
        values["archive_sha256"] = archive_sha256.lower()
    with write(case) as conn:
        row = resolve(conn, Source.__table__, visible_source_id(conn, ref, viewer), "source",
                      "List sources with: dadkhah source list")
        if values:
            conn.execute(update(Source).where(Source.id == row.id).values(**values))
            audit.append(conn, by=by, action="source.cite", target=f"source:{row.id}",
                          details={"slug": row.slug, **values})
        row = resolve(conn, Source.__table__, row.id, "source", "")
    return {k: getattr(row, k) for k in ("slug", "title", "url", "citation", "accessed_at",
                                         "archive_url", "archive_sha256", "reliability")}
