"""The demo's portal stage on a small linked SYNTHETIC case."""

from __future__ import annotations

from dadkhah import portal
from dadkhah.demo import DemoContext, stage_portal


def test_stage_portal_publishes_synthetic_persons_and_the_article(linked, tmp_path) -> None:
    said: list[str] = []
    ctx = DemoContext(tmp_path, linked, said.append)
    stage_portal(ctx)
    entries, total = portal.memorial_entries(linked, limit=5)
    assert total == len(portal.synthetic_person_ids(linked)) == ctx.results["published"]
    assert all(e.synthetic for e in entries)
    (article,) = portal.list_articles(linked)
    # Every paragraph's claims are footnoted; every footnote names its source and address.
    assert len(article.footnotes) >= 10
    assert all("http" in f.text for f in article.footnotes)
    # The advocacy group's claimed total is shown as such, with its source labelled.
    assert "up to 30,000, without a published method" in article.body
    assert "advocacy source" in next(f.text for f in article.footnotes if f.label == "ncri")
    assert "SYNTHETIC" in said[0] and linked.verify_audit().ok
