"""Repair of Persian text taken from a PDF's text layer.

PDFs made by word processors often store Persian as *presentation forms* (ﻋﻠﻰ: one code
point per glyph shape) in *visual* order (left to right as drawn), so an extractor gives the
letters reversed, or gives base letters in visual order; and the zero-width non-joiner
(ZWNJ, U+200C) draws nothing, so it is lost: «علی‌اصغر» comes out «علیاصغر» or «علی اصغر».

* :func:`fold_presentation_forms` maps presentation forms to the base letters (Unicode
  compatibility decomposition, as NFKC, applied to those characters only);
* :func:`visual_to_logical` turns a right-to-left line drawn left to right back into
  reading order, keeping numbers and Latin words left to right;
* :func:`choose_order` decides which of the candidate readings of a line is in reading
  order, from the shapes of presentation forms (a word begins with an initial or isolated
  form) and from the words known to the lexicon (names, places, list words);
* :func:`restore_zwnj` puts back the ZWNJ where the name dictionary spells a word with one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from dadkhah.names import fold_letters, load_gazetteer, load_name_dictionary, normalize_persian
from dadkhah.names.normalize import ZWNJ

__all__ = ["LIST_WORDS", "OrderChoice", "choose_order", "fold_presentation_forms",
           "is_presentation_form", "lexicon", "ocr_words", "restore_zwnj", "visual_to_logical"]

LIST_WORDS = ("فرزند", "زندان", "اعدام", "متولد", "اهل", "ساله", "سال", "شهر", "تاریخ", "نام",
              "پدر", "شهید", "هوادار", "عضو", "سازمان", "در", "و", "به", "از", "سن", "پسر",
              "دختر", "ردیف", "مجاهدین", "فداییان", "توده", "حزب", "اکثریت", "اقلیت",
              "خلق", "پیکار", "راه", "کارگر", "اعدام‌شدگان", "فهرست", "زندانیان", "سیاسی")
"""Words of victim lists beyond names and places, for telling reading order."""

_PF = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_LTR_RUN = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u06f0-\u06f9\u0660-\u0669]"
                      r"(?:[0-9A-Za-z\u00c0-\u024f\u06f0-\u06f9\u0660-\u0669./:\-٫٬]*"
                      r"[0-9A-Za-z\u00c0-\u024f\u06f0-\u06f9\u0660-\u0669])?")
_MIRROR = str.maketrans("()[]{}«»<>", ")(][}{»«><")


def is_presentation_form(ch: str) -> bool:
    """Whether ``ch`` is an Arabic presentation form (U+FB50–FDFF, U+FE70–FEFF)."""
    return bool(_PF.fullmatch(ch))


def fold_presentation_forms(text: str) -> str:
    """Presentation forms to base letters (ﻋﻠﻰ → علی, Persian letter forms); other
    characters unchanged.

    Examples
    --------
    >>> fold_presentation_forms("\ufecb\ufee0\ufef0")
    'علی'
    """
    if not _PF.search(text):
        return text
    # the Arabic letters of the forms (ى ي ك) are written as Persian ones (ی ک), as a
    # Persian document's own letters are
    return _PF.sub(lambda m: fold_letters(unicodedata.normalize("NFKC", m.group())), text)


def visual_to_logical(text: str) -> str:
    """A right-to-left line written left to right as drawn, in reading order again.

    The whole line is reversed, then every run of digits or Latin letters (with the dots,
    slashes and dashes inside it) is turned back, since those runs are drawn left to right
    inside a Persian line; paired brackets are mirrored.  Presentation-form ligatures
    (ﻻ) are folded after the reversal, so their letters keep their order.

    Examples
    --------
    >>> visual_to_logical("۱۳۶۷/۰۵/۱۰ مادعا")
    'اعدام ۱۳۶۷/۰۵/۱۰'
    """
    rev = text[::-1]
    rev = _LTR_RUN.sub(lambda m: m.group()[::-1], rev)
    return fold_presentation_forms(rev.translate(_MIRROR))


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """Known words, normalised without ZWNJ: the name dictionary (each part of a compound
    too), the gazetteer's Persian names and aliases, and :data:`LIST_WORDS`."""
    words: set[str] = set()

    def add(text: str) -> None:
        t = normalize_persian(text)
        for w in t.split():
            words.add(w.replace(ZWNJ, ""))
            words.update(p for p in w.split(ZWNJ) if len(p) > 1)

    for e in load_name_dictionary().entries:
        add(e.persian)
    for p in load_gazetteer().places.values():
        for t in (p.name_fa, *p.aliases):
            if any("\u0600" <= c <= "\u06ff" for c in t):
                add(t)
    for w in LIST_WORDS:
        add(w)
    return frozenset(words)


