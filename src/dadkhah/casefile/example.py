"""The 1988 example case file: public facts only, each attributed to its public source.

``examples/1988/`` is a case-file export folder written by hand (``casefile.json`` in the
format of :mod:`dadkhah.casefile.exchange`, and the small text files it uses as evidence:
notes written for this project that quote and cite public sources, labelled as such).
"""

from __future__ import annotations

from pathlib import Path

from dadkhah.casefile.exchange import ExchangeReport, import_casefile
from dadkhah.errors import ConfigError
from dadkhah.store import Case

EXAMPLE_DIR = Path(__file__).resolve().parents[3] / "examples" / "1988"
"""``examples/1988`` of a source checkout."""


def load_example(case: Case, *, by: str, role: str | None = None,
                 folder: str | Path | None = None,
                 evidence_dir: str | Path | None = None) -> ExchangeReport:
    """Import the 1988 example case file into ``case``."""
    where = Path(folder) if folder else EXAMPLE_DIR
    if not (where / "casefile.json").is_file():
        raise ConfigError(f"The 1988 example is not at {where}.",
                          hint="Run from a source checkout of dadkhah, or pass the folder "
                               "holding examples/1988/casefile.json.")
    return import_casefile(case, where, by=by, role=role, evidence_dir=evidence_dir)
