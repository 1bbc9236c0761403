"""Interface languages: catalogs complete in both languages, Persian digits, Solar Hijri."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dadkhah.web import i18n

TEMPLATES = Path(i18n.__file__).parent / "templates" / "team"


def _team_keys() -> set[str]:
    keys = set()
    for path in TEMPLATES.rglob("*.html"):
        keys |= set(re.findall(r't\("([a-z_]+\.[a-z_.]+)"', path.read_text()))
    # a prefix completed from a value (t("imports.name_warning_" ~ w.kind)): _dynamic_keys
    return {k for k in keys if not k.endswith(("_", "."))}


def _dynamic_keys() -> set[str]:
    """Keys templates build from a value (``t("field." ~ f)``): every value they can take."""
    from dadkhah.store import RECORD_FIELDS
    from dadkhah.store.jobs import JOB_STATES
    from dadkhah.web.jobs import KINDS
    from dadkhah.web.team import EVIDENCE_LEVELS, LABEL_KEYS

    comparisons = ("name", "father", "death", "birth", "place", "affiliation", "list", "sex",
                   "tf_adj_name", "tf_adj_father")
    return ({f"field.{f}" for f in (*RECORD_FIELDS, *LABEL_KEYS.values())}
            | {f"job_kind.{k}" for k in KINDS} | {f"job_status.{s}" for s in JOB_STATES}
            | {f"job_start.{k}" for k in ("link", "estimate", "report")}
            | {f"comparison.{c}" for c in comparisons}
            | {f"evidence.{lv}" for _, lv in EVIDENCE_LEVELS} | {"evidence.disagrees_strongly"}
            | {f"imports.date_order_{o}" for o in ("day_first", "month_first", "none")}
            | {f"imports.name_warning_{k}" for k in ("no_letters", "left_out", "interleaved")})


def test_every_message_a_team_page_uses_exists_in_both_languages() -> None:
    from dadkhah.access import ROLES
    from dadkhah.store import SOURCE_KINDS

    used = _team_keys() | {f"role.{r}" for r in ROLES} | {f"kind.{k}" for k in SOURCE_KINDS} \
        | {f"review.{d}" for d in ("match", "no_match", "unsure")} | _dynamic_keys()
    assert len(used) > 100
    for lang in ("en", "fa"):
        missing = sorted(k for k in used if k not in i18n.catalog(lang))
        assert not missing, (lang, missing)


def test_persian_catalog_is_persian() -> None:
    fa = {k: v for k, v in i18n.catalog("fa").items() if k.startswith(("nav.", "search."))}
    assert fa and all(re.search(r"[\u0600-\u06FF]", v) for v in fa.values())


@pytest.mark.parametrize(("value", "lang", "expected"), [
    (12345, "fa", "۱۲٬۳۴۵"), (12345, "en", "12,345"), (0.5, "fa", "۰"),
    (None, "fa", ""), ("3", "fa", "۳"),
])
def test_numbers(value, lang, expected) -> None:
    assert i18n.format_number(value, lang) == expected


@pytest.mark.parametrize(("iso", "expected"), [
    ("1988-07-30", "۱۳۶۷/۰۵/۰۸"),  # 8 Mordad 1367
    ("1988-09-22", "۱۳۶۷/۰۶/۳۱"),  # the last day of Shahrivar
    # a Gregorian month is not a Solar Hijri month: its exact days, not a month it is not
    ("1988-08", "۱۳۶۷/۰۵/۱۰ – ۱۳۶۷/۰۶/۰۹"),
    ("1988", "۱۳۶۶–۱۳۶۷"),
    ("not a date", "not a date"),
])
def test_solar_hijri_dates(iso, expected) -> None:
    assert i18n.format_date(iso, "fa") == expected
    assert i18n.format_date(iso, "en") == iso


def test_translate_fills_values_in_the_language_digits() -> None:
    assert i18n.translate("fa", "search.results", n=1234) == "۱۲۳۴ نفر یافت شد"
    assert i18n.translate("en", "search.results", n=1234) == "1234 persons found"
    assert i18n.translate("fa", "no.such.key") == "no.such.key"


def test_every_kind_of_error_has_a_persian_lead_of_its_own() -> None:
    """An error page in Persian leads with what kind of failure it is (the library's own
    message, with ids and rows, follows as the detail): each class of the error tree has its
    own wording, so a new class without one fails here."""
    import dadkhah.errors as errors
    from dadkhah.web.i18n import catalog, error_kind

    kinds = [c for c in vars(errors).values()
             if isinstance(c, type) and issubclass(c, errors.DadkhahError)]
    assert len(kinds) >= 15
    fa = catalog("fa")
    missing = [c.__name__ for c in kinds if f"error.kind.{c.__name__}" not in fa]
    assert not missing, f"error classes with no Persian lead: {missing}"
    assert error_kind("en", errors.NotFound("x")) is None
    assert error_kind("fa", errors.NotFound("x")) == fa["error.kind.NotFound"]

    class Unnamed(errors.InvalidInput):  # a subclass with no wording of its own
        pass

    assert error_kind("fa", Unnamed("x")) == fa["error.kind.InvalidInput"]


def test_a_persian_error_page_leads_in_persian_and_keeps_the_detail(fresh_case) -> None:
    from tests.web.conftest import csrf_of, login, make_client

    with make_client(fresh_case.location) as c:
        token = login(c, "viewer")
        en = c.get("/team/persons/987654321")
        assert en.status_code == 404 and 'id="error-kind"' not in en.text
        c.post("/lang", data={"lang": "fa", "next": "/team/", "csrf_token": token})
        fa = c.get("/team/persons/987654321")
        assert fa.status_code == 404
        assert 'id="error-kind"' in fa.text and "چنین موردی در این پرونده نیست" in fa.text
        detail = re.search(r'id="error-detail">(.*?)</p>', fa.text, re.S)
        assert detail and "987654321" in detail.group(1)  # the particulars are kept
        assert csrf_of(fa.text)  # still a page of the workspace, with its forms


def test_an_error_page_back_link_is_a_plain_link_to_where_the_visitor_came_from(
        fresh_case) -> None:
    """The Back link was ``javascript:history.back()``, which the site's own CSP refuses (it
    did nothing); it is now the referring page of this site, else the start page, never
    another site."""
    from tests.web.conftest import login, make_client

    with make_client(fresh_case.location) as c:
        login(c, "viewer")
        r = c.get("/team/persons/987654321",
                  headers={"Referer": "https://testserver/team/search?q=ali"})
        back = re.search(r'<a href="([^"]*)" id="error-back">', r.text)
        assert back and back.group(1) == "/team/search?q=ali"
        r = c.get("/team/persons/987654321", headers={"Referer": "https://evil.example/x"})
        assert '<a href="/team/" id="error-back">' in r.text
        assert "javascript:" not in r.text
