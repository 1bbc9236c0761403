"""Persian script → Latin, the way names are written in the press and in passports.

The convention
--------------
Names are romanised as Iranians' names are usually written in English, French and German
lists, passports and the press — not a scholarly transliteration:

* consonants: ch, sh, kh, zh, gh (for both غ and ق), j; ث س ص → s, ذ ز ض ظ → z, ت ط → t,
  ح ه → h; ع and ء are not written (Jafar, Masoud);
* vowels as spoken: a, e, o, and the long vowels aa → a, ی → i (ei after a short vowel:
  Hossein, Zeinab), و → ou/u (Mahmoud, Mousavi), v as a consonant;
* a final silent ه is written eh (Fatemeh, Zadeh);
* compounds are one word, lower case after the first letter: Hosseinzadeh, Aliakbar,
  Abdolnazari, Nematollah, Fariborznejad;
* affixes: عبدال… → Abdol…, ابوال… → Abol…, …الله → …ollah, …الدین → …eddin
  (Nasreddin, Ziaeddin), …زاده → …zadeh, …پور → …pour,
  …نژاد → …nejad, …نیا → …nia, …یان → …ian, …ی → …i (…ایی/…ائی → …aei: Rezaei);
  Mir…, Haj(i)…, Agha…, Sheikh… joined to the name as written;
* titles written as separate words (سید، حاج، میر، میرزا، شیخ …) stay in front, spelled
  Seyed, Haj, Mir, Mirza, Sheikh (see ``title`` in ``data/romanization.csv``).

How a word is romanised, first that applies:

1. the name lexicon (:mod:`dadkhah.names.lexicon`: the project's ``names.csv``, openly
   licensed name lists, and — when given — words a case itself pairs across scripts);
2. the affix and compound rules above, over known parts (two known words written as one
   only when both have at least :data:`COMPOUND_MIN_PART` letters), the whole respelled
   in the press convention (:data:`PRESS_COMPOSED`: «قم» Qom → «قمی» Ghomi);
3. the learned model (:mod:`dadkhah.names.romanize_model`, a character CRF trained on the
   lexicon, its reading chosen among known Latin spellings of names where the model finds
   one likely) for a part no rule knows — so «عرب» reads "Arab", not "'rb"; a compound
   with a known word at one end is also read as that word + the rest, one more reading
   for the model to weigh («گوهردشت» Gohar + dasht);
4. without the model installed, a letter-by-letter rule (consonants and long vowels only).

Only (1)–(2) count as *known* in :func:`transliterate_word`; a model or letter guess is
marked as a guess.  Latin input keeps its words, a known name taking the lexicon's
spelling («Muhammad Husayn» → "Mohammad Hossein").
"""

from __future__ import annotations

from functools import lru_cache

from dadkhah.names.keys import _latin_to_persian, canonical_latin, name_tokens
from dadkhah.names.lexicon import NameLexicon, load_name_lexicon
from dadkhah.names.normalize import ZWNJ, has_persian, normalize_persian
from dadkhah.names.rules import load_rules

__all__ = ["latin_form", "transliterate", "transliterate_word"]

