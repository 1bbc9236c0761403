"""A learned romanisation for Persian name words the lexicon lacks: a character CRF.

Persian script writes consonants and long vowels; the short vowels a reader adds
(«فریبرز» → Fariborz) are what a letter-by-letter rule cannot know.  This model learns
them from the name lexicon (:mod:`dadkhah.names.lexicon`):

1. **Alignment.**  Each (Persian, Latin) pair of the lexicon is aligned letter by letter:
   every Persian letter produces one *chunk* of Latin — the letter's own sound as the
   press writes it (ح → h, ش → sh, و → v/ou/o, ی → y/i/ei) followed by the short vowel
   spoken after it, if any: «حسین» / Hossein = ح:ho س:ss ی:ei ن:n.  The sounds each
   letter may take are the table :data:`CORES` below (a dynamic programme picks the
   cheapest segmentation; pairs that cannot be aligned are left out of training).
2. **Tagging.**  Two linear-chain conditional random fields (CRFsuite, through the
   ``python-crfsuite`` binding) predict, for every letter, its sound and the short vowel
   after it, from the letters around it (a window of three on each side, and the position
   in the word); the vowel CRF also reads the sounds the first chose for the letter and its
   neighbours (:func:`vowel_features`).  Sounds are labels, so the model can only write
   sounds letters have.
3. **Choice among known spellings.**  Given a vocabulary of Latin name spellings
   (:func:`load_latin_names`, :meth:`dadkhah.names.NameLexicon.latin_vocabulary`), the
   spellings with the word's consonant key compete with the CRFs' reading, each scored by
   the model's log-probability of its most probable alignment plus a bonus
   (:data:`VOCABULARY_BONUS`, :data:`FREQUENCY_BONUS` × how common the name is): the CRF
   hears «بیژن» as "Bizhan", the vocabulary knows "Bijan".
4. **Spelled like a name.**  The CRFs propose several readings (:meth:`RomanizeModel.readings`,
   from their marginal probabilities), and every candidate also gets :data:`LM_WEIGHT` ×
   its log-probability under a character n-gram model of Latin names
   (:class:`LatinNameLM`, :meth:`dadkhah.names.NameLexicon.latin_lm`): "Nikbakht" rather
   than "Nikbkht".
5. **Spelled as the lexicon spells those letters.**  Every candidate also gets
   :data:`JOINT_WEIGHT` × its log-probability under a joint-sequence model of
   (letter, Latin chunk) pairs (:class:`GraphoneLM`,
   :meth:`dadkhah.names.NameLexicon.graphone_lm`): a generative second opinion beside the
   sharply confident CRFs.
6. **Short vowels as other countries write the name.**  A word that is also a name of the
   Arab world, Afghanistan or Pakistan (``data/arabic_world_names.txt``, Wikidata) has
   its short vowels written there: «مسلم» Muslim, «عرفان» Erfan.  Those spellings, read in
   the press convention (:func:`arabic_world_readings`: short u → o, short i → e), are
   proposed as readings, and every candidate gains :data:`ARABIC_WORLD_WEIGHT` × the log
   of the (smoothed) share of them whose short vowels it has.  A final ی most of them
   read a (the Arabic alef maqsura: «موسی» Musa, «مصطفی» Mustafa;
   :data:`ALEF_MAQSURA_SHARE`) is read a, unless the caller knows the word's ا spelling
   as another name («لیلی» Leili beside «لیلا» Leila).  A Persian given name of the
   PNGT-26K list (``data/persian_given_names.txt``, Apache-2.0) has its short vowels
   written there too («ندا» neda, «المیرا» elmira): its spellings
   (:func:`persian_list_readings`) are proposed the same way and weigh
   :data:`PERSIAN_LIST_WEIGHT` × the same log share.
7. **The reading nearest the others.**  The scores, read as probabilities
   (:data:`MBR_TEMPERATURE`), pick the candidate with the fewest expected edits from the
   rest (minimum Bayes risk) rather than the best-scored one: where the scorers hesitate
   between spellings, one a letter away from most of the likely ones wins.

The trained model is two small files (``data/romanize_model.core.crfsuite`` and
``.vowel.crfsuite``) built by ``scripts/build_romanize_model.py``; they load in
milliseconds and tag a word in tens of microseconds.  ``pycrfsuite`` is imported only
when a word actually needs the model, so commands that never romanise start without it.
"""

from __future__ import annotations

import math
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from rapidfuzz.distance import Levenshtein

from dadkhah.names.normalize import ZWNJ, normalize_persian

__all__ = ["ALEF_MAQSURA_SHARE", "ARABIC_WORLD_PROPOSALS", "ARABIC_WORLD_WEIGHT", "CORES",
           "CRF_C1", "CRF_C2",
           "FEATURES", "FREQUENCY_BONUS", "JOINT_WEIGHT",
           "LIST_DETAIL_WEIGHT", "LM_WEIGHT", "MBR_TEMPERATURE",
           "NEIGHBOUR_WEIGHT", "PERSIAN_LIST_PROPOSALS", "PERSIAN_LIST_WEIGHT",
           "VOCABULARY_BONUS", "GraphoneLM", "LatinNameLM",
           "LatinNeighbours",
           "RomanizeModel", "TRAINING_VERSION", "align",
           "align_parts", "alignments", "arabic_world_readings", "graphones",
           "latin_vocabulary", "load_latin_names", "load_romanize_model", "persian_list_readings",
           "press_style", "SYLLABLE_GUARD", "sayable", "train_romanize_model", "training_pairs",
           "vowel_features", "word_features"]

# Log-probability added to a reading that is a known Latin spelling of a name (chosen by
# cross-validation on folds 1-4 of the lexicon; see data/README.md).
VOCABULARY_BONUS = 3.0
# Added on top, times the spelling's weight (how common the name is, 0-1).
FREQUENCY_BONUS = 2.0
# Weight of the character n-gram model of Latin names (LatinNameLM) when the readings of
# a word are compared: 0 switches it off (chosen by cross-validation on folds 1-4).
LM_WEIGHT = 0.2
# Weight of the agreement of a candidate with the lexicon's neighbours of the word
# (LatinNeighbours) in its score; 0 switches it off (chosen on folds 1-4).
NEIGHBOUR_WEIGHT = 0.0
# Longest beginning or ending (in letters) that neighbours are looked up by.
NEIGHBOUR_SPAN = 6
# Word-shape features of the CRFs (word_features); the packaged model is trained with them.
SHAPE_FEATURES = False
# Features of a candidate spelling of a word (RomanizeModel.candidates), in this order.
FEATURES = ("crf", "lm", "known", "known_weight", "lm_per_letter", "crf_best", "crf_gap",
            "joint")
