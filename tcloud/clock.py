"""Time conventions: every stored moment is an aware UTC datetime; people see Asia/Taipei.

SQLModel's UTCDateTime column type refuses naive datetimes and hands back aware UTC ones on
both databases (timestamptz on PostgreSQL, UTC text on SQLite), so there is one rule everywhere.
Conversion to local time happens only at the edges: display and business-hours arithmetic.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


def utcnow() -> datetime:
    """The current moment, aware, in UTC."""
    return datetime.now(UTC)


def to_taipei(moment: datetime) -> datetime:
    """The same moment on a Taiwan wall clock."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(TAIPEI)
