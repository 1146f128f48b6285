"""Card-only subscriptions are compensated too: month end records a pending partial refund,
the job sends it to Stripe (localstripe) once, retries failures, and the vendor's settlement
statement deducts what was sent and recovers it at payment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tcloud.accounts.models import User
from tcloud.clock import utcnow
from tcloud.notifications.models import Notification
from tcloud.points import card_refunds, fulfilment, ledger, payments, settlement
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ACTIVE
from tcloud.points.settlement_models import OrderCardRefund, OrderCredit
from tcloud.sla import disputes
from tcloud.sla.incident_models import CompensationStatement
from tcloud.sla.month_end import run_month_end
from tests.points.conftest import admin, apply_for, make_programme, make_proof  # noqa: F401
from tests.points.order_factory import build_order
from tests.sla.order_factory import sla_world_fixture, snapshot_of  # noqa: F401
from tests.sla.test_month_end import NOW, _user_of, figures, fixed
from tests.stripe_server import localstripe_url, use_localstripe  # noqa: F401


def card_subscription(db, sla_world, *, pay: bool = True):
    """Bought by card only (no points, no programme): NT$12,000 for 12 months, paid at Stripe."""
    order = build_order(db, buyer=sla_world.factories.business(), version=sla_world.version,
                        programme=sla_world.programme, points=0, card=12_000)
    if pay:
        intent = payments.create_payment_intent(order_reference=order.reference,
                                                amount_ntd=12_000)
        assert payments.confirm_with_test_card(intent.id, "pm_card_visa").status == "succeeded"
        order.stripe_payment_intent_id = intent.id
    order.sla_snapshot = snapshot_of(sla_world.version)
    order.status, order.activated_at = ACTIVE, NOW - timedelta(days=70)
    order.starts_on = NOW.date().replace(month=9, day=1)
    order.ends_on = order.starts_on + timedelta(days=365)
    db.add(order)
    db.commit()
    return order


def october(db):
    run_month_end(db, year=2026, month=10, now=NOW, availability_for=fixed(figures(down=400)))
    db.commit()


@pytest.fixture
def stripe_context(app, request):
    """Stripe calls read the app's settings: an app context around them (not around client
    requests, which must each have their own)."""
    request.getfixturevalue("use_localstripe")
    return app.app_context


@pytest.fixture
def in_app(app):
    with app.app_context():
        yield


def test_month_end_records_a_pending_refund_and_the_job_sends_it_once(db, client, login,
                                                                       sla_world,
                                                                       stripe_context,
                                                                       monkeypatch):
    with stripe_context():
        order = card_subscription(db, sla_world)
    october(db)
    october(db)  # a second run records nothing twice
    statement = db.exec(select(CompensationStatement)).one()
    assert (statement.points, statement.credited) == (100, False)
    refund = db.exec(select(OrderCardRefund)).one()
    assert (refund.amount_ntd, refund.status, refund.key) == (
        100, "pending", f"sla-credit:{order.id}:2026-10")
    assert db.exec(select(OrderCredit)).first() is None  # no points moved
    kinds = {n.kind for n in db.exec(select(Notification))}
    assert {"sla.compensation_card", "sla.compensation_card_charged"} <= kinds

    sent = []
    original = payments.refund_part

    def spy(intent_id, **kwargs):
        sent.append(kwargs)
        return original(intent_id, **kwargs)

    monkeypatch.setattr(payments, "refund_part", spy)
    now = utcnow()
    with stripe_context():
        assert card_refunds.send_pending_card_refunds(db, now) == "1 sent, 0 to retry, 0 failed"
        db.commit()
        assert card_refunds.send_pending_card_refunds(db, now) == "0 sent, 0 to retry, 0 failed"
        db.refresh(refund)
        assert refund.status == "sent" and refund.stripe_refund_id.startswith("re_")
        at_stripe = payments.client().v1.refunds.retrieve(refund.stripe_refund_id)
        assert at_stripe["amount"] == 100 * payments.MINOR_UNITS_PER_NTD
    # Sent once, under a Stripe idempotency key derived from the credit key (localstripe
    # ignores the key, so that a retry after a lost answer refunds once is Stripe's promise).
    assert [call["idempotency_key"] for call in sent] == [
        f"sla-refund:sla-credit:{order.id}:2026-10"]
    assert any(n.kind == "sla.card_refund_sent" for n in db.exec(select(Notification)))

    client.post("/language", data={"locale": "en"})
    login(_user_of(db, order.organisation_id))
    page = client.get(f"/sla/compensation/{statement.id}").get_data(as_text=True)
    assert "NT$100 refunded to the card on" in page
    api = client.get("/api/v1/sla/compensation").get_json()
    assert (api[0]["paid_to"], api[0]["card_refund_status"]) == ("card", "sent")


@pytest.mark.usefixtures("use_localstripe", "in_app")
def test_failures_are_retried_with_a_pause_then_marked_failed(db, sla_world, monkeypatch):
    card_subscription(db, sla_world)
    october(db)
    original = payments.refund_part

    def unreachable(*args, **kwargs):
        raise payments.PaymentError("Stripe is down")

    monkeypatch.setattr(payments, "refund_part", unreachable)
    now = utcnow()
    assert card_refunds.send_pending_card_refunds(db, now) == "0 sent, 1 to retry, 0 failed"
    refund = db.exec(select(OrderCardRefund)).one()
    assert (refund.attempts, refund.next_attempt_at) == (1, now + card_refunds.FIRST_PAUSE)
    assert card_refunds.due_card_refunds(db, now + timedelta(minutes=4)) == []
    monkeypatch.setattr(payments, "refund_part", original)
    later = now + timedelta(minutes=5)
    assert card_refunds.send_pending_card_refunds(db, later) == "1 sent, 0 to retry, 0 failed"
    assert refund.status == "sent" and refund.attempts == 2

    second = card_subscription(db, sla_world)
    run_month_end(db, year=2026, month=10, now=NOW, availability_for=fixed(figures(down=400)))
    monkeypatch.setattr(payments, "refund_part", unreachable)
    moment = later
    for _ in range(card_refunds.MAX_ATTEMPTS):
        moment += timedelta(days=1)
        card_refunds.send_pending_card_refunds(db, moment)
    failed = db.exec(select(OrderCardRefund).where(OrderCardRefund.order_id == second.id)).one()
    assert (failed.status, failed.attempts) == ("failed", card_refunds.MAX_ATTEMPTS)
    assert any(n.kind == "sla.card_refund_failed" for n in db.exec(select(Notification)))


@pytest.mark.usefixtures("in_app")
def test_no_card_payment_on_record_fails_at_once(db, sla_world):
    card_subscription(db, sla_world, pay=False)
    october(db)
    assert card_refunds.send_pending_card_refunds(db, utcnow()) == "0 sent, 0 to retry, 1 failed"
    assert "no card payment" in db.exec(select(OrderCardRefund)).one().last_error


def test_a_refund_never_exceeds_what_the_card_paid(db, app, sla_world):
    order = card_subscription(db, sla_world, pay=False)
    first = card_refunds.record_card_compensation(db, order_id=order.id, period="2026-10",
                                                  amount_ntd=11_900, reason="x", key="k1")
    second = card_refunds.record_card_compensation(db, order_id=order.id, period="2026-11",
                                                   amount_ntd=500, reason="x", key="k2")
    assert (first.amount_ntd, second.amount_ntd) == (11_900, 100)
    assert card_refunds.record_card_compensation(db, order_id=order.id, period="2026-12",
                                                 amount_ntd=5, reason="x", key="k3") is None
    assert card_refunds.record_card_compensation(db, order_id=order.id, period="2026-10",
                                                 amount_ntd=1, reason="x", key="k1") is first
    with pytest.raises(Exception, match="YYYY-MM"):
        card_refunds.record_card_compensation(db, order_id=order.id, period="2026/10",
                                              amount_ntd=5, reason="x", key="k4")


def test_upheld_dispute_on_a_card_order_refunds_the_difference(db, app, factories, sla_world):
    order = card_subscription(db, sla_world, pay=False)
    october(db)
    statement = db.exec(select(CompensationStatement)).one()
    dispute = disputes.open_dispute(db, buyer=_user_of(db, order.organisation_id),
                                    statement_id=statement.id, reason="更久",
                                    now=NOW + timedelta(days=1))
    disputes.decide_dispute(db, admin=factories.staff("admin"), dispute_id=dispute.id,
                            uphold=True, note="25%", corrected_points="250")
    db.commit()
    refund = card_refunds.card_refund_by_key(db, f"sla-dispute:{dispute.id}")
    assert (refund.amount_ntd, refund.status, refund.period) == (150, "pending", "2026-10")
    assert any(n.kind == "sla.dispute_corrected_card" for n in db.exec(select(Notification)))


@pytest.mark.usefixtures("use_localstripe", "in_app")
def test_vendor_statement_deducts_sent_card_refunds_and_recovers_them(db, sla_world):
    # The vendor also has a points order: month 1 (1,000) reaches its receivable today.
    points_order = sla_world.order(points=12_000)
    fulfilment.activate(db, order_id=points_order.id, vendor=sla_world.vendor, notes="ok")
    fulfilment.confirm_use(db, order_id=points_order.id,
                           buyer=db.get(User, points_order.accepted_by_id))
    db.commit()
    card_subscription(db, sla_world)
    october(db)
    card_refunds.send_pending_card_refunds(db, utcnow())
    db.commit()
    period = settlement.period_of(taipei_today())
    (statement,) = settlement.generate(db, period)
    db.commit()
    assert (statement.captured_points, statement.compensation_points) == (1_000, 100)
    assert statement.payable_ntd == 900
    lines = settlement.lines(db, statement)
    assert sorted(line["kind"] for line in lines) == ["captured", "card_compensation"]
    admin_user = sla_world.factories.staff("admin")
    settlement.mark_paid(db, statement_id=statement.id, admin=admin_user)
    db.commit()
    vendor, programme = sla_world.vendor.organisation_id, sla_world.programme.id
    receivable = ledger.account_by_code(db, ledger.receivable_code(programme, vendor))
    assert ledger.refresh_balance(db, receivable) == 0  # 900 paid out, 100 recovered
    assert db.exec(select(OrderCardRefund)).one().recovered_ntd == 100
    paid_out = ledger.account_by_code(db, f"paid_out:{programme}:{vendor}")
    assert ledger.refresh_balance(db, paid_out) == 900