# Weight of the joint-sequence model of (letter, Latin chunk) pairs (GraphoneLM) in a
# candidate's score; 0 switches it off (chosen by cross-validation on folds 1-4).
JOINT_WEIGHT = 0.3
# Choose the candidate with the fewest expected edits from the others (minimum Bayes
# risk; a candidate's probability exp(score / MBR_TEMPERATURE), normalised) rather than
# the best-scored one; 0 = the best-scored (1.5 chosen on folds 1-4: exact unchanged,
# within one edit up; see data/README.md).
MBR_TEMPERATURE = 1.5
# Weight of the short vowels other countries write for the name (arabic_world_readings)
# in a candidate's score, and how many of their spellings are proposed as readings; 0
# switches them off (chosen on folds 1-4: see data/README.md).
ARABIC_WORLD_WEIGHT = 3.0
ARABIC_WORLD_PROPOSALS = 3
# A final ی that at least this share of those spellings read a (Arabic alef maqsura:
# «موسی» Musa, «مصطفی» Mustafa) is read a: only the candidates ending in a compete;
# 0 switches the rule off.
ALEF_MAQSURA_SHARE = 0.5
# Whether a word ending in ا also takes the spellings of the same word ending in the
# Arabic alef maqsura (ي in the list) that end in a: «هدا» Hoda as «هدی» Huda.
ALEF_WRITTEN_A = True
# Weight of the short vowels the PNGT-26K list of Persian given names writes for the word
# (persian_list_readings) in a candidate's score, and how many of its spellings are
# proposed as readings; 0 switches them off (chosen on folds 1-4: 85.5% -> 90.2% exact on
# the earlier sources, none changed among the fold words the list lacks; data/README.md).
PERSIAN_LIST_WEIGHT = 12.0
PERSIAN_LIST_PROPOSALS = 2
# Readings the joint-sequence model proposes beside the CRFs' (GraphoneLM.readings, its
# best JOINT_BEAM by a beam search); 0 = the CRFs' readings only.
JOINT_BEAM = 0
# Readings the CRFs propose for a word: the best NBEST_BEAM sequences over the NBEST_K
# most probable sounds and vowels of each letter (their marginal probabilities).
NBEST_K = 3
NBEST_BEAM = 8

# Latin sounds each Persian letter may stand for in press/passport romanisation, most
# usual first (an earlier one is cheaper in the alignment).  "" = silent.
CORES: dict[str, tuple[str, ...]] = {
    "ا": ("a", "aa", "", "e", "o", "i", "u"),
    "آ": ("a", "aa"),
    "ب": ("b", "bb"),
    "پ": ("p", "pp"),
    "ت": ("t", "tt"),
    "ث": ("s", "ss", "th"),
    "ج": ("j", "jj", "dj", "g"),
    "چ": ("ch", "tch", "tsch"),
    "ح": ("h", "hh", ""),
    "خ": ("kh", "x", "h"),
    "د": ("d", "dd"),
    "ذ": ("z", "zz", "dh", "d"),
    "ر": ("r", "rr"),
    "ز": ("z", "zz"),
    "ژ": ("zh", "j", "jh"),
    "س": ("s", "ss"),
    "ش": ("sh", "ch", "sch"),
    "ص": ("s", "ss"),
    "ض": ("z", "zz", "d"),
    "ط": ("t", "tt"),
    "ظ": ("z", "zz"),
    "ع": ("", "'", "a", "e", "o", "i"),
    "غ": ("gh", "q", "g"),
    "ف": ("f", "ff", "ph"),
    "ق": ("gh", "q", "g", "k", "qq"),
    "ک": ("k", "kk", "c", "ck"),
    "گ": ("g", "gg"),
    "ل": ("l", "ll"),
    "م": ("m", "mm"),
    "ن": ("n", "nn"),
    "و": ("v", "ou", "o", "u", "oo", "w", "ow", "vv", "av", "ov", ""),
    "ه": ("h", "eh", "e", "", "a", "ah", "hh"),
    "ی": ("i", "y", "ei", "ey", "ee", "yy", "ay", "ai", "ie", "iy", "e", ""),
    "ء": ("", "'"),
    "ئ": ("", "'", "e", "y", "i"),
    "ؤ": ("o", "v", "'"),
    "أ": ("a", "", "o", "e"),
    "إ": ("e", "i"),
    "ة": ("eh", "e", "at", "a"),
}
_VOWELS = ("", "a", "e", "o", "i", "u", "ou", "ei", "aa", "ee", "oo")


def _clean_latin(latin: str) -> str:
    return re.sub(r"[^a-z']", "", latin.lower().replace("’", "'"))


def _clean_persian(persian: str) -> str:
    return normalize_persian(persian).replace(ZWNJ, "").replace(" ", "")


def align(persian: str, latin: str) -> list[str] | None:
    """Latin chunk of each Persian letter (see :func:`align_parts`), or ``None``.

    Examples
    --------
    >>> align("حسین", "Hossein")
    ['ho', 'ss', 'ei', 'n']
    >>> align("فریبرز", "Fariborz")
    ['fa', 'r', 'i', 'bo', 'r', 'z']
    """
    parts = align_parts(persian, latin)
    return None if parts is None else [c + v for c, v in parts]


def align_parts(persian: str, latin: str) -> list[tuple[str, str]] | None:
    """(sound of the letter, short vowel after it) for each Persian letter, or ``None``
    where the pair cannot be aligned.

    >>> align_parts("فریبرز", "Fariborz")
    [('f', 'a'), ('r', ''), ('i', ''), ('b', 'o'), ('r', ''), ('z', '')]
    """
    fa, la = _clean_persian(persian), _clean_latin(latin)
    n, m = len(fa), len(la)
    if not n or not m:
        return None
    inf = float("inf")
    # best[i][j]: cost of aligning fa[:i] with la[:j]; back pointers to the chunk
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, str, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for i in range(n):
        cores = CORES.get(fa[i], ("",))
        for j in range(m + 1):
            c0 = best[i][j]
            if c0 == inf:
                continue
            for ci, core in enumerate(cores):
                if not la.startswith(core, j):
                    continue
                j1 = j + len(core)
                for vi, vow in enumerate(_VOWELS):
                    if not la.startswith(vow, j1):
                        continue
                    j2 = j1 + len(vow)
                    cost = c0 + ci * 0.5 + (0.8 + 0.2 * vi if vow else 0.0)
                    if cost < best[i + 1][j2]:
                        best[i + 1][j2] = cost
                        back[i + 1][j2] = (j, core, vow)
    if best[n][m] == inf:
        return None
    parts: list[tuple[str, str]] = []
    j = m
    for i in range(n, 0, -1):
        bp = back[i][j]
        assert bp is not None
        j, core, vow = bp
        parts.append((core, vow))
    return parts[::-1]


def alignments(persian: str, latin: str, limit: int = 64) -> list[list[tuple[str, str]]]:
    """Every way (up to ``limit``) to read ``latin`` as (sound, short vowel) per Persian
    letter, as :func:`align_parts` but not only the cheapest: «یحیی» / Yahya is
    y·a h ی·"" y·a by the cheapest cut, and the model prefers y·a h y a·"".

    >>> len(alignments("حسین", "Hossein")) > 1
    True
    """
    fa, la = _clean_persian(persian), _clean_latin(latin)
    n, m = len(fa), len(la)
    if not n or not m:
        return []
    # steps[i][j]: the (core, vowel, next j) from letter i at Latin position j
    steps: list[list[list[tuple[str, str, int]]]] = [[[] for _ in range(m + 1)]
                                                     for _ in range(n)]
    for i in range(n):
        for j in range(m + 1):
            for core in CORES.get(fa[i], ("",)):
                if la.startswith(core, j):
                    j1 = j + len(core)
                    steps[i][j].extend((core, v, j1 + len(v)) for v in _VOWELS
                                       if la.startswith(v, j1))
    # done[i][j]: letters i.. can read la[j:] exactly
    done = [[False] * (m + 1) for _ in range(n + 1)]
    done[n][m] = True
    for i in range(n - 1, -1, -1):
        for j in range(m + 1):
            done[i][j] = any(done[i + 1][j2] for _, _, j2 in steps[i][j])
    out: list[list[tuple[str, str]]] = []
    path: list[tuple[str, str]] = []

    def walk(i: int, j: int) -> None:
        if len(out) >= limit:
            return
        if i == n:
            out.append(list(path))
            return
        for core, vow, j2 in steps[i][j]:
            if done[i + 1][j2]:
                path.append((core, vow))
                walk(i + 1, j2)
                path.pop()

    if done[0][0]:
        walk(0, 0)
    return out


