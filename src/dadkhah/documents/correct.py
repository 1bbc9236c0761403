"""Name-aware correction of machine readings: proposals, never silent replacements.

OCR of Persian misreads mostly in known ways: a dot lost or added turns one letter into its
sister (غ→ع, ض→ص, خ/ج→ح, ش→س, ز→ر, ق→ف, پ/ت/ث/ن/ی→ب in the middle of a word), and words
are joined or split.  A :class:`NameCorrector` knows the names it may propose: the name
dictionary of :mod:`dadkhah.names` (given names and surnames, and the parts of
compounds) and the names already in the case (:meth:`NameCorrector.with_names`).  For a
word that is not a known name it looks for known names within a *confusion-aware* edit
cost (a substitution inside one of the classes above costs :data:`CONFUSION_COST`, any
other edit 1) and proposes the cheapest, best-attested one when it is clearly the best; it
also tries joining two words and splitting one.  The reading itself is never changed: a
:class:`Proposal` says what to change and why, and a person (or an explicit option)
accepts it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from dadkhah.names import load_name_dictionary, normalize_persian
from dadkhah.names.normalize import ZWNJ

__all__ = ["CONFUSION_COST", "FieldCorrector", "NameCorrector", "Proposal", "WordChange",
           "confusion_cost", "rasm"]

CONFUSION_CLASSES = ("بپتثنیئ", "جچحخ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ",
                     "هة", "وؤ", "اآأإ")
"""Letters that differ only by dots or a small mark: what OCR confuses most."""
CONFUSION_PAIRS = ("فغ", "قغ", "فع", "دو", "رو", "زو", "هم", "ذد", "رن", "فم", "قی", "حم")
"""Letters of different classes that print alike in the middle of a word (ـفـ ـغـ; ـمـ with a
speck above reads as ـفـ: 6 names of the tuning pages 300-329), or at its end (a final «ی»
read as «ق»: «رضوق», «ریبوارق», 3 names of the tuning pages 400-449)."""
TOOTH_LETTERS = "نتبیز"
"""Letters OCR adds to a word out of a speck or a tooth of the letter beside it
(«مسنعودیان», «شیخ‌منظفرزاده», «صمدنزژاد»: tuning pages 400-449)."""
TOOTH_COST = 0.5
MISREAD_AS = {"ف": "غ"}
"""Letters OCR reads in place of others far more often than the other way round: what a
letter read may have been (the issue's own count: «اصفر» for «اصغر»; 5 names of the
tuning pages 400-449)."""
SISTER_MIN_WEIGHT = 10
"""How often (weight: 5 a name of the case, more for a dictionary name) a name must be
attested for a lexicon word one confusion from it to be read as it."""
CONFUSION_COST = 0.35
MAX_COST = 1.0  # at most one plain edit, or a few confusions
PLAIN_EDIT_MIN_LEN = 99  # words are corrected by confusions only: on the tuning seeds a
# plain edit turned more right names into other names (محمودنژاد → محمدنژاد, ذاکری → شاکری)
# than it mended
SOLAR_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
                "دی", "بهمن", "اسفند")
BOUND_SUFFIXES = frozenset(("پور", "نژاد", "زاده", "کلایی", "نیا", "فر", "وند", "زادگان", "لو"))
"""Endings of surnames that are no name on their own (حسین‌پور، محمدنژاد، نیک‌فر)."""
BOUND_PREFIXES = frozenset(("میر", "حاج", "حاجی", "شیخ", "سید", "استاد", "آقا", "ملا", "بابا",
                            "کربلایی", "مشهدی", "خواجه"))
"""Titles surnames begin with (میرحسینی، حاج‌محمدی، شیخ‌الاسلامی)."""
SURNAME_PIECES = frozenset(("خانی", "آبادی", "بیگی", "بخش", "پناه", "اصل", "مقدم", "فرد", "راد",
                            "منش", "مهر", "کار", "میرزا", "ابوال", "عبدال", "شاه", "نور", "یار",
                            "دوست", "گل", "شیر", "تاج", "پیر"))
"""Other words surnames are built of, before or after a name, that are words of their own
too («زنجانی‌اصل»، «شفیع‌آبادی»، «ابوالقاسمی»، «یارمحمدی»): pieces a surname may be
made of (:meth:`NameCorrector.known`), never proposed alone."""
SPLIT_ENDINGS = frozenset(("اصل", "آبادی", "فر", "پور", "زاده", "نژاد", "نیا", "وند", "لو",
                           "مقدم", "فرد", "راد", "زادگان", "کلایی"))
"""Last pieces of surnames that a full name's third word or later never is alone."""
_CURATED = BOUND_SUFFIXES | BOUND_PREFIXES | SURNAME_PIECES
_INNER_DOT = re.compile(r"(?<=[\u0621-\u06cc])\.(?=[\u0621-\u06cc])")
_CLASS_OF = {ch: i for i, letters in enumerate(CONFUSION_CLASSES) for ch in letters}
_PAIRS = {frozenset(p) for p in CONFUSION_PAIRS}
_RASM = {ch: letters[0] for letters in CONFUSION_CLASSES for ch in letters}


def rasm(word: str) -> str:
    """The word with dots ignored: each letter replaced by the first of its class.

    Examples
    --------
    >>> rasm("اصغر") == rasm("اضعر"), rasm("جواد") == rasm("خواذ")
    (True, True)
    """
    return "".join(_RASM.get(c, c) for c in word)


