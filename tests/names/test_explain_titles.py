"""``names explain`` shows the machine Latin form the register would display: a title
written in front of a Persian name («سید») stays in front of its Latin form."""

from __future__ import annotations

import pytest

from dadkhah.names import latin_form
from dadkhah.names.explanation import explain


def _latin_step(text: str) -> str:
    steps = [s for s in explain(text, "name").steps if s.name == "Latin form"]
    assert len(steps) == 1
    return str(steps[0].value)


@pytest.mark.parametrize("text", ["سید علی شرابی", "حاج محمود عبدالنظری", "علی رضایی"])
def test_the_machine_latin_form_is_the_display_form(text: str) -> None:
    shown = _latin_step(text)
    assert shown == f"{latin_form(text)} (machine transliteration)"


def test_a_title_stays_in_front() -> None:
    assert _latin_step("سید علی شرابی").startswith("Seyed Ali ")


def test_the_json_result_carries_the_display_form() -> None:
    r = explain("سید علی شرابی", "name").result
    assert r["latin_display"] == latin_form("سید علی شرابی")
    assert r["latin_origin"] == "machine"
