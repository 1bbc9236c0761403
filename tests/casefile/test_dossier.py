"""The dossier: every allegation and source for the actor, self-contained, Persian marked."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from dadkhah import casefile as cf
from dadkhah.store import Case


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.allegations: set[int] = set()
        self.sources: set[str] = set()
        self.evidence: set[str] = set()
        self.external: list[str] = []
        self.bdi_rtl: list[str] = []
        self.text: list[str] = []
        self._in_bdi = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-allegation-id" in a:
            self.allegations.add(int(a["data-allegation-id"] or 0))
        if "data-source" in a:
            self.sources.add(a["data-source"] or "")
        if "data-sha256" in a:
            self.evidence.add(a["data-sha256"] or "")
        if tag in ("link", "script", "img", "iframe") or (tag == "a" and "//" in
                                                          (a.get("href") or "")):
            self.external.append(tag)
        self._in_bdi = tag == "bdi" and a.get("dir") == "rtl"

    def handle_endtag(self, tag: str) -> None:
        if tag == "bdi":
            self._in_bdi = False

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_bdi:
            self.bdi_rtl.append(data)


def _parse(html: str) -> _Collect:
    p = _Collect()
    p.feed(html)
    return p


def _expected_sources(d: cf.Dossier) -> set[str]:
    groups = [d.actor.sources, *[r.sources for r in d.actor.roles],
              *[a.sources for a in d.allegations], *[e.sources for e in d.events],
              *[f.sources for e in d.events for f in e.figures],
              *[b.sources for b in d.burial_sites]]
    return {c.source for g in groups for c in g} | {it.source for it, _ in d.evidence
                                                     if it.source}


def test_dossier_holds_every_allegation_and_source(example_case: Case) -> None:
    accused = sorted({a.accused for a in cf.list_allegations(example_case)})
    assert {"raisi", "nouri", "khomeini", "pour-mohammadi", "iran-authorities"} <= set(accused)
    for actor in accused:  # every actor the example accuses of anything
        _check_dossier(example_case, actor)


def _check_dossier(example_case: Case, by: str) -> None:
    html = cf.render_dossier(example_case, by)
    page = _parse(html)
    alls = cf.list_allegations(example_case, accused=by)
    assert page.allegations == {a.id for a in alls}
    cited = {c.source for a in alls for c in a.sources}
    cited |= {c.source for r in cf.get_actor(example_case, by).roles for c in r.sources}
    assert cited <= page.sources
    assert page.sources == _expected_sources(cf.dossier_data(example_case, by))
    text = " ".join(" ".join(page.text).split())
    for a in alls:  # every allegation is shown attributed, with its status
        assert f"{cf._common.attribution(a.sources)}: {a.text}" in text
    linked = {s for a in alls for s in a.evidence}
    assert linked <= page.evidence
    for sha in page.evidence:  # each item with its full hash and its custody table
        assert sha in text
    assert page.external == []
    assert "url(" not in html and "@import" not in html


def test_dossier_shows_figures_side_by_side_and_persian_names(example_case: Case) -> None:
    html = cf.render_dossier(example_case, "khomeini")
    page = _parse(html)
    assert "روح‌الله خمینی" in page.bdi_rtl
    assert any("۱۳۶۷" in t for t in page.bdi_rtl)  # Solar Hijri dates in Persian digits
    figures = cf.list_figures(example_case, "massacre-1988")
    text = " ".join(page.text)
    for f in figures:  # none dropped, none merged
        assert f.value_text in text
    assert len({f.value_text for f in figures}) >= 10


def test_write_dossier_logs_it(example_case: Case, tmp_path: Path) -> None:
    out = cf.write_dossier(example_case, "nouri", tmp_path / "d" / "nouri.html", by="t")
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Hamid Nouri" in html
    assert "established by court" in html
    from sqlalchemy import select

    from dadkhah.store.tables import AuditEntry

    with example_case.read() as conn:
        last = conn.execute(select(AuditEntry.action, AuditEntry.details)
                            .order_by(AuditEntry.id.desc()).limit(1)).one()
    assert last.action == "dossier.write" and "nouri" in last.details
    assert example_case.verify_audit().ok


def test_actor_without_allegations_gets_an_honest_dossier(cf_case: Case) -> None:
    cf.add_actor(cf_case, slug="x", kind="person", name_fa="شخص ساختگی", by="t")
    html = cf.render_dossier(cf_case, "x")
    assert "No allegations recorded" in html and "شخص ساختگی" in html


def test_shared_dossier_holds_no_local_path(example_case: Case) -> None:
    """The dossier is meant to be shared: its chain of custody and footer name the evidence by
    SHA-256 and neutral names, never a folder on the documenter's machine (which may hold their
    user name)."""
    import re

    from dadkhah.casefile.evidence import custody_history

    folder = Path(str(example_case.location)).resolve()
    roots = {str(folder), str(folder.parent), str(Path(__file__).resolve().parents[2]),
             str(Path.home())}
    assert any(c.details.get("from", "").startswith("/")  # the raw log does hold one
               for e in cf.list_evidence(example_case)
               for c in custody_history(example_case, e.id))
    for actor in cf.list_actors(example_case):
        html = cf.render_dossier(example_case, actor.slug)
        for root in roots:
            assert root not in html, (actor.slug, root)
        text = " ".join(_parse(html).text)
        assert not re.search(r"(?<![\w.])/(?:home|Users|tmp|work|root|var)/", text), actor.slug
        d = cf.dossier_data(example_case, actor.slug)
        for _item, custody in d.evidence:
            for c in custody:
                assert not any(isinstance(v, str) and v.startswith("/")
                               for v in c.details.values()), c
    raisi = cf.render_dossier(example_case, "raisi")
    item, _ = cf.dossier_data(example_case, "raisi").evidence[0]
    assert item.sha256 in raisi and (item.title or item.original_name) in raisi
    assert "from: 1988" in raisi