def word_features(persian: str) -> list[list[str]]:
    """CRF features of each letter of a (cleaned) Persian word."""
    fa = _clean_persian(persian)
    n = len(fa)
    pad = "^^^" + fa + "$$$"
    shape = _shape(fa)
    feats = []
    for i in range(n):
        p = i + 3
        f = [
            "b", f"c={pad[p]}", f"p1={pad[p - 1]}", f"n1={pad[p + 1]}",
            f"p2={pad[p - 2:p]}", f"n2={pad[p + 1:p + 3]}",
            f"w3={pad[p - 1:p + 2]}", f"pc={pad[p - 1:p + 1]}", f"cn={pad[p:p + 2]}",
            f"w5={pad[p - 2:p + 3]}", f"l3={pad[p - 3:p + 1]}", f"r3={pad[p:p + 4]}",
            f"pos={min(i, 3)}", f"rpos={min(n - 1 - i, 3)}", f"len={min(n, 8)}",
        ]
        if SHAPE_FEATURES:
            # where the letter sits in the word's shape: Arabic-origin words follow vowel
            # patterns (iftiʿāl «احترام» Ehteram, «اجتهاد» Ejtehad; mafʿūl «منصور» Mansour)
            # that a window of letters sees only in part
            f += [f"sh={shape}|{i}", f"psh={shape[:5]}|{min(i, 5)}",
                  f"ssh={shape[-5:]}|{min(n - 1 - i, 5)}"]
        feats.append(f)
    return feats


# Letters kept as themselves in a word's shape (long vowels, silent h, and the letters
# Arabic patterns add: ت of taf'il/ifti'al, م of maf'ul); the others are C.
_SHAPE_KEEP = frozenset("اآویهتم")


def _shape(fa: str) -> str:
    return "".join(ch if ch in _SHAPE_KEEP else "C" for ch in fa)


def vowel_features(feats: list[list[str]], cores: list[str]) -> list[list[str]]:
    """Features of the vowel CRF: the letter features plus the sounds of the letter and
    its neighbours (gold in training, predicted by the sound CRF when romanising), so the
    vowel agrees with the sound chosen (و read "ou" takes no vowel after it, "v" may)."""
    n = len(cores)
    out = []
    for i, f in enumerate(feats):
        prev = cores[i - 1] if i else "^"
        nxt = cores[i + 1] if i + 1 < n else "$"
        out.append([*f, f"k={cores[i]}", f"kp={prev}", f"kn={nxt}",
                    f"kpk={prev}|{cores[i]}", f"kkn={cores[i]}|{nxt}",
                    f"kc={cores[i]}|{f[1]}"])
    return out


# Bumped when what training_pairs gives changes (cached cross-validation models key on it).
TRAINING_VERSION = 2
# Train on press-style spellings (see :func:`press_style`); False = as the lexicon writes them.
NORMALISE_TRAINING = True
# Times a name of the press-style sources (names.csv, the given-name lists: every source
# but those of MIXED_SOURCES; places aside) counts in training against once for a
# Wikidata spelling, whose conventions are mixed (chosen on folds 1-4).
PRESS_SOURCE_REPEAT = 1
MIXED_SOURCES = frozenset({"wikidata-ir"})

# Spellings of one sound that the lexicon's sources mix (Wikidata writes Qasem beside
# Ghasem, Noori beside Nouri): the press/passport convention of the project writes one.
_PRESS_CORE = {("ق", "q"): "gh", ("ق", "qq"): "gh", ("غ", "q"): "gh",
               ("و", "oo"): "ou", ("و", "u"): "ou"}
_PRESS_VOWEL = {"u": "o", "oo": "ou"}


def press_style(persian: str, latin: str) -> str:
    """``latin`` respelled in the project's press/passport convention where it writes a
    sound another way: ق/غ as gh (not q), long و as ou (not oo/u), a short u as o
    («قاسم» Qasem → ghasem, «نوری» Noori → nouri, «مصطفی» Mustafa → mostafa).  Lower
    case; ``latin`` cleaned unchanged when the pair cannot be aligned.

    >>> press_style("قاسم", "Qasem")
    'ghasem'
    >>> press_style("نوری", "Noori")
    'nouri'
    """
    parts = align_parts(persian, latin)
    if parts is None:
        return _clean_latin(latin)
    out = []
    for ch, (core, vow) in zip(_clean_persian(persian), parts, strict=True):
        out.append(_PRESS_CORE.get((ch, core), core) + _PRESS_VOWEL.get(vow, vow))
    return "".join(out)


