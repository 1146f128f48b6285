"""Incidents on the business-hours clock: due times over a weekend and a national holiday,
the calendar clock for critical incidents, warnings, response and support-hours breaches,
probe outages opened once, and who may see and answer what.

The listing commits support Mon-Sat 09:00-18:00 Asia/Taipei without national holidays and a
120-minute response; 2026-12-25 (行憲紀念日, a Friday) is seeded by migration 0012.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from tcloud.clock import TAIPEI
from tcloud.errors import Conflict, NotFound
from tcloud.notifications.models import Notification
from tcloud.sla import breaches, incidents
from tcloud.sla.incident_models import Breach
from tests.points.conftest import admin, apply_for, make_programme, make_proof  # noqa: F401
from tests.sla.order_factory import sla_world_fixture  # noqa: F401


def taipei(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TAIPEI)


@pytest.fixture
def subscription(sla_world):
    return sla_world.subscription()


def open_at(db, order, when: str, severity: str = "normal"):
    buyer = _buyer_of(db, order)
    incident = incidents.open_incident(db, buyer=buyer, order_id=order.id, severity=severity,
                                       description="收銀機無法列印", now=taipei(when))
    db.commit()
    return incident


def _buyer_of(db, order):
    from tcloud.accounts.models import User

    return db.exec(select(User).where(User.organisation_id == order.organisation_id)).first()


@pytest.mark.parametrize(("opened", "due"), [
    ("2026-12-07 10:00", "2026-12-07 12:00"),  # inside hours: two real hours
    ("2026-12-04 17:00", "2026-12-05 10:00"),  # Friday evening: one hour now, one on Saturday
    ("2026-12-05 17:30", "2026-12-07 10:30"),  # Saturday: Sunday is closed
    ("2026-12-24 17:00", "2026-12-26 10:00"),  # Christmas Eve: 12-25 is a national holiday
    ("2026-12-06 12:00", "2026-12-07 11:00"),  # opened on Sunday: counting starts Monday 09:00
])
def test_response_due_on_the_business_hours_clock(db, subscription, opened, due):
    incident = open_at(db, subscription, opened)
    assert incident.due_at == taipei(due)
    assert not incident.calendar_clock


def test_critical_incidents_run_on_the_calendar_clock(db, subscription):
    incident = open_at(db, subscription, "2026-12-05 17:30", severity="critical")
    assert incident.calendar_clock
    assert incident.due_at == taipei("2026-12-05 19:30")


def test_vendor_is_told_and_warned_before_the_deadline(db, sla_world, subscription):
    incident = open_at(db, subscription, "2026-12-07 10:00")
    vendor_notes = db.exec(select(Notification).where(
        Notification.user_id == sla_world.vendor.id, Notification.kind.startswith("sla."))).all()
    assert [(n.kind, n.values["due"]) for n in vendor_notes] == [
        ("sla.incident_opened", "2026-12-07 12:00")]
    # 80% of 120 business minutes: 11:36
    assert incident.warn_at == taipei("2026-12-07 11:36")
    assert breaches.evaluate_incidents(db, taipei("2026-12-07 11:00")) == 0
    assert breaches.evaluate_incidents(db, taipei("2026-12-07 11:40")) == 1
    db.commit()
    assert incident.warned_at is not None
    kinds = [n.kind for n in db.exec(select(Notification).where(
        Notification.user_id == sla_world.vendor.id))]
    assert "sla.incident_warning" in kinds
    view = incidents.assess(db, incident, now=taipei("2026-12-07 11:40"))
    assert view.remaining_seconds == 20 * 60


def test_unanswered_incident_is_a_response_breach_once(db, subscription):
    incident = open_at(db, subscription, "2026-12-07 10:00")
    for _ in range(2):  # the job twice (a restart): one breach
        breaches.evaluate_incidents(db, taipei("2026-12-07 12:01"))
        incident.next_check_at = taipei("2026-12-07 12:01")  # force a second look
        db.commit()
    rows = db.exec(select(Breach).where(Breach.incident_id == incident.id)).all()
    assert [(b.term, b.closed_at) for b in rows] == [("response", None)]
    assert rows[0].key == f"sla/{subscription.solution_id}/response/2026-12/incident-{incident.id}"
    incidents.record_response(db, vendor=_vendor(db, subscription), incident_id=incident.id,
                              note="已派工程師", now=taipei("2026-12-07 13:00"))
    db.commit()
    assert rows[0].closed_at == taipei("2026-12-07 13:00")
    assert incident.response_breached


def test_support_hours_breach_when_hours_end_without_an_answer(db, subscription):
    # Raised Thursday 17:00 before a holiday: the response is due Saturday 10:00, but support
    # hours end at 18:00 that day, and nobody answered.
    incident = open_at(db, subscription, "2026-12-24 17:00")
    assert incident.support_hours_end_at == taipei("2026-12-24 18:00")
    breaches.evaluate_incidents(db, taipei("2026-12-24 18:00"))
    db.commit()
    terms = [b.term for b in db.exec(select(Breach).where(Breach.incident_id == incident.id))]
    assert terms == ["support_hours"]
    assert incident.support_hours_breached and not incident.response_breached
    answered = incidents.record_response(db, vendor=_vendor(db, subscription),
                                         incident_id=incident.id, note="處理中",
                                         now=taipei("2026-12-26 09:30"))
    db.commit()
    assert not answered.response_breached  # in time for the response target itself


def test_answer_inside_hours_is_in_time(db, subscription):
    incident = open_at(db, subscription, "2026-12-07 10:00")
    incidents.record_response(db, vendor=_vendor(db, subscription), incident_id=incident.id,
                              note="收到", now=taipei("2026-12-07 10:30"))
    incidents.resolve_incident(db, vendor=_vendor(db, subscription), incident_id=incident.id,
                               note="已修復", now=taipei("2026-12-07 11:00"))
    db.commit()
    assert incident.status == "resolved"
    assert db.exec(select(Breach).where(Breach.incident_id == incident.id)).all() == []
    with pytest.raises(Conflict):
        incidents.record_response(db, vendor=_vendor(db, subscription), incident_id=incident.id,
                                  note="again")


def test_probe_outage_opens_one_incident_per_subscription_once(db, sla_world):
    first = sla_world.subscription()
    second = sla_world.subscription()
    started = taipei("2026-12-07 03:00")
    added = incidents.open_outage_incidents(db, solution_id=first.solution_id,
                                            started_at=started, now=taipei("2026-12-07 03:02"))
    db.commit()
    assert sorted(i.order_id for i in added) == sorted([first.id, second.id])
    assert all(i.severity == "critical" and i.source == "probe" for i in added)
    again = incidents.open_outage_incidents(db, solution_id=first.solution_id,
                                            started_at=started, now=taipei("2026-12-07 03:03"))
    assert again == []


def test_buyer_sees_only_its_own_and_vendor_only_its_solutions(db, factories, sla_world,
                                                               subscription):
    incident = open_at(db, subscription, "2026-12-07 10:00")
    other_buyer = sla_world.buyer()
    other_vendor = factories.approved_vendor()
    with pytest.raises(NotFound):
        incidents.incident_for(db, other_buyer, incident.id)
    with pytest.raises(NotFound):
        incidents.incident_for(db, other_vendor, incident.id)
    with pytest.raises(NotFound):
        incidents.record_response(db, vendor=other_vendor, incident_id=incident.id, note="x")
    with pytest.raises(NotFound):
        incidents.open_incident(db, buyer=other_buyer, order_id=subscription.id,
                                severity="normal", description="not mine")
    assert incidents.incident_for(db, _vendor(db, subscription), incident.id) is incident
    assert [v.incident.id for v in incidents.incidents_of(db, other_buyer)] == []


def test_bad_input_is_refused_with_a_field(db, subscription):
    buyer = _buyer_of(db, subscription)
    with pytest.raises(Conflict) as refused:
        incidents.open_incident(db, buyer=buyer, order_id=subscription.id, severity="urgent",
                                description="x")
    assert refused.value.field == "severity"
    with pytest.raises(Conflict) as refused:
        incidents.open_incident(db, buyer=buyer, order_id=subscription.id, severity="low",
                                description="   ")
    assert refused.value.field == "description"


def _vendor(db, order):
    from tcloud.accounts.models import User

    return db.exec(select(User).where(
        User.organisation_id == order.vendor_organisation_id)).first()
