"""Citations of a restricted source on the case file's readers (issue 16): actors, roles,
events, figures, allegations, burial sites, the dossier and the report's case-file section
leave out every citation of a source restricted from the reader, and nothing else; the users
it is restricted to, and an admin asking for everything, see them all.  SQLite and
PostgreSQL."""

from __future__ import annotations

from collections import Counter

from dadkhah import casefile as cf
from dadkhah.access import NOBODY, Viewer
from dadkhah.register import restrict
from dadkhah.store import Case
from dadkhah.users import add_user

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "editor")
EVERYTHING = Viewer(sees_all=True)


def _citations(case: Case, viewer: Viewer | None) -> Counter[tuple[str, str, str]]:
    """(claim kind, claim, cited source) of every citation the readers give ``viewer``."""
    out: Counter[tuple[str, str, str]] = Counter()
    for a in cf.list_actors(case, viewer=viewer):
        out.update(("actor", a.slug, c.source) for c in a.sources)
        for r in a.roles:
            out.update(("role", str(r.id), c.source) for c in r.sources)
            assert r.sources == cf.get_role(case, r.id, viewer=viewer).sources
        assert a.sources == cf.get_actor(case, a.slug, viewer=viewer).sources
    for e in cf.list_events(case, viewer=viewer):
        out.update(("event", e.slug, c.source) for c in e.sources)
        for f in e.figures:
            out.update(("figure", str(f.id), c.source) for c in f.sources)
            assert f.sources == cf.get_figure(case, f.id, viewer=viewer).sources
        assert e.sources == cf.get_event(case, e.slug, viewer=viewer).sources
    assert Counter(("figure", str(f.id), c.source)
                   for f in cf.list_figures(case, viewer=viewer) for c in f.sources) \
        == Counter(k for k in out.elements() if k[0] == "figure")
    for al in cf.list_allegations(case, viewer=viewer):
        out.update(("allegation", str(al.id), c.source) for c in al.sources)
    for b in cf.list_burial_sites(case, viewer=viewer):
        out.update(("burial", b.slug, c.source) for c in b.sources)
        assert b.sources == cf.get_burial_site(case, b.slug, viewer=viewer).sources
    return out


def _most_cited(case: Case) -> str:
    return Counter(k[2] for k in _citations(case, EVERYTHING).elements()).most_common(1)[0][0]


def test_citations_of_a_restricted_source_reach_only_its_users(example_case: Case) -> None:
    for u in ("alice", "bob"):
        add_user(example_case, u, "correct horse battery staple", role="editor", by="admin")
    slug = _most_cited(example_case)
    before = _citations(example_case, EVERYTHING)
    assert _citations(example_case, BOB) == before  # nothing restricted yet
    restrict(example_case, "source", example_case.resolve_source_id(slug), users=["alice"],
             by="admin", role="admin")

    expected = Counter({k: n for k, n in before.items() if k[2] != slug})
    assert expected != before
    for who in (BOB, NOBODY, None):
        assert _citations(example_case, who) == expected
    for who in (ALICE, EVERYTHING):
        assert _citations(example_case, who) == before

    # the report's case-file section reads through the same readers
    from dadkhah.report.data import _casefile

    for who, seen in ((BOB, False), (ALICE, True)):
        summary = _casefile(example_case, who)
        assert summary is not None
        cited = {c.source for group in (summary.actors, summary.events, summary.figures,
                                        summary.allegations, summary.burial_sites)
                 for x in group for c in x.sources}
        assert (slug in cited) is seen


def test_a_court_status_check_still_counts_a_restricted_court_record(example_case: Case
                                                                      ) -> None:
    """The check behind 'established_by_court' shows nothing: it counts every citation."""
    al = next(a for a in cf.list_allegations(example_case, viewer=EVERYTHING)
              if any(c.kind == "court_record" for c in a.sources))
    court = next(c.source for c in al.sources if c.kind == "court_record")
    # a source bob may see, so that the allegation exists for him once the court record is
    # kept from him
    cf.add_citation(example_case, "allegation", al.id, "ngo:2", by="tester")
    add_user(example_case, "alice", "correct horse battery staple", role="editor", by="a")
    restrict(example_case, "source", example_case.resolve_source_id(court), users=["alice"],
             by="admin", role="admin")
    out = cf.set_allegation_status(example_case, al.id, "established_by_court", by="bob",
                                   role="editor", viewer=BOB)
    assert out.status == "established_by_court"
    assert court not in {c.source for c in out.sources}