class LatinNeighbours:
    """How the lexicon's words that begin (or end) with the same Persian letters as a word
    spell those letters: «احتشامی» Ehteshami says «احت…» is "ehte…" for «احترام».

    Built from (Persian, Latin) pairs through the letter alignment (:func:`align_parts`),
    in the press convention (:func:`press_style`).  :meth:`agreement` of a candidate
    spelling is the share of the neighbours sharing the longest such beginning (and, apart,
    ending; 3 to :data:`NEIGHBOUR_SPAN` letters, never the whole word) whose spelling of
    it the candidate has."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        starts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        ends: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for fa, la in pairs:
            fa = _clean_persian(fa)
            parts = align_parts(fa, la)
            if parts is None:
                continue
            parts = [(_PRESS_CORE.get((ch, c), c), _PRESS_VOWEL.get(v, v))
                     for ch, (c, v) in zip(fa, parts, strict=True)]
            for k in range(3, min(NEIGHBOUR_SPAN, len(fa)) + 1):
                # the vowel after the last shared letter depends on the letters after it
                head = "".join(c + v for c, v in parts[:k - 1]) + parts[k - 1][0]
                starts[fa[:k]][head] += 1
                ends[fa[-k:]]["".join(c + v for c, v in parts[-k:])] += 1
        self._starts = {k: dict(v) for k, v in starts.items()}
        self._ends = {k: dict(v) for k, v in ends.items()}

    def _votes(self, table: Mapping[str, Mapping[str, int]], fa: str,
               start: bool) -> Mapping[str, int]:
        for k in range(min(NEIGHBOUR_SPAN, len(fa) - 1), 2, -1):
            got = table.get(fa[:k] if start else fa[-k:])
            if got:
                return got
        return {}

    def agreement(self, persian: str, latin_candidates: Iterable[str]) -> dict[str, float]:
        """Candidate → share of the beginning's neighbours it agrees with + the same for
        the ending (0–2)."""
        fa = _clean_persian(persian)
        heads = self._votes(self._starts, fa, True)
        tails = self._votes(self._ends, fa, False)
        nh, nt = sum(heads.values()), sum(tails.values())
        out = {}
        for cand in latin_candidates:
            a = sum(n for h, n in heads.items() if cand.startswith(h)) / nh if nh else 0.0
            b = sum(n for t, n in tails.items() if cand.endswith(t)) / nt if nt else 0.0
            out[cand] = a + b
        return out


def training_pairs(entries: Iterable[object]) -> list[tuple[str, str]]:
    """(Persian, Latin) training pairs of lexicon entries (objects with ``persian`` and
    ``latin``), as :func:`train_romanize_model` takes them: the Latin in the press
    convention (:func:`press_style`) when :data:`NORMALISE_TRAINING` is set, so the model
    learns one spelling of a sound, not a coin toss between the sources' two.  A name of
    a press-style source (not in :data:`MIXED_SOURCES`, not a place) is given
    :data:`PRESS_SOURCE_REPEAT` times: the convention to follow weighs more."""
    pairs = [(e.persian, e.latin) for e in entries  # type: ignore[attr-defined]
             for _ in range(PRESS_SOURCE_REPEAT
                            if getattr(e, "source", "") not in MIXED_SOURCES
                            and getattr(e, "kind", "") != "place" else 1)]
    if NORMALISE_TRAINING:
        pairs = [(fa, press_style(fa, la)) for fa, la in pairs]
    return pairs


def _paths(prefix: Path | str) -> tuple[str, str]:
    return f"{prefix}.core.crfsuite", f"{prefix}.vowel.crfsuite"


# L1 and L2 penalties of the CRFs' training (CRFsuite's c1, c2; chosen on folds 1-4).
CRF_C1 = 0.2
CRF_C2 = 0.05


def train_romanize_model(pairs: Iterable[tuple[str, str]], prefix: Path | str, *,
                         c1: float | None = None, c2: float | None = None,
                         max_iterations: int = 200) -> tuple[int, int]:
    """Train the two CRFs on (Persian, Latin) word pairs and write them to
    ``<prefix>.core.crfsuite`` and ``<prefix>.vowel.crfsuite``.

    One CRF tags each letter with its sound (ش → sh, و → v/ou/o), the other with the short
    vowel after it; apart, each has few labels to learn from a few hundred names, where one
    CRF over their combinations would see most combinations once.  Pairs whose words cannot
    be aligned are skipped; a pair given k times weighs k times.  Returns (pairs used,
    pairs skipped).
    """
    import pycrfsuite  # type: ignore[import-untyped]  # light C extension, imported late

    trainers = (pycrfsuite.Trainer(verbose=False), pycrfsuite.Trainer(verbose=False))
    used = skipped = 0
    for fa, la in pairs:
        parts = align_parts(fa, la)
        if parts is None:
            skipped += 1
            continue
        feats = word_features(fa)
        trainers[0].append(feats, [c for c, _ in parts])
        trainers[1].append(vowel_features(feats, [c for c, _ in parts]),
                           [v for _, v in parts])
        used += 1
    for trainer, path in zip(trainers, _paths(prefix), strict=True):
        trainer.set_params({"c1": CRF_C1 if c1 is None else c1,
                            "c2": CRF_C2 if c2 is None else c2,
                            "max_iterations": max_iterations,
                            "feature.possible_transitions": True})
        trainer.train(path)
    return used, skipped


class _WittenBell:
    """Interpolated Witten-Bell n-gram model over sequences of symbols (the letters of a
    string, or tokens of a tuple), trained on weighted sequences."""

    def __init__(self, sequences: Iterable[tuple[Sequence[str], float]], order: int,
                 pad: Sequence[str], end: Sequence[str]) -> None:
        self.order = order
        self._pad, self._end = pad, end
        counts: list[dict[Sequence[str], dict[str, float]]] = [
            defaultdict(lambda: defaultdict(float)) for _ in range(order)]
        alphabet: set[str] = set()
        for seq, weight in sequences:
            if not seq or weight <= 0:
                continue
            s = self._padded(seq)
            for i in range(order - 1, len(s)):
                alphabet.add(s[i])
                for k in range(order):
                    counts[k][s[i - k:i]][s[i]] += weight
        self._counts = [{h: dict(c) for h, c in level.items()} for level in counts]
        # per history: (total weight, number of distinct next symbols)
        self._totals = [{h: (sum(c.values()), len(c)) for h, c in level.items()}
                        for level in self._counts]
        self._uniform = 1.0 / (len(alphabet) + 1)
        self._memo: dict[tuple[Sequence[str], str], float] = {}  # (history, symbol) → p

    def _padded(self, seq: Sequence[str]) -> Sequence[str]:
        return self._pad * (self.order - 1) + seq + self._end  # type: ignore[operator,return-value]

    def _prob(self, history: Sequence[str], ch: str) -> float:
        got = self._memo.get((history, ch))
        if got is not None:
            return got
        p = self._uniform
        for k in range(self.order):
            h = history[len(history) - k:] if k else history[:0]
            t = self._totals[k].get(h)
            if t is None:
                break
            n, distinct = t
            lam = n / (n + distinct)
            p = lam * self._counts[k][h].get(ch, 0.0) / n + (1 - lam) * p
        self._memo[(history, ch)] = p
        return p

    def _log_probability(self, seq: Sequence[str]) -> float:
        s = self._padded(seq)
        return sum(math.log(self._prob(s[i - self.order + 1:i], s[i]))
                   for i in range(self.order - 1, len(s)))


class LatinNameLM(_WittenBell):
    """A character n-gram model of Latin name spellings (interpolated Witten-Bell), to
    prefer, among the CRFs' readings of a word, one spelled like a name: "Nikbakht" over
    "Nikbkht".  Trained on weighted spellings (a name seen more often counts more)."""

    def __init__(self, spellings: Mapping[str, float] | Iterable[tuple[str, float]],
                 order: int = 5) -> None:
        items = spellings.items() if isinstance(spellings, Mapping) else spellings
        super().__init__(((_clean_latin(w).replace("'", ""), x) for w, x in items),
                         order, "^", "$")

    def log_probability(self, latin: str) -> float:
        """Natural log-probability of a (lower-case) spelling, end of word included."""
        return self._log_probability(_clean_latin(latin).replace("'", ""))


class GraphoneLM(_WittenBell):
    """A joint-sequence model of (Persian letter, Latin chunk) pairs — *graphones*: an
    n-gram model (interpolated Witten-Bell) over the letter-by-letter alignments
    (:func:`align_parts`) of (Persian, Latin) name pairs, «حسین» Hossein =
    ح:ho س:ss ی:ei ن:n.  Generative where the CRFs are discriminative: it scores a reading
    by how the lexicon's names spell the same run of letters, and is far less sure of
    itself than the CRFs (which read «مریم» "marim" at −0.7 against −7.8 for "maryam").
    Its log-probability is added, weighted by :data:`JOINT_WEIGHT`, to a candidate's
    score in :meth:`RomanizeModel.romanize`."""

    def __init__(self, pairs: Iterable[tuple[str, str]], order: int = 4) -> None:
        # the (sound, vowel) readings seen for each letter, to propose readings from
        self._options: dict[str, set[tuple[str, str]]] = defaultdict(set)

        def seqs() -> Iterable[tuple[tuple[str, ...], float]]:
            for fa, la in pairs:
                parts = align_parts(fa, la)
                if parts is not None:
                    for ch, part in zip(_clean_persian(fa), parts, strict=True):
                        self._options[ch].add(part)
                    yield graphones(fa, parts), 1.0

        super().__init__(seqs(), order, ("^",), ("$",))

    def readings(self, persian: str, beam: int = 16) -> list[list[tuple[str, str]]]:
        """Up to ``beam`` readings of a word, most probable first under this model (a beam
        search over the readings seen for each letter); [] when a letter was never seen."""
        letters = _clean_persian(persian)
        start: tuple[str, ...] = ("^",) * (self.order - 1)
        states: list[tuple[float, tuple[str, ...], list[tuple[str, str]]]] = [
            (0.0, start, [])]
        for ch in letters:
            options = sorted(self._options.get(ch, ()))
            if not options:
                return []
            grown = []
            for lp, hist, parts in states:
                for c, v in options:
                    tok = f"{ch}:{c}{v}"
                    grown.append((lp + math.log(self._prob(hist, tok)),
                                  (*hist[1:], tok), [*parts, (c, v)]))
            grown.sort(key=lambda x: -x[0])
            states = grown[:beam]
        done = sorted(((lp + math.log(self._prob(hist, "$")), parts)
                       for lp, hist, parts in states), key=lambda x: -x[0])
        return [parts for _, parts in done]

    def log_probability(self, persian: str, parts: list[tuple[str, str]]) -> float:
        """Natural log-probability of one reading of a word ((sound, vowel) per letter,
        as :func:`align_parts` gives it), end of word included."""
        return self._log_probability(graphones(persian, parts))


def graphones(persian: str, parts: list[tuple[str, str]]) -> tuple[str, ...]:
    """The (letter, chunk) tokens of one reading of a word: ``"ح:ho"``, …"""
    return tuple(f"{ch}:{c}{v}" for ch, (c, v)
                 in zip(_clean_persian(persian), parts, strict=True))


class RomanizeModel:
    """The trained CRFs: :meth:`romanize` gives the Latin spelling of one Persian word."""

    def __init__(self, prefix: Path | str) -> None:
        import pycrfsuite

        self.prefix = str(prefix)
        self._taggers = []
        for path in _paths(prefix):
            tagger = pycrfsuite.Tagger()
            tagger.open(path)
            self._taggers.append(tagger)
        self._lock = threading.Lock()  # a Tagger is not safe to share across threads
        self._labels = tuple(frozenset(t.labels()) for t in self._taggers)
        self._letter_labels: dict[str, frozenset[str]] = {}

    def chunks(self, persian: str) -> list[str]:
        """The predicted Latin chunk (sound + following vowel) of each letter."""
        cores, vowels = self._tag(persian)
        return [c + v for c, v in zip(cores, vowels, strict=True)]

    def log_probability(self, persian: str, parts: list[tuple[str, str]]) -> float:
        """log P(sounds | word) + log P(vowels | word, sounds) of one reading of the word
        (``parts`` as :func:`align_parts` gives them); ``-inf`` when a label is unknown to
        the model."""
        return self.log_probabilities(persian, [parts])[0]

    def log_probabilities(self, persian: str,
                          readings: list[list[tuple[str, str]]]) -> list[float]:
        """:meth:`log_probability` of several readings of one word; the word's features
        are computed once and the vowel CRF is set once per distinct sound sequence (the
        costly part of scoring a vocabulary's spellings)."""
        feats = word_features(persian)
        out = [-math.inf] * len(readings)
        by_cores: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i, parts in enumerate(readings):
            if feats and len(parts) == len(feats) \
                    and all(c in self._labels[0] and v in self._labels[1] for c, v in parts):
                by_cores[tuple(c for c, _ in parts)].append(i)
        if not by_cores:
            return out
        with self._lock:
            core_t, vowel_t = self._taggers
            core_t.set(feats)
            p_cores = {cores: core_t.probability(list(cores)) for cores in by_cores}
            for cores, idx in by_cores.items():
                if p_cores[cores] <= 0:
                    continue
                vowel_t.set(vowel_features(feats, list(cores)))
                for i in idx:
                    p_vowel = vowel_t.probability([v for _, v in readings[i]])
                    if p_vowel > 0:
                        out[i] = math.log(p_cores[cores]) + math.log(p_vowel)
        return out

    def readings(self, persian: str, k: int | None = None,
                 beam: int | None = None) -> list[list[tuple[str, str]]]:
        """Up to ``beam`` readings of a word, (sound, vowel) per letter, most probable
        first by the CRFs' marginals: each letter's ``k`` likeliest sounds and vowels
        (vowels as read after the best sounds).  The first is the CRFs' own reading."""
        k = NBEST_K if k is None else k
        beam = NBEST_BEAM if beam is None else beam
        feats = word_features(persian)
        if not feats:
            return []
        with self._lock:
            core_t, vowel_t = self._taggers
            core_t.set(feats)
            cores = core_t.tag()
            # a letter's sounds are the few of CORES, not every label of the model
            letters = _clean_persian(persian)
            options_c = [self._top(core_t, self._core_labels(ch), i, k)
                         for i, ch in enumerate(letters)]
            vowel_t.set(vowel_features(feats, cores))
            vowels = vowel_t.tag()
            options_v = [self._top(vowel_t, self._labels[1], i, k) for i in range(len(feats))]
        best = list(zip(cores, vowels, strict=True))
        seqs: list[tuple[float, list[tuple[str, str]]]] = [(0.0, [])]
        for oc, ov in zip(options_c, options_v, strict=True):
            grown = [(lp + pc + pv, [*seq, (c, v)]) for lp, seq in seqs
                     for pc, c in oc for pv, v in ov]
            grown.sort(key=lambda x: -x[0])
            seqs = grown[:beam]
        out = [best]
        out.extend(seq for _, seq in seqs if seq != best)
        return out[:beam]

    def _core_labels(self, letter: str) -> frozenset[str]:
        got = self._letter_labels.get(letter)
        if got is None:
            got = frozenset(CORES.get(letter, ("",))) & self._labels[0] or self._labels[0]
            self._letter_labels[letter] = got
        return got

    @staticmethod
    def _top(tagger: object, labels: frozenset[str], i: int,
             k: int) -> list[tuple[float, str]]:
        scored = sorted(((tagger.marginal(y, i), y) for y in labels),  # type: ignore[attr-defined]
                        key=lambda x: (-x[0], x[1]))
        top = [(math.log(p), y) for p, y in scored[:k] if p > 0.01]
        return top or [(math.log(max(scored[0][0], 1e-12)), scored[0][1])]

    def candidates(self, persian: str,
                   vocabulary: Mapping[str, Iterable[tuple[str, float]]] | None = None,
                   lm: LatinNameLM | None = None,
                   joint: GraphoneLM | None = None,
                   proposals: Iterable[str] = ()) -> dict[str, tuple[float, ...]]:
        """Candidate spellings of one Persian word with their features
        (:data:`FEATURES`, in that order): the CRFs' readings (several with an ``lm``, else
        their best one) and the known spellings of the word's consonant key in
        ``vocabulary``.  A spelling read several ways counts by its most probable reading
        (and, apart, by its most probable under the ``joint`` model, 0 without one);
        spellings the CRFs cannot read at all (a sound the model never saw) are left out.
        ``proposals`` are more spellings to weigh as the CRFs' own readings (a compound
        read as a known word and the rest: «گوهردشت» Gohar + dasht)."""
        if lm is not None:
            readings = self.readings(persian)
            if joint is not None and JOINT_BEAM and readings:
                seen = {tuple(r) for r in readings}
                readings += [r for r in joint.readings(persian, int(JOINT_BEAM))
                             if tuple(r) not in seen]
        else:
            cores, vowels = self._tag(persian)
            readings = [list(zip(cores, vowels, strict=True))] if cores else []
        if not readings:
            return {}
        seen = {tuple(r) for r in readings}
        for latin in proposals:
            readings += [r for r in alignments(persian, latin) if tuple(r) not in seen]
        n_read = len(readings)
        owner: list[int] = [-1] * n_read
        spellings: list[tuple[str, float]] = []
        if vocabulary:
            from dadkhah.names.keys import name_key

            spellings = list(vocabulary.get(name_key(persian), ()))
            for k, (latin, _) in enumerate(spellings):
                for parts in alignments(persian, latin):
                    readings.append(parts)
                    owner.append(k)
        scores = self.log_probabilities(persian, readings)
        crf: dict[str, float] = {}
        rank: dict[str, int] = {}
        known: dict[str, float] = {}
        jlp: dict[str, float] = {}
        for i, (parts, k, lp) in enumerate(zip(readings, owner, scores, strict=True)):
            if lp == -math.inf:
                continue
            if k < 0:
                cand = "".join(c + v for c, v in parts)
                rank.setdefault(cand, i)
            else:
                cand = _clean_latin(spellings[k][0])
                known[cand] = max(known.get(cand, 0.0), spellings[k][1])
            crf[cand] = max(crf.get(cand, -math.inf), lp)
            if joint is not None:
                jlp[cand] = max(jlp.get(cand, -math.inf), joint.log_probability(persian, parts))
        if not crf:  # nothing the model can read: its own best reading, unscored
            cand = "".join(c + v for c, v in readings[0])
            return {cand: (0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0)}
        top = max(crf.values())
        out: dict[str, tuple[float, ...]] = {}
        for cand, lp in crf.items():
            lm_lp = lm.log_probability(cand) if lm is not None else 0.0
            out[cand] = (lp, lm_lp, 1.0 if cand in known else 0.0, known.get(cand, 0.0),
                         lm_lp / (len(cand) + 1), 1.0 if rank.get(cand) == 0 else 0.0,
                         lp - top, jlp.get(cand, 0.0))
        return out

    def romanize(self, persian: str,
                 vocabulary: Mapping[str, Iterable[tuple[str, float]]] | None = None,
                 *, bonus: float | None = None, frequency_bonus: float | None = None,
                 lm: LatinNameLM | None = None, lm_weight: float | None = None,
                 neighbours: LatinNeighbours | None = None,
                 joint: GraphoneLM | None = None, joint_weight: float | None = None,
                 proposals: Iterable[str] = (), alef_maqsura: bool = True,
                 preferred: Iterable[str] = ()) -> str:
        """Lower-case Latin spelling of one Persian word (no ZWNJ parts).

        With a ``vocabulary`` (consonant key → known Latin spellings of names, see
        :func:`latin_vocabulary`), the spellings of the word's key compete with the CRF's
        own reading.  The CRF guesses short vowels badly («بیژن» → "Bizhan"); a real name
        spelled as the model finds likely ("Bijan") is the better guess when the model's
        own reading is not much more probable.  With an ``lm`` (a :class:`LatinNameLM` of
        name spellings), the CRFs propose several readings (:meth:`readings`): of two
        readings the CRFs find about as likely, the one spelled like a name wins.

        Every candidate (:meth:`candidates`) is scored by the CRFs' log-probability +
        ``lm_weight`` × its n-gram log-probability, + ``bonus`` + ``frequency_bonus`` ×
        the spelling's weight for a known spelling (defaults :data:`LM_WEIGHT`,
        :data:`VOCABULARY_BONUS`, :data:`FREQUENCY_BONUS`); the best wins, or, with
        :data:`MBR_TEMPERATURE`, the one with the fewest expected edits from the others.  (A score
        learned over all of :data:`FEATURES` did no better on folds 1–4: see
        ``benchmarks/romanize_rerank_cv.py``.)  A word whose final ی the other countries'
        spellings read a (:data:`ALEF_MAQSURA_SHARE`) competes only among its readings
        ending in a, unless ``alef_maqsura`` is False.  ``preferred`` are spellings the
        caller knows for the word from other evidence (the lexicon's words built on it:
        «حسامی» Hessami says «حسام» is Hessam): when the model can read one of them, only
        they compete.
        """
        jw = JOINT_WEIGHT if joint_weight is None else joint_weight
        attested = arabic_world_readings(persian) if ARABIC_WORLD_WEIGHT else {}
        if attested and ARABIC_WORLD_PROPOSALS:
            proposals = [*proposals, *list(attested)[:int(ARABIC_WORLD_PROPOSALS)]]
        listed = persian_list_readings(persian) if PERSIAN_LIST_WEIGHT else {}
        if listed and PERSIAN_LIST_PROPOSALS:
            proposals = [*proposals, *list(listed)[:int(PERSIAN_LIST_PROPOSALS)]]
        preferred = set(preferred)
        proposals = [*proposals, *sorted(preferred)]
        cands = self.candidates(persian, vocabulary, lm, joint if jw else None, proposals)
        if not cands:
            return ""
        if preferred:  # the caller's own evidence outweighs the other countries' vowels
            cands = {c: f for c, f in cands.items() if c in preferred} or cands
        if SYLLABLE_GUARD:  # a reading Persian could not say is a letter-by-letter slip
            cands = {c: f for c, f in cands.items() if sayable(c)} or cands
        if attested and alef_maqsura and ALEF_MAQSURA_SHARE \
                and _alef_maqsura(persian, attested):
            cands = {c: f for c, f in cands.items() if c.endswith("a")} or cands
        b = VOCABULARY_BONUS if bonus is None else bonus
        fb = FREQUENCY_BONUS if frequency_bonus is None else frequency_bonus
        lw = LM_WEIGHT if lm_weight is None else lm_weight
        weights = (1.0, lw, b, fb, 0.0, 0.0, 0.0, jw)

        def score(f: tuple[float, ...]) -> float:
            # a weight times a zero feature adds nothing, even an infinite weight
            return sum(w * x for w, x in zip(weights, f, strict=True) if x)

        near = {}
        if neighbours is not None and NEIGHBOUR_WEIGHT:
            near = neighbours.agreement(persian, cands)
        total = {c: score(cands[c]) + NEIGHBOUR_WEIGHT * near.get(c, 0.0) for c in cands}
        if attested:
            for c, lp in _vowel_agreement(persian, cands, attested).items():
                total[c] += ARABIC_WORLD_WEIGHT * lp
        if listed:
            for c, lp in _vowel_agreement(persian, cands, listed).items():
                total[c] += PERSIAN_LIST_WEIGHT * lp
            if LIST_DETAIL_WEIGHT:
                for c, lp in _vowel_agreement(persian, cands, listed, _list_detail).items():
                    total[c] += LIST_DETAIL_WEIGHT * lp
        if MBR_TEMPERATURE and len(total) > 1:
            text = _least_expected_edits(total, MBR_TEMPERATURE)
        else:
            text = max(cands, key=lambda c: (total[c], c))
        return re.sub(r"'+", "'", text).strip("'")

    def _tag(self, persian: str) -> tuple[list[str], list[str]]:
        feats = word_features(persian)
        if not feats:
            return [], []
        with self._lock:
            cores = self._taggers[0].tag(feats)
            vowels = self._taggers[1].tag(vowel_features(feats, cores))
        return list(cores), list(vowels)


def _least_expected_edits(scores: Mapping[str, float], temperature: float) -> str:
    """The candidate with the fewest expected edits from the others, each weighted by its
    probability exp(score / temperature), normalised (minimum Bayes risk under edit
    distance); ties go to the higher score."""
    top = max(scores.values())
    p = {c: math.exp((s - top) / temperature) for c, s in scores.items()}
    z = sum(p.values())
    kept = [c for c in scores if p[c] / z >= 1e-3]
    return min(kept, key=lambda c: (sum(p[o] * Levenshtein.distance(c, o) for o in kept) / z,
                                    -scores[c], c))


# Whether a reading with more consonants in a row than a Persian word can hold («Khtaei»,
# «Klvandi», «Broun») gives way to one without (chosen on folds 1-4 and the second probe's
# seeds 1-5).
SYLLABLE_GUARD = True
# Persian syllables are CV, CVC or CVCC: no word opens with two consonants, none ends in
# three, and no more than three stand between two vowels (sh, kh, ch, zh, gh are one).
_ONE_CONSONANT = re.compile(r"kh|sh|ch|zh|gh")
_CONSONANTS = re.compile(r"[^aeiouy]+")


def sayable(latin: str) -> bool:
    """Whether a lower-case reading has no more consonants in a row than Persian allows.

    >>> sayable("khataei"), sayable("khtaei"), sayable("eskandari"), sayable("abtkar")
    (True, False, True, True)
    """
    w = _ONE_CONSONANT.sub("C", re.sub(r"[^a-z]", "", latin))
    runs = [(m.start(), m.end()) for m in _CONSONANTS.finditer(w)]
    for a, b in runs:
        n = b - a
        if (a == 0 and n > 1 and b < len(w)) or (b == len(w) and a > 0 and n > 2) or n > 3:
            return False
    return True


PACKAGED = "romanize_model"


def _packaged_prefix() -> Path:
    return Path(str(resources.files("dadkhah.names").joinpath("data", PACKAGED)))


@lru_cache(maxsize=4)
def load_romanize_model(prefix: str | None = None) -> RomanizeModel | None:
    """The packaged model (cached), or the one at ``prefix``; ``None`` when its files or
    the ``python-crfsuite`` package are missing (transliteration then falls back to letter
    rules)."""
    p = Path(prefix) if prefix else _packaged_prefix()
    if not all(Path(x).is_file() for x in _paths(p)):
        return None
    try:
        return RomanizeModel(p)
    except ImportError:
        return None


ARABIC_WORLD_NAMES = "arabic_world_names.txt"
# Persian letters as the Wikidata index writes them (Arabic yeh and kaf; alef unmarked).
_TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك", "آ": "ا", "أ": "ا", "إ": "ا"})
# Other countries' spellings in the press convention: a short vowel (no letter writes it)
# u → o, i → e; sounds written otherwise in English-style Arabic, Dari and Urdu spellings.
_WORLD_VOWEL = {"u": "o", "i": "e", "aa": "a", "ee": "i", "oo": "ou"}
_WORLD_CORE = {("ث", "th"): "s", ("ذ", "dh"): "z", ("ض", "d"): "z", ("ظ", "dh"): "z",
               ("ق", "q"): "gh", ("ق", "k"): "gh", ("غ", "g"): "gh", ("و", "u"): "ou",
               ("و", "oo"): "ou", ("و", "w"): "v", ("ی", "ee"): "i", ("ع", "'"): "",
               ("ء", "'"): "", ("ج", "dj"): "j", ("ش", "ch"): "sh"}
# Letters whose own sound is the word's first vowel (an initial alef: Elnaz, Ostad).
_VOWEL_CARRIERS = frozenset("اآعأإ")


@lru_cache(maxsize=2)
def _spelling_counts(name: str) -> Mapping[str, tuple[tuple[str, int], ...]]:
    """A packaged spelling list (``data/<name>``: word, Latin spelling, count per line,
    tab-separated, ``#`` comments) as word → its spellings; empty when not installed."""
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    try:
        text = resources.files("dadkhah.names").joinpath("data", name) \
            .read_text(encoding="utf-8")
    except FileNotFoundError:
        return MappingProxyType({})
    for ln in text.splitlines():
        if ln and not ln.startswith("#"):
            key, latin, count = ln.split("\t")
            out[key].append((latin, int(count)))
    return MappingProxyType({k: tuple(v) for k, v in out.items()})


def _arabic_world_names() -> Mapping[str, tuple[tuple[str, int], ...]]:
    return _spelling_counts(ARABIC_WORLD_NAMES)


def arabic_world_readings(persian: str) -> Mapping[str, int]:
    """Spellings of a Persian name word as people of the Arab world, Afghanistan and
    Pakistan carry it in Wikidata (``data/arabic_world_names.txt``, built by
    ``scripts/build_arabic_world_names.py``; Iran's own rows are the lexicon's), read in
    the press convention — a short vowel u → o, i → e, th → s, q → gh … — with how many
    people carry each, most carried first; empty when the word is not there.  They say
    which short vowels the letters leave out: «مسلم» Muslim → moslem.

    >>> dict(arabic_world_readings("مقداد"))["meghdad"] > 0
    True
    """
    return _world_readings(_clean_persian(persian), bool(ALEF_WRITTEN_A))


@lru_cache(maxsize=20_000)
def _world_readings(fa: str, alef_written_a: bool) -> Mapping[str, int]:
    got: dict[str, int] = defaultdict(int)
    rows = list(_arabic_world_names().get(fa.translate(_TO_ARABIC), ()))
    if alef_written_a and fa.endswith("ا") and len(fa) > 2:
        # Persian writes an Arabic final alef maqsura ا as often as ی («هدا» beside
        # «هدی»: Huda); the list keeps it as ي: its readings ending in a count too
        rows += [(la, n) for la, n in _arabic_world_names().get(
            fa[:-1].translate(_TO_ARABIC) + "ي", ()) if la.lower().endswith("a")]
    for latin, n in rows:
        parts = align_parts(fa, latin)
        if parts is not None:
            got["".join(_WORLD_CORE.get((ch, c), c) + _WORLD_VOWEL.get(v, v)
                        for ch, (c, v) in zip(fa, parts, strict=True))] += n
    return MappingProxyType(dict(sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))))


