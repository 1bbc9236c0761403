"""Rendering: how each list writes its persons down, errors included.

A list's style (script, romanisation habit, calendar, digits, fields, headers) and its
error profile are in its :class:`~dadkhah.simulate.config.ListSpec`.  Rendering is
column-wise over numpy object arrays; only the records an error touches go through Python
one by one.  Every error applied is recorded per record, so the truth file says which
records are damaged and how.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from dadkhah.simulate.config import ERROR_KINDS, ListSpec
from dadkhah.simulate.population import Population, jalali
from dadkhah.simulate.sources import Captures

__all__ = ["HEADERS", "SYNTHETIC_NOTE", "RenderedList", "render_list"]

HEADERS = {
    "fa": {"external_id": "ردیف", "given_names": "نام", "surname": "نام خانوادگی",
           "full_name": "نام و نام خانوادگی", "father_name": "نام پدر", "sex": "جنسیت",
           "birth_year": "سال تولد", "age": "سن", "death_date": "تاریخ اعدام",
           "arrest_date": "تاریخ دستگیری", "prison": "زندان", "city": "شهر",
           "province": "استان", "affiliation": "وابستگی سیاسی", "notes": "توضیحات"},
    "en": {"external_id": "No.", "given_names": "First name", "surname": "Surname",
           "full_name": "Full name", "father_name": "Father's name", "sex": "Sex",
           "birth_year": "Year of birth", "age": "Age", "death_date": "Date of execution",
           "arrest_date": "Date of arrest", "prison": "Prison", "city": "City",
           "province": "Province", "affiliation": "Affiliation", "notes": "Notes"},
}
"""Column headers by language; all but «arrest date» are detected by ``dadkhah import``
(the arrest date stays in each record's raw row)."""

SYNTHETIC_NOTE = {
    "fa": "SYNTHETIC — داده ساختگی؛ این شخص واقعی نیست (dadkhah simulate)",
    "en": "SYNTHETIC record made by dadkhah simulate; not a real person",
}

AFFILIATION_LABELS = {
    "mek": (("مجاهدین خلق", "سازمان مجاهدین", "مجاهد", "هوادار مجاهدین"),
            ("PMOI", "MEK", "Mojahedin", "Mujahedin-e Khalq")),
    "fadaian_minority": (("فداییان خلق (اقلیت)", "فدایی اقلیت"),
                         ("Fadaian (Minority)", "Fedaian Aqaliyat")),
    "fadaian_majority": (("فداییان خلق (اکثریت)", "فدایی اکثریت"),
                         ("Fadaian (Majority)", "Fedaian Aksariyat")),
    "tudeh": (("حزب توده", "توده‌ای"), ("Tudeh Party", "Tudeh")),
    "peykar": (("پیکار",), ("Peykar", "Paykar")),
    "rah_e_kargar": (("راه کارگر",), ("Rah-e Kargar", "Workers' Path")),
    "komala": (("کومله",), ("Komala", "Komalah")),
    "kdpi": (("حزب دموکرات کردستان", "دمکرات"), ("KDPI", "Kurdish Democratic Party")),
    "other_left": (("اتحادیه کمونیست‌ها", "چپ"), ("Union of Communists", "leftist")),
}

_JALALI_MONTHS_FA = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان",
                     "آذر", "دی", "بهمن", "اسفند")
_JALALI_MONTHS_LA = ("Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
                     "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand")
_GREG_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")
_SEASONS_FA = ("بهار", "تابستان", "پاییز", "زمستان")
_SEASONS_LA = ("spring", "summer", "autumn", "winter")

