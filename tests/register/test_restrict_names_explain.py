"""``dadkhah names explain --person`` and :func:`name_provenance` read as the user (issue
16): a display name written only by a restricted source is neither shown nor credited to
that source for another user; a person only hidden records name is "no person"; the users
the source is restricted to see it as before.  On a linked SYNTHETIC case."""

from __future__ import annotations

import json

import pytest

from dadkhah.access import Viewer
from dadkhah.errors import NotFound
from dadkhah.register import get_person, list_persons, name_provenance, restrict
from dadkhah.users import add_user
from tests.portal.conftest import linked, linked_template  # noqa: F401
from tests.register.test_restricted import _a_person_whose_latin_name_one_source_wrote

ALICE, BOB = Viewer("alice", "editor"), Viewer("bob", "viewer")
EVERYTHING = Viewer(sees_all=True)


def _latin(prov) -> tuple[str | None, tuple[str, ...]]:
    f = next(f for f in prov.forms if f.field == "name" and f.script == "latin")
    return f.value, f.sources


def test_names_explain_person_reads_as_the_user(linked) -> None:  # noqa: F811
    from typer.testing import CliRunner

    from dadkhah.cli import app

    for name in ("alice", "bob"):
        add_user(linked, name, "correct horse battery staple", role="editor", by="admin")
    p, src = _a_person_whose_latin_name_one_source_wrote(linked)
    slug = next(s.slug for s in linked.sources(EVERYTHING) if s.id == src)
    only_hidden = next(x for x in list_persons(linked, limit=100_000, viewer=EVERYTHING)
                       if x["sources"] == [src])
    assert _latin(name_provenance(linked, p["id"], viewer=BOB)) == (p["name_latin"], (slug,))
    restrict(linked, "source", src, users=["alice"], by="admin", role="admin")

    for who in (ALICE, EVERYTHING):
        assert _latin(name_provenance(linked, p["id"], viewer=who)) == (p["name_latin"],
                                                                        (slug,))
    seen = _latin(name_provenance(linked, p["id"], viewer=BOB))
    assert slug not in seen[1]
    assert seen[0] == get_person(linked, p["id"], viewer=BOB)["name_latin"] != p["name_latin"]
    for who in (BOB, None):
        with pytest.raises(NotFound) as hidden:
            name_provenance(linked, only_hidden["id"], viewer=who)
        with pytest.raises(NotFound) as missing:
            name_provenance(linked, 9_999_999, viewer=who)
        assert hidden.value.message.replace(str(only_hidden["id"]), "ID") == \
            missing.value.message.replace("9999999", "ID")

    def cli(user: str, *extra: str):
        return CliRunner().invoke(app, ["--case", str(linked.location), "--user", user,
                                        "names", "explain", "--person", str(p["id"]),
                                        "--json", *extra])

    bob = cli("bob")
    assert bob.exit_code == 0, bob.output
    assert slug not in bob.output and p["name_latin"] not in bob.output
    for user, extra in (("alice", ()), ("root", ("--include-restricted", "--role", "admin"))):
        res = cli(user, *extra)
        assert res.exit_code == 0, res.output
        forms = json.loads(res.output)["forms"]
        assert any(f["value"] == p["name_latin"] and slug in f["sources"] for f in forms)
    refused = cli("bob", "--include-restricted", "--role", "editor")
    assert refused.exit_code != 0 and "restricted" in refused.output
