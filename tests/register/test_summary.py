"""What reports and exports read from the register (dadkhah.register.summary) and the audit
chain's head (dadkhah.store.audit.head), checked against the store (SYNTHETIC data)."""

from __future__ import annotations

import inspect
import json

import pytest
from sqlalchemy import create_engine, text

from dadkhah.register import (
    field_coverage,
    iter_provenance,
    linkage_summary,
    persons_frame,
)
from dadkhah.store import RECORD_FIELDS, audit


@pytest.fixture(scope="module")
def linked(tmp_path_factory):
    """A small simulated case, read once before normalising and linking, then linked."""
    from dadkhah.linkage.pipeline import link_case
    from dadkhah.register.normalize import normalize_case
    from dadkhah.testing import simulated_case

    sc = simulated_case(tmp_path_factory.mktemp("summary") / "case", scenario="small",
                        persons=200, seed=7)
    before = {"counts": (sc.case.count_records(), sc.case.count_records(normalized=True)),
              "linkage": linkage_summary(sc.case),
              "frame": persons_frame(sc.case), "provenance": list(iter_provenance(sc.case))}
    normalize_case(sc.case, by="tester")
    link_case(sc.case, by="tester")
    yield sc.case, before
    sc.case.close()


def _scalar(case, sql: str):
    with case.read() as conn:
        return conn.execute(text(sql)).scalar()


def test_count_records_before_and_after_normalising(linked) -> None:
    case, before = linked
    n = _scalar(case, "SELECT count(*) FROM source_records")
    assert n > 0
    assert before["counts"] == (n, 0)
    assert case.count_records() == n
    assert case.count_records(normalized=True) == _scalar(
        case, "SELECT count(*) FROM source_records WHERE normalized_at IS NOT NULL") > 0


def test_persons_frame_is_the_active_persons_in_id_order(linked) -> None:
    case, before = linked
    assert before["frame"].empty and "n_sources" in before["frame"].columns
    frame = persons_frame(case)
    with case.read() as conn:
        ids = [r[0] for r in conn.execute(
            text("SELECT id FROM persons WHERE status = 'active' ORDER BY id"))]
    assert frame.id.tolist() == ids
    assert {"name_fa", "name_latin", "sex", "death_earliest", "death_latest", "prison_id",
            "city_id", "n_records", "n_sources", "sources", "birth_year_lo",
            "birth_year_hi"} <= set(frame.columns)
    assert (frame.status == "active").all()
    # sources stay JSON text, one id per distinct source
    assert all(len(json.loads(s)) == n for s, n in zip(frame.sources, frame.n_sources,
                                                       strict=True))


def test_field_coverage_counts_non_blank_fields_and_unparsed_values(linked) -> None:
    case, _ = linked
    cov = field_coverage(case)
    with_records = {s.id for s in case.sources() if s.records > 0}
    assert set(cov) == with_records
    for sid, c in cov.items():
        assert c.source_id == sid
        assert tuple(c.fields_present) == RECORD_FIELDS
        for f in ("full_name", "sex", "prison"):
            assert c.fields_present[f] == _scalar(
                case, f"SELECT count(*) FROM source_records WHERE source_id = {sid} "
                      f"AND trim(coalesce({f}, '')) != ''")
    # unparsed values, counted independently from the stored parse problems
    want: dict[int, dict[str, int]] = {}
    with case.read() as conn:
        for sid, problems in conn.execute(text(
                "SELECT source_id, parse_problems FROM source_records "
                "WHERE parse_problems IS NOT NULL")):
            for p in json.loads(problems):
                if p.get("kind") == "unparsed":
                    d = want.setdefault(sid, {})
                    d[p["field"]] = d.get(p["field"], 0) + 1
    assert {sid: dict(c.unparsed) for sid, c in cov.items() if c.unparsed} == want
    assert all(list(c.unparsed) == sorted(c.unparsed) for c in cov.values())
    with pytest.raises(TypeError):
        cov[next(iter(cov))].fields_present["sex"] = 0  # read-only


def test_field_coverage_of_a_hand_made_list(tmp_path) -> None:
    """Blank cells are not counted; values normalisation cannot read are, by field."""
    from dadkhah.ingest import import_file
    from dadkhah.register.normalize import normalize_case
    from dadkhah.store import Case

    f = tmp_path / "list.csv"
    f.write_text("full_name,sex,death_date,prison\n"
                 "Maryam Ahmadi,F,1988-08-01,Evin\n"
                 "Reza Mousavi,?,yesterday,\n"
                 "Ali Karimi,  ,sometime,\n", encoding="utf-8")
    with Case.create(tmp_path / "case") as case:
        case.add_source(slug="synthetic-1", title="SYNTHETIC list", kind="other",
                        synthetic=True)
        case.add_source(slug="cited-report", title="SYNTHETIC report, no records",
                        kind="other", synthetic=True)
        import_file(case, f, source="synthetic-1")
        assert field_coverage(case)[1].unparsed == {}  # not normalised yet
        normalize_case(case, by="tester")
        cov = field_coverage(case)
        assert set(cov) == {1}  # a source without records has no coverage
        c = cov[1]
        assert (c.fields_present["full_name"], c.fields_present["sex"],
                c.fields_present["death_date"], c.fields_present["prison"],
                c.fields_present["city"]) == (3, 2, 3, 1, 0)
        assert dict(c.unparsed) == {"death_date": 2, "sex": 1}


