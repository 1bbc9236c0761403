"""The workspace's estimate job estimates as ``dadkhah estimate`` does: on registers drawn
from the linkage's uncertainty, with the interval of the register taken as certain kept
beside the pooled one, and the dashboard shows both (SYNTHETIC case, real linkage)."""

from __future__ import annotations

import re

from tests.web.conftest import job_id_of, login, make_client, wait_job


def test_the_estimate_job_carries_linkage_uncertainty_and_the_dashboard_shows_both(
        fresh_case) -> None:  # type: ignore[no-untyped-def]
    from dadkhah.register import latest_estimates
    from dadkhah.store import Case
    from dadkhah.web.jobs import WEB_LINKAGE_DRAWS

    with make_client(fresh_case.location) as c:
        r = c.post("/api/jobs", json={"kind": "estimate"},
                   headers={"Authorization": f"Bearer {fresh_case.tokens['editor']}"})
        assert r.status_code == 202, r.text
        done = wait_job(c, r.json()["id"],
                        headers={"Authorization": f"Bearer {fresh_case.tokens['editor']}"})
        assert done["status"] == "done", done
        assert done["result"]["linkage_draws"] == WEB_LINKAGE_DRAWS
        with Case.open(fresh_case.location) as case:
            rows = latest_estimates(case)
        assert rows
        for row in rows:
            assert row.estimate is not None
            dg = row.estimate.diagnostics
            # both intervals kept: pooled over the drawn registers, and the fixed register's
            assert dg["fixed_low"] <= dg["fixed_high"] and 0.0 <= dg["linkage_share"] <= 1.0
            assert row.low <= dg["fixed_high"] and row.high >= dg["fixed_low"]
            assert not any(a.startswith("Records were matched")
                           for a in row.estimate.assumptions)
        login(c, "viewer")
        html = c.get("/team/").text
        assert "register taken as certain" in html
        cells = re.findall(r'<td class="interval-fixed">(.*?)</td>', html, re.S)
        assert len(cells) == len(rows)
        assert all("from linkage" in cell for cell in cells)
        # and in Persian, with nothing left in English
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": login(c, "viewer")})
        html = c.get("/team/").text
        assert "با فرض قطعی بودن فهرست" in html
        cells = re.findall(r'<td class="interval-fixed">(.*?)</td>', html, re.S)
        assert cells and all("پیوند رکوردها" in cell and "linkage" not in cell
                             for cell in cells)


def test_the_dashboard_says_the_estimators_warnings_in_the_pages_language(
        fresh_case, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A fit that warns (every kind of estimator warning, raised by cheap fits): the Persian
    dashboard says each in Persian with Persian digits, the English one as the estimator
    wrote it."""
    import dataclasses
    import warnings

    import dadkhah.estimate as estimate
    from dadkhah.names import persian_digits
    from dadkhah.register import compute_estimates
    from dadkhah.store import Case
    from dadkhah.web.i18n import render_wording
    from tests.cli.test_estimate_language import _warned

    raised = [w for w in _warned() if getattr(w, "wording", None)]
    fit = estimate.estimate_total

    def warns(*args, **kwargs):  # type: ignore[no-untyped-def]
        # as an estimator does (Notes.warn): each warning warned and kept in the notes
        for w in raised:
            warnings.warn(w, stacklevel=2)
        est = fit(*args, **kwargs)
        return dataclasses.replace(est, notes=(*est.notes, *(str(w) for w in raised)))

    monkeypatch.setattr(estimate, "estimate_total", warns)
    with Case.open(fresh_case.location) as case:
        compute_estimates(case, methods=("loglinear",), by="tests")
    with make_client(fresh_case.location) as c:
        token = login(c, "viewer")
        en = c.get("/team/").text
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        fa = c.get("/team/").text
    notes = re.search(r'<tr class="notes">(.*?)</tr>', fa, re.S)
    assert notes, fa[:2000]
    import html as html_lib

    said = html_lib.unescape(notes.group(1))
    for w in raised:
        assert html_lib.escape(str(w), quote=False) in en or str(w) in html_lib.unescape(en)
        persian = render_wording("fa", w.wording)
        assert persian in said and str(w) not in said, (persian, said[:3000])
    assert persian_digits("1") in said
    # a copied list's note too (the SYNTHETIC web case records ngo_b as copying ngo_a)
    assert "counted with" in html_lib.unescape(en) and "counted with" not in said
    assert "شمرده شد: بخشی از آن را رونویسی کرده است" in said
    # the report job reuses the stored estimates: their warnings in Persian beside the English
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        r = c.post("/team/jobs", data={"kind": "report", "csrf_token": token})
        job = wait_job(c, job_id_of(r.url))
        assert job["status"] == "done", job
        report = html_lib.unescape(c.get(f"/team/jobs/{job['id']}/report").text)
    for w in raised:
        assert f'{w} <bdi dir="rtl" lang="fa" class="note-fa">' \
               f'{render_wording("fa", w.wording)}</bdi>' in report, str(w)