_TO_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_FA_TO_AR_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
_CP1256 = str.maketrans({"ی": "ي", **{c: str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")},
                         **{c: str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}})
_OCR_FA = str.maketrans({"ی": "ي", "ک": "ك", "\u200c": ""})
_FINAL_HE = re.compile(r"ه(?=\s|$)")
_FA_SIMILAR = ["بپتث", "جچحخ", "دذ", "رزژ", "سش", "صض", "طظ", "عغ", "فق", "کگ", "ای"]
_LA_SIMILAR = ["ae", "ei", "ou", "sz", "kq", "gq", "vw", "dt", "bp", "mn", "yi"]
_OCR_LA = (("m", "rn"), ("rn", "m"), ("l", "I"), ("e", "c"), ("h", "b"))


@dataclass(frozen=True)
class RenderedList:
    """One list as written: headers, cell text by column, and the truth per record."""

    spec: ListSpec
    fields: tuple[str, ...]  # record field of each column (arrest_date: no record field)
    headers: tuple[str, ...]
    cells: tuple[list[str], ...]  # one list of strings per column
    persons: np.ndarray  # person index of each record
    duplicate: np.ndarray  # bool
    persian: np.ndarray  # bool: record written in Persian script
    errors: dict[str, np.ndarray]  # error kind -> bool per record
    eligible: dict[str, np.ndarray]  # error kind -> bool: could the record have it
    prison_written: np.ndarray  # prison code actually named (after wrong_prison)
    death_written: np.ndarray  # ordinal of the date written (after date_shift)

    @property
    def size(self) -> int:
        return int(self.persons.size)

    def rows(self):
        return zip(*self.cells)

    def error_strings(self) -> np.ndarray:
        out = np.full(self.size, "", dtype=object)
        for kind in ERROR_KINDS:
            flag = self.errors.get(kind)
            if flag is not None and flag.any():
                out = np.where(flag, out + (kind + ";"), out)
        return np.array([s.rstrip(";") for s in out], dtype=object)


def _digits(s: str, persian: bool) -> str:
    return s.translate(_TO_FA_DIGITS) if persian else s


@lru_cache(maxsize=65536)
def format_date(ordinal: int, calendar: str, style: str, persian: bool, fa_digits: bool,
                partial: int = 0) -> str:
    """A date as a list writes it.  ``partial``: 0 full, 1 month only, 2 season only.

    Seasons are Iranian seasons (summer = Tir–Shahrivar) in both calendars, as the names
    module reads them.
    """
    d = date.fromordinal(ordinal)
    jy, jm, jd = jalali(ordinal)
    if partial == 2:
        season = (jm - 1) // 3
        year = jy if calendar == "jalali" or persian else d.year
        if calendar == "gregorian" and not persian:
            # «winter 1988» means Dey–Esfand 1367, which starts in December 1988
            year = jy + 621
        text = f"{(_SEASONS_FA if persian else _SEASONS_LA)[season]} {year}"
        return _digits(text, persian and fa_digits)
    if calendar == "jalali":
        if partial == 1:
            text = f"{(_JALALI_MONTHS_FA if persian else _JALALI_MONTHS_LA)[jm - 1]} {jy}"
        elif style == "numeric":
            text = f"{jy}/{jm:02d}/{jd:02d}"
        else:
            text = f"{jd} {(_JALALI_MONTHS_FA if persian else _JALALI_MONTHS_LA)[jm - 1]} {jy}"
    else:
        if partial == 1:
            text = f"{_GREG_MONTHS[d.month - 1]} {d.year}"
        elif style == "numeric":
            text = d.isoformat()
        else:
            text = f"{d.day} {_GREG_MONTHS[d.month - 1]} {d.year}"
    return _digits(text, persian and fa_digits)


def _habit(rng: np.random.Generator, variants: tuple[tuple[str, ...], ...], mode: str,
           limit: int | None = None) -> np.ndarray:
    """The form a list habitually uses for each name or place: an object array by code."""
    out = []
    for v in variants:
        v = v[:limit] if limit else v
        if mode == "preferred" or len(v) == 1:
            out.append(v[0])
        else:
            w = 1.0 / (np.arange(len(v)) + 1.0)
            out.append(v[int(rng.choice(len(v), p=w / w.sum()))])
    return np.array(out, dtype=object)


def _typo(s: str, rng: np.random.Generator, persian: bool) -> str:
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


def _ocr(s: str, rng: np.random.Generator, persian: bool) -> str:
    if persian:
        return _FINAL_HE.sub("ة", s.translate(_OCR_FA)).translate(_FA_TO_AR_DIGITS)
    options = [(a, b) for a, b in _OCR_LA if a in s]
    if not options:
        return s
    a, b = options[int(rng.integers(len(options)))]
    return s.replace(a, b, 1)


def _initials(given: str, persian: bool) -> str:
    return " ".join(w[0] + "." for w in given.split() if w)


def _columns(spec: ListSpec) -> tuple[str, ...]:
    cols: list[str] = []
    for f in spec.fields:
        if f == "name":
            cols += ["given_names", "surname"] if spec.name_layout == "split" else ["full_name"]
        else:
            cols.append(f)
        if f == "birth_year" and "age" not in spec.fields and spec.errors.age_for_birth_year:
            cols.append("age")
    return (*cols, "notes")


_CONFUSED = {"prison:evin": "prison:gohardasht", "prison:gohardasht": "prison:evin",
             "prison:qezel_hesar": "prison:gohardasht", "prison:karun": "prison:sepidar",
             "prison:sepidar": "prison:karun", "prison:dezful": "prison:karun",
             "prison:qasr": "prison:evin"}


def render_list(pop: Population, caps: Captures, j: int,
                rng: np.random.Generator) -> RenderedList:
    """Write list ``j`` of the captures as its source would have, errors included."""
    spec = pop.config.lists[j]
    t = pop.tables
    err = spec.errors
    R = caps.records[j]
    m = R.size
    cols = _columns(spec)
    has = set(cols)

    if spec.script == "persian":
        fa = np.ones(m, dtype=bool)
    elif spec.script == "latin":
        fa = np.zeros(m, dtype=bool)
    else:
        fa = rng.random(m) < spec.persian_share
    fa_digits = spec.digits == "persian"

    # -- which records get which error (drawn in a fixed order, for determinism) --------
    g2 = pop.given2[R]
    e: dict[str, np.ndarray] = {}
    eligible: dict[str, np.ndarray] = {}
    optional = [c for c in ("sex", "city", "province", "affiliation", "arrest_date")
                if c in has]
    for kind, ok in (
        ("typo", True), ("ocr", True), ("drop_middle_name", g2 >= 0), ("initials", True),
        ("swap_order", True), ("missing_father", "father_name" in has),
        ("age_for_birth_year", "birth_year" in has), ("date_shift", "death_date" in has),
        ("date_partial", "death_date" in has), ("wrong_prison", "prison" in has),
        ("romanisation", ~fa), ("missing_field", bool(optional)),
    ):
        draw = rng.random(m) < getattr(err, kind)
        eligible[kind] = np.broadcast_to(np.asarray(ok, dtype=bool), (m,))
        e[kind] = draw & eligible[kind]
    blank_choice = rng.integers(0, max(1, len(optional)), m)

    # -- names -----------------------------------------------------------------------
    hab_given = _habit(rng, t.given_latin, spec.romanisation)
    hab_sur = _habit(rng, t.surname_latin, spec.romanisation)
    g1c, sc, fc = pop.given1[R], pop.surname[R], pop.father[R]

    def latin_name(codes: np.ndarray, habit: np.ndarray, variants) -> np.ndarray:
        out = habit[np.maximum(codes, 0)].copy()
        for i in np.flatnonzero(e["romanisation"] & (codes >= 0)):
            v = [x for x in variants[codes[i]] if x != out[i]]  # another spelling, if any
            if v:
                out[i] = v[int(rng.integers(len(v)))]
        return out

    zw = {"keep": "\u200c", "space": " ", "join": ""}[spec.zwnj]
    given_tab = t.given_fa if zw == "\u200c" else \
        np.array([x.replace("\u200c", zw) for x in t.given_fa], dtype=object)
    surname_tab = t.surname_fa if zw == "\u200c" else \
        np.array([x.replace("\u200c", zw) for x in t.surname_fa], dtype=object)
    given_fa = given_tab[g1c]
    given_la = latin_name(g1c, hab_given, t.given_latin)
    two = (g2 >= 0) & ~e["drop_middle_name"]
    given_fa = np.where(two, given_fa + " " + given_tab[np.maximum(g2, 0)], given_fa)
    given_la = np.where(two, given_la + " " + latin_name(g2, hab_given, t.given_latin),
                        given_la)
    given = np.where(fa, given_fa, given_la)
    for i in np.flatnonzero(e["initials"]):
        given[i] = _initials(given[i], bool(fa[i]))
    title = pop.title[R]
    given = np.where(title, np.where(fa, "سید ", "Seyed ") + given, given)
    surname = np.where(fa, surname_tab[sc], latin_name(sc, hab_sur, t.surname_latin))
    father = np.where(fa, given_tab[fc], latin_name(fc, hab_given, t.given_latin))
    father = np.where(e["missing_father"], "", father)
    swap = e["swap_order"]
    if spec.name_layout == "full":
        full = np.where(swap, np.where(fa, surname + " " + given, surname + ", " + given),
                        given + " " + surname)
        name_cols = {"full_name": full}
    else:
        name_cols = {"given_names": np.where(swap, surname, given),
                     "surname": np.where(swap, given, surname)}
    # one typo in one name column of the record
    typo_targets = [c for c in ("given_names", "surname", "full_name") if c in name_cols]
    if "father_name" in has:
        typo_targets.append("father_name")
    name_cols["father_name"] = father
    pick = rng.integers(0, len(typo_targets), m)
    for i in np.flatnonzero(e["typo"]):
        col = name_cols[typo_targets[pick[i]]]
        if col[i]:
            col[i] = _typo(col[i], rng, bool(fa[i]))

    # -- dates, ages -----------------------------------------------------------------
    death = pop.execution[R].copy()
    shift = rng.integers(1, err.date_shift_days + 1, m) * rng.choice([-1, 1], m)
    death = np.where(e["date_shift"], death + shift, death)
    partial = np.where(e["date_partial"], rng.integers(1, 3, m), 0)
    cal, style = spec.calendar, spec.date_style
    death_txt = np.array([format_date(int(o), cal, style, bool(f), fa_digits, int(p))
                          for o, f, p in zip(death, fa, partial)], dtype=object)
    arrest_txt = np.array([format_date(int(o), cal, style, bool(f), fa_digits, 0)
                           for o, f in zip(pop.arrest[R], fa)], dtype=object)
    birth_years = np.array([jalali(int(o))[0] for o in pop.birth[R]]) if cal == "jalali" \
        else (pop.birth[R] - 719163).astype("datetime64[D]").astype("datetime64[Y]") \
        .astype(np.int64) + 1970
    birth_txt = np.array([_digits(str(y), bool(f) and fa_digits)
                          for y, f in zip(birth_years, fa)], dtype=object)
    ages = pop.age_at_death()[R]
    age_txt = np.array([_digits(str(a), bool(f) and fa_digits) for a, f in zip(ages, fa)],
                       dtype=object)
    approx = e["age_for_birth_year"]
    for i in np.flatnonzero(approx):
        a = int(ages[i] + rng.integers(-1, 2))  # families' reckoning, often a year out
        age_txt[i] = (f"حدود {_digits(str(a), fa_digits)}" if fa[i] else f"about {a}")
    if "birth_year" in has:
        birth_txt = np.where(approx, "", birth_txt)
        if "age" in has and "age" not in spec.fields:
            age_txt = np.where(approx, age_txt, "")

    # -- places, sex, affiliation -----------------------------------------------------
    prison = pop.prison[R].copy()
    wrong = np.flatnonzero(e["wrong_prison"])
    if wrong.size:
        w = np.array([p for _, p in pop.config.prisons])
        for i in wrong:
            other = _CONFUSED.get(t.prison_ids[prison[i]])
            if other in t.prison_ids and rng.random() < 0.7:
                prison[i] = t.prison_ids.index(other)
            else:
                ww = w.copy()
                ww[prison[i]] = 0
                prison[i] = int(rng.choice(w.size, p=ww / ww.sum()))
    prison_txt = np.where(fa, _habit(rng, t.prison_fa, spec.romanisation, 2)[prison],
                          _habit(rng, t.prison_latin, spec.romanisation, 2)[prison])
    city = pop.city[R]
    city_txt = np.where(fa, np.array([v[0] for v in t.city_fa], dtype=object)[city],
                        _habit(rng, t.city_latin, spec.romanisation, 2)[city])
    prov = t.city_province[city]
    prov_txt = np.where(fa, np.array([v[0] for v in t.province_fa], dtype=object)[prov],
                        np.array([v[0] for v in t.province_latin], dtype=object)[prov])
    aff_ids = [a[0] for a in pop.config.affiliations]
    aff = pop.affiliation[R]
    labels = [AFFILIATION_LABELS.get(a, ((a,), (a,))) for a in aff_ids]
    aff_txt = np.where(fa, _habit(rng, tuple(x[0] for x in labels), "habit")[aff],
                       _habit(rng, tuple(x[1] for x in labels), "habit")[aff])
    sexes = (("مرد", "زن") if spec.header_language == "fa" else ("M", "F"))
    sex_txt = np.array(sexes, dtype=object)[pop.sex[R]]

    if spec.header_language == "fa":
        ext = [_digits(str(i), fa_digits) for i in range(1, m + 1)]
    else:
        prefix = spec.id.upper().replace("-", "")
        ext = [f"{prefix}-{i:05d}" for i in range(1, m + 1)]
    values = {**name_cols, "sex": sex_txt, "birth_year": birth_txt, "age": age_txt,
              "death_date": death_txt, "arrest_date": arrest_txt, "prison": prison_txt,
              "city": city_txt, "province": prov_txt, "affiliation": aff_txt,
              "external_id": np.array(ext, dtype=object),
              "notes": np.full(m, SYNTHETIC_NOTE[spec.header_language], dtype=object)}
    for k, c in enumerate(optional):
        values[c] = np.where(e["missing_field"] & (blank_choice == k), "", values[c])

    # OCR over every Persian text cell of the record; Latin OCR on the names
    ocr_idx = np.flatnonzero(e["ocr"])
    if ocr_idx.size:
        targets = [c for c in cols if c not in ("notes", "external_id")]
        for c in targets:
            arr = values[c]
            for i in ocr_idx:
                if arr[i] and (fa[i] or c in ("given_names", "surname", "full_name",
                                              "father_name")):
                    arr[i] = _ocr(arr[i], rng, bool(fa[i]))
    cells = []
    for c in cols:
        col = [str(x) for x in values[c]]
        if spec.encoding == "cp1256":
            col = [x.translate(_CP1256) for x in col]
        cells.append(col)
    if spec.order != "random" and m:
        if spec.order == "date":
            perm = np.argsort(death, kind="stable")
        else:
            key = cells[cols.index("surname" if "surname" in cols else "full_name")]
            perm = np.array(sorted(range(m), key=key.__getitem__), dtype=np.int64)
        cells = [[col[i] for i in perm] for col in cells]
        if "external_id" in cols:  # numbered in file order, as a list's own numbers are
            cells[cols.index("external_id")] = [x.translate(_CP1256) if spec.encoding ==
                                                "cp1256" else x for x in ext]
        R, fa, prison, death = R[perm], fa[perm], prison[perm], death[perm]
        dup = caps.duplicate[j][perm]
        e = {k: v[perm] for k, v in e.items()}
        eligible = {k: v[perm] for k, v in eligible.items()}
    else:
        dup = caps.duplicate[j]
    headers = tuple(HEADERS[spec.header_language][c] for c in cols)
    if spec.encoding == "cp1256":
        headers = tuple(h.translate(_CP1256) for h in headers)
    return RenderedList(spec=spec, fields=cols, headers=headers, cells=tuple(cells),
                        persons=R, duplicate=dup, persian=fa, errors=e, eligible=eligible,
                        prison_written=prison, death_written=death)
