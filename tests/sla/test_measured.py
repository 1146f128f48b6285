"""Measured figures from roll-ups: the month rule, maintenance cap, unknown, 30/90 days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tcloud.sla.availability import day_minutes, month_days
from tcloud.sla.measured import (
    DEGRADED,
    NO_DATA,
    UP,
    monthly_availability,
    monthly_availability_of,
    solution_figures,
)
from tcloud.sla.minute_states import DOWN, UNKNOWN, DayRollup
from tcloud.sla.minute_states import UP as S_UP
from tcloud.sla.models import MaintenanceWindow, MinuteDay


def put_day(db, solution_id, day, states=None, *, down_at=(), unknown_at=()):
    first, end = day_minutes(day)
    minutes = bytearray(states if states is not None else [S_UP] * (end - first))
    for i in down_at:
        minutes[i] = DOWN
    for i in unknown_at:
        minutes[i] = UNKNOWN
    rollup = DayRollup.from_states(day, minutes)
    c = rollup.counts
    db.add(MinuteDay(solution_id=solution_id, day=day, up=c.up, down=c.down,
                     maintenance=c.maintenance, unknown=c.unknown, encoded=rollup.encoded))


def taipei(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute,
                    tzinfo=UTC) - timedelta(hours=8)


@pytest.fixture
def solution(live_solution, factories):
    return live_solution()


def test_a_month_is_up_over_measured_minutes(db, solution):
    for day in month_days(2026, 10):
        put_day(db, solution, day, down_at=range(10) if day.day == 5 else ())
    db.flush()
    month = monthly_availability(db, solution, 2026, 10)
    assert (month.down, month.unknown, month.maintenance) == (10, 0, 0)
    assert month.percent == pytest.approx(100 * (31 * 1440 - 10) / (31 * 1440))
    assert not month.lacking_evidence


def test_unknown_minutes_leave_the_denominator_and_flag_the_month(db, solution):
    days = month_days(2026, 10)
    for day in days[:30]:  # day 31 never measured: 1,440 unknown minutes, 3.2%
        put_day(db, solution, day)
    db.flush()
    month = monthly_availability(db, solution, 2026, 10)
    assert month.unknown == 1440 and month.percent == 100.0
    assert month.lacking_evidence


def test_announced_maintenance_is_excused_up_to_the_cap_beyond_it_down(db, solution, factories):
    vendor = factories.vendor()
    day = date(2026, 10, 20)
    for d in month_days(2026, 10):
        put_day(db, solution, d)
    # 300 minutes announced a week ahead; the cap is 240: 60 minutes count as down.
    db.add(MaintenanceWindow(solution_id=solution, starts_at=taipei(day, 1),
                             ends_at=taipei(day, 6), announced_at=taipei(day, 1) - timedelta(
                                 days=7), reason="DB upgrade", announced_by_id=vendor.id))
    # announced only a day ahead: not excused at all.
    db.add(MaintenanceWindow(solution_id=solution, starts_at=taipei(day, 22),
                             ends_at=taipei(day, 22, 30), announced_at=taipei(day, 22)
                             - timedelta(days=1), reason="hotfix", announced_by_id=vendor.id))
    db.flush()
    month = monthly_availability(db, solution, 2026, 10)
    assert month.maintenance == 240
    assert month.down == 60 + 30
    assert month.up + month.down + month.maintenance == 31 * 1440


def test_a_cancelled_window_changes_nothing(db, solution, factories):
    vendor = factories.vendor()
    day = date(2026, 10, 20)
    put_day(db, solution, day)
    db.add(MaintenanceWindow(solution_id=solution, starts_at=taipei(day, 1),
                             ends_at=taipei(day, 2), announced_at=taipei(day, 1)
                             - timedelta(hours=1), reason="x", announced_by_id=vendor.id,
                             cancelled_at=taipei(day, 0)))
    db.flush()
    assert monthly_availability(db, solution, 2026, 10).down == 0


def test_figures_for_30_and_90_days_and_the_bar(db, live_solution):
    measured, silent = live_solution(), live_solution()
    now = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # noon in Taipei
    today = date(2026, 11, 23)
    put_day(db, measured, today - timedelta(days=60), down_at=range(144))  # 90% that day
    put_day(db, measured, today - timedelta(days=1))
    db.flush()
    figures = solution_figures(db, [measured, silent, measured], now=now)
    assert set(figures) == {measured, silent}
    mine = figures[measured]
    assert mine.availability_30d == 100.0
    assert mine.availability_90d == pytest.approx(100 * (2880 - 144) / 2880)
    assert len(mine.days) == 90 and mine.days[-1].day == today
    states = {d.day: d.state for d in mine.days}
    assert states[today - timedelta(days=60)] == DEGRADED
    assert states[today - timedelta(days=1)] == UP
    assert states[today] == NO_DATA
    assert not figures[silent].has_data and figures[silent].availability_30d is None


def test_many_solutions_read_at_once_equal_one_by_one(db, live_solution, factories):
    vendor = factories.vendor()
    windowed, gappy, silent = live_solution(), live_solution(), live_solution()
    day = date(2026, 10, 20)
    for d in month_days(2026, 10):
        put_day(db, windowed, d, down_at=range(5) if d == day else ())
        if d.day != 3:
            put_day(db, gappy, d, unknown_at=range(100, 130))
    db.add(MaintenanceWindow(solution_id=windowed, starts_at=taipei(day, 1),
                             ends_at=taipei(day, 6), announced_at=taipei(day, 1) - timedelta(
                                 days=7), reason="DB upgrade", announced_by_id=vendor.id))
    db.flush()
    ids = [windowed, gappy, silent, windowed]
    together = monthly_availability_of(db, ids, 2026, 10)
    assert list(together) == [windowed, gappy, silent]
    for solution_id in together:
        assert together[solution_id] == monthly_availability(db, solution_id, 2026, 10)
    assert together[windowed].maintenance == 240 and together[windowed].down == 5 + 60  # cap
    assert together[gappy].unknown == 1440 + 30 * 30 and together[gappy].lacking_evidence
    assert together[silent].percent is None
    assert monthly_availability_of(db, [], 2026, 10) == {}
