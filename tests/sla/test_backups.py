"""RPO from backup reports: states with controlled time, breaches open until a fresh report,
failed backups ignored, "never reported" becoming a breach, and the token-authenticated API.

The listing commits an RPO of 240 minutes; the grace is 15 minutes, the warning at 80% (192).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tcloud.clock import utcnow
from tcloud.sla import backups
from tcloud.sla.incident_models import Breach, RpoToken
from tests.points.conftest import admin, apply_for, make_programme, make_proof  # noqa: F401
from tests.sla.order_factory import sla_world_fixture  # noqa: F401

NOW = utcnow().replace(microsecond=0)


@pytest.fixture
def subscribed(db, sla_world):
    order = sla_world.subscription()
    token = backups.issue_token(db, vendor=sla_world.vendor, solution_id=order.solution_id)
    db.commit()
    return order, token


def report(db, order, minutes_ago: int, status: str = "ok", now=NOW):
    row = db.exec(select(RpoToken).where(RpoToken.solution_id == order.solution_id)).one()
    backups.report_backup(db, token=row, completed_at=now - timedelta(minutes=minutes_ago),
                          status=status, now=now)
    db.commit()


def state(db, order, now=NOW) -> str:
    return backups.solution_rpo(db, order.solution_id, now).status.state


def test_token_is_stored_only_as_a_hash(db, subscribed):
    order, token = subscribed
    row = db.exec(select(RpoToken).where(RpoToken.solution_id == order.solution_id)).one()
    assert token.startswith("tcrpo_") and token not in (row.token_sha256, row.hint)
    assert row.token_sha256 == backups.hash_token(token)


@pytest.mark.parametrize(("minutes_ago", "expected"), [
    (60, "ok"), (200, "warning"), (250, "warning"), (256, "breach")])
def test_state_follows_the_age_of_the_newest_good_backup(db, subscribed, minutes_ago,
                                                         expected):
    order, _token = subscribed
    report(db, order, minutes_ago)
    assert state(db, order) == expected


def test_failed_and_partial_backups_never_count(db, subscribed):
    order, _token = subscribed
    report(db, order, 300)
    report(db, order, 5, status="failed")
    report(db, order, 2, status="partial")
    assert state(db, order) == "breach"


def test_breach_is_recorded_once_and_stays_open_until_a_fresh_report(db, subscribed):
    order, _token = subscribed
    report(db, order, 300)
    assert backups.evaluate_rpo(db, NOW) == 1
    assert backups.evaluate_rpo(db, NOW + timedelta(minutes=5)) == 0  # same breach, same key
    db.commit()
    breach = db.exec(select(Breach).where(Breach.term == "rpo")).one()
    assert breach.closed_at is None
    assert breach.opened_at == NOW - timedelta(minutes=300) + timedelta(minutes=255)
    report(db, order, 0)
    assert breach.closed_at == NOW
    assert state(db, order) == "ok"


def test_no_report_is_unknown_then_a_breach_after_one_rpo_period(db, sla_world):
    order = sla_world.subscription()
    since = order.activated_at
    assert state(db, order, since + timedelta(minutes=200)) == "unknown"
    assert state(db, order, since + timedelta(minutes=256)) == "breach"


def test_warning_is_sent_once_per_backup(db, sla_world, subscribed):
    from tcloud.notifications.models import Notification

    order, _token = subscribed
    report(db, order, 200)
    backups.evaluate_rpo(db, NOW)
    backups.evaluate_rpo(db, NOW + timedelta(minutes=1))
    db.commit()
    warnings = db.exec(select(Notification).where(Notification.user_id == sla_world.vendor.id,
                                                  Notification.kind == "sla.rpo_warning")).all()
    assert len(warnings) == 1


# --- the API -----------------------------------------------------------------------------------

def _post(client, token, body):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post("/api/v1/sla/backups", json=body, headers=headers)


def _body(order, **overrides):
    body = {"solution_id": order.solution_id,
            "completed_at": (utcnow() - timedelta(minutes=3)).isoformat(),
            "status": "ok", "size_bytes": 1_048_576, "checksum": "sha256:abc"}
    body.update(overrides)
    return body


def test_api_accepts_a_report_with_the_solutions_token(client, subscribed):
    order, token = subscribed
    response = _post(client, token, _body(order))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["rpo_state"] == "ok"


def test_api_refuses_missing_or_wrong_tokens(client, subscribed):
    order, token = subscribed
    assert _post(client, None, _body(order)).status_code == 401
    wrong = _post(client, token + "x", _body(order))
    assert wrong.status_code == 401
    assert wrong.mimetype == "application/problem+json"


def test_api_refuses_the_token_of_another_solution(db, client, sla_world, subscribed):
    order, _token = subscribed
    other = sla_world.factories.listing(sla_world.vendor, name="另一個系統")
    other_token = backups.issue_token(db, vendor=sla_world.vendor,
                                      solution_id=other.solution_id)
    db.commit()
    assert _post(client, other_token, _body(order)).status_code == 403


def test_api_explains_bad_input(client, subscribed):
    order, token = subscribed
    response = _post(client, token, _body(order, status="done", completed_at="yesterday"))
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"status", "completed_at"}
    future = _post(client, token, _body(
        order, completed_at=(utcnow() + timedelta(hours=1)).isoformat()))
    assert future.status_code == 409
    assert list(future.get_json()["errors"]) == ["completed_at"]


def test_replacing_the_token_stops_the_old_one(db, client, sla_world, subscribed):
    order, token = subscribed
    backups.issue_token(db, vendor=sla_world.vendor, solution_id=order.solution_id)
    db.commit()
    assert _post(client, token, _body(order)).status_code == 401
