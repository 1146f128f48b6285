"""Breaches of SLA terms: recorded once under their unique key, and the jobs that find them.

`record_breach` is the only writer: it inserts the row inside a savepoint and treats the unique
key as the answer to "already recorded?", so a late answer, the evaluation job, a rerun after a
restart and a second scheduler all arrive at one row (and one notification). Incident breaches
(response, support hours) close when the vendor answers; an RPO breach stays open until a fresh
successful backup report; availability breaches are recorded closed by month end.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tcloud.clock import to_taipei
from tcloud.notifications.services import notify_organisation
from tcloud.points.order_models import Order
from tcloud.scheduling import ScheduledJob
from tcloud.sla.compensation import RESPONSE, SUPPORT_HOURS, breach_key
from tcloud.sla.incident_models import OPEN, Breach, Incident
from tcloud.sla.incidents_clock import WARNING, ResponseAssessment


def record_breach(session: Session, *, key: str, solution_id: int, vendor_organisation_id: int,
                  term: str, period: str, subject: str, opened_at: datetime,
                  closed_at: datetime | None = None, incident_id: int | None = None,
                  details: dict | None = None) -> Breach | None:
    """The new breach, or None when its key is already recorded (nothing changes then)."""
    if session.exec(select(Breach.id).where(Breach.key == key)).first() is not None:
        return None
    breach = Breach(key=key, solution_id=solution_id,
                    vendor_organisation_id=vendor_organisation_id, term=term, period=period,
                    subject=subject, opened_at=opened_at, closed_at=closed_at,
                    incident_id=incident_id, details=details or {})
    try:
        with session.begin_nested():
            session.add(breach)
    except IntegrityError:
        return None  # recorded at the same moment by another transaction
    return breach


def _incident_breach(session: Session, incident: Incident, order: Order, term: str,
                     opened_at: datetime) -> None:
    period = to_taipei(incident.opened_at).strftime("%Y-%m")
    breach = record_breach(
        session, key=breach_key(incident.solution_id, term, period, f"incident-{incident.id}"),
        solution_id=incident.solution_id, vendor_organisation_id=incident.vendor_organisation_id,
        term=term, period=period, subject=f"incident-{incident.id}", opened_at=opened_at,
        closed_at=incident.first_response_at, incident_id=incident.id,
        details={"severity": incident.severity, "target_minutes": incident.target_minutes,
                 "calendar_clock": incident.calendar_clock})
    if breach is None:
        return
    values = {"solution": order.solution_name, "incident": incident.id}
    link = f"/sla/incidents/{incident.id}"
    kind = f"sla.breach.{term}"
    notify_organisation(session, incident.vendor_organisation_id, kind=kind, values=values,
                        link=link)
    notify_organisation(session, incident.buyer_organisation_id, kind=kind, values=values,
                        link=link)


def apply_assessment(session: Session, incident: Incident, order: Order,
                     assessment: ResponseAssessment) -> None:
    """Bring an incident's flags, breaches and next look in line with an assessment."""
    if assessment.response_breach:
        incident.response_breached = True
        _incident_breach(session, incident, order, RESPONSE, assessment.due_at)
    if assessment.support_hours_breach:
        incident.support_hours_breached = True
        _incident_breach(session, incident, order, SUPPORT_HOURS, assessment.support_hours_end)
    if incident.first_response_at is not None:
        # Answered: close the incident's open breaches at the answer.
        for breach in session.exec(select(Breach).where(Breach.incident_id == incident.id,
                                                        Breach.closed_at.is_(None))):
            breach.closed_at = incident.first_response_at
        incident.next_check_at = None
    else:
        incident.next_check_at = assessment.next_check_at


def evaluate_incidents(session: Session, now: datetime) -> int:
    """Warn vendors and record breaches for unanswered incidents whose next look is due."""
    rows = session.exec(select(Incident, Order).join(Order, Order.id == Incident.order_id)
                        .where(Incident.status == OPEN, Incident.first_response_at.is_(None),
                               Incident.next_check_at.is_not(None),
                               Incident.next_check_at <= now)
                        .order_by(Incident.next_check_at).limit(500)).all()
    from tcloud.sla.incidents import assess  # incidents imports this module

    for incident, order in rows:
        assessment = assess(session, incident, order, now)
        if assessment.state == WARNING and incident.warned_at is None:
            incident.warned_at = now
            notify_organisation(
                session, incident.vendor_organisation_id, kind="sla.incident_warning",
                values={"solution": order.solution_name, "incident": incident.id,
                        "due": to_taipei(assessment.due_at).strftime("%Y-%m-%d %H:%M")},
                link=f"/sla/incidents/{incident.id}")
        apply_assessment(session, incident, order, assessment)
        incident.updated_at = now
    session.flush()
    return len(rows)


def evaluate_rpo(session: Session, now: datetime) -> int:
    from tcloud.sla.backups import evaluate_rpo as run  # backups imports this module

    return run(session, now)


INCIDENT_JOBS = [
    ScheduledJob("sla.evaluate_incidents", evaluate_incidents, every_seconds=60),
    ScheduledJob("sla.evaluate_rpo", evaluate_rpo, every_seconds=300),
]


def month_end(session: Session, now: datetime) -> str:
    from tcloud.sla.month_end import month_end_job  # month_end imports this module

    return month_end_job(session, now)


# Month end runs on days 1-3 at 00:30 Taipei for the month that ended: the first run credits,
# the others find every key recorded (a missed day 1 is caught up on day 2 or 3).
INCIDENT_JOBS.append(ScheduledJob("sla.month_end", month_end,
                                  cron={"day": "1-3", "hour": 0, "minute": 30}))
