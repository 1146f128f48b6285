"""Renewals: the reminder is sent once, renewing goes through checkout, rates are right."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tcloud.accounts.models import User
from tcloud.catalog.models import Solution
from tcloud.errors import Conflict
from tcloud.notifications.models import Notification
from tcloud.points import fulfilment, renewals
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ACTIVE, CANCELLED, COMPLETED, Order
from tests.points.order_factory import build_order, world_fixture  # noqa: F401


def running_until(db, world, ends_in_days: int, **kwargs) -> Order:
    order = world.order(**kwargs)
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="ok")
    order.ends_on = taipei_today() + timedelta(days=ends_in_days)
    db.add(order)
    db.commit()
    return order


def finished(db, world, order: Order) -> Order:
    order.status = COMPLETED
    order.starts_on = taipei_today() - timedelta(days=400)
    order.ends_on = taipei_today() - timedelta(days=35)
    db.add(order)
    db.commit()
    return order


def test_reminder_is_sent_once(db, world):
    soon = running_until(db, world, 20)
    running_until(db, world, 90)  # too early for a reminder
    today = taipei_today()
    assert renewals.remind_due(db, today) == 1
    assert renewals.remind_due(db, today) == 0
    db.commit()
    notes = db.exec(select(Notification).where(Notification.kind == "order.renewal_due")).all()
    assert [n.user_id for n in notes] == [soon.accepted_by_id]


def test_renewal_rate_per_solution(db, world):
    buyer = world.buyer()
    renewed = finished(db, world, world.order(buyer=buyer))
    build_order(db, buyer=buyer, version=world.version, programme=world.programme, points=0,
                card=12_000, renewal_of=renewed)
    finished(db, world, world.order())  # ended, not renewed
    cancelled = world.order()
    cancelled.status = CANCELLED
    db.add(cancelled)
    running_until(db, world, 200)  # still running: not counted
    db.commit()
    counts = renewals.renewal_counts(db, taipei_today())
    assert counts[world.version.solution_id] == (1, 2)
    renewals.update_rates(db, taipei_today())
    db.commit()
    assert db.get(Solution, world.version.solution_id).renewal_rate_percent == 50
    report = renewals.rates_report(db, taipei_today())
    assert [(row.renewed, row.eligible, row.percent) for row in report["vendor"]] == [(1, 2, 50)]
    assert report["category"][0].key == world.version.category


def test_renewal_only_near_the_end_and_once(db, world):
    order = running_until(db, world, 100)
    buyer = db.get(User, order.accepted_by_id)
    with pytest.raises(Conflict):
        renewals.start_renewal(db, order_id=order.id, buyer=buyer, today=taipei_today())


def test_buyer_renews_by_card_through_checkout(client, login, db, world, monkeypatch):
    monkeypatch.setattr("tcloud.points.order_views.start_payment", lambda order_id: None)
    order = running_until(db, world, 10)
    buyer = db.get(User, order.accepted_by_id)
    login(buyer)
    client.post("/language", data={"locale": "en"})
    assert "Renew for another term" in client.get(f"/orders/{order.id}").get_data(as_text=True)
    started = client.post(f"/orders/{order.id}/renew")
    assert started.status_code == 302
    contract_url = started.location
    page = client.get(contract_url).get_data(as_text=True)
    sha = page.split('name="contract_sha256" value="')[1].split('"')[0]
    refused = client.post(contract_url, data={"contract_sha256": sha})
    assert refused.status_code == 400
    accepted = client.post(contract_url, data={"contract_sha256": sha, "accept": "yes"})
    assert accepted.status_code == 302
    renewal = renewals.renewal_of(db, order.id)
    assert renewal is not None and renewal.points_applied == 0
    assert renewal.card_amount_ntd == renewal.price_ntd > 0
    assert not renewals.can_renew(db, db.get(Order, order.id), taipei_today())
    assert db.get(Order, order.id).status == ACTIVE
