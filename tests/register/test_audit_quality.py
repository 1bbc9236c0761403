"""The audit sample end to end on a simulated case (SYNTHETIC): draw, answer from the truth
with ordinary decisions, and check the interval holds the register's true precision."""

from __future__ import annotations

import pytest

from dadkhah.errors import NotFound
from dadkhah.linkage.evaluate import evaluate_clusters
from dadkhah.linkage.pipeline import link_case
from dadkhah.register import (
    audit_answers,
    audit_progress,
    draw_audit_sample,
    record_decision,
    register_of,
    store_audit_estimate,
)
from dadkhah.testing import simulated_case


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    sc = simulated_case(tmp_path_factory.mktemp("audit") / "case", scenario="small",
                        persons=600, seed=11)
    link_case(sc.case, by="tester")
    return sc


def test_sample_answered_from_truth_covers_true_quality(linked) -> None:
    sc = linked
    case, truth = sc.case, sc.truth
    assert audit_progress(case) is None
    progress = draw_audit_sample(case, 120, by="auditor", seed=3)
    pairs = audit_answers(case)
    assert progress.size == len(pairs) > 60
    assert {p["kind"] for p in pairs} == {"linked", "unlinked"}
    assert progress.quality is None or progress.answered > 0
    for p in pairs:
        same = truth[p["record_l"]] == truth[p["record_r"]]
        record_decision(case, p["record_l"], p["record_r"], "match" if same else "no_match",
                        by="auditor")
    done = store_audit_estimate(case, by="auditor")
    q = done.quality
    assert q is not None and done.stored == q and done.pending == 0
    assert done.answered == done.size
    ev = evaluate_clusters(register_of(case), truth)
    assert q.precision_low <= ev.pairwise_precision <= q.precision_high, (q.summary(),
                                                                           ev.summary())
    # Recall among pairs scored >= 0.2 is at least the register's true recall (which also
    # counts true pairs the model never scored); its interval must not lie wholly below it.
    assert q.recall_high >= ev.pairwise_recall, (q.summary(), ev.summary())
    assert q.linked_pairs == ev.predicted_pairs


def test_no_sample_is_not_found(tmp_path) -> None:
    from dadkhah.store import Case

    with Case.create(tmp_path / "c", by="t") as case, pytest.raises(NotFound):
        store_audit_estimate(case, by="t")


def test_cli_link_audit_sample_and_review_audit(tmp_path) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app

    sc = simulated_case(tmp_path / "case", scenario="small", persons=200, seed=5)
    location = str(tmp_path / "case")
    sc.case.close()
    runner = CliRunner()
    res = runner.invoke(app, ["--case", location, "link", "--audit-sample", "30"])
    assert res.exit_code == 0, res.output
    assert "Audit sample 1" in res.output and "awaiting review" in res.output
    res = runner.invoke(app, ["--case", location, "review", "audit", "-n", "1"])
    assert res.exit_code == 0, res.output
    assert "audit pair" in res.output
    # Interactive: the first pending pair answered "not a match" (reason: the sample), then
    # quit; the ordinary review queue, one pair at a time: its first pair answered "match"
    # with a typed reason.
    res = runner.invoke(app, ["--case", location, "review", "audit", "-i"], input="n\nq\n")
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--case", location, "review", "-i", "-n", "1", "-k", "1"],
                        input="m\nsame father\n")
    assert res.exit_code == 0, res.output
    assert "recorded: match" in res.output
    from dadkhah.register import decisions
    from dadkhah.store import Case

    with Case.open(location) as case:
        made = [(d["decision"], d["reason"]) for d in decisions(case)]
        assert made == [("no_match", "audit sample"), ("match", "same father")]
        assert audit_progress(case).answered >= 1  # the review pair may be in the sample too


def test_review_audit_skips_the_pairs_a_record_of_which_is_kept_from_the_reviewer(
        tmp_path, monkeypatch) -> None:
    """A pending audit pair with a record restricted from the --user is skipped and only
    counted (it answered "not found" before); whoever may see the record gets the pair."""
    from typer.testing import CliRunner

    from dadkhah.cli import app
    from dadkhah.register import restrict
    from dadkhah.store import Case
    from dadkhah.users import add_user

    for var in ("DADKHAH_ROLE", "DADKHAH_USER"):
        monkeypatch.delenv(var, raising=False)
    sc = simulated_case(tmp_path / "case", scenario="small", persons=200, seed=5)
    location = str(tmp_path / "case")
    sc.case.close()
    runner = CliRunner()
    res = runner.invoke(app, ["--case", location, "link", "--audit-sample", "30"])
    assert res.exit_code == 0, res.output
    with Case.open(location) as case:
        for u in ("alice", "bob"):
            add_user(case, u, "correct horse battery staple", role="editor", by="admin")
        pending = [p for p in audit_answers(case) if p["answer"] is None]
        kept = pending[0]["record_l"]
        restrict(case, "record", kept, users=["alice"], by="admin", role="admin")
        skipped = sum(kept in (p["record_l"], p["record_r"]) for p in pending)
    n = str(len(pending))
    res = runner.invoke(app, ["--case", location, "--user", "bob", "review", "audit", "-n", n])
    assert res.exit_code == 0, res.output
    assert f"{skipped} pair(s) skipped" in res.output, res.output
    assert res.output.count("audit pair (") == len(pending) - skipped
    res = runner.invoke(app, ["--case", location, "--user", "alice", "review", "audit",
                              "-n", n])
    assert res.exit_code == 0, res.output
    assert "skipped" not in res.output and res.output.count("audit pair (") == len(pending)
