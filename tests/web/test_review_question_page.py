"""The web review page's questions with several candidates (SYNTHETIC data): the next queued
pair's record beside the records of other persons, and one answer recording a decision on
every record shown."""

from __future__ import annotations

import re

from tests.web.conftest import login, make_client


def test_one_answer_on_the_question_page_decides_every_record_shown(fresh_case) -> None:
    from dadkhah.register import decisions, next_review_pair, review_question
    from dadkhah.store import Case

    with Case.open(fresh_case.location) as case:
        q = review_question(case, next_review_pair(case))
    shown = [c.record for c in q.candidates]
    with make_client(fresh_case.location) as c:
        token = login(c, "reviewer")
        assert 'id="question-link"' in c.get("/team/review").text
        html = c.get("/team/review/question").text
        assert f'data-focal="{q.focal.record}"' in html
        assert re.findall(r'data-candidate="(\d+)"', html) == [str(r) for r in shown]
        r = c.post("/team/review/answer", data={
            "csrf_token": token, "focal": q.focal.record, "candidate": shown,
            "same": [shown[0]], "reason": "one father"})
        assert r.status_code == 200 and 'id="saved"' in r.text, r.text[:500]
        assert f'data-focal="{q.focal.record}"' not in r.text or \
            re.findall(r'data-candidate="(\d+)"', r.text) != [str(x) for x in shown]
        # a record the question did not show is refused, with the reason
        bad = c.post("/team/review/answer", data={
            "csrf_token": token, "focal": q.focal.record, "candidate": shown,
            "same": [q.focal.record]})
        assert bad.status_code == 400 and "not among the candidates" in bad.text
    f = q.focal.record
    with Case.open(fresh_case.location) as case:
        made = sorted((d["record_l"], d["record_r"], d["decision"], d["reason"])
                      for d in decisions(case))
    assert made == sorted((min(f, x), max(f, x), "match" if x == shown[0] else "no_match",
                           "one father") for x in shown)
    with make_client(fresh_case.location) as v:
        token = login(v, "viewer")
        html = v.get("/team/review/question").text
        assert 'name="same"' not in html  # a viewer sees the question, cannot answer it
        assert v.post("/team/review/answer", data={
            "csrf_token": token, "focal": f, "candidate": shown}).status_code == 403


def test_persian_question_page(fresh_case) -> None:
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        c.post("/lang", data={"lang": "fa", "next": "/team/review/question",
                              "csrf_token": re.search(r'name="csrf-token" content="(\w+)"',
                                                      c.get("/team/").text).group(1)})
        html = c.get("/team/review/question").text
    assert "کدام‌یک همان فرد است؟" in html
