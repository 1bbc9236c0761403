"""Parse a full name into given name(s), surname, father's name and titles.

Rules, in order:

1. A connector («son of», «s/o», «فرزند», «ولد», «bin» …) splits the person's name from the
   father's name: «Ali Ahmadi son of Hassan», «علی احمدی فرزند حسن».
2. One comma means «Surname, Given»: «Ahmadi, Ali».
3. Otherwise the last word is the surname (with bound parts: «Hossein Zadeh» is one
   surname), or the last two words when the one before the last is a known surname and
   not a known given name («Ali Hosseini Beheshti»); the words before are the given
   name(s), so compound given names stay together («Ali Akbar»).
4. Leading titles (Seyed, Haj, Mirza, Sheikh, Mashhadi, Karbalaei, Dr., سید, حاج …) go to
   ``titles``, never into the name; so does the Arabic article written apart before a
   title («Al-Hajj», «ال حاج»), and a title written after a name that already has its
   surname («Mohammad Ahmadi Haj», «Mohammad Ahmadi, Dr.»; «Ali Mashhadi», a surname the
   dictionary knows, and «Ali Mir», given name + one word, keep it as the surname).
   A name of one word is the given name, unless it looks like a surname (a known surname
   and not a given name, or a word ending in a surname-only part): then the given name is
   the part missing.
   A title between words («خلیلی سید محمد») means the surname was written first, as a
   comma does.  Two or three words that are all given names and none a surname
   («رضا محمد» in a memoir's list of given names) are given names with the surname
   missing.
5. When the first word looks like a surname (a known surname and not a given name, or a
   word ending in a surname-only part such as -zadeh/-pour/-nejad/-nia) and every other
   word is a known given name (and not a surname), the order is taken to be swapped: the
   fields are put right and ``problems`` says so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from types import MappingProxyType

from dadkhah.names.dictionary import load_name_dictionary
from dadkhah.names.keys import _special_words, join_keys, name_tokens, word_key
from dadkhah.names.normalize import (
    ZWNJ,
    detect_script,
    fold_letters,
    has_persian,
    normalize_latin,
    normalize_persian,
)
from dadkhah.names.romanize import transliterate
from dadkhah.names.rules import load_rules

__all__ = ["SEX_VALUES", "ParsedName", "ScriptParts", "comma_order", "likely_swapped",
           "lone_titles", "parse_name", "parse_sex", "read_sex", "split_scripts", "surname_like",
           "written_forms"]


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A parsed name; every field is derived from ``original`` and can be rebuilt."""

    original: str
    script: str  # persian | latin | mixed | none
    given: tuple[str, ...] = ()
    surname: tuple[str, ...] = ()
    father: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    given_key: str = ""
    surname_key: str = ""
    father_key: str = ""
    key: str = ""  # given + surname, in that order
    persian: str | None = None  # normalised Persian full name (Persian input only)
    latin: str = ""  # Latin form: transliteration or usual spelling
    swapped: bool = False
    problems: tuple[str, ...] = field(default=())
    # the Latin form as the text wrote it (Latin input, or the Latin part of a cell written
    # in both scripts); None when the text wrote no Latin, and ``latin`` is a machine form
    written_latin: str | None = None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _keys(words: tuple[str, ...]) -> str:
    return join_keys(word_key(w) for w in words)


def _kinds(word: str) -> set[str]:
    return {e.kind for e in load_name_dictionary().lookup(word.replace(ZWNJ, ""))}


_SURNAME_PARTS = ("zadeh", "pour", "nejad", "nia", "far", "rad", "khani", "زاده", "پور", "نژاد",
                  "نیا", "فر", "راد", "خانی")


@lru_cache(maxsize=1)
def _surname_part_keys() -> tuple[str, ...]:
    return tuple({word_key(p) for p in _SURNAME_PARTS})


