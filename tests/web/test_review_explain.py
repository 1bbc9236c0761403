"""The review page says why a pair was proposed (the model's per-comparison weights, in
words) and a decision can be undone: the undo is a new decision, nothing is deleted."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from tests.web.conftest import login, make_client


def _pair_decisions(location: str, a: int, b: int) -> list:
    from dadkhah.store import Case
    from dadkhah.store.tables import Decision

    with Case.open(location) as case, case.read() as conn:
        return conn.execute(select(Decision.__table__).where(
            Decision.record_l == min(a, b), Decision.record_r == max(a, b))
            .order_by(Decision.id)).all()


def test_the_review_page_explains_the_pair_from_the_stored_weights(web_case) -> None:
    from dadkhah.register import next_review_pair
    from dadkhah.store import Case

    with Case.open(web_case.location) as case:
        pair = next_review_pair(case)
    assert pair is not None and pair.weights
    with make_client(web_case.location) as c:
        login(c, "viewer")
        html = c.get("/team/review").text
    assert f'data-pair="{pair.record_l}-{pair.record_r}"' in html
    rows = re.findall(r'data-comparison="(\w+)" data-level="(\w+)"', html)
    # Every comparison the model scored, strongest evidence first, each in words that
    # follow the sign and size of its weight.
    assert [c for c, _ in rows] == sorted(pair.weights, key=lambda k: -abs(pair.weights[k]))
    for comparison, level in rows:
        w = pair.weights[comparison]
        assert level.startswith("agrees") == (w >= 0.5), (comparison, w, level)
        assert level.startswith("disagrees") == (w < -0.5), (comparison, w, level)
        assert (level == "agrees_strongly") == (w >= 3)
    assert "Why this pair was proposed" in html and "Name" in html


def test_persian_review_page_names_fields_and_evidence_in_persian(web_case) -> None:
    with make_client(web_case.location) as c:
        login(c, "viewer")
        c.post("/lang", data={"lang": "fa", "next": "/team/review",
                              "csrf_token": re.search(r'name="csrf-token" content="(\w+)"',
                                                      c.get("/team/").text).group(1)})
        html = c.get("/team/review").text
        c.post("/lang", data={"lang": "en", "next": "/team/",
                              "csrf_token": re.search(r'name="csrf-token" content="(\w+)"',
                                                      c.get("/team/").text).group(1)})
    assert "چرا این جفت پیشنهاد شد" in html
    heads = re.findall(r'<th scope="row">([^<]+)</th>', html)
    untranslated = [h for h in heads if not re.search(r"[\u0600-\u06FF]", h)]
    assert heads and not untranslated, untranslated
    assert "full_name" not in html.split("<main>")[1].split('id="decide"')[0]
    # the pair's probability in Persian digits with the Persian percent sign
    assert re.search(r"[۰-۹]+(٫[۰-۹])?٪", html) and not re.search(r"[۰-۹]%", html)


def test_undo_is_a_new_decision_and_brings_the_pair_back(fresh_case) -> None:
    from dadkhah.register import next_review_pair
    from dadkhah.store import Case
    from dadkhah.store.tables import AuditEntry

    with Case.open(fresh_case.location) as case:
        pair = next_review_pair(case)
    a, b = pair.record_l, pair.record_r
    with make_client(fresh_case.location) as c:
        token = login(c, "reviewer")
        r = c.post("/team/review/decide", data={"csrf_token": token, "record_l": a,
                                                "record_r": b, "decision": "match"})
        did = int(re.search(r'name="decision_id" value="(\d+)"', r.text).group(1))
        assert 'id="undo-button"' in r.text
        assert f'data-pair="{a}-{b}"' not in r.text  # the next pair is shown
        r = c.post("/team/review/undo", data={"csrf_token": token, "decision_id": did})
        assert r.status_code == 200 and 'id="undone"' in r.text
        assert f'data-pair="{a}-{b}"' in r.text  # the same pair, to decide again
        # Undoing a decision that is no longer in force is refused, with the reason.
        again = c.post("/team/review/undo", data={"csrf_token": token, "decision_id": did})
        assert again.status_code == 400 and "no longer in force" in again.text
        viewer = make_client(fresh_case.location)
    rows = _pair_decisions(fresh_case.location, a, b)
    assert [(r.decision, r.reviewer) for r in rows] == [("match", "reviewer"),
                                                        ("unsure", "reviewer")]
    assert rows[0].superseded_by == rows[1].id and rows[1].superseded_by is None
    assert rows[1].reason == f"undo of decision {did} (match)"
    with Case.open(fresh_case.location) as case, case.read() as conn:
        audited = [json.loads(d)["decision"] for d in conn.execute(
            select(AuditEntry.details).where(AuditEntry.action == "decision")).scalars()]
    assert audited[-2:] == ["match", "unsure"]
    with viewer as v:
        token = login(v, "viewer")
        assert v.post("/team/review/undo", data={"csrf_token": token,
                                                 "decision_id": rows[1].id}).status_code == 403


def test_undo_of_a_changed_mind_restores_the_earlier_decision(fresh_case) -> None:
    from dadkhah.register import next_review_pair, record_decision, undo_decision
    from dadkhah.store import Case

    with Case.open(fresh_case.location) as case:
        pair = next_review_pair(case)
        first = record_decision(case, pair.record_l, pair.record_r, "no_match", by="r1")
        second = record_decision(case, pair.record_l, pair.record_r, "match", by="r2")
        done = undo_decision(case, second, by="r2", role="reviewer")
    assert done.decision == "no_match" and done.undone == second
    rows = _pair_decisions(fresh_case.location, pair.record_l, pair.record_r)
    assert [r.decision for r in rows] == ["no_match", "match", "no_match"]
    assert [r.id for r in rows][:2] == [first, second]
    assert rows[-1].superseded_by is None
