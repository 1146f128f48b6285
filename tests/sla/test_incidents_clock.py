"""Incident response deadlines, warnings and the two breaches, with controlled time."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tcloud.sla import incidents_clock as ic
from tcloud.sla.business_hours import SupportSchedule

TPE = ZoneInfo("Asia/Taipei")
OFFICE = [{"day": d, "opens": "09:00", "closes": "18:00"} for d in ("mon", "tue", "wed", "thu",
                                                                    "fri")]
CLOCK = SupportSchedule.from_windows(OFFICE).clock(date(2026, 1, 1), date(2026, 3, 31))
TARGETS = ic.response_targets(120)


def tpe(*args):
    return datetime(*args, tzinfo=TPE)


def assess(severity="normal", *, opened, now, answered=None):
    return ic.assess_response(target=TARGETS[severity], support_clock=CLOCK, opened_at=opened,
                              now=now, answered_at=answered)


def test_targets_per_severity_never_looser_than_the_commitment():
    targets = ic.response_targets(240, overrides={"critical": 30, "high": 60})
    assert [(t.severity, t.minutes, t.calendar) for t in targets.values()] == [
        ("critical", 30, True), ("high", 60, False), ("normal", 240, False), ("low", 240, False)]
    with pytest.raises(ValueError, match="within the commitment"):
        ic.response_targets(240, overrides={"low": 480})
    with pytest.raises(ValueError, match="unknown"):
        ic.response_targets(240, overrides={"urgent": 10})
    with pytest.raises(ValueError):
        ic.response_targets(0)


# 2026-01-09 is a Friday; support closes at 18:00 and opens again Monday 09:00.
def test_friday_afternoon_incident_counts_over_the_weekend_on_support_hours():
    opened = tpe(2026, 1, 9, 17)
    result = assess(opened=opened, now=tpe(2026, 1, 10, 12))
    assert result.due_at == tpe(2026, 1, 12, 10)
    assert result.support_hours_end == tpe(2026, 1, 9, 18)
    # Unanswered when support closed: a support-hours breach, not (yet) a response breach.
    assert result.state == ic.BREACHED
    assert result.support_hours_breach and not result.response_breach
    assert result.elapsed_seconds == 3600 and result.remaining_seconds == 3600
    assert result.next_check_at == result.due_at + timedelta(microseconds=1)


def test_the_most_severe_incident_counts_on_the_calendar_clock():
    opened = tpe(2026, 1, 9, 17)
    result = assess("critical", opened=opened, now=tpe(2026, 1, 9, 17, 30),
                    answered=tpe(2026, 1, 9, 17, 20))
    assert result.due_at == tpe(2026, 1, 9, 19)
    assert result.state == ic.ANSWERED and not result.breached
    late = assess("critical", opened=tpe(2026, 1, 10, 22), now=tpe(2026, 1, 11, 1))
    assert late.due_at == tpe(2026, 1, 11, 0) and late.response_breach
    assert late.support_hours_end is None and not late.support_hours_breach


def test_raised_outside_support_hours_counts_from_the_next_opening():
    result = assess(opened=tpe(2026, 1, 10, 12), now=tpe(2026, 1, 12, 9, 30))
    assert result.due_at == tpe(2026, 1, 12, 11)
    assert result.support_hours_end is None  # the support-hours rule needs hours to be open
    assert result.state == ic.WAITING and result.elapsed_seconds == 1800
    assert result.warn_at == tpe(2026, 1, 12, 10, 36)
    assert result.next_check_at == result.warn_at


def test_warning_comes_at_80_percent_of_the_first_deadline():
    opened = tpe(2026, 1, 12, 10)  # Monday morning: due 12:00, support ends 18:00
    assert assess(opened=opened, now=tpe(2026, 1, 12, 11, 30)).state == ic.WAITING
    warned = assess(opened=opened, now=tpe(2026, 1, 12, 11, 36))
    assert warned.state == ic.WARNING and warned.used_fraction == pytest.approx(0.8)
    assert warned.next_check_at == tpe(2026, 1, 12, 12) + timedelta(microseconds=1)
    # Raised near closing time, the support-hours deadline comes first and sets the warning.
    near_close = assess(opened=tpe(2026, 1, 12, 17, 50), now=tpe(2026, 1, 12, 17, 58))
    assert near_close.warn_at == tpe(2026, 1, 12, 17, 58)
    assert near_close.state == ic.WARNING


@pytest.mark.parametrize(("answered", "state", "response", "support"), [
    (tpe(2026, 1, 12, 12), ic.ANSWERED, False, False),            # exactly at the due time
    (tpe(2026, 1, 12, 12, 0, 1), ic.ANSWERED_LATE, True, False),
    (tpe(2026, 1, 12, 18), ic.ANSWERED_LATE, True, True),         # at closing: not "before"
])
def test_answer_times_at_the_edges(answered, state, response, support):
    result = assess(opened=tpe(2026, 1, 12, 10), now=tpe(2026, 1, 13, 9), answered=answered)
    assert (result.state, result.response_breach, result.support_hours_breach) == (
        state, response, support)
    assert result.next_check_at is None


def test_an_answer_recorded_after_now_is_not_seen_yet():
    result = assess(opened=tpe(2026, 1, 12, 10), now=tpe(2026, 1, 12, 11),
                    answered=tpe(2026, 1, 12, 11, 30))
    assert result.state == ic.WAITING


def test_round_the_clock_support_never_ends_so_no_support_hours_breach():
    always = SupportSchedule.from_windows(
        [{"day": d, "opens": "00:00", "closes": "24:00"}
         for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")]).clock(
        date(2026, 1, 1), date(2026, 1, 31))
    result = ic.assess_response(target=TARGETS["normal"], support_clock=always,
                                opened_at=tpe(2026, 1, 10, 3), now=tpe(2026, 1, 10, 4))
    assert result.support_hours_end is None and result.state == ic.WAITING


def test_the_warning_is_right_across_a_dst_change():
    ny = ZoneInfo("America/New_York")
    clock = SupportSchedule.from_windows(
        [{"day": "sat", "opens": "12:00", "closes": "24:00"},
         {"day": "sun", "opens": "00:00", "closes": "12:00"}], zone="America/New_York").clock(
        date(2026, 3, 6), date(2026, 3, 16))
    opened = datetime(2026, 3, 7, 22, tzinfo=ny)  # support runs to Sunday noon, 13 real hours
    result = ic.assess_response(target=ic.ResponseTarget("normal", 24 * 60, False),
                                support_clock=clock, opened_at=opened, now=opened)
    assert result.support_hours_end == datetime(2026, 3, 8, 12, tzinfo=ny)
    assert result.warn_at.astimezone(UTC) == opened.astimezone(UTC) + timedelta(hours=10.4)


@settings(max_examples=200, deadline=None)
@given(opened_minute=st.integers(0, 30 * 24 * 60), wait=st.integers(0, 10 * 24 * 60),
       severity=st.sampled_from(ic.SEVERITIES))
def test_states_are_consistent_with_the_deadlines(opened_minute, wait, severity):
    opened = tpe(2026, 1, 5) + timedelta(minutes=opened_minute)
    now = opened + timedelta(minutes=wait)
    result = assess(severity, opened=opened, now=now)
    assert result.response_breach == (now > result.due_at)
    assert result.warn_at <= result.due_at
    if result.support_hours_end is not None:
        assert result.warn_at <= result.support_hours_end
    if result.state in (ic.WAITING, ic.WARNING):
        assert result.next_check_at > now
        again = assess(severity, opened=opened, now=result.next_check_at)
        assert again.state != result.state
    assert result.elapsed_seconds + result.remaining_seconds >= TARGETS[severity].seconds