def confusion_cost(a: str, b: str) -> float:
    """Edit cost from ``a`` to ``b``: substitutions inside a confusion class are cheap."""
    prev = [float(j) for j in range(len(b) + 1)]
    for i, ca in enumerate(a, start=1):
        cur = [float(i)] + [0.0] * len(b)
        for j, cb in enumerate(b, start=1):
            if ca == cb:
                sub = 0.0
            elif _CLASS_OF.get(ca, -1) == _CLASS_OF.get(cb, -2) or frozenset((ca, cb)) in _PAIRS:
                sub = CONFUSION_COST
            else:
                sub = 1.0
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + sub)
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class WordChange:
    """One change inside a proposal: ``before`` → ``after``, its cost and its kind
    (``"letters"``, ``"join"``, ``"split"``)."""

    before: str
    after: str
    cost: float
    kind: str

    def describe(self) -> str:
        return f"{self.before} → {self.after} ({self.kind}, cost {self.cost:.2f})"


@dataclass(frozen=True)
class Proposal:
    """A proposed correction of one field: the reading kept, the text proposed, why."""

    field: str
    reading: str
    proposed: str
    changes: tuple[WordChange, ...]

    @property
    def cost(self) -> float:
        return sum(c.cost for c in self.changes)

    def to_dict(self) -> dict[str, object]:
        return {"field": self.field, "reading": self.reading, "proposed": self.proposed,
                "why": "; ".join(c.describe() for c in self.changes)}

    def summary(self) -> str:
        return f"{self.field}: «{self.reading}» → «{self.proposed}» ({self.to_dict()['why']})"


def _bare(word: str) -> str:
    return normalize_persian(word).replace(ZWNJ, "")


@lru_cache(maxsize=1)
def _dictionary_names() -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, str], ...]]:
    """(name word without ZWNJ, weight) from the name dictionary, compounds and parts; and
    (word without ZWNJ, its spelling with ZWNJ) for the compounds."""
    out: Counter[str] = Counter()
    spell: dict[str, str] = {}
    for e in load_name_dictionary().entries:
        weight = 1 + (e.frequency or 0) // 10_000
        for word in normalize_persian(e.persian).split():
            out[word.replace(ZWNJ, "")] += weight
            if ZWNJ in word:
                spell.setdefault(word.replace(ZWNJ, ""), word)
            for part in word.split(ZWNJ):
                if len(part) > 1 and ZWNJ in word:
                    out[part] += weight
    return tuple(out.items()), tuple(spell.items())


@lru_cache(maxsize=1)
def _given_compounds() -> dict[str, str]:
    """Given names the dictionary writes with a ZWNJ (علی‌اکبر), by their letters alone."""
    return {normalize_persian(e.persian).replace(ZWNJ, ""): normalize_persian(e.persian)
            for e in load_name_dictionary().entries
            if e.kind == "given" and ZWNJ in normalize_persian(e.persian)}


@lru_cache(maxsize=1)
def _given_names() -> frozenset[str]:
    """Given names (the name lexicon's and the name dictionary's), without ZWNJ: what the
    first word of a full name and a father's name should be."""
    from dadkhah.names import load_name_lexicon

    out = {normalize_persian(e.persian).replace(ZWNJ, "")
           for e in load_name_lexicon().entries if e.kind == "given"}
    out |= {normalize_persian(e.persian).replace(ZWNJ, "")
            for e in load_name_dictionary().entries if e.kind == "given"}
    return frozenset(out)


@lru_cache(maxsize=1)
def _given_by_length() -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for g in sorted(_given_names()):
        out.setdefault(len(g), []).append(g)
    return out


_ENDINGS = BOUND_SUFFIXES | {"ی", "یان", "ان"}
_GLUED_ONE = re.compile("^[۱1١](?=[\u0621-\u06cc]{2})")