# Bound prefixes joined to the name that follows (longest first).
_PREFIXES: tuple[tuple[str, str], ...] = (
    ("عبدال", "abdol"), ("عبدل", "abdol"), ("ابوال", "abol"), ("ابول", "abol"),
    ("حاجی", "haji"), ("حاج", "haj"), ("میرزا", "mirza"), ("میر", "mir"), ("آقا", "agha"),
    ("شیخ", "sheikh"), ("ملا", "molla"), ("کربلایی", "karbalaei"), ("کربلائی", "karbalaei"),
    ("مشهدی", "mashhadi"), ("استاد", "ostad"), ("پور", "pour"), ("سیده", "seyedeh"),
    ("سید", "seyed"), ("بنی", "bani"), ("الله", "allah"),
)
_WORD_PREFIXES = {fa: la for fa, la in _PREFIXES if not la.startswith(("abdol", "abol"))}
# Bound suffixes after a name (longest first); "ی" handled by _suffix_i.
_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("زادگان", "zadegan"), ("آبادی", "abadi"), ("الدین", "eddin"), ("الله", "ollah"),
    ("زاده", "zadeh"),
    ("نژاد", "nejad"), ("خانی", "khani"), ("بخش", "bakhsh"), ("پناه", "panah"),
    ("مقدم", "moghaddam"), ("دوست", "doust"), ("آباد", "abad"), ("منش", "manesh"),
    ("پور", "pour"), ("اله", "ollah"), ("یان", "ian"), ("نیا", "nia"), ("وند", "vand"),
    ("فرد", "fard"), ("راد", "rad"), ("کیا", "kia"), ("لو", "lou"), ("فر", "far"),
    ("وش", "vash"), ("بین", "bin"),
)
# Suffixes that also end old names read otherwise («داریوش» Dariush, «کیانوش» Kianoush
# beside «مهوش» Mahvash, «جعفروش» Jafarvash): stem + suffix is read so only when no name
# list writes a name with the word's consonants; a name lists write is left to the model,
# which weighs their spellings.
_WEAK_SUFFIXES = frozenset({"وش", "بین"})
# The same for the Arabic «بنی» (sons of: Banisadr, Baniasadi) before a known name: not in
# «بنیامین» Benyamin.
_WEAK_PREFIXES = frozenset({"بنی"})
# A part that opens a compound is not the suffix it is elsewhere: «الله‌زاده» is Allahzadeh
# (as the lexicon's Allahyari, Allahverdi), «نصرالله» Nasrollah.
_OPENING = {"الله": "allah"}
_AFFIX_LATIN = {**dict(_PREFIXES), **dict(_SUFFIXES)}
# Affixes split off even when the rest is unknown (the model then reads the rest): the
# model, trained mostly on single names, reads a long compound worse than its parts.
_STRONG_PREFIXES = ("عبدال", "ابوال", "میرزا", "میر", "حاجی", "حاج", "شیخ", "استاد", "پور")
_STRONG_SUFFIXES = ("زادگان", "آبادی", "الدین", "الله", "زاده", "نژاد", "خانی", "بخش", "پناه",
                    "مقدم", "دوست", "منش", "پور", "نیا", "وند", "فرد", "لو")


def _letters(word: str) -> str:
    rules = load_rules()
    return "".join(rules.persian_latin.apply(word))


# Whether a compound with a known word at one end is also read as that word + the rest
# (chosen on folds 1-4 of the lexicon).
COMPOUND_PROPOSALS = True
# Shortest piece (in letters) of a word read as two known words written as one
# («امیرحسین»): short pieces match by chance («اصفهانی» is not اصف + هانی, «مهرشاد»
# not «مهر» Mohr + shad); a shorter split is left to the model, which weighs it as one
# reading (COMPOUND_PROPOSALS).  Chosen on folds 1-4: 2, 3, 4, 5, never = 81.4, 82.0,
# 82.4, 82.4, 82.4% exact on the earlier sources' words, 64.0, 64.1, 64.4, 64.3, 64.3% on all.
COMPOUND_MIN_PART = 4


