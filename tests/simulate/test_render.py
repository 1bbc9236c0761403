"""Rendering: realised error rates match the profile, and the written cells show the errors
the truth says they have (checked through the names module's own parsers)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from dadkhah.names import parse_age, parse_date, resolve_place
from dadkhah.simulate import ERROR_KINDS
from dadkhah.simulate.styles import format_date

NAME_ERRORS = ("typo", "ocr", "initials", "swap_order", "drop_middle_name", "romanisation")


def _col(lst, field):
    return lst.cells[lst.fields.index(field)]


def _clean(lst, kinds=NAME_ERRORS) -> np.ndarray:
    bad = np.zeros(lst.size, dtype=bool)
    for k in kinds:
        bad |= lst.errors[k]
    return ~bad


def test_realised_error_rates_match_the_profile(stress) -> None:
    checked = 0
    for lst in stress.lists:
        for kind in ERROR_KINDS:
            rate = getattr(lst.spec.errors, kind)
            n = int(lst.eligible[kind].sum())
            k = int(lst.errors[kind].sum())
            assert not (lst.errors[kind] & ~lst.eligible[kind]).any()
            if n < 50:
                continue
            assert abs(k - rate * n) <= 4 * np.sqrt(n * rate * (1 - rate)) + 1, \
                (lst.spec.id, kind, k, n, rate)
            checked += 1
    assert checked >= 30


def test_dates_are_exact_shifted_or_partial_as_recorded(stress) -> None:
    pop = stress.population
    for lst in stress.lists:
        shift, partial = lst.errors["date_shift"], lst.errors["date_partial"]
        truth = pop.execution[lst.persons]
        for i, text in enumerate(_col(lst, "death_date")):
            d = parse_date(text)
            written = date.fromordinal(int(lst.death_written[i]))
            true = date.fromordinal(int(truth[i]))
            if partial[i]:
                assert d.precision in ("month", "season") and d.earliest <= written <= d.latest
            else:
                assert d.precision == "day" and d.earliest == written
            off = abs((written - true).days)
            if shift[i]:
                assert 1 <= off <= lst.spec.errors.date_shift_days
            else:
                assert off == 0


def test_prisons_resolve_to_the_truth_unless_wrong(stress) -> None:
    pop = stress.population
    ids = pop.tables.prison_ids
    for lst in stress.lists:
        if "prison" not in lst.fields:
            continue
        wrong = lst.errors["wrong_prison"]
        true = np.array(ids, dtype=object)[pop.prison[lst.persons]]
        got = np.array([resolve_place(t, "prison").id for t in _col(lst, "prison")],
                       dtype=object)
        assert (got[~wrong] == true[~wrong]).all(), lst.spec.id
        assert (got[wrong] != true[wrong]).all(), lst.spec.id


def test_missing_father_and_age_instead_of_birth_year(stress) -> None:
    pop = stress.population
    for lst in stress.lists:
        if "father_name" in lst.fields:
            empty = np.array([c == "" for c in _col(lst, "father_name")])
            assert (empty == lst.errors["missing_father"]).all(), lst.spec.id
        if "birth_year" in lst.fields and "age" in lst.fields:
            approx = lst.errors["age_for_birth_year"]
            births = _col(lst, "birth_year")
            ages = _col(lst, "age")
            true = pop.age_at_death()[lst.persons]
            for i in np.flatnonzero(approx):
                assert births[i] == "" and abs(sum(parse_age(ages[i])) / 2 - true[i]) <= 1
            assert all(births[i] for i in np.flatnonzero(~approx))


def test_ocr_confusions_only_where_recorded(stress) -> None:
    lst = next(x for x in stress.lists if x.spec.id == "families")  # UTF-8, Persian
    for i in range(lst.size):
        text = "".join(c[i] for c in lst.cells[:-1])
        confused = any(ch in text for ch in "يكة٠١٢٣٤٥٦٧٨٩")
        if not lst.errors["ocr"][i]:
            assert not confused, text
        elif "ی" in text or "ک" in text:
            assert confused


def test_cp1256_list_has_no_letters_the_code_page_lacks(small) -> None:
    sim = small[0]
    lst = next(x for x in sim.lists if x.spec.encoding == "cp1256")
    text = "\n".join("\t".join(r) for r in lst.rows())
    assert "ی" not in text and not any("۰" <= c <= "۹" for c in text)
    assert "ي" in text
    text.encode("cp1256")


ZWNJ = {"keep": "\u200c", "space": " ", "join": ""}


def _persian_given(pop, p: int, dropped: bool) -> str:
    t = pop.tables
    g = t.given_fa[pop.given1[p]]
    if pop.given2[p] >= 0 and not dropped:
        g += " " + t.given_fa[pop.given2[p]]
    return ("سید " if pop.title[p] else "") + g


def test_every_clean_record_names_its_true_person(stress) -> None:
    """Records without name errors carry exactly the true person's name (Persian script) or
    one of its romanisations (Latin); records with swapped order carry it swapped."""
    pop = stress.population
    t = pop.tables
    checked = 0
    for lst in stress.lists:
        cp = lst.spec.encoding == "cp1256"
        zw = ZWNJ[lst.spec.zwnj]

        def fix(s: str, cp=cp, zw=zw) -> str:
            s = s.replace("\u200c", zw)
            return s.replace("ی", "ي") if cp else s
        clean = _clean(lst, ("typo", "ocr", "initials", "romanisation"))
        for i in np.flatnonzero(clean):
            p = int(lst.persons[i])
            dropped = bool(lst.errors["drop_middle_name"][i])
            swapped = bool(lst.errors["swap_order"][i])
            if lst.persian[i]:
                given = fix(_persian_given(pop, p, dropped))
                surname = fix(t.surname_fa[pop.surname[p]])
                if "full_name" in lst.fields:
                    want = f"{surname} {given}" if swapped else f"{given} {surname}"
                    assert _col(lst, "full_name")[i] == want
                else:
                    got = (_col(lst, "given_names")[i], _col(lst, "surname")[i])
                    assert got == ((surname, given) if swapped else (given, surname))
            else:
                sur = _col(lst, "surname")[i] if "surname" in lst.fields else None
                variants = t.surname_latin[pop.surname[p]]
                if "full_name" in lst.fields:
                    full = _col(lst, "full_name")[i]
                    if swapped:
                        sur = full.split(", ")[0]
                    else:
                        sur = next((v for v in variants if full.endswith(" " + v)), full)
                elif swapped:
                    sur = _col(lst, "given_names")[i]
                assert sur in variants, (lst.spec.id, sur)
            checked += 1
    assert checked > 3000


def test_drop_middle_name_and_initials(stress) -> None:
    pop = stress.population
    lst = next(x for x in stress.lists if x.spec.id == "families")
    given = _col(lst, "given_names")
    assert lst.spec.zwnj == "keep"
    for i in np.flatnonzero(_clean(lst, ("typo", "ocr", "swap_order", "initials"))):
        p = int(lst.persons[i])
        two = pop.given2[p] >= 0 and not lst.errors["drop_middle_name"][i]
        assert len(given[i].split()) == 1 + int(two) + int(pop.title[p])
    for i in np.flatnonzero(lst.errors["initials"] & ~lst.errors["swap_order"]
                            & ~lst.errors["typo"]):
        words = given[i].split()
        assert all(w.endswith(".") and len(w) == 2 for w in words[int(pop.title[
            int(lst.persons[i])]):])


@pytest.mark.parametrize("layout", ["full", "split"])
def test_swap_order_is_visible(stress, layout: str) -> None:
    lists = [x for x in stress.lists if x.spec.name_layout == layout
             and x.spec.errors.swap_order > 0]
    assert lists
    for lst in lists:
        assert lst.errors["swap_order"].sum() > 0


def test_list_order_and_compound_spelling_habits(small) -> None:
    sim = small[0]
    by_id = {x.spec.id: x for x in sim.lists}
    fam = by_id["families"]
    assert (np.diff(fam.death_written) >= 0).all()
    assert _col(fam, "external_id")[:3] == ["۱", "۲", "۳"]
    names = _col(by_id["ngo_a"], "full_name")
    assert names == sorted(names)
    memoir = "".join(_col(by_id["memoir"], "full_name"))
    assert "\u200c" not in memoir
    assert "\u200c" in "".join(_col(fam, "surname"))


@pytest.mark.parametrize("calendar", ["jalali", "gregorian"])
@pytest.mark.parametrize("style", ["numeric", "text"])
@pytest.mark.parametrize("persian", [True, False])
def test_every_date_style_reads_back_as_the_date(calendar, style, persian) -> None:
    days = [date(1981, 6, 20), date(1988, 7, 27), date(1988, 9, 22), date(1988, 9, 23),
            date(1988, 12, 21), date(1988, 12, 22), date(1966, 3, 20), date(1966, 3, 21)]
    for d in days:
        for fa_digits in (True, False):
            text = format_date(d.toordinal(), calendar, style, persian, fa_digits)
            got = parse_date(text)
            assert got.earliest == got.latest == d, (text, got)
            for partial, precision in ((1, "month"), (2, "season")):
                text = format_date(d.toordinal(), calendar, style, persian, fa_digits, partial)
                got = parse_date(text)
                assert got.precision == precision and got.earliest <= d <= got.latest, text
                assert (got.latest - got.earliest).days <= 93
