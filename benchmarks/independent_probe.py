"""An independent probe of linkage: SYNTHETIC victim lists written on assumptions of their own.

Why: our held-out figures come from our own simulator, which cannot show what its author never
thought of (issue #14).  This script is written without reading ``src/dadkhah/simulate`` or
``benchmarks/linkage_bench.py``: its names are its own phonemic tables, its romanisation systems
its own rules, its lists its own habits.  Everything it writes is SYNTHETIC.

Names are stored as phoneme strings (``moHammad``: ``H`` is ح, ``'`` is ع, ``?`` hamza, ``A``
long a, ``i``/``u`` long vowels, ``ey``/``ow`` diphthongs, ``+`` a morpheme boundary as in
حسین‌زاده).  From one phoneme string each list renders the name its own way: Persian script
(short vowels unwritten, doubled consonants written once), an Iranian-press romanisation
(Hossein, Ghorbani, Zadeh), an ALA-LC-like one with diacritics (Ḥusayn, Qurbānī, zādah), a
French one (Djafar, Chirazi, Hosseini) and a plain one (Mas'ud, Qasemi, Mohamad).

Five lists, each with its own columns and habits:

- ``family``: Persian, «نام و نام خانوادگی» sometimes «Surname، Given», titles (سید، حاج) in
  some rows, Arabic ي/ك in some, Persian digits, Jalali dates, an age in the birth-year
  column, home town and prison in Persian.
- ``ngo``: English NGO list, ALA-LC-like with or without diacritics, SURNAME in capitals,
  «Mohd» for Muḥammad, hyphenated compounds, apostrophes for ع/ء, Gregorian dates
  («12 Aug 1988», «Aug. 1988», «c. 1961»), place of execution «Evin Prison, Tehran».
- ``french``: «Nom / Prénom / Nom du père / Né en / Date d'exécution / Lieu de détention /
  Ville», French romanisation, dd/mm/yyyy dates.
- ``memoir``: Persian memoir of a prisoner of Evin and Gohardasht: given name only, surname
  only or «سید» + given name, with the home town; no dates.
- ``mixed``: Latin list compiled from reports: one name column, press romanisation with
  habits varying by row, dates in Jalali and Gregorian (month names, digits, years alone),
  ages, places as written (prison or home town, «Thr.», «Tehran (Evin)»).

Siblings (same surname, father, home town, often prison and day of execution, different given
names) and namesakes (common given names and surnames) come from the population itself.

Run::

    PYTHONPATH=$PWD/src python benchmarks/independent_probe.py --seed 101 --persons 1500

It writes the lists and ``SYNTHETIC-truth.csv`` (list, row, person) to ``--out``, runs the
command line exactly as a user would (``init``, ``source add`` + ``import`` per list with the
detected mapping, ``normalize``, ``link``, ``export persons --format csv``) and prints
pairwise precision/recall/F1, B-cubed F1, persons found vs truly named, and siblings merged.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import jdatetime

# --------------------------------------------------------------------------- phonemes

_MULTI = ("s2", "z2", "z3", "ch", "sh", "zh", "kh", "gh", "ey", "ow")
_VOWELS = {"a", "e", "o", "A", "i", "u", "ey", "ow"}


def tokens(word: str) -> list[str]:
    out, i = [], 0
    while i < len(word):
        if word[i] in "+ ":
            out.append(word[i])
            i += 1
            continue
        two = word[i:i + 2]
        if two in _MULTI:
            out.append(two)
            i += 2
        else:
            out.append(word[i])
            i += 1
    return out


_FA = {"b": "ب", "p": "پ", "t": "ت", "s2": "ث", "j": "ج", "ch": "چ", "H": "ح", "kh": "خ",
       "d": "د", "z2": "ذ", "r": "ر", "z": "ز", "zh": "ژ", "s": "س", "sh": "ش", "S": "ص",
       "Z": "ض", "T": "ط", "z3": "ظ", "'": "ع", "gh": "غ", "f": "ف", "q": "ق", "k": "ک",
       "g": "گ", "l": "ل", "m": "م", "n": "ن", "v": "و", "h": "ه", "y": "ی", "?": "ئ"}
_FA_INITIAL = {"a": "ا", "e": "ا", "o": "ا", "A": "آ", "i": "ای", "u": "او", "ey": "ای", "ow": "او"}
_FA_LONG = {"A": "ا", "i": "ی", "u": "و", "ey": "ی", "ow": "و"}


def persian(word: str, *, joiner: str = "\u200c", hamza: str = "ئ") -> str:
    """Persian script of one phoneme word (several words keep their spaces)."""
    parts = []
    for w in word.split(" "):
        toks = tokens(w)
        s, prev = [], None
        for k, t in enumerate(toks):
            start = k == 0 or toks[k - 1] == "+"
            last = k == len(toks) - 1 or toks[k + 1] == "+"
            if t == "+":
                s.append(joiner)
                prev = None
                continue
            if t in _VOWELS:
                if start:
                    s.append(_FA_INITIAL[t])
                elif t in _FA_LONG:
                    s.append(_FA_LONG[t])
                elif last and t in ("e", "a"):
                    s.append("ه")
                prev = t
                continue
            if t == prev:   # a doubled consonant is written once
                continue
            s.append(hamza if t == "?" else _FA[t])
            prev = t
        parts.append("".join(s))
    return " ".join(parts)


# Latin systems: token → spelling; vowels and a few consonants depend on the list's habits.
_BASE = {"b": "b", "p": "p", "t": "t", "s2": "s", "j": "j", "ch": "ch", "H": "h", "kh": "kh",
         "d": "d", "z2": "z", "r": "r", "z": "z", "zh": "zh", "s": "s", "sh": "sh", "S": "s",
         "Z": "z", "T": "t", "z3": "z", "'": "", "gh": "gh", "f": "f", "q": "gh", "k": "k",
         "g": "g", "l": "l", "m": "m", "n": "n", "v": "v", "h": "h", "y": "y", "?": "",
         "a": "a", "e": "e", "o": "o", "A": "a", "i": "i", "u": "ou", "ey": "ei", "ow": "o"}
_ALA = dict(_BASE, **{"H": "ḥ", "S": "ṣ", "Z": "ż", "T": "ṭ", "z2": "ẕ", "z3": "ẓ", "s2": "s̱",
                      "'": "ʻ", "?": "ʼ", "q": "q", "e": "i", "o": "u", "A": "ā", "i": "ī",
                      "u": "ū", "ey": "ay", "ow": "aw"})
_FRENCH = dict(_BASE, **{"sh": "ch", "ch": "tch", "j": "dj", "zh": "j", "u": "ou", "ey": "ey",
                         "ow": "o"})


@dataclass(frozen=True)
class Style:
    """One romanisation habit; ``table`` maps phonemes, the flags change whole words."""

    table: dict[str, str]
    final_e: str = "eh"           # ه after a short vowel at the end of a word
    single_geminates: bool = False
    double_s: bool = False        # Hossein: a single س between vowels written ss
    joiner: str = ""              # how a morpheme boundary is written (Hosseinzadeh)


def latin(word: str, style: Style) -> str:
    words = []
    for w in word.split(" "):
        toks = tokens(w)
        out = []
        for k, t in enumerate(toks):
            if t == "+":
                out.append(style.joiner)
                continue
            last = k == len(toks) - 1 or toks[k + 1] == "+"
            if t == "e" and last and k > 0:
                out.append(style.final_e)
                continue
            if style.single_geminates and k > 0 and toks[k - 1] == t:
                continue
            sp = style.table[t]
            if (style.double_s and t == "s" and 0 < k < len(toks) - 1
                    and toks[k - 1] in _VOWELS and toks[k + 1] in _VOWELS):
                sp = "ss"
            out.append(sp)
        text = "".join(out)
        # capitalise each part after a hyphen or a space the joiner put in
        words.append(re.sub(r"(^|[-\s])(\w)", lambda m: m.group(1) + m.group(2).upper(), text))
    return " ".join(words)


def ascii_fold(text: str) -> str:
    text = text.replace("ʻ", "'").replace("ʼ", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --------------------------------------------------------------------------- tables (own)

# weights make a few names very common: namesakes come from the population itself
GIVEN_M = [("moHammad", 30), ("'ali", 18), ("Hoseyn", 14), ("Hasan", 10), ("reZA", 9),
           ("maHmud", 7), ("aHmad", 8), ("ja'far", 4), ("'abbAs", 5), ("mehdi", 7), ("majid", 5),
           ("mas'ud", 5), ("manuchehr", 2), ("bahrAm", 3), ("aSghar", 3), ("akbar", 3),
           ("gholAm+reZA", 5), ("moHammad reZA", 8), ("'ali akbar", 4), ("ebrAhim", 4),
           ("esmA'il", 3), ("yusef", 3), ("kAz3em", 3), ("Hamid", 5), ("sa'id", 5),
           ("farhAd", 3), ("behruz", 3), ("nASer", 4), ("raHim", 3), ("karim", 3),
           ("TAher", 2), ("jamshid", 2), ("parviz", 3), ("khosrow", 2), ("moHsen", 4),
           ("mojtabA", 2), ("morteZA", 3), ("mostafA", 3), ("rasul", 2), ("ghafur", 1)]
GIVEN_F = [("fATeme", 6), ("maryam", 5), ("zahrA", 4), ("mahin", 2), ("parvin", 3),
           ("ashraf", 2), ("soheylA", 2), ("manSure", 2), ("zohre", 3), ("shahlA", 2),
           ("roqiye", 1), ("monireh", 1)]
SURNAMES = [("aHmadi", 12), ("moHammadi", 12), ("Hoseyni", 10), ("reZA?i", 8), ("qorbAni", 5),
            ("qAsemi", 5), ("karimi", 6), ("raHimi", 5), ("musavi", 7), ("ja'fari", 6),
            ("kAz3emi", 5), ("SAdeqi", 5), ("Heydari", 5), ("najafi", 4), ("akbari", 4),
            ("'askari", 3), ("ebrAhimi", 5), ("rostami", 4), ("nuri", 4), ("sharifi", 4),
            ("hAshemi", 5), ("tehrAni", 3), ("shirAzi", 3), ("tabrizi", 2), ("esfahAni", 2),
            ("Hoseyn+zAde", 4), ("'ali+zAde", 4), ("bAqeri", 4), ("TAheri", 3), ("zamAni", 3),
            ("mirzA?i", 3), ("amini", 4), ("farAhAni", 2), ("golestAni", 2), ("kiyAni", 2),
            ("mahdavi", 2), ("shojA'i", 2), ("'abbAsi", 4), ("'azizi", 3), ("ghaffAri", 2),
            ("tavakkoli", 2), ("naz3ari", 3), ("Sadri", 2), ("yazdAni", 2), ("bahrAmi", 3),
            ("dehqAn", 2), ("khalili", 3), ("rashidi", 2), ("jalAli", 2), ("Hashemi+nezhAd", 1),
            ("kamAli", 2), ("solTAni", 3), ("mo'meni", 2), ("ra'ufi", 1), ("zAre'", 2),
            ("SAleHi", 3), ("Habibi", 3), ("Safari", 3), ("morAdi", 3), ("nAderi", 2)]
TITLES = {"seyyed": ("سید", {"press": "Seyed", "ala": "Sayyid", "fr": "Seyed", "plain": "S."}),
          "hAjj": ("حاج", {"press": "Haj", "ala": "Ḥājj", "fr": "Hadj", "plain": "Hajj"})}

# home towns: Persian and Latin spellings by habit
CITIES = {
    "tehran": ("تهران", ["Tehran"], ["Ṭihrān", "Tehran"], ["Téhéran"], ["Thr.", "Teheran"]),
    "karaj": ("کرج", ["Karaj"], ["Karaj"], ["Karadj"], ["Karaj"]),
    "shiraz": ("شیراز", ["Shiraz"], ["Shīrāz"], ["Chiraz"], ["Shiraz"]),
    "tabriz": ("تبریز", ["Tabriz"], ["Tabrīz"], ["Tabriz"], ["Tabriz"]),
    "mashhad": ("مشهد", ["Mashhad"], ["Mashhad"], ["Mechhed"], ["Mashad", "Meshed"]),
    "esfahan": ("اصفهان", ["Isfahan", "Esfahan"], ["Iṣfahān"], ["Ispahan"], ["Esfahan"]),
    "ahvaz": ("اهواز", ["Ahvaz"], ["Ahvāz"], ["Ahwaz"], ["Ahwaz", "Ahvaz"]),
    "rasht": ("رشت", ["Rasht"], ["Rasht"], ["Racht"], ["Rasht"]),
    "dezful": ("دزفول", ["Dezful"], ["Dizfūl"], ["Dezfoul"], ["Dezfoul"]),
    "zanjan": ("زنجان", ["Zanjan"], ["Zanjān"], ["Zandjan"], ["Zanjan"]),
    "hamedan": ("همدان", ["Hamedan", "Hamadan"], ["Hamadān"], ["Hamadan"], ["Hamadan"]),
    "kermanshah": ("کرمانشاه", ["Kermanshah"], ["Kirmānshāh"], ["Kermanchah"], ["Bakhtaran"]),
    "qazvin": ("قزوین", ["Qazvin", "Ghazvin"], ["Qazvīn"], ["Kazvin"], ["Ghazvin"]),
    "sari": ("ساری", ["Sari"], ["Sārī"], ["Sari"], ["Sari"]),
    "babol": ("بابل", ["Babol"], ["Bābul"], ["Babol"], ["Babol"]),
    "sanandaj": ("سنندج", ["Sanandaj"], ["Sanandaj"], ["Sanandadj"], ["Sanandaj"]),
    "qom": ("قم", ["Qom", "Ghom"], ["Qum"], ["Qom"], ["Qum"]),
    "kerman": ("کرمان", ["Kerman"], ["Kirmān"], ["Kerman"], ["Kerman"]),
    "arak": ("اراک", ["Arak"], ["Arāk"], ["Arak"], ["Arak"]),
    "abadan": ("آبادان", ["Abadan"], ["Ābādān"], ["Abadan"], ["Abadan"]),
    "lahijan": ("لاهیجان", ["Lahijan"], ["Lāhījān"], ["Lahidjan"], ["Lahijan"]),
    "khorramabad": ("خرم‌آباد", ["Khorramabad"], ["Khurramābād"], ["Khorramabad"], ["Khoramabad"]),
}
# prisons: (town key, Persian, press, ngo, french)
PRISONS = {
    "evin": ("tehran", "اوین", "Evin", "Evin Prison, Tehran", "prison d'Evin"),
    "gohardasht": ("karaj", "گوهردشت", "Gohardasht", "Gohardasht (Rajaishahr), Karaj",
                   "Gohardasht"),
    "adelabad": ("shiraz", "عادل‌آباد", "Adelabad", "ʻĀdilābād Prison, Shiraz", "Adelabad"),
    "vakilabad": ("mashhad", "وکیل‌آباد", "Vakilabad", "Vakīlābād Prison, Mashhad", "Vakilabad"),
    "tabriz": ("tabriz", "زندان تبریز", "Tabriz prison", "Tabriz Central Prison",
               "prison de Tabriz"),
    "dezful": ("dezful", "زندان دزفول", "Dezful prison", "Dezful Prison", "prison de Dezfoul"),
    "karun": ("ahvaz", "کارون", "Karun", "Kārūn Prison, Ahvaz", "Karoun"),
    "lakan": ("rasht", "لاکان", "Lakan", "Lākān Prison, Rasht", "Lakan"),
    "dizelabad": ("kermanshah", "دیزل‌آباد", "Dizelabad", "Dīzilābād Prison, Kermanshah",
                  "Dizelabad"),
    "hamedan": ("hamedan", "زندان همدان", "Hamedan prison", "Hamadan Prison", "prison de Hamadan"),
    "zanjan": ("zanjan", "زندان زنجان", "Zanjan prison", "Zanjan Prison", "prison de Zandjan"),
    "dastgerd": ("esfahan", "دستگرد", "Dastgerd", "Dastgird Prison, Isfahan", "Dastguerd"),
}
PRISON_WEIGHTS = {"evin": 30, "gohardasht": 25, "adelabad": 6, "vakilabad": 6, "tabriz": 5,
                  "dezful": 4, "karun": 5, "lakan": 4, "dizelabad": 4, "hamedan": 3,
                  "zanjan": 3, "dastgerd": 5}
GROUPS = [("مجاهدین", "PMOI", "OMPI"), ("فدائیان", "Fadaiyan", "Fedayin"),
          ("توده", "Tudeh", "Toudeh"), ("پیکار", "Peykar", "Peykar"),
          ("اتحادیه کمونیست‌ها", "Union of Communists", "Union des communistes")]
FA_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
             "دی", "بهمن", "اسفند"]
LAT_MONTHS = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr",
              "Aban", "Azar", "Dey", "Bahman", "Esfand"]
EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


# --------------------------------------------------------------------------- population

@dataclass
class Person:
    pid: int
    sex: str
    given: str
    surname: str
    father: str
    title: str | None
    born: dt.date
    died: dt.date
    town: str
    prison: str
    group: int
    family: int | None = None
    lists: list[str] = field(default_factory=list)


def _pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([n for n, _ in table], weights=[w for _, w in table])[0]


def population(rng: random.Random, n: int) -> list[Person]:
    persons: list[Person] = []
    prisons = list(PRISON_WEIGHTS)
    fam = 0
    while len(persons) < n:
        prison = rng.choices(prisons, weights=[PRISON_WEIGHTS[p] for p in prisons])[0]
        town = PRISONS[prison][0] if rng.random() < 0.6 else rng.choice(list(CITIES))
        surname = _pick(rng, SURNAMES)
        father = _pick(rng, GIVEN_M)
        title = rng.choice(["seyyed", "hAjj"]) if rng.random() < 0.12 else None
        # siblings: 1 family in 9 lost two or three children
        size = rng.choice([2, 2, 3]) if rng.random() < 0.11 else 1
        family = fam if size > 1 else None
        fam += 1
        died0 = dt.date(1988, 7, 27) + dt.timedelta(days=rng.randint(0, 60))
        used: set[str] = set()
        for _ in range(size):
            sex = "F" if rng.random() < 0.08 else "M"
            given = _pick(rng, GIVEN_F if sex == "F" else GIVEN_M)
            while given in used:
                given = _pick(rng, GIVEN_F if sex == "F" else GIVEN_M)
            used.add(given)
            born = dt.date(rng.randint(1940, 1970), rng.randint(1, 12), rng.randint(1, 28))
            died = died0 if rng.random() < 0.5 else died0 + dt.timedelta(days=rng.randint(-20, 20))
            p_prison = prison if rng.random() < 0.7 else rng.choice(prisons)
            persons.append(Person(len(persons) + 1, sex, given, surname, father,
                                  title if rng.random() < 0.8 else None, born, died, town,
                                  p_prison, rng.randrange(len(GROUPS)), family))
    return persons[:n]


# --------------------------------------------------------------------------- noise helpers

def fa_typo(rng: random.Random, text: str) -> str:
    """Swap two adjacent letters (تهران → تهرنا) or drop one."""
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    if rng.random() < 0.6 and i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + text[i + 1:]


def arabic_letters(text: str) -> str:
    return text.replace("ی", "ي").replace("ک", "ك")


def jalali(d: dt.date) -> jdatetime.date:
    return jdatetime.date.fromgregorian(date=d)


def fa_name(p: Person, rng: random.Random, *, title: bool, order: str) -> str:
    joiner = rng.choice(["\u200c", " ", ""])
    hamza = rng.choice(["ئ", "ی"])
    given = persian(p.given, joiner=joiner, hamza=hamza)
    if " " in p.given and rng.random() < 0.4:
        given = given.replace(" ", "")       # محمدرضا
    sur = persian(p.surname, joiner=joiner, hamza=hamza)
    if title and p.title:
        given = TITLES[p.title][0] + " " + given
    return f"{sur}، {given}" if order == "sg" else f"{given} {sur}"


# --------------------------------------------------------------------------- the five lists

def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def family_list(rng: random.Random, members: list[Person]) -> tuple[list[str], list[list[str]]]:
    header = ["ردیف", "نام و نام خانوادگی", "نام پدر", "سال تولد", "تاریخ اعدام", "زندان", "شهر"]
    rows = []
    for i, p in enumerate(members, 1):
        name = fa_name(p, rng, title=rng.random() < 0.5,
                       order="sg" if rng.random() < 0.2 else "gs")
        father = persian(p.father)
        r = rng.random()
        jb, jd = jalali(p.born), jalali(p.died)
        if r < 0.7:
            born = str(jb.year)
        elif r < 0.85:
            born = str(jd.year - jb.year)             # an age in the birth-year column
        else:
            born = ""
        r = rng.random()
        if r < 0.6:
            died = f"{jd.year}/{jd.month:02d}/{jd.day:02d}"
        elif r < 0.8:
            died = f"{FA_MONTHS[jd.month - 1]} {jd.year}"
        elif r < 0.9:
            died = str(jd.year)
        else:
            died = ""
        town = CITIES[p.town][0]
        if rng.random() < 0.04:
            town = fa_typo(rng, town)
        row = [str(i), name, father, born.translate(FA_DIGITS), died.translate(FA_DIGITS),
               PRISONS[p.prison][1], town]
        if rng.random() < 0.15:
            row = [arabic_letters(c) for c in row]
        rows.append(row)
    return header, rows


def ngo_list(rng: random.Random, members: list[Person]) -> tuple[list[str], list[list[str]]]:
    header = ["Ref.", "SURNAME", "Forenames", "Father", "Born", "Age", "Executed",
              "Place of execution", "Home town", "Affiliation"]
    style = Style(_ALA, final_e="ah", joiner="-")
    rows = []
    for i, p in enumerate(members, 1):
        diacritics = rng.random() < 0.6
        fold = (lambda s: s) if diacritics else ascii_fold
        given = latin(p.given.replace(" ", "+"), style)         # Muḥammad-Riżā
        if p.given.startswith("moHammad") and rng.random() < 0.3:
            given = given.replace("Muḥammad", rng.choice(["Mohd", "Muhd."]))
        if p.title and rng.random() < 0.5:
            given = TITLES[p.title][1]["ala"] + " " + given
        sur = latin(p.surname, style)
        if rng.random() < 0.3:
            sur = sur.replace("-Zādah", " Zada").replace("-Nizhād", " Nizhad")
        born = "" if rng.random() < 0.3 else (
            f"c. {p.born.year}" if rng.random() < 0.2 else str(p.born.year))
        age = str((p.died - p.born).days // 365) if rng.random() < 0.4 else ""
        r = rng.random()
        if r < 0.5:
            died = f"{p.died.day} {EN_MONTHS[p.died.month - 1]} {p.died.year}"
        elif r < 0.8:
            died = f"{EN_MONTHS[p.died.month - 1]}. {p.died.year}"
        else:
            died = str(p.died.year)
        town = rng.choice(CITIES[p.town][2])
        rows.append([f"N-{i:04d}", fold(sur).upper(), fold(given), fold(latin(p.father, style)),
                     born, age, died, fold(PRISONS[p.prison][3]), fold(town),
                     GROUPS[p.group][1]])
    return header, rows


def french_list(rng: random.Random, members: list[Person]) -> tuple[list[str], list[list[str]]]:
    header = ["N°", "Nom", "Prénom", "Nom du père", "Né en", "Date d'exécution",
              "Lieu de détention", "Ville"]
    style = Style(_FRENCH, final_e="eh", double_s=True, joiner="")
    rows = []
    for i, p in enumerate(members, 1):
        given = latin(p.given, style)
        if p.title == "seyyed" and rng.random() < 0.5:
            given = "Seyed " + given
        died = (f"{p.died.day:02d}/{p.died.month:02d}/{p.died.year}" if rng.random() < 0.75
                else f"{['juillet', 'août', 'septembre', 'octobre'][p.died.month - 7]} 1988")
        rows.append([str(i), latin(p.surname, style), given, latin(p.father, style),
                     str(p.born.year) if rng.random() < 0.7 else "",
                     died, PRISONS[p.prison][4], CITIES[p.town][3][0]])
    return header, rows


def memoir_list(rng: random.Random, members: list[Person]) -> tuple[list[str], list[list[str]]]:
    header = ["نام", "زادگاه", "زندان", "توضیحات"]
    rows = []
    for p in members:
        g, s = persian(p.given), persian(p.surname)
        r = rng.random()
        if r < 0.35:
            name = g
        elif r < 0.7:
            name = f"{g} {s}"
        elif r < 0.85:
            name = s
        else:
            name = f"سید {g}" if p.title == "seyyed" else f"{g} {s}"
        note = rng.choice(["", "هم‌بندی", f"هوادار {GROUPS[p.group][0]}", "در راهرو مرگ دیدمش"])
        rows.append([name, CITIES[p.town][0] if rng.random() < 0.8 else "",
                     PRISONS[p.prison][1], note])
    return header, rows


def mixed_list(rng: random.Random, members: list[Person]) -> tuple[list[str], list[list[str]]]:
    header = ["Name", "Father's name", "Age", "Date of birth", "Date of death", "Place", "Source"]
    rows = []
    for p in members:
        table = dict(_BASE)
        table["u"] = rng.choice(["ou", "u"])
        table["ey"] = rng.choice(["ei", "ey"])
        table["q"] = rng.choice(["gh", "q", "gh"])
        table["'"] = rng.choice(["", "'"])
        style = Style(table, final_e=rng.choice(["eh", "e"]),
                      single_geminates=rng.random() < 0.3, double_s=rng.random() < 0.6,
                      joiner=rng.choice(["", " ", "-"]))
        g, s = latin(p.given, style), latin(p.surname, style)
        if p.title and rng.random() < 0.3:
            g = TITLES[p.title][1]["press"] + " " + g
        name = f"{s}, {g}" if rng.random() < 0.15 else f"{g} {s}"
        jb, jd = jalali(p.born), jalali(p.died)
        r = rng.random()
        born = (str(jb.year) if r < 0.3 else f"{jb.year}/{jb.month:02d}/{jb.day:02d}" if r < 0.45
                else str(p.born.year) if r < 0.7 else "")
        age = ""
        if rng.random() < 0.35:
            a = (p.died - p.born).days // 365
            age = rng.choice([str(a), f"{a} years", f"{a}"])
        r = rng.random()
        if r < 0.25:
            died = f"{jd.day} {LAT_MONTHS[jd.month - 1]} {jd.year}"
        elif r < 0.45:
            died = f"{jd.year}-{jd.month:02d}-{jd.day:02d}"
        elif r < 0.6:
            died = f"{p.died.year}/{p.died.month}/{p.died.day}"
        elif r < 0.75:
            died = f"{p.died.day} {EN_MONTHS[p.died.month - 1]}. {p.died.year}"
        elif r < 0.85:
            died = f"{LAT_MONTHS[jd.month - 1]} {jd.year % 100}"
        else:
            died = ""
        r = rng.random()
        if r < 0.4:
            place = f"{CITIES[PRISONS[p.prison][0]][1][0]} ({PRISONS[p.prison][2]})"
        elif r < 0.7:
            place = rng.choice(CITIES[p.town][4])
        else:
            place = CITIES[PRISONS[p.prison][0]][1][0]
        rows.append([name, latin(p.father, style), age, born, died, place,
                     rng.choice(["press report", "UN annex", "witness"])])
    return header, rows


LISTS = {  # name: (writer, coverage, kind, title)
    "family": (family_list, 0.45, "family_list", "SYNTHETIC families' list (Persian)"),
    "ngo": (ngo_list, 0.5, "ngo_list", "SYNTHETIC NGO list (ALA-LC-like)"),
    "french": (french_list, 0.25, "ngo_report", "SYNTHETIC French-style list"),
    "memoir": (memoir_list, 0.25, "memoir", "SYNTHETIC memoir of Evin and Gohardasht"),
    "mixed": (mixed_list, 0.35, "press", "SYNTHETIC compiled list, mixed calendars"),
}


def write_lists(out: Path, seed: int, n: int) -> dict[tuple[str, int], int]:
    """Write the five lists and the truth file; return (list, row) → person id."""
    rng = random.Random(seed)
    persons = population(rng, n)
    truth: dict[tuple[str, int], int] = {}
    for name, (writer, cover, _, _) in LISTS.items():
        if name == "memoir":
            pool = [p for p in persons if p.prison in ("evin", "gohardasht")]
        else:
            pool = persons
        members = [p for p in pool if rng.random() < cover]
        if name == "ngo":   # an NGO list names a few persons twice
            members += rng.sample(members, k=len(members) // 50)
        rng.shuffle(members)
        header, rows = writer(rng, members)
        write_csv(out / f"SYNTHETIC-{name}.csv", header, rows)
        for i, p in enumerate(members, 1):
            truth[(name, i)] = p.pid
    with (out / "SYNTHETIC-truth.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["list", "row", "person_id", "family"])
        fam = {p.pid: p.family for p in persons}
        for (lst, row), pid in sorted(truth.items()):
            w.writerow([lst, row, pid, "" if fam[pid] is None else fam[pid]])
    return truth


# --------------------------------------------------------------------------- run and score

def run_cli(out: Path, dadkhah: str) -> tuple[Path, float]:
    case = out / "case"
    if case.exists():
        shutil.rmtree(case)
    env = dict(os.environ, DADKHAH_USER="probe")

    def call(*args: str) -> str:
        res = subprocess.run([dadkhah, "-C", str(case), *args], capture_output=True,
                             text=True, env=env)
        if res.returncode != 0:
            sys.exit(f"dadkhah {' '.join(args)} failed:\n{res.stdout}\n{res.stderr}")
        return res.stdout

    call("init")
    for name, (_, _, kind, title) in LISTS.items():
        call("source", "add", name, "--title", title, "--kind", kind, "--synthetic")
        (out / f"import-{name}.txt").write_text(
            call("import", str(out / f"SYNTHETIC-{name}.csv"), "-s", name, "--dry-run"))
        call("import", str(out / f"SYNTHETIC-{name}.csv"), "-s", name)
    call("normalize")
    t0 = time.perf_counter()
    (out / "link.txt").write_text(call("link"))
    took = time.perf_counter() - t0
    export = out / "persons.csv"
    call("export", "persons", "--format", "csv", "-o", str(export))
    return export, took


def read_clusters(export: Path) -> dict[tuple[str, int], str]:
    with export.open(encoding="utf-8") as fh:
        rows = [r for r in csv.reader(fh)]
    # the export may open with 'about' lines; the provenance table starts at its header
    start = next(i for i, r in enumerate(rows) if r[:2] == ["person_id", "record_id"])
    head = rows[start]
    ip, isrc, irow = head.index("person_id"), head.index("source_slug"), head.index("row_number")
    out = {}
    for r in rows[start + 1:]:
        if len(r) > irow and r[irow]:
            out[(r[isrc], int(r[irow]))] = r[ip]
    return out


def pairs(groups: dict[object, list[tuple[str, int]]]) -> set[frozenset[tuple[str, int]]]:
    return {frozenset(p) for members in groups.values() for p in combinations(members, 2)}


def score(truth: dict[tuple[str, int], int], found: dict[tuple[str, int], str],
          family: dict[int, str]) -> dict[str, float]:
    missing = [k for k in truth if k not in found]
    if missing:
        sys.exit(f"{len(missing)} records missing from the export, e.g. {missing[:3]}")
    by_true: dict[object, list[tuple[str, int]]] = defaultdict(list)
    by_found: dict[object, list[tuple[str, int]]] = defaultdict(list)
    for k, pid in truth.items():
        by_true[pid].append(k)
        by_found[found[k]].append(k)
    tp_set, fp_set = pairs(by_true), pairs(by_found)
    tp = len(tp_set & fp_set)
    p = tp / len(fp_set) if fp_set else 1.0
    r = tp / len(tp_set) if tp_set else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    bp = br = 0.0
    for k in truth:
        t = set(by_true[truth[k]])
        c = set(by_found[found[k]])
        inter = len(t & c)
        bp += inter / len(c)
        br += inter / len(t)
    bp, br = bp / len(truth), br / len(truth)
    sib = 0
    for members in by_found.values():
        pids = {truth[k] for k in members}
        fams = Counter(family[x] for x in pids if family.get(x))
        sib += sum(c * (c - 1) // 2 for c in fams.values())
    return {"records": len(truth), "pair_precision": p, "pair_recall": r, "pair_f1": f1,
            "bcubed_f1": 2 * bp * br / (bp + br), "persons_found": len(by_found),
            "truly_named": len(by_true), "sibling_pairs_merged": sib,
            "false_pairs": len(fp_set - tp_set), "missed_pairs": len(tp_set - fp_set)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=101)
    ap.add_argument("--persons", type=int, default=1500)
    ap.add_argument("--out", type=Path, default=Path("/tmp/independent-probe"))
    # the command beside this interpreter (the venv's) when PATH has none
    beside = Path(sys.executable).with_name("dadkhah")
    ap.add_argument("--dadkhah", default=shutil.which("dadkhah")
                    or (str(beside) if beside.exists() else "dadkhah"))
    ap.add_argument("--no-run", action="store_true", help="write the lists only")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    out = a.out / f"seed-{a.seed}"
    out.mkdir(parents=True, exist_ok=True)
    truth = write_lists(out, a.seed, a.persons)
    if a.no_run:
        print(f"SYNTHETIC lists and truth written to {out}")
        return
    export, took = run_cli(out, a.dadkhah)
    family = {}
    with (out / "SYNTHETIC-truth.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            family[int(r["person_id"])] = r["family"]
    res = score(truth, read_clusters(export), family)
    res["link_seconds"] = round(took, 1)
    if a.json:
        print(json.dumps(res))
        return
    print(f"independent probe (SYNTHETIC), seed {a.seed}, {a.persons} persons, "
          f"{res['records']} records, link {took:.1f} s")
    print(f"pairwise P/R/F1 {res['pair_precision']:.3f} / {res['pair_recall']:.3f} / "
          f"{res['pair_f1']:.3f}   B-cubed F1 {res['bcubed_f1']:.3f}")
    print(f"persons {res['persons_found']} vs truly named {res['truly_named']} "
          f"({100 * (res['persons_found'] / res['truly_named'] - 1):+.1f}%)   "
          f"sibling pairs merged {res['sibling_pairs_merged']}   "
          f"false pairs {res['false_pairs']}, missed pairs {res['missed_pairs']}")


if __name__ == "__main__":
    main()
