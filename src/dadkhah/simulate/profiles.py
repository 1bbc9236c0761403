"""Noise profiles: many simulators in one, so that linkage is not tuned to one of them.

A single scenario with fixed error rates lets a linkage model be tuned, knowingly or not, to
that scenario's habits.  A :class:`NoiseProfile` is one draw of every noise parameter from
a wide documented range (:data:`PROFILE_RANGES`): how concentrated names are (namesakes),
how many persons are siblings, how often places, columns, digits, titles, name order and
romanisation differ between lists, whether a list copies another and whether a memoir
names only given names and home towns.  :func:`draw_profile` draws one from a seed;
:meth:`NoiseProfile.config` turns it into a :class:`~dadkhah.simulate.SimulationConfig`
(the default lists' capture model and styles, with the profile's noise).

Tuning and held-out profiles
----------------------------
One convention, for every session that tunes linkage (:func:`profile_split`):

- profile seeds :data:`TUNING_SEEDS` (1–20) may be used to choose or fit settings;
- profile seeds :data:`HELD_OUT_SEEDS` (1001–1020) are only evaluated, never tuned on;
- the scenarios of :data:`HELD_OUT_SCENARIOS` (the ``households`` family, written on other
  assumptions) are always held out;
- a profile is simulated with its own seed as the simulation seed
  (``simulate(profile.config(), seed=profile.seed)``).

Examples
--------
>>> p = draw_profile(1001)
>>> p == draw_profile(1001), profile_split(p.seed)
(True, 'held_out')
>>> cfg = p.config(persons=500)
>>> cfg.persons, len(cfg.lists) >= 5
(500, True)
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from dadkhah.simulate.config import (
    DEFAULT_LISTS,
    LATIN_SYSTEMS,
    ErrorProfile,
    ListSpec,
    SimulationConfig,
)

__all__ = [
    "HELD_OUT_SCENARIOS",
    "HELD_OUT_SEEDS",
    "PROFILE_RANGES",
    "TUNING_SEEDS",
    "NoiseProfile",
    "draw_profile",
    "profile_split",
    "profiles",
]

TUNING_SEEDS = tuple(range(1, 21))
"""Profile seeds that may be used to tune linkage (1–20)."""

HELD_OUT_SEEDS = tuple(range(1001, 1021))
"""Profile seeds kept for evaluation only (1001–1020): never tune on them."""

HELD_OUT_SCENARIOS = ("households",)
"""Scenario family written on other assumptions; always held out."""

PROFILE_RANGES: dict[str, tuple[float, float]] = {
    # population
    "given_exponent": (0.8, 1.8),
    "surname_exponent": (0.8, 1.6),
    "sibling_share": (0.0, 0.15),
    "sibling_same_day": (0.3, 0.9),
    "title_share": (0.02, 0.15),
    "hometown_prison_city": (0.2, 0.7),
    "capture_scale": (0.6, 1.3),
    "batch_share": (0.0, 0.9),
    # per-record error rates (each list's rate = this × a factor in [0.5, 1.5], ≤ 0.95)
    "typo": (0.0, 0.08),
    "ocr": (0.0, 0.06),
    "drop_middle_name": (0.0, 0.3),
    "initials": (0.0, 0.05),
    "swap_order": (0.0, 0.1),
    "missing_father": (0.0, 0.5),
    "age_for_birth_year": (0.0, 0.15),
    "date_shift": (0.0, 0.15),
    "date_shift_days": (3, 30),
    "date_partial": (0.0, 0.4),
    "wrong_prison": (0.0, 0.08),
    "romanisation": (0.0, 0.25),
    "missing_field": (0.0, 0.15),
    "duplicate": (0.0, 0.06),
    "title_added": (0.0, 0.15),
    "title_dropped": (0.0, 0.5),
    "surname_comma": (0.0, 0.2),
    "upper_surname": (0.0, 0.5),
    "missing_given": (0.0, 0.08),
    "missing_surname": (0.0, 0.08),
    "age_in_birth_year": (0.0, 0.1),
    "arabic_digits": (0.0, 0.3),
    "city_is_prison_city": (0.0, 0.4),
    "place_typo": (0.0, 0.08),
    # list-level habits
    "dictionary_share": (0.2, 1.0),
    "copy_rate": (0.5, 0.95),
}
"""Documented range ``(low, high)`` of every numeric :class:`NoiseProfile` parameter; each is
drawn uniformly in it (``date_shift_days`` as a whole number).  The ranges are wide on
purpose: from cleaner than the default lists to much noisier.  Namesakes: the probability
that two persons share given names and surname is 1.6e-5 at exponents 1 (the default
population), 3.7e-6 at (0.8, 0.8) and 6.9e-4 at (1.8, 1.6), about 40 times the default
(20,000 persons, seed 1; the ``households`` family's (1.3, 1.2): 7.8e-5).

``batch_share`` (execution batches, one prison and one day, added in session 15) is drawn
from a stream of its own (``_OWN_STREAM``), so every other value of every profile is as
it was before it existed; its range includes 0 (no batches).  Among persons of a 3,000-person
population (seed 1, 10% siblings), P(same day and prison) / P(same day)·P(same prison) is
1.00 at 0, 1.40 at 0.3 and about 2.0 at 0.6–0.9."""

_OWN_STREAM = ("batch_share",)
"""Profile values drawn after, and apart from, the others (added later; see
:func:`draw_profile`)."""

_ERROR_FIELDS = tuple(f.name for f in fields(ErrorProfile)
                      if f.name in PROFILE_RANGES and f.name != "date_shift_days")


@dataclass(frozen=True)
class NoiseProfile:
    """One draw of every noise parameter (see :data:`PROFILE_RANGES` for the ranges).

    Population: ``given_exponent``, ``surname_exponent`` (name concentration, hence namesake
    density), ``sibling_share``, ``sibling_same_day``, ``title_share``,
    ``hometown_prison_city`` (how often the home town is the prison's town), and
    ``capture_scale`` (every list's capture probabilities multiplied by it, capped at 1),
    ``batch_share`` (share of persons executed in groups, one prison and one day;
    :class:`~dadkhah.simulate.SimulationConfig`).

    Errors: one base rate per :class:`~dadkhah.simulate.ErrorProfile` kind (``typo`` …
    ``place_typo``, and ``date_shift_days``); each list's own rate is the base rate times a
    factor drawn in [0.5, 1.5] (capped at 0.95), so lists of one profile differ too.

    Lists: each Latin or mixed list writes names in the dictionary's romanisation with
    probability ``dictionary_share``, else in one of the other :data:`LATIN_SYSTEMS` (ALA-LC,
    Arabic-style, simplified, French) drawn uniformly.  ``copied_list``: a list copied from
    the families' list (``copy_rate`` of its persons) with its own transcription errors and
    OCR.  ``given_only_list``: a memoir naming persons by given name and home town only.

    ``seed`` drew the profile, and seeds the per-list draws of :meth:`config`.
    """

    seed: int
    given_exponent: float
    surname_exponent: float
    sibling_share: float
    sibling_same_day: float
    title_share: float
    hometown_prison_city: float
    capture_scale: float
    typo: float
    ocr: float
    drop_middle_name: float
    initials: float
    swap_order: float
    missing_father: float
    age_for_birth_year: float
    date_shift: float
    date_shift_days: int
    date_partial: float
    wrong_prison: float
    romanisation: float
    missing_field: float
    duplicate: float
    title_added: float
    title_dropped: float
    surname_comma: float
    upper_surname: float
    missing_given: float
    missing_surname: float
    age_in_birth_year: float
    arabic_digits: float
    city_is_prison_city: float
    place_typo: float
    dictionary_share: float
    copy_rate: float
    copied_list: bool
    given_only_list: bool
    batch_share: float = 0.0

    def summary(self) -> str:
        """One line naming the profile and its most telling parameters."""
        return (f"profile {self.seed} ({profile_split(self.seed)}): names^{self.given_exponent:.2f}"
                f"/^{self.surname_exponent:.2f}, siblings {self.sibling_share:.0%}, "
                f"batches {self.batch_share:.0%}, "
                f"typo {self.typo:.2f}, city≠home {self.city_is_prison_city:.2f}, "
                f"titles +{self.title_added:.2f}/-{self.title_dropped:.2f}, "
                f"romanisation dictionary {self.dictionary_share:.0%}"
                + (", copied list" if self.copied_list else "")
                + (", given-only memoir" if self.given_only_list else ""))

    def config(self, persons: int = 3000) -> SimulationConfig:
        """The :class:`SimulationConfig` of this profile with ``persons`` persons.

        Deterministic: the per-list factors and romanisation systems are drawn from a
        stream seeded by ``seed``.
        """
        rng = np.random.default_rng([int(self.seed), 7])
        lists: list[ListSpec] = []
        base = [*DEFAULT_LISTS]
        if self.copied_list:
            base.append(ListSpec(
                id="copied", title="A list copied from the families' list (SYNTHETIC)",
                kind="ngo_list", capture=(0.02, 0.01), copies="families",
                copy_rate=self.copy_rate, script="persian", order="name",
                fields=("external_id", "name", "father_name", "birth_year", "death_date",
                        "prison", "city"), reliability="C"))
        if self.given_only_list:
            base.append(ListSpec(
                id="memoir_given", title="Memoir naming given names and home towns (SYNTHETIC)",
                kind="memoir", capture=(0.15, 0.08), script="persian", name_layout="full",
                fields=("name", "age", "city"), reliability="D",
                errors=ErrorProfile(missing_surname=0.95)))
        for spec in base:
            factor = rng.uniform(0.5, 1.5, len(_ERROR_FIELDS))
            rates = {k: min(0.95, getattr(self, k) * f)
                     for k, f in zip(_ERROR_FIELDS, factor, strict=True)}
            if spec.id == "memoir_given":
                rates["missing_surname"] = 0.95
                rates["missing_given"] = 0.0
            if spec.id == "copied":  # transcribed from a printed copy
                rates["ocr"] = max(rates["ocr"], 0.2)
            errors = replace(spec.errors, **rates, date_shift_days=int(self.date_shift_days))
            system = "dictionary"
            pick = rng.random()
            other = rng.integers(1, len(LATIN_SYSTEMS))
            if spec.script != "persian" and pick >= self.dictionary_share:
                system = LATIN_SYSTEMS[int(other)]
            cap = tuple(min(1.0, c * self.capture_scale) for c in spec.capture)
            lists.append(replace(spec, errors=errors, latin_system=system,
                                 capture=(cap[0], cap[1])))
        return SimulationConfig(
            persons=persons, given_exponent=self.given_exponent,
            surname_exponent=self.surname_exponent, sibling_share=self.sibling_share,
            sibling_same_day=self.sibling_same_day, title_share=self.title_share,
            batch_share=self.batch_share,
            hometown_prison_city=self.hometown_prison_city,
            hometown_same_province=min(0.25, 1 - self.hometown_prison_city),
            lists=tuple(lists))


def draw_profile(seed: int) -> NoiseProfile:
    """The noise profile of ``seed``: every parameter uniform in its :data:`PROFILE_RANGES`
    range, ``copied_list`` and ``given_only_list`` each with probability 1/2.  The values
    of ``_OWN_STREAM`` come from a second stream (seeded ``[seed, 15]``), so adding them
    changed no other value.

    >>> draw_profile(3).seed, 0.8 <= draw_profile(3).given_exponent <= 1.8
    (3, True)
    """
    rng = np.random.default_rng([int(seed), 14])
    vals: dict[str, object] = {}
    for name, (lo, hi) in PROFILE_RANGES.items():
        if name in _OWN_STREAM:
            continue
        x = float(rng.uniform(lo, hi))
        vals[name] = int(round(x)) if name == "date_shift_days" else round(x, 4)
    vals["copied_list"] = bool(rng.random() < 0.5)
    vals["given_only_list"] = bool(rng.random() < 0.5)
    own = np.random.default_rng([int(seed), 15])
    for name in _OWN_STREAM:
        lo, hi = PROFILE_RANGES[name]
        vals[name] = round(float(own.uniform(lo, hi)), 4)
    return NoiseProfile(seed=int(seed), **vals)  # type: ignore[arg-type]


def profile_split(seed: int) -> str:
    """``tuning``, ``held_out`` or ``unassigned``: the role of a profile seed."""
    if seed in TUNING_SEEDS:
        return "tuning"
    if seed in HELD_OUT_SEEDS:
        return "held_out"
    return "unassigned"


def profiles(n: int, split: str = "held_out") -> tuple[NoiseProfile, ...]:
    """The first ``n`` profiles of ``split`` (``tuning`` or ``held_out``), in seed order.

    >>> [p.seed for p in profiles(3)]
    [1001, 1002, 1003]
    """
    seeds = {"tuning": TUNING_SEEDS, "held_out": HELD_OUT_SEEDS}.get(split)
    if seeds is None:
        raise ValueError(f"split must be 'tuning' or 'held_out', got {split!r}")
    if not 0 <= n <= len(seeds):
        raise ValueError(f"n must be between 0 and {len(seeds)}, got {n}")
    return tuple(draw_profile(s) for s in seeds[:n])