PERSIAN_GIVEN_NAMES = "persian_given_names.txt"


def _persian_given_names() -> Mapping[str, tuple[tuple[str, int], ...]]:
    return _spelling_counts(PERSIAN_GIVEN_NAMES)


@lru_cache(maxsize=1)
def persian_list_spellings() -> frozenset[str]:
    """Every Latin spelling (lower case) the PNGT-26K list gives a Persian given name: the
    ones Iranians write for themselves, whose i and u are as often long as short."""
    return frozenset(la for rows in _persian_given_names().values() for la, _ in rows)


def persian_list_readings(persian: str) -> Mapping[str, int]:
    """Spellings of a Persian given name in the PNGT-26K list (``data/persian_given_names.txt``,
    built by ``scripts/build_persian_given_names.py``), read in the press convention —
    a final ه e → eh, و u → ou, …iye → …ieh — with how many of the list's rows give each,
    most given first; empty when the word is not there.  They say which short vowels the
    letters leave out: «ندا» neda.

    >>> "neda" in persian_list_readings("ندا")
    True
    """
    return _list_readings(_clean_persian(persian))


@lru_cache(maxsize=20_000)
def _list_readings(fa: str) -> Mapping[str, int]:
    got: dict[str, int] = defaultdict(int)
    for latin, n in _persian_given_names().get(fa, ()):
        # the list writes a final ه e and ی before it y (Atiye); the press, eh and i (Atieh)
        la = re.sub(r"iye$", "ie", latin) if fa.endswith("یه") else latin
        parts = align_parts(fa, la)
        if parts is None:
            continue
        text = "".join(_WORLD_CORE.get((ch, c), c) + _WORLD_VOWEL.get(v, v)
                       for ch, (c, v) in zip(fa, parts, strict=True))
        if fa.endswith("ه") and parts[-1] == ("e", "") and len(fa) > 2:
            text += "h"
        got[text] += n
    return MappingProxyType(dict(sorted(got.items(), key=lambda kv: (-kv[1], kv[0]))))


