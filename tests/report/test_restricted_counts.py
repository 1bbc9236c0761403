"""The report counts only the records its reader may see (restricted sources left out), as
it does the sources and persons beside them (SYNTHETIC case)."""

from __future__ import annotations

from dadkhah.access import Viewer
from dadkhah.register import restrict
from dadkhah.report import gather_report_data
from dadkhah.store import Case
from dadkhah.users import add_user
from tests.web.conftest import copy_case


def test_records_counted_are_the_viewers(linked, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with Case.open(copy_case(linked.case.location, tmp_path / "case")) as case:
        everything = case.count_records(Viewer(sees_all=True))
        assert case.count_records() == everything == case.count_records(normalized=True)
        add_user(case, "alice", "correct horse battery staple", role="editor", by="tests")
        src = max(case.sources(), key=lambda s: s.records)
        restrict(case, "source", src.id, users=["alice"], by="tests", role="admin")
        hidden = src.records
        assert case.count_records() == everything - hidden
        assert case.count_records(normalized=True) == everything - hidden
        # chapman cannot run on five lists: the estimates are not what is checked here
        data = gather_report_data(case, by=(), methods=("chapman",), linkage_draws=0,
                                  include_names=False)
        assert src.slug not in {s.slug for s in data.sources}
        assert data.records == sum(s.records for s in data.sources) == everything - hidden
        assert data.normalized
        assert case.count_records(Viewer("alice", "editor")) == everything
