"""The one exception and warning tree of dadkhah.

::

    DadkhahError                      the only thing cli/ and web/ catch
    ├── ConfigError                   bad settings, missing case, missing key
    ├── IngestError                   a file that cannot be imported
    │   ├── MappingError              columns cannot be mapped to fields
    │   ├── RowValidationError        rows with bad values (holds every problem)
    │   └── DuplicateImport           the same file (by SHA-256) was imported before
    ├── StoreError
    │   ├── InvalidInput              a value given to a call is unusable: a malformed id,
    │   │                             an unknown choice, an unreadable date, a missing field
    │   ├── NotFound                  no such source, record, import …
    │   ├── StoreBusy                 another process holds the write lock too long (503)
    │   └── MigrationNeeded           the case store is older than this software
    ├── LinkageError
    ├── EstimationError
    │   └── InsufficientOverlap       lists do not overlap enough to estimate
    ├── AccessDenied                  protected field or role
    └── IntegrityError                audit chain or evidence hash mismatch

    DadkhahWarning(UserWarning)
    ├── EstimationWarning
    └── ConvergenceWarning

``InvalidInput`` is a ``StoreError`` so that code and tests catching ``StoreError`` around a
write keep working; catch ``InvalidInput`` to tell bad input from a refusal of the store
(a duplicate id, a rule over the stored data).  Both answer HTTP 400.

Every error carries a message (what happened, with the numbers and where) and a
``hint`` (how to fix it).  Messages refer to records by id, never by protected values.

A warning's message is in English; one an interface must say in its reader's language too
carries its :class:`Wording` (a key of the interface catalogue and the values it names).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class DadkhahError(Exception):
    """Base of every error dadkhah raises on purpose."""

    http_status: int = 400

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nHint: {self.hint}"

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the hint (and subclass fields) when an error crosses a process boundary.
        return (_rebuild, (type(self), self.message, dict(self.__dict__)))


def _rebuild(cls: type[DadkhahError], message: str, state: dict[str, Any]) -> DadkhahError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class ConfigError(DadkhahError):
    """Bad settings, a missing case or key."""


class IngestError(DadkhahError):
    """A file that cannot be imported."""


class MappingError(IngestError):
    """Columns that cannot be mapped to record fields."""


class RowValidationError(IngestError):
    """Rows with invalid values; ``problems`` holds every one found, not only the first."""

    def __init__(self, message: str, *, problems: list[Any] | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.problems = list(problems or [])


class DuplicateImport(IngestError):
    """The same file (by SHA-256) was already imported into this case."""

    http_status = 409


class StoreError(DadkhahError):
    """The case store cannot do what was asked."""


class InvalidInput(StoreError):
    """A value given to a call is unusable (malformed, unknown, missing); nothing was written."""

    http_status = 400


class StoreBusy(StoreError):
    """Another process (a long import, a relink) holds the case's write lock longer than
    this writer may wait; nothing was written.  Retry later (HTTP 503 with Retry-After)."""

    http_status = 503
    retry_after = 30  # seconds: a hint to clients, not a promise


class NotFound(StoreError):
    """No such source, record, import …"""

    http_status = 404


class MigrationNeeded(StoreError):
    """The case store's schema is older than this software."""


class LinkageError(DadkhahError):
    """Record linkage cannot run as configured."""


class EstimationError(DadkhahError):
    """A population size cannot be estimated from these data; ``wording`` (None for some)
    lets an interface say why in its reader's language (a stratum that could not be
    estimated keeps it with its reason)."""

    def __init__(self, message: str, *, hint: str | None = None,
                 wording: Wording | None = None) -> None:
        super().__init__(message, hint=hint)
        self.wording = wording


class InsufficientOverlap(EstimationError):
    """The lists do not overlap enough for the estimate to be identifiable."""


class AccessDenied(DadkhahError):
    """The user's role may not see or change this."""

    http_status = 403


class IntegrityError(DadkhahError):
    """The audit chain or an evidence file does not match its recorded hash."""

    http_status = 500


STRATUM = "stratum"
"""The key of a :meth:`Wording.stratum`."""

FIRST_SENTENCE = "first_sentence"
"""The key of a :meth:`Wording.first_sentence`."""


@dataclass(frozen=True, slots=True)
class Wording:
    """What a message says, for an interface to say it in its reader's language: ``key``,
    a message of the interface catalogue (``dadkhah.web.i18n``: its English says what the
    library's own English says), and the ``values`` of its placeholders (numbers as
    numbers, so that each language writes them with its own digits; a sequence is a list,
    a :class:`Wording` among them a sentence of its own)."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **values: Any) -> Wording:
        return cls(key, tuple(values.items()))

    @classmethod
    def stratum(cls, pairs: Sequence[tuple[str, str]]) -> Wording:
        """A stratum of estimates, its (column, value) pairs as the values (the machine
        form, ``sex=m`` in English): an interface names each in its reader's language
        (``جنس: مرد``).  The key ``stratum`` is not a catalogue message."""
        return cls(STRATUM, tuple((str(k), str(v)) for k, v in pairs))

    @classmethod
    def first_sentence(cls, wording: Wording) -> Wording:
        """What ``wording`` says up to its first full stop (a reason quoted in a list);
        the key ``first_sentence`` is not a catalogue message."""
        return cls(FIRST_SENTENCE, (("text", wording),))

    def fields(self) -> dict[str, Any]:
        """The values by placeholder name."""
        return dict(self.values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: ``{"wording": key, "values": {...}}``, a sequence as a list, a
        wording among the values as a dict of its own (:meth:`from_dict` reads it back)."""
        return {"wording": self.key, "values": {k: _plain(v) for k, v in self.values}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Wording:
        """The wording :meth:`to_dict` wrote (a list read back as a tuple)."""
        return cls(str(data["wording"]),
                   tuple((str(k), _unplain(v)) for k, v in dict(data["values"]).items()))


def _plain(v: Any) -> Any:
    if isinstance(v, Wording):
        return v.to_dict()
    if isinstance(v, (tuple, list)):
        return [_plain(x) for x in v]
    return v


def _unplain(v: Any) -> Any:
    if isinstance(v, Mapping) and "wording" in v:
        return Wording.from_dict(v)
    if isinstance(v, list):
        return tuple(_unplain(x) for x in v)
    return v


class DadkhahWarning(UserWarning):
    """Base of every warning dadkhah issues, to simplify filtering; ``wording`` (None for
    most) lets an interface say it in its reader's language."""

    def __init__(self, message: str, wording: Wording | None = None) -> None:
        super().__init__(message)
        self.wording = wording

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (str(self), self.wording))


class EstimationWarning(DadkhahWarning):
    """An estimate was produced, but with a caveat the reader must see."""


class ConvergenceWarning(DadkhahWarning):
    """A sampler or optimiser may not have converged."""


__all__ = [
    "DadkhahError",
    "ConfigError",
    "IngestError",
    "MappingError",
    "RowValidationError",
    "DuplicateImport",
    "StoreError",
    "InvalidInput",
    "NotFound",
    "StoreBusy",
    "MigrationNeeded",
    "LinkageError",
    "EstimationError",
    "InsufficientOverlap",
    "AccessDenied",
    "IntegrityError",
    "DadkhahWarning",
    "EstimationWarning",
    "ConvergenceWarning",
    "Wording",
    "STRATUM",
    "FIRST_SENTENCE",
]
