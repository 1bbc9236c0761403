"""Coverage of the audit-sample estimator of precision and recall, by repeated simulation with
known truth (issue 14, part 5: >= 90 of 100 replicates for both)."""

from __future__ import annotations

import numpy as np
import pytest

from dadkhah.estimate import AuditStratum, allocate_sample, estimate_linkage_quality

# (name, kind, pairs, true match rate): a register like the simulator's, with most links
# certain and errors concentrated in uncertain, large-cluster and below-threshold strata.
TYPICAL = [
    ("linked p>=0.98 size 2", "linked", 4000, 0.995),
    ("linked p 0.5-0.98 size 2", "linked", 600, 0.92),
    ("linked size 3-4", "linked", 900, 0.90),
    ("linked size 5+", "linked", 300, 0.70),
    ("linked p<0.5", "linked", 100, 0.55),
    ("unlinked p 0.8-0.98", "unlinked", 150, 0.60),
    ("unlinked p 0.5-0.8", "unlinked", 400, 0.30),
    ("unlinked p 0.2-0.5", "unlinked", 2500, 0.04),
]
# A precise register that splits persons (as on the independent benchmarks): precision
# near 1, recall low.
SPLITTING = [
    ("linked p>=0.98", "linked", 3000, 0.999),
    ("linked p 0.5-0.98", "linked", 400, 0.98),
    ("unlinked p 0.8-0.98", "unlinked", 50, 0.9),
    ("unlinked p 0.5-0.8", "unlinked", 800, 0.7),
    ("unlinked p 0.2-0.5", "unlinked", 3000, 0.35),
]


def coverage(frame, n: int, replicates: int = 100, seed: int = 0) -> tuple[int, int]:
    rng = np.random.default_rng(seed)
    kinds = [k for _, k, _, _ in frame]
    sizes = [s for _, _, s, _ in frame]
    take = [0] * len(frame)
    for kind in ("linked", "unlinked"):
        idx = [i for i, k in enumerate(kinds) if k == kind]
        for i, t in zip(idx, allocate_sample([sizes[i] for i in idx], n // 2), strict=True):
            take[i] = t
    hit_p = hit_r = 0
    for rep in range(replicates):
        strata, tp, fn, n_linked = [], 0, 0, 0
        for (name, kind, size, rate), t in zip(frame, take, strict=True):
            true = int(rng.binomial(size, rate))  # this replicate's finite population
            x = int(rng.hypergeometric(true, size - true, t)) if t else 0
            strata.append(AuditStratum(name, kind, size, t, x))
            if kind == "linked":
                tp += true
                n_linked += size
            else:
                fn += true
        q = estimate_linkage_quality(strata, draws=2000, seed=rep)
        hit_p += q.precision_low <= tp / n_linked <= q.precision_high
        hit_r += q.recall_low <= tp / (tp + fn) <= q.recall_high
    return hit_p, hit_r


@pytest.mark.parametrize(("frame", "n"), [(TYPICAL, 300), (TYPICAL, 100), (SPLITTING, 200)],
                         ids=["typical-300", "typical-100", "splitting-200"])
def test_intervals_cover_the_truth(frame, n) -> None:
    hit_p, hit_r = coverage(frame, n)
    # Nominal 95%; the floor is 90 of 100 for both.
    assert hit_p >= 90, (hit_p, hit_r)
    assert hit_r >= 90, (hit_p, hit_r)


def test_intervals_are_informative() -> None:
    # Coverage alone is easy with wide intervals: with 300 reviewed pairs on TYPICAL the
    # precision interval must be narrower than 0.1.
    rng = np.random.default_rng(5)
    strata = []
    take = allocate_sample([s for _, k, s, _ in TYPICAL if k == "linked"], 150) + \
        allocate_sample([s for _, k, s, _ in TYPICAL if k == "unlinked"], 150)
    for (name, kind, size, rate), t in zip(TYPICAL, take, strict=True):
        strata.append(AuditStratum(name, kind, size, t, int(rng.binomial(t, rate))))
    q = estimate_linkage_quality(strata)
    assert q.precision_high - q.precision_low < 0.1, q.summary()
    assert q.recall_high - q.recall_low < 0.2, q.summary()


def test_no_contradiction_reaches_one_and_unreviewed_strata_are_named() -> None:
    q = estimate_linkage_quality([AuditStratum("a", "linked", 500, 50, 50),
                                  AuditStratum("b", "linked", 20, 0, 0),
                                  AuditStratum("c", "unlinked", 300, 40, 0)])
    assert q.precision_high == 1.0 and q.recall_high == 1.0
    assert any("b" in n for n in q.notes)
    assert q.from_dict(q.to_dict()) == q


def test_allocation_is_capped_and_complete() -> None:
    assert allocate_sample([3, 100, 0, 7], 40) == [3, 30, 0, 7]
    assert allocate_sample([3, 4], 40) == [3, 4]
    assert sum(allocate_sample([50, 60, 70], 100)) == 100


def test_the_notes_have_wordings_whose_english_is_the_notes() -> None:
    """Both notes (nothing sampled outside the links; strata nobody reviewed) carry a
    catalogue wording whose English is the note word for word and whose Persian is
    Persian, also for a quality read back from its stored form."""
    from dadkhah.web.i18n import render_wording

    q = estimate_linkage_quality([AuditStratum("a", "linked", 500, 50, 50),
                                  AuditStratum("b", "linked", 20, 0, 0),
                                  AuditStratum("c d", "linked", 9, 0, 0)])
    assert len(q.notes) == 2
    for stored in (q, q.from_dict(q.to_dict())):
        worded = stored.note_wordings()
        assert set(worded) == set(q.notes)
        for note, wording in worded.items():
            assert render_wording("en", wording) == note
            fa = render_wording("fa", wording)
            assert fa != note and any("\u0600" <= ch <= "\u06ff" for ch in fa), fa
    unseen = q.note_wordings()[q.notes[1]]
    assert render_wording("fa", unseen).endswith("b، c d")
