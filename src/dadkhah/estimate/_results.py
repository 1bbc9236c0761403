"""Result types: an :class:`Estimate` is never a :class:`DocumentedCount`, and vice versa."""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from dadkhah.errors import EstimationError, Wording

if TYPE_CHECKING:  # for an annotation only
    from dadkhah.estimate._histories import CaptureHistories

__all__ = ["DocumentedCount", "Estimate", "Interval", "Summary", "WordedSummary"]


class Interval(NamedTuple):
    """An interval for N (confidence or credible, see ``Estimate.interval_kind``)."""

    low: float
    high: float


def _json_safe(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _json_safe(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_json_safe(x) for x in v]
    if isinstance(v, np.ndarray):
        return [_json_safe(x) for x in v.tolist()]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    if isinstance(v, (str, int, bool)) or v is None:
        return v
    return str(v)


def _json_dict(d: Mapping[str, Any]) -> dict[str, Any]:
    """:func:`_json_safe` of a mapping, typed as the dict it is."""
    return {str(k): _json_safe(x) for k, x in d.items()}


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.1f}"


def _stratum_text(stratum: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in stratum) if stratum else "all"


@dataclass(frozen=True)
class Summary:
    """A printable summary: header, a table of figures, numbered footnotes."""

    title: str
    header: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, str], ...]
    footnotes: tuple[str, ...] = ()
    banner: str | None = None

    def as_text(self) -> str:
        lines = []
        if self.banner:
            lines.append(f"*** {self.banner} ***")
        lines.append(self.title)
        lines.append("=" * max(len(self.title), 40))
        width = max((len(k) for k, _ in (*self.header, *self.rows)), default=0)
        for k, v in self.header:
            lines.append(f"{k:<{width}}  {v}")
        lines.append("-" * max(len(self.title), 40))
        for k, v in self.rows:
            lines.append(f"{k:<{width}}  {v}")
        if self.footnotes:
            lines.append("-" * max(len(self.title), 40))
            lines.extend(f"[{i}] {n}" for i, n in enumerate(self.footnotes, 1))
        return "\n".join(lines)

    def as_html(self) -> str:
        e = html.escape
        parts = []
        if self.banner:
            parts.append(f'<p class="banner"><strong>{e(self.banner)}</strong></p>')
        parts.append(f'<table class="estimate"><caption>{e(self.title)}</caption>')
        for k, v in (*self.header, *self.rows):
            parts.append(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>")
        parts.append("</table>")
        if self.footnotes:
            parts.append("<ol>" + "".join(f"<li>{e(n)}</li>" for n in self.footnotes) + "</ol>")
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        return self.as_html()


Cell = Wording | str
"""A cell of a :class:`WordedSummary`: a wording, or text every language writes as it is (a
method's or a list's name)."""


@dataclass(frozen=True)
class WordedSummary:
    """A :class:`Summary`'s title, header and rows as :class:`~dadkhah.errors.Wording` (keys
    of the catalogue's ``estimate_summary`` table, numbers as numbers), for an interface to
    write the table in its reader's language; the footnotes have their own wordings
    (``footnote_wordings``).  Rendered in English it is the summary word for word."""

    title: Wording
    header: tuple[tuple[Cell, Cell], ...]
    rows: tuple[tuple[Cell, Cell], ...]
    banner: Wording | None = None

    def render(self, say: Callable[[Wording], str]) -> Summary:
        """The summary (without footnotes) with each wording said by ``say``
        (``dadkhah.web.i18n.render_wording`` in a language)."""

        def text(c: Cell) -> str:
            return say(c) if isinstance(c, Wording) else c

        return Summary(title=say(self.title),
                       header=tuple((text(k), text(v)) for k, v in self.header),
                       rows=tuple((text(k), text(v)) for k, v in self.rows),
                       banner=None if self.banner is None else say(self.banner))


def _w(key: str, **values: Any) -> Wording:
    return Wording.of(f"estimate_summary.{key}", **values)


def _num(x: float) -> Cell:
    """:func:`_fmt`'s number as a wording (its language's digits)."""
    if not math.isfinite(x):
        return _fmt(x)
    return _w("number" if abs(x) >= 100 else "number_fine", value=float(x))


def _whole(n: int) -> Wording:
    """A count written as ``str(n)`` writes it (no separators)."""
    return _w("whole", value=float(n))


SYNTHETIC_BANNER = _w("synthetic")


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """Estimated size of a population.  Never a documented count.

    ``total`` is the point estimate of N (the MLE for frequentist methods, the posterior
    median for Bayesian ones), ``interval`` its interval at ``level`` (see
    ``interval_kind``).  ``draws`` holds posterior draws of N for Bayesian methods, so strata
    can be summed.  ``notes`` are diagnostics the reader must see; ``assumptions`` say in plain
    words what the number rests on.  ``wordings`` holds, by its text, the
    :class:`~dadkhah.errors.Wording` of each note that has one (for an interface to say it in
    its reader's language).
    """

    method: str
    stratum: tuple[tuple[str, str], ...] = ()
    lists: tuple[str, ...]
    observed: int
    total: float
    interval: Interval
    level: float = 0.95
    interval_kind: str = ""
    notes: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    settings: Mapping[str, Any] = field(default_factory=dict)
    diagnostics: Mapping[str, Any] = field(default_factory=dict, compare=False)
    draws: np.ndarray | None = field(default=None, repr=False, compare=False)
    synthetic: bool = False
    wordings: Mapping[str, Wording] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "wordings", MappingProxyType(dict(self.wordings)))
        object.__setattr__(self, "interval", Interval(*map(float, self.interval)))
        object.__setattr__(self, "settings", MappingProxyType(dict(self.settings)))
        object.__setattr__(self, "diagnostics", MappingProxyType(dict(self.diagnostics)))
        object.__setattr__(self, "notes", tuple(self.notes))
        object.__setattr__(self, "assumptions", tuple(self.assumptions))
        if self.draws is not None:
            d = np.array(self.draws, dtype=float)
            d.setflags(write=False)
            object.__setattr__(self, "draws", d)
        low, high = self.interval
        eps = 1e-9 * max(1.0, abs(self.total))
        if not (0 < self.level < 1):
            raise EstimationError(f"level must be in (0, 1), got {self.level} (a bug)")
        if not math.isfinite(self.total) or self.total + eps < self.observed:
            raise EstimationError(
                f"Internal error: estimate {self.total} is below the {self.observed} observed "
                f"({self.method}); this is a bug.",
                hint="Please report it with the capture-history table.",
            )
        if not (low - eps <= self.total <= high + eps):
            raise EstimationError(
                f"Internal error: interval ({low}, {high}) does not contain the estimate "
                f"{self.total} ({self.method}); this is a bug.",
                hint="Please report it with the capture-history table.",
            )

    @property
    def unobserved(self) -> float:
        """Estimated number of people on no list."""
        return self.total - self.observed

    def summary(self) -> Summary:
        """A summary with header, figures and numbered footnotes (text and HTML)."""
        pct = f"{self.level:.0%}"
        header = (
            ("Method", self.method),
            ("Stratum", _stratum_text(self.stratum)),
            ("Lists", ", ".join(self.lists)),
            ("Level", pct),
        )
        rows = (
            ("Documented (observed)", f"{self.observed:,}"),
            ("Estimated total", _fmt(self.total)),
            (
                f"{pct} interval" + (f" ({self.interval_kind})" if self.interval_kind else ""),
                f"{_fmt(self.interval.low)} to {_fmt(self.interval.high)}",
            ),
            ("Estimated unobserved", _fmt(self.unobserved)),
        )
        foot = tuple(self.notes) + tuple(f"Assumption: {a}" for a in self.assumptions)
        return Summary(
            title=f"Estimated population size ({self.method})",
            header=header,
            rows=rows,
            footnotes=foot,
            banner="SYNTHETIC DATA" if self.synthetic else None,
        )

    def summary_wordings(self) -> WordedSummary:
        """The :meth:`summary`'s title, header and rows as wordings (its footnotes:
        :meth:`footnote_wordings`)."""
        interval = (_w("interval_kind", level=self.level, kind=self.interval_kind)
                    if self.interval_kind else _w("interval", level=self.level))
        return WordedSummary(
            title=_w("title", method=self.method),
            header=((_w("method"), self.method), (_w("stratum"), Wording.stratum(self.stratum)),
                    (_w("lists"), _w("names", names=tuple(self.lists))),
                    (_w("level"), _w("percent", value=self.level))),
            rows=((_w("documented_observed"), _w("count", value=int(self.observed))),
                  (_w("estimated_total"), _num(self.total)),
                  (interval, _w("range", low=_num(self.interval.low),
                                high=_num(self.interval.high))),
                  (_w("estimated_unobserved"), _num(self.unobserved))),
            banner=SYNTHETIC_BANNER if self.synthetic else None)

    def footnote_wordings(self) -> dict[str, Wording]:
        """Those of the :meth:`summary`'s footnotes that have a
        :class:`~dadkhah.errors.Wording` (notes with theirs, each assumption as the
        catalogue's ``estimate_assumption`` sentence), by the footnote's text, for an
        interface to say in its reader's language."""
        out = {n: w for n in self.notes if (w := self.wordings.get(n)) is not None}
        for a, w in self.assumption_wordings().items():
            out[f"Assumption: {a}"] = Wording.of("estimate_note.assumption", text=w)
        return out

    def assumption_wordings(self) -> dict[str, Wording]:
        """Each of the :attr:`assumptions` the catalogue knows, as its
        :class:`~dadkhah.errors.Wording` (the ``estimate_assumption`` table)."""
        from dadkhah.estimate._assumptions import assumption_wording

        return {a: w for a in self.assumptions if (w := assumption_wording(a)) is not None}

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict (non-finite numbers become ``None``; draws are summarised)."""
        d: dict[str, Any] = {
            "kind": "estimate",
            "method": self.method,
            "stratum": [list(p) for p in self.stratum],
            "lists": list(self.lists),
            "observed": self.observed,
            "total": self.total,
            "low": self.interval.low,
            "high": self.interval.high,
            "level": self.level,
            "interval_kind": self.interval_kind,
            "unobserved": self.unobserved,
            "notes": list(self.notes),
            "assumptions": list(self.assumptions),
            "settings": dict(self.settings),
            "diagnostics": dict(self.diagnostics),
            "n_draws": None if self.draws is None else int(self.draws.size),
            "synthetic": self.synthetic,
        }
        return _json_dict(d)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Estimate:
        """The estimate :meth:`to_dict` wrote, back: ``Estimate.from_dict(e.to_dict()) == e``.

        What ``to_dict`` summarises does not come back: posterior draws (only their number
        was kept, so ``draws`` is None) and non-finite numbers (``None`` in the dict; an
        unbounded interval end reads back as infinite).

        Examples
        --------
        >>> e = Estimate(method="chapman", lists=("a", "b"), observed=90, total=120.0,
        ...              interval=(100.0, 150.0), notes=("few recaptures",))
        >>> Estimate.from_dict(e.to_dict()) == e
        True
        """
        if d.get("kind", "estimate") != "estimate":
            raise ValueError(f"not an estimate: kind {d.get('kind')!r}")
        low, high = d.get("low"), d.get("high")
        return cls(
            method=d["method"],
            stratum=tuple((str(k), str(v)) for k, v in d.get("stratum") or ()),
            lists=tuple(d.get("lists") or ()),
            observed=int(d["observed"]),
            total=float(d["total"]),
            interval=Interval(-math.inf if low is None else float(low),
                              math.inf if high is None else float(high)),
            level=float(d.get("level", 0.95)),
            interval_kind=d.get("interval_kind") or "",
            notes=tuple(d.get("notes") or ()),
            assumptions=tuple(d.get("assumptions") or ()),
            settings=dict(d.get("settings") or {}),
            diagnostics=dict(d.get("diagnostics") or {}),
            synthetic=bool(d.get("synthetic", False)),
        )

    def __str__(self) -> str:
        return self.summary().as_text()


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentedCount:
    """How many distinct people the lists name.  A count, not an estimate: it has no interval."""

    stratum: tuple[tuple[str, str], ...] = ()
    lists: tuple[str, ...]
    count: int
    per_list: Mapping[str, int] = field(default_factory=dict)
    synthetic: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "per_list", MappingProxyType(dict(self.per_list)))
        if self.count < 0:
            raise ValueError("a documented count cannot be negative")

    @classmethod
    def of(cls, histories: CaptureHistories) -> DocumentedCount:
        """The documented count of a :class:`CaptureHistories`."""
        return cls(
            stratum=histories.stratum,
            lists=histories.lists,
            count=histories.observed,
            per_list=histories.list_totals(),
            synthetic=histories.synthetic,
        )

    def summary(self) -> Summary:
        rows = (("Documented persons", f"{self.count:,}"),) + tuple(
            (f"  on {k}", f"{v:,}") for k, v in self.per_list.items()
        )
        return Summary(
            title="Documented count (not an estimate)",
            header=(("Stratum", _stratum_text(self.stratum)), ("Lists", ", ".join(self.lists))),
            rows=rows,
            banner="SYNTHETIC DATA" if self.synthetic else None,
        )

    def summary_wordings(self) -> WordedSummary:
        """The :meth:`summary` as wordings."""
        return WordedSummary(
            title=_w("documented_title"),
            header=((_w("stratum"), Wording.stratum(self.stratum)),
                    (_w("lists"), _w("names", names=tuple(self.lists)))),
            rows=((_w("documented_persons"), _w("count", value=int(self.count))),
                  *((_w("on_list", name=k), _w("count", value=int(v)))
                    for k, v in self.per_list.items())),
            banner=SYNTHETIC_BANNER if self.synthetic else None)

    def to_dict(self) -> dict[str, Any]:
        return _json_dict(
            {
                "kind": "documented_count",
                "stratum": [list(p) for p in self.stratum],
                "lists": list(self.lists),
                "count": self.count,
                "per_list": dict(self.per_list),
                "synthetic": self.synthetic,
            }
        )

    def __str__(self) -> str:
        return self.summary().as_text()
