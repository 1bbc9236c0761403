"""Cross-script name keys: one string for a name in Persian script or any romanisation.

The key is a consonant skeleton over a shared alphabet (see the header of
``data/romanization.csv``): «حسین», «Hossein», «Hussein», «Husayn» all give ``hsYn``,
while «حسن»/«Hassan» give ``hsn``.  A Latin word found in the name dictionary takes the
key of its Persian spelling, which covers romanisations the skeleton rules cannot reach
(Arabic-style short u: «Hussein», «Yusuf»; final alef maqsura: «Morteza» = «مرتضی»).

Keys are cached per word and per full string; :func:`name_keys` keys a whole column.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from functools import lru_cache

from dadkhah.names import normalize as _normalize
from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.normalize import (
    ZWNJ,
    detect_script,
    has_persian,
    normalize_latin,
    normalize_persian,
    teh_before_allah,
)
from dadkhah.names.rules import load_rules

__all__ = [
    "canonical_latin",
    "join_keys",
    "latin_skeleton",
    "loose_key",
    "name_key",
    "name_keys",
    "name_tokens",
    "persian_skeleton",
    "qg_key",
    "title_keys",
    "word_key",
    "written_initial",
]

_PERSIAN_PUNCT = re.compile(r"[\-‐‑–—_/\\|.,;:()\[\]{}\"'!?*+=<>~^«»]+")


# Key symbols that are consonants (the rest, V Y A E _, stand for vowels and markers).
_CONSONANTS = frozenset("bptjChxdrzsSqfkglmn")
# Graphemes of a long or short a between two same consonants that keep them apart: Persian
# writes the long a (ا/آ); a Latin «a» may be either.  Other unwritten vowels (Latin e/o,
# Persian ع) fold across, as Persian writes «محقق» Mohaghegh with two ق side by side.
_PERSIAN_A = frozenset("اآ")
_LATIN_A = frozenset({"a"})


def _fold_pieces(pieces: list[tuple[str, str]], apart: frozenset[str]) -> str:
    """Join the rules' (grapheme, symbol) outputs into a key, folding runs of one symbol
    (Abbas ``_bs``, Mohammad ``mhmd``), except a consonant repeated across a grapheme
    of ``apart`` (an a): «بابک» / Babak key ``bbk``, not ``bk`` like «بک»; nor across a
    rule of several letters that opens with a vowel (the e of «Jalaleddin» writes the
    alef of «جلال‌الدین»)."""
    out: list[str] = []
    gap = False  # an a between the last symbol and the next
    for piece, sym in pieces:
        if not sym:
            gap = gap or piece in apart
            continue
        if len(piece) > 1 and piece[0] in "aeiou":
            gap = True
        # a rule's own output is kept as written (لاله → llE)
        if out and out[-1][-1] == sym[0] and (not gap or sym[0] not in _CONSONANTS):
            sym = sym[1:]
        if sym:
            out.append(sym)
        gap = False
    return "".join(out)


def join_keys(keys: Iterable[str]) -> str:
    """Concatenate word keys into one: only the first word keeps its initial-vowel marker,
    so that «Ali Akbar» and «Aliakbar» (علی‌اکبر) agree."""
    # each word key is already folded: only the joins can make a new run
    key = ""
    for k in keys:
        if not k:
            continue
        if key:
            k = k.lstrip("_")
            if k and key[-1] == k[0]:
                k = k[1:]
        key += k
    return "" if key == "_" else key


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
    return _fold_pieces([("", marker), *rules.persian_key.pieces(word)], _PERSIAN_A)


@lru_cache(maxsize=500_000)
def latin_skeleton(word: str) -> str:
    """Key of one romanised word by the grapheme rules alone (no dictionary).

    Examples
    --------
    >>> latin_skeleton("Hosseinzadeh"), latin_skeleton("Hosayn"), latin_skeleton("Zahra")
    ('hsYnzdE', 'hsYn', 'zhrA')
    >>> latin_skeleton("Husayn")  # short u read as long: the dictionary covers this one
    'hVsYn'
    """
    rules = load_rules()
    word = normalize_latin(word).replace(" ", "")
    marker = rules.latin_marker.get(word[:1], "")
    return _fold_pieces([("", marker), *rules.latin_key.pieces(word)], _LATIN_A)


@lru_cache(maxsize=500_000)
def canonical_latin(word: str) -> str:
    """The usual spelling of one romanised word by the variant table.

    Examples
    --------
    >>> canonical_latin("Muhammad"), canonical_latin("Hosseinzade"), canonical_latin("Abdulkarim")
    ('mohammad', 'hosseinzadeh', 'abdolkarim')
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
    """Persian spelling of a romanised word from the dictionary, or of up to three known
    parts (Mohammadreza, Hosseinzadeh, Mohamadhosseinpoor)."""
    w = normalize_latin(word).replace(" ", "")
    return _compound(w, 3)


