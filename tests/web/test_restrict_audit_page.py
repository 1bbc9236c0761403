"""``/team/audit`` as a member kept from a source reads it (restricted records): the entries
about the source, the list imported into it and the evidence item kept with it are left out
and counted, not named; an admin who asks (``?everything=1``) reads them all, and that read
is in the log; an editor who asks is refused; checking the chain walks every entry and
says so.  Real SQLite case over the real application.  SYNTHETIC rows."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tests.conftest import write_csv
from tests.web.conftest import login, make_client

LIST_NAME = "informants-of-the-secret-list.csv"


def _targets(page: str) -> set[str]:
    return set(re.findall(r"<bdi>([a-z_]+:\d+)</bdi>", page))


def test_the_audit_page_leaves_out_what_is_kept_from_the_member(fresh_case: Any,
                                                                tmp_path: Path) -> None:
    from dadkhah import casefile as cf
    from dadkhah.access import NOBODY, Viewer
    from dadkhah.ingest import import_file
    from dadkhah.register import restrict
    from dadkhah.store import Case

    rows = [["full_name", "father_name", "death_date"],
            ["Secret Informant One (SYNTHETIC)", "Hassan", "1988-08-01"]]
    with Case.open(fresh_case.location) as case:
        kept = case.sources(NOBODY)[0]
        restrict(case, "source", kept.id, users=["viewer"], by="admin", role="admin",
                 reason="SYNTHETIC")
        imp = import_file(case, write_csv(tmp_path / LIST_NAME, rows), source=kept.slug,
                          by="viewer", viewer=Viewer("viewer", "viewer"))
        item = tmp_path / "scan-of-informant-r.txt"
        item.write_bytes(b"SYNTHETIC scan of an informant's note\n")
        ev = cf.add_evidence(case, item, title="Informant R. (SYNTHETIC)", by="viewer",
                             viewer=Viewer("viewer", "viewer"))
        restrict(case, "evidence", ev.id, users=["viewer"], by="admin", role="admin")
        total = len(case.audit_entries(limit=100_000))
    secret = {f"source:{kept.id}", f"import:{imp.import_id}", f"evidence:{ev.id}"}
    with make_client(fresh_case.location) as c:
        for who in ("editor", "admin"):
            login(c, who)
            page = c.get("/team/audit").text
            assert not secret & _targets(page), who
            assert re.search(r'id="audit-not-shown"[^>]*>\d+ entries about material kept '
                             r"from you are not shown\.</p>", page), who
            older = c.get("/team/audit", params={"before": 10 ** 6, "action": "import"}).text
            assert not secret & _targets(older) and "audit-not-shown" in older
            checked = c.get("/team/audit", params={"verify": 1}).text
            walked = re.search(r"Audit chain intact: (\d+) entries", checked)
            with Case.open(fresh_case.location, read_only=True) as case:
                now = len(case.audit_entries(limit=100_000))
            assert walked and int(walked.group(1)) == now > total  # every one, and logins
            assert "the entries not shown to you too" in checked
        assert "audit-everything-link" in page  # the admin is offered every entry
        every = c.get("/team/audit", params={"everything": 1}).text
        assert secret <= _targets(every) and "audit-not-shown" not in every
        login(c, "editor")
        assert "audit-everything-link" not in c.get("/team/audit").text
        refused = c.get("/team/audit", params={"everything": 1})
        assert refused.status_code == 403 and not secret & _targets(refused.text)
    with Case.open(fresh_case.location, read_only=True) as case:
        reads = case.audit_entries(limit=100_000, action="audit.read")
        assert [(e.actor, json.loads(e.details)["include_restricted"]) for e in reads] == [
            ("admin", True)]
        assert case.verify_audit().ok
