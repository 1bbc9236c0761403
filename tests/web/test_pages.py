"""The team workspace's pages through HTTP (TestClient over the real app and a real case)."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import write_csv
from tests.web.conftest import PASSWORD, csrf_of, job_id_of, login, make_client, wait_job


def _db(location):  # type: ignore[no-untyped-def]
    from dadkhah.store import Case

    return Case.open(location)


def _audit(location, action):  # type: ignore[no-untyped-def]
    from dadkhah.store.tables import AuditEntry

    with _db(location) as case, case.read() as conn:
        return conn.execute(select(AuditEntry.actor, AuditEntry.details)
                            .where(AuditEntry.action == action)
                            .order_by(AuditEntry.id)).all()


def _persian_only_person(location):  # type: ignore[no-untyped-def]
    """A person all of whose records write the name in Persian script only."""
    from dadkhah.names import detect_script
    from dadkhah.store.tables import Person, PersonRecord, SourceRecord

    with _db(location) as case, case.read() as conn:
        rows = conn.execute(select(PersonRecord.person_id, SourceRecord.full_name,
                                   SourceRecord.given_names, SourceRecord.surname,
                                   SourceRecord.raw, Person.name_fa, Person.name_latin)
                            .join(SourceRecord, SourceRecord.id == PersonRecord.record_id)
                            .join(Person, Person.id == PersonRecord.person_id)
                            .where(Person.status == "active")
                            .order_by(PersonRecord.person_id)).all()
    by_person: dict[int, list] = {}
    for r in rows:
        by_person.setdefault(r.person_id, []).append(r)
    for pid, recs in by_person.items():
        names = [" ".join(x for x in (r.full_name, r.given_names, r.surname) if x) for r in recs]
        if recs[0].name_fa and len(recs[0].name_fa.split()) == 2 and \
                all(detect_script(n) == "persian" for n in names):
            return pid, recs
    raise AssertionError("no Persian-only person in the simulated case")


def latin_variant(name_fa: str) -> str:
    """A Latin spelling a person might type: not the transliterator's own form."""
    from dadkhah.names import latin_form

    typed = latin_form(name_fa)
    candidates = [typed.replace(a, b, 1) for a, b in
                  (("ou", "u"), ("ei", "ey"), ("e", "a"), ("o", "u"), ("a", "aa"))]
    return next(v for v in candidates if v != typed)


def test_search_finds_a_persian_name_typed_in_latin(web_case, client) -> None:
    from dadkhah.names import name_key

    login(client, "viewer")
    pid, recs = _persian_only_person(web_case.location)
    name_fa = recs[0].name_fa
    variant = latin_variant(name_fa)
    assert name_key(variant) == name_key(name_fa), (variant, name_fa)
    # Not findable as text: only the cross-script keys can find it.
    assert all(variant.lower() not in (r.raw or "").lower() for r in recs)
    assert variant.lower() not in (recs[0].name_latin or "").lower()
    r = client.get("/team/search", params={"q": variant})
    assert r.status_code == 200
    assert f'href="/team/persons/{pid}"' in r.text
    # …and the same person by the Persian spelling.
    r = client.get("/team/search", params={"q": name_fa})
    assert f'href="/team/persons/{pid}"' in r.text