def _alef_maqsura(persian: str, attested: Mapping[str, int]) -> bool:
    """Whether the word's final ی is read a (Arabic alef maqsura: «موسی» Musa) by at
    least :data:`ALEF_MAQSURA_SHARE` of the people whose spellings ``attested`` counts."""
    fa = _clean_persian(persian)
    if not fa.endswith("ی") or fa.endswith("یی"):
        return False
    total = sum(attested.values())
    final_a = sum(n for latin, n in attested.items() if latin.endswith("a"))
    return total > 0 and final_a >= ALEF_MAQSURA_SHARE * total


def _short_vowels(persian: str, latin: str) -> tuple[str, ...] | None:
    """The short vowel after each letter but the last (and the sound of a vowel letter
    such as an initial alef), as the press convention writes it; None when ``latin``
    cannot be aligned with ``persian``."""
    fa = _clean_persian(persian)
    parts = align_parts(fa, latin)
    if parts is None:
        return None
    vowel = {**_WORLD_VOWEL, "ou": "ou"}
    return tuple((vowel.get(c, c) if ch in _VOWEL_CARRIERS else "") + vowel.get(v, v)
                 for ch, (c, v) in zip(fa[:-1], parts[:-1], strict=True))


# What the PNGT-26K list's spellings say of a word beyond its short vowels (they are
# Iranians' own spellings, so they say it in Iran's way): a doubled consonant that no
# letter shows (the Arabic shadda: «طناز» Tannaz, «وهاب» Vahhab) and how each و is read
# (ou, o, v: «مینو» Minou, «سولماز» Solmaz, «کوروش» Kourosh).  Every candidate gains
# LIST_DETAIL_WEIGHT × the log (smoothed) share of the list's spellings that agree with it
# on these (:func:`_list_detail`), apart from the short vowels' share, so a candidate
# the model cannot write with the list's doubling still gets the list's vowels; 0 switches
# it off (chosen on folds 1-4: see data/README.md).
LIST_DETAIL_WEIGHT = 12.0
LIST_DOUBLING = 1
LIST_VAV = 1
# The same for ی (i, y, ei, ey): the list writes ey where the press writes ei («شیدا»
# sheyda, Sheida), so it stays out (tried on folds 1-4: fewer exact).
LIST_YEH = 0
# Consonants whose doubled spelling is the press's mark of an s between vowels
# («حسین» Hossein, «ناصر» Nasser), not a shadda: their doubling is left out.
_DOUBLED_BY_CONVENTION = frozenset("سصث")
# ... and letters whose doubled spelling is a long vowel (aa, oo, ee), not a consonant's
_NOT_DOUBLED = _DOUBLED_BY_CONVENTION | _VOWEL_CARRIERS | frozenset("ویئؤء")


