"""Outside support hours the response clock is stopped, and the countdown says so: when it
starts (or starts again), in Taipei time with the weekday, not only the time left."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlmodel import select

from tcloud.accounts.models import User
from tcloud.clock import to_taipei, utcnow
from tcloud.sla import incident_labels, incidents
from tcloud.sla import incidents_clock as ic
from tcloud.sla.business_hours import SupportSchedule
from tcloud.sla.incident_models import Incident
from tests.points.conftest import admin, apply_for, make_programme, make_proof  # noqa: F401
from tests.sla.order_factory import sla_world_fixture  # noqa: F401

TPE = ZoneInfo("Asia/Taipei")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFFICE = SupportSchedule.from_windows(
    [{"day": d, "opens": "09:00", "closes": "18:00"} for d in WEEKDAYS[:5]]
).clock(date(2026, 1, 1), date(2026, 3, 31))
# One hour a weekday morning: a two-hour target runs over two mornings.
MORNINGS = SupportSchedule.from_windows(
    [{"day": d, "opens": "09:00", "closes": "10:00"} for d in WEEKDAYS[:5]]
).clock(date(2026, 1, 1), date(2026, 3, 31))


def tpe(*args):
    return datetime(*args, tzinfo=TPE)


def assess(clock, severity="normal", *, opened, now, answered=None):
    return ic.assess_response(target=ic.response_targets(120)[severity], support_clock=clock,
                              opened_at=opened, now=now, answered_at=answered)


@pytest.fixture
def english(app):
    with app.test_request_context(), force_locale("en"):
        yield


@pytest.mark.usefixtures("english")
def test_reported_on_friday_evening_the_clock_starts_on_monday_morning():
    result = assess(OFFICE, opened=tpe(2026, 1, 9, 19), now=tpe(2026, 1, 10, 12))
    assert result.state == ic.WAITING and result.elapsed_seconds == 0
    assert result.clock_resumes_at == tpe(2026, 1, 12, 9)
    words = incident_labels.countdown_words(result, calendar_clock=False)
    assert words == ("The response clock starts when support opens at Monday 09:00 "
                     "(2026-01-12); then 2 h 0 min of support hours to respond.")


@pytest.mark.usefixtures("english")
def test_stopped_part_way_says_when_it_starts_again_and_what_is_left():
    # Raised on Saturday; Monday 09:00-10:00 uses one hour; Monday noon it waits for Tuesday.
    result = assess(MORNINGS, opened=tpe(2026, 1, 10, 12), now=tpe(2026, 1, 12, 12))
    assert result.elapsed_seconds == 3600 and result.clock_resumes_at == tpe(2026, 1, 13, 9)
    words = incident_labels.countdown_words(result, calendar_clock=False)
    assert "stopped outside support hours" in words and "Tuesday 09:00" in words
    assert "1 h 0 min left" in words


@pytest.mark.usefixtures("english")
def test_a_running_clock_round_the_clock_or_answered_has_no_pause_note():
    running = assess(OFFICE, opened=tpe(2026, 1, 12, 9), now=tpe(2026, 1, 12, 10))
    critical = assess(OFFICE, "critical", opened=tpe(2026, 1, 10, 12),
                      now=tpe(2026, 1, 10, 12, 30))
    answered = assess(OFFICE, opened=tpe(2026, 1, 9, 19), now=tpe(2026, 1, 10, 12),
                      answered=tpe(2026, 1, 10, 11))
    assert (running.clock_resumes_at, critical.clock_resumes_at,
            answered.clock_resumes_at) == (None, None, None)
    assert incident_labels.countdown_words(running, False).startswith("Due in 1 h 0 min")


def test_vendor_pages_say_the_clock_waits_for_support_to_open(db, client, login, sla_world):
    # Support only on the weekday two days from now: whatever the hour, it is closed now.
    today = to_taipei(utcnow()).date()
    day = WEEKDAYS[(today + timedelta(days=2)).weekday()]
    order = sla_world.subscription(support_windows=[
        {"day": day, "opens": "09:00", "closes": "18:00"}], covers_national_holidays=True)
    buyer = db.get(User, order.accepted_by_id)
    incidents.open_incident(db, buyer=buyer, order_id=order.id, severity="normal",
                            description="無法登入")
    db.commit()
    incident = db.exec(select(Incident)).one()
    resumes = incidents.assess(db, incident).clock_resumes_at
    assert resumes is not None
    weekday = to_taipei(resumes).strftime("%A")
    client.post("/language", data={"locale": "en"})
    login(sla_world.vendor)
    for url in (f"/sla/incidents/{incident.id}", "/sla/incidents"):
        page = client.get(url).get_data(as_text=True)
        assert "The response clock starts when support opens at" in page, url
        assert f"{weekday} 09:00" in page, url
    api = client.get(f"/api/v1/sla/incidents/{incident.id}").get_json()
    assert api["clock_resumes_at"] is not None
