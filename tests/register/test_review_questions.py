"""Review questions about one record and several candidates (SYNTHETIC data): which records
are shown, how one answer becomes a decision on every pair shown, and `dadkhah review -i`
asking them."""

from __future__ import annotations

import pytest

from dadkhah.errors import LinkageError
from dadkhah.linkage.pipeline import link_case
from dadkhah.register import (
    QUESTION_CANDIDATES,
    answer_question,
    decisions,
    review_question,
    review_queue,
)
from dadkhah.register.questions import question_candidates, question_focal
from dadkhah.testing import simulated_case


def test_the_question_is_about_the_record_in_the_smaller_person() -> None:
    assert question_focal(1, 2, {1: 3, 2: 1}) == (2, 1)
    assert question_focal(1, 2, {1: 1, 2: 3}) == (1, 2)
    assert question_focal(1, 2, {}) == (1, 2)  # both alone: the left one


def test_candidates_one_per_other_person_most_probable_first() -> None:
    person = {1: "A", 2: "B", 3: "C", 4: "C", 5: "D", 6: "E", 7: "A", 8: "F"}
    near = [(2, 0.6), (6, 0.05), (3, 0.15), (4, 0.12), (5, 0.1), (7, 0.3), (8, 0.05)]
    # 2 is the queue pair's other record, first whatever its score; 7 is in the focal's own
    # person; 4 in 3's; the pair (1, 5) is decided; 6 and 8 tie, the lower id first
    assert question_candidates(1, 2, near, person, k=4, decided={(1, 5)}) == [2, 3, 6, 8]
    assert question_candidates(1, 2, near, person, k=2, decided={(1, 5)}) == [2, 3]
    assert question_candidates(1, 2, near, person, k=1) == [2]
    with pytest.raises(ValueError, match="at least one"):
        question_candidates(1, 2, near, person, k=0)


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("questions")
    sc = simulated_case(folder / "case", scenario="small", persons=400, seed=5)
    link_case(sc.case, by="tester")
    sc.case.close()
    return folder / "case", sc.truth


def _first_question_with_several(case):
    """(its place in the queue, the queue pair, the question) of the first question showing
    two candidates or more."""
    for i, pair in enumerate(review_queue(case, limit=50)):
        q = review_question(case, pair)
        if len(q.candidates) >= 2:
            return i, pair, q
    raise AssertionError("no question in the first 50 queue pairs shows two candidates")


def test_one_answer_decides_every_pair_shown(linked, tmp_path) -> None:
    import shutil

    from dadkhah.store import Case

    location, truth = linked
    shutil.copytree(location, tmp_path / "c")
    with Case.open(tmp_path / "c") as case:
        _i, pair, q = _first_question_with_several(case)
        assert q.focal.record in (pair.record_l, pair.record_r)
        assert {pair.record_l, pair.record_r} == {q.focal.record, q.candidates[0].record}
        assert 2 <= len(q.candidates) <= QUESTION_CANDIDATES
        assert len({c.person for c in q.candidates}) == len(q.candidates)
        assert all(c.person != q.focal.person for c in q.candidates[1:])
        shown = [c.record for c in q.candidates]
        with pytest.raises(LinkageError, match=r"not among the candidates"):
            answer_question(case, q.focal.record, shown, [q.focal.record], by="t")
        ids = answer_question(case, q.focal.record, shown, [shown[1]], by="t", reason="r")
        made = {(d["record_l"], d["record_r"]): (d["decision"], d["origin"])
                for d in decisions(case) if d["id"] in ids}
        f = q.focal.record
        assert made == {(min(f, c), max(f, c)): ("match" if c == shown[1] else "no_match",
                                                 "review") for c in shown}
        # the pairs it decided are no longer offered
        again = review_question(case, pair)
        assert not {c.record for c in again.candidates[1:]} & set(shown)


def test_cli_review_asks_questions_with_several_candidates(linked, tmp_path) -> None:
    """`dadkhah review -i`: questions skipped up to the first showing two candidates, which
    is answered "1 and 2 are the same person" with a reason: a match with each and a
    no-match with every other record shown; with ``-k 1`` it asks one pair at a time, as
    before."""
    import shutil

    from typer.testing import CliRunner

    from dadkhah.cli import app
    from dadkhah.store import Case

    location, _truth = linked
    shutil.copytree(location, tmp_path / "c")
    with Case.open(tmp_path / "c") as case:
        i, _pair, q = _first_question_with_several(case)
    runner = CliRunner()
    res = runner.invoke(app, ["--case", str(tmp_path / "c"), "review", "-i", "-n", str(i + 1)],
                        input="s\n" * i + "9\n1,2\nseen in both lists\n")
    assert res.exit_code == 0, res.output
    assert f"Which are the same person as record {q.focal.record}?" in res.output
    assert "Answer with numbers from 1 to" in res.output  # 9 is not a candidate's number
    shown = [c.record for c in q.candidates]
    picked = set(shown[:2])
    f = q.focal.record
    with Case.open(tmp_path / "c") as case:
        made = sorted((d["record_l"], d["record_r"], d["decision"], d["reason"])
                      for d in decisions(case))
    assert made == sorted((min(f, c), max(f, c), "match" if c in picked else "no_match",
                           "seen in both lists") for c in shown)
    res = runner.invoke(app, ["--case", str(tmp_path / "c"), "review", "-i", "-n", "1",
                              "-k", "1"], input="n\n\n")
    assert res.exit_code == 0, res.output
    assert "recorded: no_match" in res.output


def test_cli_default_is_the_library_default() -> None:
    import typer.main

    from dadkhah.cli import app

    review = typer.main.get_command(app).commands["review"]  # type: ignore[attr-defined]
    option = next(p for p in review.params if p.name == "candidates")
    assert option.default == QUESTION_CANDIDATES
