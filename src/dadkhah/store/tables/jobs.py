"""Background jobs (migration 0010): long operations the web workspace runs outside a request.

A job row says what was asked (``kind``, ``params``), by whom, and how it ended.  The work
itself (an import, a linkage run, estimates, a report) writes the case in its own
transactions; a job that fails or is cancelled leaves those untouched, because each library
operation commits all or nothing.  See :mod:`dadkhah.store.jobs`.
"""

from __future__ import annotations

from sqlalchemy import Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dadkhah.store.tables.core import Base, IdType


class Job(Base):
    """One background job: queued → running → done | failed | cancelled."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status", "status"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    params: Mapped[str] = mapped_column(Text)  # JSON
    status: Mapped[str] = mapped_column(String(16))
    progress: Mapped[float | None] = mapped_column(Float)  # 0..1 when known
    message: Mapped[str | None] = mapped_column(Text)  # the latest progress line
    result: Mapped[str | None] = mapped_column(Text)  # JSON, when done
    error: Mapped[str | None] = mapped_column(Text)
    hint: Mapped[str | None] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(200))  # host:pid:id of the runner
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[str | None] = mapped_column(String(40))
    finished_at: Mapped[str | None] = mapped_column(String(40))
