"""The latest estimates of the total, stored so the dashboard never refits a model.

:func:`compute_estimates` fits each method on the register's capture histories and stores the
results against the latest linkage run; :func:`latest_estimates` reads those of the latest
run (an estimate of an older register is shown as out of date, not hidden).

Each estimate is stored whole (:meth:`dadkhah.estimate.Estimate.to_dict`: stratum, lists,
interval kind, assumptions, settings, diagnostics) and read back as an
:class:`~dadkhah.estimate.Estimate` in :attr:`EstimateRow.estimate`; only posterior draws are
summarised.  Rows stored before migration 0007 have no ``estimate`` and still read.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import Connection, func, insert, select

from dadkhah.errors import Wording
from dadkhah.estimate import Estimate
from dadkhah.register.copies import CopiedLists, copied_lists
from dadkhah.store import Case
from dadkhah.store.audit import append, now_utc
from dadkhah.store.tables import LinkRun, StoredEstimate

DEFAULT_METHODS = ("loglinear", "lcmcr")


@dataclass(frozen=True)
class EstimateRow:
    """A stored estimate: ``total`` with its interval at ``level``; ``observed`` is the
    documented count it rests on (never to be shown as the estimate).  ``notes`` are the
    estimate's notes and the warnings its fit raised.  ``estimate`` is the estimate as
    fitted, whole (None for one stored before migration 0007).  ``wordings``: a note's
    :class:`~dadkhah.errors.Wording` by its text, for an interface to say it in its
    reader's language (a note without one is said as it is)."""

    method: str
    run_id: int | None
    observed: int
    total: float
    low: float
    high: float
    level: float
    synthetic: bool
    notes: list[str]
    computed_at: str
    computed_by: str
    current: bool  # made from the latest linkage run
    estimate: Estimate | None = None
    wordings: Mapping[str, Wording] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict; ``estimate`` as :meth:`dadkhah.estimate.Estimate.to_dict`."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["notes"] = list(self.notes)
        d["estimate"] = self.estimate.to_dict() if self.estimate is not None else None
        d["wordings"] = {n: w.to_dict() for n, w in self.wordings.items()}
        return d


def latest_run_id(conn: Connection) -> int | None:
    """The latest linkage run's id (None before the first), read through ``conn``."""
    return conn.execute(select(func.max(LinkRun.id))).scalar()