def _known(part: str) -> str | None:
    d = load_name_dictionary()
    return d.by_latin.get(part) or d.by_latin.get(canonical_latin(part))


def _compound(w: str, parts: int) -> str | None:
    fa = _known(w)
    if fa is not None or parts == 1:
        return fa
    rules = load_rules()
    bound = rules.bound_suffix_persian.get(rules.bound_suffix.get(w, ""))
    if bound is not None:
        return bound
    for i in range(2, len(w) - 1):
        left = _known(w[:i])
        if left is None:
            continue
        right = _compound(w[i:], parts - 1)
        if right is not None:
            return left + ZWNJ + right
    return None


_MAX_RESPELLED = 4


@lru_cache(maxsize=500_000)
def _respelled_to_persian(word: str) -> str | None:
    """Persian spelling of a romanised word the dictionary lacks as written but knows with
    Arabic-style short vowels read the Persian way: a bare i as e, u as o, a final -ah as
    -eh («SALIHI» = Salehi, «Mihdi» = Mehdi, «Mansurah» = Mansoureh: ALA-LC and
    Arabic-style lists without their diacritics).  Fewest changes first; two different
    names at the same number of changes give none, and a long i or u (a final i, the u of
    ou, the i of ei/ai) is never changed."""
    w = normalize_latin(word).replace(" ", "")
    if len(w) < 4 or not w.isascii() or not w.isalpha():
        return None
    # a spelling Iranians write for a given name, or such a name with the -i of descent
    # («Amineh», «Atifeh», «Sadighi» from «Sadigh»), is the press's own: its i is long
    from dadkhah.names.romanize_model import persian_list_spellings  # its lists load lazily

    press = persian_list_spellings()
    if w in press or w.endswith("i") and w[:-1] in press:
        return None
    # an i is read short only in a word with the ending such lists give surnames and
    # women's names (-i, -a, -ah, -eh): elsewhere a press i is as often long («Sadigh» is
    # صدیق, not «Sadegh»)
    short_i = w.endswith(("i", "a", "ah", "eh"))
    spots = [k for k, c in enumerate(w[:-1])
             if (c == "u" or c == "i" and short_i) and not (k and w[k - 1] in "aeo")]
    tail = w.endswith("ah") and len(w) > 4
    # Arabic-style lists end a woman's name in -a where Persian writes ه («Hamida», «Masuma»)
    bare_a = w.endswith("a") and len(w) > 4
    if not spots and not tail and not bare_a or len(spots) > _MAX_RESPELLED:
        return None
    # per place: the letters as written first, then the Persian short vowel (and for u
    # the press's ou, which an ASCII-folded ū also is)
    choices = [((k, w[k]), (k, "e" if w[k] == "i" else "o")) + (((k, "ou"),) if w[k] == "u"
                                                               else ()) for k in spots]
    if tail:
        choices.append(((len(w) - 2, "a"), (len(w) - 2, "e")))
    if bare_a:
        choices.append(((len(w) - 1, "a"), (len(w) - 1, "eh")))
    best: dict[int, set[str]] = {}
    for combo in itertools.product(*choices):
        changed = sum(1 for k, c in combo if c != w[k])
        if not changed:
            continue
        chars = list(w)
        for k, c in combo:
            chars[k] = c
        fa = _known("".join(chars))
        if fa is not None:
            best.setdefault(changed, set()).add(fa)
    return _sole_at_fewest(best)


def _sole_at_fewest(best: dict[int, set[str]]) -> str | None:
    """The one Persian spelling the readings with the fewest changes give (``best``: number
    of changes → spellings), or None when there is none or there are several."""
    if not best:
        return None
    found = best[min(best)]
    return next(iter(found)) if len(found) == 1 else None


_MAX_FRENCH_CH = 3