def _model_word(word: str, lex: NameLexicon) -> str:
    from dadkhah.names.romanize_model import load_romanize_model

    model = load_romanize_model(lex.model_path)
    if model is None:
        return _letters(word).lower()
    from dadkhah.names import romanize_model as rm

    near = lex.latin_neighbours() if rm.NEIGHBOUR_WEIGHT else None
    joint = lex.graphone_lm() if rm.JOINT_WEIGHT else None
    voc, lm = lex.latin_vocabulary(), lex.latin_lm()
    proposals = []
    if COMPOUND_PROPOSALS:
        # a compound one of whose ends is a known word («گوهردشت»: «گوهر» Gohar + دشت):
        # the known spelling and the model's reading of the rest, weighed as one more
        # reading of the whole word (never forced: the whole word's reading may be better)
        for i in range(len(word) - 2, 2, -1):  # longest known beginning
            if (left := lex.latin(word[:i])) is not None:
                proposals.append(left.lower() + model.romanize(word[i:], voc, lm=lm, joint=joint))
                break
        for i in range(2, len(word) - 2):  # longest known ending
            if (right := lex.latin(word[i:])) is not None:
                proposals.append(model.romanize(word[:i], voc, lm=lm, joint=joint) + right.lower())
                break
    # a word whose final ی Persian also writes ا is another name («لیلی» Leili beside
    # «لیلا» Leila): its ی is not the Arabic alef maqsura read a
    twin = word.endswith("ی") and lex.latin(word[:-1] + "ا") is not None
    preferred = _derived_evidence(word, lex) if DERIVED_EVIDENCE else set()
    return model.romanize(word, voc, lm=lm, neighbours=near, joint=joint,
                          proposals=proposals, alef_maqsura=not twin,
                          preferred=preferred).replace("'", "")


# A word the lexicon lacks is read as the lexicon spells the words built on it
# («حسامی» Hessami → «حسام» Hessam, «رمضانیان» Ramezanian → «رمضان» Ramezan): Iranian
# evidence, which outweighs the vowels other countries write (chosen on folds 1-4: 84.5 →
# 85.2% exact on the earlier sources' words).
DERIVED_EVIDENCE = True
# Endings of those words (Persian, Latin): a surname or an adjective built on a name.
_DERIVED = (("ی", "i"), ("یان", "ian"), ("زاده", "zadeh"), ("پور", "pour"), ("نیا", "nia"),
            ("نژاد", "nejad"), ("فر", "far"), ("راد", "rad"), ("وند", "vand"), ("لو", "lou"))


def _derived_evidence(word: str, lex: NameLexicon) -> set[str]:
    """Spellings of ``word`` the lexicon's words built on it give (word + ی, + زاده …),
    in the press convention (lower case); empty when it holds none."""
    return set(_derived_spellings(word, lex))


def _derived_spellings(word: str, lex: NameLexicon) -> list[str]:
    """The spelling of ``word`` each of the lexicon's words built on it gives, one per word."""
    from dadkhah.names.romanize_model import press_style

    got = []
    for suf, suf_la in _DERIVED:
        la = lex.latin(word + suf)
        if la is None:
            continue
        la = la.lower().replace("'", "")
        if la.endswith(suf_la) and len(la) - len(suf_la) >= 2:
            got.append(press_style(word, la[: -len(suf_la)]))
    return got


def _suffix_i(stem_fa: str, stem_la: str, suffix: str) -> str:
    """The Latin of stem + ی (Ahmad → Ahmadi) or stem + یی/ئی (Reza → Rezaei)."""
    if suffix in ("یی", "ئی"):
        return stem_la + ("ei" if not stem_la.endswith("e") else "i")
    if stem_la.endswith("eh") and stem_fa.endswith("ه"):
        return stem_la[:-1] + "i"  # خامنه‌ای-like forms are spelled with ای; this is rare
    return stem_la + "i"


# A word read as known parts put together (a stem + an affix, two known words) is
# respelled in the press convention (press_style: «قمی» Ghomi, not Qomi after «قم» Qom as a
# Latin list writes the town); a word the lexicon holds keeps its spelling.
PRESS_COMPOSED = True


# Whether a word the lexicon holds only as a place is read, in a name, as the lexicon's
# names built on it spell it (chosen on folds 1-4 and the second probe's seeds 1-5).
PLACE_AS_NAME = True


