"""name_key drops the Arabic article before a leading title, as parse_name does («Al-Hajj
Mohammad Ahmadi» is «Mohammad Ahmadi» with the title Hajj), and keeps it elsewhere."""

import pytest

from dadkhah.names import parse_name
from dadkhah.names.keys import name_key, name_keys, name_tokens


@pytest.mark.parametrize("text", ["Al-Hajj Mohammad Ahmadi", "El Sayed Mohammad Ahmadi",
                                  "al-haj Mohammad Ahmadi", "ال حاج محمد احمدی"])
def test_article_before_a_title_is_part_of_the_title(text: str) -> None:
    assert name_key(text) == name_key("Mohammad Ahmadi") == parse_name(text).key
    assert name_keys([text]) == [name_key("Mohammad Ahmadi")]
    assert len(name_tokens(text)[0]) == 1


@pytest.mark.parametrize("text", ["Al-e Ahmad", "Ali Al Ahmad", "Al Hajj"])
def test_article_elsewhere_stays(text: str) -> None:
    titles, words = name_tokens(text)
    assert "al" in words and titles == []
