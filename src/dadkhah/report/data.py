"""Everything a report shows, read from the store once into an immutable :class:`ReportData`.

The renderers (:mod:`dadkhah.report.html`, :mod:`dadkhah.report.plots`) only format what is
here; they never query the case.  So the numbers in the HTML, the PDF and the exports come
from one reading, and a test can compare them with the store.

Documented counts (persons in the register) and estimates (multiple systems estimation) are
kept in different fields and types (:class:`~dadkhah.estimate.DocumentedCount` vs
:class:`~dadkhah.estimate.Estimate`); nothing here adds one to the other.
"""

from __future__ import annotations

import json
import platform
import sys
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from dadkhah.access import Viewer
from dadkhah.documents import reading_counts
from dadkhah.errors import ConfigError, DadkhahError, NotFound, Wording
from dadkhah.register import LinkageSummary, linkage_summary, unverified_only_persons
from dadkhah.store import RECORD_FIELDS, Case, audit

__all__ = [
    "AGE_GROUPS",
    "REGISTER_STRATA",
    "CaseFileSummary",
    "EstimateRun",
    "LinkageInfo",
    "PersonRow",
    "ReportData",
    "Reproducibility",
    "SourceCoverage",
    "StratumRow",
    "Timeline",
    "gather_report_data",
]

REGISTER_STRATA = ("prison", "city", "month", "sex", "age")
"""Strata of the register tables.  Estimates use :data:`dadkhah.register.persons.STRATA`
(age group is not among them: ages are too often missing to split the lists by)."""

AGE_GROUPS = ((0, 17, "under 18"), (18, 24, "18–24"), (25, 34, "25–34"), (35, 49, "35–49"),
              (50, 200, "50 and over"))
"""Age groups at death (years); a person whose possible ages straddle two groups is
``unknown``."""

SEX_LABELS = {"m": ("male", "مرد"), "f": ("female", "زن"), "unknown": ("not recorded", "نامعلوم")}

MAX_STRATUM_ROWS = 30
"""Register tables list at most this many values; the rest are summed in one row."""

OTHER = "(other)"

NAMES_LIMIT = 10_000
"""Above this many persons the report lists no names (the register export has them all)."""


@dataclass(frozen=True)
class SourceCoverage:
    """One source: what it holds and how well it could be read."""

    id: int
    slug: str
    title: str
    kind: str
    reliability: str
    synthetic: bool
    records: int
    rows_read: int
    rows_rejected: int
    fields_present: Mapping[str, int]
    unparsed: Mapping[str, int]
    persons: int
    only_here: int
    # records that are machine readings of a document (OCR or a PDF's text layer), and how
    # many of those a person has checked (dadkhah.documents.verify_entry)
    readings: int = 0
    readings_checked: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "fields_present": dict(self.fields_present),
                "unparsed": dict(self.unparsed)}


@dataclass(frozen=True)
class StratumRow:
    """Documented persons in one stratum value, by how many sources name them."""

    stratum: str
    value: str
    label: str
    label_fa: str | None
    persons: int
    by_sources: tuple[int, ...]  # persons named by 1, 2, 3, 4+ sources


@dataclass(frozen=True)
class EstimateRun:
    """One estimator run for the report: overall (``by`` None) or by one stratum column."""

    method: str
    by: str | None
    result: Any  # Estimate | StratifiedEstimate | None
    error: str | None = None
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    reused: bool = False
    wordings: Mapping[str, Wording] = field(default_factory=dict)
    """A warning's :class:`~dadkhah.errors.Wording` by its text (said in Persian beside it)."""


@dataclass(frozen=True)
class Timeline:
    """Dates of death of the documented persons, with their precision kept.

    ``exact`` counts persons whose date is known to the day.  ``spread`` holds, per day, the
    share of persons whose date is known only as a span of up to ``max_spread_days`` days
    (a month, a week), spread evenly over the span; so a month-only date adds 1/31 to each
    day of its month instead of a whole person on the 1st.  Wider spans and missing dates
    are only counted.
    """

    exact: Mapping[date, int]
    spread: Mapping[date, float]
    by_precision: Mapping[str, int]
    max_spread_days: int


LinkageInfo = LinkageSummary
"""The latest linkage run and the human review behind the register (the register's own
:class:`dadkhah.register.LinkageSummary`, shown as it is)."""


