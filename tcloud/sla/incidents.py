"""Incidents on subscriptions: opened by a buyer (or by the probes on an outage), answered and
resolved by the vendor, timed against the contract's response target on the support-hours clock.

Deadlines are worked out once, at opening, from the order's SLA snapshot (incidents_clock.py
does the arithmetic) and stored, so people see the same due time the evaluation job enforces.
The job (breaches.evaluate_incidents) looks again only at `next_check_at`. Answers recorded
late still count as breaches; breach rows are written through breaches.record_breach, whose
unique key makes every path (a late answer, the job, a rerun) arrive at the same row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.accounts.models import Organisation
from tcloud.clock import to_taipei, utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound, PermissionDenied
from tcloud.notifications.services import notify_organisation
from tcloud.points.order_models import ACTIVE, Order
from tcloud.sla import breaches
from tcloud.sla.incident_models import (
    EVENT_OPENED,
    EVENT_RESOLUTION,
    EVENT_RESPONSE,
    FROM_PROBE,
    OPEN,
    RESOLVED,
    RESPONDED,
    Incident,
    IncidentEvent,
)
from tcloud.sla.incidents_clock import (
    CRITICAL,
    SEVERITIES,
    ResponseAssessment,
    ResponseTarget,
    assess_response,
    response_targets,
)
from tcloud.sla.support_clock import clock_for

DESCRIPTION_LIMIT = 4000


def target_for(snapshot: dict, severity: str) -> ResponseTarget:
    """The response target of a severity in a contract snapshot (per-severity overrides, if the
    contract names any, may only be stricter than the committed minutes)."""
    targets = response_targets(int(snapshot["response_minutes"]),
                               overrides=snapshot.get("response_minutes_by_severity"))
    return targets[severity]


def _target_of(incident: Incident) -> ResponseTarget:
    return ResponseTarget(incident.severity, incident.target_minutes, incident.calendar_clock)


def assess(session: Session, incident: Incident, order: Order | None = None,
           now: datetime | None = None) -> ResponseAssessment:
    """Where the incident stands at `now` (for countdowns, the job and late answers)."""
    now = now or utcnow()
    order = order or session.get(Order, incident.order_id)
    clock = clock_for(session, order.sla_snapshot, incident.opened_at, now)
    return assess_response(target=_target_of(incident), support_clock=clock,
                           opened_at=incident.opened_at, now=now,
                           answered_at=incident.first_response_at)


def _new_incident(session: Session, order: Order, *, severity: str, description: str,
                  opened_at: datetime, opened_by_id: int | None, source: str = "buyer",
                  outage_started_at: datetime | None = None) -> Incident:
    target = target_for(order.sla_snapshot, severity)
    clock = clock_for(session, order.sla_snapshot, opened_at)
    first = assess_response(target=target, support_clock=clock, opened_at=opened_at,
                            now=opened_at)
    return Incident(
        order_id=order.id, solution_id=order.solution_id,
        buyer_organisation_id=order.organisation_id,
        vendor_organisation_id=order.vendor_organisation_id, severity=severity,
        description=description, source=source, outage_started_at=outage_started_at,
        opened_by_id=opened_by_id, opened_at=opened_at, status=OPEN,
        target_minutes=target.minutes, calendar_clock=target.calendar, due_at=first.due_at,
        warn_at=first.warn_at, support_hours_end_at=first.support_hours_end,
        next_check_at=first.next_check_at)


def _opened(session: Session, incident: Incident, order: Order, *, by_id: int | None) -> None:
    session.add(IncidentEvent(incident_id=incident.id, kind=EVENT_OPENED,
                              at=incident.opened_at, by_id=by_id,
                              note=incident.description))
    buyer = session.get(Organisation, order.organisation_id)
    notify_organisation(session, order.vendor_organisation_id, kind="sla.incident_opened",
                        values={"buyer": buyer.name if buyer else "",
                                "solution": order.solution_name,
                                "incident": incident.id,
                                "due": _local(incident.due_at)},
                        link=f"/sla/incidents/{incident.id}")


def open_incident(session: Session, *, buyer, order_id: int, severity: str, description: str,
                  now: datetime | None = None) -> Incident:
    """A buyer reports a problem on one of its active subscriptions."""
    order = session.get(Order, order_id)
    if order is None or order.organisation_id != buyer.organisation_id:
        raise NotFound(_l("That subscription does not exist."), field="order_id")
    if order.status != ACTIVE:
        raise Conflict(_l("Incidents can be reported only on an active subscription."),
                       field="order_id")
    if severity not in SEVERITIES:
        raise Conflict(_l("Choose how serious the problem is."), field="severity")
    description = description.strip()
    if not description:
        raise Conflict(_l("Describe the problem."), field="description")
    if len(description) > DESCRIPTION_LIMIT:
        raise Conflict(_l("Describe the problem in %(limit)s characters or fewer.",
                          limit=DESCRIPTION_LIMIT), field="description")
    incident = _new_incident(session, order, severity=severity, description=description,
                             opened_at=now or utcnow(), opened_by_id=buyer.id)
    session.add(incident)
    session.flush()
    _opened(session, incident, order, by_id=buyer.id)
    session.flush()
    return incident


def open_outage_incidents(session: Session, *, solution_id: int, started_at: datetime,
                          now: datetime | None = None) -> list[Incident]:
    """A confirmed probe outage opens one critical incident per active subscription.

    Idempotent for the same outage (identified by `started_at`): the unique (order, outage)
    constraint makes a repeated or concurrent call add nothing. Returns the incidents added.
    """
    opened_at = now or utcnow()
    orders = session.exec(select(Order).where(Order.solution_id == solution_id,
                                              Order.status == ACTIVE)).all()
    known = set(session.exec(select(Incident.order_id).where(
        Incident.solution_id == solution_id, Incident.outage_started_at == started_at)))
    added = []
    for order in orders:
        if order.id in known:
            continue
        incident = _new_incident(session, order, severity=CRITICAL, description="",
                                 opened_at=opened_at, opened_by_id=None, source=FROM_PROBE,
                                 outage_started_at=started_at)
        try:
            with session.begin_nested():
                session.add(incident)
        except IntegrityError:
            continue  # another scheduler run recorded this outage for this order first
        _opened(session, incident, order, by_id=None)
        added.append(incident)
    session.flush()
    return added


def _vendor_incident(session: Session, vendor, incident_id: int) -> Incident:
    incident = lock_row(session, Incident, incident_id)
    if incident is None or incident.vendor_organisation_id != vendor.organisation_id:
        raise NotFound(_l("That incident does not exist."))
    return incident


def record_response(session: Session, *, vendor, incident_id: int, note: str,
                    now: datetime | None = None) -> Incident:
    """The vendor's first response; a late one is still recorded, and the breach with it."""
    incident = _vendor_incident(session, vendor, incident_id)
    if incident.first_response_at is not None:
        raise Conflict(_l("The first response is already recorded."))
    note = note.strip()
    if not note:
        raise Conflict(_l("Write what you told the customer."), field="note")
    now = now or utcnow()
    _answer(session, incident, vendor, note, now)
    session.flush()
    return incident