def test_search_filters_and_pages(web_case, client) -> None:
    from dadkhah.store.tables import Person

    login(client, "viewer")
    h = {"Authorization": f"Bearer {web_case.tokens['viewer']}"}
    with _db(web_case.location) as case, case.read() as conn:
        prison, n = conn.execute(select(Person.prison_id, func.count())
                                 .where(Person.status == "active", Person.prison_id.is_not(None))
                                 .group_by(Person.prison_id)
                                 .order_by(func.count().desc())).first()
    r = client.get("/api/persons", params={"prison": prison, "per_page": 10}, headers=h).json()
    assert r["total"] == n and r["pages"] == -(-n // 10)
    assert all(hit["prison_id"] == prison for hit in r["hits"])
    r2 = client.get("/api/persons", params={"prison": prison, "per_page": 10, "page": 2},
                    headers=h).json()
    assert {x["id"] for x in r["hits"]}.isdisjoint({x["id"] for x in r2["hits"]})
    # Death-date range typed in the Solar Hijri calendar with Persian digits.
    r = client.get("/api/persons", params={"died_from": "۱۳۶۷/۰۵/۱۰", "died_to": "۱۳۶۷/۰۵/۲۰"},
                   headers=h).json()
    assert r["total"] > 0
    for hit in r["hits"]:
        assert hit["death_latest"] >= "1988-08-01" and hit["death_earliest"] <= "1988-08-11"
    page = client.get("/team/search", params={"q": "", "prison": prison})
    assert re.search(r'id="result-count">[^<]*\b' + f"{n:,}", page.text)


def test_side_by_side_marks_real_differences_not_scripts() -> None:
    from dadkhah.web.team import side_by_side

    rows = side_by_side([
        {"full_name": "علی‌اکبر حسین‌زاده", "prison": "Evin", "age": "25"},
        {"full_name": "Ali-Akbar Hosseinzadeh", "prison": "Evin", "age": "25"},
        {"full_name": "Aliakbar Hoseinzade", "prison": "Gohardasht", "age": "۲۵"},
    ])
    by_field = {r["field"]: [c["differs"] for c in r["cells"]] for r in rows}
    assert by_field["full_name"] == [False, False, False]
    assert by_field["prison"] == [False, False, True]
    assert by_field["age"] == [False, False, False]  # Persian digits are the same number


def test_person_page_shows_every_record_side_by_side(web_case, client) -> None:
    from dadkhah.register import get_person, list_persons

    login(client, "viewer")
    with _db(web_case.location) as case:
        p = next(p for p in list_persons(case, limit=500) if p["n_records"] >= 3)
        full = get_person(case, p["id"])
    html = client.get(f"/team/persons/{p['id']}").text
    for rec in full["records"]:
        assert f"Record {rec['id']}" in html
    assert full["name_fa"] in html and full["name_latin"] in html


def test_review_decision_is_stored_as_the_cli_stores_it(fresh_case) -> None:
    from typer.testing import CliRunner

    from dadkhah.cli import app as cli
    from dadkhah.store.tables import Decision

    with make_client(fresh_case.location) as c:
        login(c, "reviewer")
        page = c.get("/team/review").text
        left, right = map(int, re.search(r'data-pair="(\d+)-(\d+)"', page).groups())
        r = c.post("/team/review/decide", data={"csrf_token": csrf_of(page), "record_l": left,
                                                "record_r": right, "decision": "no_match",
                                                "reason": "different fathers"})
        assert r.status_code == 200 and "Decision saved" in r.text
        assert f'data-pair="{left}-{right}"' not in r.text  # the next pair is shown
    with _db(fresh_case.location) as case:
        from dadkhah.register import review_queue

        other = review_queue(case, limit=1)[0]
    res = CliRunner().invoke(cli, ["--case", fresh_case.location, "--user", "reviewer",
                                   "review", "decide", str(other.record_l), str(other.record_r),
                                   "no_match", "--reason", "different fathers"])
    assert res.exit_code == 0, res.output
    with _db(fresh_case.location) as case, case.read() as conn:
        web, cli_row = [r._asdict() for r in conn.execute(
            select(Decision.__table__).order_by(Decision.id.desc()).limit(2))][::-1]
    for row in (web, cli_row):
        row.pop("id"), row.pop("at"), row.pop("record_l"), row.pop("record_r")
    assert web == cli_row == {"decision": "no_match", "reviewer": "reviewer",
                              "reason": "different fathers", "origin": "review",
                              "superseded_by": None}
    actors = [a for a, _ in _audit(fresh_case.location, "decision")]
    assert actors[-2:] == ["reviewer", "reviewer"]


def test_an_over_long_upload_name_is_refused_cleanly(fresh_case, tmp_path) -> None:
    """W32: a 300-byte file name gave HTTP 500 (File name too long) and left an empty
    uploads/<token>/ folder."""
    csv = write_csv(tmp_path / "list.csv", [["name"], ["Reza"]])
    with make_client(fresh_case.location) as c:
        uploads = c.app.state.upload_dir
        before = set(uploads.iterdir())
        token = login(c, "editor")
        with _db(fresh_case.location) as case:
            slug = case.sources()[0].slug
        r = c.post("/team/imports/preview", data={"csrf_token": token, "source": slug},
                   files={"file": ("a" * 296 + ".csv", csv.read_bytes(), "text/csv")})
    assert r.status_code == 400 and "too long" in r.text
    assert set(uploads.iterdir()) == before


def test_upload_preview_writes_nothing_and_confirm_imports(fresh_case, tmp_path) -> None:
    from dadkhah.store.tables import Import, SourceRecord

    csv = write_csv(tmp_path / "new-list.csv", [
        ["نام", "نام خانوادگی", "نام پدر", "تاریخ اعدام", "زندان"],
        ["رحیم", "پورمحمدی", "کریم", "۱۳۶۷/۰۵/۱۰", "اوین"],
        ["زهرا", "کاظمی", "", "مرداد ۱۳۶۷", "گوهردشت"],
    ])
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        with _db(fresh_case.location) as case:
            before = len(case.imports())
            slug = case.sources()[0].slug
        r = c.post("/team/imports/preview", data={"csrf_token": token, "source": slug},
                   files={"file": ("new-list.csv", csv.read_bytes(), "text/csv")})
        assert r.status_code == 200, r.text[:500]
        assert "given_names" in r.text and "نام خانوادگی" in r.text and "پورمحمدی" in r.text
        with _db(fresh_case.location) as case:
            assert len(case.imports()) == before
        upload_token = re.search(r'name="token" value="([^"]+)"', r.text).group(1)
        r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload_token,
                                                   "source": slug})
        assert r.status_code == 200  # the import job's page, which follows the job
        job = wait_job(c, job_id_of(r.url))
        assert job["status"] == "done" and job["result"]["rows_imported"] == 2, job
        page = c.get(f"/team/jobs/{job['id']}").text
        assert 'id="job-done"' in page and "Imported 2 records" in page
        assert 'id="start-link"' in page  # the next step: relink
        # The staged file is gone: confirming twice is refused.
        r = c.post("/team/imports/confirm", data={"csrf_token": token, "token": upload_token,
                                                   "source": slug})
        assert r.status_code == 404
    with _db(fresh_case.location) as case, case.read() as conn:
        imp = conn.execute(select(Import.__table__).order_by(Import.id.desc())).first()
        keys = conn.execute(select(SourceRecord.surname_key)
                            .where(SourceRecord.import_id == imp.id)).scalars().all()
    assert imp.imported_by == "editor" and imp.rows_imported == 2
    assert all(keys)  # normalised: searchable by cross-script keys at once
    actor, details = _audit(fresh_case.location, "import")[-1]
    assert actor == "editor" and json.loads(details)["import_id"] == imp.id


