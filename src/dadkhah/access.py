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

**The one rule for** ``role``: every library function that changes or reveals data takes
``role: str | None``, checked here.  ``None`` is the *local owner* of the case — someone
running the CLI or a notebook on their own case folder — and holds the everyday permissions
(:data:`OWNER_PERMISSIONS`: read, review, write).  Acts that reach beyond the case folder —
publishing to the public, moderating the public's submissions, exporting evidence, revealing
protected fields, managing users and keys — are never implied: the caller names the role it
acts under (the CLI's ``--role``), and the audit log records it.  Whoever serves other people
(the web application, the portal) always passes the signed-in user's role, or ``"public"``
for a visitor.  A role never replaces a key: protected fields still need the case's key file.

**Restricted records** (issue 16): a source, record, evidence file or testimony can be
restricted to named users or groups.  Who is reading is a :class:`Viewer`; every reader of
the library takes ``viewer: Viewer | None`` and ``None`` (or :data:`NOBODY`) sees **no**
restricted data, so a caller that forgets to say who is reading hides, never leaks.  Only
an admin may read everything (:attr:`Viewer.sees_all`, permission ``restricted.read_all``),
and only by asking for it explicitly (the CLI's ``--include-restricted``), which is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    "restrict": frozenset({"admin", "editor"}),  # restrict/unrestrict data, manage groups
    "restricted.read_all": frozenset({"admin"}),  # see every restricted object (audited)
}
"""Permission → roles that hold it."""

OWNER_PERMISSIONS: frozenset[str] = frozenset({"read", "review", "write"})
"""What ``role=None``, the local owner working on their own case, may do without naming a role."""


def allowed(role: str | None, permission: str) -> bool:
    """True when ``role`` holds ``permission`` (``None``, the local owner, holds
    :data:`OWNER_PERMISSIONS`); unknown permissions are a programming error."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    if role is None:
        return permission in OWNER_PERMISSIONS
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


@dataclass(frozen=True)
class Viewer:
    """Who is reading, for restricted records: a team member's user name (they see what is
    restricted to them or to a group they belong to), or nobody in particular (``username``
    None: no restricted data at all, the safe default).

    ``sees_all``: every restricted object, for an admin who asked for it (build it with
    :meth:`everything`, which checks the role); the caller audits that read."""

    username: str | None = None
    role: str | None = None
    sees_all: bool = False

    @classmethod
    def everything(cls, username: str | None, role: str | None) -> Viewer:
        """A viewer who sees every restricted object; only an admin may be one."""
        require(role, "restricted.read_all", what="restricted records of other users")
        return cls(username, role, True)

    def summary(self) -> str:
        who = self.username or "nobody in particular"
        return f"{who} ({'all restricted data' if self.sees_all else 'own restrictions only'})"


NOBODY = Viewer()
"""The viewer who sees no restricted data: the public portal, and any caller that does not
say who is reading."""


INTERNAL = Viewer(sees_all=True)
"""For library computations that show none of the data to anyone (whether every source is
synthetic, the input of a linkage run): every record counts.  Never for a reader."""


__all__ = ["INTERNAL", "NOBODY", "OWNER_PERMISSIONS", "PERMISSIONS", "ROLES", "Viewer", "allowed",
           "require"]
