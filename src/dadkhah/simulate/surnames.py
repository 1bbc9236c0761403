"""Synthetic Iranian surnames: the registry's most common ones, then a composed long tail.

Real Iranian surnames are diverse.  The 1925 civil-registry law made every family choose
one, so besides a few very common ones (محمدی, the most frequent, is held by about 1.1% of
the population) there are hundreds of thousands: a forebear's name with a suffix
(«حسین‌زاده», «علی‌پور», «کریمی»), a title and a name («میرحسینی», «حاج‌محمدی»), a town
(«کرمانی»), a trade («نجار», «عطارزاده»), a word («نیک‌بخت»).

:func:`surname_pool` builds the surnames the simulator draws from, with their probabilities:

1. **The dictionary's surnames** (``dadkhah/names/data/names.csv``), in rank order (the 30
   the civil registry ranks first, then the others in file order).  Down to rank ``K``
   (``SimulationConfig.surname_law_ranks``, default 100) their share of persons is the
   registry's count over ``population`` (``SimulationConfig.surname_registry_population``,
   default 85 million): published counts where the dictionary has one (ranks 1–3:
   محمدی 960,505 → 1.13%), elsewhere the power law ``count = c · rank^-α`` fitted (least
   squares, log–log) to the published counts (α ≈ 0.42), assumed to hold down to rank K.
2. **Composed surnames**, from the parts in ``data/surname_parts.csv`` (roots including the
   dictionary's male given names, suffixes, heads, irregular -i forms, places including
   the gazetteer's cities, trades, words): every composition in Persian script, with
   romanisations composed from the parts' romanisations (the dictionary's for dictionary
   names and for compositions that are dictionary surnames, the suffix spellings of
   ``names/data/romanization.csv``).  They are ranked after the dictionary by
   plausibility (product of the parts' weights).
3. Every surname after rank K (the rest of the dictionary, then the composed ones) takes
   the remaining probability by a Zipf law ``p(r) = p(K) · (r/K)^-β`` continuing from
   rank K; ``β`` (≈ 1.06) is solved so that all probabilities sum to one.

About 23,000 surnames in all; on 50,000 persons about 11,500 distinct ones, the most
common held by 1.1%, collision probability Σp² ≈ 0.0011 (``tests/simulate/test_surnames.py``).
The usual romanisation of a composed surname keys as its Persian spelling
(:func:`dadkhah.names.name_key`) for 98.3% of them.

Everything is deterministic (no random draws here) and cached per process.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from dadkhah.names import load_gazetteer, load_name_dictionary
from dadkhah.names.normalize import ZWNJ, normalize_persian
from dadkhah.names.rules import load_rules

__all__ = ["SurnamePool", "surname_parts", "surname_pool"]

NON_JOINING = frozenset("اآأإدذرزژو")
"""Letters that do not connect to the letter after them: a suffix follows them directly."""

# Pattern weights: how often each way of forming a surname occurs, relative to each other
# (multiplied by the parts' weights to order the composed surnames).
_PATTERN = {
    "root_i": 10.0,  # Karimi, Rostami
    "root_suffix": 1.0,  # Hosseinzadeh, Alipour, Alivand
    "root_i_suffix": 0.4,  # Hosseininejad, Karimian
    "head_root_i": 0.4,  # Mirhosseini, Hajmohammadi, Alimohammadi
    "head_root_suffix": 0.03,  # Hajalizadeh, Mirhassanpour
    "head_root_i_suffix": 0.01,  # Mirhosseininejad, Hajmohammadipour
    "place_i": 2.0,  # Kermani
    "place_i_suffix": 0.2,  # Kermaninejad, Tabrizian
    "occupation": 1.0,  # Najjar, Attari, Attarzadeh, Attarian, Attarbashi
    "word_suffix": 0.6,  # Nikbakht, Pakzad, Roshani
}
_OCCUPATION_FORMS = (("", 1.5), ("i", 1.0), ("زاده", 1.0), ("پور", 0.4), ("ian", 0.5),
                     ("باشی", 0.2))
_MAX_VARIANTS = 6
_HEAD_MIN_WEIGHT = 0.5
_TITLE_HEADS = frozenset(("میر", "حاج", "حاجی", "میرزا", "شیخ", "آقا", "ملا", "استاد"))
"""Heads that also go before a root with a suffix (حاج‌علی‌زاده, میرحسن‌پور)."""


def _is_compound(root: str, heads: tuple[Part, ...]) -> bool:
    """A root that already is a compound name (محمدرضا, غلامحسین, عبدالله): no head before it."""
    return any(root.startswith(h.persian) and len(root) > len(h.persian) + 1 for h in heads) \
        or any(root.endswith(e) and len(root) > len(e) + 1
               for e in ("الله", "اله", "علی", "رضا", "حسین", "آقا"))


@dataclass(frozen=True)
class Part:
    """One row of ``surname_parts.csv``."""

    kind: str
    persian: str
    latin: tuple[str, ...]
    weight: float
    joiner: str
    of: str = ""  # i_form: its root; head: "islamic" or ""


@dataclass(frozen=True)
class SurnamePool:
    """The surnames the simulator draws from.

    ``persian`` (object array), ``latin`` (romanisations, usual first), ``prob`` (sums to
    one), ``generated`` (False for the dictionary's surnames), ``pattern`` (how each was
    formed: ``dictionary``, ``root_i``, …); ``alpha``/``beta`` the exponents of the rank
    law, ``law_ranks`` its break point ``K``.
    """

    persian: np.ndarray
    latin: tuple[tuple[str, ...], ...]
    prob: np.ndarray
    generated: np.ndarray
    pattern: tuple[str, ...]
    alpha: float
    beta: float
    law_ranks: int

    @property
    def size(self) -> int:
        return int(self.prob.size)


@lru_cache(maxsize=1)
def surname_parts() -> dict[str, tuple[Part, ...]]:
    """The rows of ``data/surname_parts.csv`` by kind (blank Latin filled from names.csv)."""
    text = resources.files("dadkhah.simulate").joinpath("data", "surname_parts.csv") \
        .read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    d = load_name_dictionary()
    out: dict[str, list[Part]] = {}
    for r in csv.DictReader(lines):
        fa = normalize_persian(r["persian"].strip())
        latin = tuple(x.strip() for x in (r["latin"] or "").split("|") if x.strip())
        if not latin and r["kind"] != "iranian_name":
            entries = d.lookup(fa)
            if not entries or not entries[0].latin:
                raise ValueError(f"surname_parts.csv: {fa!r} has no romanisation and is not "
                                 "in names.csv")
            latin = entries[0].latin
        out.setdefault(r["kind"], []).append(Part(
            kind=r["kind"], persian=fa, latin=tuple(x.lower() for x in latin),
            weight=float(r["weight"] or 1), joiner=(r["joiner"] or "zwnj").strip(),
            of=normalize_persian((r.get("of") or "").strip())))
    return {k: tuple(v) for k, v in out.items()}


def _join(a: str, b: str, joiner: str = "zwnj") -> str:
    """Persian a + b: directly after a non-joining letter or for an attached suffix,
    otherwise with a zero-width non-joiner (حسین‌زاده, محمدزاده, علیوند)."""
    if joiner == "attach" or a[-1] in NON_JOINING:
        return a + b
    return a + ZWNJ + b


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:].lower()


def _combine(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """Latin a + b: every pair, the usual (first × first) first, then by summed index."""
    pairs = sorted(((i, j) for i in range(min(len(a), 3)) for j in range(min(len(b), 3))),
                   key=lambda ij: (ij[0] + ij[1], ij[0]))
    return tuple(dict.fromkeys(_cap(a[i] + b[j]) for i, j in pairs))[:_MAX_VARIANTS]


def _i_form(fa: str, la: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The «-i» form of a root or place (کریم → کریمی, میرزا → میرزایی), or None when
    Persian forms it irregularly (a final ی, و or silent ه: علوی, خسروی, ساوجی)."""
    last = fa[-1]
    if last in "اآ":
        return fa + "یی", tuple(dict.fromkeys(x + s for x in la[:2] for s in ("ei", "ee", "i")))
    if last in "یو" or (last == "ه" and fa[-2:-1] not in ("ا", "و")):
        return None
    return fa + "ی", tuple(x + "i" for x in la)


