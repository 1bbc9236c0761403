"""Rendering: how each list writes its persons down, errors included.

A list's style (script, romanisation habit, calendar, digits, fields, headers) and its
error profile are in its :class:`~dadkhah.simulate.config.ListSpec`.  Rendering is
column-wise over numpy object arrays; only the records an error touches go through Python
one by one.  Every error applied is recorded per record, so the truth file says which
records are damaged and how.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from dadkhah.simulate.config import ERROR_KINDS, EXTRA_ERROR_KINDS, ListSpec
from dadkhah.simulate.mutations import (
    CP1256,
    TITLES,
    arabic_digits,
    draw_errors,
    draw_extra_errors,
    initials,
    ocr,
    other_prison,
    romanise,
    typo,
)
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
_GREG_MONTHS_FA = ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر",
                   "اکتبر", "نوامبر", "دسامبر")
_SEASONS_FA = ("بهار", "تابستان", "پاییز", "زمستان")
_SEASONS_LA = ("spring", "summer", "autumn", "winter")

_TO_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
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
        return zip(*self.cells, strict=True)

    def error_strings(self) -> np.ndarray:
        out = np.full(self.size, "", dtype=object)
        for kind in (*ERROR_KINDS, *EXTRA_ERROR_KINDS):
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
        # «summer 1988» means Tir–Shahrivar 1367; «winter 1988» Dey–Esfand 1367
        year = jy if calendar == "jalali" else jy + 621
        text = f"{(_SEASONS_FA if persian else _SEASONS_LA)[(jm - 1) // 3]} {year}"
    elif calendar == "jalali":
        month = (_JALALI_MONTHS_FA if persian else _JALALI_MONTHS_LA)[jm - 1]
        if partial == 1:
            text = f"{month} {jy}"
        elif style == "numeric":
            text = f"{jy}/{jm:02d}/{jd:02d}"
        else:
            text = f"{jd} {month} {jy}"
    else:
        month = (_GREG_MONTHS_FA if persian else _GREG_MONTHS)[d.month - 1]
        if partial == 1:
            text = f"{month} {d.year}"
        elif style == "numeric":
            text = d.isoformat()
        else:
            text = f"{d.day} {month} {d.year}"
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


class _Writer:
    """One list being written: the records, their script, their errors, the list's rng."""

    def __init__(self, pop: Population, caps: Captures, j: int, rng: np.random.Generator):
        self.pop, self.rng = pop, rng
        self.spec = spec = pop.config.lists[j]
        self.R = caps.records[j]
        self.dup = caps.duplicate[j]
        self.m = m = self.R.size
        self.cols = _columns(spec)
        has = set(self.cols)
        if spec.script == "persian":
            self.fa = np.ones(m, dtype=bool)
        elif spec.script == "latin":
            self.fa = np.zeros(m, dtype=bool)
        else:
            self.fa = rng.random(m) < spec.persian_share
        self.fa_digits = spec.digits == "persian"
        self.optional = [c for c in ("sex", "city", "province", "affiliation", "arrest_date")
                         if c in has]
        self.e, self.eligible = draw_errors(rng, spec.errors, {
            "drop_middle_name": pop.given2[self.R] >= 0,
            "missing_father": "father_name" in has,
            "age_for_birth_year": "birth_year" in has,
            "date_shift": "death_date" in has, "date_partial": "death_date" in has,
            "wrong_prison": "prison" in has, "romanisation": ~self.fa,
            "missing_field": bool(self.optional),
        }, m)
        # the profiles' error kinds come from a stream of their own (spawning does not
        # advance ``rng``), so lists without them render exactly as before
        self.x = rng.spawn(1)[0]
        t = pop.tables
        extra, extra_elig = draw_extra_errors(self.x, spec.errors, {
            "title_dropped": pop.title[self.R], "upper_surname": ~self.fa,
            "age_in_birth_year": "birth_year" in has,
            "arabic_digits": self.fa & (spec.encoding != "cp1256"),
            "city_is_prison_city": ("city" in has)
            & (pop.city[self.R] != t.prison_city[pop.prison[self.R]]),
            "place_typo": "city" in has or "prison" in has,
        }, m)
        self.e.update(extra)
        self.eligible.update(extra_elig)

    def latin(self, codes: np.ndarray, habit: np.ndarray, variants) -> np.ndarray:
        """The list's habitual romanisation of each name, another one where the record has a
        romanisation error."""
        out = habit[np.maximum(codes, 0)].copy()
        for i in np.flatnonzero(self.e["romanisation"] & (codes >= 0)):
            v = [x for x in variants[codes[i]] if x != out[i]]  # another spelling, if any
            if v:
                out[i] = v[int(self.rng.integers(len(v)))]
        return out

    def names(self) -> dict[str, np.ndarray]:
        pop, t, e, fa, R, rng = self.pop, self.pop.tables, self.e, self.fa, self.R, self.rng
        hab_given = _habit(rng, t.given_latin, self.spec.romanisation)
        hab_sur = _habit(rng, t.surname_latin, self.spec.romanisation)
        system = self.spec.latin_system
        if system != "dictionary":
            hab_given = np.array([romanise(h, f, system) for h, f in
                                  zip(hab_given, t.given_fa, strict=True)], dtype=object)
            hab_sur = np.array([romanise(h, f, system) for h, f in
                                zip(hab_sur, t.surname_fa, strict=True)], dtype=object)
        zw = {"keep": "\u200c", "space": " ", "join": ""}[self.spec.zwnj]
        given_tab = np.array([x.replace("\u200c", zw) for x in t.given_fa], dtype=object)
        surname_tab = np.array([x.replace("\u200c", zw) for x in t.surname_fa], dtype=object)
        g1, g2, sc, fc = pop.given1[R], pop.given2[R], pop.surname[R], pop.father[R]
        two = (g2 >= 0) & ~e["drop_middle_name"]
        given_fa = np.where(two, given_tab[g1] + " " + given_tab[np.maximum(g2, 0)],
                            given_tab[g1])
        given_la = self.latin(g1, hab_given, t.given_latin)
        given_la = np.where(two, given_la + " " + self.latin(g2, hab_given, t.given_latin),
                            given_la)
        given = np.where(fa, given_fa, given_la)
        for i in np.flatnonzero(e["initials"]):
            given[i] = initials(given[i])
        given = np.where(pop.title[R] & ~e["title_dropped"],
                         np.where(fa, "سید ", "Seyed ") + given, given)
        pick_title = self.x.integers(0, len(TITLES), self.m)
        for i in np.flatnonzero(e["title_added"]):
            given[i] = TITLES[pick_title[i]][0 if fa[i] else 1] + " " + given[i]
        surname = np.where(fa, surname_tab[sc], self.latin(sc, hab_sur, t.surname_latin))
        for i in np.flatnonzero(e["upper_surname"]):
            surname[i] = surname[i].upper()
        given = np.where(e["missing_given"], "", given)
        surname = np.where(e["missing_surname"], "", surname)
        father = np.where(fa, given_tab[fc], self.latin(fc, hab_given, t.given_latin))
        swap = e["swap_order"]
        if self.spec.name_layout == "full":
            cols = {"full_name": np.where(
                swap, np.where(fa, surname + " " + given, surname + ", " + given),
                given + " " + surname)}
        else:
            cols = {"given_names": np.where(swap, surname, given),
                    "surname": np.where(swap, given, surname)}
        for i in np.flatnonzero(e["missing_given"] | e["missing_surname"]):
            if "full_name" in cols:
                cols["full_name"][i] = cols["full_name"][i].strip(" ,")
        for i in np.flatnonzero(e["surname_comma"]):  # «Surname، Given»
            both = (surname[i] + ("، " if fa[i] else ", ") + given[i]).strip("،, ")
            if "full_name" in cols:
                cols["full_name"][i] = both
            else:
                cols["given_names"][i], cols["surname"][i] = both, ""
        cols["father_name"] = np.where(e["missing_father"], "", father)
        # one typo in one name column of the record
        targets = [c for c in cols if c in self.cols]
        pick = rng.integers(0, len(targets), self.m)
        for i in np.flatnonzero(e["typo"]):
            col = cols[targets[pick[i]]]
            if col[i]:
                col[i] = typo(col[i], rng, bool(fa[i]))
        return cols

    def dates(self) -> dict[str, np.ndarray]:
        pop, spec, e, fa, R, rng = self.pop, self.spec, self.e, self.fa, self.R, self.rng
        m, fd = self.m, self.fa_digits
        shift = rng.integers(1, spec.errors.date_shift_days + 1, m) * rng.choice([-1, 1], m)
        self.death = death = np.where(e["date_shift"], pop.execution[R] + shift,
                                      pop.execution[R])
        partial = np.where(e["date_partial"], rng.integers(1, 3, m), 0)
        cal, style = spec.calendar, spec.date_style
        death_txt = [format_date(int(o), cal, style, bool(f), fd, int(p))
                     for o, f, p in zip(death, fa, partial, strict=True)]
        arrest_txt = [format_date(int(o), cal, style, bool(f), fd)
                      for o, f in zip(pop.arrest[R], fa, strict=True)]
        if cal == "jalali":
            years = np.array([jalali(int(o))[0] for o in pop.birth[R]])
        else:
            years = (pop.birth[R] - 719163).astype("datetime64[D]").astype("datetime64[Y]") \
                .astype(np.int64) + 1970
        birth_txt = np.array([_digits(str(y), bool(f) and fd)
                              for y, f in zip(years, fa, strict=True)], dtype=object)
        ages = pop.age_at_death()[R]
        age_txt = np.array([_digits(str(a), bool(f) and fd)
                            for a, f in zip(ages, fa, strict=True)], dtype=object)
        approx = e["age_for_birth_year"]
        for i in np.flatnonzero(approx):
            a = int(ages[i] + rng.integers(-1, 2))  # families' reckoning, often a year out
            age_txt[i] = f"حدود {_digits(str(a), fd)}" if fa[i] else f"about {a}"
        if "birth_year" in self.cols:
            birth_txt = np.where(approx, "", birth_txt)
            if "age" not in spec.fields:  # the age column exists for these records only
                age_txt = np.where(approx, age_txt, "")
            for i in np.flatnonzero(e["age_in_birth_year"] & ~approx):  # column misuse
                birth_txt[i] = _digits(str(ages[i]), bool(fa[i]) and fd)
        return {"death_date": np.array(death_txt, dtype=object),
                "arrest_date": np.array(arrest_txt, dtype=object),
                "birth_year": birth_txt, "age": age_txt}

    def places(self) -> dict[str, np.ndarray]:
        pop, t, spec, fa, R, rng = self.pop, self.pop.tables, self.spec, self.fa, self.R, \
            self.rng
        prison = pop.prison[R].copy()
        weights = np.array([w for _, w in pop.config.prisons])
        for i in np.flatnonzero(self.e["wrong_prison"]):
            prison[i] = other_prison(int(prison[i]), rng, t.prison_ids, weights)
        self.prison = prison
        def first(forms: tuple[tuple[str, ...], ...]) -> np.ndarray:
            """The first (usual) form of each place's names."""
            return np.array([v[0] for v in forms], dtype=object)

        city = np.where(self.e["city_is_prison_city"], t.prison_city[pop.prison[R]],
                        pop.city[R])
        prov = t.city_province[pop.city[R]]
        aff = pop.affiliation[R]
        labels = [AFFILIATION_LABELS.get(a[0], ((a[0],), (a[0],)))
                  for a in pop.config.affiliations]
        sexes = ("مرد", "زن") if spec.header_language == "fa" else ("M", "F")
        return {
            "prison": np.where(fa, _habit(rng, t.prison_fa, spec.romanisation, 2)[prison],
                               _habit(rng, t.prison_latin, spec.romanisation, 2)[prison]),
            "city": np.where(fa, first(t.city_fa)[city],
                             _habit(rng, t.city_latin, spec.romanisation, 2)[city]),
            "province": np.where(fa, first(t.province_fa)[prov], first(t.province_latin)[prov]),
            "affiliation": np.where(fa, _habit(rng, tuple(x[0] for x in labels), "habit")[aff],
                                    _habit(rng, tuple(x[1] for x in labels), "habit")[aff]),
            "sex": np.array(sexes, dtype=object)[pop.sex[R]],
        }

    def numbers(self) -> list[str]:
        """The list's own record numbers, in file order."""
        if self.spec.header_language == "fa":
            return [_digits(str(i), self.fa_digits) for i in range(1, self.m + 1)]
        prefix = self.spec.id.upper()
        return [f"{prefix}-{i:05d}" for i in range(1, self.m + 1)]

    def write(self) -> RenderedList:
        spec, e, m = self.spec, self.e, self.m
        values = {**self.names(), **self.dates(), **self.places(),
                  "notes": np.full(m, SYNTHETIC_NOTE[spec.header_language], dtype=object)}
        place = "city" if "city" in self.cols else "prison"
        for i in np.flatnonzero(e["place_typo"]):
            values[place][i] = typo(values[place][i], self.x, bool(self.fa[i]))
        blank = self.rng.integers(0, max(1, len(self.optional)), m)
        for k, c in enumerate(self.optional):
            values[c] = np.where(e["missing_field"] & (blank == k), "", values[c])
        # OCR over every Persian text cell of the record; Latin OCR on the names only
        ocr_idx = np.flatnonzero(e["ocr"])
        latin_ok = ("given_names", "surname", "full_name", "father_name")
        for col in (c for c in self.cols if c in values and c != "notes"):
            arr = values[col]
            for i in ocr_idx:
                if arr[i] and (self.fa[i] or col in latin_ok):
                    arr[i] = ocr(arr[i], self.rng, bool(self.fa[i]))
        for i in np.flatnonzero(e["arabic_digits"]):
            for col in self.cols:
                if col != "notes" and col in values:
                    values[col][i] = arabic_digits(values[col][i])
        perm = self._order(values)
        values["external_id"] = np.array(self.numbers(), dtype=object)[np.argsort(perm)] \
            if perm is not None else np.array(self.numbers(), dtype=object)
        fix = (lambda x: x.translate(CP1256)) if spec.encoding == "cp1256" else str
        take = (lambda col: [col[i] for i in perm]) if perm is not None else list
        cells = tuple(take([fix(str(x)) for x in values[c]]) for c in self.cols)
        headers = tuple(fix(HEADERS[spec.header_language][c]) for c in self.cols)
        p = perm if perm is not None else slice(None)
        return RenderedList(
            spec=spec, fields=self.cols, headers=headers, cells=cells, persons=self.R[p],
            duplicate=self.dup[p], persian=self.fa[p],
            errors={k: v[p] for k, v in e.items()},
            eligible={k: v[p] for k, v in self.eligible.items()},
            prison_written=self.prison[p], death_written=self.death[p])

    def _order(self, values: dict[str, np.ndarray]) -> np.ndarray | None:
        """Row order of the file: None for the random order the records come in."""
        if self.spec.order == "random" or not self.m:
            return None
        if self.spec.order == "date":
            return np.argsort(self.death, kind="stable")
        key = values["surname" if "surname" in self.cols else "full_name"]
        if self.spec.encoding == "cp1256":
            key = np.array([x.translate(CP1256) for x in key], dtype=object)
        return np.array(sorted(range(self.m), key=key.__getitem__), dtype=np.int64)


def render_list(pop: Population, caps: Captures, j: int,
                rng: np.random.Generator) -> RenderedList:
    """Write list ``j`` of the captures as its source would have, errors included."""
    return _Writer(pop, caps, j, rng).write()