@dataclass(frozen=True)
class Reproducibility:
    """What is needed to reproduce the report: versions, input hashes, command, store state."""

    generated_at: str
    command: str
    versions: Mapping[str, str]
    files: tuple[Mapping[str, Any], ...]
    schema_revision: str | None
    audit_entries: int
    audit_head: str | None


@dataclass(frozen=True)
class PersonRow:
    id: int
    name_fa: str | None
    name_latin: str | None
    sex: str | None
    death_earliest: str | None
    death_latest: str | None
    prison: str | None
    n_sources: int
    # where each name came from: source (as written) | machine | person (corrected)
    name_fa_origin: str | None = None
    name_latin_origin: str | None = None
    # every record of the person is a machine reading no person has checked
    unverified_only: bool = False


@dataclass(frozen=True)
class CaseFileSummary:
    """The case file as the report shows it (frozen infos from :mod:`dadkhah.casefile`)."""

    events: tuple[Any, ...]
    figures: tuple[Any, ...]
    actors: tuple[Any, ...]
    allegations: tuple[Any, ...]
    burial_sites: tuple[Any, ...]
    synthetic: bool


@dataclass(frozen=True)
class ReportData:
    """Everything one report shows.  Build with :func:`gather_report_data`."""

    case_location: str
    synthetic: bool
    sources: tuple[SourceCoverage, ...]
    records: int
    persons: int
    persons_by_n_sources: Mapping[int, int]
    register: Mapping[str, tuple[StratumRow, ...]]
    histories: Any  # CaptureHistories, pooled over strata
    estimates: tuple[EstimateRun, ...]
    primary_method: str
    seed: int | None
    level: float
    timeline: Timeline
    linkage: LinkageInfo | None
    normalized: bool
    reproducibility: Reproducibility
    names: tuple[PersonRow, ...] | None
    place_names: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    casefile: CaseFileSummary | None = None
    audit: Any = None
    """The latest audit sample of record pairs and the precision and recall estimated from
    its answers (a :class:`dadkhah.register.AuditProgress`), or None when none was drawn."""
    propagated: Mapping[str, Any] = field(default_factory=dict)
    """method → :class:`dadkhah.estimate.LinkagePropagated`: the overall estimate pooled over
    registers drawn from the linkage's uncertainty (empty with ``linkage_draws=0``)."""
    headline: Any = None
    """A :class:`dadkhah.estimate.Headline`: the number to lead with, or the range of
    defensible answers and why there is no single one (None when nothing was estimated)."""
    sensitivity: Any = None
    """A :class:`dadkhah.estimate.Sensitivity` (None unless asked for)."""
    merged_copies: tuple[str, ...] = ()
    """One sentence per list counted together with the list it copies (the case's sources
    record the copy: ``dadkhah source edit --copies``), e.g. "ngo_b counted with ngo_a: it
    copies part of it"."""
    merged_copies_fa: tuple[str, ...] = ()
    """The sentences of :attr:`merged_copies` in Persian, in the same order."""
    unverified_only: int = 0
    """Persons documented only by machine readings of documents that no person has checked
    (each of their records is an unverified reading): their names and dates are as a
    machine read them."""

    def documented(self) -> Any:
        """The documented count over all lists (a :class:`DocumentedCount`, no interval)."""
        from dadkhah.estimate import DocumentedCount

        return DocumentedCount.of(self.histories)

    def overall(self, method: str) -> Any:
        """The unstratified estimate of ``method``, or None."""
        return next((r.result for r in self.estimates
                     if r.by is None and r.method == method and r.result is not None), None)


