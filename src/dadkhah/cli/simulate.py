"""``dadkhah simulate``: SYNTHETIC scenarios with ground truth, written to a folder."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from dadkhah.cli._choices import SCENARIOS, choice
from dadkhah.cli._common import JsonOption, console, handle_errors, print_json


@handle_errors
def simulate(
    scenario: str = typer.Option("small", "--scenario", "-s", callback=choice(SCENARIOS),
                                 help="small, medium, large, stress or independent."),
    seed: int = typer.Option(1, "--seed", help="Same seed, same files (byte for byte)."),
    out: Path = typer.Option(..., "--out", "-o", help="Folder for the files (new or empty, "
                                                      "or a previous simulation's)."),
    persons: int | None = typer.Option(None, "--persons", "-n",
                                          help="True number of victims (overrides the "
                                               "scenario's)."),
    config: Path | None = typer.Option(None, "--config", "-c",
                                       help="TOML file (or a manifest JSON) changing the "
                                            "scenario's parameters."),
    json_out: bool = JsonOption,
) -> None:
    """Write a SYNTHETIC population's source lists, truth file and capture histories."""
    from dadkhah.simulate import run_scenario

    if json_out:
        _, man = run_scenario(scenario, out, seed=seed, persons=persons, config_file=config)
        print_json({k: man[k] for k in ("synthetic", "notice", "scenario", "seed",
                                        "true_total", "observed_persons", "files")}
                   | {"folder": str(out),
                      "lists": [{k: x[k] for k in ("id", "file", "format", "encoding",
                                                   "records", "persons", "duplicates")}
                                for x in man["lists"]]})
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("simulating", total=None)
        _sim, man = run_scenario(
            scenario, out, seed=seed, persons=persons, config_file=config,
            progress=lambda step, done, total: bar.update(task, description=step,
                                                          completed=done, total=total))
    console.print(f"SYNTHETIC scenario {man['scenario']!r}, seed {seed}: {man['true_total']:,} "
                  f"persons (the true total); {man['observed_persons']:,} on at least one "
                  f"list.", soft_wrap=True)
    for x in man["lists"]:
        console.print(f"  {x['file']:<34} {x['format']:<4} {x['encoding'] or '':<9} "
                      f"{x['records']:>9,} records, {x['persons']:>9,} persons, "
                      f"{x['duplicates']:,} duplicates", soft_wrap=True, markup=False)
    console.print(f"  truth: {man['files']['truth']}; capture histories: "
                  f"{man['files']['capture_histories']}; manifest in {out}", soft_wrap=True,
                  markup=False)


def register(app: typer.Typer) -> None:
    app.command("simulate")(simulate)