def _bound_persian() -> frozenset[str]:
    rules = load_rules()
    return frozenset(k for k in rules.bound_suffix if any("\u0600" <= c <= "\u06ff" for c in k))


class _Builder:
    """Collects composed surnames, first composition of a Persian spelling wins."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = {x.replace(ZWNJ, "") for x in taken}
        self.persian: list[str] = []
        self.latin: list[tuple[str, ...]] = []
        self.score: list[float] = []
        self.pattern: list[str] = []
        self.bound = _bound_persian()

    def add(self, fa: str, la: tuple[str, ...], score: float, pattern: str,
            apart: tuple[str, str] | None = None) -> None:
        key = fa.replace(ZWNJ, "")
        if score <= 0 or key in self.taken or not la:
            return
        self.taken.add(key)
        if apart is not None:  # «Hossein Zadeh», «Hossein-Zadeh», as Latin lists also write
            base, suf = apart
            la = la + (f"{_cap(base)} {_cap(suf)}", f"{_cap(base)}-{_cap(suf)}")
        self.persian.append(fa)
        self.latin.append(la)
        self.score.append(score)
        self.pattern.append(pattern)

    def suffixed(self, fa: str, la: tuple[str, ...], suf: Part, score: float,
                 pattern: str) -> None:
        apart = (la[0], suf.latin[0]) if suf.persian in self.bound else None
        self.add(_join(fa, suf.persian, suf.joiner), _combine(la, suf.latin), score, pattern,
                 apart)


def _roots() -> list[Part]:
    """Roots: the dictionary's male given names (single words, in dictionary order, which
    is about frequency order), then the data file's."""
    d = load_name_dictionary()
    male = [e for e in d.entries if e.kind == "given" and e.sex == "m" and e.latin
            and ZWNJ not in e.persian and " " not in e.persian]
    out = [Part("root", e.persian, tuple(x.lower() for x in e.latin[:4]), 3.0 / (1 + i / 10), "")
           for i, e in enumerate(male)]
    return out + list(surname_parts().get("root", ()))


