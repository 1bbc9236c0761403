"""The report shows the case file when there is one, and stays labelled SYNTHETIC when the
register is synthetic and the case file is not."""

from __future__ import annotations

from dadkhah.report import gather_report_data, render_html
from tests.report._html import parse


def test_casefile_beside_a_synthetic_register(tmp_path) -> None:
    from dadkhah import casefile
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path / "c", scenario="small", persons=200, seed=2)
    link_case(sc.case)
    casefile.load_example(sc.case, by="tester")
    data = gather_report_data(sc.case, by=(), methods=("loglinear",), include_names=False)
    html = render_html(data)
    page = parse(html)
    assert data.synthetic  # the example's real, cited sources name no victims
    assert data.casefile is not None and not data.casefile.synthetic
    assert [s.slug for s in data.sources] == [s["id"] for s in sc.manifest["lists"]]
    assert "The case-file section holds public facts" in page.text
    figures = casefile.list_figures(sc.case)
    assert len(page.tables["table-cf-figures"].body()) == len(figures)
    values = {c[3].text for _, c in page.tables["table-cf-figures"].body()}
    assert {" ".join(f.value_text.split()) for f in figures} == values
    events = {a["data-event"] for a, _ in page.tables["table-cf-events"].body()}
    assert events == {e.slug for e in casefile.list_events(sc.case)}
    assert len(page.tables["table-cf-allegations"].body()) == len(
        casefile.list_allegations(sc.case))
    sc.case.close()


def test_every_casualty_names_alleged_perpetrators_of_linked_events(tmp_path) -> None:
    import csv

    from dadkhah import casefile
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.report.exports import write_every_casualty
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path / "c", scenario="small", persons=120, seed=4)
    link_case(sc.case)
    casefile.load_example(sc.case, by="tester")
    allegations = casefile.list_allegations(sc.case)
    event = allegations[0].event
    with sc.case.read() as conn:
        pid = conn.exec_driver_sql("SELECT min(id) FROM persons WHERE status = 'active'"
                                   ).scalar()
    casefile.link_victim(sc.case, event, person_id=pid, by="tester")
    res = write_every_casualty(sc.case, tmp_path / "e.csv")
    with open(res.path, encoding="utf-8", newline="") as fh:
        rows = {int(r["victim_id"]): r for r in csv.DictReader(fh)}
    shown = rows[pid]["perpetrators"].split(" | ")
    want = [a for a in allegations if a.event == event]
    assert len(shown) == len(want)
    assert all(s.startswith("ALLEGED: ") for s in shown)
    assert {a.accused_name for a in want} == {s[9:].split(" (")[0] for s in shown}
    assert all(r["perpetrators"] == "" for p, r in rows.items() if p != pid)
    sc.case.close()
