"""Small SQL helpers shared by this package's modules (private to the package)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult

from dadkhah.errors import StoreError


def new_id(result: CursorResult[Any]) -> int:
    """The primary key of the one row an ``INSERT`` just wrote."""
    key = result.inserted_primary_key
    if key is None:  # SQLAlchemy types it optional; a single-row insert always has one
        raise StoreError("The database did not report the new row's id.",
                         hint="Report this as a bug, with the database used.")
    new: int = key[0]
    return new