def _places() -> list[Part]:
    """Places: the gazetteer's cities (one-word names), then the data file's towns."""
    g = load_gazetteer()
    out = []
    for p in g.places.values():
        if p.kind != "city" or p.generated or " " in p.name_fa or ZWNJ in p.name_fa:
            continue
        la = [p.name_en] + [a for a in p.aliases if a.isascii() and a.isalpha()]
        if not all(x.isascii() and x.isalpha() for x in la):
            continue
        out.append(Part("place", p.name_fa, tuple(dict.fromkeys(x.lower() for x in la))[:3],
                        1.5, ""))
    return out + list(surname_parts().get("place", ()))


def _compose(taken: set[str]) -> _Builder:
    parts = surname_parts()
    b = _Builder(taken)
    roots = _roots()
    suffixes = parts.get("suffix", ())
    i_suffixes = parts.get("i_suffix", ())
    heads = parts.get("head", ())
    P = _PATTERN
    irregular: dict[str, list[Part]] = {}
    for x in parts.get("i_form", ()):
        irregular.setdefault(x.of, []).append(x)
    iranian = {x.persian for x in parts.get("iranian_name", ())}
    i_forms: list[tuple[Part, tuple[str, tuple[str, ...]] | None]] = []
    for r in roots:  # (root, -i form): regular (کریمی), irregular (علوی) or none
        forms = [(x.persian, x.latin) for x in irregular.get(r.persian, ())]
        regular = _i_form(r.persian, r.latin)
        i_forms += [(r, f) for f in (forms + [regular] if regular else forms)] or [(r, None)]
    for r, form in i_forms:  # Karimi
        if form is not None:
            b.add(form[0], tuple(_cap(x) for x in form[1])[:_MAX_VARIANTS],
                  P["root_i"] * r.weight, "root_i")
    for r in roots:  # Hosseinzadeh
        if r.persian[-1] == "ه":
            continue
        for s in suffixes:
            b.suffixed(r.persian, r.latin, s, P["root_suffix"] * r.weight * s.weight,
                       "root_suffix")
    for r, form in i_forms:  # Hosseininejad, Karimian
        if form is None:
            continue
        for s in i_suffixes:
            b.suffixed(form[0], form[1], s, P["root_i_suffix"] * r.weight * s.weight,
                       "root_i_suffix")
    # heads go before common simple names only (a title before a rare or compound name is
    # rare: «میرحسینی» yes, «میربیژنی» hardly)
    simple = [(r, form) for r, form in i_forms
              if r.weight >= _HEAD_MIN_WEIGHT and not _is_compound(r.persian, heads)]
    for h in heads:  # Mirhosseini, Hajalizadeh
        for r, form in simple:
            if r.persian == h.persian or (h.of == "islamic" and r.persian in iranian):
                continue
            if form is not None:
                b.add(_join(h.persian, form[0], h.joiner), _combine(h.latin, form[1]),
                      P["head_root_i"] * h.weight * r.weight, "head_root_i")
            if h.persian not in _TITLE_HEADS:
                continue
            if form is not None:
                for s in i_suffixes[:4]:
                    b.suffixed(_join(h.persian, form[0], h.joiner),
                               _combine(h.latin, form[1])[:3], s,
                               P["head_root_i_suffix"] * h.weight * r.weight * s.weight,
                               "head_root_i_suffix")
            if r.persian[-1] != "ه":
                for s in suffixes[:3]:
                    b.suffixed(_join(h.persian, r.persian, h.joiner),
                               _combine(h.latin, r.latin)[:3], s,
                               P["head_root_suffix"] * h.weight * r.weight * s.weight,
                               "head_root_suffix")
    d = load_name_dictionary()
    for p in _places():  # Kermani, Kermaninejad
        form = _i_form(p.persian, p.latin)
        if form is None:
            continue
        known = d.lookup(form[0])  # a dictionary surname (اصفهانی): its romanisations
        if known and known[0].latin:
            form = (form[0], tuple(x.lower() for x in known[0].latin))
        b.add(form[0], tuple(_cap(x) for x in form[1])[:_MAX_VARIANTS], P["place_i"] * p.weight,
              "place_i")
        for s in i_suffixes:
            b.suffixed(form[0], form[1], s, P["place_i_suffix"] * p.weight * s.weight,
                       "place_i_suffix")
    for o in parts.get("occupation", ()):  # Najjar, Attari, Attarzadeh, Attarian, Attarbashi
        form = _i_form(o.persian, o.latin)
        for what, w in _OCCUPATION_FORMS:
            score = P["occupation"] * o.weight * w
            if what == "":
                b.add(o.persian, tuple(_cap(x) for x in o.latin), score, "occupation")
            elif what in ("i", "ian"):
                if form is None:
                    continue
                fa, la = form
                if what == "ian":
                    fa, la = fa + "ان", tuple(x + "an" for x in la)
                b.add(fa, tuple(_cap(x) for x in la)[:_MAX_VARIANTS], score, "occupation")
            elif o.persian[-1] != "ه":
                suf = {"زاده": ("zadeh", "zade"), "پور": ("pour", "poor"),
                       "باشی": ("bashi",)}[what]
                b.suffixed(o.persian, o.latin, Part("suffix", what, suf, 1, "zwnj"), score,
                           "occupation")
    for word in parts.get("word", ()):  # Nikbakht, Pakzad, Roshani
        for s in parts.get("word_suffix", ()):
            if s.persian == "ی":
                form = _i_form(word.persian, word.latin)
                if form is not None:
                    b.add(form[0], tuple(_cap(x) for x in form[1])[:_MAX_VARIANTS],
                          P["word_suffix"] * word.weight * s.weight, "word_suffix")
            elif word.persian[-1] != "ه" or word.persian[-2:-1] == "ا":
                b.suffixed(word.persian, word.latin, s,
                           P["word_suffix"] * word.weight * s.weight, "word_suffix")
    return b