@lru_cache(maxsize=500_000)
def _french_to_persian(word: str) -> str | None:
    """Persian spelling of a word in a French-style romanisation, where ch writes ش and dj
    writes ج («Chahram» Shahram, «Hachemi» Hashemi, «Djamchid» Jamshid, «Kouroch»
    Kourosh), when the dictionary lacks it as written but knows it so respelled.  English
    and press spellings write چ as ch («Changiz», «Chamran»): such a word is known as
    written and never gets here; a word read both ways at the fewest changes gives none."""
    w = normalize_latin(word).replace(" ", "")
    if "ch" not in w or not w.isascii() or not w.isalpha():
        return None
    w = w.replace("dj", "j")
    spots = [k for k in range(len(w) - 1) if w.startswith("ch", k) and not (k and w[k - 1] == "t")]
    if not spots or len(spots) > _MAX_FRENCH_CH:
        return None
    best: dict[int, set[str]] = {}
    for n in range(1, len(spots) + 1):
        for chosen in itertools.combinations(spots, n):
            chars = list(w)
            for k in chosen:
                chars[k] = "s"  # ch -> sh
            fa = _latin_to_persian("".join(chars))
            if fa is not None:
                best.setdefault(n, set()).add(fa)
        if best:
            break
    return _sole_at_fewest(best)


def _alef_maqsura(word: str) -> str:
    """«مرتضا» as «مرتضی»: the spelling with ا that today's orthography gives names whose
    final ی is said a (Morteza, Mostafa, Mousa, Kobra), when the dictionary lacks the word
    as written and knows the ی spelling as a given name."""
    if len(word) < 3 or not word.endswith("ا"):
        return word
    d = load_name_dictionary()
    if d.lookup(word):
        return word
    other = word[:-1] + "ی"
    return other if any(e.kind == "given" for e in d.lookup(other)) else word


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
    if has_persian(word):
        return persian_skeleton(_alef_maqsura(word))
    fa = _latin_to_persian(word)
    if fa is None:
        fa = _respelled_to_persian(word)
    if fa is None:
        fa = _descent_to_persian(word)
    if fa is None:
        fa = _french_to_persian(word)
    if fa is not None:
        return persian_skeleton(fa)
    return latin_skeleton(canonical_latin(word))


_PERSIAN_VOWEL_ENDS = ("ا", "و", "ی", "ه", "ة", "ي", "ى")


@lru_cache(maxsize=500_000)
def _descent_to_persian(word: str) -> str | None:
    """Persian spelling of a romanised surname of descent the dictionary lacks, a known
    name ending in a consonant with the -i of descent («Husayni» = Husayn + i = حسینی,
    «Khusrawi» = خسروی, «Hafizi» = حافظی): romanisations spell the name's vowels their own
    way, so the whole word is often unknown though its stem is."""
    w = normalize_latin(word).replace(" ", "")
    if len(w) < 5 or not w.isascii() or not w.isalpha() or not w.endswith("i") \
            or w[-2] in "aeiouy":
        return None
    stem = w[:-1]
    fa = _latin_to_persian(stem) or _respelled_to_persian(stem)
    if fa is None or fa.endswith(_PERSIAN_VOWEL_ENDS):
        return None
    return fa + "ی"


_ASCII_TABLE = str.maketrans(
    {**{c: " " for c in "-_/\\|.,;:()[]{}\"!?*+=<>~^&#@%$"}, "'": None, "`": None}
)
_FA_TABLE: dict[int, str | None] = {**_normalize._LETTER_TABLE}
_FA_TABLE.update({ord(c): " " for c in "-‐‑–—_/\\|.,;:()[]{}\"'!?*+=<>~^«»،؛؟٫٬"})
_FA_TABLE.update({cp: None for cp in range(0x0610, 0x061B)})
_FA_TABLE.update({cp: None for cp in range(0x064B, 0x0660) if cp not in (0x0653, 0x0654, 0x0655)})
_FA_TABLE.update({cp: None for cp in (0x0670, 0x0640, 0x00AD, 0x061C, 0x200B, 0x200D, 0x200E,
                                      0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066,
                                      0x2067, 0x2068, 0x2069, 0xFEFF)})
# Anything that needs NFKC or the Latin pass: presentation forms, combining madda/hamza,
# Latin letters.  Such strings take the full normalisation.
_SLOW = re.compile("[A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0653-\u0655\u06d6-\u06ed\ufb50-\ufeff]")


