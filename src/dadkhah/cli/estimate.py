"""``dadkhah estimate``: population size from a capture-history table."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dadkhah.cli._choices import (
    BOUNDARIES,
    CRITERIA,
    ESTIMATE_METHODS,
    choice,
    interval_level,
    metavar,
)
from dadkhah.cli._common import JsonOption, console, handle_errors, print_json
from dadkhah.errors import ConfigError

if TYPE_CHECKING:  # imported inside the command at run time, to keep --help fast
    from dadkhah.estimate import CaptureHistories
    from dadkhah.register import ImputedStrata
    from dadkhah.store import Case


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
    CSV is given (after `dadkhah link`); --by names stratum columns (for the register:
    prison, city, province, sex, month).  From the register, provinces are those of 1988
    (--boundaries today for today's), and missing stratum values are multiply imputed and
    the estimates combined (--keep-unknown keeps an 'unknown' stratum instead).
    """
    from dadkhah.estimate import (
        CaptureHistories,
        DocumentedCount,
        combine_imputations,
        estimate_total,
    )

    imputed = None
    if histories is None:
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
    if lists:
        keep = [x.strip() for x in lists.split(",") if x.strip()]
        h = h.select(keep)
        if imputed is not None:
            replicas = [r.select(keep) for r in replicas]
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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if imputed is None:
            result = estimate_total(h, method=method, level=level, seed=seed, **options)
        else:
            runs = [estimate_total(r, method=method, level=level, seed=seed, **options)
                    for r in replicas]
            result = combine_imputations(runs, level=level,  # type: ignore[arg-type]
                                         seed=0 if seed is None else seed,
                                         imputed=imputed.imputed)
    documented = DocumentedCount.of(h.pooled())
    if as_json:
        out = result.to_dict()
        out["documented"] = documented.to_dict()
        out["histories"] = str(histories) if histories is not None else "register"
        if true_total is not None:
            out["true_total_synthetic"] = true_total
        print_json(out)
        return
    console.print(documented.summary().as_text(), markup=False, soft_wrap=True)
    console.print("")
    console.print(result.summary().as_text(), markup=False, soft_wrap=True)
    if true_total is not None:
        console.print(f"True total (synthetic data, known to the simulator): {true_total:,}")
    # notes are in the summary's footnotes already; other warnings go to stderr via typer
    for w in caught:
        if not any(str(w.message) in n for n in getattr(result, "notes", ())):
            typer.echo(f"Warning: {w.message}", err=True)


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