# ----------------------------------------------------------------------------- gathering
def gather_report_data(
    case: Case,
    *,
    by: Sequence[str] = ("prison",),
    methods: Sequence[str] = ("lcmcr", "loglinear"),
    stratum_methods: Sequence[str] | None = None,
    seed: int | None = 1,
    level: float = 0.95,
    precomputed: Mapping[str, Any] | None = None,
    precomputed_wordings: Mapping[str, Mapping[str, Wording]] | None = None,
    headline: str | None = None,
    include_names: bool | None = None,
    command: str | None = None,
    progress: Any = None,
    linkage_draws: int = 10,
    sensitivity: bool = False,
    imputations: int = 5,
    viewer: Viewer | None = None,
) -> ReportData:
    """Read a linked case and run the estimators the report shows.

    Only what ``viewer`` may see goes into the report (restricted records; None: nobody,
    so no restricted data): the persons, their names, the sources and the capture
    histories the estimates rest on.  The linkage-uncertainty draws and the imputations
    read the whole register and show counts only.

    Parameters
    ----------
    case
        An open :class:`dadkhah.store.Case` after ``dadkhah link``.
    by
        Stratum columns to estimate by (each separately), from
        :data:`dadkhah.register.persons.STRATA`.
    methods
        Estimators (:data:`dadkhah.estimate.METHODS`) run on the whole register; the first
        is the report's headline method.
    stratum_methods
        Estimators run per stratum (default: ``methods``).  ``dadkhah report`` runs log-linear
        models per stratum and LCMCR only overall by default: LCMCR's cost is its MCMC, about
        3–5 s per stratum on two cores whatever the stratum's size, which on 16 prisons is
        the whole report's time budget.
    seed
        Seed for the Bayesian estimators (recorded in the report).
    precomputed
        Overall estimates already made on this register, by method, reused as they are
        (the demo passes the ones it printed).
    precomputed_wordings
        For each of them, a note's :class:`~dadkhah.errors.Wording` by its text (as the
        stored estimates keep them), so the report says it in Persian too.
    headline
        The method whose estimate the report leads with (default: the first of ``methods``).
    include_names
        List the documented persons by name; default: when there are at most
        :data:`NAMES_LIMIT`.
    command
        The command line to print in the reproducibility block (default: ``sys.argv``).
    progress
        Called with a short text before each slow step.
    linkage_draws
        Registers drawn from the linkage's pair probabilities for each overall method (its
        estimate pooled over them is shown beside the fixed-register one, and leads); 0: the
        register is taken as certain.
    sensitivity
        Also fit the defensible alternatives (:func:`dadkhah.estimate.sensitivity`) and show
        them side by side, in a table and a plot.
    imputations
        Multiple imputations of missing stratum values for the estimates by stratum (no
        estimate is shown for an "unknown" stratum).
    """
    from dadkhah.register import STRATA, copied_lists, register_histories

    say = progress or (lambda _m: None)
    bad = [b for b in by if b not in STRATA]
    if bad:
        raise NotFound(f"Cannot estimate by {bad[0]!r}.",
                       hint="Estimate by one of: " + ", ".join(STRATA) + ".")
    if not methods and not precomputed:
        raise ConfigError("No estimation method chosen.", hint="Pass --method lcmcr (or "
                          "loglinear, chapman, ...).")
    say("reading the register")
    persons = _persons_frame(case, viewer)
    if persons.empty:
        raise NotFound("The register is empty: the report needs linked persons.",
                       hint="Run dadkhah normalize and dadkhah link first.")
    # Sources that name victims; the case file's cited reports have no records.
    sources = [s for s in case.sources(viewer) if s.records > 0]
    # a list recorded as copying another is counted together with it (issue 19)
    copied = copied_lists(case)
    hist = register_histories(case, viewer=viewer)
    merged_copies = tuple(copied.notes(hist.lists))
    merged_copies_fa = tuple(copied.notes(hist.lists, lang="fa"))
    hist = copied.apply(hist)
    synthetic = any(s.synthetic for s in sources)
    gaz_names = _place_names(persons)
    say("sources and coverage")
    coverage = _coverage(case, sources, persons)
    coverage, unchecked_only = _readings(case, coverage, persons, viewer)
    register = {s: _stratum_rows(persons, s, gaz_names) for s in REGISTER_STRATA}
    runs = _estimate(case, hist, by, methods,
                     methods if stratum_methods is None else stratum_methods, seed, level,
                     precomputed or {}, say, imputations, copied.apply,
                     precomputed_wordings or {})
    if include_names is None:
        include_names = len(persons) <= NAMES_LIMIT
    names = _names(persons, gaz_names, unchecked_only) if include_names else None
    # the records the viewer may see, as the sources and persons beside them
    records = case.count_records(viewer)
    primary = headline or next(iter(methods), None) or next(iter(precomputed or {}))
    overall = {r.method: r.result for r in runs if r.by is None and r.result is not None}
    propagated = _propagate(case, overall, linkage_draws, seed, level, say, copied.apply)
    sens = None
    if sensitivity:
        from dadkhah.estimate import sensitivity as sensitivity_view

        say("sensitivity: the defensible alternatives")
        sens = sensitivity_view(hist, level=level, seed=1 if seed is None else seed)
    audit = _audit(case, level)
    judged = _headline(primary, overall, propagated, sens, audit)
    return ReportData(
        case_location=str(case.location), synthetic=synthetic, sources=tuple(coverage),
        records=records, persons=len(persons),
        persons_by_n_sources=MappingProxyType(
            {int(k): int(v) for k, v in persons.n_sources.value_counts().sort_index().items()}),
        register=MappingProxyType(register), histories=hist, estimates=tuple(runs),
        primary_method=primary, seed=seed, level=level, timeline=_timeline(persons),
        linkage=_linkage(case), normalized=case.count_records(viewer, normalized=True) > 0,
        audit=audit, propagated=MappingProxyType(propagated), headline=judged,
        merged_copies=merged_copies, merged_copies_fa=merged_copies_fa,
        unverified_only=len(unchecked_only),
        sensitivity=sens,
        reproducibility=_reproducibility(case, sources, command),
        names=names, place_names=MappingProxyType(gaz_names), casefile=_casefile(case, viewer),
    )


