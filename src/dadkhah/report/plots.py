"""The report's figures (matplotlib, Agg backend), each returned as a :class:`Figure` holding
a PNG ``data:`` URI, so the HTML file embeds them and needs nothing else.

Conventions shared by every figure: documented counts are dark grey and solid; estimates are
coloured points with interval lines and are labelled ESTIMATED; the two never share a mark.
Persian labels are shaped by :mod:`dadkhah.report.persian` or left out.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import dates as mdates
from matplotlib import ticker
from matplotlib.patches import Circle

from dadkhah.report.persian import persian_font, plot_label

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

__all__ = ["DOCUMENTED_COLOUR", "METHOD_COLOURS", "Figure", "forest_plot", "sources_plot",
           "timeline_plot", "upset_plot", "venn_plot"]

DOCUMENTED_COLOUR = "#3a3a3a"
METHOD_COLOURS = {"lcmcr": "#d95f02", "loglinear": "#1b7f9e", "stepwise": "#7570b3",
                  "dga": "#e7298a", "closed": "#66a61e", "chapman": "#a6761d",
                  "lincoln-petersen": "#a6761d"}
DPI = 130


def _thousands() -> ticker.Formatter:
    return ticker.FuncFormatter(lambda x, _p: f"{x:,.0f}")


@dataclass(frozen=True)
class Figure:
    """A rendered figure: its id, caption, alt text and PNG bytes as a data URI."""

    id: str
    title: str
    caption: str
    alt: str
    data_uri: str


def method_colour(method: str) -> str:
    return METHOD_COLOURS.get(method.split("+")[0], "#7570b3")


def _style() -> dict[RcKeyType, Any]:
    fam = ["DejaVu Sans"]
    font = persian_font()
    if font and font not in fam:
        fam.append(font)  # matplotlib falls back glyph by glyph along this list
    return {"font.family": fam, "font.size": 9, "axes.spines.top": False,
            "axes.spines.right": False, "svg.fonttype": "path"}


def _finish(fig: Any, fid: str, title: str, caption: str, alt: str) -> Figure:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight",
                metadata={"Software": "dadkhah report"})
    plt.close(fig)
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    return Figure(fid, title, caption, alt, uri)


def _synthetic_mark(fig: Any, synthetic: bool) -> None:
    if synthetic:
        fig.text(0.005, 0.005, "SYNTHETIC DATA", ha="left", va="bottom", fontsize=8,
                 color="#b00020", fontweight="bold")


# ----------------------------------------------------------------------------- sources
def sources_plot(sources: Sequence[Any], *, synthetic: bool) -> Figure:
    """Records and documented persons per source, with the persons no other source names."""
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(7.5, 0.5 + 0.45 * len(sources)))
        y = np.arange(len(sources))[::-1]
        ax.barh(y + 0.2, [s.records for s in sources], height=0.38, color="#b9b9b9",
                label="source records")
        ax.barh(y - 0.2, [s.persons for s in sources], height=0.38, color=DOCUMENTED_COLOUR,
                label="documented persons it names")
        ax.barh(y - 0.2, [s.only_here for s in sources], height=0.38, color="none",
                hatch="///", edgecolor="white", label="… named by no other source")
        ax.set_yticks(y, [f"{s.slug} ({s.reliability})" for s in sources])
        ax.set_xlabel("count (documented, not estimated)")
        ax.xaxis.set_major_formatter(_thousands())
        ax.legend(frameon=False, loc="lower right", fontsize=8)
        _synthetic_mark(fig, synthetic)
        return _finish(fig, "fig-sources", "Records and persons per source",
                       "Grey: rows imported from each source. Dark: persons in the register "
                       "that the source names; hatched: of those, persons no other source "
                       "names. Letters are the Admiralty reliability grades.",
                       "Horizontal bars per source: records, persons named, persons named "
                       "only there.")


# ----------------------------------------------------------------------------- overlaps
def _intersections(hist: Any) -> list[tuple[tuple[int, ...], int]]:
    out = [(tuple(int(x) for x in p), int(c)) for p, c in zip(hist.patterns, hist.counts,
                                                              strict=True) if c > 0]
    out.sort(key=lambda pc: (-pc[1], pc[0]))
    return out


def upset_plot(hist: Any, *, synthetic: bool, top: int = 20) -> Figure:
    """UpSet plot: documented persons per exact combination of lists (the capture
    histories), the largest ``top`` combinations; list sizes at the left."""
    inter = _intersections(hist)
    shown = inter[:top]
    lists = list(hist.lists)
    totals = hist.list_totals()
    j = len(lists)
    with plt.rc_context(_style()):
        fig = plt.figure(figsize=(max(6.0, 2.2 + 0.36 * len(shown)), 2.6 + 0.32 * j))
        gs = fig.add_gridspec(2, 2, width_ratios=(1.3, max(3.0, 0.36 * len(shown))),
                              height_ratios=(2.2, 0.32 * j + 0.2), wspace=0.22, hspace=0.04)
        ax_bar = fig.add_subplot(gs[0, 1])
        ax_mat = fig.add_subplot(gs[1, 1], sharex=ax_bar)
        ax_set = fig.add_subplot(gs[1, 0], sharey=ax_mat)
        x = np.arange(len(shown))
        counts = [c for _, c in shown]
        ax_bar.bar(x, counts, color=DOCUMENTED_COLOUR, width=0.65)
        tall = max(counts, default=0) >= 1000  # wide numbers would run into each other
        for pos, c in enumerate(counts):  # pos == x[pos]: the bars sit at 0, 1, …
            ax_bar.text(pos, c, f" {c:,}" if tall else f"{c:,}", ha="center", va="bottom",
                        fontsize=7, rotation=90 if tall else 0)
        if tall:
            ax_bar.set_ylim(0, max(counts) * 1.18)
        ax_bar.set_ylabel("documented persons\nwith exactly these lists")
        ax_bar.yaxis.set_major_formatter(_thousands())
        ax_bar.tick_params(axis="x", bottom=False, labelbottom=False)
        ys = np.arange(j)[::-1]
        for xi, (pat, _) in zip(x, shown, strict=True):
            on = [ys[i] for i in range(j) if pat[i]]
            ax_mat.scatter([xi] * j, ys, s=28, color="#dddddd", zorder=1)
            ax_mat.scatter([xi] * len(on), on, s=34, color=DOCUMENTED_COLOUR, zorder=2)
            if len(on) > 1:
                ax_mat.plot([xi, xi], [min(on), max(on)], color=DOCUMENTED_COLOUR, lw=1.6)
        ax_mat.set_xlim(-0.6, len(shown) - 0.4)
        ax_mat.set_yticks(ys, lists)
        ax_mat.tick_params(axis="both", left=False, bottom=False, labelbottom=False)
        for s in ("left", "bottom"):
            ax_mat.spines[s].set_visible(False)
        ax_set.barh(ys, [totals[name] for name in lists], color="#8c8c8c", height=0.55)
        ax_set.invert_xaxis()
        ax_set.tick_params(axis="y", left=False, labelleft=False)
        ax_set.spines["left"].set_visible(False)
        ax_set.set_xlabel("persons on the list")
        ax_set.xaxis.set_major_formatter(_thousands())
        ax_set.tick_params(axis="x", labelrotation=45)
        left_out = sum(c for _, c in inter[top:])
        _synthetic_mark(fig, synthetic)
        cap = ("Each column is one combination of lists (filled dots): how many documented "
               "persons are named by exactly those lists and no other. Left: persons per "
               "list.")
        if left_out:
            cap += (f" The {len(inter) - top} smallest combinations "
                    f"({left_out:,} persons) are not drawn.")
        return _finish(fig, "fig-upset", "Overlaps between the lists (UpSet plot)", cap,
                       "UpSet plot of list overlaps: bars per combination of lists, a dot "
                       "matrix below, list sizes at the left.")


def venn_counts(hist: Any, names: Sequence[str]) -> dict[tuple[int, ...], int]:
    """Persons per region of a Venn diagram of ``names`` (2 or 3 lists); persons on none of
    them are left out."""
    idx = [hist.lists.index(n) for n in names]
    out: dict[tuple[int, ...], int] = {}
    for p, c in zip(hist.patterns, hist.counts, strict=True):
        key = tuple(int(p[i]) for i in idx)
        if any(key):
            out[key] = out.get(key, 0) + int(c)
    return out


def venn_plot(hist: Any, *, synthetic: bool) -> Figure | None:
    """Venn diagram of the two or three largest lists (circles not to scale)."""
    if hist.n_lists < 2:
        return None
    totals = hist.list_totals()
    names = sorted(hist.lists, key=lambda n: -totals[n])[:3]
    counts = venn_counts(hist, names)
    k = len(names)
    centres = ([(-0.55, 0.0), (0.55, 0.0)] if k == 2
               else [(-0.55, 0.35), (0.55, 0.35), (0.0, -0.55)])
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(5.2, 4.4 if k == 3 else 3.2))
        colours = ["#7f7f7f", "#5a5a5a", "#a8a8a8"]
        for (cx, cy), col in zip(centres, colours, strict=False):
            ax.add_patch(Circle((cx, cy), 1.0, facecolor=col, alpha=0.28, edgecolor="#333333"))
        for i, name in enumerate(names):
            cx, cy = centres[i]
            dx, dy = (cx * 1.05, cy * 1.05 + (0.15 if cy >= 0 else -0.25))
            ax.text(cx + dx, cy + dy + (0.95 if cy >= 0 else -0.95) * (1 if k == 3 else 0.9),
                    f"{name} ({totals[name]:,})", ha="center", fontsize=9, fontweight="bold")
        for key, n in counts.items():
            members = [centres[i] for i in range(k) if key[i]]
            outside = [centres[i] for i in range(k) if not key[i]]
            px = float(np.mean([m[0] for m in members]))
            py = float(np.mean([m[1] for m in members]))
            for ox, oy in outside:  # push the label away from circles it is not in
                px += (px - ox) * 0.35
                py += (py - oy) * 0.35
            if len(members) == 1 and k == 2:
                px *= 1.15
            ax.text(px, py, f"{n:,}", ha="center", va="center", fontsize=9)
        ax.set_xlim(-2.0, 2.0)
        ax.set_ylim(-1.9 if k == 3 else -1.3, 1.85 if k == 3 else 1.4)
        ax.set_aspect("equal")
        ax.axis("off")
        _synthetic_mark(fig, synthetic)
        others = [n for n in hist.lists if n not in names]
        cap = ("Documented persons in each region. Circles are not drawn to scale.")
        if others:
            left_out = sum(c for p, c in zip(hist.patterns, hist.counts, strict=True)
                           if not any(p[hist.lists.index(n)] for n in names))
            cap += (f" Only the {k} largest lists are drawn; {left_out:,} persons named only "
                    f"by {', '.join(others)} are not in the diagram (the UpSet plot has all "
                    "lists).")
        return _finish(fig, "fig-venn", f"Overlaps of the {k} largest lists (Venn diagram)",
                       cap, f"Venn diagram of {', '.join(names)} with counts per region.")


# ----------------------------------------------------------------------------- estimates
@dataclass(frozen=True)
class ForestRow:
    label: str
    documented: int
    # method → (total, low, high); None: tried and not estimated; absent: not run on this row
    estimates: Mapping[str, tuple[float, float, float] | None]
    group: str  # "overall" | "stratum"


def forest_plot(rows: Sequence[ForestRow], methods: Sequence[str], *, title: str, fid: str,
                level: float, synthetic: bool) -> Figure:
    """Point estimates with intervals per method, beside the documented count, per row."""
    n = len(rows)
    k = max(1, len(methods))
    values = [v for r in rows for e in r.estimates.values() if e for v in e] + \
             [r.documented for r in rows if r.documented > 0]
    log = bool(values) and max(values) / max(1.0, min(values)) > 30
    with plt.rc_context(_style()):
        fig, ax = plt.subplots(figsize=(8.0, 1.2 + 0.42 * n * (0.6 + 0.25 * k)))
        ys = np.arange(n)[::-1] * (1.0 + 0.25 * k)
        for y, r in zip(ys, rows, strict=True):
            ax.scatter([r.documented], [y], marker="s", s=40, color=DOCUMENTED_COLOUR,
                       zorder=3)
            for i, m in enumerate(methods):
                if m not in r.estimates:  # not run on this row (e.g. overall only)
                    continue
                e = r.estimates[m]
                off = -(i + 1) * 0.28
                if e is None:
                    ax.text(r.documented, y + off, "  not estimated", fontsize=7,
                            va="center", color=method_colour(m), style="italic")
                    continue
                tot, lo, hi = e
                ax.plot([lo, hi], [y + off, y + off], color=method_colour(m), lw=2,
                        solid_capstyle="butt")
                ax.scatter([tot], [y + off], marker="o", s=34, facecolor="white",
                           edgecolor=method_colour(m), linewidth=1.8, zorder=4)
        overall = [y for y, r in zip(ys, rows, strict=True) if r.group == "overall"]
        if overall and len(overall) < n:
            ax.axhline(min(overall) - 0.25 * k - 0.45, color="#999999", lw=0.6, ls=":")
        ax.set_yticks(ys - 0.14 * k, [r.label for r in rows])
        ax.tick_params(axis="y", length=0)
        if log:
            ax.set_xscale("log")
            ax.xaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(_thousands())
        ax.xaxis.set_minor_formatter(ticker.NullFormatter())
        ax.set_xlabel("persons" + (" (log scale)" if log else ""))
        ax.grid(axis="x", color="#eeeeee", lw=0.6)
        ax.set_axisbelow(True)
        handles = [plt.Line2D([], [], marker="s", ls="", color=DOCUMENTED_COLOUR,
                              label="documented (count of named persons)")]
        handles += [plt.Line2D([], [], marker="o", markerfacecolor="white", lw=2,
                               color=method_colour(m),
                               label=f"ESTIMATED, {m} ({level:.0%} interval)")
                    for m in methods]
        ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower center",
                  bbox_to_anchor=(0.5, 1.0), ncol=min(3, 1 + k))
        _synthetic_mark(fig, synthetic)
        return _finish(fig, fid, title,
                       "Grey squares: documented persons (a count). Open circles with "
                       "lines: ESTIMATED totals with their intervals, one colour per method. "
                       "An estimate includes the documented persons.",
                       f"Forest plot: {n} rows, documented count and estimates per method.")


# ----------------------------------------------------------------------------- timeline
def timeline_plot(timeline: Any, *, synthetic: bool) -> Figure | None:
    """Deaths by day and by week; dates known only as a span are spread over the span and
    drawn hatched, never put on its first day."""
    days = sorted(set(timeline.exact) | set(timeline.spread))
    if not days:
        return None
    start, end = days[0], days[-1]
    n = (end - start).days + 1
    axis = [start + timedelta(days=i) for i in range(n)]
    exact = np.array([timeline.exact.get(d, 0) for d in axis], dtype=float)
    spread = np.array([timeline.spread.get(d, 0.0) for d in axis], dtype=float)
    week0 = start - timedelta(days=start.weekday())  # weeks start on Monday (ISO)
    widx = np.array([(d - week0).days // 7 for d in axis])
    nweeks = int(widx.max()) + 1
    wexact = np.bincount(widx, weights=exact, minlength=nweeks)
    wspread = np.bincount(widx, weights=spread, minlength=nweeks)
    wdates = [week0 + timedelta(weeks=i) for i in range(nweeks)]
    with plt.rc_context(_style()):
        fig, (a1, a2) = plt.subplots(2, 1, figsize=(8.5, 5.6), height_ratios=(1, 1))
        a1.bar(axis, exact, width=1.0, color=DOCUMENTED_COLOUR, label="date known to the day")
        a1.bar(axis, spread, width=1.0, bottom=exact, color="#c8c8c8", hatch="////",
               edgecolor="#8a8a8a", linewidth=0, label="date known only as a span, spread "
               "evenly over it")
        a1.set_ylabel("documented persons per day")
        a1.yaxis.set_major_formatter(_thousands())
        a2.yaxis.set_major_formatter(_thousands())
        a1.legend(frameon=False, fontsize=8, loc="upper right")
        a2.bar(wdates, wexact, width=6.0, align="edge", color=DOCUMENTED_COLOUR,
               label="date known to the day")
        a2.bar(wdates, wspread, width=6.0, align="edge", bottom=wexact, color="#c8c8c8",
               hatch="////", edgecolor="#8a8a8a", linewidth=0,
               label="spread from spans (not exact)")
        a2.set_ylabel("documented persons per week\n(weeks from Monday)")
        a2.legend(frameon=False, fontsize=8, loc="upper right")
        for ax in (a1, a2):
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b\n%Y"))
        _jalali_months(a1, start, end)
        prec = timeline.by_precision
        not_drawn = prec.get("wider span (not drawn)", 0) + prec.get("no date", 0)
        _synthetic_mark(fig, synthetic)
        fig.tight_layout()
        return _finish(fig, "fig-timeline", "Deaths by date (day and week)",
                       "Dark: persons whose date of death is known to the day. Hatched: "
                       "persons whose date is known only as a span (a week, a month, up to "
                       f"{timeline.max_spread_days} days), each spread evenly over the span "
                       "as a fraction per day, so a month-only date is not drawn on the 1st. "
                       f"{not_drawn:,} persons with a wider span or no date are not drawn. "
                       "Counts of documented persons, not estimates.",
                       "Bar charts of documented deaths per day and per week.")


def _jalali_months(ax: Any, start: Any, end: Any) -> None:
    """Solar Hijri month starts along the top of ``ax`` (Persian names when a Persian font
    is installed, else transliterated)."""
    import jdatetime

    from dadkhah.names import persian_digits

    names_fa = jdatetime.date.j_months_fa
    names_en = jdatetime.date.j_months_en
    j = jdatetime.date.fromgregorian(date=start).replace(day=1)
    ticks, labels = [], []
    while True:
        g = j.togregorian()
        if g > end:
            break
        if g >= start:
            ticks.append(g)
            fa = f"{names_fa[j.month - 1]} {j.year}"
            labels.append(plot_label("", persian_digits(fa))
                          or f"{names_en[j.month - 1]} {j.year}")
        j = (j + jdatetime.timedelta(days=32)).replace(day=1)
    if not ticks:
        return
    top = ax.secondary_xaxis("top")
    top.set_xticks(ticks, labels, fontsize=8)
    top.tick_params(length=3)


def stratum_label(row: Any) -> str:
    """Plot label of a register stratum row: Latin, with the Persian name shaped."""
    return plot_label(row.label, row.label_fa)