def _words(text: str) -> list[str]:
    """Normalised words of a name, by a fast path when the text allows it.

    The fast paths (plain ASCII; Persian letters without presentation forms) give the same
    words as :func:`normalize_latin` / :func:`normalize_persian` followed by splitting.
    """
    if text.isascii():
        return text.lower().translate(_ASCII_TABLE).split()
    if has_persian(text):
        text = teh_before_allah(text)
        if not _SLOW.search(text):
            return text.translate(_FA_TABLE).split()
        norm = normalize_persian(_PERSIAN_PUNCT.sub(" ", normalize_persian(text)))
        return [w for w in norm.split(" ") if w]
    return normalize_latin(text).split()


def name_tokens(text: str, *, join_bound: bool = True) -> tuple[list[str], list[str]]:
    """Split a name into (titles, words) after normalisation.

    Leading titles (Seyed, Haj, Mirza, سید …, and «Sadat» anywhere), with an article written
    apart before one («Al-Hajj»), are taken out but the last word is always kept, and so is a
    title word a bound part follows («حاجی زاده» is the surname Hajizadeh);
    single-letter abbreviations (M. → Mohammad) are expanded
    before another word; bound parts (Zadeh, Pour, Nejad, Ollah) are joined to the word
    before them; words without letters (numbers in a cell) are dropped.
    """
    special = _special_words()
    words = _words(text)
    titles: list[str] = []
    kept: list[str] = []
    last = len(words) - 1
    for i, w in enumerate(words):
        lw = w.replace(ZWNJ, "") if ZWNJ in w else w
        if not kept and i != last and lw[:3] in _glued_title_starts():
            glued = _glued_title(lw)
            if glued is not None:  # «سیدعلی»: the title Seyed and the name Ali
                titles.append(glued[0])
                kept.append(glued[1])
                continue
        kind = special.get(lw)
        if kind is None and not kept and i != last and lw.isascii():
            kind = _misprinted_title(lw)
        if kind is None:
            if lw in _ARTICLES and not kept and i + 1 < last and \
                    special.get(words[i + 1], ("",))[0] == "title":
                continue  # «Al-Hajj»: the article is part of the title, as parse_name reads it
            if w.isdigit():
                continue
            kept.append(w)
            continue
        what, value = kind
        if what == "title":
            # a title word before a bound part is the surname's first part: «حاجی زاده»
            # Hajizadeh, «میر پور» Mirpour, «Agha Zadeh»
            bound_next = i != last and special.get(words[i + 1], ("",))[0] == "bound"
            if i != last and (not kept or value == "sadat") and not bound_next:
                titles.append(value)
                continue
        elif what == "abbr":
            if i != last:
                w = value
        elif what == "bound" and join_bound and kept:
            kept[-1] = kept[-1] + (ZWNJ if has_persian(w) else "") + w
            continue
        kept.append(w)
    return titles, kept


def written_initial(text: str) -> bool:
    """Whether the first name word of ``text`` (after leading titles) is an initial that
    :func:`name_tokens` expands («M. Reza», «م. رضا» → Mohammad Reza).

    The expansion is the usual reading, not what the list wrote: «M.» may stand for
    Mahmoud or Mostafa too, so a comparison that would call two given names different
    must not hold the expansion against another name starting with the same letter.

    >>> written_initial("M. Reza Ahmadi"), written_initial("سید م. رضا احمدی")
    (True, True)
    >>> written_initial("Mohammad Reza Ahmadi")
    False
    """
    special = _special_words()
    for w in _words(text):
        kind = special.get(w.replace(ZWNJ, "") if ZWNJ in w else w)
        if kind is not None and kind[0] == "title":
            continue
        return kind is not None and kind[0] == "abbr"
    return False


@lru_cache(maxsize=1)
def _printed_titles() -> dict[str, str]:
    """Latin titles of four letters or more by their printed-Latin fold
    (:data:`_OCR_FOLD`, :data:`_OCR_PAIRS`, vowels kept): the title each stands for."""
    return {_print_fold(w): v for w, v in load_rules().titles.items()
            if w.isascii() and len(w) >= 4}


def _print_fold(word: str) -> str:
    """A lower-case Latin word with the letters printed Latin confuses folded
    (:data:`_OCR_PAIRS`, then :data:`_OCR_FOLD`), vowels kept."""
    for a, b in _OCR_PAIRS:
        word = word.replace(a, b)
    return word.translate(_OCR_FOLD)


