"""The casualty report as one self-contained HTML file (Jinja2; inline CSS; figures as data URIs).

:func:`render_html` formats a :class:`~dadkhah.report.data.ReportData`; it reads nothing from
the store.  Persian text is written in logical order inside ``<bdi dir="rtl" lang="fa">`` (or
a ``dir="rtl"`` cell) and left to the browser to shape.  Documented counts and estimates
have their own CSS classes (``doc`` and ``est``) and labels in every table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup, escape

from dadkhah.errors import Wording
from dadkhah.names import persian_digits
from dadkhah.report import plots
from dadkhah.report.data import REGISTER_STRATA, ReportData

__all__ = ["METHOD_EXPLANATIONS", "EstimateCell", "StratumEstimateRow", "build_context",
           "headline_wordings", "render_html", "strata_wordings", "stratified_tables"]

METHOD_EXPLANATIONS = {
    "lcmcr": (
        "LCMCR, a Bayesian latent-class model (Manrique-Vallier 2016): people fall into "
        "unobserved groups that differ in how likely each list is to name them; within a "
        "group the lists name people independently. It allows for people who are hard to "
        "document (heterogeneous capture) and for the list dependence that this creates, "
        "which is what lists of victims usually show. In the project's coverage study "
        "(benchmarks/mse_coverage.py, 200 simulated replicates) its 95% intervals held the "
        "truth in 94–98.5% of replicates with independent, heterogeneous or dependent lists, "
        "where the two-list and log-linear estimators fell to 0–93%; no method is reliable "
        "when a large part of the population is rarely named by any list."),
    "loglinear": (
        "Hierarchical log-linear models of the table of list combinations (Fienberg 1972; "
        "Rcapture): interactions between lists model their dependence, the model is chosen "
        "by an information criterion, and the count of people on no list is extrapolated "
        "from it, with a profile-likelihood interval. It assumes everyone has the same "
        "chance of being named once the modelled interactions are accounted for."),
    "stepwise": (
        "Log-linear models chosen by stepwise selection (SparseMSE, Chan, Silverman and "
        "Vincent 2021), for sparse tables of many small lists."),
    "closed": ("Rcapture's closed-population models M0/Mt/Mh/Mth chosen by an information "
               "criterion."),
    "dga": ("Bayesian model averaging over decomposable graphical models (dga; Madigan and "
            "York 1997, Lum, Price and Banks 2013), 3–5 lists."),
    "chapman": ("Chapman's two-list estimator: assumes the two lists name people "
                "independently and everyone equally likely; usually too low for victim "
                "lists."),
    "lincoln-petersen": "The Lincoln–Petersen two-list estimator (see Chapman).",
}

STRATUM_TITLES = {"prison": "prison", "city": "city", "month": "month of death",
                  "sex": "sex", "age": "age group at death", "province": "province"}

MAX_FOREST_ROWS = 30
"""Strata drawn in one forest plot (largest documented counts first)."""

_FIELD_LABELS = {"external_id": "id", "full_name": "full name", "given_names": "given names",
                 "father_name": "father's name", "birth_date": "birth date",
                 "death_date": "death date", "place_of_arrest": "place of arrest"}


@dataclass(frozen=True)
class EstimateCell:
    """One method's estimate in a table by stratum: the total and its interval."""

    method: str
    total: float
    low: float
    high: float


@dataclass(frozen=True)
class StratumEstimateRow:
    """One stratum of a table by stratum: its labels, documented count, each method's
    estimate (None where it could not be made) and why not (with the reason's wording)."""

    label: str
    label_fa: str | None
    documented: int
    cells: Mapping[str, EstimateCell | None]
    reasons: Mapping[str, str]
    reason_wordings: Mapping[str, Wording] = field(default_factory=dict)


def _n(x: Any) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        if not math.isfinite(x):
            return "∞" if x > 0 else "–"
        return f"{x:,.0f}"
    return f"{x:,}"


def _pct(a: int, b: int) -> str:
    return "–" if not b else f"{100 * a / b:.0f}%"


def _share(x: Any) -> str:
    """A proportion as a percentage with one decimal: ``0.9734`` → ``97.3%``."""
    if x is None or not math.isfinite(x):
        return "–"
    return f"{100 * x:.1f}%"


def _g(x: Any) -> str:
    if isinstance(x, float):
        if not math.isfinite(x):
            return str(x)
        return f"{x:,.4g}" if abs(x) < 1e4 else f"{x:,.0f}"
    if isinstance(x, (list, tuple)):
        return ", ".join(_g(v) for v in x)
    return str(x)


def _jalali_span(earliest: str | None, latest: str | None) -> str:
    """Solar Hijri date in Persian digits with its precision (a day, «مرداد ۱۳۶۷», a span),
    for readers of Persian: the formatter of every page (:func:`dadkhah.names.format_interval`)."""
    from dadkhah.names import format_interval

    if not earliest:
        return ""
    return format_interval(earliest, latest or earliest, lang="fa", calendar="jalali")