def _registry_counts(entries) -> tuple[np.ndarray, float, float]:  # entries: list[NameEntry]
    """Counts of the dictionary's surnames in rank order: published where known, else
    ``c · rank^-α`` fitted to the published ones (log–log least squares)."""
    ranks = np.arange(1, len(entries) + 1, dtype=float)
    known = np.array([e.frequency is not None for e in entries])
    if known.sum() >= 2:
        x, y = np.log(ranks[known]), np.log([e.frequency for e in entries if e.frequency])
        slope, intercept = np.polyfit(x, y, 1)
        alpha, c = -float(slope), float(np.exp(intercept))
    else:  # no figures: Zipf
        alpha, c = 1.0, 1e6
    counts = c * ranks ** -alpha
    counts[known] = [e.frequency for e in entries if e.frequency is not None]
    return counts, alpha, c


def _solve_beta(p_k: float, k: int, n: int, mass: float) -> float:
    """β with Σ_{r=k+1}^{k+n} p_k (r/k)^-β = mass (bisection; the sum falls as β grows)."""
    r = np.arange(k + 1, k + n + 1, dtype=float) / k
    lo, hi = 0.0, 20.0
    if (p_k * r ** -lo).sum() < mass:
        raise ValueError(f"{n:,} composed surnames cannot take {mass:.3f} of the persons "
                         "without being more common than the dictionary's: add parts")
    for _ in range(100):
        mid = (lo + hi) / 2
        if (p_k * r ** -mid).sum() > mass:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@lru_cache(maxsize=4)
