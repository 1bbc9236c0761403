"""Token buckets, signed form stamps, honeypot and content checks (with a fake clock)."""

from __future__ import annotations

import pytest

from dadkhah.portal import FormGuard, RateLimited, SpamRefused, TokenBucket, check_content
from dadkhah.portal.ratelimit import HONEYPOT_FIELD, TOKEN_FIELD, client_hash


class Clock:
    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_bucket_allows_a_burst_then_one_per_refill() -> None:
    clock = Clock()
    bucket = TokenBucket(capacity=3, refill_seconds=60, clock=clock)
    for _ in range(3):
        bucket.take("a")
    with pytest.raises(RateLimited) as err:
        bucket.take("a")
    assert 59 <= err.value.retry_after <= 60 and err.value.http_status == 429
    bucket.take("b")  # another client is not affected
    clock.t += 30
    with pytest.raises(RateLimited):
        bucket.take("a")
    clock.t += 31
    bucket.take("a")
    with pytest.raises(RateLimited):
        bucket.take("a")


def test_form_stamp_min_time_max_age_and_forgery() -> None:
    clock = Clock()
    guard = FormGuard(b"k" * 32, min_seconds=3, max_age=3600, clock=clock)
    token = guard.issue()
    clock.t += 1
    with pytest.raises(SpamRefused, match="too quickly"):
        guard.check({TOKEN_FIELD: token})
    clock.t += 5
    guard.check({TOKEN_FIELD: token})
    with pytest.raises(SpamRefused, match="meant to stay empty"):
        guard.check({TOKEN_FIELD: token, HONEYPOT_FIELD: "http://spam.example"})
    with pytest.raises(SpamRefused, match="missing or invalid"):
        guard.check({TOKEN_FIELD: token[:-2] + "xx"})
    with pytest.raises(SpamRefused, match="missing or invalid"):
        guard.check({})
    other = FormGuard(b"z" * 32, clock=clock)
    with pytest.raises(SpamRefused, match="missing or invalid"):
        other.check({TOKEN_FIELD: token})


def test_expired_stamp() -> None:
    import time

    guard = FormGuard(b"k" * 32, min_seconds=0, max_age=1)
    token = guard.issue()
    time.sleep(2.1)  # itsdangerous reads its own clock, in whole seconds
    with pytest.raises(SpamRefused, match="expired"):
        guard.check({TOKEN_FIELD: token})


@pytest.mark.parametrize("text", [
    "see <a href='http://x'>this</a>", "[url=http://x]cheap[/url]",
    "http://a http://b www.c", "!!!!!!!!!!!!!!!!!!!!",
])
def test_spammy_content_is_refused(text: str) -> None:
    with pytest.raises(SpamRefused):
        check_content({"notes": text}, ("notes",))


def test_plain_family_text_passes() -> None:
    check_content({"notes": "He was arrested in 1981 (۱۳۶۰) in Tabriz; see https://example.org"},
                  ("notes",))


def test_client_hash_is_keyed() -> None:
    assert client_hash("10.0.0.1", b"a") != client_hash("10.0.0.1", b"b")
    assert client_hash("10.0.0.1", b"a") == client_hash("10.0.0.1", b"a")
    assert "10.0.0.1" not in client_hash("10.0.0.1", b"a")