def test_users_page_is_for_admins_and_writes_are_audited(fresh_case) -> None:
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        assert c.get("/team/users").status_code == 403
    with make_client(fresh_case.location) as c:
        token = login(c, "admin")
        r = c.post("/team/users", data={"csrf_token": token, "username": "newcomer",
                                        "password": PASSWORD, "role": "reviewer",
                                        "language": "fa"})
        assert r.status_code == 200 and "newcomer" in r.text
        too_short = c.post("/team/users", data={"csrf_token": token, "username": "shorty",
                                                "password": "short", "role": "viewer"})
        assert too_short.status_code == 400 and "at least 10" in too_short.text
    assert ("admin", "newcomer") in [(a, json.loads(d)["username"])
                                     for a, d in _audit(fresh_case.location, "user.add")]
    with make_client(fresh_case.location) as c:
        login(c, "newcomer")
        page = c.get("/team/").text
        assert '<html lang="fa" dir="rtl">' in page  # the user's own language


def test_merge_and_split_from_the_person_page(fresh_case) -> None:
    from dadkhah.register import get_person, list_persons

    with _db(fresh_case.location) as case:
        people = list_persons(case, limit=100)
        keep = next(p for p in people if p["n_records"] >= 2)
        other = next(p for p in people if p["id"] != keep["id"])
    with make_client(fresh_case.location) as c:
        token = login(c, "reviewer")
        r = c.post(f"/team/persons/{keep['id']}/merge",
                   data={"csrf_token": token, "other": other["id"], "reason": "same father"})
        assert r.status_code == 200 and f"Person {other['id']} was merged" in r.text
        with _db(fresh_case.location) as case:
            merged = get_person(case, keep["id"])
        assert merged["n_records"] == keep["n_records"] + other["n_records"]
        moved = [merged["records"][0]["id"]]
        r = c.post(f"/team/persons/{keep['id']}/split",
                   data={"csrf_token": token, "records": moved, "reason": "not him"})
        assert r.status_code == 200 and "are now person" in r.text
        no_reason = c.post(f"/team/persons/{keep['id']}/merge",
                           data={"csrf_token": token, "other": other["id"], "reason": " "})
        assert no_reason.status_code in (400, 422)
    assert [a for a, _ in _audit(fresh_case.location, "person.merge")] == ["reviewer"]
    assert [a for a, _ in _audit(fresh_case.location, "person.split")] == ["reviewer"]


