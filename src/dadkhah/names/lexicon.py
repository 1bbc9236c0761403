"""The name lexicon: Persian-script name words with their usual romanisation.

Two packaged files make it: ``data/names.csv`` (the project's name dictionary, whose
preferred spelling always wins) and ``data/name_lexicon.csv`` (built by
``scripts/build_name_lexicon.py`` from openly licensed name lists; sources and licences
are in its header and in ``data/README.md``).  :meth:`NameLexicon.with_examples` grows a
lexicon with (Persian, Latin) pairs seen in a case — a person with a record in each script
(see :func:`dadkhah.register.name_examples.case_name_examples`); it is pure, the
packaged lexicon is never changed.

The convention of the romanisations (press/passport style) is described in
:mod:`dadkhah.names.romanize`.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.keys import name_key, name_tokens
from dadkhah.names.normalize import ZWNJ, has_persian, normalize_persian
from dadkhah.names.rules import read_data_csv

if TYPE_CHECKING:
    from dadkhah.names.romanize_model import GraphoneLM, LatinNameLM, LatinNeighbours

__all__ = ["LexiconEntry", "NameLexicon", "example_word_pairs", "heldout_fold",
           "load_name_lexicon"]

N_FOLDS = 5
# Weight of one lexicon spelling in the n-gram model of Latin names, against 1 for a name
# of the packaged Latin lists (chosen by cross-validation on folds 1-4).
LM_LEXICON_WEIGHT = 20.0
# n-gram order of the joint-sequence model (GraphoneLM; chosen on folds 1-4).
GRAPHONE_ORDER = 4
# n-gram order of the character model of Latin names (LatinNameLM; chosen on folds 1-4).
LM_ORDER = 5


def _lookup(persian: str) -> str:
    return normalize_persian(persian).replace(ZWNJ, "").replace(" ", "")


# Letters some name lists fold or drop (the Wikidata index writes «آبادیان» as «ابادیان»):
# a word not found as written is looked up with them folded too.
_FOLD = str.maketrans({"آ": "ا", "أ": "ا", "إ": "ا", "ئ": "ی", "ؤ": "و", "ء": None})


def _folded(key: str) -> str:
    return key.translate(_FOLD)


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One Persian name word and the romanisation shown for it."""

    persian: str
    latin: str
    kind: str  # given | surname | name
    source: str  # dadkhah | name-variants | finglish | persian-names | case


def heldout_fold(persian: str) -> int:
    """The fold (0–4) of an entry for evaluation: CRC-32 of its normalised Persian spelling
    modulo 5.  Fold 0 is the held-out test split of ``benchmarks/transliteration_bench.py``;
    the spelling alone decides, so the split never changes when entries are added."""
    return zlib.crc32(_lookup(persian).encode("utf-8")) % N_FOLDS


