"""Who may do what: the roles of a case team and the permissions each holds.

One table, used by the library (protected testimony fields, evidence export), the CLI and the
web application, so that a permission means the same thing everywhere.  A role is a plain
string; :func:`require` raises :class:`~dadkhah.errors.AccessDenied` with the permission that
was missing, so a refusal always says why.

Roles, from most to least trusted:

``admin``     manages users and keys; everything an editor may do.
``editor``    imports, edits the case file, publishes to the public portal, reads protected
              fields (witness identities, submitters' contact details).
``reviewer``  decides linkage pairs, merges and splits persons, moderates submissions; reads
              everything that is not protected.
``viewer``    reads everything that is not protected; changes nothing.
``public``    the public portal's anonymous visitor: only what is marked public.
"""

from __future__ import annotations

from dadkhah.errors import AccessDenied

ROLES: tuple[str, ...] = ("admin", "editor", "reviewer", "viewer")
"""Roles a team member can hold, most trusted first (``public`` is not a team role)."""

PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset({"admin", "editor", "reviewer", "viewer"}),
    "review": frozenset({"admin", "editor", "reviewer"}),  # linkage decisions, merge/split
    "moderate": frozenset({"admin", "editor", "reviewer"}),  # public submissions
    "write": frozenset({"admin", "editor"}),  # imports, sources, case file
    "publish": frozenset({"admin", "editor"}),  # mark persons/articles public
    "protected.read": frozenset({"admin", "editor"}),  # witness identity, contact details
    "evidence.export": frozenset({"admin", "editor"}),
    "users.manage": frozenset({"admin"}),
    "keys.manage": frozenset({"admin"}),  # rotate the testimony key
}
"""Permission → roles that hold it."""


def allowed(role: str | None, permission: str) -> bool:
    """True when ``role`` holds ``permission``; unknown permissions are a programming error."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return role in PERMISSIONS[permission]


def require(role: str | None, permission: str, *, what: str = "") -> None:
    """Raise :class:`AccessDenied` unless ``role`` holds ``permission``.

    ``what`` names the thing refused (``"testimony 3"``) for the message.
    """
    if not allowed(role, permission):
        holders = ", ".join(r for r in ROLES if r in PERMISSIONS[permission])
        target = f" {what}" if what else ""
        raise AccessDenied(
            f"Role {role or 'none'!r} may not {permission.replace('.', ' ')}{target}.",
            hint=f"Only these roles may: {holders}. Ask an admin to change your role.",
        )


__all__ = ["PERMISSIONS", "ROLES", "allowed", "require"]