@pytest.mark.slow
def test_dashboard_shows_stored_estimates_with_intervals(fresh_case) -> None:
    from dadkhah.register import latest_estimates

    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        assert "No estimate has been computed" in c.get("/team/").text
        r = c.post("/team/estimates", data={"csrf_token": token})
        assert r.status_code == 200
        assert wait_job(c, job_id_of(r.url))["status"] == "done"
        r = c.get("/team/")
    with _db(fresh_case.location) as case:
        rows = latest_estimates(case)
    assert {e.method for e in rows} == {"loglinear", "lcmcr"}
    for e in rows:
        assert e.current and e.synthetic and e.low <= e.total <= e.high
        assert e.observed <= e.low + 1e-9 or e.observed <= e.total
        assert f"{e.low:,.0f} to {e.high:,.0f}" in r.text
    assert [a for a, _ in _audit(fresh_case.location, "estimate.store")] == ["editor"]


def test_case_file_pages(fresh_case) -> None:
    from dadkhah import casefile as cf

    key = cf.TestimonyKey.generate()
    with _db(fresh_case.location) as case:
        cf.load_example(case, by="tests")
        actor = cf.get_actor(case, "khomeini")
        allegations = cf.list_allegations(case, accused="khomeini")
        ev = cf.list_evidence(case)[0]
        custody = cf.custody_history(case, ev.id)
        cf.add_testimony(case, pseudonym="witness-k-synthetic",
                         identity="Secret Identity Name", contact="+00 000 SYNTHETIC",
                         summary="SYNTHETIC summary", key=key, by="tests", role="editor")
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        html = c.get("/team/casefile/actors/khomeini").text
        assert actor.name_en in html and actor.name_fa in html
        for r in actor.roles:
            assert r.position in html
        assert allegations and all(f'id="allegation-{a.id}"' in html for a in allegations)
        assert "According to" in html  # allegations shown attributed, never as fact
        html = c.get(f"/team/casefile/evidence/{ev.id}").text
        assert ev.sha256 in html and len(custody) >= 1
        assert all(e.entry_hash[:16] in html for e in custody)
        assert c.get("/team/casefile/testimonies").status_code == 403
        assert "/team/casefile/testimonies" not in c.get("/team/casefile/").text
    with make_client(fresh_case.location) as c:
        login(c, "editor")
        html = c.get("/team/casefile/testimonies").text
        assert "witness-k-synthetic" in html
        assert "Secret Identity Name" not in html and "SYNTHETIC summary" in html


def test_part_of_a_name_is_found_when_no_name_key_matches(web_case, client) -> None:
    from dadkhah.register import get_person
    from tests.web.test_pages import _persian_only_person

    login(client, "viewer")
    pid, recs = _persian_only_person(web_case.location)
    with _db(web_case.location) as case:
        latin = get_person(case, pid)["name_latin"]
    h = {"Authorization": f"Bearer {web_case.tokens['viewer']}"}
    surname = latin.split()[-1]
    # The first letters of the surname, as typed, and short of any whole name's key.
    for n in range(4, len(surname)):
        part = surname[:n]
        r = client.get("/api/persons", params={"q": part, "per_page": 200}, headers=h).json()
        if r["match"] == "text":
            break
    assert r["match"] == "text", surname
    assert all(part.lower() in (h["name_latin"] or "").lower() for h in r["hits"])
    ids = {h["id"] for h in r["hits"]}
    page = 2
    while pid not in ids and page <= r["pages"]:
        ids |= {h["id"] for h in client.get("/api/persons", params={
            "q": part, "per_page": 200, "page": page}, headers=h).json()["hits"]}
        page += 1
    assert pid in ids
    assert "contain what you typed" in client.get("/team/search", params={"q": part}).text


