"""Lists the case records as copying other lists, counted together for estimates.

A source that copies another (wholly or in part; :meth:`dadkhah.store.Case.set_source_copy`)
is direct dependence between two lists, which no capture–recapture estimator here models: it
biases the total downwards.  By default every estimate from the case counts such a list
together with the list it copies (:meth:`dadkhah.estimate.CaptureHistories.merge_lists`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from dadkhah.errors import Wording
from dadkhah.estimate import CaptureHistories, copy_groups
from dadkhah.store import Case, SourceCopyInfo

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["CopiedLists", "copied_lists"]


@dataclass(frozen=True)
class CopiedLists:
    """The case's recorded copies between sources (:class:`~dadkhah.store.SourceCopyInfo`)
    and what estimates do with them."""

    copies: tuple[SourceCopyInfo, ...] = ()

    def groups(self, lists: Sequence[str]) -> dict[str, list[str]]:
        """Groups of ``lists`` to count as one (:func:`dadkhah.estimate.copy_groups`)."""
        return copy_groups(((c.source, c.copied) for c in self.copies), lists=lists)

    def apply(self, h: CaptureHistories) -> CaptureHistories:
        """``h`` with each copying list merged with the list it copies (``h`` unchanged when
        no two of its lists are related by a copy)."""
        groups = self.groups(h.lists)
        return h.merge_lists(groups) if groups else h

    def acting(self, lists: Sequence[str] | None = None) -> list[SourceCopyInfo]:
        """The copies an estimate acts on: those between two of ``lists`` (all when None)."""
        return [c for c in self.copies
                if lists is None or (c.source in lists and c.copied in lists)]

    def notes(self, lists: Sequence[str] | None = None, lang: str = "en") -> list[str]:
        """One sentence per copy the estimate acts on (among ``lists`` when given), in
        English or, with ``lang`` "fa", in Persian (:meth:`sentence`)."""
        return [self.sentence(c, lang) for c in self.acting(lists)]

    @staticmethod
    def sentence(copy: SourceCopyInfo, lang: str = "en") -> str:
        """What counting ``copy`` with the list it copies means, in English ("ngo_b counted
        with ngo_a: it copies part of it …") or, with ``lang`` "fa", in Persian: the one
        wording the report, the demo and ``dadkhah estimate`` print."""
        whole = copy.extent == "whole"
        if lang == "fa":
            return (f"{copy.source} همراه با {copy.copied} شمرده شد: "
                    f"{'همهٔ' if whole else 'بخشی از'} آن را رونویسی کرده است "
                    "(dadkhah source show؛ برای جدا شمردنشان: --keep-copies).")
        return (f"{copy.source} counted with {copy.copied}: it copies "
                f"{'all' if whole else 'part'} of it "
                "(dadkhah source show; --keep-copies to count them apart).")

    def wordings(self, lists: Sequence[str] | None = None) -> dict[str, Wording]:
        """Each English :meth:`sentence` of :meth:`notes` with its
        :class:`~dadkhah.errors.Wording` (the catalogue's ``estimate_note.copies_*``, which
        says what :meth:`sentence` says in each language), for an interface to say it in
        its reader's language."""
        return {self.sentence(c): Wording.of(
                    f"estimate_note.copies_{'whole' if c.extent == 'whole' else 'part'}",
                    source=c.source, copied=c.copied)
                for c in self.acting(lists)}

    def __bool__(self) -> bool:
        return bool(self.copies)


def copied_lists(case: Case) -> CopiedLists:
    """The case's recorded copies between sources, for estimates."""
    return CopiedLists(tuple(case.source_copies()))