def resolve_incident(session: Session, *, vendor, incident_id: int, note: str,
                     now: datetime | None = None) -> Incident:
    """The vendor marks the problem solved (a resolution is also a response if none came)."""
    incident = _vendor_incident(session, vendor, incident_id)
    if incident.status == RESOLVED:
        raise Conflict(_l("The incident is already resolved."))
    note = note.strip()
    if not note:
        raise Conflict(_l("Write how the problem was solved."), field="note")
    now = now or utcnow()
    if incident.first_response_at is None:
        _answer(session, incident, vendor, note, now)
    incident.status, incident.resolved_at, incident.updated_at = RESOLVED, now, now
    session.add(IncidentEvent(incident_id=incident.id, kind=EVENT_RESOLUTION, at=now,
                              by_id=vendor.id, note=note))
    order = session.get(Order, incident.order_id)
    notify_organisation(session, incident.buyer_organisation_id, kind="sla.incident_resolved",
                        values={"solution": order.solution_name, "incident": incident.id},
                        link=f"/sla/incidents/{incident.id}")
    session.flush()
    return incident


def _answer(session: Session, incident: Incident, vendor, note: str, now: datetime) -> None:
    order = session.get(Order, incident.order_id)
    incident.first_response_at, incident.status, incident.updated_at = now, RESPONDED, now
    incident.next_check_at = None
    session.add(IncidentEvent(incident_id=incident.id, kind=EVENT_RESPONSE, at=now,
                              by_id=vendor.id, note=note))
    breaches.apply_assessment(session, incident, order, assess(session, incident, order, now))
    notify_organisation(session, incident.buyer_organisation_id,
                        kind="sla.incident_responded",
                        values={"solution": order.solution_name, "incident": incident.id},
                        link=f"/sla/incidents/{incident.id}")


def _local(moment: datetime) -> str:
    return to_taipei(moment).strftime("%Y-%m-%d %H:%M")


# --- reading -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class IncidentView:
    incident: Incident
    order: Order
    assessment: ResponseAssessment


def incident_for(session: Session, user, incident_id: int) -> Incident:
    """One incident, if this user may see it: its buyer, its vendor or an administrator."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(_l("That incident does not exist."))
    if user.role == ROLE_ADMIN:
        return incident
    owner = {ROLE_BUSINESS: incident.buyer_organisation_id,
             ROLE_VENDOR: incident.vendor_organisation_id}.get(user.role)
    if owner is None or owner != user.organisation_id:
        raise NotFound(_l("That incident does not exist."))
    return incident


def events_of(session: Session, incident_id: int) -> list[IncidentEvent]:
    return list(session.exec(select(IncidentEvent).where(IncidentEvent.incident_id == incident_id)
                             .order_by(IncidentEvent.at, IncidentEvent.id)))


def incidents_of(session: Session, user, *, open_only: bool = False,
                 limit: int = 100) -> list[IncidentView]:
    """A buyer's or a vendor's incidents, newest first, each with its live assessment."""
    column = {ROLE_BUSINESS: Incident.buyer_organisation_id,
              ROLE_VENDOR: Incident.vendor_organisation_id}.get(user.role)
    if column is None:
        raise PermissionDenied(_l("Only buyers and vendors have incidents."))
    query = select(Incident, Order).join(Order, Order.id == Incident.order_id).where(
        column == user.organisation_id)
    if open_only:
        query = query.where(Incident.status != RESOLVED)
    rows = session.exec(query.order_by(Incident.opened_at.desc(), Incident.id.desc())
                        .limit(limit)).all()
    now = utcnow()
    return [IncidentView(incident, order, assess(session, incident, order, now))
            for incident, order in rows]


def active_subscriptions(session: Session, organisation_id: int) -> list[Order]:
    """The buyer's subscriptions an incident can be reported on."""
    return list(session.exec(select(Order).where(Order.organisation_id == organisation_id,
                                                 Order.status == ACTIVE)
                             .order_by(Order.solution_name)))
