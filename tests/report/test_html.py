"""The HTML report against the store: counts, estimates recomputed here, figures, Persian text,
labels.  All data SYNTHETIC."""

from __future__ import annotations

import base64
import json
import math
import re

import pandas as pd
import pytest
from sqlalchemy import text

from tests.report._html import number


def _store_frame(case) -> tuple[pd.DataFrame, list[str]]:
    """One row per active person: a 0/1 column per source slug, and sex, read with plain SQL
    (not through dadkhah.register.persons, which the report uses)."""
    with case.read() as conn:
        links = pd.DataFrame(conn.execute(text(
            "SELECT pr.person_id, s.slug FROM person_records pr "
            "JOIN source_records r ON r.id = pr.record_id JOIN sources s ON s.id = r.source_id"
        )).all(), columns=["person_id", "slug"])
        persons = pd.DataFrame(conn.execute(text(
            "SELECT id, sex, prison_id, n_sources FROM persons WHERE status = 'active'")).all(),
            columns=["id", "sex", "prison_id", "n_sources"])
        slugs = [r[0] for r in conn.execute(text("SELECT slug FROM sources ORDER BY id"))]
    wide = pd.crosstab(links.person_id, links.slug).clip(upper=1).reindex(columns=slugs,
                                                                           fill_value=0)
    frame = persons.set_index("id").join(wide)
    frame["sex"] = frame["sex"].fillna("unknown")
    return frame, slugs


def test_headline_and_sources_match_the_store(linked, parsed) -> None:
    frame, slugs = _store_frame(linked.case)
    boxes = [a for t, a in parsed.elements if a.get("class") == "big"]
    assert number(boxes[0]["data-value"]) == len(frame)
    with linked.case.read() as conn:
        records = dict(conn.execute(text(
            "SELECT s.slug, count(*) FROM source_records r JOIN sources s ON s.id = r.source_id "
            "GROUP BY s.slug")).all())
    rows = parsed.tables["table-sources"].body()
    assert [a["data-source"] for a, _ in rows] == slugs
    for attrs, cells in rows:
        slug = attrs["data-source"]
        assert number(cells[6].text) == records[slug]
        assert number(cells[7].text) == int(frame[slug].sum())  # persons the source names
        only = int(((frame[slug] == 1) & (frame[slugs].sum(axis=1) == 1)).sum())
        assert number(cells[8].text) == only


def test_register_tables_match_the_store(linked, parsed) -> None:
    frame, _ = _store_frame(linked.case)
    table = parsed.tables["table-register-prison"].body()
    shown = {a["data-value"]: number(c[1].text) for a, c in table}
    expected = frame.prison_id.fillna("unknown").value_counts().to_dict()
    assert shown == expected
    for attrs, cells in table:
        sub = frame[frame.prison_id.fillna("unknown") == attrs["data-value"]]
        by_n = [int((sub.n_sources == k).sum()) for k in (1, 2, 3)]
        by_n.append(int((sub.n_sources >= 4).sum()))
        assert [number(c.text) for c in cells[2:6]] == by_n
    sexes = {a["data-value"]: number(c[1].text)
             for a, c in parsed.tables["table-register-sex"].body()}
    assert sexes == frame.sex.value_counts().to_dict()
    assert sum(number(c[1].text) for _, c in parsed.tables["table-register-month"].body()) \
        == len(frame)


def test_the_note_on_copied_lists_is_in_persian_too(linked, report, parsed) -> None:
    from dadkhah.register import copied_lists

    data = report[0]
    acting = copied_lists(linked.case).acting([s.slug for s in data.sources])
    assert acting and len(data.merged_copies_fa) == len(data.merged_copies) == len(acting)
    for c in acting:
        part = "همهٔ" if c.extent == "whole" else "بخشی از"
        assert f"{c.source} همراه با {c.copied} شمرده شد: {part} آن را" in parsed.text
    assert any(a.get("class") == "merged-copies-fa" and a.get("lang") == "fa"
               for _t, a in parsed.elements)