@lru_cache(maxsize=65536)
def _misprinted_title(word: str) -> tuple[str, str] | None:
    """("title", title) of a Latin word that is a title misread in print («Scyed»,
    «Sbeikh», «Bajj»: c/e, h/b, rn/m confused), unless the names dictionary knows the
    word as a name.  An OCR'd list's «Scyed Kazem» otherwise keys its given name as
    «Scyed Kazem», which meets no other list's «Seyed Kazem» or «کاظم»."""
    title = _printed_titles().get(_print_fold(word))
    if title is None or load_name_dictionary().lookup(word):
        return None
    return ("title", title)


@lru_cache(maxsize=1)
def _glued_titles() -> tuple[tuple[str, str], ...]:
    """(spelling, title) of the Seyed title, which lists write glued to the given name
    («سیدعلی», «Seyedali», «سیده‌فاطمه»): the title table's spellings read «seyed»
    (romanization.csv), longest first, so «سیده» is not read as «سید» + «ه…»."""
    titles = load_rules().titles
    return tuple(sorted(((w, v) for w, v in titles.items() if v == "seyed" and len(w) >= 3),
                        key=lambda wv: -len(wv[0])))


@lru_cache(maxsize=1)
def _glued_title_starts() -> frozenset[str]:
    """First three letters of the glued spellings: a word is looked at only if it opens so."""
    return frozenset(w[:3] for w, _ in _glued_titles())


@lru_cache(maxsize=100_000)
def _glued_title(word: str) -> tuple[str, str] | None:
    """(title, given name) of a word that is a Seyed title written together with a given
    name the dictionary knows, else None.  Only a known given name that is not also a
    surname is split off: «سیدحسینی» (Seyed-Hosseini, a surname) stays one word."""
    d = load_name_dictionary()
    for spelling, title in _glued_titles():
        rest = word[len(spelling):]
        if not word.startswith(spelling) or len(rest) < 2:
            continue
        if {e.kind for e in d.lookup(rest)} == {"given"}:
            return title, rest
    return None


_ARTICLES = frozenset(("al", "el", "ul", "ol", "ال"))
"""The Arabic article written apart, which before a leading title («Al-Hajj», «El Sayed»,
«ال حاج») belongs to the title (as :func:`dadkhah.names.parse_name` reads it)."""


@lru_cache(maxsize=1)
def _special_words() -> dict[str, tuple[str, str]]:
    """One look-up for every word the tokenizer treats specially (titles first)."""
    rules = load_rules()
    out: dict[str, tuple[str, str]] = {}
    for w in rules.bound_suffix:
        out[w] = ("bound", w)
    for w, v in rules.abbreviations.items():
        out[w] = ("abbr", v)
    for w, v in rules.titles.items():
        out[w] = ("title", v)
    return out