def surname_pool(population: float = 85_000_000, law_ranks: int = 100) -> SurnamePool:
    """All surnames with their probabilities (see the module docstring); cached.

    ``population`` is the population the registry counts are shares of; ``law_ranks`` the
    rank ``K`` down to which the power law fitted to the registry counts holds (at most
    the dictionary's number of surnames); ranks after it follow the Zipf tail.

    Examples
    --------
    >>> pool = surname_pool()
    >>> pool.persian[0], round(float(pool.prob[0]), 4)
    ('محمدی', 0.0113)
    >>> bool(abs(pool.prob.sum() - 1) < 1e-9), pool.size > 20_000
    (True, True)
    """
    d = load_name_dictionary()
    sur = [e for e in d.entries if e.kind == "surname" and e.latin]
    ranked = sorted((e for e in sur if e.rank is not None), key=lambda e: e.rank or 0)
    entries = ranked + [e for e in sur if e.rank is None]
    counts, alpha, _ = _registry_counts(entries)
    k = max(1, min(law_ranks, len(entries)))
    top = counts[:k] / population
    if top.sum() >= 1:
        raise ValueError("the dictionary's surnames already hold every person: is "
                         "population too small?")
    b = _compose({e.persian for e in entries})
    order = np.argsort(-np.array(b.score), kind="stable")
    n_tail = len(entries) - k + len(order)
    beta = _solve_beta(float(top[-1]), k, n_tail, 1.0 - float(top.sum()))
    tail = top[-1] * (np.arange(k + 1, k + n_tail + 1, dtype=float) / k) ** -beta
    prob = np.concatenate([top, tail])
    prob = prob / prob.sum()
    persian = [e.persian for e in entries] + [b.persian[i] for i in order]
    latin = tuple(e.latin for e in entries) + tuple(b.latin[i] for i in order)
    pattern = ("dictionary",) * len(entries) + tuple(b.pattern[i] for i in order)
    return SurnamePool(
        persian=np.array(persian, dtype=object), latin=latin, prob=prob,
        generated=np.arange(prob.size) >= len(entries), pattern=pattern, alpha=alpha,
        beta=beta, law_ranks=k)
