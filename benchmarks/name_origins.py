"""How many published memorial names are machine transliterations, and are they all marked?

    PYTHONPATH=src python benchmarks/name_origins.py CASE_FOLDER

Checks each published entry against its own published records (independently of the stored
origin): a Latin name that none of those records writes must be marked ``machine`` (or be
a person's correction).  Then renders every memorial list page through the web application
and counts the visible machine marks.  Prints the counts and a sample (SYNTHETIC data).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter

from sqlalchemy import text

from dadkhah.names import written_forms
from dadkhah.portal import memorial_entries
from dadkhah.store import Case


def main(folder: str) -> None:
    case = Case.open(folder, read_only=True)
    entries, total = memorial_entries(case, limit=1_000_000)
    with case.read() as conn:
        recs: dict[int, set[str]] = {}
        for pid, full, given, sur in conn.execute(text(
                "SELECT pr.person_id, r.full_name, r.given_names, r.surname "
                "FROM published_records pr JOIN source_records r ON r.id = pr.record_id")):
            la = written_forms(full, given, sur).latin
            recs.setdefault(pid, set())
            if la:
                recs[pid].add(la)
    origins = Counter(e.name_latin_origin for e in entries)
    unmarked = [e for e in entries if e.name_latin and e.name_latin not in recs.get(
        e.person_id, set()) and e.name_latin_origin not in ("machine", "person")]
    wrongly = [e for e in entries if e.name_latin_origin == "source"
               and e.name_latin not in recs.get(e.person_id, set())]
    print(f"published entries: {total:,}; Latin name origins: "
          + json.dumps(dict(origins), ensure_ascii=False))
    print(f"machine forms: {origins['machine']:,} ({origins['machine'] / total:.1%}); "
          f"unmarked (Latin name no published record writes, not marked machine): "
          f"{len(unmarked)}; marked 'as written' but not written: {len(wrongly)}")
    case.close()

    from fastapi.testclient import TestClient

    from dadkhah.web import create_app
    from dadkhah.web.public import PAGE_SIZE

    app = create_app(folder, secret_key="bench")
    marks = 0
    with TestClient(app, base_url="https://testserver") as c:
        for page_no in range(1, -(-total // PAGE_SIZE) + 1):
            page = c.get("/memorial", params={"page": page_no}).text
            marks += len(re.findall(r'data-origin="machine"', page))
    print(f"memorial list pages: {marks:,} visible '(machine transliteration)' marks")
    print("sample of machine forms:")
    for e in [e for e in entries if e.name_latin_origin == "machine"][:5]:
        print(f"  {e.person_id}: «{e.name_fa}» → {e.name_latin} (machine transliteration)")


if __name__ == "__main__":
    main(sys.argv[1])
