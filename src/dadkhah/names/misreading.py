"""Persian words as a machine reading of a typed page may give them: dots lost or moved.

Persian letters of one shape differ only by their dots (ب پ ت ث ن ی، ج ح خ چ، د ذ، ر ز ژ،
س ش، ص ض، ط ظ، ع غ، ف ق، ک گ), and OCR of a typed list loses or moves dots: «مرذاد» for
«مرداد», «زنداپ سثندج» for «زندان سنندج», «اویب» for «اوین».  A list does not say that it
was read by a machine, so nothing here depends on knowing it: a word is re-read only when
the vocabulary of the field (month names, place names) lacks it as written and exactly one
word of that vocabulary has its dotless shape.  A misreading that lands on another real
word («مرداد» read as another month) is not repaired: it cannot be told from the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable
from functools import lru_cache

from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.normalize import ZWNJ, has_persian, normalize_persian
from dadkhah.names.rules import load_rules

__all__ = [
    "MISREAD_LIST",
    "MisreadReader",
    "dotless",
    "dotless_name",
    "misread_share",
    "name_misread_share",
    "name_reader",
    "DOMINANT",
    "dictionary_given_names",
    "run_together",
]

MISREAD_LIST = 0.03
"""Share of a list's Persian name words that look misread (the names dictionary lacks them
but knows their dotless shape: :func:`name_misread_share`) from which the list is taken as
read by a machine: its names' dotless shapes may stand for the names
(:data:`dadkhah.linkage.settings.DOTLESS_EQ`) and its unknown name words are read as the
dictionary's and the case's typed lists' (:func:`name_reader`).  Nothing tells dadkhah a
list was OCR'd; its own words do.  On the SYNTHETIC second probe (seed 1) the OCR'd list showed 13%,
the typed Persian lists 0.1-0.4% (the retyped one, with its dropped letters, the most): a
typed list at 3% would have a misread look in one word of thirty."""

# Each letter of a group that differs only by dots is written as the group's first letter.
_GROUPS = ("بپتثنیئ", "جحخچ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ")
_DOTLESS = str.maketrans({c: g[0] for g in _GROUPS for c in g[1:]})
# words as the reader sees them: ZWNJ and punctuation split them («عادل‌آباد» is two)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LEAST = 3  # shorter words have too few letters for their shape to name one word


def dotless(word: str) -> str:
    """The shape of a Persian word with its dots taken away (letters of one shape folded;
    ZWNJ dropped, since OCR loses it too).

    >>> dotless("مرذاد") == dotless("مرداد") == dotless("مژداد")
    True
    >>> dotless("زنداپ") == dotless("زندان"), dotless("حسن") == dotless("حسین")
    (True, False)
    """
    return normalize_persian(word).replace(ZWNJ, "").translate(_DOTLESS)


class MisreadReader:
    """Repairs words of a field against the vocabulary that field is written in.

    >>> r = MisreadReader(["مرداد", "شهریور", "تیر"])
    >>> r.read("۷ مرذاد ۱۳۶۷"), r.read("سهریور"), r.read("تیز")
    ('۷ مرداد ۱۳۶۷', 'شهریور', 'تیر')
    """

    def __init__(self, vocabulary: Iterable[str], *, dominant: float | None = None) -> None:
        """``vocabulary``: the field's words (a word given more often counts more);
        ``dominant``: where several words share a shape, the one given at least this many
        times as often as each other is taken (None: none is)."""
        self._known: set[str] = set()
        counts: dict[str, dict[str, int]] = {}
        for entry in vocabulary:
            for w in _WORD.findall(normalize_persian(entry)):
                if not has_persian(w):
                    continue
                self._known.add(w)
                of_shape = counts.setdefault(dotless(w), {})
                of_shape[w] = of_shape.get(w, 0) + 1
        # a shape two words share says nothing about which was meant, unless one of them
        # is far the more usual
        self._by_shape: dict[str, str] = {}
        for shape, ws in counts.items():
            ranked = sorted(ws.items(), key=lambda kv: -kv[1])
            if len(ranked) == 1 or dominant is not None and \
                    ranked[0][1] >= dominant * ranked[1][1]:
                self._by_shape[shape] = ranked[0][0]

    def word(self, word: str) -> str | None:
        """The vocabulary word ``word`` is a misreading of, or None (known as written, no
        word of its shape, or several)."""
        w = normalize_persian(word)
        if w in self._known or len(w) < _LEAST:
            return None
        return self._by_shape.get(dotless(w))

    def read(self, text: str) -> str:
        """``text`` with each Persian word the vocabulary lacks replaced by the one word of
        the vocabulary that has its dotless shape, where there is one; else unchanged."""
        if not has_persian(text):
            return text
        return _WORD.sub(lambda m: self.word(m.group(0)) or m.group(0), text)


def dotless_name(words: Iterable[str]) -> str | None:
    """The dotless shape of a name part's Persian words run together (spaces and ZWNJ
    dropped: a misreading loses or adds them), or None when no word is in Persian script.

    >>> dotless_name(["چسینی"]) == dotless_name(["حسینی"]) == dotless_name(["خسبنی"])
    True
    >>> dotless_name(["عبدالله", "زاده"]) == dotless_name(["عبدالله‌زاده"])
    True
    >>> dotless_name(["Hosseini"]) is None
    True
    """
    shapes = [dotless(w) for w in words if has_persian(w)]
    return "".join(shapes) or None


def misread_share(words: Iterable[str], known: Callable[[str], bool],
                  shapes: Collection[str]) -> float:
    """Share of a list's Persian name words that look misread: ``known`` lacks them as
    written, but their dotless shape is in ``shapes`` (the shapes of the names the
    dictionary knows).  Typed lists keep it under one word in a hundred (a retyped list of
    SYNTHETIC probe 2, seed 1: 0.4%, with its dropped and swapped letters), a list read by
    OCR from a typed page shows it for every dotted letter it misread (13% there); 0 for a
    list without Persian words."""
    n = misread = 0
    for w in words:
        if not has_persian(w):
            continue
        n += 1
        if not known(w) and dotless(w) in shapes:
            misread += 1
    return misread / n if n else 0.0


@lru_cache(maxsize=1)
def _dictionary_shapes() -> frozenset[str]:
    d = load_name_dictionary()
    return frozenset(dotless(w) for e in d.entries for w in e.persian.split() if has_persian(w))


def name_misread_share(words: Iterable[str]) -> float:
    """:func:`misread_share` of a list's name words against the names dictionary."""
    d = load_name_dictionary()
    return misread_share(words, lambda w: bool(d.lookup(w)), _dictionary_shapes())