def _known(part: str, lex: NameLexicon, depth: int = 0) -> str | None:
    """Lower-case Latin of a part from the lexicon and the affix/compound rules, or None."""
    entry = lex.entry(part)
    if entry is not None and entry.kind == "place" and PLACE_AS_NAME:
        # a town's spelling is not the name's: «مهر» is the town Mohr but Mehr in Mehri,
        # Mehrpour, the names the lexicon builds on it
        named = _derived_spellings(part, lex)
        if len(named) >= 2 and len(set(named)) == 1:
            return named[0]
    if entry is not None:
        return entry.latin.lower()
    got = _composed(part, lex, depth)
    # press_style changes only q (→ gh) and u/oo (→ ou, o): other words skip its alignment
    if got is None or not PRESS_COMPOSED or depth or not any(x in got for x in ("q", "u", "oo")):
        return got
    from dadkhah.names.romanize_model import press_style

    return press_style(part, got) or got


def _composed(part: str, lex: NameLexicon, depth: int) -> str | None:
    rules = load_rules()
    if part in rules.bound_suffix:
        return rules.bound_suffix[part].lower()
    if part in _WORD_PREFIXES:  # حاجی‌زاده: a title word inside a compound
        return _WORD_PREFIXES[part]
    if depth > 2 or len(part) < 3:
        return None
    for pre, pre_la in _PREFIXES:
        if part.startswith(pre) and len(part) - len(pre) >= 2:
            if pre in _WEAK_PREFIXES and _written_as_name(part, lex):
                continue
            rest = _known(part[len(pre):], lex, depth + 1)
            if rest:
                return pre_la + rest
    for suf, suf_la in _SUFFIXES:
        if part.endswith(suf) and len(part) - len(suf) >= 2:
            if suf in _WEAK_SUFFIXES and _written_as_name(part, lex):
                continue
            stem = _stem(part[: -len(suf)], lex, depth)
            if stem:
                if suf_la == "ollah" and stem.endswith(("a", "o")):
                    return stem + "llah"  # «ثناالله»-like spellings
                return stem + suf_la
    for suf in ("یی", "ئی", "ی"):
        if part.endswith(suf) and len(part) - len(suf) >= 2:
            stem_fa = part[: -len(suf)]
            stem = _stem(stem_fa, lex, depth)
            if stem:
                return _suffix_i(stem_fa, stem, suf)
    # two known parts written as one word (محمدرضا, علیزاده)
    for i in range(COMPOUND_MIN_PART, len(part) - COMPOUND_MIN_PART + 1):
        left = lex.latin(part[:i])
        if not left:
            continue
        right = lex.latin(part[i:]) or rules.bound_suffix.get(part[i:])
        if right:
            return left.lower() + right.lower()
    return None


def _written_as_name(part: str, lex: NameLexicon) -> bool:
    """Whether a name list writes some name with the consonants of ``part``."""
    from dadkhah.names.keys import name_key

    return bool(lex.latin_vocabulary().get(name_key(part)))


def _stem(stem: str, lex: NameLexicon, depth: int) -> str | None:
    """Lower-case Latin of the stem before a suffix, or None.  A bound suffix alone is no
    stem unless the lexicon holds it as a name: «الهی» is Elahi, not «اله» ollah + i."""
    if BARE_SUFFIX_STEM is False and stem in load_rules().bound_suffix \
            and lex.latin(stem) is None:
        return None
    return _known(stem, lex, depth + 1)


# Whether a bound suffix alone («اله» ollah, «زاده») may be the stem another suffix is
# added to (chosen on folds 1-4: see data/README.md).
BARE_SUFFIX_STEM = False


def _guess(part: str, lex: NameLexicon, depth: int = 0) -> str:
    """Lower-case Latin of a part no rule knows: affixes split off, the rest read by the
    learned model."""
    if depth < 3:
        for pre in _STRONG_PREFIXES:
            if part.startswith(pre) and len(part) - len(pre) >= 3:
                rest = part[len(pre):]
                return _AFFIX_LATIN[pre] + (_known(rest, lex) or _guess(rest, lex, depth + 1))
        for suf in _STRONG_SUFFIXES:
            if part.endswith(suf) and len(part) - len(suf) >= 3:
                stem = part[: -len(suf)]
                return (_known(stem, lex) or _guess(stem, lex, depth + 1)) + _AFFIX_LATIN[suf]
        if part.endswith(("یی", "ئی")) and len(part) >= 5:
            return _guess(part[:-2], lex, depth + 1) + "ei"
    return _model_word(part, lex)