class NameCorrector:
    """Proposes corrections of name readings against known names.

    ``names`` maps a known name word to its weight (how often it is attested); build one
    with :meth:`default` (the name dictionary) and add the case's names with
    :meth:`with_names`.
    """

    def __init__(self, names: dict[str, int], spellings: dict[str, str] | None = None, *,
                 plain_edit_min_len: int = PLAIN_EDIT_MIN_LEN,
                 parts: Iterable[str] = (), compose: bool = True,
                 surnames: dict[str, int] | None = None) -> None:
        self.names = dict(names)
        # how often each word ends a name of the case (a surname's weight): where a word
        # ending a full name is one confusion from two names alike, the surname is chosen
        self.surnames = dict(surnames or {})
        self.compose = compose
        # pieces surnames are made of that are no name word of their own (the «جبار» of
        # «جبارزاده»): they make a word known when it is built of them, never proposed alone
        self.parts = frozenset(parts) | BOUND_SUFFIXES | BOUND_PREFIXES | SURNAME_PIECES
        self._segmented: dict[str, bool] = {}
        self.plain_edit_min_len = plain_edit_min_len
        self.spellings = dict(spellings or {})  # bare word → spelling with ZWNJ
        self._by_rasm: dict[str, list[str]] = {}
        for w in self.names:
            self._by_rasm.setdefault(rasm(w), []).append(w)
        self._choices = list(self.names)
        self._trie_root: dict[str, Any] | None = None

    @classmethod
    def default(cls) -> NameCorrector:
        names, spellings = _dictionary_names()
        return cls(dict(names), dict(spellings), parts=_lexicon_parts())

    def with_names(self, texts: Iterable[str | None], weight: int = 5) -> NameCorrector:
        """A corrector that also knows the words of ``texts`` (names already in the case)."""
        names = dict(self.names)
        spellings = dict(self.spellings)
        parts = set(self.parts)
        surnames = dict(self.surnames)
        for t in texts:
            if not t:
                continue
            split = normalize_persian(t).split()
            if len(split) > 1:
                last = split[-1].replace(ZWNJ, "")
                surnames[last] = surnames.get(last, 0) + weight
            for word in split:
                if not any("\u0600" <= c <= "\u06ff" for c in word):
                    continue
                if ZWNJ in word:
                    spellings.setdefault(word.replace(ZWNJ, ""), word)
                for w in (word.replace(ZWNJ, ""), *word.split(ZWNJ)):
                    if len(w) > 1:
                        names[w] = names.get(w, 0) + weight
                        parts.update(_roots(w))
        return NameCorrector(names, spellings, plain_edit_min_len=self.plain_edit_min_len,
                             parts=parts, compose=self.compose, surnames=surnames)

    def known(self, word: str) -> bool:
        """A known name word, a ZWNJ compound of known parts («ابراهیم‌پور»), or a word
        written as two known names run together («محمودنژاد», «سرورپور»): surnames are
        built so, and most of them are in no dictionary whole."""
        w = _bare(word)
        if w in self.names:
            return True
        parts = normalize_persian(word).split(ZWNJ)
        if len(parts) > 1 and all(p in self.names for p in parts):
            return True
        return self.compose and self._composed(w)

    def _composed(self, w: str, first: bool = True) -> bool:
        """Whether ``w`` is built of known pieces (:meth:`_piece`): names and parts of
        surnames of three letters or more, titles (میر، حاج، شیخ …) and endings (پور،
        نژاد، زاده، ی …, a «ی» before an ending too: «کلاتی‌نژاد», «سیروانی‌فر»), at
        least two of them."""
        key = w if first else "+" + w
        if key in self._segmented:
            return self._segmented[key]
        ok = False
        if not first and (self._piece(w) or w == "ی"
                          or (w[:1] == "ی" and w[1:] in BOUND_SUFFIXES)):
            ok = True
        else:
            for k in range(2, len(w)):
                if self._piece(w[:k]) and self._composed(w[k:], first=False):
                    ok = True
                    break
        self._segmented[key] = ok
        return ok

    def _piece(self, w: str) -> bool:
        """A piece :meth:`_composed` builds words of: a known name or a part of a surname
        of three letters or more, or a title, ending or piece of :data:`SURNAME_PIECES`.
        Two letters of a lexicon word are no piece («بن», «بی»: «بناهی» read for «پناهی»
        was known as «بن» + «اهی», «وفابی» for «وفایی» as «وفا» + «بی»; tuning pages
        400-479)."""
        return (len(w) >= 3 and (w in self.parts or w in self.names)) or w in _CURATED

    def _best(self, word: str, surname: bool = False) -> WordChange | None:
        """The known name closest to an unknown ``word``, when clearly the closest; for
        the word a full name ends with (``surname``), names equally close are weighed by
        how often they end the case's names («حسنن» → «حسنی», not «حسین»)."""
        w = _bare(word)
        cands: dict[str, float] = {}
        for c in self._by_rasm.get(rasm(w), ()):
            cands[c] = confusion_cost(w, c)
        for c, _, _ in process.extract(w, self._choices, scorer=Levenshtein.distance,
                                       score_cutoff=2, limit=20):
            cands.setdefault(c, confusion_cost(w, c))
        # a letter doubled by OCR («عبااس»)
        undoubled = re.sub(r"(.)\1", r"\1", w)
        if undoubled != w and undoubled in self.names:
            cands[undoubled] = CONFUSION_COST
        plain_ok = len(w) >= self.plain_edit_min_len
        # at most one confusion per four letters: two in a short name make another name
        # (نیکی → بیگی; on the tuning seeds two in a name of five to seven letters mended
        # as many names as they spoiled: عبدالحسنی → عبدالحسین)
        confusions = max(1, len(w) // 4)
        cap = MAX_COST if plain_ok else min(MAX_COST, CONFUSION_COST * confusions + 1e-9)
        by_role = surname and any(self.surnames.get(c, 0) for c in cands)

        def weight(c: str) -> int:
            return self.surnames.get(c, 0) if by_role else self.names[c]

        scored = sorted((cost, -weight(c), c) for c, cost in cands.items()
                        if cost <= cap and (plain_ok or _confusions_only(w, c)
                                            or c == undoubled))
        if not scored:
            return None
        cost, _, best = scored[0]
        # a tie in cost: propose only if one name is far better attested
        if len(scored) > 1 and scored[1][0] == cost and -scored[1][1] * 4 > -scored[0][1]:
            return None
        return WordChange(word, self.spellings.get(best, best), round(cost, 2), "letters")

    def _attested_sister(self, word: str) -> WordChange | None:
        """For a word the case's names and the dictionary never hold whole (known from the
        lexicon or built of pieces), the name they hold at least
        :data:`SISTER_MIN_WEIGHT` times that it becomes with one letter OCR is known to
        misread so (:data:`MISREAD_AS`: a «غ» whose dot merged with the bowl reads as
        «ف»: «اصفری» for «اصغری»), when there is one only."""
        w = _bare(word)
        if w in self.names or len(w) < 4:
            return None

        def strong(x: str) -> bool:
            """A title, an ending, a piece of :data:`SURNAME_PIECES` or a name of three
            letters or more, alone or with an ending."""
            return x in BOUND_PREFIXES or x in BOUND_SUFFIXES or x in SURNAME_PIECES \
                or x in ("ی", "یان", "ان") or self._plainly_known(x)

        def attested(v: str, i: int) -> bool:
            """``v`` a name held often enough, or built of known pieces one of which,
            holding the letter changed, is such a name and was no name as read
            («اصفرنژاد» → «اصغرنژاد»: «اصغر» a name of the case, «اصفر» none; not
            «ملاصفرنژاد», whose «اصغر» would leave «مل»)."""
            if self.names.get(v, 0) >= SISTER_MIN_WEIGHT:
                return True
            return any(
                self.names.get(v[a:b], 0) >= SISTER_MIN_WEIGHT and w[a:b] not in self.names
                and (a == 0 or strong(v[:a])) and (b == len(v) or strong(v[b:]))
                for a in range(i + 1) for b in range(max(i + 1, a + 3), len(v) + 1))

        hits = {v for i, ch in enumerate(w) for x in MISREAD_AS.get(ch, ())
                if attested(v := w[:i] + x + w[i + 1:], i)}
        if len(hits) != 1:
            return None
        best = hits.pop()
        return WordChange(word, self.spellings.get(best, best), CONFUSION_COST, "letters")

    def _sister(self, word: str) -> WordChange | None:
        """:meth:`_attested_sister` of a word, or of one piece of a ZWNJ compound
        («اصفری‌پور» → «اصغری‌پور»: noisy two-column tuning page 548)."""
        if ZWNJ not in word:
            return self._attested_sister(word)
        parts = normalize_persian(word).split(ZWNJ)
        found = [(k, c) for k, p in enumerate(parts) if (c := self._attested_sister(p))]
        if len(found) != 1:
            return None
        k, change = found[0]
        after = ZWNJ.join(change.after if j == k else p for j, p in enumerate(parts))
        return WordChange(word, after, change.cost, "letters")

    def _plainly_known(self, w: str) -> bool:
        """A known name word, or one known name (three letters or more) with a surname's
        ending or title (:data:`BOUND_SUFFIXES`, «ی», «یان», :data:`BOUND_PREFIXES`): the
        plain ways surnames are built, stricter than :meth:`known`'s pieces."""
        if w in self.names:
            return True
        for k in range(2, len(w)):
            a, b = w[:k], w[k:]
            if (len(a) >= 3 and a in self.names and (b in _ENDINGS or (
                    len(b) >= 3 and b in self.names))) or (a in BOUND_PREFIXES and b in self.names):
                return True
        return False

    def _best_variant(self, word: str) -> WordChange | None:
        """An unknown ``word`` with confusable letters changed (one per four letters, as
        :meth:`_best`) into a word :meth:`known` builds of known pieces, when only one such
        word is found: most surnames are in no dictionary whole («قرهنگی» → «فرهنگی»,
        «قادزیان» → «قادریان»), so :meth:`_best` cannot see them."""
        w = _bare(word)
        if len(w) < 4 or not self.compose:
            return None
        sisters = {ch: {x for x in CONFUSION_CLASSES[i] if x != ch} for ch, i in _CLASS_OF.items()}
        for pair in CONFUSION_PAIRS:
            sisters.setdefault(pair[0], set()).add(pair[1])
            sisters.setdefault(pair[1], set()).add(pair[0])
        found: set[str] = set()
        frontier = {w}
        for _ in range(max(1, len(w) // 4)):
            nxt = set()
            for v in frontier:
                for i, ch in enumerate(v):
                    if v[i] != w[i]:
                        continue  # a letter once only
                    for x in sisters.get(ch, ()):
                        nxt.add(v[:i] + x + v[i + 1:])
            hits = {v for v in nxt if self._plainly_known(v)
                    or (self.compose and v in _lexicon_words())}
            if hits:
                found = hits
                break
            frontier = nxt
        if len(found) != 1:
            return None
        best = found.pop()
        return WordChange(word, self.spellings.get(best, best),
                          round(confusion_cost(w, best), 2), "letters")

    def _trie(self) -> dict[str, Any]:
        """The pieces names are built of, as a letter trie (``""`` marks a piece's end and
        holds (piece, weight, may begin a word)): known names of three letters or more,
        the parts of surnames, titles and endings."""
        if self._trie_root is not None:
            return self._trie_root
        root: dict[str, Any] = {}
        pieces: dict[str, tuple[int, bool]] = {}
        for w, n in self.names.items():
            if len(w) >= 3:
                pieces[w] = (n, True)
        for w in self.parts:
            if len(w) >= 2 and w not in pieces:
                # the titles, endings and pieces surnames are known to be built of weigh
                # as a name held often; a piece of a lexicon word only once («یار» of
                # «یارفرجی» over «تار», read «پارفرجی»)
                pieces[w] = (SISTER_MIN_WEIGHT if w in _CURATED else 1, True)
        # the commonest ending never makes a reading less attested than its other pieces
        pieces["ی"] = (10**6, False)
        for w, (n, head) in pieces.items():
            node = root
            for ch in w:
                node = node.setdefault(ch, {})
            node[""] = (w, n, head)
        self._trie_root = root
        return root

    def _best_segmented(self, word: str) -> WordChange | None:
        """An unknown ``word`` read again as known pieces (a known name whole, or names,
        parts of surnames, titles and endings run together, as :meth:`known` builds them)
        with confusable letters changed (:data:`CONFUSION_COST` each, one per four
        letters, as :meth:`_best`) or one letter OCR added out of a speck or a tooth
        dropped (:data:`TOOTH_COST`, in a word of five letters or more): «کبیزراد» →
        «کبیرراد», «قتبروند» → «قنبروند», «مسنعودیان» → «مسعودیان».  A madda is never
        taken away (OCR loses marks, it seldom adds them).  Proposed only when one
        reading is cheapest (or far better attested than its equals)."""
        w = _bare(word)
        if len(w) < 4 or not self.compose:
            return None
        cap = CONFUSION_COST * max(1, len(w) // 4) + 1e-9
        max_del = 1 if len(w) >= 5 else 0
        if max_del:
            cap = max(cap, TOOTH_COST + 1e-9)
        root = self._trie()
        memo: dict[tuple[int, int, bool], list[tuple[float, str, int]]] = {}

        def pieces(i: int, dels: int) -> list[tuple[int, float, int, str, int, bool]]:
            """(end, cost, deletions used, piece, weight, may begin) for pieces at ``i``."""
            out = []
            stack = [(root, i, 0.0, dels)]
            while stack:
                node, j, cost, d = stack.pop()
                if "" in node and j > i:
                    piece, n, head = node[""]
                    out.append((j, cost, d, piece, n, head))
                if j >= len(w):
                    continue
                ch = w[j]
                for x, child in node.items():
                    if not x:
                        continue
                    step = 0.0 if x == ch else CONFUSION_COST if ch != "آ" and (
                        _CLASS_OF.get(x, -1) == _CLASS_OF.get(ch, -2)
                        or frozenset((x, ch)) in _PAIRS) else None
                    if step is not None and cost + step <= cap:
                        stack.append((child, j + 1, cost + step, d))
                if d < max_del and ch in TOOTH_LETTERS and cost + TOOTH_COST <= cap \
                        and node is not root:
                    stack.append((node, j + 1, cost + TOOTH_COST, d + 1))
            return out

        def solve(i: int, dels: int, first: bool) -> list[tuple[float, str, int]]:
            key = (i, dels, first)
            if key in memo:
                return memo[key]
            found: dict[str, tuple[float, int]] = {}
            for j, cost, d, piece, n, head in pieces(i, dels):
                if first and not head:
                    continue
                if not first and len(piece) < 3 and piece not in self.parts and piece != "ی":
                    continue
                if j == len(w):
                    if first and piece not in self.names:
                        continue  # one piece alone is a known name whole
                    rests: list[tuple[float, str, int]] = [(0.0, "", n)]
                else:
                    rests = solve(j, d, False)
                for rc, rt, rn in rests:
                    total = cost + rc + (0.0 if first else 0.01)
                    text = piece + rt
                    if total <= cap and (text not in found or found[text][0] > total):
                        found[text] = (total, min(n, rn))
            best = sorted(((c, t, n) for t, (c, n) in found.items()),
                          key=lambda r: (r[0], -r[2]))[:4]
            memo[key] = best
            return best

        results = [r for r in solve(0, 0, True) if r[1] != w]
        if not results or any(r[1] == w for r in solve(0, 0, True)):
            return None
        cost, best, n = results[0]
        if len(results) > 1 and results[1][0] - cost < 0.05 and results[1][2] * 4 > n:
            return None
        return WordChange(word, self.spellings.get(best, best), round(cost, 2), "letters")

    def propose(self, text: str | None, field: str = "full_name") -> Proposal | None:
        """A proposal for ``text`` (a name as read), or None when every word is known or
        nothing known is close enough."""
        if not text or not any("\u0600" <= c <= "\u06ff" for c in text):
            return None
        # a dot OCR saw between two words («قاسم.عسکرزاده») is a space
        words = _INNER_DOT.sub(" ", text).split()
        out: list[str] = []
        changes: list[WordChange] = []
        i = 0
        while i < len(words):
            w = words[i]
            # a speck or a broken number read as a word of a letter or two before the
            # given name a full name starts with («زر مصطفی ادیبی»): dropped
            if i == 0 and field == "full_name" and len(words) >= 3 \
                    and len(_bare(w)) <= 2 and not self.known(w) \
                    and (_bare(words[1]) in _given_names()
                         or self._best_given(words[1]) is not None):
                changes.append(WordChange(w, "", 1.0, "drop"))
                i += 1
                continue
            # an alef read as the digit one, glued to the letters after it («۱سدالله»)
            if _GLUED_ONE.match(w):
                fixed = _GLUED_ONE.sub("ا", w)
                changes.append(WordChange(w, fixed, CONFUSION_COST, "letters"))
                w = words[i] = fixed
            joined: str | None = None
            # a word surnames begin with that is no given name, read as a word of its own
            # before the name's last word («شیر جمشیدی», «دوست عمرانی»)
            if field == "full_name" and 0 < i == len(words) - 2 \
                    and _bare(w) in SURNAME_PIECES and _bare(w) not in _given_names() \
                    and _bare(w) not in BOUND_PREFIXES:
                joined = f"{w}{ZWNJ}{words[i + 1]}"
            # a title a surname begins with, read as a word of its own (OCR reads the
            # ZWNJ's gap as a space: «حاجی کاظمی» → «حاجی‌کاظمی»); never the name's head
            elif 0 < i < len(words) - 1 and _bare(w) in BOUND_PREFIXES \
                    and _bare(words[i + 1]) not in BOUND_PREFIXES:
                whole = _bare(w + words[i + 1])
                joined = self.spellings.get(whole, w + words[i + 1] if whole in self.names
                                            else f"{w}{ZWNJ}{words[i + 1]}")
            if joined is not None:  # the two words as one, itself corrected
                mended = self.propose(joined, field)
                after = mended.proposed if mended else joined
                out.append(after)
                changes.append(WordChange(f"{w} {words[i + 1]}", after, 0.35, "join"))
                i += 2
                continue
            # a title misread before its ZWNJ («خاجی‌ستاری» → «حاجی‌ستاری»)
            if ZWNJ in w:
                first, _, rest = normalize_persian(w).partition(ZWNJ)
                titles = [t for t in BOUND_PREFIXES
                          if len(t) >= 3 and t != first and _confusions_only(first, t)]
                if len(titles) == 1 and first not in BOUND_PREFIXES \
                        and _bare(first) not in self.names:
                    changes.append(WordChange(w, f"{titles[0]}{ZWNJ}{rest}",
                                              CONFUSION_COST, "letters"))
                    w = words[i] = f"{titles[0]}{ZWNJ}{rest}"
            # a surname's ending misread after its ZWNJ («آرش‌بور» → «آرش‌پور»)
            if ZWNJ in w:
                head, _, tail = normalize_persian(w).rpartition(ZWNJ)
                suffix = _suffix_of(tail) or (None if self.known(tail) else _damaged_suffix(tail))
                if suffix and suffix[1] > 0 and _bare(tail) not in BOUND_SUFFIXES:
                    fixed_head = head if all(self.known(h) for h in head.split(ZWNJ)) \
                        else (self._best_parts(head) or WordChange(head, head, 0, "")).after
                    after = f"{fixed_head}{ZWNJ}{suffix[0]}"
                    sister = self._sister(after)
                    after = sister.after if sister is not None else after
                    out.append(after)
                    changes.append(WordChange(w, after, suffix[1], "letters"))
                    i += 1
                    continue
            # the first word of a name is a given name: a known word that is none (a
            # surname: «صفری») one confusion away from a given name is that name («صغری»)
            if (i == 0 or field == "father_name") and self.known(w) \
                    and _bare(w) not in _given_names() and ZWNJ not in w \
                    and (given := self._best_given(w)) is not None:
                out.append(given.after)
                changes.append(given)
                i += 1
                continue
            # a given name the dictionary writes with ZWNJ, read as two words, at the
            # head of a name of three words or more («علی اکبر رضایی» → «علی‌اکبر …»):
            # OCR reads the ZWNJ's gap as a space; a father's name is one given name, so
            # there two words are enough («علی اصغر» → «علی‌اصغر»)
            if i == 0 and (len(words) > 2 or (field == "father_name" and len(words) == 2)) \
                    and _bare(w + words[1]) in _given_compounds():
                joined = _given_compounds()[_bare(w + words[1])]
                out.append(joined)
                changes.append(WordChange(f"{w} {words[i + 1]}", joined, 0.35, "join"))
                i += 2
                continue
            # a surname's ending that never stands alone, read as a word of its own
            # («لقمان کلایی» → «لقمان‌کلایی»): joined to the word before (never to a name's
            # first word when nothing would be left of the surname)
            if i + 1 < len(words) and (i > 0 or len(words) > 2) \
                    and (suffix := _suffix_of(words[i + 1])) and self.known(w):
                joined = self.spellings.get(_bare(w + suffix[0]), f"{w}{ZWNJ}{suffix[0]}")
                out.append(joined)
                changes.append(WordChange(f"{w} {words[i + 1]}", joined,
                                          round(0.35 + suffix[1], 2), "join"))
                i += 2
                continue
            if self.known(w):
                # a word known from the name lexicon or built of pieces, never met in the
                # case, one confusion from a name the case holds often («اصفری» →
                # «اصغری», «اصفرپور» → «اصغرپور»): the case's name is proposed
                sister = self._sister(w)
                if sister is not None:
                    out.append(sister.after)
                    changes.append(sister)
                else:
                    out.append(w)
                i += 1
                continue
            # two words that are one name split by OCR («میر فخری» → «میرفخری»)
            if i + 1 < len(words) and _bare(words[i + 1]) not in self.names:
                joined = w + words[i + 1]
                if _bare(joined) in self.names or (not self.known(words[i + 1])
                                                   and self.known(joined)):
                    joined = self.spellings.get(_bare(joined), joined)
                    out.append(joined)
                    changes.append(WordChange(f"{w} {words[i + 1]}", joined, 0.5, "join"))
                    i += 2
                    continue
            last = field == "full_name" and i == len(words) - 1 > 0
            best = (self._best(w, surname=last) or self._best_compound(w)
                    or self._best_variant(w) or self._best_segmented(w)) \
                if ZWNJ not in w else self._best_parts(w)
            if best is None and (i == 0 or field == "father_name") and ZWNJ not in w:
                # where a given name stands, the given names only, with a second
                # confusion allowed in a word of four letters or more (مجمذ → محمد)
                best = self._best_given(w, confusions=2 if len(_bare(w)) >= 4 else 1)
            if best:
                sister = self._sister(best.after)
                if sister is not None:
                    best = WordChange(w, sister.after, round(best.cost + sister.cost, 2),
                                      "letters")
                out.append(best.after)
                changes.append(best)
            else:
                # Not split into two known names («علیرضایی» → «علی رضایی»?): surnames
                # are made of names (بهروزبیگی، حامدزاده), and on the tuning seeds every
                # such split was wrong.  :meth:`split` proposes it on request.
                out.append(w)
            i += 1
        # a surname's last piece read as a word of its own after the name's second word or
        # later («زنجانی اصل», «اسماعیل آبادی», «شیخ‌حیدری فر»): a full name ends with
        # one surname, and these pieces never stand for one
        while field == "full_name" and len(out) >= 3 and _bare(out[-1]) in SPLIT_ENDINGS:
            joined = f"{out[-2]}{ZWNJ}{out[-1]}"
            changes.append(WordChange(f"{out[-2]} {out[-1]}", joined, 0.35, "join"))
            out[-2:] = [joined]
        split = _INNER_DOT.sub(" ", text)
        if split != text:
            changes.insert(0, WordChange(text, split, 0.1, "split"))
        proposed = " ".join(out)
        # changes that undo each other (a word dropped then kept, a join the reading had)
        # leave nothing to propose
        if not changes or proposed == text:
            return None
        return Proposal(field, text, proposed, tuple(changes))

    def _best_given(self, word: str, confusions: int = 1) -> WordChange | None:
        """The given name ``confusions`` confusable letters or fewer from ``word`` (same
        length), when there is one only."""
        w = _bare(word)
        hits = {c for c, _, _ in process.extract(w, _given_by_length().get(len(w), []),
                                                 scorer=Levenshtein.distance,
                                                 score_cutoff=confusions, limit=10)
                if _confusions_only(w, c)}
        if len(hits) != 1:
            return None
        best = hits.pop()
        return WordChange(word, self.spellings.get(best, best),
                          round(confusion_cost(w, best), 2), "letters")

    def _best_compound(self, word: str) -> WordChange | None:
        """An unknown word made of two known names, one of them misread, written as one
        («سروریور» → «سرورپور»): surnames are built so (سرور + پور، شاکر + ی)."""
        w = _bare(word)
        found: list[tuple[float, str]] = []
        for k in range(3, len(w) - 1):
            a, b = w[:k], w[k:]
            if len(b) < 3 and b not in BOUND_SUFFIXES:
                continue  # a two-letter ending only when it is one («ستازفر» → «ستارفر»)
            fa = (a, 0.0) if a in self.names or (self.compose and (
                a in self.parts or self._composed(a))) else None
            fb = (b, 0.0) if b in self.names or (self.compose and (
                b in self.parts or self._composed(b))) else None
            if fa is None:
                ca = self._best(a)
                fa = (ca.after.replace(ZWNJ, ""), ca.cost) if ca else None
            if fb is None:
                # a surname's ending first («یور» → «پور», not «نور»)
                cb = self._best(b)
                fb = _suffix_of(b) or ((cb.after.replace(ZWNJ, ""), cb.cost) if cb else None)
            if fa and fb and fa[1] + fb[1] > 0:
                found.append((fa[1] + fb[1], fa[0] + fb[0]))
        if not found:
            return None
        found.sort()
        if len(found) > 1 and found[1][0] == found[0][0] and found[1][1] != found[0][1]:
            return None  # two ways to mend it: say nothing
        cost, fixed = found[0]
        return WordChange(word, fixed, round(cost, 2), "letters")

    def _best_parts(self, word: str) -> WordChange | None:
        """A ZWNJ compound corrected part by part («شهرام‌پون» → «شهرام‌پور»)."""
        whole = self._best(word)
        if whole is not None:
            return whole
        parts = normalize_persian(word).split(ZWNJ)
        fixed, cost = [], 0.0
        for p in parts:
            if p in self.names or p in self.parts:
                fixed.append(p)
                continue
            b = self._best(p) or self._best_compound(p) or self._best_variant(p) \
                or self._best_segmented(p)
            if b is None:
                return self._best_segmented(word)
            fixed.append(b.after)
            cost += b.cost
        return WordChange(word, ZWNJ.join(fixed), round(cost, 2), "letters")

    def split(self, word: str) -> str | None:
        """The word as two known names, when it is one («علیرضایی» → «علی رضایی»)."""
        w = _bare(word)
        best: tuple[int, str] | None = None
        for k in range(2, len(w) - 1):
            a, b = w[:k], w[k:]
            if a in self.names and b in self.names:
                score = min(self.names[a], self.names[b])
                if best is None or score > best[0]:
                    best = (score, f"{a} {b}")
        return best[1] if best else None


_DATE_MARKS = ".:;!؟»«|،,"
_DIGITS = "0-9۰-۹٠-٩"
_ONE_MARKS = ("|", "!", "l", "I", "!|", "|!")


def _tidy_date(value: str) -> str:
    """A date as read, without the marks OCR added around its words («۵.آذر»، «:۱۳۶۷»،
    «۲۳:شهریور»), a lone stroke before a month read as «۱» («| مهر»), and the day put
    before its month where the two came out turned («آبان ۲۷ ۱۳۶۷»)."""
    v = re.sub(rf"(?<=[{_DIGITS}])[.:](?=[\u0621-\u06cc])", " ", value)
    v = re.sub(rf"(?<=[\u0621-\u06cc])[.:](?=[{_DIGITS}])", " ", v)
    words = []
    for w in v.split():
        if w in _ONE_MARKS:
            words.append("۱")
            continue
        core = w.strip(_DATE_MARKS)
        if core:
            words.append(core)
    if len(words) == 3 and words[0] in SOLAR_MONTHS and words[1].isdigit() \
            and words[2].isdigit() and len(words[1]) <= 2:
        words = [words[1], words[0], words[2]]
    return " ".join(words)


def _canonical_place(field: str, value: str, place: Any) -> Proposal | None:
    """The gazetteer's Persian spelling of a place the value names in another way OCR made
    of it (a space for a ZWNJ: «عادل آباد»; a madda: «زندان آوین»), or None when the value
    is already one of its Persian spellings."""
    forms = [place.name_fa, *(a for a in place.aliases
                              if any("\u0600" <= c <= "\u06ff" for c in a))]
    v = normalize_persian(value)
    if any(normalize_persian(f) == v for f in forms):
        return None
    if field == "prison" and not v.startswith("زندان"):
        return None  # «اوین» alone: the list's own way of writing it
    return Proposal(field, value, place.name_fa,
                    (WordChange(value, place.name_fa, 0.35, "letters"),))


def _roots(word: str) -> set[str]:
    """The pieces of a surname from a case: the word without its title and ending
    («میرجبارزاده» → «جبارزاده»، «جبار»)."""
    out: set[str] = set()
    todo = [word]
    while todo:
        w = todo.pop()
        for p in BOUND_PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 3 and w[len(p):] not in out:
                out.add(w[len(p):])
                todo.append(w[len(p):])
        for x in (*BOUND_SUFFIXES, "ی"):
            if w.endswith(x) and len(w) - len(x) >= 3 and w[:-len(x)] not in out:
                out.add(w[:-len(x)])
                todo.append(w[:-len(x)])
    return out


@lru_cache(maxsize=1)
def _lexicon_parts() -> frozenset[str]:
    """The name lexicon's words, and their pieces, without ZWNJ."""
    from dadkhah.names import load_name_lexicon

    out: set[str] = set()
    for e in load_name_lexicon().entries:
        for word in normalize_persian(e.persian).split():
            for w in (word.replace(ZWNJ, ""), *word.split(ZWNJ)):
                if len(w) > 1:
                    out.add(w)
                    out.update(_roots(w))
    return frozenset(out)


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    """The name lexicon's whole words of four letters or more, without ZWNJ (surnames
    such as «اردبیلی» that no name and ending build)."""
    from dadkhah.names import load_name_lexicon

    return frozenset(w for e in load_name_lexicon().entries
                     for w in (x.replace(ZWNJ, "") for x in normalize_persian(e.persian).split())
                     if len(w) >= 4)


def _suffix_of(word: str) -> tuple[str, float] | None:
    """(surname ending, cost) for a word that is one of :data:`BOUND_SUFFIXES`, or one
    with confusable letters changed only («یور» → «پور», «گلایی» → «کلایی»)."""
    w = _bare(word)
    if w in BOUND_SUFFIXES:
        return w, 0.0
    hits = [(confusion_cost(w, x), x) for x in BOUND_SUFFIXES
            if len(w) >= 3 and _confusions_only(w, x)]
    return (hits[0][1], round(hits[0][0], 2)) if len(hits) == 1 else None


def _damaged_suffix(word: str) -> tuple[str, float] | None:
    """(surname ending, cost) for the piece after a ZWNJ that is no known word but one of
    :data:`BOUND_SUFFIXES` of three letters or more with its last letters lost
    («طیب‌نژا», «عبدالرحیم‌پو») or one letter changed, added or lost («سبحان‌نژان»,
    «محمدعلی‌زادو»), when one ending only is so close (not «نیاد»: «نیا» or «نژاد»)."""
    w = _bare(word)
    if len(w) < 2:
        return None
    longer = [x for x in BOUND_SUFFIXES if len(x) >= 3 and x != w]
    # a lost tail first: the commoner damage («نژا» is «نژاد», not «نیا»)
    hits = {x for x in longer if x.startswith(w)}
    if not hits and len(w) >= 3:
        hits = {x for x in longer if Levenshtein.distance(w, x) == 1}
    if len(hits) != 1:
        return None
    best = hits.pop()
    return best, 0.5


def _confusions_only(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with confusable letters changed only (same length, each
    difference inside a confusion class or pair)."""
    return len(a) == len(b) and all(
        x == y or _CLASS_OF.get(x, -1) == _CLASS_OF.get(y, -2) or frozenset((x, y)) in _PAIRS
        for x, y in zip(a, b, strict=True))


class FieldCorrector:
    """Proposals for the other fields a list line holds: prisons and cities against the
    gazetteer's Persian names, and Solar Hijri month names inside dates (مزداد → مرداد),
    by the same confusion-aware cost as names.  Like names, only proposed."""

    def __init__(self) -> None:
        from dadkhah.names import load_gazetteer

        words: dict[str, int] = {}
        for p in load_gazetteer().places.values():
            for t in (p.name_fa, *p.aliases):
                for w in normalize_persian(t).split():
                    if any("\u0600" <= c <= "\u06ff" for c in w):
                        words[w.replace(ZWNJ, "")] = 1
        for w in ("زندان", "مرکزی", "شهر"):
            words[w] = 1
        # a small vocabulary of places far apart: one plain edit («گوهزردشت») is safe here
        self.places = NameCorrector(words, plain_edit_min_len=5, compose=False)
        self.months = NameCorrector({m: 1 for m in SOLAR_MONTHS})

    def propose(self, field: str, value: str | None) -> Proposal | None:
        if not value:
            return None
        if field in ("prison", "city"):
            from dadkhah.names import resolve_place

            found = resolve_place(value, field).place
            if found is not None:
                return _canonical_place(field, value, found)
            prop = self.places.propose(value, field)
            if prop and resolve_place(prop.proposed, field).place is not None:
                return prop
            return None
        if field in ("death_date", "birth_date"):
            from dadkhah.names import fold_digits, try_parse_date

            tidy = _tidy_date(value)
            changes = [] if tidy == value else [WordChange(value, tidy, 0.1, "marks")]
            # strictly: a month name misread («مزداد») is read by linkage, but the text
            # itself is what a person is asked to correct
            if try_parse_date(fold_digits(tidy), misread=False)[0] is not None:
                return Proposal(field, value, tidy, tuple(changes)) if changes else None
            words = tidy.split()
            for i, w in enumerate(words):
                if any("\u0600" <= c <= "\u06ef" for c in w) and w not in SOLAR_MONTHS:
                    best = self.months._best(w)
                    if best:
                        words[i] = best.after
                        changes.append(best)
            if changes:
                return Proposal(field, value, " ".join(words), tuple(changes))
        return None
