"""Rate limiting and spam resistance for the public submission form, without third parties.

* :class:`TokenBucket` — per-client token buckets in memory: each client may send
  ``capacity`` forms at once and one more every ``refill_seconds``.  Memory, not the store:
  the buckets are throw-away state of one server process, not case data (and not audited);
  a restart forgets them, which only ever lets a client send a little more.
* :class:`FormGuard` — the form carries a signed timestamp (HMAC, :mod:`itsdangerous`) made
  when the form was shown, so a form sent sooner than ``min_seconds`` after (a script) or
  later than ``max_age`` (a replayed token), or with a forged or missing stamp, is refused;
  plus a honeypot field that people never see and bots fill in.
* :func:`check_content` — simple checks on the text: links, markup, runs of one character.

Clients are told apart by a keyed hash of their address (:func:`client_hash`); the address
itself is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from dadkhah.errors import DadkhahError

HONEYPOT_FIELD = "website"
"""Name of the hidden field that must stay empty."""

TOKEN_FIELD = "form_token"
"""Name of the field that carries the signed timestamp."""


class RateLimited(DadkhahError):
    """Too many forms from one client in a short time."""

    http_status = 429

    def __init__(self, retry_after: float) -> None:
        super().__init__(
            f"Too many submissions from your connection; the next one is possible in "
            f"{retry_after:.0f} s.",
            hint="Wait a little and send the form again. Nothing was stored.")
        self.retry_after = retry_after


class SpamRefused(DadkhahError):
    """A form that looks automated or carries spam."""

    http_status = 400


def client_hash(address: str, secret: bytes) -> str:
    """Keyed SHA-256 of a client address: stable per server key, not reversible by
    trying every IPv4 address (which an unkeyed hash would be)."""
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


class TokenBucket:
    """Per-key token buckets: ``capacity`` tokens, one added every ``refill_seconds``."""

    def __init__(self, capacity: int = 5, refill_seconds: float = 60.0, *,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000) -> None:
        if capacity < 1 or refill_seconds <= 0:
            raise ValueError("capacity must be ≥ 1 and refill_seconds > 0")
        self.capacity, self.refill_seconds = capacity, refill_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._state: dict[str, tuple[float, float]] = {}  # key → (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        """Spend one token of ``key`` or raise :class:`RateLimited`."""
        now = self._clock()
        with self._lock:
            tokens, at = self._state.get(key, (float(self.capacity), now))
            tokens = min(float(self.capacity), tokens + (now - at) / self.refill_seconds)
            if tokens < 1.0:
                self._state[key] = (tokens, now)
                raise RateLimited((1.0 - tokens) * self.refill_seconds)
            self._state[key] = (tokens - 1.0, now)
            if len(self._state) > self._max_keys:  # forget full buckets: they allow anyway
                full = [k for k, (t, a) in self._state.items()
                        if t + (now - a) / self.refill_seconds >= self.capacity]
                for k in full:
                    del self._state[k]


class FormGuard:
    """Signed form timestamps and the honeypot.

    ``min_seconds``: a person needs at least this long to fill the form; ``max_age``: a
    stamp older than this is refused (the visitor reloads the form).
    """

    def __init__(self, secret: bytes, *, min_seconds: float = 3.0, max_age: float = 7200.0,
                 clock: Callable[[], float] = time.time) -> None:
        self._signer = TimestampSigner(secret, salt="dadkhah.portal.form")
        self.min_seconds, self.max_age = min_seconds, max_age
        self._clock = clock

    def issue(self) -> str:
        """A token to put in the form when it is shown."""
        return self._signer.sign(repr(self._clock())).decode()

    def check(self, data: Mapping[str, Any]) -> None:
        """Refuse a form whose honeypot is filled or whose stamp is missing, forged, too
        young or too old."""
        if str(data.get(HONEYPOT_FIELD) or "").strip():
            raise SpamRefused("The form was refused: a field meant to stay empty was filled.",
                              hint="If you are a person, reload the page and send it again.")
        token = str(data.get(TOKEN_FIELD) or "")
        try:
            value = self._signer.unsign(token, max_age=int(self.max_age)).decode()
            shown = float(value)
        except SignatureExpired:
            raise SpamRefused("The form was open for too long and has expired.",
                              hint="Reload the page, fill the form again and send it.") from None
        except (BadSignature, ValueError):
            raise SpamRefused("The form was refused: its security stamp is missing or "
                              "invalid.",
                              hint="Reload the page and send the form from there.") from None
        if self._clock() - shown < self.min_seconds:
            raise SpamRefused("The form was sent too quickly after it was opened.",
                              hint=f"Take at least {self.min_seconds:.0f} seconds to fill "
                                   f"it in, then send it again.")


_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_MARKUP = re.compile(r"<\s*/?\s*[a-z][^>]*>|\[/?url|\[/?link", re.IGNORECASE)
_RUN = re.compile(r"(.)\1{14,}")
MAX_LINKS = 2


def check_content(data: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    """Refuse text that carries markup, more than :data:`MAX_LINKS` links, or a character
    repeated 15 times — never seen in a family's report, common in spam."""
    texts = [str(data.get(f) or "") for f in fields]
    joined = "\n".join(texts)
    if _MARKUP.search(joined):
        raise SpamRefused("The form was refused: it contains HTML or forum markup.",
                          hint="Write plain text only.")
    if len(_URL.findall(joined)) > MAX_LINKS:
        raise SpamRefused(f"The form was refused: it contains more than {MAX_LINKS} links.",
                          hint="Leave out the links; a moderator may ask you for sources.")
    if _RUN.search(joined):
        raise SpamRefused("The form was refused: it contains a long run of one character.",
                          hint="Write the text without repeated characters.")