def _persons_frame(case: Case, viewer: Viewer | None = None) -> pd.DataFrame:
    from dadkhah.register import persons_frame

    df = persons_frame(case, viewer=viewer)
    for c in ("death_earliest", "death_latest"):
        df[c + "_d"] = pd.to_datetime(df[c], errors="coerce")
    return df


def _place_names(persons: pd.DataFrame) -> dict[str, tuple[str, str]]:
    from dadkhah.names import load_gazetteer

    gaz = load_gazetteer()
    out = {}
    for pid in set(persons.prison_id.dropna()) | set(persons.city_id.dropna()):
        p = gaz.places.get(pid)
        out[pid] = (p.name_en, p.name_fa) if p else (pid, "")
    return out


def age_group(persons: pd.DataFrame) -> pd.Series:
    """Age group at death per person (see :data:`AGE_GROUPS`): age is the year of death
    minus the year of birth (±1 year, birth days are rarely known); ``unknown`` when the
    birth-year interval or the death year leaves the group open."""
    death_year = persons.death_earliest_d.dt.year
    same_year = death_year == persons.death_latest_d.dt.year
    lo = death_year - persons.birth_year_hi
    hi = death_year - persons.birth_year_lo
    out = pd.Series("unknown", index=persons.index, dtype=object)
    for a, b, label in AGE_GROUPS:
        inside = (same_year & (lo >= a) & (hi <= b)).fillna(False).astype(bool)
        out[inside] = label
    return out


def _stratum_values(persons: pd.DataFrame, stratum: str) -> pd.Series:
    if stratum == "prison":
        return persons.prison_id.fillna("unknown")
    if stratum == "city":
        return persons.city_id.fillna("unknown")
    if stratum == "sex":
        return persons.sex.fillna("unknown")
    if stratum == "month":
        a, b = persons.death_earliest.str[:7], persons.death_latest.str[:7]
        return a.where(a == b, "unknown").fillna("unknown")
    if stratum == "age":
        return age_group(persons)
    raise ValueError(stratum)


def _label(stratum: str, value: str, names: Mapping[str, tuple[str, str]]
           ) -> tuple[str, str | None]:
    if value == "unknown":
        return "not recorded", "نامعلوم"
    if stratum in ("prison", "city"):
        en, fa = names.get(value, (value, ""))
        return en, fa or None
    if stratum == "sex":
        return SEX_LABELS.get(value, (value, None))
    if stratum == "month":
        return _month_label(value)
    return value, None


def _month_label(ym: str) -> tuple[str, str | None]:
    """'1988-07' → ('July 1988', '۱۰ تیر – ۹ مرداد ۱۳۶۷'): Gregorian months straddle two
    Solar Hijri months, so the Persian label gives the span."""
    import jdatetime

    from dadkhah.names import persian_digits

    y, m = int(ym[:4]), int(ym[5:7])
    first = date(y, m, 1)
    last = (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)
    a, b = jdatetime.date.fromgregorian(date=first), jdatetime.date.fromgregorian(date=last)
    months = jdatetime.date.j_months_fa
    if a.year == b.year:
        fa = f"{a.day} {months[a.month - 1]} – {b.day} {months[b.month - 1]} {b.year}"
    else:
        fa = f"{a.day} {months[a.month - 1]} {a.year} – {b.day} {months[b.month - 1]} {b.year}"
    return first.strftime("%B %Y"), persian_digits(fa)