def test_estimates_equal_a_recomputation(linked, parsed, lcmcr_estimate) -> None:
    from dadkhah.estimate import CaptureHistories, LogLinear, estimate_total

    frame, slugs = _store_frame(linked.case)
    frame = frame.reset_index()
    from dadkhah.register import copied_lists

    # a list the case records as copying another is counted together with it, and said
    copied = copied_lists(linked.case)
    assert copied and any(a.get("id") == "merged-copies" for _t, a in parsed.elements)
    assert f"{copied.copies[0].source} counted with {copied.copies[0].copied}" in parsed.text
    h = copied.apply(CaptureHistories.from_persons(frame, lists=slugs))
    ll = LogLinear().fit(h)
    rows = {a["data-method"]: c for a, c in parsed.tables["table-estimates"].body()}
    assert float(rows["loglinear"][2].attrs["data-value"]) == pytest.approx(ll.total, rel=1e-9)
    assert number(rows["loglinear"][2].text) == round(ll.total)
    assert float(rows["loglinear"][3].attrs["data-low"]) == pytest.approx(ll.interval.low)
    assert float(rows["loglinear"][3].attrs["data-high"]) == pytest.approx(ll.interval.high)
    assert number(rows["loglinear"][1].text) == len(frame)  # documented beside it
    assert float(rows["lcmcr"][2].attrs["data-value"]) == lcmcr_estimate.total
    assert "not estimated" in rows["chapman"][2].text  # five lists: chapman needs two
    # by sex, through the stratified path, on histories built here: a missing sex is
    # multiply imputed (5 imputations, the report's seed), never an "unknown" stratum
    from dadkhah.estimate import combine_imputations
    from dadkhah.register import impute_missing

    used = [s for s in slugs if frame[s].sum() > 0]
    imp = impute_missing(frame[[*slugs, "sex"]], used, ["sex"], m=5, seed=3)
    strat = combine_imputations([estimate_total(copied.apply(h), method="loglinear", seed=3)
                                 for h in imp.histories()], seed=3, imputed=imp.imputed)
    want = {dict(e.stratum)["sex"]: e.total for e in strat.strata}
    assert "unknown" not in want
    table = parsed.tables["table-estimates-sex"]
    cells = [c for _, r in table.body() for c in r
             if c.attrs.get("data-method") == "loglinear" and "data-value" in c.attrs
             and "data-combined" not in c.attrs]
    assert sorted(float(c.attrs["data-value"]) for c in cells) == pytest.approx(
        sorted(want.values()))
    combined = [c for _, r in table.body() for c in r if "data-combined" in c.attrs]
    assert float(combined[0].attrs["data-value"]) == pytest.approx(strat.combined.total)


def test_documented_and_estimated_are_styled_apart(parsed) -> None:
    for tid in ("table-estimates", "table-estimates-sex"):
        t = parsed.tables[tid]
        for _, cells in t.body():
            for c in cells:
                classes = c.attrs.get("class", "").split()
                assert not ("doc" in classes and "est" in classes)
                if "data-value" in c.attrs and "data-method" in c.attrs:
                    assert "est" in classes
        header = " ".join(c.text for c in t.rows[0])
        assert "ESTIMATED" in header and "documented" in header
    est_box = [a for t, a in parsed.elements if a.get("id") == "headline-estimated"]
    assert est_box and "est" in est_box[0]["class"].split()


def test_every_figure_is_an_embedded_image(parsed) -> None:
    assert {"fig-sources", "fig-upset", "fig-venn", "fig-timeline",
            "fig-forest-sex"} <= set(parsed.figures)
    assert len(parsed.images) == len(parsed.figures)
    for img in parsed.images:
        assert img["src"].startswith("data:image/png;base64,")
        png = base64.b64decode(img["src"].split(",", 1)[1])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
        assert img["alt"]
    # self-contained: nothing fetched from elsewhere
    for tag, attrs in parsed.elements:
        for k in ("src", "href"):
            v = attrs.get(k, "")
            assert not re.match(r"(https?:)?//", v), (tag, v)
        assert tag != "link"


