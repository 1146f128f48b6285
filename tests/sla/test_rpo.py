"""RPO from backup reports: ok, warning, breach, unknown; breach spans and compliance."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tcloud.sla import rpo
from tcloud.sla.rpo import BackupReport

TPE = ZoneInfo("Asia/Taipei")
DAY = 24 * 60
START = datetime(2026, 3, 1, tzinfo=TPE)
GRACE = rpo.DEFAULT_GRACE


def at(hours):
    return START + timedelta(hours=hours)


def status(reports, hours, rpo_minutes=DAY):
    return rpo.rpo_status(reports, rpo_minutes=rpo_minutes, since=START, now=at(hours))


@pytest.mark.parametrize(("now_hours", "state"), [
    (2, rpo.OK),
    (1 + 19.19, rpo.OK),
    (1 + 19.2, rpo.WARNING),           # 80% of 24 h
    (1 + 24, rpo.WARNING),
    (1 + 24.25, rpo.WARNING),          # still within the grace
    (1 + 24.26, rpo.BREACH),
])
def test_states_by_age_of_the_newest_successful_backup(now_hours, state):
    assert status([BackupReport(at(1))], now_hours).state == state


def test_failed_and_partial_backups_never_count():
    reports = [BackupReport(at(1)), BackupReport(at(20), rpo.FAILED),
               BackupReport(at(22), rpo.PARTIAL)]
    result = status(reports, 26)
    assert result.newest_success_at == at(1)
    assert result.state == rpo.BREACH and result.age == timedelta(hours=25)


def test_a_fresh_report_closes_the_breach():
    reports = [BackupReport(at(1)), BackupReport(at(30))]
    assert status(reports[:1], 29).state == rpo.BREACH
    assert status(reports, 30).state == rpo.OK


def test_no_report_is_unknown_then_a_breach_one_rpo_after_the_start():
    assert status([], 5).state == rpo.UNKNOWN
    assert status([BackupReport(at(1), rpo.FAILED)], 24).state == rpo.UNKNOWN
    unknown = status([], 24.25)
    assert unknown.state == rpo.UNKNOWN and unknown.warn_at is None
    assert unknown.next_check_at == at(24.25) + timedelta(microseconds=1)
    assert status([], 24.26).state == rpo.BREACH


def test_a_report_from_the_future_is_not_seen_yet():
    assert status([BackupReport(at(10))], 5).state == rpo.UNKNOWN


def test_next_check_is_when_the_state_would_change():
    result = status([BackupReport(at(1))], 2)
    assert result.next_check_at == result.warn_at == at(1 + 19.2)
    assert status([BackupReport(at(1))], 1 + 19.2).state == rpo.WARNING
    warning = status([BackupReport(at(1))], 22)
    assert warning.next_check_at == at(25.25) + timedelta(microseconds=1)
    assert status([BackupReport(at(1))], 30).next_check_at is None


def test_refuses_nonsense():
    with pytest.raises(ValueError):
        BackupReport(at(1), "ok-ish")
    with pytest.raises(ValueError):
        status([], 1, rpo_minutes=0)


def test_breach_spans_over_a_week():
    hourly_rpo = 60
    reports = [BackupReport(at(h)) for h in (0.5, 1.5, 4, 4.5)] + [
        BackupReport(at(6), rpo.FAILED)]
    spans = rpo.breach_spans(reports, rpo_minutes=hourly_rpo, since=START, until=at(10))
    assert spans == [(at(1.5) + timedelta(minutes=75), at(4)),
                     (at(4.5) + timedelta(minutes=75), None)]
    closed_only = rpo.breach_spans(reports, rpo_minutes=hourly_rpo, since=START, until=at(5))
    assert closed_only == [(at(2.75), at(4))]
    never = rpo.breach_spans([], rpo_minutes=hourly_rpo, since=START, until=at(3))
    assert never == [(at(1.25), None)]


def test_a_backup_before_the_start_still_protects_data():
    reports = [BackupReport(at(-2))]
    assert status(reports, 1).state == rpo.OK
    assert rpo.breach_spans(reports, rpo_minutes=DAY, since=START, until=at(22)) == []


def test_compliance_is_the_share_of_time_outside_breaches():
    reports = [BackupReport(at(h)) for h in (0, 1, 3.25)]  # breach 2.25 → 3.25
    percent = rpo.compliance_percent(reports, rpo_minutes=60, since=START, start=START,
                                     end=at(4))
    assert percent == pytest.approx(75.0)


def test_works_in_utc_and_across_a_dst_change():
    ny = ZoneInfo("America/New_York")
    since = datetime(2026, 3, 7, 12, tzinfo=ny)  # clocks go forward that night
    result = rpo.rpo_status([], rpo_minutes=DAY, since=since,
                            now=datetime(2026, 3, 8, 12, 10, tzinfo=ny))
    # 24 real hours after noon EST is 13:00 EDT: at 12:10 EDT it is still unknown.
    assert result.state == rpo.UNKNOWN
    assert result.breach_at == since.astimezone(UTC) + timedelta(hours=24, minutes=15)


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(-48 * 60, 14 * DAY),
                          st.sampled_from(rpo.OUTCOMES)), max_size=30),
       st.integers(0, 14 * DAY), st.integers(30, 2 * DAY))
def test_status_and_spans_agree(report_minutes, now_minute, rpo_minutes):
    reports = [BackupReport(START + timedelta(minutes=m), outcome)
               for m, outcome in report_minutes]
    now = START + timedelta(minutes=now_minute)
    result = rpo.rpo_status(reports, rpo_minutes=rpo_minutes, since=START, now=now)
    spans = rpo.breach_spans(reports, rpo_minutes=rpo_minutes, since=START, until=now)
    in_open_breach = bool(spans) and spans[-1][1] is None
    assert (result.state == rpo.BREACH) == in_open_breach
    if result.state == rpo.BREACH:
        assert spans[-1][0] == result.breach_at
    for began, ended in spans:
        assert ended is None or ended > began