DOMINANT = 3.0
"""A name word of a typed list is taken for a misread word of its dotless shape when the
case's typed lists write it at least this many times as often as any other word of that
shape (:func:`name_reader`)."""


def name_reader(typed_words: Iterable[str] = ()) -> MisreadReader:
    """A :class:`MisreadReader` over the Persian words of the names dictionary, the titles
    («سید», «حاج») and ``typed_words``, the name words of the case's lists that do not look
    machine-read (each occurrence counts: where two words share a shape, the one written
    :data:`DOMINANT` times as often is taken), for the names of a list that looks
    machine-read.  The typed lists of a case name many of the same persons, so their
    surnames are the likeliest readings of a misread one the dictionary lacks.

    >>> r = name_reader(["فرخ‌پور"] * 3 + ["حسین"] * 3)
    >>> r.read("فژخ‌پور") == "فرخ‌پور", r.read("چسین")
    (True, 'حسین')
    """
    return MisreadReader([*_dictionary_words(), *typed_words], dominant=DOMINANT)


@lru_cache(maxsize=1)
def _dictionary_words() -> tuple[str, ...]:
    words = [w for e in load_name_dictionary().entries for w in e.persian.split()]
    return (*words, *(t for t in load_rules().titles if has_persian(t)))


def run_together(text: str, given: Collection[str]) -> str | None:
    """A one-word Persian name that is a given name of ``given`` run together with what
    follows it, written as two words («عثمانصادقبخشی» → «عثمان صادقبخشی», «محمدرضامیری» →
    «محمدرضا میری»: the longest given name that leaves three letters or more), or None.
    For the names of a list that looks machine-read, where a lost space runs words
    together; in a typed list a lone «کریمخانی» is a surname.

    >>> run_together("محمدرضامیری", {"محمد", "محمدرضا"}), run_together("رضایی", {"رضا"})
    ('محمدرضا میری', None)
    """
    words = _WORD.findall(normalize_persian(text))
    if len(words) != 1 or not has_persian(words[0]):
        return None
    word = words[0]
    for cut in range(len(word) - _LEAST, _LEAST - 1, -1):
        if word[:cut] in given:
            return f"{word[:cut]} {word[cut:]}"
    return None


@lru_cache(maxsize=1)
def dictionary_given_names() -> frozenset[str]:
    """The given names of the names dictionary as one word each (ZWNJ dropped), for
    :func:`run_together`."""
    return frozenset(normalize_persian(e.persian).replace(ZWNJ, "").replace(" ", "")
                     for e in load_name_dictionary().entries if e.kind == "given")
