"""Pages and API: measured figures on the solution page, vendor maintenance and probe
settings (bad input refused clearly), the admin warnings page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tcloud.clock import to_taipei, utcnow
from tcloud.sla.models import MaintenanceWindow, ProbeTarget
from tests.sla.test_measured import put_day


@pytest.fixture(autouse=True)
def _fresh_page_cache(app):
    # Rolled-back tests reuse ids and the catalogue revision: a page cached by an earlier test
    # would be served again.
    app.extensions.pop("tcloud.catalog.page_cache", None)


def test_the_solution_page_says_plainly_when_nothing_is_measured(client, live_solution):
    sid = live_solution()
    page = client.get(f"/solutions/{sid}").get_data(as_text=True)
    assert "uptime-bar" not in page
    assert "/solutions/" in page and "uptime-legend" not in page


def test_the_solution_page_shows_figures_and_a_day_bar(client, db, live_solution):
    sid = live_solution()
    put_day(db, sid, to_taipei(utcnow()).date() - timedelta(days=2), down_at=range(30))
    db.commit()
    page = client.get(f"/solutions/{sid}", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert page.count('class="uptime-day uptime-') >= 90
    assert "uptime-degraded" in page and 'role="img"' in page
    assert "97.917%" in page  # (1440 - 30) / 1440 over the measured days


def test_the_public_api_gives_figures_and_refuses_unknown_solutions(client, db, live_solution):
    sid = live_solution()
    put_day(db, sid, to_taipei(utcnow()).date() - timedelta(days=1))
    db.commit()
    body = client.get(f"/api/v1/sla/solutions/{sid}/availability").get_json()
    assert body["availability_30d"] == 100.0 and len(body["days"]) == 90
    assert body["committed_percent"] == 99.5
    assert client.get("/api/v1/sla/solutions/999999/availability").status_code == 404


def test_maintenance_under_72_hours_is_refused_with_the_earliest_start(client, login,
                                                                      live_solution, db):
    sid = live_solution()
    login(live_solution.vendor())
    soon = to_taipei(utcnow() + timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/vendor/sla/solutions/{sid}/maintenance", data={
        "starts_at": soon, "duration_minutes": "60", "reason": "upgrade"})
    assert response.status_code == 400
    assert 'href="#starts_at"' in response.get_data(as_text=True)
    assert db.exec(select(MaintenanceWindow)).first() is None
    later = to_taipei(utcnow() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/vendor/sla/solutions/{sid}/maintenance", data={
        "starts_at": later, "duration_minutes": "90", "reason": "upgrade"})
    assert response.status_code == 302
    window = db.exec(select(MaintenanceWindow)).scalar_one()
    assert window.ends_at - window.starts_at == timedelta(minutes=90)


def test_maintenance_api_announces_lists_and_cancels(client, login, live_solution):
    sid = live_solution()
    login(live_solution.vendor())
    start = (utcnow() + timedelta(days=5)).isoformat()
    url = f"/api/v1/sla/solutions/{sid}/maintenance-windows"
    bad = client.post(url, json={"starts_at": "tomorrow", "duration_minutes": 5000})
    assert bad.status_code == 422
    created = client.post(url, json={"starts_at": start, "duration_minutes": 30,
                                     "reason": "DB"})
    assert created.status_code == 201 and created.get_json()["excused"] is True
    assert len(client.get(url).get_json()) == 1
    window_id = created.get_json()["id"]
    cancelled = client.delete(f"{url}/{window_id}", json={})
    assert cancelled.status_code == 200 and cancelled.get_json()["cancelled_at"]


def test_another_vendors_solution_is_not_found(client, login, live_solution, factories):
    sid = live_solution()
    login(factories.approved_vendor())
    assert client.get(f"/vendor/sla/solutions/{sid}/maintenance").status_code == 404
    assert client.get(f"/api/v1/sla/solutions/{sid}/maintenance-windows").status_code == 404


def test_probe_settings_refuse_bad_input_and_save_good(client, login, live_solution, db):
    sid = live_solution()
    login(live_solution.vendor())
    url = f"/vendor/sla/solutions/{sid}/probe"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"interval_seconds": "30", "timeout_seconds": "99",
                                 "expected_status": "ok"})
    assert bad.status_code == 400
    assert db.exec(select(ProbeTarget)).first() is None
    good = client.post(url, data={"interval_seconds": "120", "timeout_seconds": "5",
                                  "expected_status": "200", "keyword": "healthy"})
    assert good.status_code == 302
    target = db.exec(select(ProbeTarget)).scalar_one()
    assert (target.interval_seconds, target.keyword) == (120, "healthy")
    assert client.get("/vendor/sla").status_code == 200


def test_the_admin_warnings_page(client, login, factories, live_solution):
    live_solution()
    login(factories.staff("admin"))
    assert client.get("/admin/sla/availability").status_code == 200
