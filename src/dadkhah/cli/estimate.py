"""``dadkhah estimate``: population size from a capture-history table."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from dadkhah.cli._choices import (
    BOUNDARIES,
    CRITERIA,
    ESTIMATE_METHODS,
    choice,
    interval_level,
    metavar,
)
from dadkhah.cli._common import (
    JsonOption,
    console,
    handle_errors,
    print_json,
    say,
    user_language,
)
from dadkhah.errors import ConfigError

if TYPE_CHECKING:  # imported inside the command at run time, to keep --help fast
    from dadkhah.estimate import CaptureHistories, Estimate, LinkageQuality, WordedSummary
    from dadkhah.register import CopiedLists, ImputedStrata
    from dadkhah.store import Case

LINKAGE_MODES = ("propagate", "fixed")


@handle_errors
def estimate(
    histories: Path | None = typer.Option(
        None, "--histories", "-H", exists=True, dir_okay=False,
        help="Capture-history CSV: one 0/1 column per list, a 'count' column, "
        "optional stratum columns.",
    ),
    method: str = typer.Option(
        "loglinear", "--method", "-m", callback=choice(ESTIMATE_METHODS),
        metavar=metavar(ESTIMATE_METHODS), help="Estimator.",
    ),
    by: list[str] = typer.Option(
        [], "--by", help="Stratum column (repeatable); estimates per stratum and combined."
    ),
    boundaries: str = typer.Option(
        "1988", "--boundaries", callback=choice(BOUNDARIES), metavar=metavar(BOUNDARIES),
        help="Register, --by province: the provinces in force in 1988 (default) or today's.",
    ),
    keep_unknown: bool = typer.Option(
        False, "--keep-unknown",
        help="Register, --by: keep persons with a missing stratum value in an 'unknown' "
        "stratum instead of imputing it.",
    ),
    imputations: int = typer.Option(
        20, "--imputations", min=1,
        help="Register, --by: number of multiple imputations of missing stratum values.",
    ),
    lists: str | None = typer.Option(
        None, "--lists", help="Comma-separated lists to use (default: all list columns)."
    ),
    merge: list[str] = typer.Option(
        [], "--merge-lists", metavar="A+B",
        help="Count lists that copy one another as one list: 'ngo_a+ngo_b' (repeatable). "
        "A copied list is direct dependence no estimator here models; merged, a person "
        "named by any of them counts as named by one list.",
    ),
    keep_copies: bool = typer.Option(
        False, "--keep-copies",
        help="Register: count lists the case records as copying another (dadkhah source "
        "edit --copies) apart, instead of together with the list they copy (the default).",
    ),
    level: float = typer.Option(0.95, "--level", callback=interval_level,
                               help="Interval level, between 0 and 1."),
    seed: int | None = typer.Option(None, "--seed", help="Seed for Bayesian methods."),
    criterion: str = typer.Option("bic", "--criterion", callback=choice(CRITERIA),
                                  metavar=metavar(CRITERIA),
                                  help="loglinear, closed: model selection criterion."),
    max_order: int = typer.Option(2, "--max-order", help="loglinear: highest interaction."),
    average: bool = typer.Option(False, "--average", help="loglinear: model-average."),
    samples: int | None = typer.Option(None, "--samples", help="lcmcr: draws per chain."),
    burnin: int | None = typer.Option(None, "--burnin", help="lcmcr: burn-in per chain."),
    chains: int | None = typer.Option(None, "--chains", help="lcmcr: number of chains."),
    linkage: str = typer.Option(
        "propagate", "--linkage", callback=choice(LINKAGE_MODES),
        metavar=metavar(LINKAGE_MODES),
        help="Register: 'propagate' (default) estimates on --draws registers drawn from the "
        "linkage's pair probabilities (reviewers' decisions respected) and pools them; "
        "'fixed' takes the register as certain.",
    ),
    draws: int = typer.Option(
        20, "--draws", min=1, help="Register, --linkage propagate: registers to draw."),
    sensitivity: bool = typer.Option(
        False, "--sensitivity",
        help="Also fit the defensible alternatives (LCMCR K and priors, log-linear AIC/BIC/"
        "averaged, DGA priors, each list left out) and show them side by side.",
    ),
    tolerance: float = typer.Option(
        0.25, "--tolerance", min=0.0,
        help="Largest relative difference between models' totals that still allows one "
        "headline number.",
    ),
    synthetic: bool = typer.Option(
        False, "--synthetic", help="Mark the data as synthetic (adds a banner)."
    ),
    true_total: int | None = typer.Option(
        None, "--true-total",
        help="For synthetic data only: the simulator's true total, printed beside the estimate.",
    ),
    as_json: bool = JsonOption,
) -> None:
    """Estimate how many people were killed, including those no list names.

    Reads a capture-history CSV (--histories), or the case's register of persons when no
    CSV is given (after `dadkhah link`); from the register, a list the case records as
    copying another is counted together with it (--keep-copies: apart; --merge-lists names
    the groups instead); --by names stratum columns (for the register:
    prison, city, province, sex, month).  From the register, provinces are those of 1988
    (--boundaries today for today's), and missing stratum values are multiply imputed and
    the estimates combined (--keep-unknown keeps an 'unknown' stratum instead).

    From the register, the linkage's uncertainty is carried into the interval (--linkage
    fixed: not; with --by, each drawn register gets its own imputation of missing stratum
    values, and all are pooled), and (without --by) a second model is fitted as a
    cross-check.  One
    headline number is printed only when the chains agree, the models agree within
    --tolerance and the register's audited precision and recall are good; otherwise the
    range of defensible answers and the reasons.
    """
    from dadkhah.estimate import (
        CaptureHistories,
        DocumentedCount,
        StratifiedEstimate,
        combine_imputations,
        estimate_total,
        judge_headline,
    )
    from dadkhah.estimate import sensitivity as sensitivity_view

    imputed = None
    propagate = histories is None and not by and linkage == "propagate"
    # --by on the register: each drawn register's strata imputed and all pooled
    propagate_by = histories is None and bool(by) and linkage == "propagate" \
        and not keep_unknown
    # (message key of the catalogue, or the library's own words by language; values):
    # said in the user's language too (say)
    notes: list[tuple[str | Callable[[str], str], dict[str, Any]]] = []
    if histories is None:
        if by and keep_unknown and linkage == "propagate":
            notes.append(("cli_estimate.keep_unknown_fixed", {}))
        if by and not keep_unknown:
            replicas, imputed = _register_imputed(by, imputations, seed, boundaries)
            h = replicas[0]
        else:
            h = _register_histories(by, boundaries)
    else:
        h = CaptureHistories.from_csv(histories, by=by, synthetic=synthetic)
    if true_total is not None and not h.synthetic:
        raise ConfigError(
            "--true-total is only meaningful for synthetic data.",
            hint="Add --synthetic, or drop --true-total: for real data nobody knows the total.",
        )
    keep = [x.strip() for x in lists.split(",") if x.strip()] if lists else None
    if keep:
        h = h.select(keep)
        if imputed is not None:
            replicas = [r.select(keep) for r in replicas]
    groups = _merge_groups(merge)
    if not groups and histories is None and not keep_copies:
        copied = _case_copies()
        groups = copied.groups(h.lists)
        notes += [(partial(copied.sentence, c), {}) for c in copied.acting(h.lists)]
    if groups:
        try:
            h = h.merge_lists(groups)
        except ValueError as exc:  # a list the histories do not have, or in two groups
            raise ConfigError(f"--merge-lists: {exc}.",
                              hint="Name lists as the histories name them: "
                                   + ", ".join(h.lists)) from exc
        if imputed is not None:
            replicas = [r.merge_lists(groups) for r in replicas]
    options: dict[str, object] = {}
    if method == "loglinear":
        options = {"criterion": criterion, "max_order": max_order, "average": average}
    elif method == "closed":
        options = {"criterion": criterion}
    elif method == "lcmcr":
        options = {
            k: v for k, v in
            {"samples": samples, "burnin": burnin, "chains": chains}.items() if v is not None
        }
    propagated = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if propagate:
            propagated = _propagate(method, level, seed, options, draws, keep, groups)
            result: Any = propagated.estimate
        elif propagate_by:
            result = _propagate_by(by, boundaries, method, level, seed, options, draws,
                                   imputations, keep, groups)
            notes.append(("cli_estimate.propagated_by", {"draws": draws}))
        elif imputed is None:
            result = estimate_total(h, method=method, level=level, seed=seed, **options)
        else:
            runs = [estimate_total(r, method=method, level=level, seed=seed, **options)
                    for r in replicas]
            result = combine_imputations(runs, level=level,  # type: ignore[arg-type]
                                         seed=0 if seed is None else seed,
                                         imputed=imputed.imputed)
    pooled = h.pooled() if h.strata is not None else h
    sens = None
    if sensitivity:
        sens = sensitivity_view(pooled, level=level, seed=1 if seed is None else seed)
    headline = None
    main = result.combined if isinstance(result, StratifiedEstimate) else result
    if main is not None:
        alternatives = sens.estimates() if sens is not None else []
        if histories is None and not by and sens is None:
            alternatives = _cross_check(pooled, method, level, seed)
        quality = _register_quality(level) if histories is None else None
        headline = judge_headline(main, alternatives=alternatives, quality=quality,
                                  quality_required=histories is None, tolerance=tolerance)
    documented = DocumentedCount.of(pooled)
    if as_json:
        out = (propagated or result).to_dict()
        out["documented"] = documented.to_dict()
        out["histories"] = str(histories) if histories is not None else "register"
        out["headline"] = headline.to_dict() if headline is not None else None
        if sens is not None:
            out["sensitivity"] = sens.to_dict()
        if groups:
            out["merged_lists"] = groups
        if notes:
            out["cli_notes"] = [say(key, "en", **values)[0] for key, values in notes]
        if true_total is not None:
            out["true_total_synthetic"] = true_total
        print_json(out)
        return
    lang = user_language()
    console.print(documented.summary().as_text(), markup=False, soft_wrap=True)
    _table_in(lang, documented.summary_wordings())
    console.print("")
    console.print((propagated or result).summary().as_text(), markup=False, soft_wrap=True)
    _table_in(lang, (propagated or result).summary_wordings())
    # the footnotes' English is in the summary: only the reader's language is added (an
    # estimator's note is a warning too, said in the reader's language on stderr)
    worded = result.footnote_wordings()
    for note, wording in worded.items():
        if isinstance(result, StratifiedEstimate) or note not in result.notes:
            for line in say(wording, lang)[1:]:
                console.print(line, markup=False, soft_wrap=True)
    if sens is not None:
        console.print("")
        console.print(sens.summary().as_text(), markup=False, soft_wrap=True)
        _table_in(lang, sens.summary_wordings())
        # the footnotes' English is in the summary: only the reader's language is added
        for wording in sens.footnote_wordings():
            for line in say(wording, lang)[1:]:
                console.print(line, markup=False, soft_wrap=True)
    if headline is not None:
        console.print("")
        # the library's English, then the same in the reader's language
        for line in [headline.text(), *say(headline.wording(), lang)[1:]]:
            console.print(line, markup=False, soft_wrap=True,
                          style="bold" if headline.refused else None)
    lines = [line for key, values in notes
             for line in say(key, lang, frame="cli_estimate.note", **values)]
    if true_total is not None:
        lines += say("cli_estimate.true_total", lang, total=true_total)
    for line in lines:
        console.print(line, markup=False, soft_wrap=True)
    notes_said = getattr(result, "notes", ())
    once: dict[str, Warning | str] = {}  # a warning once, however many fits warned it
    for w in caught:
        once.setdefault(str(w.message), w.message)
    for text, warning in once.items():
        for line in _warning_lines(warning, lang, any(text in n for n in notes_said)):
            typer.echo(line, err=True)


def _table_in(lang: str, worded: WordedSummary) -> None:
    """For a reader of another language than English, a summary's table again in theirs
    (title, header and rows; its footnotes follow in their language), under the English."""
    from dadkhah.web.i18n import render_wording

    if lang != "en":
        console.print(worded.render(lambda w: render_wording(lang, w)).as_text(),
                      markup=False, soft_wrap=True)


def _warning_lines(warning: Warning | str, lang: str, in_notes: bool) -> list[str]:
    """A warning for stderr: the estimator's own English, then for a reader of Persian
    the catalogue's Persian (its English words when it has no
    :class:`~dadkhah.errors.Wording`).  One among the summary's footnotes has its English
    there already: only the other language is added."""
    from dadkhah.web.i18n import render_wording

    text, wording = str(warning), getattr(warning, "wording", None)
    if in_notes and wording is None:
        return []

    def words(lang_: str) -> str:
        return text if lang_ == "en" or wording is None else render_wording(lang_, wording)

    lines = say(words, lang, frame="cli_estimate.warning")
    return lines[1:] if in_notes else lines


def _merge_groups(values: list[str]) -> dict[str, list[str]]:
    """``--merge-lists`` values ('a+b') as CaptureHistories.merge_lists groups."""
    groups: dict[str, list[str]] = {}
    for v in values:
        parts = [x.strip() for x in v.split("+") if x.strip()]
        if len(parts) < 2:
            raise ConfigError(f"--merge-lists {v!r} names fewer than two lists.",
                              hint="Join the lists that copy one another with +: "
                                   "--merge-lists ngo_a+ngo_b")
        groups["+".join(parts)] = parts
    return groups


def _propagate(method: str, level: float, seed: int | None, options: dict[str, object],
               draws: int, keep: list[str] | None,
               groups: dict[str, list[str]] | None = None) -> Any:
    """The method on ``draws`` registers drawn from the case's linkage, pooled."""
    from dadkhah.estimate import make_estimator
    from dadkhah.linkage.cluster import cluster_records
    from dadkhah.register import linkage_uncertainty
    from dadkhah.register.linkage_draws import estimate_over_draws

    opts = dict(options)
    if method == "lcmcr":
        # equally many pooled draws as one default run: shorter chains per register
        opts.setdefault("samples", max(500, 10_000 // draws))
        opts.setdefault("burnin", 2_000)
    fit = make_estimator(method, level=level, seed=seed, **opts)
    with _open_case() as case:
        from dadkhah.linkage.features import compute_features

        unc = linkage_uncertainty(case, features=compute_features)

    def prepare(h: CaptureHistories) -> CaptureHistories:
        h = h.select(keep) if keep else h
        return h.merge_lists(groups) if groups else h

    with console.status(f"estimating on {draws} drawn registers…") as status:
        # the model chosen on the register is fitted to every drawn register (same_model)
        return estimate_over_draws(
            unc, fit, n=draws, seed=0 if seed is None else seed, cluster=cluster_records,
            prepare=prepare,
            progress=lambda i, n: status.update(f"estimating on drawn register {i} of {n}…"))


def _propagate_by(by: list[str], boundaries: str, method: str, level: float,
                  seed: int | None, options: dict[str, object], draws: int, imputations: int,
                  keep: list[str] | None, groups: dict[str, list[str]] | None) -> Any:
    """The method per stratum on ``draws`` registers drawn from the case's linkage, each
    with its own ceil(``imputations`` / ``draws``) imputations of missing stratum values,
    all pooled (:func:`dadkhah.register.linkage_draws.stratified_over_draws`)."""
    from dadkhah.access import INTERNAL
    from dadkhah.estimate import make_estimator
    from dadkhah.linkage.cluster import cluster_records
    from dadkhah.linkage.features import compute_features
    from dadkhah.register import linkage_uncertainty, person_lists
    from dadkhah.register.linkage_draws import drawn_strata, stratified_over_draws

    opts = dict(options)
    if method == "lcmcr":
        opts.setdefault("samples", max(500, 10_000 // draws))
        opts.setdefault("burnin", 2_000)
    fit = make_estimator(method, level=level, seed=seed, **opts)
    s = 0 if seed is None else seed
    with _open_case() as case:
        unc = linkage_uncertainty(case, features=compute_features)
        frame, slugs = person_lists(case, by=tuple(by), boundaries=boundaries)
        used = [x for x in slugs if frame[x].sum() > 0]
        synthetic = all(src.synthetic for src in case.sources(INTERNAL) if src.slug in used)

    def prepare(h: CaptureHistories) -> CaptureHistories:
        h = h.select(keep or used)
        return h.merge_lists(groups) if groups else h

    with console.status(f"estimating by stratum on {draws} drawn registers…") as status:
        frames = drawn_strata(unc, frame, by,
                              unc.draw(draws, seed=s, cluster=cluster_records))
        return stratified_over_draws(
            frames, list(unc.lists), by, fit, imputations=max(1, -(-imputations // draws)),
            seed=s, synthetic=synthetic, level=level, prepare=prepare,
            progress=lambda i, n: status.update(f"estimating on drawn register {i} of {n}…"))


def _cross_check(h: CaptureHistories, method: str, level: float,
                 seed: int | None) -> list[Estimate]:
    """A second defensible model on the same histories (log-linear for LCMCR, quick LCMCR
    otherwise); empty when it cannot be fitted."""
    from dadkhah.errors import DadkhahError
    from dadkhah.estimate import LCMCR, LogLinear
    from dadkhah.estimate.sensitivity import QUICK_LCMCR

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if method != "loglinear":
                return [LogLinear(level=level).fit(h)]
            return [LCMCR(level=level, seed=1 if seed is None else seed, **QUICK_LCMCR).fit(h)]
        except DadkhahError:
            return []


def _register_quality(level: float) -> LinkageQuality | None:
    """The register's precision and recall from its latest audit sample (None if none)."""
    from dadkhah.register import audit_progress

    with _open_case() as case:
        prog = audit_progress(case, level=level)
    if prog is None or not prog.current:
        return None
    return prog.stored or prog.quality


def _case_copies() -> CopiedLists:
    """The lists the case records as copying others (``dadkhah source edit --copies``)."""
    from dadkhah.register import copied_lists

    with _open_case() as case:
        return copied_lists(case)


def _register_histories(by: list[str], boundaries: str = "1988") -> CaptureHistories:
    """Capture histories from the case's register of persons (needs ``dadkhah link``)."""
    from dadkhah.register import register_histories

    with _open_case() as case:
        return register_histories(case, by=tuple(by), boundaries=boundaries)


def _register_imputed(by: list[str], m: int, seed: int | None,
                      boundaries: str) -> tuple[list[CaptureHistories], ImputedStrata]:
    """M capture histories from the register with missing stratum values imputed."""
    from dadkhah.register import imputed_histories

    with _open_case() as case:
        return imputed_histories(case, by=tuple(by), m=m, seed=0 if seed is None else seed,
                                 boundaries=boundaries)


def _open_case() -> Case:
    """The chosen case, read-only (with a hint when none is chosen)."""
    from dadkhah.cli._common import case_location
    from dadkhah.store import Case

    try:
        loc = case_location()
    except ConfigError as exc:
        raise ConfigError(
            "No capture histories given and no case chosen.",
            hint="Pass --histories FILE.csv, or choose a linked case with --case PATH "
            "to estimate from its register of persons.",
        ) from exc
    return Case.open(loc, read_only=True)


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)
