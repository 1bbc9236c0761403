"""Unicode normalisation of Persian-script and Latin-script name strings.

Both functions are idempotent (``f(f(x)) == f(x)``) and total: any ``str`` goes in,
a ``str`` comes out, nothing raises.

Persian script (:func:`normalize_persian`):

* Arabic letter forms to Persian (ي ى → ی, ك → ک, ة → ه, ۀ and هٔ → ه, أ إ ٱ → ا,
  ؤ → و); ئ is kept (it is a letter in رضائی) but the keys treat it as a glide; ة before
  «الله» is ت, as it is read and as Persian writes it («رحمة الله» is «رحمت‌الله»
  Rahmatollah, «آیة الله» «آیت‌الله»).
* harakat, tanwin, shadda, sukun, superscript alef, tatweel removed;
* Persian and Arabic-Indic digits to ASCII;
* bidi controls and other invisible format characters removed; ZWNJ (U+200C) kept
  between letters only, doubled or edge ZWNJs dropped;
* whitespace folded to single spaces, trimmed.

Latin script (:func:`normalize_latin`): NFKC, lower case, diacritics removed
(ā ī ū ḥ ṣ → a i u h s), ayn/hamza marks and apostrophes removed, hyphens and
punctuation between name parts become spaces, whitespace folded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "ZWNJ",
    "detect_script",
    "fold_digits",
    "fold_letters",
    "normalize_latin",
    "normalize_name",
    "normalize_persian",
    "persian_digits",
    "teh_before_allah",
]

ZWNJ = "\u200c"

_DIGITS = {ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")})

_LETTERS = {
    "ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ێ": "ی",
    "ك": "ک", "ڪ": "ک",
    "ة": "ه", "ۀ": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه",
    "أ": "ا", "إ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ۆ": "و", "ۇ": "و", "ۈ": "و",
    "ڤ": "و",
    # Arabic punctuation that shows up between name parts
    "،": ",", "؛": ";", "؟": "?", "٫": ".", "٬": ",",
}
_LETTER_TABLE = {ord(k): v for k, v in _LETTERS.items()}
_ONLY_LETTERS = {ord(k): v for k, v in _LETTERS.items() if not k.isascii() and v.isalpha()}
_LETTER_TABLE.update(_DIGITS)

# Harakat, tanwin, shadda, sukun, superscript alef, hamza above/below (هٔ → ه), Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Invisible format characters: bidi marks and embeddings, ZWJ, BOM, soft hyphen, word joiner...
_INVISIBLE = re.compile("[\u00ad\u061c\u200b\u200d-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_SPACE = re.compile(r"\s+")
_ZWNJ_RUN = re.compile(f"{ZWNJ}+")
_ZWNJ_EDGE = re.compile(rf"(^|\s){ZWNJ}+|{ZWNJ}+(?=\s|$)")

# Fast paths: text made only of these characters gives the same result with one
# str.translate as with the full passes (no NFKC change, no ZWNJ to clean).
_FA_FAST = re.compile("[\u0600-\u0652\u0656-\u06ff !-~\t\n\r]*")
_FA_FAST_TABLE: dict[int, str | None] = dict(_LETTER_TABLE)
_FA_FAST_TABLE.update({cp: None for cp in range(0x0610, 0x061B)})
_FA_FAST_TABLE.update({cp: None for cp in range(0x064B, 0x0660)})
_FA_FAST_TABLE.update({cp: None for cp in (0x0670, 0x0640, 0x061C)})
_FA_FAST_TABLE.update({cp: None for cp in range(0x06D6, 0x06EE)})
_ASCII_FAST = re.compile("[ -~\t\n\r]*")

# Persian letters that never join to the following letter: a ZWNJ after them is invisible.
_NON_JOINING = "ادذرزژوآ"


_TO_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_TO_PERSIAN_NUMBER = str.maketrans("0123456789%.,", "۰۱۲۳۴۵۶۷۸۹٪٫٬")


def persian_digits(text: str, *, number: bool = False) -> str:
    """ASCII digits to Persian ones (the inverse of :func:`fold_digits` for display).

    With ``number=True`` the text is a formatted number: the decimal point, the thousands
    comma and the per cent sign become their Persian forms too (``٫ ٬ ٪``).  Leave it off
    for dates and running text, whose dots and commas are punctuation.

    Examples
    --------
    >>> persian_digits("1367/05/10")
    '۱۳۶۷/۰۵/۱۰'
    >>> persian_digits("1,234.5%", number=True)
    '۱٬۲۳۴٫۵٪'
    """
    return text.translate(_TO_PERSIAN_NUMBER if number else _TO_PERSIAN_DIGITS)


def fold_letters(text: str) -> str:
    """Arabic letter forms to the Persian ones (ي→ی, ك→ک, ة→ه, أ→ا …); nothing else changes.

    The one table of letter variants: search, header matching and value folding all use it,
    so «علي» and «علی» are the same name everywhere.

    Examples
    --------
    >>> fold_letters("علي كاظمي")
    'علی کاظمی'
    """
    return text.translate(_ONLY_LETTERS)


def fold_digits(text: str) -> str:
    """Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII.

    Examples
    --------
    >>> fold_digits("۱۳۶۷/۰۵/۱۰")
    '1367/05/10'
    """
    return text.translate(_DIGITS)


def _clean_zwnj(text: str) -> str:
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    text = _ZWNJ_EDGE.sub(lambda m: m.group(1), text)
    # a ZWNJ after a non-joining letter changes nothing visible: drop it so that the
    # two spellings compare equal
    out = []
    for i, ch in enumerate(text):
        if ch == ZWNJ:
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if not prev or prev in _NON_JOINING or not _is_letter(prev) or not _is_letter(nxt):
                continue
        out.append(ch)
    return "".join(out)


def _is_letter(ch: str) -> bool:
    return bool(ch) and unicodedata.category(ch).startswith("L")


# ة read t before «الله» (an Arabic idafa: «رحمة الله», «هدایة الله»), with a space, a ZWNJ
# or nothing between; the ة of «فاطمة» or «الزهراء» elsewhere stays ه.
_MARKS = "[\u0640\u064b-\u065f\u0670]*"
_TEH_BEFORE_ALLAH = re.compile(
    f"\u0629(?={_MARKS}[ \u200c]?\u0627{_MARKS}\u0644{_MARKS}\u0644?{_MARKS}\u0647)")


def teh_before_allah(text: str) -> str:
    """``text`` with a ة before «الله» written ت («رحمة الله» → «رحمت الله»)."""
    return _TEH_BEFORE_ALLAH.sub("ت", text) if "ة" in text else text


@lru_cache(maxsize=200_000)
def normalize_persian(text: str) -> str:
    """Normalise Persian-script text (letters, diacritics, digits, ZWNJ, spaces).

    Examples
    --------
    >>> normalize_persian("علي‌اكبر  حسين زاده")
    'علی\u200cاکبر حسین زاده'
    >>> normalize_persian("مُحَمَّد") == normalize_persian("محمد")
    True
    """
    text = teh_before_allah(text)
    if _FA_FAST.fullmatch(text):
        return " ".join(text.translate(_FA_FAST_TABLE).split())
    return _normalize_persian_slow(text)


def _normalize_persian_slow(text: str) -> str:
    # Removing a mark can let NFKC compose what it could not before, so repeat the
    # pass until nothing changes (twice in practice); that makes idempotence hold.
    for _ in range(4):
        new = _persian_pass(text)
        if new == text:
            break
        text = new
    return text


def _persian_pass(text: str) -> str:
    # NFKC folds presentation forms (ﻋﻠﻰ) into base letters; the table runs after it
    # because NFKC can produce Arabic letter forms again.
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_LETTER_TABLE)
    text = _DIACRITICS.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    text = _clean_zwnj(text)
    return _SPACE.sub(" ", text).strip()


_LATIN_SPECIAL = {
    "ʿ": "", "ʾ": "", "ʼ": "", "ʻ": "", "`": "", "´": "", "'": "", "’": "", "‘": "",
    "ı": "i", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
    "þ": "th",
}
_LATIN_TABLE = {ord(k): v for k, v in _LATIN_SPECIAL.items()}
_LATIN_TABLE.update(_DIGITS)
_LATIN_SEPARATORS = re.compile(r"[\-‐‑‒–—_/\\|.,;:()\[\]{}\"!?*+=<>~^]+")
_ASCII_FAST_TABLE = {ord(c): " " for c in "-_/\\|.,;:()[]{}\"!?*+=<>~^"}
_ASCII_FAST_TABLE.update({ord("'"): "", ord("`"): ""})


@lru_cache(maxsize=200_000)
def normalize_latin(text: str) -> str:
    """Normalise romanised text: case, diacritics, ayn/hamza marks, separators.

    Examples
    --------
    >>> normalize_latin("ʿAlī-Akbar  Ḥoseyn-Zādeh")
    'ali akbar hoseyn zadeh'
    >>> normalize_latin("Ja'far")
    'jafar'
    """
    if _ASCII_FAST.fullmatch(text):
        return " ".join(text.lower().translate(_ASCII_FAST_TABLE).split())
    return _normalize_latin_slow(text)


def _normalize_latin_slow(text: str) -> str:
    for _ in range(4):
        new = _latin_pass(text)
        if new == text:
            break
        text = new
    return text


# Marks of a scholarly romanisation (ALA-LC, DMG, EI): long vowels with a macron, emphatic
# consonants with a dot or line, ayn/hamza as modifier letters.
_SCHOLARLY_MARKS = frozenset("\u0304\u0323\u0331\u0307\u032e\u02bb\u02bc\u02bf\u02be")
_SCHOLARLY_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f\u02bb\u02bc\u02bf\u02be])+")
_SHORT_VOWELS = {"i": "e", "u": "o"}


def _press_vowels(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _SCHOLARLY_MARKS.intersection(word):
        return word
    # A scholarly system marks every long vowel (ā ī ū), so a bare i or u is short: the
    # Persian e and o of the press spelling (Ṣāliḥī = Salehi, Gulistānī = Golestani,
    # Manṣūrah = Mansureh); its ay/aw are the press ey/ow and a final short vowel before a
    # plain h is the silent he (Fāṭimah = Fatemeh, Zādah = Zadeh).  Without the marks the
    # same letters are ambiguous (Rahimi has two long i), so unmarked words are left alone.
    out: list[str] = []
    n = len(word)
    for i, ch in enumerate(word):
        marked = i + 1 < n and word[i + 1] == "\u0304"
        prev = out[-1] if out else ""
        if ch in _SHORT_VOWELS and not marked:
            at_end = word[i + 1:] in ("h", "H")
            out.append(_SHORT_VOWELS[ch] if not at_end else "e")
        elif ch in "yw" and prev == "a" and (i + 1 >= n or word[i + 1] not in "aeiouāīū\u0304"):
            out[-1] = "e" if ch == "y" else "o"
            out.append(ch)
        elif ch == "a" and not marked and word[i + 1:] == "h" and i > 0:
            out.append("e")
        else:
            out.append(ch)
    return "".join(out)


# Marks only a scholarly system writes: the long-vowel macron and the dots and lines under
# or over consonants.  The ʿ of ʿayn and the ʾ of hamza alone are not enough: «ʿAli»,
# «Jaʿfari» mark the ʿayn and leave the long vowels unmarked, as press spellings do.
_SYSTEM_MARKS = frozenset("\u0304\u0323\u0331\u0307\u032e")


def _scholarly_to_press(text: str) -> str:
    """Words romanised by a scholarly system, respelled with the press's short vowels.
    A text counts as scholarly when it carries a macron or a dot or line under a letter
    somewhere (then an «ʿ» word of it is scholarly too, «ʿAlī»)."""
    text = unicodedata.normalize("NFD", text)
    if _SYSTEM_MARKS.isdisjoint(text):
        return text
    return _SCHOLARLY_WORD.sub(_press_vowels, text)


def _latin_pass(text: str) -> str:
    text = _scholarly_to_press(unicodedata.normalize("NFKC", text).lower())
    text = unicodedata.normalize("NFKC", text).translate(_LATIN_TABLE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text).translate(_LETTER_TABLE)  # ئ → ي → ی
    text = _INVISIBLE.sub("", text).replace(ZWNJ, "")
    text = _LATIN_SEPARATORS.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def has_persian(text: str) -> bool:
    """Whether ``text`` holds any character of the Arabic block (U+0600–U+06FF: Persian and
    Arabic letters, digits and marks): the test the name readers use to choose Persian
    normalisation over Latin for a word or a cell (:func:`detect_script` weighs the scripts
    of a whole text instead)."""
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def detect_script(text: str) -> str:
    """``"persian"``, ``"latin"``, ``"mixed"`` or ``"none"`` by the letters in *text*.

    Examples
    --------
    >>> detect_script("حسین"), detect_script("Hossein"), detect_script("1367")
    ('persian', 'latin', 'none')
    """
    arabic = latin = 0
    for ch in text:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF or 0xFB50 <= o <= 0xFEFF or 0x0750 <= o <= 0x077F:
            if unicodedata.category(ch).startswith("L"):
                arabic += 1
        elif ch.isalpha() and o < 0x0250 or 0x1E00 <= o <= 0x1EFF:
            latin += 1
    if arabic and latin:
        return "persian" if arabic >= 3 * latin else "latin" if latin >= 3 * arabic else "mixed"
    if arabic:
        return "persian"
    if latin:
        return "latin"
    return "none"


def normalize_name(text: str) -> str:
    """Normalise text in either script.

    Persian normalisation runs first (it leaves Latin letters alone); if Latin letters
    are then present the Latin pass follows (lower case, diacritics, separators).
    """
    if text.isascii():
        return normalize_latin(text)
    p = normalize_persian(text)
    if detect_script(p) != "persian":
        return normalize_latin(p)
    return p
