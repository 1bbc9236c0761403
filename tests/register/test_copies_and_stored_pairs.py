"""A linked SYNTHETIC case (splink on DuckDB): the simulator's copied lists are recorded on
its sources and every estimate from the case counts them with the list they copy (unless
asked not to); pairs scored below the review band are stored for the linkage draws and never
offered for review."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from dadkhah.cli import app
from dadkhah.linkage import REVIEW_BAND, link_case
from dadkhah.linkage.pipeline import STORED_FLOOR
from dadkhah.register import (
    copied_lists,
    linkage_summary,
    linkage_uncertainty,
    register_histories,
    review_backlog,
    review_queue,
)
from dadkhah.store.tables import LinkPair
from dadkhah.testing import simulated_case

runner = CliRunner()


@pytest.fixture(scope="module")
def linked(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    tmp: Path = tmp_path_factory.mktemp("copies")
    sc = simulated_case(tmp / "case", scenario="small", persons=300, seed=5)
    link_case(sc.case, by="test")
    return sc


def test_the_simulators_copies_are_recorded_on_the_sources(linked) -> None:  # type: ignore[no-untyped-def]
    truth = {(x["id"], x["copies"]) for x in linked.manifest["lists"] if x["copies"]}
    assert truth  # the scenario has a list that copies another
    assert {(c.source, c.copied) for c in linked.case.source_copies()} == truth
    h = register_histories(linked.case)
    merged = copied_lists(linked.case).apply(h)
    assert len(merged.lists) == len(h.lists) - len(truth)
    assert merged.observed == h.observed  # merging lists loses nobody


def test_pairs_below_the_band_are_stored_but_never_offered(linked) -> None:  # type: ignore[no-untyped-def]
    case = linked.case
    with case.read() as conn:
        rows = conn.execute(select(LinkPair.record_l, LinkPair.record_r,
                                   LinkPair.match_probability, LinkPair.review)).all()
    below = {(a, b) for a, b, p, r in rows if not r}
    assert below, "no pair stored below the review band"
    assert all(STORED_FLOOR <= p < REVIEW_BAND[0] for _a, _b, p, r in rows if not r)
    offered = {(p.record_l, p.record_r) for p in review_queue(case, limit=100_000,
                                                             include_decided=True)}
    assert offered and not offered & below
    assert review_backlog(case) == len(rows) - len(below)
    assert linkage_summary(case).pairs_offered == len(rows) - len(below)
    # the linkage draws see every stored pair
    assert linkage_uncertainty(case).uncertain_pairs == len(rows)


def _estimate(case: Path, *args: str) -> dict:  # type: ignore[type-arg]
    r = runner.invoke(app, ["--case", str(case), "estimate", "--linkage", "fixed",
                            "--method", "loglinear", "--json", *args])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)  # type: ignore[no-any-return]


def test_estimate_counts_copies_together_by_default(linked) -> None:  # type: ignore[no-untyped-def]
    loc = Path(str(linked.case.location))
    out = _estimate(loc)
    copier, copied = next((c.source, c.copied) for c in linked.case.source_copies())
    assert any(sorted(v) == sorted([copier, copied]) for v in out["merged_lists"].values())
    assert any(n.startswith(f"{copier} counted with {copied}: it copies")
               for n in out["cli_notes"])
    kept = _estimate(loc, "--keep-copies")
    assert "merged_lists" not in kept
    # --merge-lists names the groups instead of the recorded copies
    lists = register_histories(linked.case).lists
    named = _estimate(loc, "--merge-lists", f"{lists[0]}+{lists[1]}")
    assert named["merged_lists"] == {f"{lists[0]}+{lists[1]}": [lists[0], lists[1]]}
    # merging a copy with its source raises the estimate (the copy looked like overlap),
    # unless the model chosen for the lists kept apart already holds their interaction and
    # nothing else of theirs: that model is the merged lists' model, the same total
    interaction = {f"{copier}*{copied}", f"{copied}*{copier}"}
    terms = set(kept["diagnostics"]["formula"].split(" + "))
    others = {name for t in terms - interaction for name in t.split("*")}
    if terms & interaction and not {copier, copied} & others:
        assert out["total"] == pytest.approx(kept["total"], rel=1e-9)
    else:
        assert out["total"] > kept["total"]


def test_the_copy_notes_in_the_users_language(linked) -> None:  # type: ignore[no-untyped-def]
    """A team member reading Persian gets each note in Persian too, right after the English
    one (which says what the register's own sentence says)."""
    from dadkhah.users import add_user

    loc = Path(str(linked.case.location))
    add_user(linked.case, "dorsa-fa", "correct horse battery staple", role="viewer", by="t",
             language="fa")
    r = runner.invoke(app, ["--case", str(loc), "--user", "dorsa-fa", "estimate", "--linkage",
                            "fixed", "--method", "loglinear"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    copy = next(c for c in linked.case.source_copies())
    english = [f"Note: {n}" for n in copied_lists(linked.case).notes()]
    assert english and all(n in lines for n in english)
    fa = lines[lines.index(english[0]) + 1]
    assert fa.startswith(f"یادداشت: {copy.source} همراه با {copy.copied} شمرده شد")