def _stratum_rows(persons: pd.DataFrame, stratum: str,
                  names: Mapping[str, tuple[str, str]]) -> tuple[StratumRow, ...]:
    values = _stratum_values(persons, stratum)
    nsrc = persons.n_sources.clip(upper=4)
    table = pd.crosstab(values, nsrc).reindex(columns=[1, 2, 3, 4], fill_value=0)
    rows = []
    for value, counts in table.iterrows():
        label, fa = _label(stratum, str(value), names)
        rows.append(StratumRow(stratum, str(value), label, fa, int(counts.sum()),
                               tuple(int(x) for x in counts)))
    if stratum == "month" or stratum == "age":
        order = [g[2] for g in AGE_GROUPS]
        key = ((lambda r: (r.value == "unknown", r.value)) if stratum == "month"
               else (lambda r: order.index(r.value) if r.value in order else 99))
        rows.sort(key=key)
    else:
        rows.sort(key=lambda r: (r.value == "unknown", -r.persons, r.value))
        known = [r for r in rows if r.value != "unknown"]
        if len(known) > MAX_STRATUM_ROWS:
            # A long tail of small places reads badly; it is summed in one row (the register
            # export has every person).
            rest = known[MAX_STRATUM_ROWS:]
            other = StratumRow(stratum, OTHER, f"{len(rest)} other {stratum} values", None,
                               sum(r.persons for r in rest),
                               tuple(sum(x) for x in zip(*(r.by_sources for r in rest),
                                                         strict=True)))
            rows = [*known[:MAX_STRATUM_ROWS], other,
                    *[r for r in rows if r.value == "unknown"]]
    return tuple(rows)


def _coverage(case: Case, sources: list[Any], persons: pd.DataFrame) -> list[SourceCoverage]:
    from dadkhah.register import field_coverage

    coverage = field_coverage(case)
    imports = case.imports()
    per_source = persons.sources.map(json.loads)
    named = {s.id: 0 for s in sources}
    alone = {s.id: 0 for s in sources}
    for srcs in per_source:
        for sid in srcs:
            named[sid] = named.get(sid, 0) + 1
        if len(srcs) == 1:
            alone[srcs[0]] = alone.get(srcs[0], 0) + 1
    out = []
    for s in sources:
        c = coverage.get(s.id)
        imps = [i for i in imports if i.source_id == s.id]
        out.append(SourceCoverage(
            id=s.id, slug=s.slug, title=s.title, kind=s.kind, reliability=s.reliability,
            synthetic=bool(s.synthetic), records=s.records,
            rows_read=sum(i.rows_read for i in imps),
            rows_rejected=sum(i.rows_rejected for i in imps),
            fields_present=(c.fields_present if c is not None
                            else MappingProxyType(dict.fromkeys(RECORD_FIELDS, 0))),
            unparsed=c.unparsed if c is not None else MappingProxyType({}),
            persons=named.get(s.id, 0), only_here=alone.get(s.id, 0)))
    return out


def _readings(case: Case, coverage: list[SourceCoverage], persons: pd.DataFrame,
              viewer: Viewer | None) -> tuple[list[SourceCoverage], set[int]]:
    """``coverage`` with each source's machine readings and how many a person checked,
    and the ids of the persons (of ``persons``) every record of whom is an unchecked
    reading (:func:`dadkhah.register.unverified_only_persons`).  A case without document
    records is left as it is (one query)."""
    counts = {c.source_id: c for c in reading_counts(case, viewer=viewer)}
    if not counts:
        return coverage, set()
    out = [replace(s, readings=counts[s.id].readings,
                   readings_checked=counts[s.id].readings - counts[s.id].unverified)
           if s.id in counts else s for s in coverage]
    if not any(c.unverified for c in counts.values()):
        return out, set()
    shown = set(persons["id"].astype(int))
    return out, unverified_only_persons(case, viewer=viewer) & shown


