"""A small generator of SYNTHETIC capture histories with a known total, for tests and the
coverage benchmark.  It is not the project's population simulator (``dadkhah.simulate``); it
only draws who is on which list under three textbook scenarios.

- ``"independent"``: every person is on list ``j`` with probability ``p_j``;
- ``"heterogeneous"``: two groups of people (60% / 40%, e.g. two regions) covered by
  different lists: the first half of the lists names group 1 often (0.45) and group 2 rarely
  (0.10), the second half the reverse, and with an odd number of lists the last one names
  both at 0.30; lists are independent within a group (the latent-class setting);
- ``"hard_to_reach"``: 40% of people are listed at 0.4 times the usual rates by every list.
  No capture-recapture method can see them well; estimates fall short, and the benchmark
  shows by how much;
- ``"dependent"``: being on the first list makes being on the second more likely
  (positive list dependence, e.g. one source copying another).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dadkhah.estimate._histories import CaptureHistories

__all__ = ["SCENARIOS", "synthetic_histories"]

SCENARIOS = ("independent", "heterogeneous", "hard_to_reach", "dependent")


def synthetic_histories(
    n_total: int,
    *,
    scenario: str = "independent",
    n_lists: int = 4,
    capture: Sequence[float] | None = None,
    seed: int | np.random.Generator | None = None,
) -> CaptureHistories:
    """Draw SYNTHETIC capture histories for a population of ``n_total`` people.

    Examples
    --------
    >>> h = synthetic_histories(1000, scenario="independent", seed=1)
    >>> h.synthetic, h.n_lists, 0 < h.observed < 1000
    (True, 4, True)
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    p = np.asarray(capture if capture is not None else [0.3, 0.25, 0.2, 0.35, 0.3, 0.25][:n_lists])
    if p.size != n_lists:
        raise ValueError(f"capture needs {n_lists} probabilities, got {p.size}")
    if scenario == "independent":
        x = rng.random((n_total, n_lists)) < p
    elif scenario == "heterogeneous":
        half = n_lists // 2
        idx = np.arange(n_lists)
        p1 = np.where(idx < half, 0.45, 0.12)
        p2 = np.where(idx < half, 0.10, 0.45)
        if n_lists % 2:
            p1[-1] = p2[-1] = 0.30
        group2 = rng.random(n_total) < 0.4
        x = rng.random((n_total, n_lists)) < np.where(group2[:, None], p2, p1)
    elif scenario == "hard_to_reach":
        # 60% easy to list, 40% hard to list (capture probabilities scaled by 1.4 and 0.4)
        hard = rng.random(n_total) < 0.4
        probs = np.where(hard[:, None], p * 0.4, np.minimum(p * 1.4, 0.95))
        x = rng.random((n_total, n_lists)) < probs
    elif scenario == "dependent":
        x = rng.random((n_total, n_lists)) < p
        # list 2 is far more likely to name someone list 1 names
        on1 = x[:, 0]
        x[on1, 1] = rng.random(on1.sum()) < min(0.95, 2.2 * p[1])
        x[~on1, 1] = rng.random((~on1).sum()) < p[1] * 0.6
    else:
        raise ValueError(f"scenario must be one of {SCENARIOS}, got {scenario!r}")
    x = x.astype(np.int8)
    seen = x.sum(axis=1) > 0
    names = [chr(ord("A") + j) for j in range(n_lists)]
    return CaptureHistories.from_arrays(names, x[seen], np.ones(int(seen.sum()), dtype=np.int64),
                                        synthetic=True)
