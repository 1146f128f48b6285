"""Administrators set or clear the address the probes use instead of the listed health URL:
validated, audited with before and after, used by the next round; vendors cannot."""

from __future__ import annotations

import json

import pytest
from sqlmodel import select

from tcloud.audit.models import AuditEvent
from tcloud.clock import utcnow
from tcloud.errors import ValidationFailed
from tcloud.sla.models import ProbeTarget
from tcloud.sla.probe_round import run_probe_round
from tcloud.sla.probe_settings import checked_probe_url, set_probe_url


@pytest.mark.parametrize("value", [
    "ftp://status.example.tw/health", "status.example.tw/health", "https://", "http:///x",
    "javascript:alert(1)", "https://exa mple.tw/", "https://example.tw:99999/",
    "https://example.tw/" + "x" * 290,
])
def test_bad_addresses_are_refused(value):
    with pytest.raises(ValidationFailed) as refused:
        checked_probe_url(value)
    assert "probe_url" in refused.value.errors


def test_good_addresses_and_empty_means_none():
    assert checked_probe_url(" http://127.0.0.1:8000/demo/health/3 ") == (
        "http://127.0.0.1:8000/demo/health/3")
    assert checked_probe_url("https://staging.example.tw/health") == (
        "https://staging.example.tw/health")
    assert checked_probe_url("   ") is None and checked_probe_url(None) is None


def test_set_and_clear_are_audited_with_before_and_after(db, factories, live_solution):
    solution_id = live_solution()
    admin = factories.staff("admin")
    set_probe_url(db, admin=admin, solution_id=solution_id,
                  probe_url="http://127.0.0.1:9/health", reason="廠商主機僅內網可達")
    set_probe_url(db, admin=admin, solution_id=solution_id, probe_url="http://127.0.0.1:9/health",
                  reason="again")  # unchanged: nothing recorded
    set_probe_url(db, admin=admin, solution_id=solution_id, probe_url="", reason="恢復")
    db.commit()
    target = db.exec(select(ProbeTarget).where(ProbeTarget.solution_id == solution_id)).one()
    assert target.probe_url is None
    events = db.exec(select(AuditEvent).where(AuditEvent.action == "sla.probe_url_changed")
                     .order_by(AuditEvent.id)).all()
    assert [(json.loads(e.before), json.loads(e.after)) for e in events] == [
        ({"probe_url": None}, {"probe_url": "http://127.0.0.1:9/health"}),
        ({"probe_url": "http://127.0.0.1:9/health"}, {"probe_url": None})]
    with pytest.raises(ValidationFailed) as refused:
        set_probe_url(db, admin=admin, solution_id=solution_id, probe_url="https://x.tw/",
                      reason=" ")
    assert "reason" in refused.value.errors


def test_admin_page_sets_the_address_the_next_round_probes(db, client, login, factories,
                                                           live_solution, target_server):
    solution_id = live_solution("https://status.example.com/health")
    client.post("/language", data={"locale": "en"})
    login(factories.staff("admin"))
    page = client.get(f"/admin/sla/solutions/{solution_id}/probe").get_data(as_text=True)
    assert "https://status.example.com/health" in page
    refused = client.post(f"/admin/sla/solutions/{solution_id}/probe",
                          data={"probe_url": "ftp://x", "reason": "test"})
    assert refused.status_code == 422 and 'href="#probe_url"' in refused.get_data(as_text=True)
    url = target_server.url("/ok")
    saved = client.post(f"/admin/sla/solutions/{solution_id}/probe",
                        data={"probe_url": url, "reason": "內網位址"})
    assert saved.status_code == 302
    assert url in client.get("/admin/sla/availability").get_data(as_text=True)
    found = client.get("/admin/sla/probe", query_string={"solution_id": str(solution_id)})
    assert found.location.endswith(f"/admin/sla/solutions/{solution_id}/probe")
    assert client.get("/admin/sla/solutions/999999/probe").status_code == 404
    run_probe_round(db, utcnow(), concurrency=4)
    target = db.exec(select(ProbeTarget).where(ProbeTarget.solution_id == solution_id)).one()
    assert target.probe_url == url and target.last_ok is True


def test_vendors_cannot_reach_the_admin_page(db, client, login, live_solution):
    solution_id = live_solution()
    login(live_solution.vendor())
    assert client.post(f"/admin/sla/solutions/{solution_id}/probe",
                       data={"probe_url": "http://evil.example/", "reason": "x"}
                       ).status_code == 403
    assert db.exec(select(ProbeTarget).where(ProbeTarget.solution_id == solution_id)
                   ).first() is None