def test_a_claim_resting_only_on_a_kept_source_does_not_exist_for_others(example_case: Case
                                                                           ) -> None:
    """A figure or an allegation is never recorded without a source, so one shown with none
    would say it rests on restricted material: for a reader kept from every source of it,
    it is left out everywhere (readers, dossier, report, exchange file, exports) and its
    number gets the answer a missing one gets; its users see it.  Writers still return what
    they wrote."""
    import pytest

    from dadkhah.casefile.exchange import casefile_document
    from dadkhah.errors import NotFound
    from dadkhah.report.data import _casefile
    from dadkhah.report.exports import alleged_perpetrators

    case = example_case
    for u in ("alice", "bob"):
        add_user(case, u, "correct horse battery staple", role="editor", by="admin")
    case.add_source(slug="secret", title="A kept source (SYNTHETIC)", kind="memoir",
                    reliability="C", synthetic=True, by="tester")
    restrict(case, "source", case.resolve_source_id("secret"), users=["alice"], by="admin",
             role="admin")
    event = cf.list_events(case, viewer=EVERYTHING)[0]
    actor = cf.list_actors(case, viewer=EVERYTHING)[0]
    fig = cf.add_figure(case, event.slug, quantity="killed", figure_type="claim",
                        value_text="12,345 (SYNTHETIC)", sources=["secret:3"], by="alice",
                        viewer=ALICE)
    al = cf.add_allegation(case, accused=actor.slug, event=event.slug, mode="ordered",
                           text="SYNTHETIC allegation on a kept source", sources=["secret:3"],
                           by="alice", viewer=ALICE)
    # writers return what they wrote, whoever reads it later
    assert fig.value_text == "12,345 (SYNTHETIC)" and al.text.startswith("SYNTHETIC")
    assert cf.update_figure(case, fig.id, quantity="killed", figure_type="claim",
                            value_text="12,346 (SYNTHETIC)", by="alice",
                            viewer=ALICE).id == fig.id
    assert cf.update_allegation(case, al.id, mode="ordered", text=al.text, by="alice",
                                viewer=ALICE).id == al.id
    assert cf.set_allegation_status(case, al.id, "corroborated", by="alice",
                                    viewer=ALICE).id == al.id

    def shown(viewer: Viewer | None) -> tuple[bool, bool]:
        figs = {f.id for f in cf.list_figures(case, viewer=viewer)}
        assert figs == {f.id for e in cf.list_events(case, viewer=viewer) for f in e.figures}
        alls = {a.id for a in cf.list_allegations(case, viewer=viewer)}
        summary = _casefile(case, viewer)
        assert summary is not None
        assert ({f.id for f in summary.figures}, {a.id for a in summary.allegations}) \
            == (figs, alls)
        with case.read() as conn:
            doc = casefile_document(conn, viewer)
        assert sum(1 for e in doc["events"] for f in e["figures"]
                   if f["value_text"].startswith("12,346")) == (fig.id in figs)
        assert any(a["text"] == al.text for a in doc["allegations"]) == (al.id in alls)
        return fig.id in figs, al.id in alls

    for who in (ALICE, EVERYTHING):
        assert shown(who) == (True, True)
        assert cf.get_figure(case, fig.id, viewer=who).sources[0].source == "secret"
        assert cf.get_allegation(case, al.id, viewer=who).sources[0].source == "secret"
    missing = 10_000
    for who in (BOB, NOBODY, None):
        assert shown(who) == (False, False)
        for get, ident in ((cf.get_figure, fig.id), (cf.get_allegation, al.id)):
            with pytest.raises(NotFound) as hidden:
                get(case, ident, viewer=who)
            with pytest.raises(NotFound) as absent:
                get(case, missing, viewer=who)
            assert (hidden.value.message.replace(str(ident), "N"), hidden.value.hint) \
                == (absent.value.message.replace(str(missing), "N"), absent.value.hint)
    with case.read() as conn:
        left: dict[str, int] = {}
        casefile_document(conn, BOB, left)
    assert (left["figures"], left["allegations"]) == (1, 1)
    # the export's alleged perpetrators: the reader's allegations only
    texts = {t for ts in alleged_perpetrators(case, ALICE).values() for t in ts}
    others = {t for ts in alleged_perpetrators(case, BOB).values() for t in ts}
    assert others <= texts
