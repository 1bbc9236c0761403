"""Restricted records (migration 0015, issue 16): groups of users, and which objects are
restricted to which users or groups.

An object (a source, a source record, an evidence file or a testimony) with at least one
row in ``restrictions`` is *restricted*: only the users named by its rows, and the members
of the groups named, may see it (:mod:`dadkhah.store.restrict` is the one predicate).  Every
table here is under the row-hash triggers, so a restriction removed by editing the database
shows in ``dadkhah audit verify``.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dadkhah.store.tables.core import Base, IdType

RESTRICTABLE_KINDS = ("source", "record", "evidence", "testimony")
"""What can be restricted: a whole source (every record of it), one source record, an
evidence file, a testimony."""


class UserGroup(Base):
    """A named group of team members, to restrict data to."""

    __tablename__ = "user_groups"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class GroupMember(Base):
    """A user's membership of a group."""

    __tablename__ = "user_group_members"

    group_id: Mapped[int] = mapped_column(ForeignKey("user_groups.id"), primary_key=True,
                                          autoincrement=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True,
                                         autoincrement=False)


class Restriction(Base):
    """One user or one group allowed to see a restricted object (exactly one of ``user_id``
    and ``group_id`` is set)."""

    __tablename__ = "restrictions"
    __table_args__ = (Index("ix_restrictions_object", "kind", "object_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # RESTRICTABLE_KINDS
    object_id: Mapped[int] = mapped_column(IdType)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("user_groups.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))
