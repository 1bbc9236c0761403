"""The web's import preview lists impossible dates per column with their rows, and says
which day/month order was chosen for the list and why (issue 15, part 6)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import write_list
from tests.web.conftest import login, make_client

HEADER = ["نام", "نام خانوادگی", "تاریخ تولد", "تاریخ اعدام"]
ROWS = [
    ["رحیم", "پورمحمدی", "25/03/1960", "۱۳۶۷/۱۳/۴۰"],   # month 13, day 40
    ["زهرا", "کاظمی", "08/10/1961", "مرداد ۱۳۶۷"],      # 08/10: day first, by 25/03
    ["علی", "رضایی", "14/02/1958", "1995-01-01"],        # died 1995: outside 1979-1992
]


def _file(tmp_path: Path, fmt: str) -> Path:
    return write_list(tmp_path, fmt, HEADER, ROWS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_preview_lists_impossible_dates_and_the_order(fresh_case, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      fmt: str) -> None:
    from dadkhah.store import Case

    path = _file(tmp_path, fmt)
    with Case.open(fresh_case.location) as case:
        slug = case.sources()[0].slug
        before = len(case.imports())
    with make_client(fresh_case.location) as c:
        token = login(c, "editor")
        r = c.post("/team/imports/preview", data={"csrf_token": token, "source": slug},
                   files={"file": (path.name, path.read_bytes(), "application/octet-stream")})
    assert r.status_code == 200, r.text[:500]
    warnings = re.search(r'<ul id="date-warnings">(.*?)</ul>', r.text, re.S)
    assert warnings is not None
    items = re.findall(r"<li[^>]*>(.*?)</li>", warnings.group(1), re.S)
    assert len(items) == 2
    assert "row 1" in items[0] and "۱۳۶۷/۱۳/۴۰" in items[0] and "تاریخ اعدام" in items[0]
    assert "row 3" in items[1] and "1995-01-01" in items[1]
    orders = re.search(r'<ul id="date-orders">(.*?)</ul>', r.text, re.S)
    assert orders is not None and 'data-order="day_first"' in orders.group(1)
    assert "25/03/1960" in orders.group(1) and "day first" in orders.group(1)
    with Case.open(fresh_case.location) as case:
        assert len(case.imports()) == before  # a preview writes nothing