def _timeline(persons: pd.DataFrame, max_spread_days: int = 92) -> Timeline:
    lo, hi = persons.death_earliest_d, persons.death_latest_d
    days = (hi - lo).dt.days + 1
    exact = lo[days == 1].dt.date.value_counts().sort_index()
    span = (days > 1) & (days <= max_spread_days)
    spread: dict[date, float] = {}
    if span.any():
        # Each span's person is shared out as 1/n over its n days (vectorised: 10^5 spans).
        n = days[span].to_numpy(dtype=np.int64)
        first = lo[span].to_numpy(dtype="datetime64[D]").astype(np.int64)
        offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
        day = np.repeat(first, n) + offset
        base = day.min()
        mass = np.bincount(day - base, weights=np.repeat(1.0 / n, n))
        epoch = date(1970, 1, 1)
        spread = {epoch + timedelta(days=int(base + i)): float(v)
                  for i, v in enumerate(mass) if v > 0}
    prec = {
        "day": int((days == 1).sum()),
        "within a week": int(((days > 1) & (days <= 7)).sum()),
        "within a month": int(((days > 7) & (days <= 31)).sum()),
        f"within {max_spread_days} days": int(((days > 31) & (days <= max_spread_days)).sum()),
        "wider span (not drawn)": int((days > max_spread_days).sum()),
        "no date": int(lo.isna().sum()),
    }
    return Timeline(MappingProxyType({k: int(v) for k, v in exact.items()}),
                    MappingProxyType(dict(sorted(spread.items()))), MappingProxyType(prec),
                    max_spread_days)


def _linkage(case: Case) -> LinkageInfo | None:
    return linkage_summary(case)


def _audit(case: Case, level: float) -> Any:
    """The latest audit sample and its estimate at the report's interval level (None when
    no sample was drawn)."""
    from dadkhah.register import audit_progress

    return audit_progress(case, level=level)


