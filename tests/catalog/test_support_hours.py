"""Support hours that end at midnight: 24:00 from the listing form and the API to the solution
page, the comparison, the advisor's support filter and the SLA business-hours clock."""

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from tcloud.advisor.candidates import load_candidates
from tcloud.advisor.matcher import Exclusion, assess
from tcloud.advisor.needs import NeedsProfile, support_coverage, windows_from_json
from tcloud.catalog.models import SolutionVersion
from tcloud.sla.business_hours import SupportSchedule
from tcloud.sla.support_clock import schedule_from_snapshot
from tests.catalog.test_listing_pages import error_next_to, form_data, switch_to
from tests.factories import listing_payload

API = "/api/v1"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
# Weekdays 09:00 to midnight, weekends round the clock.
LATE_HOURS = {**{f"sla-hours-{day}-opens": "09:00" for day in WEEKDAYS},
              **{f"sla-hours-{day}-closes": "24:00" for day in WEEKDAYS},
              **{f"sla-hours-{day}-opens": "00:00" for day in ("sat", "sun")},
              **{f"sla-hours-{day}-closes": "24:00" for day in ("sat", "sun")}}


@pytest.fixture(autouse=True)
def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def vendor(factories, login):
    return login(factories.approved_vendor())


def publish_from_the_page(client, db, factories, login, vendor, **overrides) -> SolutionVersion:
    response = client.post("/vendor/solutions/new", data=form_data(**LATE_HOURS, **overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.exec(select(SolutionVersion)).one()
    switch_to(client, login, factories.staff("admin"))
    client.post(f"/admin/listings/{version.id}/decision",
                data={"decision": "approve", "reason": "ok"})
    db.refresh(version)
    assert version.state == "live"
    return version


def test_a_day_ending_at_midnight_is_stored_shown_and_edited_as_24_00(client, db, factories,
                                                                       login, vendor):
    version = publish_from_the_page(client, db, factories, login, vendor)
    assert {w["day"]: (w["opens"], w["closes"]) for w in version.support_windows} == {
        **{day: ("09:00", "24:00") for day in WEEKDAYS},
        "sat": ("00:00", "24:00"), "sun": ("00:00", "24:00")}
    assert version.weekend_support is True

    page = client.get(f"/solutions/{version.solution_id}").get_data(as_text=True)
    assert "09:00–24:00" in page and "Sat, Sun round the clock" in page
    compare = client.get(f"/compare?id={version.solution_id}").get_data(as_text=True)
    assert "09:00–24:00" in compare and "round the clock" in compare

    detail = client.get(f"{API}/solutions/{version.solution_id}").get_json()
    hours = detail["sla"]["support_hours"]
    assert hours["weekly_minutes"] == 5 * 15 * 60 + 2 * 24 * 60
    assert {"day": "sat", "opens": "00:00", "closes": "24:00"} in hours["windows"]

    switch_to(client, login, vendor)
    form = client.get(f"/vendor/solutions/{version.solution_id}/edit").get_data(as_text=True)
    assert 'name="sla-hours-mon-closes" type="text" value="24:00"' in form


def test_the_api_takes_24_00_and_refuses_other_times_past_midnight(client, db, vendor):
    windows = [{"day": "mon", "opens": "09:00", "closes": "24:00"},
               *({"day": day, "opens": "00:00", "closes": "24:00"}
                 for day in ("tue", "wed", "thu", "fri"))]
    made = client.post(f"{API}/vendor/solutions",
                       json=listing_payload(sla={"support_windows": windows}))
    assert made.status_code == 201, made.get_json()
    stored = db.get(SolutionVersion, made.get_json()["version_id"])
    assert stored.support_windows == windows

    for closes, words in (("24:30", "00:01 to 24:00"), ("25:00", "00:01 to 24:00"),
                          ("00:00", "enter 24:00")):
        response = client.post(f"{API}/vendor/solutions", json=listing_payload(
            sla={"support_windows": [{"day": "mon", "opens": "09:00", "closes": closes}]}))
        assert response.status_code == 422
        assert words in str(response.get_json()), closes


@pytest.mark.parametrize(("day_hours", "field", "words"), [
    ({"sla-hours-mon-closes": "24:30"}, "sla-hours-mon-closes", "from 00:01 to 24:00"),
    ({"sla-hours-mon-closes": "25:00"}, "sla-hours-mon-closes", "from 00:01 to 24:00"),
    ({"sla-hours-mon-closes": "00:00"}, "sla-hours-mon-closes", "enter 24:00"),
    ({"sla-hours-mon-opens": "24:00"}, "sla-hours-mon-opens", "24:00 can only be a closing"),
    ({"sla-hours-mon-closes": "6pm"}, "sla-hours-mon-closes", "such as 18:00"),
    ({"sla-hours-mon-opens": "18:00", "sla-hours-mon-closes": "09:00"},
     "sla-support_windows", "closing time must be after the opening time"),
    ({"sla-hours-mon-opens": "10:00", "sla-hours-mon-closes": "10:00"},
     "sla-support_windows", "for midnight, enter 24:00"),
])
def test_impossible_hours_are_refused_next_to_their_field(client, db, vendor, day_hours, field,
                                                          words):
    response = client.post("/vendor/solutions/new", data=form_data(**{**LATE_HOURS,
                                                                      **day_hours}))
    assert response.status_code == 400
    assert words in error_next_to(response.get_data(as_text=True), field)
    assert db.exec(select(SolutionVersion)).first() is None


def test_the_advisor_counts_hours_to_midnight_as_evening_support(client, db, factories, login,
                                                                  vendor):
    version = publish_from_the_page(client, db, factories, login, vendor)
    (candidate,) = load_candidates(db, [version.solution_id])
    assert support_coverage(candidate, "evenings") == 1.0
    assert support_coverage(candidate, "weekends") == 1.0
    profile = NeedsProfile(employees=5, industry="food_beverage", problems=("pos",),
                           top_problem="pos", needs_evenings=True, needs_weekends=True)
    assert not isinstance(assess(profile, candidate), Exclusion)


def test_the_sla_clock_reads_24_00_from_the_contract_snapshot(client, db, factories, login,
                                                              vendor):
    version = publish_from_the_page(client, db, factories, login, vendor)
    snapshot = {"support_windows": version.support_windows, "covers_national_holidays": True}
    clock = schedule_from_snapshot(snapshot).clock(date(2026, 3, 2), date(2026, 3, 9))
    # Friday 2026-03-06 23:00 Taipei (15:00 UTC) to Saturday 01:00: open all along, since
    # Friday runs to midnight and Saturday starts at 00:00.
    friday_late = datetime(2026, 3, 6, 15, tzinfo=UTC)
    assert clock.business_seconds_between(friday_late, datetime(2026, 3, 6, 17, tzinfo=UTC)) \
        == 2 * 3600
    # Monday 00:30 Taipei is closed (opens 09:00); 23:59 is still open.
    assert not clock.is_open(datetime(2026, 3, 8, 16, 30, tzinfo=UTC))
    assert clock.is_open(datetime(2026, 3, 9, 15, 59, tzinfo=UTC))


def test_window_objects_ending_at_midnight_build_the_same_clock_as_the_stored_json():
    stored = [{"day": "fri", "opens": "22:00", "closes": "24:00"}]
    objects = windows_from_json(stored)
    assert SupportSchedule.from_windows(objects) == SupportSchedule.from_windows(stored)
    assert SupportSchedule.from_windows(objects).week[4] == ((22 * 60, 24 * 60),)
