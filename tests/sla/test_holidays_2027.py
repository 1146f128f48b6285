"""The 2027 days off seeded by migration 0012 follow from the rules and the year's dates.

0012 derived 2027 by rule ("check them against the 人事行政總處 calendar"). This test derives the
weekdays off again, independently, from 紀念日及節日實施條例 as amended in 2025 and the 2027
lunar and solar dates, and compares them with what the database holds:
- days off: 開國紀念日 1/1, 小年夜, 除夕, 春節 (初一-初三), 和平紀念日 2/28, 兒童節 4/4,
  民族掃墓節 (清明), 勞動節 5/1, 端午節, 中秋節, 教師節 9/28, 國慶日 10/10,
  光復節 10/25, 行憲紀念日 12/25;
- a day off on a Saturday is made up on the workday before, on a Sunday on the workday after;
- the Lunar New Year days (小年夜 to 初三) that fall on a weekend are made up on the workdays
  that follow them.
2027 dates: 除夕 2027-02-05 (初一 02-06), 清明 2027-04-05, 端午 2027-06-09, 中秋 2027-09-15.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from tcloud.sla.incident_models import Holiday

FIXED = [(1, 1), (2, 28), (4, 4), (5, 1), (9, 28), (10, 10), (10, 25), (12, 25)]
NEW_YEARS_EVE_2027 = date(2027, 2, 5)
SOLAR_AND_LUNAR_2027 = [date(2027, 4, 5), date(2027, 6, 9), date(2027, 9, 15)]


def _weekend(day: date) -> bool:
    return day.weekday() >= 5


def weekdays_off(year: int, new_years_eve: date, others: list[date]) -> set[date]:
    lunar_new_year = [new_years_eve + timedelta(days=n) for n in range(-1, 4)]  # 小年夜..初三
    days = [date(year, m, d) for m, d in FIXED] + others
    off = {d for d in days + lunar_new_year if not _weekend(d)}
    # Lunar New Year: weekend days are made up after the block, on the next free workdays.
    after = lunar_new_year[-1]
    for _ in (d for d in lunar_new_year if _weekend(d)):
        after += timedelta(days=1)
        while _weekend(after) or after in off:
            after += timedelta(days=1)
        off.add(after)
    for day in sorted(d for d in days if _weekend(d)):
        step = timedelta(days=-1 if day.weekday() == 5 else 1)
        substitute = day + step
        while _weekend(substitute) or substitute in off:
            substitute += step
        off.add(substitute)
    return off


def test_the_rule_reproduces_the_published_2026_calendar(db):
    # 2026 (民國115年) was seeded from the published calendar: the rule must give the same.
    stored = {h.day for h in db.exec(select(Holiday).where(
        Holiday.day >= date(2026, 1, 1), Holiday.day <= date(2026, 12, 31)))}
    derived = weekdays_off(2026, date(2026, 2, 16),
                           [date(2026, 4, 5), date(2026, 6, 19), date(2026, 9, 25)])
    assert {d for d in stored if not _weekend(d)} == derived


def test_seeded_2027_weekdays_off_match_the_rules(db):
    stored = {h.day for h in db.exec(select(Holiday).where(
        Holiday.day >= date(2027, 1, 1), Holiday.day <= date(2027, 12, 31)))}
    derived = weekdays_off(2027, NEW_YEARS_EVE_2027, SOLAR_AND_LUNAR_2027)
    assert {d for d in stored if not _weekend(d)} == derived
    # The long weekends people plan around.
    assert {date(2027, 2, 4) + timedelta(days=n) for n in range(7)} <= stored  # 春節 2/4-2/10
    assert {date(2027, 4, 5), date(2027, 4, 6), date(2027, 10, 11)} <= stored
