"""The demo: a fresh case from bundled synthetic data, through every stage that exists.

Each stage is a function ``stage(ctx) -> None`` appended to :data:`STAGES`; later
capabilities (normalisation, linkage, estimation, reports) add theirs.  Everything the
demo shows is SYNTHETIC and says so.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from dadkhah.store import Case

EXAMPLE_SOURCES = [
    # (slug, file, title, kind, reliability, script)
    ("families", "SYNTHETIC-families-list.csv", "Families' association list (SYNTHETIC)",
     "family_list", "B", "persian"),
    ("ngo", "SYNTHETIC-ngo-list.csv", "NGO list (SYNTHETIC)", "ngo_list", "B", "latin"),
    ("memoir", "SYNTHETIC-memoir.xlsx", "Prison memoir appendix (SYNTHETIC)", "memoir", "C",
     "persian"),
]


@dataclass
class DemoContext:
    location: Path
    case: Case
    say: Callable[[str], None]
    results: dict[str, Any] = field(default_factory=dict)


def stage_import(ctx: DemoContext) -> None:
    folder = resources.files("dadkhah.examples")
    ctx.say("[1] Import the bundled example lists (SYNTHETIC data)")
    for slug, fname, title, kind, grade, script in EXAMPLE_SOURCES:
        ctx.case.add_source(slug=slug, title=title, kind=kind, reliability=grade,
                            script=script, synthetic=True, actor="demo")
        with resources.as_file(folder.joinpath(fname)) as path:
            rep = ctx.case.import_file(path, source=slug, actor="demo")
        ctx.say(f"    {fname}: {rep.file_format}, {rep.encoding or 'no text encoding'}, "
                f"{rep.rows_imported} records, {rep.rows_rejected} rejected; mapping "
                f"{rep.mapping_origin}: " + ", ".join(rep.mapping))
    ctx.results["records"] = ctx.case.count_records()
    ctx.say(f"    {ctx.results['records']} source records in the case "
            f"(documented records, not persons: linkage has not run).")


def stage_audit(ctx: DemoContext) -> None:
    rep = ctx.case.verify_audit()
    ctx.say(f"[2] {rep.summary()}")
    ctx.results["audit_ok"] = rep.ok


STAGES: list[Callable[[DemoContext], None]] = [stage_import, stage_audit]


def run_demo(location: str | Path, *, say: Callable[[str], None] = print,
             replace: bool = True) -> dict[str, Any]:
    """Build a fresh demo case at ``location`` and run every stage; returns the results."""
    loc = Path(location)
    if loc.exists() and replace:
        if not (loc / "case.db").exists() and any(loc.iterdir()):
            from dadkhah.errors import ConfigError

            raise ConfigError(f"{loc} exists and is not a dadkhah case; not replacing it.",
                              hint="Choose another folder with --case.")
        shutil.rmtree(loc)
    say(f"dadkhah demo — SYNTHETIC data only; case at {loc}")
    with Case.create(loc, actor="demo") as case:
        ctx = DemoContext(loc, case, say)
        for stage in STAGES:
            stage(ctx)
    return ctx.results