def test_persian_names_in_logical_order(linked, parsed) -> None:
    import jdatetime

    with linked.case.read() as conn:
        names = dict(conn.execute(text(
            "SELECT id, name_fa FROM persons WHERE status = 'active'")).all())
        deaths = {r.id: (r.death_earliest, r.death_latest) for r in conn.execute(text(
            "SELECT id, death_earliest, death_latest FROM persons WHERE status = 'active'"))}
    rows = parsed.tables["table-names"].body()
    assert len(rows) == len(names)
    persian = 0
    for attrs, cells in rows:
        fa = cells[1]
        assert fa.attrs.get("dir") == "rtl" and fa.attrs.get("lang") == "fa"
        want = names[int(attrs["data-person"])] or ""
        assert fa.text == " ".join(want.split())
        # logical order: the text is the store's own, not shaped presentation forms
        assert not any("\ufb50" <= ch <= "\ufeff" for ch in fa.text)
        persian += bool(want)
        # the Solar Hijri date in Persian digits beside the Gregorian one
        lo, hi = deaths[int(attrs["data-person"])]
        j = jdatetime.date.fromgregorian(year=int(lo[:4]), month=int(lo[5:7]),
                                         day=int(lo[8:10]))
        fa = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
        first = j.strftime("%Y/%m/%d").translate(fa)
        assert cells[5].attrs["dir"] == "rtl"
        if lo == hi:
            assert cells[5].text == first
        else:  # precision kept: a whole Solar Hijri month by its name, else a span of days
            month = f"{jdatetime.date.j_months_fa[j.month - 1]} {j.year}".translate(fa)
            jh = jdatetime.date.fromgregorian(year=int(hi[:4]), month=int(hi[5:7]),
                                              day=int(hi[8:10]))
            months = (f"{jdatetime.date.j_months_fa[j.month - 1]}–"
                      f"{jdatetime.date.j_months_fa[jh.month - 1]} {j.year}").translate(fa)
            assert (cells[5].text in (month, months)
                    or cells[5].text.split(" – ")[0] == first), (cells[5].text, lo, hi)
    assert persian > len(rows) / 2
    # Persian place names are isolated right-to-left runs
    bdis = [a for t, a in parsed.elements if t == "bdi" and a.get("dir") == "rtl"]
    assert bdis and all(a.get("lang") == "fa" for a in bdis)


def test_synthetic_everywhere(report, parsed) -> None:
    data, _, html = report
    assert data.synthetic
    assert "synthetic-banner" in html and "SYNTHETIC DATA" in parsed.text
    assert "<title>SYNTHETIC" in html


def test_methods_from_the_actual_settings(linked, report, parsed, lcmcr_estimate) -> None:
    html = report[2]
    with linked.case.read() as conn:
        run = conn.execute(text("SELECT threshold, report FROM link_runs ORDER BY id DESC"
                                )).first()
        offered = conn.execute(text("SELECT count(*) FROM link_pairs WHERE review")).scalar()
    lk = parsed.tables["table-linkage"]
    values = {r[0].text: r[1].text for r in lk.rows if len(r) == 2}
    assert float(values["match threshold"]) == run.threshold
    assert values["scored pairs"] == f"{json.loads(run.report)['scored_pairs']:,}"
    assert values["pairs offered for review"].startswith(f"{offered:,} ")
    assert values["human decisions in force"] == "none"
    # LCMCR's own seed, chains and R-hat reach the methods section
    block = html[html.index('data-method="lcmcr" data-by=""'):]
    block = block[:block.index("</div>")]
    assert f"seed={lcmcr_estimate.settings['seed']}" in block
    assert f"chains={lcmcr_estimate.settings['chains']}" in block
    rhat = lcmcr_estimate.diagnostics["rhat"]
    assert f"rhat={rhat:,.4g}" in block and math.isfinite(rhat)
    assert "Headline method: loglinear." in parsed.text