def ocr_words(names: Iterable[str | None] = ()) -> tuple[str, ...]:
    """Words for Tesseract to prefer: :func:`lexicon` and the words of ``names`` (the
    names already in the case), each as written (with its ZWNJ) and without ZWNJ."""
    words = set(lexicon())
    for t in names:
        for w in normalize_persian(t or "").split():
            if any("\u0600" <= c <= "\u06ff" for c in w):
                words.add(w)
                words.add(w.replace(ZWNJ, ""))
    return tuple(sorted(words))


def _known_share(text: str) -> tuple[int, int]:
    """(known words, Persian words) of ``text`` by :func:`lexicon`."""
    lex = lexicon()
    words = [w.replace(ZWNJ, "") for w in normalize_persian(fold_presentation_forms(text)).split()
             if any("\u0600" <= c <= "\u06ff" for c in w)]
    return sum(w in lex for w in words), len(words)


def _form_votes(text: str) -> int:
    """Positive when presentation forms sit as in reading order (words begin with an
    initial or isolated form and end with a final or isolated one), negative when reversed."""
    votes = 0
    for word in re.findall("[\ufb50-\ufdff\ufe70-\ufeff]{2,}", text):
        first = unicodedata.decomposition(word[0]).split(" ")[0]
        last = unicodedata.decomposition(word[-1]).split(" ")[0]
        votes += (first in ("<initial>", "<isolated>")) - (first in ("<final>", "<medial>"))
        votes += (last in ("<final>", "<isolated>")) - (last in ("<initial>", "<medial>"))
    return votes


@dataclass(frozen=True)
class OrderChoice:
    """The reading chosen among a line's candidates, and why."""

    text: str
    candidate: str  # name of the candidate chosen
    known: int
    words: int
    form_votes: int

    @property
    def known_share(self) -> float:
        return self.known / self.words if self.words else 0.0


def choose_order(candidates: Iterable[tuple[str, str]]) -> OrderChoice:
    """The candidate (name, text) that reads in order: most presentation-form votes, then
    most known words; ties keep the first candidate.  The text chosen has its presentation
    forms folded (after any reversal the candidate already carries)."""
    best: OrderChoice | None = None
    best_key: tuple[int, int] | None = None
    for name, text in candidates:
        votes = _form_votes(text)
        folded = fold_presentation_forms(text)
        known, words = _known_share(folded)
        key = (votes, known)
        if best_key is None or key > best_key:
            best, best_key = OrderChoice(folded, name, known, words, votes), key
    if best is None:
        raise ValueError("choose_order needs at least one candidate")
    return best


@lru_cache(maxsize=1)
def _zwnj_spellings() -> dict[str, str]:
    """Name spelling without ZWNJ → the dictionary's spelling with it (علیاصغر → علی‌اصغر)."""
    out: dict[str, str] = {}
    for e in load_name_dictionary().entries:
        if ZWNJ in e.persian:
            out.setdefault(e.persian.replace(ZWNJ, ""), e.persian)
    return out


_SUFFIXES = ("زاده", "نژاد", "پور", "آبادی", "آباد")


def restore_zwnj(text: str) -> str:
    """Put back the ZWNJ the name dictionary spells a word with, and before the suffixes
    written with one (‌زاده، ‌نژاد، ‌پور، ‌آباد) where the letter before them joins.

    Examples
    --------
    >>> restore_zwnj("حسینزاده") == "حسین\u200cزاده"
    True
    """
    spellings = _zwnj_spellings()
    out = []
    for word in text.split(" "):
        bare = normalize_persian(word)
        if bare in spellings:
            out.append(spellings[bare])
            continue
        for suf in _SUFFIXES:
            head = word[: -len(suf)]
            if (word.endswith(suf) and len(head) >= 2 and head[-1] not in "ادذرزژوآ"
                    and ZWNJ not in word):
                word = head + ZWNJ + suf
                break
        out.append(word)
    return " ".join(out)
