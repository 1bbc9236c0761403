"""The estimators' assumptions as catalogue wordings: each assumption is a fixed English
sentence of its estimator's module, and its :class:`~dadkhah.errors.Wording` (a key of the
catalogue's ``estimate_assumption`` table) lets an interface say it in its reader's
language.  tests/estimate/test_wordings.py checks that every estimator's assumptions have one."""

from __future__ import annotations

import importlib
from functools import cache

from dadkhah.errors import Wording


@cache
def _keys() -> dict[str, str]:
    # imported here: the estimators' modules import the results module that asks for this
    # (by module path: the package's own names chapman, dga … are the functions)
    chapman, closed, dga, lcmcr, loglinear, propagate, stepwise, strata = (
        importlib.import_module(f"dadkhah.estimate.{m}") for m in (
            "chapman", "closed", "dga", "lcmcr", "loglinear", "propagate", "stepwise",
            "strata"))

    keys = {
        loglinear._ASSUMPTIONS[0]: "closed_every",
        loglinear._ASSUMPTIONS[1]: "loglinear_dependence",
        loglinear._ASSUMPTIONS[2]: "matched",
        chapman._ASSUMPTIONS[0]: "closed_either",
        chapman._ASSUMPTIONS[1]: "independent_two",
        chapman._ASSUMPTIONS[2]: "homogeneous",
        chapman._ASSUMPTIONS[3]: "matched_two",
        dga._ASSUMPTIONS[1]: "dga_graphs",
        dga._ASSUMPTIONS[2]: "dga_prior",
        lcmcr._ASSUMPTIONS[1]: "lcmcr_groups",
        lcmcr._ASSUMPTIONS[2]: "lcmcr_classes",
        stepwise._DEPENDENCE: "stepwise_dependence",
        propagate.LINKAGE_ASSUMPTION: "linkage_drawn",
        strata._IMPUTATION_ASSUMPTION: "imputed",
        strata._DRAWN_IMPUTATION_ASSUMPTION: "drawn_imputed",
        strata._STRATA_ADDED: "strata_added",
    }
    keys.update({text: f"closed_{model}" for model, text in closed._ASSUMPTIONS.items()})
    return keys


def assumption_wording(text: str) -> Wording | None:
    """The wording of an estimator's assumption ``text`` (None for one the catalogue does
    not know)."""
    key = _keys().get(text)
    return None if key is None else Wording.of(f"estimate_assumption.{key}")
