"""The report and the exports on a PostgreSQL case (skipped without DADKHAH_TEST_PG_URL)."""

from __future__ import annotations

import csv

import pytest

from tests.conftest import PG_URL, _pg_database


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="DADKHAH_TEST_PG_URL not set (scripts/test sets it)")
def test_report_and_exports_on_postgres(tmp_path) -> None:
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register import normalize_case
    from dadkhah.report import write_report
    from dadkhah.report.exports import write_register
    from dadkhah.testing import simulated_case
    from tests.report._html import parse

    gen = _pg_database()
    url = next(gen)
    try:
        sc = simulated_case(url, scenario="small", persons=200, seed=6,
                            lists_folder=tmp_path / "lists")
        normalize_case(sc.case)
        link_case(sc.case)
        res = write_report(sc.case, tmp_path / "r.html", by=("sex",), methods=("loglinear",))
        page = parse(res.html.read_text(encoding="utf-8"))
        with sc.case.read() as conn:
            persons = conn.exec_driver_sql(
                "SELECT count(*) FROM persons WHERE status = 'active'").scalar()
        assert res.persons == persons
        shown = sum(int(c[1].text.replace(",", ""))
                    for _, c in page.tables["table-register-sex"].body())
        assert shown == persons
        reg = write_register(sc.case, tmp_path / "r.csv")
        with open(reg.path, encoding="utf-8", newline="") as fh:
            assert sum(1 for _ in csv.DictReader(fh)) == persons
        sc.case.close()
    finally:
        gen.close()