def _surname_like(word: str) -> bool:
    """A known surname (and not a given name); else, for a word the dictionary does not
    know, one ending in a surname-only part in any romanisation (the cross-script key:
    «Muhammadpur», «Rafia Zada», «Ali-Najad») or in the «-i» of descent on a longer word
    («Adibi», «Tunakabuni»: given names ending in -i, such as Mahdi or Hadi, are short and
    known)."""
    kinds = _kinds(word)
    if kinds:
        return kinds == {"surname"}
    w = word.replace(ZWNJ, "")
    if any(w.endswith(p) and len(w) > len(p) + 1 for p in _SURNAME_PARTS):
        return True
    key = word_key(w)
    if any(key.endswith(k) and len(key) > len(k) + 1 for k in _surname_part_keys()):
        return True
    return len(key) >= 5 and key.endswith("Y")


def surname_like(word: str) -> bool:
    """True when one name word reads as a surname rather than a given name (see
    :func:`_surname_like`).

    Examples
    --------
    >>> surname_like("Muhammadpur"), surname_like("Mohammad"), surname_like("احمدی")
    (True, False, True)
    """
    return _surname_like(word)


def _given_only(word: str) -> bool:
    return _kinds(word) == {"given"}


_SLASH_O = re.compile(r"\b([sSdD])\s*/\s*[oO]\b")


def likely_swapped(given: tuple[str, ...] | list[str],
                   surname: tuple[str, ...] | list[str]) -> bool:
    """True when a one-word «given name» looks like a surname and every word of the
    «surname» is a given name (by the name dictionary, or a surname-only part such as
    -zadeh); or when the «surname» is initials only and the «given name» has none: lists
    abbreviate given names, never surnames («شکوری | ش.», «تهرانی | س. م.» are the
    surname Shakouri with the initial of the given name, the columns swapped).

    Examples
    --------
    >>> likely_swapped(["Mohammadi"], ["Ali"]), likely_swapped(["Ali"], ["Mohammadi"])
    (True, False)
    >>> likely_swapped(["Tehrani"], ["s", "m"]), likely_swapped(["s"], ["Tehrani"])
    (True, False)
    """
    if given and surname and all(_initial(w) for w in surname) and \
            not any(_initial(w) for w in given):
        return True
    return (
        len(given) == 1
        and 1 <= len(surname) <= 3
        and _surname_like(given[0])
        and all(_given_only(w) for w in surname)
    )


def lone_titles(words: Sequence[str]) -> tuple[str, ...]:
    """The titles a given-name cell holds when its words are titles and nothing else
    («Seyed», «سید», «Haj» in the given-name column beside a surname): such a cell names
    no given name, and its titles («seyed», «haj») belong with the name's titles.  ``()``
    when a word is not a title, or there are no words.

    ``words`` are the cell's name words as :func:`dadkhah.names.keys.name_tokens` returns
    them (normalised; it keeps a cell's last word even when that is a title, lest a name
    be lost).  A title is matched by its spellings in the rules («Seyed», «Sayyed», «سید»),
    never by its cross-script key, which «Saeed» and «سعید» share with «Seyed».  The
    import (``dadkhah normalize``) and the linkage features both read a lone title by
    this one rule.

    Examples
    --------
    >>> lone_titles(name_tokens("Seyed")[1])
    ('seyed',)
    >>> lone_titles(name_tokens("سید")[1])
    ('seyed',)
    >>> lone_titles(name_tokens("Saeed")[1]), lone_titles(name_tokens("Seyed Ali")[1])
    ((), ())
    """
    title_of = load_rules().titles
    forms = [w.replace(ZWNJ, "") for w in words]
    if not forms or any(f not in title_of for f in forms):
        return ()
    return tuple(title_of[f] for f in forms)


def _initial(word: str) -> bool:
    """A name word of one letter (an initial, its dot already dropped by the tokenizer)."""
    return len(word.replace(ZWNJ, "").strip(".")) == 1