def _propagate(case: Case, overall: Mapping[str, Any], draws: int, seed: int | None,
               level: float, say: Any,
               merge: Callable[[Any], Any] = lambda h: h) -> dict[str, Any]:
    """Each overall method pooled over ``draws`` registers drawn from the linkage's pair
    probabilities (LCMCR with shorter chains per register: the pooled draws number as
    many as one default run's)."""
    if draws < 1 or not overall:
        return {}
    from dadkhah.estimate import make_estimator
    from dadkhah.linkage.cluster import cluster_records
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_uncertainty
    from dadkhah.register.linkage_draws import estimate_over_draws

    unc = linkage_uncertainty(case, features=compute_features)
    say(f"linkage uncertainty: drawing {draws} registers")
    drawn = unc.drawn_histories(draws, seed=0 if seed is None else seed,
                                cluster=cluster_records)
    out: dict[str, Any] = {}
    for m in overall:
        say(f"linkage uncertainty: {m} on {draws} drawn registers")
        opts: dict[str, Any] = {"samples": max(500, 10_000 // draws), "burnin": 2_000} \
            if m == "lcmcr" else {}
        fit = make_estimator(m, level=level, seed=seed, **opts)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # each draw's warnings are in its notes
            try:
                out[m] = estimate_over_draws(unc, fit, n=draws, prepare=merge,
                                             seed=0 if seed is None else seed, drawn=drawn)
            except DadkhahError:
                continue  # the fixed estimate's error or result is shown as it is
    return out


def _headline(primary: str | None, overall: Mapping[str, Any], propagated: Mapping[str, Any],
              sens: Any, audit: Any) -> Any:
    """The report's headline: the primary method's estimate (pooled over drawn registers
    when there are some), judged against the other methods, the sensitivity view and the
    audited quality of the register."""
    from dadkhah.estimate import judge_headline

    def best(m: str) -> Any:
        return propagated[m].estimate if m in propagated else overall[m]

    if not overall:
        return None
    lead = primary if primary is not None and primary in overall else next(iter(overall))
    alternatives = [best(m) for m in overall if m != lead]
    if sens is not None:
        alternatives += sens.estimates()
    quality = None
    if audit is not None and audit.current:
        quality = audit.stored or audit.quality
    return judge_headline(best(lead), alternatives=alternatives, quality=quality,
                          quality_required=True)


def _estimate(case: Case, hist: Any, by: Sequence[str], methods: Sequence[str],
              stratum_methods: Sequence[str], seed: int | None, level: float,
              precomputed: Mapping[str, Any], say: Any,
              imputations: int = 10,
              merge: Callable[[Any], Any] = lambda h: h,
              worded: Mapping[str, Mapping[str, Wording]] = MappingProxyType({})
              ) -> list[EstimateRun]:
    """Overall and per-stratum estimates through :func:`dadkhah.estimate.estimate_total`,
    the path ``dadkhah estimate --by`` takes: missing stratum values are multiply imputed
    (``imputations`` replicates) and the replicates combined, so no estimate is made for
    an "unknown" stratum."""
    from dadkhah.estimate import combine_imputations, estimate_total
    from dadkhah.register import imputed_histories

    runs = [EstimateRun(m, None, e, reused=True, wordings=worded.get(m, {}))
            for m, e in precomputed.items()]
    jobs: list[tuple[str, str | None]] = [(m, None) for m in methods if m not in precomputed]
    jobs += [(m, b) for b in by for m in stratum_methods]
    stratified = {b: imputed_histories(case, by=(b,), m=imputations,
                                       seed=0 if seed is None else seed) for b in by}
    for m, b in jobs:
        say(f"estimating: {m}" + (f" by {b}" if b else ""))
        t0 = time.perf_counter()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                if b is None:
                    res, err = estimate_total(hist, method=m, seed=seed, level=level), None
                else:
                    replicas, imp = stratified[b]
                    parts = [estimate_total(merge(h), method=m, seed=seed, level=level)
                             for h in replicas]
                    res = combine_imputations(parts, level=level,  # type: ignore[arg-type]
                                              seed=0 if seed is None else seed,
                                              imputed=imp.imputed)
                    err = None
            except DadkhahError as exc:
                res, err = None, exc.message
        runs.append(EstimateRun(m, b, res, err, tuple(dict.fromkeys(
            str(w.message) for w in caught)), time.perf_counter() - t0,
            wordings={str(w.message): wording for w in caught
                      if (wording := getattr(w.message, "wording", None)) is not None}))
    return runs


def _casefile(case: Case, viewer: Viewer | None = None) -> CaseFileSummary | None:
    """The case file as ``viewer`` may see it (citations of restricted sources left out), or
    None when it holds no actor and no event."""
    from dadkhah import casefile

    actors = casefile.list_actors(case, viewer=viewer)
    events = casefile.list_events(case, viewer=viewer)
    if not actors and not events:
        return None
    figures = tuple(casefile.list_figures(case, viewer=viewer))
    cited = ({c.source for x in actors for c in x.sources}
             | {c.source for x in events for c in x.sources}
             | {c.source for x in figures for c in x.sources})
    synthetic = any(s.synthetic for s in case.sources(viewer) if s.slug in cited)
    return CaseFileSummary(tuple(events), figures, tuple(actors),
                           tuple(casefile.list_allegations(case, viewer=viewer)),
                           tuple(casefile.list_burial_sites(case, viewer=viewer)), synthetic)


def _names(persons: pd.DataFrame, names: Mapping[str, tuple[str, str]],
           unchecked_only: set[int] | frozenset[int] = frozenset()) -> tuple[PersonRow, ...]:
    def text(v: Any) -> str | None:  # pandas gives NaN for a missing string: not "nan"
        return v if isinstance(v, str) else None

    out = []
    for r in persons.itertuples():
        prison = names.get(r.prison_id, (None, None))[0] if isinstance(r.prison_id, str) else None
        out.append(PersonRow(int(r.id), text(r.name_fa), text(r.name_latin), text(r.sex),
                             text(r.death_earliest), text(r.death_latest), prison,
                             int(r.n_sources), text(getattr(r, "name_fa_origin", None)),
                             text(getattr(r, "name_latin_origin", None)),
                             int(r.id) in unchecked_only))
    return tuple(out)


def _reproducibility(case: Case, sources: list[Any], command: str | None) -> Reproducibility:
    from importlib import metadata

    from dadkhah import __version__

    versions = {"dadkhah": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "pandas", "statsmodels", "numba", "splink", "duckdb",
                "sqlalchemy", "matplotlib", "jinja2", "arabic-reshaper", "python-bidi"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    slug = {s.id: s.slug for s in sources}
    files = tuple(MappingProxyType({"source": slug.get(i.source_id, str(i.source_id)),
                                    "file": i.file_name, "sha256": i.file_sha256,
                                    "bytes": i.file_size, "rows_imported": i.rows_imported,
                                    "imported_at": i.imported_at}) for i in case.imports())
    with case.read() as conn:
        head = audit.head(conn)
    return Reproducibility(
        generated_at=audit.now_utc(),
        command=command if command is not None else " ".join(["dadkhah", *sys.argv[1:]]),
        versions=MappingProxyType(versions), files=files,
        schema_revision=case.schema_revision(),
        audit_entries=head.id if head else 0, audit_head=head.entry_hash if head else None)