class NameLexicon:
    """Look-up of the romanisation of a Persian name word (spacing and ZWNJ ignored)."""

    def __init__(self, entries: Iterable[LexiconEntry], model_path: str | None = None) -> None:
        """``model_path``: the romanisation model for words no entry or rule covers
        (:mod:`dadkhah.names.romanize_model`); ``None`` = the packaged one."""
        self.model_path = model_path
        table: dict[str, LexiconEntry] = {}
        for e in entries:
            table.setdefault(_lookup(e.persian), e)  # the first entry of a spelling wins
        self._table: Mapping[str, LexiconEntry] = MappingProxyType(table)
        folded: dict[str, LexiconEntry] = {}
        for k, e in table.items():
            folded.setdefault(_folded(k), e)
        self._folded: Mapping[str, LexiconEntry] = MappingProxyType(folded)
        self._vocabulary: Mapping[str, tuple[tuple[str, float], ...]] | None = None
        self._lm: LatinNameLM | None = None
        self._joint: GraphoneLM | None = None
        self._neighbours: LatinNeighbours | None = None

    @property
    def entries(self) -> tuple[LexiconEntry, ...]:
        return tuple(self._table.values())

    def __len__(self) -> int:
        return len(self._table)

    def __contains__(self, persian: object) -> bool:
        return isinstance(persian, str) and self.entry(persian) is not None

    def latin(self, persian: str) -> str | None:
        """The romanisation of a known Persian word, else ``None``.

        A word is found as written (spacing and ZWNJ aside), else with آ أ إ read as ا,
        ئ as ی, ؤ as و and ء dropped, as some lists write names («ابادیان» for
        «آبادیان»)."""
        e = self.entry(persian)
        return e.latin if e else None

    def entry(self, persian: str) -> LexiconEntry | None:
        k = _lookup(persian)
        return self._table.get(k) or self._folded.get(_folded(k))

    def latin_vocabulary(self) -> Mapping[str, tuple[tuple[str, float], ...]]:
        """Known Latin spellings of names by consonant key, for the model's choice among
        readings (:meth:`dadkhah.names.romanize_model.RomanizeModel.romanize`): the
        packaged name lists (:func:`~dadkhah.names.romanize_model.load_latin_names`) plus
        this lexicon's own spellings.  Built on first
        use (about 0.4 s the first time, 0.03 s for another lexicon)."""
        if self._vocabulary is None:
            from dadkhah.names.romanize_model import latin_vocabulary, load_latin_names

            # the lexicon's own spellings count as common names (weight 1)
            spellings = dict(load_latin_names())
            spellings.update((e.latin.lower(), 1.0) for e in self._table.values())
            self._vocabulary = MappingProxyType(latin_vocabulary(spellings))
        return self._vocabulary

    def latin_neighbours(self) -> LatinNeighbours:
        """How this lexicon's words spell their first and last letters, to prefer the
        model's readings that agree with words beginning or ending alike
        (:class:`~dadkhah.names.romanize_model.LatinNeighbours`).  Built on first use."""
        if self._neighbours is None:
            from dadkhah.names.romanize_model import LatinNeighbours

            self._neighbours = LatinNeighbours((e.persian, e.latin)
                                               for e in self._table.values()
                                               if e.kind != "place")
        return self._neighbours

    def latin_lm(self) -> LatinNameLM:
        """A character n-gram model of Latin name spellings, to prefer the model's
        readings that are spelled like names (:class:`~dadkhah.names.romanize_model.LatinNameLM`):
        the packaged name lists (weight 1 each) and this lexicon's spellings (weight
        :data:`LM_LEXICON_WEIGHT` each: they are the style to follow).  Built on first use."""
        if self._lm is None:
            from dadkhah.names.romanize_model import LatinNameLM, load_latin_names

            spellings = [(w, 1.0) for w in load_latin_names()]
            spellings += [(e.latin, LM_LEXICON_WEIGHT) for e in self._table.values()]
            self._lm = LatinNameLM(spellings, LM_ORDER)
        return self._lm

    def graphone_lm(self) -> GraphoneLM:
        """A joint-sequence model of how this lexicon's words spell each Persian letter
        in context (:class:`~dadkhah.names.romanize_model.GraphoneLM`), on its
        (Persian, Latin) pairs in the press convention the CRFs are trained on
        (:func:`~dadkhah.names.romanize_model.training_pairs`).  Built on first use."""
        if self._joint is None:
            from dadkhah.names.romanize_model import GraphoneLM, training_pairs

            self._joint = GraphoneLM(training_pairs(self._table.values()), GRAPHONE_ORDER)
        return self._joint

    def restricted(self, keep: Iterable[str]) -> NameLexicon:
        """A lexicon of only the entries whose Persian spelling is in ``keep``."""
        wanted = {_lookup(p) for p in keep}
        return NameLexicon((e for k, e in self._table.items() if k in wanted), self.model_path)

    def with_model(self, model_path: str | None) -> NameLexicon:
        """The same entries, guesses read by the model at ``model_path``."""
        return NameLexicon(self._table.values(), model_path)

    def with_examples(self, pairs: Iterable[tuple[str, str]], *,
                      min_count: int = 1) -> NameLexicon:
        """A new lexicon with the words of (Persian name, Latin name) examples added.

        Each example is split into words and the words paired where their name keys agree
        (:func:`example_word_pairs`); a Persian word gets the Latin spelling written most
        often for it (ties: alphabetical), if seen at least ``min_count`` times.  Words the
        lexicon already has keep their entry: the case adds names, it does not respell the
        press forms.
        """
        counts: dict[str, Counter[str]] = {}
        spelling: dict[str, str] = {}
        for fa, la in example_word_pairs(pairs):
            k = _lookup(fa)
            if k in self._table:
                continue
            counts.setdefault(k, Counter())[la] += 1
            spelling.setdefault(k, normalize_persian(fa))
        extra = []
        for k, c in sorted(counts.items()):
            latin, n = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if n >= min_count:
                extra.append(LexiconEntry(spelling[k], latin, "name", "case"))
        return NameLexicon([*self._table.values(), *extra], self.model_path)

    def summary(self) -> str:
        by = Counter(e.source for e in self._table.values())
        return f"{len(self)} name words (" + ", ".join(
            f"{s} {n}" for s, n in sorted(by.items())) + ")"


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def example_word_pairs(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Word-level (Persian, Latin) pairs from name-level ones.

    Titles are dropped (:func:`dadkhah.names.keys.name_tokens`); Persian words are matched
    in order with one Latin word, or with two joined (``علی‌اکبر`` / "Ali Akbar" →
    "Aliakbar"), where their name keys agree.  A name whose words cannot all be matched
    gives nothing — a wrong pair would teach a wrong spelling.

    >>> example_word_pairs([("محمود عبدالنظری", "Mahmoud Abdolnazari")])
    [('محمود', 'Mahmoud'), ('عبدالنظری', 'Abdolnazari')]
    """
    out: list[tuple[str, str]] = []
    for fa_name, la_name in pairs:
        if not fa_name or not la_name:
            continue
        fa_words = name_tokens(fa_name)[1]
        la_words = [w for w in name_tokens(la_name)[1] if w.replace("-", "").isalpha()]
        if not fa_words or not la_words or any(
                not has_persian(w) for w in fa_words):
            continue
        got: list[tuple[str, str]] = []
        j = 0
        for w in fa_words:
            k = name_key(w)
            match = None
            for width in (1, 2, 3):
                if j + width > len(la_words):
                    break
                joined = "".join(la_words[j:j + width]).replace("-", "")
                if k and name_key(joined) == k:
                    match = (width, joined)
                    break
            if match is None:
                got = []
                break
            got.append((w, _cap(match[1])))
            j += match[0]
        if got and j == len(la_words):
            out.extend(got)
    return out


@lru_cache(maxsize=1)
def load_name_lexicon() -> NameLexicon:
    """The packaged lexicon (read once, cached): ``names.csv`` first, then
    ``name_lexicon.csv``.

    >>> load_name_lexicon().latin("حسین‌زاده") is None or True
    True
    >>> load_name_lexicon().latin("فریبرز")
    'Fariborz'
    """
    entries = [LexiconEntry(e.persian, e.preferred_latin, e.kind, "dadkhah")
               for e in load_name_dictionary().entries if e.preferred_latin]
    entries += [LexiconEntry(normalize_persian(r["persian"]), r["latin"], r["kind"],
                             r["source"]) for r in read_data_csv("name_lexicon.csv")]
    return NameLexicon(entries)
