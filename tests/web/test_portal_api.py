"""The public JSON API (/api/public) fuzzed against its OpenAPI schema, anonymously, on a
portal with published persons, articles and submissions.

As in ``test_api_fuzz.py``: schemathesis' pytest integration does not run under pytest 9, so
each operation's Hypothesis strategy is driven directly with ``@given``.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from tests.web.conftest import SECRET
from tests.web.test_portal_public import build_portal_site

EXAMPLES = 25  # per operation and mode: 5 operations × 2 modes × 25 requests, seconds


@pytest.fixture(scope="module")
def public_target(web_case, tmp_path_factory):  # type: ignore[no-untyped-def]
    from dadkhah.web import create_app

    site = build_portal_site(web_case.location, tmp_path_factory.mktemp("fuzz") / "case")
    app = create_app(site.location, secret_key=SECRET)
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app).include(
        path_regex=r"^/api/public")
    app.state.case.close()


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_public_api_conforms_to_its_schema(public_target, mode) -> None:
    from schemathesis import GenerationMode

    operations = [r.ok() for r in public_target.get_all_operations()]
    assert len(operations) == 5
    fuzzed = 0
    for operation in operations:
        @given(case=operation.as_strategy(generation_mode=GenerationMode(mode)))
        @settings(max_examples=EXAMPLES, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate()  # anonymous: the public API needs no login

        try:
            check()
        except Unsatisfiable:
            assert mode == "negative", operation.label  # nothing to break in a bare GET
            continue
        fuzzed += 1
    assert fuzzed >= (5 if mode == "positive" else 3)


def test_public_api_is_documented(client) -> None:
    spec = client.get("/api/openapi.json").json()
    for p in ("/api/public/", "/api/public/persons", "/api/public/persons/{person_id}",
              "/api/public/articles", "/api/public/articles/{slug}"):
        assert p in spec["paths"]
    person = spec["components"]["schemas"]["PublicPersonOut"]
    # The schema itself says what a memorial entry can hold: public fields only.
    assert set(person["properties"]) == {
        "person_id", "name_fa", "name_latin", "birth_year", "death", "prison", "city",
        "sources", "synthetic", "url", "api_url",
        # where each name came from (issue 15): an origin and the titles of public sources
        "name_fa_origin", "name_latin_origin", "name_fa_written_by", "name_latin_written_by"}