def _zwnj_parts(word: str) -> list[str]:
    """The parts of a ZWNJ-joined word as they are read: a part that opens with the Arabic
    article «ال» joins the part before it, since the article is read with the word before
    it («فتح‌الهی» is «فتحالهی» Fathollahi, «روح‌الله» Rouhollah, not Fath + Elahi): it is
    never read on its own as the surname «الهی» Elahi.  A word written apart with a space
    («فتح الهی») is two words before it gets here."""
    parts: list[str] = []
    for p in word.split(ZWNJ):
        if not p:
            continue
        if parts and p.startswith("ال") and len(p) > 2:
            parts[-1] += p
        else:
            parts.append(p)
    return parts


def _word(word: str, lex: NameLexicon) -> tuple[str, bool]:
    word = normalize_persian(word).replace(" ", ZWNJ)
    entry = lex.entry(word)
    whole = None if entry is None else entry.latin
    if entry is not None and entry.kind == "place":  # «مهر» in a name is Mehr (_known)
        whole = _known(word, lex)
    parts = _zwnj_parts(word)
    if not whole and len(parts) == 1:
        whole = _OPENING.get(parts[0]) or _known(parts[0], lex)
    if whole:
        return whole[:1].upper() + whole[1:], True
    out: list[str] = []
    known = True
    for i, p in enumerate(parts):
        lat = _OPENING.get(p) if i == 0 else None
        lat = lat or _known(p, lex)
        if lat is None:
            lat = _guess(p, lex)
            known = False
        out.append(lat.lower())
    text = "".join(out)
    return text[:1].upper() + text[1:], known


@lru_cache(maxsize=200_000)
def _word_default(word: str) -> tuple[str, bool]:
    return _word(word, load_name_lexicon())


def transliterate_word(word: str, lexicon: NameLexicon | None = None) -> tuple[str, bool]:
    """(Latin spelling, known) for one Persian word or ZWNJ compound.

    ``known`` is True when every part came from the lexicon or its affix and compound
    rules; False when a part was read by the learned model (or, without it, letter by
    letter).  ``lexicon`` defaults to the packaged one
    (:func:`dadkhah.names.lexicon.load_name_lexicon`); pass one grown with a case's own
    examples (:meth:`~dadkhah.names.lexicon.NameLexicon.with_examples`).

    Examples
    --------
    >>> transliterate_word("حسین‌زاده")
    ('Hosseinzadeh', True)
    >>> transliterate_word("فریبرزنژاد")
    ('Fariborznejad', True)
    """
    if lexicon is None:
        return _word_default(word)
    return _word(word, lexicon)


def transliterate(text: str, lexicon: NameLexicon | None = None) -> str:
    """Latin form of a Persian-script name, word by word, titles kept in front.

    Examples
    --------
    >>> transliterate("سید علی‌اکبر حسین زاده")
    'Seyed Aliakbar Hosseinzadeh'
    """
    titles, words = name_tokens(text)
    out = [t.capitalize() for t in titles]
    for w in words:
        if has_persian(w):
            out.append(transliterate_word(w, lexicon)[0])
            continue
        fa = _latin_to_persian(w)
        if fa is not None:  # a known name: its preferred spelling (Hoseinzade → Hosseinzadeh)
            out.append(transliterate_word(fa, lexicon)[0])
        else:
            out.append(canonical_latin(w).capitalize())
    return " ".join(out)


def latin_form(text: str, lexicon: NameLexicon | None = None) -> str:
    """Display form in Latin for a name in either script.

    Persian script is transliterated; a romanisation of a name in the dictionary takes
    the dictionary's preferred spelling («Muhammad Husayn» → «Mohammad Hossein»), other
    romanisations their usual spelling by the variant table.
    """
    return transliterate(text, lexicon)