def _list_detail(persian: str, latin: str) -> tuple[str, ...] | None:
    """What a spelling writes that the letters leave open beside the short vowels
    (:data:`LIST_DOUBLING`, :data:`LIST_VAV`, :data:`LIST_YEH`): per letter, ``+`` for a
    doubled consonant and the reading of و (and ی); None when ``latin`` cannot be aligned.

    >>> _list_detail("طناز", "tannaz"), _list_detail("مینو", "minou")
    (('', '+', '', ''), ('', '', '', '/ou'))
    """
    fa = _clean_persian(persian)
    parts = align_parts(fa, latin)
    if parts is None:
        return None
    out = []
    for ch, (c, _) in zip(fa, parts, strict=True):
        sig = ""
        if LIST_DOUBLING and len(c) == 2 and c[0] == c[1] and ch not in _NOT_DOUBLED:
            sig += "+"
        if (LIST_VAV and ch == "و") or (LIST_YEH and ch == "ی"):
            sig += "/" + _WORLD_CORE.get((ch, c), c)
        out.append(sig)
    return tuple(out)


def _vowel_agreement(persian: str, candidates: Iterable[str],
                     attested: Mapping[str, int],
                     signature: Callable[[str, str], tuple[str, ...] | None] | None = None,
                     ) -> dict[str, float]:
    """log of the share of people whose spelling (``attested``) has the candidate's
    short vowels (or ``signature``, default :func:`_short_vowels`), smoothed (add ½ per
    pattern), for each candidate."""
    sign = _short_vowels if signature is None else signature
    shares: dict[tuple[str, ...] | None, float] = defaultdict(float)
    for latin, n in attested.items():
        if (sig := sign(persian, latin)) is not None:
            shares[sig] += n
    total = sum(shares.values()) + 0.5 * (len(shares) + 1)
    return {c: math.log((shares.get(sign(persian, c), 0.0) + 0.5) / total)
            for c in candidates}