def _split_connector(text: str) -> tuple[str, str | None]:
    rules = load_rules()
    persian = has_persian(text)
    text = _SLASH_O.sub(lambda m: " son of " if m.group(1) in "sS" else " daughter of ", text)
    low = normalize_persian(text) if persian else normalize_latin(text)
    words = low.split(" ")
    connectors = sorted(rules.connectors, key=lambda c: -len(c.split(" ")))
    for i in range(1, len(words)):
        for c in connectors:
            n = len(c.split(" "))
            if " ".join(words[i : i + n]).replace(ZWNJ, "") == c:
                return " ".join(words[:i]), " ".join(words[i + n :]) or None
    return low, None


def comma_order(text: str) -> tuple[str, str] | None:
    """(surname, given) when ``text`` is written «Surname، Given» (one comma, Latin or
    Arabic, with words on both sides), else None.  Lists put such a cell in the given-name
    column as often as in a full-name column.

    Examples
    --------
    >>> comma_order("احمدی، علی"), comma_order("Ali Ahmadi")
    (('احمدی', 'علی'), None)
    """
    raw = text.replace("،", ",")
    if raw.count(",") != 1:
        return None
    left, right = (s.strip() for s in raw.split(","))
    return (left, right) if left and right else None


def _haj_joined(text: str) -> str:
    """«حاج»/«حاجی» (Haj, Hajj, Haji) standing between a given name and a word that is not
    a given name, joined to that word: «طاهره حاج مظفری فر», «Mohammad Haj Hosseini» are
    the surnames «حاج‌مظفری‌فر», «Hajhosseini» written apart (a title comes before the
    whole name, not after the given name), not «surname first» as a title between words
    otherwise means (:func:`_title_inside`).  Before a given name («خلیلی حاج محمد») or
    after other titles it stays a title.  ``text`` is normalised."""
    special = _special_words()
    words = text.split()
    kinds = [special.get(w.replace(ZWNJ, "")) for w in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        before = kinds[i - 1] if i > 0 else ("title", "")
        if (i < len(words) - 1 and kinds[i] == ("title", "haj")
                and (before is None or before[0] != "title")
                and kinds[i + 1] is None and not _given_only(words[i + 1])):
            persian = has_persian(w)
            out.append(w + (ZWNJ if persian else "") + words[i + 1])
            i += 2
            continue
        out.append(w)
        i += 1
    return " ".join(out)


# the Arabic article written apart before a title: «Al-Hajj», «El Sayed», «ال حاج»
_ARTICLE = re.compile(r"(?<!\w)(?:al|el|ul|ol|ال)[\s\-\u2010\u2011\u2013\u2014\u200c]+(\w+)",
                      re.IGNORECASE)


def _article_titles(text: str) -> str:
    """«Al-Hajj Mohammad» → «Hajj Mohammad»: the article before a title word is part of
    the title (the Arabic al-Hajj, al-Sayyid), not a name word; before any other word
    («Al-e Ahmad», «Ali Al Ahmad») it stays."""
    special = _special_words()

    def title(m: re.Match[str]) -> str:
        word = m.group(1)
        key = normalize_persian(word) if has_persian(word) else normalize_latin(word)
        kind = special.get(key)
        return word if kind and kind[0] == "title" else m.group(0)

    return _ARTICLE.sub(title, text)


def _only_titles(text: str) -> bool:
    """True when every word of ``text`` is a title and none a known surname («Dr.»)."""
    special = _special_words()
    words = (normalize_persian(text) if has_persian(text) else normalize_latin(text)).split()
    return bool(words) and all(
        (k := special.get(w.replace(ZWNJ, ""))) is not None and k[0] == "title"
        and "surname" not in _kinds(w) for w in words)


def _trailing_title(titles: list[str], words: list[str],
                    surname_elsewhere: bool) -> tuple[list[str], list[str]]:
    """A title written after the name («Mohammad Ahmadi Haj», «محمد احمدی سید», «Ali
    Ahmadi (Dr.)») is a title, not the surname: it goes to ``titles`` when the words
    before it already hold a surname (a word that looks like one, or the surname in its
    own part of the cell: «Ahmadi, Mohammad Haj»).  A title word the dictionary knows as
    a surname («Ali Mashhadi»), or one after given names only («Ali Mir»), stays the
    surname."""
    if len(words) < 2:
        return titles, words
    special = _special_words()
    last = words[-1]
    kind = special.get(last.replace(ZWNJ, ""))
    if kind is None or kind[0] != "title" or "surname" in _kinds(last):
        return titles, words
    if surname_elsewhere or any(_surname_like(w) and not _given_only(w) for w in words[:-1]):
        return [*titles, kind[1]], words[:-1]
    return titles, words


def _title_inside(text: str) -> tuple[str, str] | None:
    """(surname, «title given») when a title stands between words: «خلیلی سید محمد»,
    «Hadavi Asl Seyed Mahmoud» are written surname first, the title opening the given
    name (a title never follows a given name).  None otherwise.  ``text`` is normalised
    (as :func:`_split_connector` returns it), like the tokenizer's table of titles."""
    special = _special_words()
    words = text.split()
    title: list[str | None] = []
    for w in words:
        kind = special.get(w.replace(ZWNJ, ""))
        title.append(kind[1] if kind and kind[0] == "title" else None)
    for i in range(1, len(words) - 1):
        if title[i] not in (None, "sadat") and any(t is None for t in title[:i]):
            return " ".join(words[:i]), " ".join(words[i:])
    return None


# -- cells written in both scripts ----------------------------------------------------------
_BRACKETS = re.compile(r"[()\[\]{}«»<>/|\\]")
_EDGE = " \t-–—_.,،;؛:\u200c"


def _letter_script(ch: str) -> str | None:
    o = ord(ch)
    if 0x0600 <= o <= 0x06FF or 0xFB50 <= o <= 0xFEFF or 0x0750 <= o <= 0x077F:
        return "fa" if unicodedata.category(ch).startswith("L") else None
    if ch.isalpha() and (o < 0x0250 or 0x1E00 <= o <= 0x1EFF):
        return "la"
    return None


@dataclass(frozen=True, slots=True)
class ScriptParts:
    """A name cell cut by script: ``persian`` and ``latin`` parts as written (brackets,
    slashes and dashes between them dropped), ``None`` for a script the cell does not use.
    ``interleaved``: the scripts alternate more than once («علی Ali رضایی Rezaei»), so each
    part is the words of its script in order, a reading a person should check.
    ``left_out``: a Latin part that does not read as the same name as the Persian part (no
    name word in common by the cross-script keys: «پرویز نیک‌نام (SYNTHETIC)», «Dr.»); it
    is not taken as a written form of the name (the raw row keeps it)."""

    persian: str | None
    latin: str | None
    interleaved: bool = False
    left_out: str | None = None

    @property
    def both(self) -> bool:
        """True when the cell wrote the name in both scripts."""
        return self.persian is not None and self.latin is not None

    def summary(self) -> str:
        return " | ".join(f"{k}: {v}" for k, v in (("Persian", self.persian),
                                                   ("Latin", self.latin)) if v)


def _clean_part(text: str) -> str | None:
    text = " ".join(_BRACKETS.sub(" ", text).split()).strip(_EDGE)
    return text or None


@lru_cache(maxsize=100_000)
def split_scripts(text: str) -> ScriptParts:
    """Cut a name cell into its Persian-script and Latin-script parts.

    Diaspora lists write one name in both scripts in one cell: «علی رضایی (Ali Rezaei)»,
    «Ali Rezaei / علی رضایی», «علی رضایی - Ali Rezaei».  Those are one name with two
    written forms, never a name of four words.  A cell in one script is returned whole
    (stripped) in its script's slot; a cell with no letters gives two ``None``.

    Examples
    --------
    >>> split_scripts("علی رضایی (Ali Rezaei)")
    ScriptParts(persian='علی رضایی', latin='Ali Rezaei', interleaved=False, left_out=None)
    >>> split_scripts("Ali Rezaei / علی رضایی").latin, split_scripts("Ali-Akbar Rezaei").persian
    ('Ali Rezaei', None)
    """
    runs: list[tuple[str, int, int]] = []  # (script, first letter, last letter) of each run
    for i, ch in enumerate(text):
        sc = _letter_script(ch)
        if sc is None:
            continue
        if runs and runs[-1][0] == sc:
            runs[-1] = (sc, runs[-1][1], i)
        else:
            runs.append((sc, i, i))
    if not runs:
        return ScriptParts(None, None)
    if len({sc for sc, _, _ in runs}) == 1:
        whole = " ".join(text.split()) or None
        return ScriptParts(whole, None) if runs[0][0] == "fa" else ScriptParts(None, whole)
    parts: dict[str, list[str]] = {"fa": [], "la": []}
    for n, (sc, a, b) in enumerate(runs):
        # a run keeps what surrounds it up to the next run, so «Ahmadi, Ali» and «Jr.»
        # stay whole; brackets and separators are dropped by _clean_part
        start = a if n == 0 or runs[n - 1][2] + 1 > a else runs[n - 1][2] + 1
        end = runs[n + 1][1] if n + 1 < len(runs) else len(text)
        chunk = _clean_part(text[start:end] if sc == "la" else text[a:b + 1])
        if chunk:
            parts[sc].append(chunk)
    fa, la = " ".join(parts["fa"]) or None, " ".join(parts["la"]) or None
    if fa and la and not _same_name(fa, la):
        return ScriptParts(fa, None, interleaved=len(runs) > 2, left_out=la)
    return ScriptParts(fa, la, interleaved=len(runs) > 2)


def _same_name(persian: str, latin: str) -> bool:
    """True when two parts of a cell share a name word by the cross-script word keys
    («رضایی» and "Rezaei" both give ``rzY``), or give one key when joined («علی‌اکبر» and
    "Ali Akbar")."""
    _, fw = name_tokens(persian)
    _, lw = name_tokens(latin)
    fk, lk = [word_key(w) for w in fw], [word_key(w) for w in lw]
    return bool(set(fk) & set(lk)) or (bool(fk) and "".join(fk) == "".join(lk))


def written_forms(full_name: str | None, given_names: str | None = None,
                  surname: str | None = None) -> ScriptParts:
    """The name a record writes, in each script, as the source wrote it: the full-name
    cell, else the given-name and surname cells joined (each cell cut by
    :func:`split_scripts`, so «علی (Ali)» + «رضایی (Rezaei)» gives «علی رضایی» and
    "Ali Rezaei").  The Persian part is normalised (:func:`normalize_persian`: Arabic
    letter forms ي/ك folded); the Latin part is kept as written, spaces single.

    Examples
    --------
    >>> written_forms("علي رضايي (Ali Rezaei)")
    ScriptParts(persian='علی رضایی', latin='Ali Rezaei', interleaved=False, left_out=None)
    >>> written_forms(None, "Ali", "Rezaei").latin
    'Ali Rezaei'
    """
    cells = [full_name] if full_name and full_name.strip() else [given_names, surname]
    fa: list[str] = []
    la: list[str] = []
    interleaved = False
    for cell in cells:
        if not cell or not cell.strip():
            continue
        p = split_scripts(cell)
        interleaved = interleaved or p.interleaved
        if p.persian:
            fa.append(p.persian)
        if p.latin:
            la.append(p.latin)
    persian = normalize_persian(" ".join(fa)) if fa else None
    return ScriptParts(persian or None, " ".join(la) or None, interleaved)


@lru_cache(maxsize=200_000)
def parse_name(text: str) -> ParsedName:
    """Parse one full name written in either script.

    Examples
    --------
    >>> p = parse_name("Seyed Ali-Akbar Hosseinzadeh son of Hassan")
    >>> p.titles, p.given, p.surname, p.father
    (('seyed',), ('ali', 'akbar'), ('hosseinzadeh',), ('hassan',))
    >>> parse_name("علی‌اکبر حسین‌زاده").key == p.key
    True
    """
    parts = split_scripts(text)
    if parts.both:
        return _parse_both(text, parts)
    if parts.left_out and parts.persian:
        # «پرویز نیک‌نام (SYNTHETIC)»: the Latin words are not this name; read the Persian
        p = parse_name(parts.persian)
        return replace(p, original=text, script="mixed", problems=(
            *p.problems, f"the Latin part «{parts.left_out}» does not read as the same name: "
                         "left out of the name"))
    original = text
    text = _article_titles(text)
    script = detect_script(text)
    problems: list[str] = []
    main, father_text = _split_connector(text)
    comma_surname: str | None = None
    order = comma_order(text) if father_text is None else None
    if order is not None and _only_titles(order[1]):
        # «Mohammad Ahmadi, Dr.»: a title after the comma, not «Surname, Given»
        main, order = main.replace(",", " ").replace("،", " "), None
    if order is None:
        main = _haj_joined(main)
        order = _title_inside(main)
    if order is not None:
        comma_surname, main = order
    titles, words = name_tokens(main)
    titles, words = _trailing_title(titles, words, comma_surname is not None)
    if len(words) == 1 and comma_surname is None:
        # "Hossein Zadeh" as a whole name: given Hossein, surname Zadeh, not one word
        # (Zadeh, Pour and Nejad are surnames on their own; Ollah is not)
        _, unjoined = name_tokens(main, join_bound=False)
        if len(unjoined) == 2 and unjoined[1].replace(ZWNJ, "") in _SURNAME_PARTS:
            words = unjoined
    father: tuple[str, ...] = ()
    if father_text:
        _, fwords = name_tokens(father_text)
        father = tuple(fwords)
    if comma_surname is not None:
        t2, swords = name_tokens(comma_surname)
        titles = titles + t2
        given, surname = tuple(words), tuple(swords)
    elif not words:
        given, surname = (), ()
        if text.strip():
            problems.append("no name words")
    elif len(words) == 1 and _surname_like(words[0]):
        # «Mohammadpour», «طاهری» alone: the given name is missing, not the surname
        given, surname = (), tuple(words)
        problems.append("one word: a surname, given name missing")
    elif len(words) == 1:
        given, surname = tuple(words), ()
        problems.append("one word: given name or surname unknown")
    elif (
        len(words) >= 3
        and _surname_like(words[0])
        and not _kinds(words[0]) & {"given"}
        and all(_given_only(w) for w in words[1:])
    ):
        # «Soleimaninia Hassan Bahram»: a surname first, then given names only
        given, surname = tuple(words[1:]), (words[0],)
    elif len(words) <= 3 and all(_given_only(w) for w in words):
        # «رضا محمد», «Mahdi Reza» in a list of given names (a memoir's): every word is
        # a given name and none a surname, so the surname is missing, not «Mohammad»
        given, surname = tuple(words), ()
        problems.append("every word a given name: surname missing")
    else:
        cut = len(words) - 1
        if len(words) >= 3 and _surname_like(words[-2]) and not _kinds(words[-2]) & {"given"}:
            cut = len(words) - 2
        given, surname = tuple(words[:cut]), tuple(words[cut:])
    swapped = len(words) >= 3 and comma_surname is None and surname == (words[0],)
    if comma_surname is None and likely_swapped(given, surname):
        given, surname, swapped = surname, given, True
    if swapped:
        problems.append("surname written first: order swapped")
    persian = None
    if script in ("persian", "mixed"):
        persian = " ".join(w for w in (*given, *surname) if w)
        if father:
            persian += " فرزند " + " ".join(father)
    latin = transliterate(" ".join((*given, *surname))) if (given or surname) else ""
    return ParsedName(
        original=original,
        script=script,
        given=given,
        surname=surname,
        father=father,
        titles=tuple(titles),
        given_key=_keys(given),
        surname_key=_keys(surname),
        father_key=_keys(father),
        key=_keys((*given, *surname)),
        persian=persian,
        latin=latin,
        swapped=swapped,
        problems=tuple(problems),
        written_latin=" ".join(text.split()) if script == "latin" else None,
    )


def _parse_both(text: str, parts: ScriptParts) -> ParsedName:
    """One name written in both scripts: the parts are read as one name, its keys from the
    Persian part (the fuller spelling), its Latin form the Latin part as written."""
    fa, la = parse_name(parts.persian or ""), parse_name(parts.latin or "")
    problems = list(fa.problems)
    problems.append("name written in both scripts: one name, two written forms"
                    + ("; the scripts alternate, check the reading" if parts.interleaved
                       else ""))
    if la.key and fa.key and la.key != fa.key:
        problems.append(f"the Latin part «{parts.latin}» reads as another name than the "
                        f"Persian part «{parts.persian}»")
    return replace(fa, original=text, script="mixed", latin=la.latin or fa.latin,
                   written_latin=parts.latin, problems=tuple(problems))


def _sex_key(value: str) -> str:
    """A sex cell as looked up: NFKC, Persian letter forms, case-folded, spaces (and ZWNJ)
    single, a trailing dot dropped («M.»)."""
    text = fold_letters(unicodedata.normalize("NFKC", value)).casefold().replace(ZWNJ, " ")
    return " ".join(text.split()).rstrip(".")


_SEX_WORDS = {
    "m": ("m", "male", "man", "men", "boy", "mr", "h", "homme", "mann", "masculin", "مرد",
          "مذکر", "ذکور", "پسر", "ذ", "آقا"),
    "f": ("f", "female", "woman", "women", "w", "girl", "mrs", "ms", "femme", "frau", "زن",
          "مونث", "مؤنث", "اناث", "دختر", "خانم", "ز"),
    "u": ("?", "u", "unknown", "n/a", "na", "-", "نامعلوم", "نامشخص", "معلوم نیست"),
}

SEX_VALUES: Mapping[str, str] = MappingProxyType(
    {_sex_key(word): code for code, words in _SEX_WORDS.items() for word in words})
"""The one table of sex words (looked-up form → ``m`` / ``f`` / ``u``, stated unknown),
in English, Persian, Arabic, French and German, as lists write them."""


@lru_cache(maxsize=4096)
def read_sex(value: str | None) -> str | None:
    """``"m"``, ``"f"``, ``"u"`` (the cell says the sex is unknown) or ``None`` (empty, or
    not a sex word) from a sex/gender cell, by :data:`SEX_VALUES`.

    Import refuses a row whose non-empty sex cell gives ``None``; «?» or «نامعلوم» are not
    refused, they state that the sex is not known.

    Examples
    --------
    >>> read_sex("زن"), read_sex("Male"), read_sex("نامعلوم"), read_sex("yes")
    ('f', 'm', 'u', None)
    """
    if not value or not value.strip():
        return None
    code = SEX_VALUES.get(_sex_key(value))
    if code is None:  # diacritics, Arabic punctuation, stray marks: «مَرد», «؟», «Male!»
        for norm in (normalize_persian(value), normalize_latin(value)):
            code = SEX_VALUES.get(_sex_key(norm)) if norm else None
            if code is not None:
                break
    return code


def parse_sex(value: str | None) -> str | None:
    """``"m"``, ``"f"`` or ``None`` (unknown or unrecognised) from a sex/gender cell.

    :func:`read_sex` without the difference between "stated unknown" and "not a sex word".

    Examples
    --------
    >>> parse_sex("زن"), parse_sex("Male"), parse_sex("?")
    ('f', 'm', None)
    """
    code = read_sex(value)
    return None if code == "u" else code