def test_reproducibility_block(linked, parsed) -> None:
    from dadkhah import __version__

    files = parsed.tables["table-files"].body()
    want = {i.file_sha256 for i in linked.case.imports()}
    assert {c[4].text for _, c in files} == want
    repro = {r[0].text: r[1].text for r in parsed.tables["table-repro"].rows}
    assert repro["command"] == "dadkhah report --test"
    assert f"dadkhah {__version__}" in repro["software"]
    with linked.case.read() as conn:
        chain = conn.execute(text(
            "SELECT action, entry_hash FROM audit_log ORDER BY id DESC")).all()
    # the report pins the chain as its data stood; writing a report or an export is an
    # audited read, logged after that (here or by other tests sharing the case), so the head
    # it quotes is the newest entry once those reads are set aside
    quoted = [i for i, e in enumerate(chain) if e.entry_hash in repro["audit log"]]
    assert quoted, repro["audit log"]
    later = {e.action.split(".")[0] for e in chain[:quoted[0]]}
    assert later <= {"report", "export"}, chain[:quoted[0]]


def test_decisions_are_counted(tmp_path) -> None:
    """A review decision shows in the methods section (fresh small case)."""
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import record_decision
    from dadkhah.report.data import _linkage
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path / "c", scenario="small", persons=150, seed=9)
    link_case(sc.case)
    with sc.case.read() as conn:
        a, b = conn.execute(text("SELECT record_l, record_r FROM link_pairs LIMIT 1")).first()
    before = _linkage(sc.case)
    record_decision(sc.case, a, b, "no_match", by="tester", reason="test")
    after = _linkage(sc.case)
    assert after.decisions == {"no_match": 1}
    assert after.pairs_undecided == before.pairs_undecided - 1
    sc.case.close()


def test_methods_run_overall_only_are_named_beside_the_strata(linked, lcmcr_estimate) -> None:
    """The report's default runs LCMCR on the whole register only; the strata tables say
    so and how to add it, and no LCMCR column pretends to be there."""
    from html.parser import HTMLParser

    from dadkhah.report import gather_report_data, render_html

    data = gather_report_data(linked.case, by=("sex",), methods=("lcmcr", "loglinear"),
                              stratum_methods=("loglinear",), seed=3,
                              precomputed={"lcmcr": lcmcr_estimate}, command="test")
    assert [r.method for r in data.estimates if r.by == "sex"] == ["loglinear"]
    html = render_html(data)
    start = html.index('id="overall-only-sex"')
    note = html[start:html.index("</p>", start)]
    assert "lcmcr ran on the whole register only" in note
    assert "--stratum-method loglinear,lcmcr" in note

    class Heads(HTMLParser):
        heads: list[str] = []
        inside = False

        def handle_starttag(self, tag, attrs):
            self.inside = tag == "table" and ("data-by", "sex") in attrs or self.inside

        def handle_data(self, text):
            if self.inside and text.startswith("ESTIMATED"):
                self.heads.append(text)

        def handle_endtag(self, tag):
            if tag == "table":
                self.inside = False

    p = Heads()
    p.feed(html)
    assert p.heads == ["ESTIMATED, loglinear"]


def test_a_missing_name_is_blank_not_nan() -> None:
    import numpy as np
    import pandas as pd

    from dadkhah.report.data import _names

    persons = pd.DataFrame({"id": [1], "name_fa": [np.nan], "name_latin": ["Ali Ahmadi"],
                            "sex": [np.nan], "death_earliest": [np.nan],
                            "death_latest": [np.nan], "prison_id": [np.nan],
                            "n_sources": [2]})
    (row,) = _names(persons, {})
    assert (row.name_fa, row.sex, row.death_earliest, row.prison) == (None, None, None, None)
    assert row.name_latin == "Ali Ahmadi"
