"""The one authorisation rule: a team role is checked against one table; None is the owner."""

from __future__ import annotations

import pytest

from dadkhah.access import OWNER_PERMISSIONS, PERMISSIONS, ROLES, allowed, require
from dadkhah.errors import AccessDenied


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_the_local_owner_holds_the_everyday_permissions_only(permission: str) -> None:
    if permission in ("read", "review", "write"):
        assert allowed(None, permission)
        require(None, permission)
    else:  # publishing, moderating, exporting, revealing, managing: a role must be named
        assert not allowed(None, permission)
        with pytest.raises(AccessDenied, match="'none'"):
            require(None, permission)
    assert set(PERMISSIONS) >= OWNER_PERMISSIONS


@pytest.mark.parametrize("permission", sorted(PERMISSIONS))
def test_the_public_and_unknown_roles_hold_none(permission: str) -> None:
    for role in ("public", "", "root"):
        assert not allowed(role, permission)
        with pytest.raises(AccessDenied) as exc:
            require(role, permission, what="this")
        assert exc.value.hint and "Only these roles may" in exc.value.hint


def test_roles_are_ordered_by_trust() -> None:
    held = [sum(allowed(r, p) for p in PERMISSIONS) for r in ROLES]
    assert held == sorted(held, reverse=True) and held[0] == len(PERMISSIONS)
    assert not allowed("viewer", "write") and allowed("reviewer", "review")


def test_an_unknown_permission_is_a_programming_error() -> None:
    with pytest.raises(KeyError):
        allowed("admin", "fly")
