"""``dadkhah estimate``: population size from a capture-history table."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from dadkhah.cli._choices import CRITERIA, ESTIMATE_METHODS, choice, interval_level, metavar
from dadkhah.cli._common import JsonOption, console, handle_errors, print_json
from dadkhah.errors import ConfigError

if TYPE_CHECKING:  # imported inside the command at run time, to keep --help fast
    from dadkhah.estimate import CaptureHistories


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
    prison, city, province, sex, month).
    """
    from dadkhah.estimate import CaptureHistories, DocumentedCount, estimate_total

    if histories is None:
        h = _register_histories(by)
    else:
        h = CaptureHistories.from_csv(histories, by=by, synthetic=synthetic)
    if true_total is not None and not h.synthetic:
        raise ConfigError(
            "--true-total is only meaningful for synthetic data.",
            hint="Add --synthetic, or drop --true-total: for real data nobody knows the total.",
        )
    if lists:
        h = h.select([x.strip() for x in lists.split(",") if x.strip()])
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
        result = estimate_total(h, method=method, level=level, seed=seed, **options)
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


def _register_histories(by: list[str]) -> CaptureHistories:
    """Capture histories from the case's register of persons (needs ``dadkhah link``)."""
    from dadkhah.cli._common import case_location
    from dadkhah.register import register_histories
    from dadkhah.store import Case

    try:
        loc = case_location()
    except ConfigError as exc:
        raise ConfigError(
            "No capture histories given and no case chosen.",
            hint="Pass --histories FILE.csv, or choose a linked case with --case PATH "
            "to estimate from its register of persons.",
        ) from exc
    with Case.open(loc, read_only=True) as case:
        return register_histories(case, by=tuple(by))


def register(app: typer.Typer) -> None:
    app.command("estimate")(estimate)
