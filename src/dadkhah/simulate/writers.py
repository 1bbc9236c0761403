"""Files as documenters receive them, plus the ground truth, all marked SYNTHETIC.

Written into the output folder (every name starts with ``SYNTHETIC-``):

- one file per list: CSV (UTF-8, UTF-8 with BOM, UTF-16 or Windows-1256) or XLSX, headers in
  Persian or English, a notes column saying SYNTHETIC in every row (XLSX: also the document
  properties and a second sheet);
- ``SYNTHETIC-truth.csv``: ``synthetic, list, file, row, person_id, duplicate, errors`` —
  every record (``row`` = 1-based data row, as ``dadkhah import`` numbers it) mapped to its
  true person; ``errors`` names the errors applied to it (``typo;date_shift``);
- ``SYNTHETIC-persons.csv``: the true population, one row per person (``lists`` names the
  lists that name them; ``group`` is the latent easy/hard group);
- ``SYNTHETIC-capture-histories.csv``: one 0/1 column per list and ``count`` (the format of
  ``shared/data/mse``; ``dadkhah estimate --histories`` reads it), and
  ``SYNTHETIC-capture-histories-by-province.csv`` with a ``province`` stratum column;
- ``SYNTHETIC-manifest.json``: scenario, seed, true total (overall and per province),
  persons observed, per list its file, encoding, style, columns, persons, records,
  duplicates, expected size and realised error rates, and the whole configuration.

Nothing written depends on the clock: the same seed gives byte-identical files.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from dadkhah import __version__
from dadkhah.simulate.config import ERROR_KINDS, EXTRA_ERROR_KINDS
from dadkhah.simulate.population import jalali
from dadkhah.simulate.simulation import Progress, Simulation
from dadkhah.simulate.styles import RenderedList

__all__ = ["MANIFEST", "NOTICE", "write_simulation"]

MANIFEST = "SYNTHETIC-manifest.json"
TRUTH = "SYNTHETIC-truth.csv"
PERSONS = "SYNTHETIC-persons.csv"
HISTORIES = "SYNTHETIC-capture-histories.csv"
HISTORIES_BY_PROVINCE = "SYNTHETIC-capture-histories-by-province.csv"
NOTICE = ("SYNTHETIC DATA made by dadkhah simulate. Every person, name and record in these "
          "files is invented; none is a real victim. For testing and demonstration only.")


def _write_csv(path: Path, header: list[str] | tuple[str, ...], rows, encoding: str) -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(rows)


def _write_xlsx(path: Path, lst: RenderedList) -> None:
    from dadkhah.simulate._xlsx import write_xlsx

    about = [[NOTICE], [f"list: {lst.spec.id} — {lst.spec.title}"]]
    write_xlsx(path, [("list", list(lst.headers), lst.rows()),
                      ("SYNTHETIC", ["SYNTHETIC"], about)],
               title=f"SYNTHETIC — {lst.spec.title}", description=NOTICE,
               creator="dadkhah simulate")


def write_list(folder: Path, lst: RenderedList) -> Path:
    """Write one list in its format and encoding; returns the path."""
    path = folder / lst.spec.file_name
    if lst.spec.file_format == "xlsx":
        _write_xlsx(path, lst)
    else:
        _write_csv(path, lst.headers, lst.rows(), lst.spec.encoding)
    return path


def _by_unique(ordinals: np.ndarray, fmt) -> list[str]:
    """``fmt`` applied once per distinct date, spread back over the array."""
    u, inv = np.unique(ordinals, return_inverse=True)
    return np.array([fmt(int(o)) for o in u], dtype=object)[inv].tolist()


def _iso(ordinals: np.ndarray) -> list[str]:
    return _by_unique(ordinals, lambda o: date.fromordinal(o).isoformat())


def _jalali_text(ordinals: np.ndarray) -> list[str]:
    return _by_unique(ordinals, lambda o: "{}/{:02d}/{:02d}".format(*jalali(o)))


def write_persons(path: Path, sim: Simulation) -> None:
    pop = sim.population
    t = pop.tables
    n = pop.size
    g1 = pop.given1
    two = pop.given2 >= 0
    g2 = np.maximum(pop.given2, 0)
    given_fa = np.where(two, t.given_fa[g1] + " " + t.given_fa[g2], t.given_fa[g1])
    pref_given = np.array([v[0] for v in t.given_latin], dtype=object)
    pref_sur = np.array([v[0] for v in t.surname_latin], dtype=object)
    given_la = np.where(two, pref_given[g1] + " " + pref_given[g2], pref_given[g1])
    on = sim.captures.on
    ids = np.array(sim.list_ids, dtype=object)
    lists = np.full(n, "", dtype=object)
    for j in range(len(ids)):
        lists = np.where(on[:, j], lists + (ids[j] + ";"), lists)
    aff = np.array([a[0] for a in sim.config.affiliations], dtype=object)

    def short(place_ids: tuple[str, ...]) -> np.ndarray:
        """Gazetteer ids without their kind: ``prison:evin`` → ``evin``."""
        return np.array([x.split(":", 1)[1] for x in place_ids], dtype=object)

    cols = {
        "synthetic": np.full(n, "SYNTHETIC", dtype=object),
        "person_id": pop.ids(),
        "group": np.array(["easy", "hard"], dtype=object)[pop.group],
        "sex": np.array(["m", "f"], dtype=object)[pop.sex],
        "title": np.where(pop.title, "سید", ""),
        "given_names": given_fa, "surname": t.surname_fa[pop.surname],
        "father_name": t.given_fa[pop.father],
        "given_names_latin": given_la, "surname_latin": pref_sur[pop.surname],
        "father_name_latin": pref_given[pop.father],
        "birth_date": _iso(pop.birth), "birth_date_jalali": _jalali_text(pop.birth),
        "age_at_death": pop.age_at_death(),
        "arrest_date": _iso(pop.arrest),
        "execution_date": _iso(pop.execution),
        "execution_date_jalali": _jalali_text(pop.execution),
        "prison": short(t.prison_ids)[pop.prison],
        "prison_province": short(t.province_ids)[pop.prison_province],
        "city": short(t.city_ids)[pop.city],
        "province": short(t.province_ids)[pop.province],
        "affiliation": aff[pop.affiliation],
        "lists": [s.rstrip(";") for s in lists],
    }
    columns = [c.tolist() if isinstance(c, np.ndarray) else c for c in cols.values()]
    _write_csv(path, list(cols), zip(*columns, strict=True), "utf-8")


def write_truth(path: Path, sim: Simulation) -> None:
    ids = sim.population.ids()
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(["synthetic", "list", "file", "row", "person_id", "duplicate", "errors"])
        for lst in sim.lists:
            m = lst.size
            w.writerows(zip(["SYNTHETIC"] * m, [lst.spec.id] * m, [lst.spec.file_name] * m,
                            range(1, m + 1), ids[lst.persons].tolist(),
                            lst.duplicate.astype(np.int8).tolist(),
                            lst.error_strings().tolist(), strict=True))


def realised_errors(lst: RenderedList) -> dict[str, dict[str, float | None]]:
    """Per error kind: records affected, records eligible, and the rate among eligible
    (None where no record was eligible)."""
    out: dict[str, dict[str, float | None]] = {}
    # the profiles' kinds only where the list has them (older manifests stay as they were)
    extra = tuple(k for k in EXTRA_ERROR_KINDS if getattr(lst.spec.errors, k) > 0)
    for kind in (*ERROR_KINDS, *extra):
        flag = lst.errors.get(kind)
        if flag is None:
            continue
        k, n = int(flag.sum()), int(lst.eligible[kind].sum())
        out[kind] = {"records": k, "eligible": n, "rate": round(k / n, 5) if n else None}
    return out


def manifest(sim: Simulation, files: dict[str, str]) -> dict[str, Any]:
    sizes = sim.list_sizes()
    expected = sim.expected_list_sizes()
    lists = []
    for lst in sim.lists:
        s = lst.spec
        lists.append({
            "id": s.id, "title": s.title, "kind": s.kind, "reliability": s.reliability,
            "file": s.file_name, "format": s.file_format,
            "encoding": None if s.file_format == "xlsx" else s.encoding,
            "header_language": s.header_language, "script": s.script,
            "calendar": s.calendar, "romanisation": s.romanisation,
            "columns": dict(zip(lst.fields, lst.headers, strict=True)),
            "records": lst.size, "persons": sizes[s.id]["persons"],
            "duplicates": int(lst.duplicate.sum()),
            "expected_persons": round(expected[s.id], 1),
            "capture": list(s.capture), "copies": s.copies, "copy_rate": s.copy_rate,
            "covers": None if s.covers is None else {"kind": s.covers[0],
                                                      "ids": list(s.covers[1])},
            "errors_realised": realised_errors(lst),
        })
    return {
        "synthetic": True,
        "notice": NOTICE,
        "generator": f"dadkhah simulate {__version__}",
        "scenario": sim.scenario,
        "seed": sim.seed,
        "true_total": sim.true_total,
        "observed_persons": sim.observed(),
        "true_by_province": sim.true_by_province(),
        "lists": lists,
        "files": files,
        "strata": {"province": "1988 province of the prison where the person was killed "
                               "(gazetteer id without the 'prov:' prefix)"},
        "truth_columns": {"list": "list id (= source id in the demo)",
                          "row": "1-based data row, as dadkhah import numbers it",
                          "person_id": "true person (SYNTHETIC-persons.csv)",
                          "duplicate": "1 for a person's second record in the same list",
                          "errors": "errors applied to the record, ';'-separated"},
        "config": sim.config.to_dict(),
    }


def write_simulation(sim: Simulation, folder: str | Path, *,
                     progress: Progress | None = None) -> dict[str, Any]:
    """Write every file of ``sim`` into ``folder`` (created if needed); returns the manifest.

    Refuses a folder that holds files other than a previous simulation's, so that nothing
    real is ever mixed with synthetic data; a previous simulation's files are replaced.
    """
    from dadkhah.errors import ConfigError

    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out} exists and is not a folder.",
                          hint="Choose a new folder for --out.")
    if out.exists():
        foreign = [p.name for p in out.iterdir() if not p.name.startswith("SYNTHETIC-")]
        if foreign:
            raise ConfigError(
                f"{out} holds files that are not simulator output ({', '.join(foreign[:3])}"
                + (" …" if len(foreign) > 3 else "") + ").",
                hint="Write synthetic data into an empty folder of its own.")
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():  # a previous simulation's files: replaced, never mixed
        if old.is_file():
            old.unlink()
    step = progress or (lambda *_: None)
    files: dict[str, Any] = {"lists": {}}
    total = len(sim.lists) + 4
    for i, lst in enumerate(sim.lists):
        step(f"write:{lst.spec.file_name}", i, total)
        files["lists"][lst.spec.id] = write_list(out, lst).name
    step(f"write:{TRUTH}", len(sim.lists), total)
    write_truth(out / TRUTH, sim)
    step(f"write:{PERSONS}", len(sim.lists) + 1, total)
    write_persons(out / PERSONS, sim)
    step(f"write:{HISTORIES}", len(sim.lists) + 2, total)
    sim.histories().to_csv(out / HISTORIES, index=False, lineterminator="\n")
    sim.histories(["province"]).to_csv(out / HISTORIES_BY_PROVINCE, index=False,
                                       lineterminator="\n")
    files.update(truth=TRUTH, persons=PERSONS, capture_histories=HISTORIES,
                 capture_histories_by_province=HISTORIES_BY_PROVINCE)
    man = manifest(sim, files)
    (out / MANIFEST).write_text(json.dumps(man, ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
    step("done", total, total)
    return man