def test_next_review_pair_is_the_queue_head(fresh_case) -> None:
    from dadkhah.register import next_review_pair, record_decision, review_backlog, review_queue

    with _db(fresh_case.location) as case:
        for _ in range(3):  # and again after decisions take pairs off the queue
            queue = review_queue(case, limit=100_000)
            assert next_review_pair(case) == queue[0]
            assert review_backlog(case) == len(queue)
            record_decision(case, queue[0].record_r, queue[0].record_l, "unsure",
                            by="tests")


def test_audit_log_page_names_the_web_user_and_verifies(fresh_case) -> None:
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        c.post("/team/sources", data={"csrf_token": token, "slug": "audit-check",
                                      "title": "Audit check (SYNTHETIC)", "kind": "other"})
        html = c.get("/team/audit").text
        row = re.search(r"<tr><td>\d+</td><td[^>]*>[^<]*</td><td><bdi>([^<]*)</bdi></td>"
                        r"<td[^>]*>([^<]*)</td>", html)
        assert row.groups() == ("editor", "source.add")
        assert "Audit chain intact" in c.get("/team/audit", params={"verify": 1}).text
    with make_client(fresh_case.location) as c:
        login(c, "reviewer")
        assert c.get("/team/audit").status_code == 403


@pytest.mark.parametrize("role", ["admin", "editor", "reviewer", "viewer"])
def test_nav_links_the_moderation_queue_for_roles_that_moderate(web_case, role) -> None:
    from dadkhah.access import allowed

    with make_client(web_case.location) as c:
        login(c, role)
        page = c.get("/team/").text
    assert ('href="/team/submissions"' in page) == allowed(role, "moderate")


