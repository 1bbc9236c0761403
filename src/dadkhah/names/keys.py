"""Cross-script name keys: one string for a name in Persian script or any romanisation.

The key is a consonant skeleton over a shared alphabet (see the header of
``data/romanization.csv``): «حسین», «Hossein», «Hussein», «Husayn» all give ``hsYn``,
while «حسن»/«Hassan» give ``hsn``.  A Latin word found in the name dictionary takes the
key of its Persian spelling, which covers romanisations the skeleton rules cannot reach
(Arabic-style short u: «Hussein», «Yusuf»; final alef maqsura: «Morteza» = «مرتضی»).

Keys are cached per word and per full string; :func:`name_keys` keys a whole column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from dadkhah.names._rules import load_rules
from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.normalize import ZWNJ, detect_script, normalize_latin, normalize_persian

__all__ = [
    "canonical_latin",
    "join_keys",
    "latin_skeleton",
    "name_key",
    "name_keys",
    "name_tokens",
    "persian_skeleton",
    "word_key",
]

_RUNS = re.compile(r"(.)\1+")
_PERSIAN_PUNCT = re.compile(r"[\-‐‑–—_/\\|.,;:()\[\]{}\"'!?*+=<>~^«»]+")


def _fold(key: str) -> str:
    return _RUNS.sub(r"\1", key)


def join_keys(keys: Iterable[str]) -> str:
    """Concatenate word keys into one: only the first word keeps its initial-vowel marker,
    so that «Ali Akbar» and «Aliakbar» (علی‌اکبر) agree."""
    out = []
    for k in keys:
        out.append(k if not out else k.lstrip("_"))
    key = _fold("".join(out))
    return "" if key == "_" else key


def _is_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


@lru_cache(maxsize=500_000)
def persian_skeleton(word: str) -> str:
    """Key of one Persian-script word (or ZWNJ compound).

    A ه before a ZWNJ is the silent final he of the first part (فاطمه‌زهرا); other
    ZWNJs only join.

    Examples
    --------
    >>> persian_skeleton("حسین"), persian_skeleton("حسن"), persian_skeleton("فاطمه")
    ('hsYn', 'hsn', 'ftmE')
    >>> persian_skeleton("احمد"), persian_skeleton("حامد")
    ('_hmd', 'hmd')
    """
    rules = load_rules()
    word = normalize_persian(word).replace(" ", ZWNJ)
    marker = rules.persian_marker.get(word[:1], "")
    return _fold(marker + "".join(rules.persian_key.apply(word)))


@lru_cache(maxsize=500_000)
def latin_skeleton(word: str) -> str:
    """Key of one romanised word by the grapheme rules alone (no dictionary).

    Examples
    --------
    >>> latin_skeleton("Hosseinzadeh"), latin_skeleton("Husayn"), latin_skeleton("Zahra")
    ('hsYnzdE', 'hsYn', 'zhrA')
    """
    rules = load_rules()
    word = normalize_latin(word).replace(" ", "")
    marker = rules.latin_marker.get(word[:1], "")
    return _fold(marker + "".join(rules.latin_key.apply(word)))


@lru_cache(maxsize=500_000)
def canonical_latin(word: str) -> str:
    """The usual spelling of one romanised word by the variant table.

    Examples
    --------
    >>> canonical_latin("Muhammad"), canonical_latin("Hosseinzade"), canonical_latin("Abdul")
    ('mohammad', 'hosseinzadeh', 'abdol')
    """
    rules = load_rules()
    w = normalize_latin(word).replace(" ", "")
    if w in rules.latin_token:
        return rules.latin_token[w]
    for src, dst in rules.latin_prefix:
        if w.startswith(src) and len(w) > len(src):
            w = dst + w[len(src) :]
            break
    for src, dst in rules.latin_suffix:
        if w.endswith(src) and len(w) > len(src):
            w = w[: -len(src)] + dst
            break
    return w


@lru_cache(maxsize=500_000)
def _latin_to_persian(word: str) -> str | None:
    """Persian spelling of a romanised word from the dictionary, or of its two parts."""
    d = load_name_dictionary()
    rules = load_rules()
    w = normalize_latin(word).replace(" ", "")
    for cand in (w, canonical_latin(w)):
        fa = d.by_latin.get(cand)
        if fa:
            return fa
    # compounds: Mohammadreza, Hosseinzadeh, Aliakbar, Fatemehzahra
    for i in range(2, len(w) - 1):
        left, right = w[:i], w[i:]
        lfa = d.by_latin.get(left) or d.by_latin.get(canonical_latin(left))
        if not lfa:
            continue
        rfa = rules.bound_suffix_persian.get(rules.bound_suffix.get(right, "")) or d.by_latin.get(
            right
        ) or d.by_latin.get(canonical_latin(right))
        if rfa:
            return lfa + ZWNJ + rfa
    return None


@lru_cache(maxsize=500_000)
def word_key(word: str) -> str:
    """Key of one word in either script (dictionary first for romanisations).

    Examples
    --------
    >>> word_key("حسین") == word_key("Hussein") == word_key("Hosein")
    True
    >>> word_key("Hassan") == word_key("Hossein")
    False
    """
    if _is_persian(word):
        return persian_skeleton(word)
    fa = _latin_to_persian(word)
    if fa is not None:
        return persian_skeleton(fa)
    return latin_skeleton(canonical_latin(word))


def name_tokens(text: str, *, join_bound: bool = True) -> tuple[list[str], list[str]]:
    """Split a name into (titles, words) after normalisation.

    Leading titles (Seyed, Haj, Mirza, سید …, and «Sadat» anywhere) are taken out but the
    last word is always kept; single-letter abbreviations (M. → Mohammad) are expanded
    before another word; bound parts (Zadeh, Pour, Nejad, Ollah) are joined to the word
    before them.
    """
    rules = load_rules()
    if _is_persian(text):
        norm = normalize_persian(_PERSIAN_PUNCT.sub(" ", normalize_persian(text)))
        words = [w for w in norm.split(" ") if w]
        lookup = [w.replace(ZWNJ, "") for w in words]
    else:
        norm = normalize_latin(text)
        words = [w for w in norm.split(" ") if w]
        lookup = words
    titles: list[str] = []
    kept: list[str] = []
    kept_lookup: list[str] = []
    for i, (w, lw) in enumerate(zip(words, lookup, strict=True)):
        is_last = i == len(words) - 1
        title = rules.titles.get(lw)
        if title and not is_last and (not kept or title == "sadat"):
            titles.append(title)
            continue
        abbr = rules.abbreviations.get(lw)
        if abbr and not is_last:
            w = lw = abbr
        if join_bound and kept and lw in rules.bound_suffix:
            joiner = ZWNJ if _is_persian(w) else ""
            kept[-1] = kept[-1] + joiner + w
            kept_lookup[-1] = kept_lookup[-1] + lw
            continue
        kept.append(w)
        kept_lookup.append(lw)
    return titles, kept


@lru_cache(maxsize=1_000_000)
def name_key(text: str) -> str:
    """Cross-script key of a name (any number of words, titles removed).

    Examples
    --------
    >>> name_key("علی‌اکبر حسین‌زاده") == name_key("Ali-Akbar Hosseinzadeh")
    True
    >>> name_key("Aliakbar Hoseinzade") == name_key("Ali Akbar Hossein Zadeh")
    True
    >>> name_key("Seyed Hasan Mohammadi") == name_key("حسن محمدی")
    True
    """
    _, words = name_tokens(text)
    return join_keys(word_key(w) for w in words)


def name_keys(values: Iterable[str | None]) -> list[str | None]:
    """:func:`name_key` over a column; ``None`` and blank stay ``None``.

    Repeated strings are keyed once (the common case in victim lists).
    """
    memo: dict[str, str | None] = {}
    out: list[str | None] = []
    append = out.append
    for v in values:
        if v is None:
            append(None)
            continue
        k = memo.get(v)
        if k is None and v not in memo:
            k = name_key(v) or None if v.strip() else None
            memo[v] = k
        append(k)
    return out


def script_of(text: str) -> str:
    """Alias of :func:`dadkhah.names.normalize.detect_script`."""
    return detect_script(text)
