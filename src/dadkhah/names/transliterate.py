"""Persian script → Latin: the dictionary's vowelled form for known names, a guess otherwise.

The guess writes the letters Persian script has (consonants, long vowels) and no short
vowels, so «گوهردشت» comes out as «Gouhrdsht»: recognisable, clearly not a spelling
anyone uses, and marked as a guess by :func:`transliterate_word`.
"""

from __future__ import annotations

from functools import lru_cache

from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.keys import _latin_to_persian, canonical_latin, name_tokens
from dadkhah.names.normalize import ZWNJ, normalize_persian
from dadkhah.names.rules import load_rules

__all__ = ["latin_form", "transliterate", "transliterate_word"]


def _is_persian(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _guess(word: str) -> str:
    rules = load_rules()
    return "".join(rules.persian_latin.apply(word))


@lru_cache(maxsize=200_000)
def transliterate_word(word: str) -> tuple[str, bool]:
    """(Latin spelling, known) for one Persian word or ZWNJ compound.

    ``known`` is True when every part came from the name dictionary or the bound-part
    table; False when any part is a letter-by-letter guess.

    Examples
    --------
    >>> transliterate_word("حسین‌زاده")
    ('Hosseinzadeh', True)
    >>> transliterate_word("گوهردشت")
    ('Gouhrdsht', False)
    """
    d = load_name_dictionary()
    rules = load_rules()
    word = normalize_persian(word).replace(" ", ZWNJ)
    whole = d.latin_for_persian(word)
    if whole:
        return whole, True
    parts = [p for p in word.split(ZWNJ) if p]
    out: list[str] = []
    known = True
    for p in parts:
        lat = d.latin_for_persian(p)
        if lat is None and p in rules.bound_suffix:
            lat = rules.bound_suffix[p]
        if lat is None:
            lat = _split_known(p)
        if lat is None:
            lat = _guess(p)
            known = False
        out.append(lat.lower())
    text = "".join(out)
    return text[:1].upper() + text[1:], known


def _split_known(word: str) -> str | None:
    """A compound written without ZWNJ (محمدرضا, علیزاده): two known parts."""
    d = load_name_dictionary()
    rules = load_rules()
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        lat_l = d.latin_for_persian(left)
        if not lat_l:
            continue
        lat_r = d.latin_for_persian(right) or rules.bound_suffix.get(right)
        if lat_r:
            return lat_l.lower() + lat_r.lower()
    return None


def transliterate(text: str) -> str:
    """Latin form of a Persian-script name, word by word, titles kept in front.

    Examples
    --------
    >>> transliterate("سید علی‌اکبر حسین زاده")
    'Seyed Aliakbar Hosseinzadeh'
    """
    titles, words = name_tokens(text)
    out = [t.capitalize() for t in titles]
    for w in words:
        if _is_persian(w):
            out.append(transliterate_word(w)[0])
            continue
        fa = _latin_to_persian(w)
        if fa is not None:  # a known name: its preferred spelling (Hoseinzade → Hosseinzadeh)
            out.append(transliterate_word(fa)[0])
        else:
            out.append(canonical_latin(w).capitalize())
    return " ".join(out)


def latin_form(text: str) -> str:
    """Display form in Latin for a name in either script.

    Persian script is transliterated; a romanisation of a name in the dictionary takes
    the dictionary's preferred spelling («Muhammad Husayn» → «Mohammad Hossein»), other
    romanisations their usual spelling by the variant table.
    """
    return transliterate(text)
