"""The errors lists make, one function per kind, and which records get them.

Each kind of :data:`~dadkhah.simulate.config.ERROR_KINDS` is drawn independently per record
at the list's rate (:class:`~dadkhah.simulate.config.ErrorProfile`), among the records it
can apply to (``eligible``: a dropped middle name needs two given names, a missing father's
name a list that records fathers).  The mutators below change one written value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from dadkhah.simulate.config import ERROR_KINDS, EXTRA_ERROR_KINDS, ErrorProfile

__all__ = ["CP1256", "TITLES", "arabic_digits", "draw_errors", "draw_extra_errors", "initials",
           "ocr", "other_prison", "romanise", "typo"]

CP1256 = str.maketrans({"ی": "ي", **{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
                        **{c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}})
"""Windows-1256 has Arabic ي but no Persian ی, and no Persian or Arabic-Indic digits: files
written in it use ي and ASCII digits, as legacy Persian files do."""

_FA_TO_AR_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
_OCR_FA = str.maketrans({"ی": "ي", "ک": "ك", "\u200c": ""})
_FINAL_HE = re.compile(r"ه(?=\s|$)")
_FA_SIMILAR = ("بپتث", "جچحخ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ", "ای")
_LA_SIMILAR = ("ae", "ei", "ou", "sz", "kq", "gq", "vw", "dt", "bp", "mn", "yi")
_OCR_LA = (("m", "rn"), ("rn", "m"), ("l", "I"), ("e", "c"), ("h", "b"))
_CONFUSED = {"prison:evin": "prison:gohardasht", "prison:gohardasht": "prison:evin",
             "prison:qezel_hesar": "prison:gohardasht", "prison:karun": "prison:sepidar",
             "prison:sepidar": "prison:karun", "prison:dezful": "prison:karun",
             "prison:qasr": "prison:evin"}
"""Prisons most often named for one another (same city or same region)."""


def draw_errors(rng: np.random.Generator, err: ErrorProfile, eligible: dict[str, object],
                m: int) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """(errors, eligible): a boolean array per kind over ``m`` records.

    ``eligible`` maps each kind to a bool or a boolean array (which records it can touch).
    Kinds are drawn in the order of :data:`ERROR_KINDS`, so a list's draws do not depend on
    the order the caller lists them in.
    """
    errors: dict[str, np.ndarray] = {}
    elig: dict[str, np.ndarray] = {}
    for kind in ERROR_KINDS:
        draw = rng.random(m) < getattr(err, kind)
        elig[kind] = np.broadcast_to(np.asarray(eligible.get(kind, True), dtype=bool), (m,))
        errors[kind] = draw & elig[kind]
    return errors, elig


def draw_extra_errors(rng: np.random.Generator, err: ErrorProfile,
                      eligible: dict[str, object], m: int
                      ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """As :func:`draw_errors` for :data:`EXTRA_ERROR_KINDS`, from their own stream ``rng``.

    One draw per kind whatever its rate, so a profile's rates do not move each other's
    records; ``missing_surname`` is cleared where ``missing_given`` is set (a record keeps
    one of its names).
    """
    errors: dict[str, np.ndarray] = {}
    elig: dict[str, np.ndarray] = {}
    for kind in EXTRA_ERROR_KINDS:
        draw = rng.random(m) < getattr(err, kind)
        elig[kind] = np.broadcast_to(np.asarray(eligible.get(kind, True), dtype=bool), (m,))
        errors[kind] = draw & elig[kind]
    errors["missing_surname"] &= ~errors["missing_given"]
    return errors, elig


TITLES = (("حاج", "Hajj"), ("میرزا", "Mirza"), ("سید", "Seyed"), ("شیخ", "Sheikh"),
          ("مشهدی", "Mashhadi"))
"""Honorifics a list may put before a given name (``title_added``): (Persian, Latin)."""

_TO_AR_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹0123456789", "٠١٢٣٤٥٦٧٨٩" * 2)


def arabic_digits(s: str) -> str:
    """Persian and ASCII digits written as Arabic-Indic: «۱۳۶۷» → «١٣٦٧»."""
    return s.translate(_TO_AR_DIGITS)


_SYSTEM_RULES: dict[str, tuple[tuple[str, str], ...]] = {
    "ala_lc": ((r"(?<=\w)(zadeh|zade)\b", r" Zada"), (r"ou|oo", "u"), (r"ei|ey", "ay"),
               (r"ss", "s"), (r"eh\b", "a"), (r"o", "u"), (r"e", "a"), (r"O", "U"),
               (r"E", "A")),
    "arabic": ((r"(?<=\w)(zadeh|zade)\b", r" Zada"), (r"Gh|Q", "Q"), (r"gh", "q"),
               (r"ou|oo", "u"), (r"ei|ey", "ay"), (r"ss", "s"), (r"eh\b", "a"), (r"o", "u"),
               (r"e", "a"), (r"O", "U"), (r"E", "A"), (r"v", "w"), (r"V", "W")),
    "simplified": ((r"Gh", "G"), (r"gh", "g"), (r"ou|oo", "u"), (r"mm", "m"), (r"ss", "s"),
                   (r"o", "u"), (r"O", "U")),
    "french": ((r"ou|oo", "\u00a7"), (r"u", "ou"), (r"\u00a7", "ou"), (r"Sh", "Ch"),
               (r"sh", "ch"), (r"J", "Dj"), (r"(?<!D)j", "dj"),
               (r"(?<=[aeiou])s(?=[aeiou])", "ss")),
}
_SYSTEM_RE = {k: tuple((re.compile(a), b) for a, b in v) for k, v in _SYSTEM_RULES.items()}


def romanise(latin: str, persian: str, system: str) -> str:
    """The dictionary's romanisation ``latin`` rewritten in another system.

    ``dictionary`` leaves it; ``ala_lc`` «Mohammad Hosseinzadeh» → «Muhammad Husayn Zada»;
    ``arabic`` also q for gh, w for v and an apostrophe for an initial ع of ``persian``
    («Ghorbani» → «Qurbani», «Ali» → «'Ali»); ``simplified`` «Gurbani», «Mohamad»;
    ``french`` «Djavad», «Moussavi».  Rules over letters, not a transliteration: lists
    written by hand follow habits, not standards.

    >>> romanise("Hossein", "حسین", "ala_lc"), romanise("Ghorbani", "قربانی", "simplified")
    ('Husayn', 'Gurbani')
    >>> romanise("Ali", "علی", "arabic"), romanise("Javad", "جواد", "french")
    ("'Ali", 'Djavad')
    """
    if system == "dictionary":
        return latin
    out = latin
    for pat, rep in _SYSTEM_RE[system]:
        out = pat.sub(rep, out)
    if system == "arabic" and persian.startswith("ع") and out[:1].isalpha():
        out = "'" + out
    return out


def typo(s: str, rng: np.random.Generator, persian: bool) -> str:
    """One slip of the pen in one letter: a similar letter, a dropped, doubled or swapped one."""
    pos = [i for i, c in enumerate(s) if c.isalpha()]
    if len(pos) < 2:
        return s
    i = pos[int(rng.integers(len(pos)))]
    op = int(rng.integers(4))
    c = s[i]
    if op == 0:  # similar letter
        groups = _FA_SIMILAR if persian else _LA_SIMILAR
        grp = next((g for g in groups if c.lower() in g), None)
        alt = [x for x in grp if x != c.lower()] if grp else []
        if alt:
            r = alt[int(rng.integers(len(alt)))]
            return s[:i] + (r.upper() if c.isupper() else r) + s[i + 1:]
        op = 1
    if op == 1:  # dropped letter
        return s[:i] + s[i + 1:]
    if op == 2:  # doubled letter
        return s[:i] + c + s[i:]
    j = i + 1 if i + 1 < len(s) and s[i + 1].isalpha() else i - 1  # transposition
    a, b = sorted((i, j))
    if s[a] == s[b]:
        return s[:i] + s[i + 1:]
    return s[:a] + s[b] + s[a] + s[b + 1:]


def ocr(s: str, rng: np.random.Generator, persian: bool) -> str:
    """OCR-like confusions: Persian ی→ي, ک→ك, final ه→ة, ZWNJ lost, digits read as
    Arabic-Indic; in Latin one of rn/m, l/I, e/c, h/b."""
    if persian:
        return _FINAL_HE.sub("ة", s.translate(_OCR_FA)).translate(_FA_TO_AR_DIGITS)
    options = [(a, b) for a, b in _OCR_LA if a in s]
    if not options:
        return s
    a, b = options[int(rng.integers(len(options)))]
    return s.replace(a, b, 1)


def initials(given: str) -> str:
    """Given names reduced to initials: «Mohammad Ali» → «M. A.», «محمد» → «م.»."""
    return " ".join(w[0] + "." for w in given.split() if w)


def other_prison(code: int, rng: np.random.Generator, prison_ids: Sequence[str],
                 weights: np.ndarray) -> int:
    """A wrong prison: mostly the one confused with it, else another by size."""
    other = _CONFUSED.get(prison_ids[code])
    if other in prison_ids and rng.random() < 0.7:
        return prison_ids.index(other)
    w = np.array(weights, dtype=float)
    w[code] = 0
    return int(rng.choice(w.size, p=w / w.sum()))
