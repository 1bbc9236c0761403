"""Review batches: the queue of one source or one prison, in the library, the web page (which
keeps the batch from one decision to the next), the API and the CLI.  Also the search
page's source filter, whose options were empty (the template read tuples as objects).
Real SQLite case built by the simulator and linked by splink."""

from __future__ import annotations

import re

from sqlalchemy import or_, select

from tests.web.conftest import csrf_of, login, make_client
from tests.web.test_pages import _db


def _records_of(case, column: str, value):  # type: ignore[no-untyped-def]
    from dadkhah.store.tables import SourceRecord

    with case.read() as conn:
        return set(conn.execute(select(SourceRecord.id)
                                .where(getattr(SourceRecord, column) == value)).scalars())


def test_a_batch_holds_exactly_the_queue_pairs_of_its_source_or_prison(fresh_case) -> None:
    from dadkhah.register import ReviewBatch, review_backlog, review_queue
    from dadkhah.store.tables import SourceRecord

    with _db(fresh_case.location) as case:
        whole = review_queue(case, limit=100_000)
        assert len(whole) > 20  # the check needs a real queue
        sources = case.sources()
        with case.read() as conn:
            prisons = [p for p in conn.execute(select(SourceRecord.prison_id).distinct()
                                               .where(or_(SourceRecord.prison_id.isnot(None))))
                       .scalars()]
        checked = 0
        for batch, members in (
                *[(ReviewBatch(source=s.slug), _records_of(case, "source_id", s.id))
                  for s in sources],
                *[(ReviewBatch(prison=p), _records_of(case, "prison_id", p)) for p in prisons]):
            expected = [p for p in whole if p.record_l in members or p.record_r in members]
            got = review_queue(case, limit=100_000, batch=batch)
            assert [p.pair_id for p in got] == [p.pair_id for p in expected], batch
            assert review_backlog(case, batch) == len(expected)
            checked += bool(expected) and len(expected) < len(whole)
        assert checked >= 2  # at least two batches were proper, non-empty parts
        both = ReviewBatch(source=sources[0].slug, prison=prisons[0])
        in_both = _records_of(case, "source_id", sources[0].id) & \
            _records_of(case, "prison_id", prisons[0])
        assert [p.pair_id for p in review_queue(case, limit=100_000, batch=both)] == \
            [p.pair_id for p in whole if p.record_l in in_both or p.record_r in in_both]


def test_an_unknown_source_batch_is_a_clear_error(fresh_case) -> None:
    import pytest

    from dadkhah.errors import NotFound
    from dadkhah.register import ReviewBatch, review_queue

    with _db(fresh_case.location) as case, pytest.raises(NotFound, match="no-such-list"):
        review_queue(case, batch=ReviewBatch(source="no-such-list"))


def test_the_review_page_keeps_its_batch_from_one_decision_to_the_next(fresh_case) -> None:
    from dadkhah.register import ReviewBatch, review_backlog

    with _db(fresh_case.location) as case:
        source = max(case.sources(), key=lambda s: review_backlog(
            case, ReviewBatch(source=s.slug)) or 10**9)
        members = _records_of(case, "source_id", source.id)
        before = review_backlog(case, ReviewBatch(source=source.slug))
    assert before >= 2
    with make_client(fresh_case.location) as c:
        login(c, "reviewer")
        page = c.get("/team/review", params={"source": source.slug}).text
        assert f'<option value="{source.slug}" selected>' in page
        for _ in range(2):
            left, right = map(int, re.search(r'data-pair="(\d+)-(\d+)"', page).groups())
            assert {left, right} & members  # every pair shown belongs to the batch
            r = c.post("/team/review/decide", data={
                "csrf_token": csrf_of(page), "record_l": left, "record_r": right,
                "decision": "unsure", "source": source.slug, "prison": ""})
            assert r.status_code == 200 and "Decision saved" in r.text
            assert f"source={source.slug}" in str(r.url)  # the batch is kept
            page = r.text
        assert re.search(rf"{before - 2:,} pairs remaining in this batch", page), \
            re.search(r'id="backlog">([^<]*)', page)
        # in Persian too
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": csrf_of(page)})
        fa = c.get("/team/review", params={"source": source.slug}).text
        assert "در این دسته" in fa


def test_the_api_and_the_cli_give_the_same_batch(fresh_case) -> None:
    import json

    from typer.testing import CliRunner

    from dadkhah.cli import app as cli
    from dadkhah.register import ReviewBatch, review_queue

    with _db(fresh_case.location) as case:
        source = case.sources()[-1].slug
        expected = [(p.record_l, p.record_r)
                    for p in review_queue(case, limit=5, batch=ReviewBatch(source=source))]
    assert expected
    with make_client(fresh_case.location) as c:
        r = c.get("/api/review/queue", params={"limit": 5, "source": source},
                  headers={"Authorization": f"Bearer {fresh_case.tokens['reviewer']}"})
        assert r.status_code == 200, r.text
        assert [(p["record_l"], p["record_r"]) for p in r.json()] == expected
        r = c.get("/api/review/queue", params={"source": "no-such-list"},
                  headers={"Authorization": f"Bearer {fresh_case.tokens['reviewer']}"})
        assert r.status_code == 404 and "no-such-list" in r.text
    res = CliRunner().invoke(cli, ["--case", fresh_case.location, "review", "--limit", "5",
                                   "--source", source, "--json"])
    assert res.exit_code == 0, res.output
    assert [(p["record_l"], p["record_r"]) for p in json.loads(res.output)] == expected


def test_the_search_page_offers_each_source_by_its_slug_and_title(fresh_case) -> None:
    from html import escape

    with _db(fresh_case.location) as case:
        sources = case.sources()
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        html = c.get("/team/search").text
    for s in sources:
        title = escape(s.title).replace("&#x27;", "&#39;")  # Jinja's way of escaping «'»
        assert re.search(rf'<option value="{re.escape(s.slug)}"\s*>{re.escape(title)}<', html), \
            s.slug
