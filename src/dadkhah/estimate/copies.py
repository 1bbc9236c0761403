"""Lists that copy other lists: which to count together (:func:`copy_groups`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["copy_groups"]


def copy_groups(copies: Iterable[tuple[str, str]],
                lists: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Groups of lists to count as one list, from ``(copier, copied)`` pairs: each group is
    a list and every list that copies it, directly or through another copy, keyed by its
    members joined with ``+`` (the argument of
    :meth:`~dadkhah.estimate.CaptureHistories.merge_lists`).

    With ``lists`` (the histories' lists), members not among them are left out, members
    keep that order, and a group left with fewer than two members is dropped; without it,
    members are in the order first named, the copied list first.

    >>> copy_groups([("ngo_b", "ngo_a")])
    {'ngo_a+ngo_b': ['ngo_a', 'ngo_b']}
    >>> copy_groups([("b", "a"), ("c", "b"), ("e", "d")], lists=["a", "b", "c", "d", "f"])
    {'a+b+c': ['a', 'b', 'c']}
    """
    parent: dict[str, str] = {}
    order: list[str] = []

    def root(x: str) -> str:
        if x not in parent:
            parent[x] = x
            order.append(x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for copier, copied in copies:
        a, b = root(copied), root(copier)
        if a != b:
            parent[b] = a
    members: dict[str, list[str]] = {}
    for x in (order if lists is None else [x for x in lists if x in parent]):
        members.setdefault(root(x), []).append(x)
    return {"+".join(m): m for m in members.values() if len(m) > 1}
