"""Any combination of list styles gives files that import cleanly and read back exactly."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dadkhah.ingest import import_file
from dadkhah.simulate import ErrorProfile, ListSpec, SimulationConfig, simulate, write_simulation
from dadkhah.simulate.config import LIST_FIELDS
from dadkhah.store import Case
from tests.simulate.conftest import read_list

rates = st.floats(0.0, 0.6)
fields = st.lists(st.sampled_from([f for f in LIST_FIELDS if f != "name"]), unique=True,
                  max_size=6).map(lambda fs: ("name", *fs))
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1256"])


@st.composite
def list_specs(draw):
    fmt = draw(st.sampled_from(["csv", "xlsx"]))
    return ListSpec(
        id="x", title="Property list (SYNTHETIC)", kind="other",
        capture=(draw(st.floats(0.2, 1.0)), draw(st.floats(0.0, 1.0))),
        script=draw(st.sampled_from(["persian", "latin", "mixed"])),
        romanisation=draw(st.sampled_from(["preferred", "habit"])),
        zwnj=draw(st.sampled_from(["keep", "space", "join"])),
        order=draw(st.sampled_from(["random", "name", "date"])),
        calendar=draw(st.sampled_from(["jalali", "gregorian"])),
        date_style=draw(st.sampled_from(["numeric", "text"])),
        digits=draw(st.sampled_from(["persian", "ascii"])),
        name_layout=draw(st.sampled_from(["split", "full"])),
        fields=draw(fields), header_language=draw(st.sampled_from(["fa", "en"])),
        file_format=fmt, encoding=draw(encodings) if fmt == "csv" else "utf-8",
        errors=ErrorProfile(**{k: draw(rates) for k in (
            "typo", "ocr", "drop_middle_name", "initials", "swap_order", "missing_father",
            "age_for_birth_year", "date_shift", "date_partial", "wrong_prison", "romanisation",
            "missing_field", "duplicate")}),
    )


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=list_specs(), seed=st.integers(0, 2**31))
def test_any_style_imports_cleanly(spec: ListSpec, seed: int) -> None:
    sim = simulate(SimulationConfig(persons=150, lists=(spec,)), seed=seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sim"
        man = write_simulation(sim, folder)
        entry = man["lists"][0]
        rows = read_list(folder / entry["file"], entry["encoding"])
        assert [tuple(r) for r in rows[1:]] == list(sim.lists[0].rows())
        with Case.create(Path(tmp) / "case") as case:
            case.add_source(slug="x", title="x", kind="other", synthetic=True)
            rep = import_file(case, folder / entry["file"], source="x")
        assert rep.rows_imported == sim.lists[0].size and rep.rows_rejected == 0
