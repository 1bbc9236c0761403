"""``dadkhah report`` and the exports for other tools (``dadkhah export register|histories|
every-casualty``)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

import typer

from dadkhah.cli._choices import (
    ESTIMATE_METHODS,
    REGISTER_FORMATS,
    choice,
    fold_format,
    interval_level,
    metavar,
)
from dadkhah.cli._common import (
    JsonOption,
    case_location,
    console,
    current_user,
    handle_errors,
    print_result,
)
from dadkhah.cli._common import open_case as _case
from dadkhah.cli.restrict import IncludeRestrictedOpt, RoleOpt, cli_viewer
from dadkhah.errors import ConfigError


def _split(values: list[str]) -> list[str]:
    return [x.strip() for v in values for x in v.split(",") if x.strip()]


def _default_out(name: str, option: str = "--output") -> Path:
    from dadkhah.store import is_server_url

    loc = case_location()
    if is_server_url(loc):
        raise ConfigError("The case is a database URL; there is no case folder to write to.",
                          hint=f"Pass {option} PATH.")
    return Path(loc) / name


def _output_option(what: str, default: str) -> Any:
    """The ``--output``/``-o`` option of an export: ``what`` to write, ``default`` the file
    name in the case folder when it is not given."""
    return typer.Option(None, "--output", "-o",
                        help=f"{what} to write (default: {default} in the case folder).")


def _command_line(out: Path, pdf: bool, by: list[str], methods: list[str],
                  stratum_methods: list[str], seed: int, level: float,
                  names: bool | None) -> str:
    """The command with every setting spelled out (defaults too), for the reproducibility
    block: what was typed may rely on defaults that a later version changes."""
    import shlex

    from dadkhah.cli._common import state

    parts = ["dadkhah", *(["--case", state.case] if state.case else []), "report",
             "--out", str(out), "--by", ",".join(by) or "none", "--method", ",".join(methods),
             "--stratum-method", ",".join(stratum_methods), "--seed", str(seed),
             "--level", str(level)]
    if names is not None:
        parts.append("--names" if names else "--no-names")
    if pdf:
        parts.append("--pdf")
    return shlex.join(parts)


@handle_errors
def report(
    out: Path | None = typer.Option(None, "--out", "-o",
                                       help="HTML file to write (default: report.html in the "
                                            "case folder)."),
    pdf: bool = typer.Option(False, "--pdf", help="Also print a PDF (headless Chromium)."),
    by: list[str] = typer.Option(["prison"], "--by",
                                 help="Strata to estimate by: prison, city, province, month, "
                                      "sex (comma-separated or repeated; 'none' for no "
                                      "strata)."),
    method: list[str] = typer.Option(["lcmcr", "loglinear"], "--method", "-m",
                                     callback=choice(ESTIMATE_METHODS, split=True),
                                     help="Estimators, the first is the headline "
                                          "(comma-separated or repeated)."),
    stratum_method: list[str] = typer.Option(
        ["loglinear"], "--stratum-method", callback=choice(ESTIMATE_METHODS, split=True),
        help="Estimators run per stratum (comma-separated or repeated). LCMCR per stratum "
             "is not run by default: its MCMC costs 3-5 s per stratum."),
    seed: int = typer.Option(1, "--seed", help="Seed for the Bayesian estimators."),
    level: float = typer.Option(0.95, "--level", callback=interval_level,
                               help="Interval level, between 0 and 1."),
    names: bool | None = typer.Option(None, "--names/--no-names",
                                         help="List documented persons by name (default: up "
                                              "to 10,000 persons)."),
    include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
    json_out: bool = JsonOption,
) -> None:
    """Write the casualty report of a linked case: one self-contained HTML file (and PDF),
    of what the --user may see (restricted records)."""
    from dadkhah.report import write_report
    from dadkhah.web.i18n import render_wording

    strata = [b for b in _split(by) if b != "none"]
    methods = _split(method)
    stratum_methods = _split(stratum_method)
    target = out or _default_out("report.html", "--out")
    with _case(read_only=True) as case, console.status("report…") as status:
        res = write_report(case, target, pdf=pdf, actor=current_user(), by=strata,
                           methods=methods,
                           stratum_methods=stratum_methods, seed=seed,
                           level=level, include_names=names,
                           command=_command_line(target, pdf, strata, methods,
                                                 stratum_methods, seed, level, names),
                           progress=lambda m: status.update(f"report: {m}"),
                           viewer=cli_viewer(include_restricted, role),
                           persian=partial(render_wording, "fa"))
    print_result(res, json_out)


@handle_errors
def export_register(
    fmt: str = typer.Option("csv", "--format", "-f",
                            callback=choice(REGISTER_FORMATS, fold=fold_format),
                            metavar=metavar(REGISTER_FORMATS), help="File format."),
    output: Path | None = _output_option("File", "register.FORMAT"),
    include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
    json_out: bool = JsonOption,
) -> None:
    """The register: one row per documented person, with the sources and records behind it
    (what the --user may see: restricted records)."""
    from dadkhah.report.exports import write_register

    target = output or _default_out(f"register.{fmt.lower()}")
    viewer = cli_viewer(include_restricted, role)
    with _case(read_only=True) as case:
        res = write_register(case, target, fmt=fmt, actor=current_user(), viewer=viewer)
    print_result(res, json_out)


@handle_errors
def export_histories(
    output: Path | None = _output_option("CSV", "histories.csv"),
    by: list[str] = typer.Option([], "--by", help="Stratum columns to add (prison, city, "
                                                  "province, month, sex)."),
    include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
    json_out: bool = JsonOption,
) -> None:
    """Capture histories (one 0/1 column per list, strata, count) for MSE software:
    `dadkhah estimate --histories`, Rcapture, LCMCR, dga."""
    from dadkhah.report.exports import write_histories

    target = output or _default_out("histories.csv")
    with _case(read_only=True) as case:
        res = write_histories(case, target, by=_split(by), actor=current_user(),
                              viewer=cli_viewer(include_restricted, role))
    print_result(res, json_out)


@handle_errors
def export_every_casualty(
    output: Path | None = _output_option("CSV", "every-casualty.csv"),
    type_of_death: str | None = typer.Option(None, "--type-of-death",
                                                help="Type of death for every person, when "
                                                     "the case establishes it (e.g. "
                                                     "execution)."),
    include_restricted: bool = IncludeRestrictedOpt, role: str | None = RoleOpt,
    json_out: bool = JsonOption,
) -> None:
    """Every Casualty Worldwide minimum fields, one row per documented person, with a
    .fields.csv that documents each column and its blanks."""
    from dadkhah.report.exports import write_every_casualty

    target = output or _default_out("every-casualty.csv")
    with _case(read_only=True) as case:
        res = write_every_casualty(case, target, type_of_death=type_of_death,
                                   actor=current_user(),
                                   viewer=cli_viewer(include_restricted, role))
    print_result(res, json_out)


def register(app: typer.Typer) -> None:
    from dadkhah.cli.case import export_app

    app.command("report")(report)
    export_app.command("register")(export_register)
    export_app.command("histories")(export_histories)
    export_app.command("every-casualty")(export_every_casualty)
