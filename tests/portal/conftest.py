"""A small linked SYNTHETIC case, built once per session and copied for each test."""

from __future__ import annotations

from pathlib import Path

import pytest

PERSONS = 300


@pytest.fixture(scope="session")
def linked_template(tmp_path_factory) -> Path:
    from dadkhah.testing import linked_case

    return linked_case(tmp_path_factory.mktemp("portal-template") / "case", persons=PERSONS,
                       seed=5)


@pytest.fixture
def linked(linked_template: Path, tmp_path: Path):
    """A fresh copy of the linked case (each test may write to it)."""
    from dadkhah.testing import case_copy

    with case_copy(linked_template, tmp_path / "case") as case:
        yield case


def person_with_records(case, n: int = 2) -> dict:
    """An active person named by at least ``n`` records, with a Persian and a Latin name."""
    from dadkhah.register import get_person, list_persons

    for p in list_persons(case, limit=500):
        if p["n_records"] >= n and p["name_fa"] and p["name_latin"]:
            return get_person(case, p["id"])
    raise AssertionError("no such person in the synthetic case")