def _shown_items(mapping: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Settings or diagnostics as short ``key=value`` texts: numbers, short strings, short
    lists of numbers; bulky values (model tables) only by their size, they are in the JSON."""
    out = []
    for k, v in mapping.items():
        if isinstance(v, (list, tuple)) and (len(v) > 8 or not all(
                isinstance(x, (int, float)) for x in v)):
            out.append((k, f"[{len(v)} items]"))
        elif isinstance(v, Mapping):
            out.append((k, f"[{len(v)} entries]"))
        elif isinstance(v, str) and len(v) > 100:
            out.append((k, v[:97] + "…"))
        else:
            out.append((k, _g(v)))
    return out


def _burial_map(sites: Any) -> Markup:
    """The burial sites (and the gazetteer's prisons) on the case file's offline map, as
    inline SVG: a report read without a network still shows it."""
    from dadkhah.casefile import burial_point, render_map_svg
    from dadkhah.casefile.geo import prison_points

    points = [p for s in sites if (p := burial_point(s)) is not None] + prison_points()
    # render_map_svg escapes every name it draws.
    return Markup(render_map_svg(points, label="Burial sites and prisons"))  # noqa: S704


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dadkhah.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(n=_n, g=_g, share=_share, field_label=lambda f: _FIELD_LABELS.get(f, f))
    env.globals.update(pct=_pct, colour=plots.method_colour, jalali=_jalali_span,
                       shown=_shown_items, burial_map=_burial_map,
                       persian_n=lambda n: persian_digits(f"{n:,}".replace(",", "٬")))
    return env


def _stratum_labels(data: ReportData, by: str) -> dict[str, tuple[str, str | None]]:
    rows = data.register.get(by, ())
    out = {r.value: (r.label, r.label_fa) for r in rows}
    if by == "province":
        from dadkhah.names import load_gazetteer

        gaz = load_gazetteer()
        for pid, p in gaz.places.items():
            if p.kind == "province":
                out.setdefault(pid, (p.name_en, p.name_fa))
    return out


def _cell(e: Any) -> EstimateCell:
    return EstimateCell(e.method, float(e.total), float(e.interval.low), float(e.interval.high))


def stratified_tables(data: ReportData) -> dict[str, dict[str, Any]]:
    """Per stratum column: rows of documented count and each method's estimate."""
    out: dict[str, dict[str, Any]] = {}
    for run in data.estimates:
        if run.by is None:
            continue
        entry = out.setdefault(run.by, {"methods": [], "rows": {}, "combined": {},
                                        "errors": {}, "notes": {}, "wordings": {}})
        entry["methods"].append(run.method)
        if run.result is None:
            entry["errors"][run.method] = run.error or "not estimated"
            continue
        res = run.result
        items = [(e.stratum, e.observed, e, None, None) for e in res.strata]
        items += [(s.stratum, s.observed, None, s.reason, s.wording) for s in res.sparse]
        for stratum, observed, est, reason, worded in items:
            value = dict(stratum).get(run.by, "?")
            row = entry["rows"].setdefault(value, {"value": value, "documented": observed,
                                                   "cells": {}, "reasons": {},
                                                   "reason_wordings": {}})
            row["cells"][run.method] = _cell(est) if est is not None else None
            if reason:
                row["reasons"][run.method] = reason
            if worded is not None:
                row["reason_wordings"][run.method] = worded
        entry["combined"][run.method] = (_cell(res.combined) if res.combined is not None
                                         else None)
        entry["notes"][run.method] = list(res.combined.notes) if res.combined else []
        entry["wordings"][run.method] = dict(res.combined.wordings) if res.combined else {}
    for by, entry in out.items():
        labels = _stratum_labels(data, by)
        rows = []
        for value, r in entry["rows"].items():
            label, fa = labels.get(value, (value, None))
            if by == "month" and value != "unknown" and value not in labels:
                from dadkhah.report.data import _month_label

                label, fa = _month_label(value)
            rows.append(StratumEstimateRow(label, fa, r["documented"], r["cells"],
                                           r["reasons"], r["reason_wordings"]))
        rows.sort(key=lambda r: -r.documented)
        entry["rows"] = rows
    return out


def _forest_figures(data: ReportData, tables: Mapping[str, Any]) -> list[plots.Figure]:
    figs = []
    overall_methods = [r.method for r in data.estimates if r.by is None and r.result]
    doc = data.histories.observed
    base = [plots.ForestRow("All persons, one model", doc, {
        m: (data.overall(m).total, *data.overall(m).interval) for m in overall_methods},
        "overall")]
    if not tables:
        figs.append(plots.forest_plot(base, overall_methods, title="Estimated total beside "
                                      "the documented count", fid="fig-forest",
                                      level=data.level, synthetic=data.synthetic))
    for by, t in tables.items():
        methods = list(dict.fromkeys([*overall_methods, *t["methods"]]))
        combined_doc = sum(r.documented for r in t["rows"] if any(
            c is not None for c in r.cells.values()))
        rows = list(base)
        rows.append(plots.ForestRow(f"Sum of the strata by {STRATUM_TITLES.get(by, by)}",
                                    combined_doc, {
            m: ((c.total, c.low, c.high) if (c := t["combined"].get(m)) else None)
            for m in t["methods"]}, "overall"))
        shown = t["rows"][:MAX_FOREST_ROWS]
        for r in shown:
            rows.append(plots.ForestRow(plots.plot_label(r.label, r.label_fa), r.documented, {
                m: ((c.total, c.low, c.high) if (c := r.cells.get(m)) else None)
                for m in t["methods"]}, "stratum"))
        title = f"Estimates by {STRATUM_TITLES.get(by, by)} beside the documented counts"
        if len(t["rows"]) > len(shown):
            title += (f" ({len(shown)} largest of {len(t['rows'])} strata; the table below "
                      "has all)")
        figs.append(plots.forest_plot(rows, methods, title=title, fid=f"fig-forest-{by}",
                                      level=data.level, synthetic=data.synthetic))
    return figs


def _sensitivity_figure(data: ReportData) -> plots.Figure | None:
    """The sensitivity view as a forest plot: one row per alternative, coloured by family."""
    sens = data.sensitivity
    if sens is None or not sens.rows:
        return None
    doc = data.histories.observed
    rows = [plots.ForestRow(f"{r.family}: {r.label}",
                            r.estimate.observed if r.estimate is not None else doc,
                            {r.family: ((r.estimate.total, *r.estimate.interval)
                                        if r.estimate is not None else None)},
                            "overall" if r.family != "leave-one-out" else "stratum")
            for r in sens.rows]
    families = list(dict.fromkeys(r.family for r in sens.rows))
    return plots.forest_plot(rows, families, title="Sensitivity of the estimated total to the "
                             "model", fid="fig-sensitivity", level=data.level,
                             synthetic=data.synthetic)


def _agreement(data: ReportData) -> str | None:
    """A sentence when the overall intervals of two methods do not overlap."""
    ests = [(r.method, r.result) for r in data.estimates if r.by is None and r.result]
    for i, (m1, e1) in enumerate(ests):
        for m2, e2 in ests[i + 1:]:
            if e1.interval.high < e2.interval.low or e2.interval.high < e1.interval.low:
                return (f"The {m1} and {m2} intervals do not overlap: the methods' "
                        "assumptions lead to different totals, and the choice between them "
                        "matters. Read the assumptions below before quoting either.")
    if len(ests) > 1:
        return ("The methods' intervals overlap: on these data the conclusion does not hinge "
                "on the choice between them.")
    return None


def build_context(data: ReportData) -> dict[str, Any]:
    """Everything the template needs, derived from ``data`` only."""
    hist = data.histories
    tables = stratified_tables(data)
    figures: dict[str, plots.Figure | None] = {
        "sources": plots.sources_plot(data.sources, synthetic=data.synthetic),
        "upset": plots.upset_plot(hist, synthetic=data.synthetic),
        "venn": plots.venn_plot(hist, synthetic=data.synthetic),
        "timeline": plots.timeline_plot(data.timeline, synthetic=data.synthetic),
    }
    forests = _forest_figures(data, tables)
    overall = [r for r in data.estimates if r.by is None]
    primary_method = data.primary_method
    primary = data.overall(primary_method)
    if primary is None:  # the headline method could not run: lead with one that did
        done = next((r for r in overall if r.result is not None), None)
        primary, primary_method = (done.result, done.method) if done else (None, "")
    propagated = data.propagated.get(primary_method)
    if propagated is not None:  # lead with the interval that carries the linkage's doubt
        primary = propagated.estimate
    return {
        "d": data, "hist": hist, "documented": data.documented(), "overall": overall,
        "primary": primary, "primary_method": primary_method,
        "primary_propagated": propagated is not None, "headline": data.headline,
        "sensitivity_figure": _sensitivity_figure(data),
        "explanations": METHOD_EXPLANATIONS, "agreement": _agreement(data),
        "tables": tables, "figures": figures, "forests": forests,
        "strata_order": [s for s in REGISTER_STRATA if s in data.register],
        "stratum_titles": STRATUM_TITLES, "unestimated": [r for r in data.estimates
                                                          if r.result is None],
        "all_runs": data.estimates,
        "overall_methods": [r.method for r in overall if r.result is not None],
    }


def _shown(x: Any) -> Any:
    """A number as the report's ``n`` filter writes it, for a language to write in its own
    digits: whole, or a sign for no number."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, float) and not math.isfinite(x):
        return "∞" if x > 0 else "–"
    return int(round(x))


def headline_wordings(context: Mapping[str, Any]) -> dict[str, Wording]:
    """What the headline box and the refused headline's reasons say (keys of the
    catalogue's ``report_headline`` table), for :func:`render_html` to say in Persian
    beside the English; ``context`` is :func:`build_context`'s."""
    headline, primary = context.get("headline"), context.get("primary")
    out: dict[str, Wording] = {}
    if headline is not None and headline.refused:
        low, high = _shown(headline.low), _shown(headline.high)
        for key in ("refused_label", "refused_range", "refused_why", "reasons_title"):
            out[key] = Wording.of(f"report_headline.{key}")
        out["reasons_range"] = Wording.of("report_headline.reasons_range", low=low, high=high)
    elif primary is not None:
        out["label"] = Wording.of("report_headline.label", method=primary.method)
        kind = "interval_linkage" if context.get("primary_propagated") else "interval"
        out["interval"] = Wording.of(f"report_headline.{kind}", level=primary.level,
                                     low=_shown(primary.interval.low),
                                     high=_shown(primary.interval.high))
    return out


def strata_wordings(by: str, table: Mapping[str, Any]) -> dict[str, Wording]:
    """What a table by stratum (one of :func:`stratified_tables`, by ``by``) says in its
    heading, its column headers, its sum row and its notes' summaries (keys of the catalogue's
    ``report_strata`` table), for :func:`render_html` to say in Persian beside the English;
    the title names the column (``sex``: ``estimate_stratum.column.sex``)."""
    title = Wording.of(f"estimate_stratum.column.{by}") if by in STRATUM_TITLES else by
    out = {"heading": Wording.of("report_strata.heading", title=title),
           "sum": Wording.of("report_strata.sum"),
           "documented": Wording.of("report_strata.documented"),
           "interval": Wording.of("report_strata.interval")}
    for m in table["methods"]:
        out[f"estimated:{m}"] = Wording.of("report_strata.estimated", method=m)
    for m, notes in table["notes"].items():
        out[f"notes:{m}"] = Wording.of("report_strata.notes", method=m, title=title,
                                       count=len(notes))
    return out


def render_html(data: ReportData, *,
                persian: Callable[[Wording], str] | None = None) -> str:
    """The report as one HTML document (a string).  ``persian`` says a
    :class:`~dadkhah.errors.Wording` in Persian (the interface's catalogue,
    ``dadkhah.web.i18n.render_wording``: this package sits below it); with it, each
    estimator warning the report shows (in a stratum's note too), and the headline box
    with the reasons a headline is refused, is said in Persian beside its English."""

    def in_persian(text: str, wordings: Mapping[str, Wording]) -> str | None:
        wording = wordings.get(text)
        return None if persian is None or wording is None else persian(wording)

    def stratum_note_fa(note: str, wordings: Mapping[str, Wording]) -> Markup:
        """`` <bdi …>Persian</bdi>`` after a note of the tables by stratum (an estimator's
        warning in one stratum, the strata left out and why) that has a wording (the
        combined estimate's, :func:`dadkhah.estimate.combine_estimates`)."""
        return fa_beside(wordings.get(note), "stratum-note-fa")

    def fa_beside(wording: Wording | None, css: str) -> Markup:
        """`` <bdi …>Persian</bdi>`` after an English phrase that has a wording."""
        if persian is None or wording is None:
            return Markup("")
        return Markup(' <bdi dir="rtl" lang="fa" class="{}">{}</bdi>').format(
            css, persian(wording))

    def not_estimated_fa(reason: Wording | None) -> Markup:
        """`` <bdi …>Persian</bdi>`` after a stratum's "not estimated" cell: with the
        reason when it has a wording (else the cell's English says it)."""
        return fa_beside(Wording.of("report_strata.not_estimated_why", reason=reason)
                         if reason is not None else Wording.of("report_strata.not_estimated"),
                         "reason-fa")

    def headline_fa(wording: Wording | None) -> Markup:
        """`` <bdi …>Persian</bdi>`` after an English phrase of the headline box."""
        if persian is None or wording is None:
            return Markup("")
        return Markup(' <bdi dir="rtl" lang="fa" class="headline-fa">{}</bdi>').format(
            escape(persian(wording)))

    context = build_context(data)
    return _env().get_template("report.html.j2").render(
        **context, in_persian=in_persian, headline_fa=headline_fa,
        stratum_note_fa=stratum_note_fa, fa_beside=fa_beside, not_estimated_fa=not_estimated_fa,
        strata_wordings=strata_wordings, hw=headline_wordings(context))