def compute_estimates(case: Case, *, methods: tuple[str, ...] = DEFAULT_METHODS,
                      by: str, seed: int = 1, linkage_draws: int = 0,
                      cluster: Any = None, features: Any = None,
                      merge_copies: bool = True) -> list[EstimateRow]:
    """Fit each of ``methods`` on the register's capture histories and store the results.

    ``linkage_draws`` > 0 (with ``cluster``, :func:`dadkhah.linkage.cluster.cluster_records`):
    each method is pooled over that many registers drawn from the linkage's uncertainty
    (:mod:`dadkhah.register.linkage_draws`); the stored estimate's diagnostics keep the
    fixed register's interval (``fixed_low``, ``fixed_high``) and ``linkage_share``.
    ``features``: :func:`dadkhah.linkage.features.compute_features`, so the draws apply the
    clustering's sibling guard and consistency checks as the register did (recommended; this
    package cannot import :mod:`dadkhah.linkage` itself).  ``merge_copies``: a list the case
    records as copying another is counted together with it (:func:`copied_lists`), and the
    stored notes say so."""
    from dadkhah.estimate import estimate_total
    from dadkhah.register.persons import register_histories

    fitted: dict[str, Any] = {}
    caveats: dict[str, list[str]] = {}
    worded: dict[str, dict[str, Wording]] = {}
    copied = copied_lists(case) if merge_copies else CopiedLists()
    hist = register_histories(case)
    said = copied.notes(hist.lists)
    said_wordings = copied.wordings(hist.lists)
    if linkage_draws > 0:
        if cluster is None:
            raise ValueError("linkage_draws needs cluster "
                             "(dadkhah.linkage.cluster.cluster_records)")
        from dadkhah.estimate import make_estimator
        from dadkhah.register.linkage_draws import estimate_over_draws, linkage_uncertainty

        unc = linkage_uncertainty(case, features=features)
        drawn = unc.drawn_histories(linkage_draws, seed=seed, cluster=cluster)
        for method in methods:
            opts: dict[str, Any] = ({"samples": max(500, 10_000 // linkage_draws),
                                     "burnin": 2_000} if method == "lcmcr" else {})
            fit = make_estimator(method, seed=seed, **opts)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fitted[method] = estimate_over_draws(
                    unc, fit, n=linkage_draws, seed=seed, drawn=drawn,
                    prepare=copied.apply).estimate
            caveats[method] = [*said, *dict.fromkeys(str(w.message) for w in caught)]
            worded[method] = {**said_wordings, **_wordings(caught)}
        return store_estimates(case, fitted, by=by, caveats=caveats, wordings=worded)
    hist = copied.apply(hist)
    for method in methods:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fitted[method] = estimate_total(hist, method=method, seed=seed)
        caveats[method] = [*said, *(str(w.message) for w in caught)]
        worded[method] = {**said_wordings, **_wordings(caught)}
    return store_estimates(case, fitted, by=by, caveats=caveats, wordings=worded)


def _wordings(caught: list[warnings.WarningMessage]) -> dict[str, Wording]:
    """Each caught warning's wording (:class:`~dadkhah.errors.DadkhahWarning`), by its
    text: the text is what the notes keep."""
    return {str(w.message): wording for w in caught
            if (wording := getattr(w.message, "wording", None)) is not None}


def store_estimates(case: Case, estimates: dict[str, Estimate], *, by: str,
                    caveats: dict[str, list[str]] | None = None,
                    wordings: Mapping[str, Mapping[str, Wording]] | None = None
                    ) -> list[EstimateRow]:
    """Store already fitted estimates (method → :class:`dadkhah.estimate.Estimate`), each
    whole, against the latest linkage run, in one transaction with its audit entry.
    ``caveats`` (method → warnings its fit raised) are kept with the estimate's notes, and
    ``wordings`` (method → a note's text → its :class:`~dadkhah.errors.Wording`) with them,
    so an interface can say each note in its reader's language."""
    rows = []
    for method, est in estimates.items():
        notes = list(dict.fromkeys([*(str(n) for n in est.notes),
                                    *(caveats or {}).get(method, [])]))
        rows.append({"method": method, "observed": int(est.observed),
                     "total": float(est.total), "low": float(est.interval.low),
                     "high": float(est.interval.high), "level": float(est.level),
                     "synthetic": bool(est.synthetic),
                     "notes": json.dumps(_notes_column(notes, (wordings or {}).get(method)),
                                         ensure_ascii=False),
                     "estimate": json.dumps(est.to_dict(), ensure_ascii=False)})
    with case.write() as conn:
        run_id = latest_run_id(conn)
        at = now_utc()
        for r in rows:
            conn.execute(insert(StoredEstimate).values(
                run_id=run_id, computed_at=at, computed_by=by, **r))
        append(conn, by=by, action="estimate.store", target=f"link_run:{run_id}",
               details={"run_id": run_id, "totals": {r["method"]: r["total"] for r in rows}})
    return latest_estimates(case)


def latest_estimates(case: Case) -> list[EstimateRow]:
    """The newest stored estimate of each method."""
    with case.read() as conn:
        run = latest_run_id(conn)
        newest = (select(StoredEstimate.method, func.max(StoredEstimate.id).label("id"))
                  .group_by(StoredEstimate.method).subquery())
        rows = conn.execute(select(StoredEstimate.__table__)
                            .join(newest, newest.c.id == StoredEstimate.id)
                            .order_by(StoredEstimate.method)).all()
    return [EstimateRow(method=r.method, run_id=r.run_id, observed=r.observed, total=r.total,
                        low=r.low, high=r.high, level=r.level, synthetic=bool(r.synthetic),
                        notes=_notes(r.notes), wordings=_notes_wordings(r.notes),
                        computed_at=r.computed_at,
                        computed_by=r.computed_by, current=r.run_id == run,
                        estimate=Estimate.from_dict(json.loads(r.estimate))
                        if r.estimate else None)
            for r in rows]


def _notes_column(notes: list[str], wordings: Mapping[str, Wording] | None) -> Any:
    """What the ``notes`` column keeps: the list of notes, or, when some have a wording,
    ``{"notes": [...], "wordings": {text: wording}}`` (no migration: a list is what rows
    stored before wordings hold, and still read)."""
    kept = {n: w.to_dict() for n, w in (wordings or {}).items() if n in notes}
    return {"notes": notes, "wordings": kept} if kept else notes


def _notes(column: str) -> list[str]:
    data = json.loads(column)
    return list(data["notes"] if isinstance(data, dict) else data)


def _notes_wordings(column: str) -> dict[str, Wording]:
    data = json.loads(column)
    if not isinstance(data, dict):
        return {}
    return {n: Wording.from_dict(w) for n, w in data.get("wordings", {}).items()}