def test_linkage_summary_matches_the_store(linked) -> None:
    case, before = linked
    assert before["linkage"] is None  # nothing linked yet
    s = linkage_summary(case)
    assert s is not None
    with case.read() as conn:
        run = conn.execute(text("SELECT id, backend, threshold, report FROM link_runs "
                                "ORDER BY id DESC")).first()
        in_force = conn.execute(text("SELECT count(*) FROM decisions "
                                     "WHERE superseded_by IS NULL")).scalar()
    assert (s.run_id, s.backend, s.threshold) == (run.id, run.backend, run.threshold)
    assert dict(s.report) == json.loads(run.report)
    assert s.finished_at is not None and s.started_at <= s.finished_at
    # pairs stored below the review band (for the linkage draws) are not offered
    assert s.pairs_offered == _scalar(case, "SELECT count(*) FROM link_pairs WHERE review") > 0
    assert sum(s.decisions.values()) == in_force
    assert 0 <= s.pairs_undecided <= s.pairs_offered


def test_linkage_summary_counts_decisions_in_force(linked) -> None:
    from dadkhah.register.review import record_decision

    case, _ = linked
    with case.read() as conn:
        a, b = conn.execute(text("SELECT record_l, record_r FROM link_pairs "
                                 "ORDER BY id LIMIT 1")).first()
    start = linkage_summary(case)
    record_decision(case, a, b, "no_match", by="tester", reason="test")
    one = linkage_summary(case)
    assert one.decisions.get("no_match", 0) == start.decisions.get("no_match", 0) + 1
    assert one.pairs_undecided == start.pairs_undecided - 1
    # a newer decision on the same pair (either order) supersedes the older one
    record_decision(case, b, a, "unsure", by="tester", reason="second look")
    two = linkage_summary(case)
    assert two.decisions.get("no_match", 0) == start.decisions.get("no_match", 0)
    assert two.decisions.get("unsure", 0) == start.decisions.get("unsure", 0) + 1
    assert two.pairs_undecided == one.pairs_undecided


def test_provenance_streams_every_active_person_with_its_records(linked) -> None:
    case, before = linked
    assert before["provenance"] == []
    it = iter_provenance(case)
    assert inspect.isgenerator(it)
    people = list(it)
    frame = persons_frame(case)
    assert [p.person_id for p in people] == frame.id.tolist()
    by_id = frame.set_index("id")
    slugs = {s.slug for s in case.sources()}
    for p in people:
        ids = [r.record_id for r in p.records]
        assert ids == sorted(ids) and len(ids) == p.n_records
        assert len({r.source for r in p.records}) == p.n_sources
        assert {r.source for r in p.records} <= slugs
        assert p.name_latin == by_id.loc[p.person_id, "name_latin"]
    total = _scalar(case, "SELECT count(*) FROM person_records pr JOIN persons p "
                          "ON p.id = pr.person_id WHERE p.status = 'active'")
    assert sum(len(p.records) for p in people) == total
    # each record as stored: row, hash and name as that record writes it
    r = people[0].records[0]
    with case.read() as conn:
        row = conn.execute(text("SELECT row_number, raw_sha256, full_name, given_names, "
                                "surname FROM source_records WHERE id = :i"),
                           {"i": r.record_id}).first()
    assert (r.row_number, r.raw_sha256) == (row.row_number, row.raw_sha256)
    assert r.name == (row.full_name or " ".join(x for x in (row.given_names, row.surname)
                                                if x) or None)


def test_provenance_can_stop_early(linked) -> None:
    case, _ = linked
    it = iter_provenance(case)
    first = next(it)
    it.close()  # releases the read connection
    assert first.person_id == persons_frame(case).id.iloc[0]
    assert case.count_records() > 0  # the case is still usable


def test_audit_head_is_the_newest_entry(linked) -> None:
    case, _ = linked
    with case.read() as conn:
        head = audit.head(conn)
        last = conn.execute(text("SELECT id, entry_hash FROM audit_log ORDER BY id DESC")
                            ).first()
    assert head is not None and (head.id, head.entry_hash) == (last.id, last.entry_hash)
    with case.write() as conn:
        seq = audit.append(conn, by="tester", action="test", target="case", details={})
    with case.read() as conn:
        after = audit.head(conn)
        prev = conn.execute(text("SELECT prev_hash FROM audit_log WHERE id = :i"),
                            {"i": seq}).scalar()
    assert after.id == seq == head.id + 1 and prev == head.entry_hash
    assert case.verify_audit().ok


def test_audit_head_of_an_empty_log_is_none() -> None:
    from dadkhah.store.tables import Base

    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with engine.connect() as conn:
        assert audit.head(conn) is None
    engine.dispose()
