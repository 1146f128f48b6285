"""Taiwan's national holidays as data an administrator keeps up to date.

The business-hours clock closes office-hours support on these days (unless a solution commits to
cover them). Migration 0012 seeds 2026 and 2027 from the 人事行政總處 calendar; each new year's
calendar is added on the holidays page, and every change is audited.
"""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tcloud.audit.services import record
from tcloud.errors import Conflict, NotFound
from tcloud.sla.incident_models import Holiday


def holidays_between(session: Session, first_day: date, last_day: date) -> frozenset[date]:
    return frozenset(session.exec(select(Holiday.day).where(Holiday.day >= first_day,
                                                            Holiday.day <= last_day)))


def list_holidays(session: Session, *, year: int | None = None) -> list[Holiday]:
    query = select(Holiday).order_by(Holiday.day)
    if year is not None:
        query = query.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
    return list(session.exec(query))


def add_holiday(session: Session, *, admin, day: date, name: str, reason: str) -> Holiday:
    """Add a day off; the same date twice is refused (change its name by removing it first)."""
    if session.exec(select(Holiday).where(Holiday.day == day)).first() is not None:
        raise Conflict(_l("%(day)s is already a holiday.", day=day.isoformat()), field="day")
    holiday = Holiday(day=day, name=name)
    try:
        with session.begin_nested():
            session.add(holiday)
    except IntegrityError as err:  # added at the same moment by another administrator
        raise Conflict(_l("%(day)s is already a holiday.", day=day.isoformat()),
                       field="day") from err
    record(session, actor=admin, action="sla.holiday_added", subject_type="holiday",
           subject_id=day.isoformat(), reason=reason, after={"day": day, "name": name})
    return holiday


def remove_holiday(session: Session, *, admin, holiday_id: int, reason: str) -> None:
    holiday = session.get(Holiday, holiday_id)
    if holiday is None:
        raise NotFound(_l("That holiday does not exist."))
    record(session, actor=admin, action="sla.holiday_removed", subject_type="holiday",
           subject_id=holiday.day.isoformat(), reason=reason,
           before={"day": holiday.day, "name": holiday.name})
    session.delete(holiday)
    session.flush()