LATIN_NAMES = "latin_names.txt"
LATIN_NAMES_PERSIA = "latin_names_persia.txt"


@lru_cache(maxsize=1)
def load_latin_names() -> Mapping[str, float]:
    """The packaged Latin name spellings (lower case) with a weight in [0, 1]: how common
    the name is in Iran and the Arab world (``data/latin_names_persia.txt``, from
    gender-guesser's ``nam_dict.txt``: frequency / 13), 0 for a name only in
    ``data/latin_names.txt`` (Wikidata given and family names whose consonant key matches
    a Persian name).  Both built by ``scripts/build_latin_names.py``; read on first use."""
    out: dict[str, float] = {}
    data = resources.files("dadkhah.names").joinpath("data")
    for name in (LATIN_NAMES, LATIN_NAMES_PERSIA):
        try:
            text = data.joinpath(name).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        for ln in text.splitlines():
            if not ln.strip() or ln.startswith("#"):
                continue
            word, _, freq = ln.strip().partition("\t")
            out[word] = max(out.get(word, 0.0), int(freq) / 13 if freq else 0.0)
    return MappingProxyType(out)


def latin_vocabulary(spellings: Mapping[str, float]) -> dict[str, tuple[tuple[str, float], ...]]:
    """Consonant key (:func:`dadkhah.names.name_key`) → (Latin spelling, weight) pairs,
    for :meth:`RomanizeModel.romanize`; spellings are lower-cased (the highest weight of
    a spelling is kept)."""
    from dadkhah.names.keys import name_key

    by_key: dict[str, dict[str, float]] = defaultdict(dict)
    for s, w in spellings.items():
        s = _clean_latin(s)
        if s and (k := name_key(s)):
            by_key[k][s] = max(by_key[k].get(s, 0.0), w)
    return {k: tuple(sorted(v.items())) for k, v in by_key.items()}