@lru_cache(maxsize=1)
def title_keys() -> frozenset[str]:
    """Word keys of the titles the names rules know («Haj», «Mirza»...) that are no given
    name of the names dictionary: a given-name key among them is a title, not a given name.
    «Seyed» shares its key with «Saeed» / «سعید» (and «Seyedeh» with «Saeedeh»), two of the
    commonest given names, so that key stays a name (a lone «Seyed» cell is told by its
    spelling instead: :func:`dadkhah.names.lone_titles`)."""
    given = {word_key(e.persian) for e in load_name_dictionary().entries if e.kind == "given"}
    return frozenset(word_key(t) for t in load_rules().titles) - given


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

    Repeated strings are keyed once (the common case in victim lists), and each distinct
    word once; names without titles, abbreviations or bound parts skip the general path.
    """
    memo: dict[str, str | None] = {}
    special = _special_words()
    general = "\x00"  # a word that needs the general path (title, bound part, digits)
    words_memo: dict[str, str] = dict.fromkeys(special, general)
    out: list[str | None] = []
    append = out.append
    missing = object()
    for v in values:
        if v is None:
            append(None)
            continue
        k = memo.get(v, missing)
        if k is missing:
            parts = []
            for w in _words(v):
                wk = words_memo.get(w)
                if wk is None:
                    lw = w.replace(ZWNJ, "") if ZWNJ in w else w
                    wk = general if lw in special or w.isdigit() else word_key(w)
                    words_memo[w] = wk
                if wk is general:
                    k = name_key(v) or None
                    break
                parts.append(wk)
            else:
                k = join_keys(parts) or None
            memo[v] = k
        append(k)  # type: ignore[arg-type]
    return out


# ch/sh and zh/j fold together: French and other romanisations write ش as «ch» (Afchari,
# Kechavarz) and ژ as «j»/«dj» (Nedjad, Najad = نژاد), and the dictionary cannot know every
# surname.
_LOOSE = str.maketrans("CZ", "Sj", "VYAE_")


def loose_key(key: str) -> str:
    """The consonants of a name key only (long vowels, final-vowel and initial markers
    dropped; ch/sh and zh/j folded): a coarser key for blocking, equal for more spellings of
    one name («Rohani» = «Rouhani», French «Afchari» = «افشاری») and for more different
    names («Hasan» = «Hossein»).

    Examples
    --------
    >>> loose_key(name_key("Rohani")) == loose_key(name_key("Rouhani"))
    True
    >>> loose_key(name_key("Hasan")) == loose_key(name_key("Hossein"))
    True
    >>> loose_key(name_key("Kechavarz")) == loose_key(name_key("کشاورز"))
    True
    """
    return key.translate(_LOOSE)


_SHAPE = str.maketrans("ptnhxdzSqg", "bbbbjrrsfk")
_DOUBLE = re.compile(r"(.)\1+")


def shape_key(key: str) -> str:
    """The consonants of a name key with the letters a misreading confuses folded together:
    Persian letters told apart only by their dots (ب پ ت ن، ج خ، د ذ ر ز ژ، س ش، ف ق،
    ک گ), and in Latin print «rn» for «m» and «b» for «h».  Much coarser than
    :func:`loose_key`: for finding candidate pairs among scanned lists, never for deciding.

    Examples
    --------
    >>> shape_key(name_key("Mobammad")) == shape_key(name_key("Mohammad"))
    True
    >>> shape_key(name_key("Moharnmad")) == shape_key(name_key("Mohammad"))
    True
    >>> shape_key(name_key("بابایی")) == shape_key(name_key("بانایی"))
    True
    """
    return _DOUBLE.sub(r"\1", loose_key(key).replace("rn", "m").translate(_SHAPE))


_OCR_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"))
_OCR_FOLD = str.maketrans("clh", "eib", "")
_NOT_LATIN = re.compile(r"[^a-z]+")
_VOWELS = re.compile(r"[aeiouy]+")


def latin_print_key(text: str) -> str:
    """A Latin name folded for letters that the reading of printed Latin (OCR) confuses,
    vowels dropped: «rn»/«m», «cl»/«d», «c»/«e», «l»/«i», «h»/«b».  Latin forms, not keys,
    since a name key already reads «c» as ک: «Vaczi» and «Vaezi», «Dchghani» and
    «Dehghani», «Rasouikhani» and «Rasoulkhani», «Sbeikh» and «Sheikh» agree.  Very
    coarse: for finding candidate pairs, never for deciding.

    Examples
    --------
    >>> latin_print_key("Dchghani") == latin_print_key("Dehghani")
    True
    >>> latin_print_key("Urnid") == latin_print_key("Omid")
    True
    >>> latin_print_key("Hassan") == latin_print_key("Hamid")
    False
    """
    s = _print_fold(_NOT_LATIN.sub("", text.lower()))
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", s))


def qg_key(key: str) -> str:
    """A name key with ``g`` (گ) written as ``q`` (ق/غ, Latin q/gh): lists confuse the
    three letters («قاسم» / «گاسم», «Sadegh» / «Sadeg», «Qulamamini» / «Gulamamini»), and a
    Latin «g» may stand for any of them.  Coarser than :func:`name_key` and finer than
    :func:`loose_key` (which keeps them apart): for finding candidate pairs, never for
    deciding.

    Examples
    --------
    >>> qg_key(name_key("Sadegi")) == qg_key(name_key("صادقی"))
    True
    >>> qg_key(name_key("گلامی")) == qg_key(name_key("Gholami"))
    True
    >>> qg_key(name_key("Haghani")) == qg_key(name_key("Hakani"))
    False
    """
    return key.replace("g", "q")


def script_of(text: str) -> str:
    """Alias of :func:`dadkhah.names.normalize.detect_script`."""
    return detect_script(text)