def test_pages_answer_while_an_import_holds_the_write_lock(fresh_case) -> None:
    """GET requests read through the read-only case, so a long write (an import) does not
    hold up the team's pages; SQLite would otherwise make them wait up to 30 s and fail."""
    import sqlite3
    import time
    from pathlib import Path

    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        writer = sqlite3.connect(Path(fresh_case.location) / "case.db", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        try:
            t = time.perf_counter()
            pages = [c.get(p) for p in ("/team/", "/team/search?q=ali", "/team/sources",
                                        "/api/persons")]
            waited = time.perf_counter() - t
        finally:
            writer.execute("ROLLBACK")
            writer.close()
    assert [r.status_code for r in pages] == [200, 200, 200, 200]
    assert waited < 10


def _dashboard_in_both_languages(location: str) -> tuple[str, str]:
    """The dashboard as the viewer sees it in English, then in Persian (the language is the
    user's stored preference: on a copy of the case only)."""
    with make_client(location) as c:
        token = login(c, "viewer")
        en = c.get("/team/").text
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        fa = c.get("/team/").text
    assert '<html lang="fa" dir="rtl">' in fa
    return en, fa


def test_dashboard_without_an_audit_sample_says_how_to_draw_one(fresh_case) -> None:
    en, fa = _dashboard_in_both_languages(fresh_case.location)
    for page in (en, fa):
        assert 'id="linkage-quality"' in page and 'id="audit-none"' in page
        assert "dadkhah link --audit-sample 200" in page and "dadkhah review audit -i" in page
    assert "No audit sample has been drawn" in en and "کیفیت پیوند رکوردها" in fa


def test_dashboard_shows_the_audit_samples_precision_and_recall(fresh_case) -> None:
    from dadkhah.names import persian_digits
    from dadkhah.register import (
        audit_answers,
        audit_progress,
        draw_audit_sample,
        record_decision,
    )

    with _db(fresh_case.location) as case:
        draw_audit_sample(case, 40, by="tests", seed=3)
        for p in audit_answers(case)[:30]:
            same = fresh_case.truth[p["record_l"]] == fresh_case.truth[p["record_r"]]
            record_decision(case, p["record_l"], p["record_r"],
                            "match" if same else "no_match", by="tests", reason="audit")
        progress = audit_progress(case)
    assert progress is not None and progress.quality is not None and progress.current
    q = progress.quality
    en, fa = _dashboard_in_both_languages(fresh_case.location)
    assert 'id="audit-none"' not in en and 'id="audit-stale"' not in en
    assert (f"{progress.answered} of 40 pairs answered match or not a match, "
            f"{progress.pending} awaiting review") in en
    assert "run behind the current register" in en
    for name in ("precision", "recall"):
        v, lo, hi = (getattr(q, name), getattr(q, f"{name}_low"), getattr(q, f"{name}_high"))
        assert f"<strong>{100 * v:.1f}%</strong>" in en
        assert f"{100 * lo:.1f}% to {100 * hi:.1f}% (95% interval)" in en
        assert f"<strong>{persian_digits(f'{100 * v:.1f}', number=True)}٪</strong>" in fa
        assert persian_digits(f"{100 * lo:.1f}", number=True) + "٪ تا" in fa
    assert "Recall among scored pairs" in en and "0.2 or more" in en
    assert "بازیابی در میان جفت‌های امتیازگرفته" in fa and "۰٫۲" in fa
    # the estimator's notes: the library's English on the en page, Persian on the fa page
    assert q.notes, "the sample leaves a stratum unreviewed: the panel has a note"
    from dadkhah.web.i18n import render_wording

    for note, wording in q.note_wordings().items():
        assert f"<bdi>{html.escape(note)}</bdi>" in en and html.escape(note) not in fa
        assert f"<bdi>{html.escape(render_wording('fa', wording))}</bdi>" in fa
    assert set(q.note_wordings()) == set(q.notes)
    quality = fa.split('id="linkage-quality"', 1)[1].split("</section>", 1)[0]
    # Commands and the stratum names in the estimator's notes keep their digits; every
    # figure of the panel is in Persian digits.
    text = re.sub(r"<code[^>]*>.*?</code>|<bdi>.*?</bdi>|<[^>]+>", "", quality, flags=re.S)
    assert not re.search(r"[0-9]", text), "Western digits in the Persian panel"


def test_an_editor_publishes_a_person_on_the_memorial_from_its_page_and_withdraws_it(
        fresh_case) -> None:
    """#17: publishing to the memorial from the workspace, as `dadkhah portal publish` does
    (audited; the public page appears and goes), and only for who may publish."""
    from dadkhah.portal import is_public

    with _db(fresh_case.location) as case, case.read() as conn:
        from dadkhah.store.tables import Person

        pid = conn.execute(select(Person.id).where(Person.status == "active")
                           .order_by(Person.id.desc()).limit(1)).scalar()
        assert not is_public(case, pid)
    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        page = c.get(f"/team/persons/{pid}").text
        assert 'id="memorial-state" data-public="0"' in page
        assert 'id="publish-button"' not in page  # a viewer may not publish
        r = c.post(f"/team/persons/{pid}/publish", data={"csrf_token": csrf_of(page),
                                                         "action": "publish"})
        assert r.status_code == 403
        assert c.get(f"/memorial/{pid}").status_code == 404

        login(c, "editor")
        page = c.get(f"/team/persons/{pid}").text
        r = c.post(f"/team/persons/{pid}/publish", data={"csrf_token": csrf_of(page),
                                                         "action": "publish"})
        assert r.status_code == 200 and 'id="published-flash"' in r.text
        assert 'data-public="1"' in r.text and 'id="unpublish-button"' in r.text
        assert c.get(f"/memorial/{pid}").status_code == 200
        r = c.post(f"/team/persons/{pid}/publish", data={"csrf_token": csrf_of(r.text),
                                                         "action": "unpublish"})
        assert 'id="unpublished-flash"' in r.text and 'data-public="0"' in r.text
        assert c.get(f"/memorial/{pid}").status_code == 404
        r = c.post(f"/team/persons/{pid}/publish", data={"csrf_token": csrf_of(r.text),
                                                         "action": "delete"})
        assert r.status_code == 400
    from dadkhah.store.tables import AuditEntry

    with _db(fresh_case.location) as case, case.read() as conn:
        actions = [(a, who, json.loads(d)["person_ids"]) for a, who, d in conn.execute(
            select(AuditEntry.action, AuditEntry.actor, AuditEntry.details)
            .where(AuditEntry.action.in_(("publish", "unpublish"))).order_by(AuditEntry.id))]
    assert actions[-2:] == [("publish", "editor", [pid]), ("unpublish", "editor", [pid])]
