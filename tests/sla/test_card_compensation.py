"""Card-only subscriptions are compensated too: month end records a pending partial refund,
the job sends it to Stripe (localstripe) once, retries failures, and the vendor's settlement
statement deducts what was sent and recovers it at payment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tcloud.accounts.models import User
from tcloud.audit.models import AuditEvent
from tcloud.clock import utcnow
from tcloud.errors import Conflict, PermissionDenied
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


# --- an administrator sends a failed refund again ----------------------------------------------

def failed_refund(db, sla_world, monkeypatch, *, pay: bool = True):
    """A card order whose October compensation failed for good (Stripe down every time)."""
    order = card_subscription(db, sla_world, pay=pay)
    october(db)
    original = payments.refund_part

    def unreachable(*args, **kwargs):
        raise payments.PaymentError("Stripe is down")

    monkeypatch.setattr(payments, "refund_part", unreachable)
    moment = utcnow()
    for _ in range(card_refunds.MAX_ATTEMPTS):
        moment += timedelta(days=1)
        card_refunds.send_pending_card_refunds(db, moment)
    db.commit()
    monkeypatch.setattr(payments, "refund_part", original)
    refund = db.exec(select(OrderCardRefund).where(OrderCardRefund.order_id == order.id)).one()
    assert refund.status == "failed"
    return order, refund


@pytest.mark.usefixtures("use_localstripe")
def test_an_administrator_sends_a_failed_refund_again_from_the_order_page(
        db, app, client, login, factories, sla_world, monkeypatch):
    administrator = factories.staff("admin")
    with app.app_context():
        order, refund = failed_refund(db, sla_world, monkeypatch)
    client.post("/language", data={"locale": "en"})
    login(administrator)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "Card refunds (SLA compensation)" in page and "Stripe is down" in page
    assert f"/card-refunds/{refund.id}/retry" in page and "Send again" in page
    assert "NT$12,000" in page  # what the card paid

    done = client.post(f"/admin/orders/{order.id}/card-refunds/{refund.id}/retry")
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "sent to Stripe again within five minutes" in page
    db.refresh(refund)
    assert (refund.status, refund.attempts, refund.next_attempt_at) == ("pending", 0, None)
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "order.card_refund_retried")
                    ).one()
    assert event.subject_id == order.reference and '"status": "failed"' in event.before

    again = client.post(f"/admin/orders/{order.id}/card-refunds/{refund.id}/retry")
    assert again.status_code == 409  # a double click: nothing changes
    assert "Only a failed card refund can be sent again; this one is waiting to be sent." in \
        again.get_data(as_text=True)

    with app.app_context():
        assert card_refunds.send_pending_card_refunds(db, utcnow()) == \
            "1 sent, 0 to retry, 0 failed"
        db.commit()
    db.refresh(refund)
    assert refund.status == "sent" and refund.stripe_refund_id.startswith("re_")
    assert "Send again" not in client.get(f"/admin/orders/{order.id}").get_data(as_text=True)


@pytest.mark.usefixtures("use_localstripe")
def test_the_api_lists_card_refunds_and_sends_a_failed_one_again(
        db, app, client, login, sla_world, monkeypatch, factories):
    administrator = factories.staff("admin")
    with app.app_context():
        order, refund = failed_refund(db, sla_world, monkeypatch)
    login(factories.business())
    assert client.get(f"/api/v1/admin/orders/{order.id}/card-refunds").status_code == 403
    client.post("/logout")
    login(administrator)
    listed = client.get(f"/api/v1/admin/orders/{order.id}/card-refunds").get_json()
    assert [(r["id"], r["status"], r["amount_ntd"], r["attempts"]) for r in listed] == [
        (refund.id, "failed", 100, card_refunds.MAX_ATTEMPTS)]
    assert client.get("/api/v1/admin/orders/999999/card-refunds").status_code == 404
    retried = client.post(f"/api/v1/admin/orders/{order.id}/card-refunds/{refund.id}/retry",
                          json={})
    assert retried.status_code == 200 and retried.get_json()["status"] == "pending"
    twice = client.post(f"/api/v1/admin/orders/{order.id}/card-refunds/{refund.id}/retry",
                        json={})
    assert twice.status_code == 409 and twice.get_json()["status"] == 409
    other = client.post(f"/api/v1/admin/orders/{order.id + 1}/card-refunds/{refund.id}/retry",
                        json={})
    assert other.status_code == 404


def test_a_refund_is_not_sent_again_without_a_card_payment_or_beyond_what_is_left(
        db, app, factories, sla_world, monkeypatch):
    administrator = factories.staff("admin")
    with app.app_context():
        unpaid, no_card = failed_refund(db, sla_world, monkeypatch, pay=False)
    with pytest.raises(Conflict, match="no card payment"):
        card_refunds.retry_failed(db, order_id=unpaid.id, refund_id=no_card.id, admin=administrator)
    assert no_card.status == "failed"

    # A failed refund is not counted as owed, so later ones may use up the card payment.
    order = card_subscription(db, sla_world, pay=False)
    order.stripe_payment_intent_id = "pi_recorded"
    first = card_refunds.record_card_compensation(db, order_id=order.id, period="2026-10",
                                                  amount_ntd=11_900, reason="x", key="big")
    first.status = "failed"
    card_refunds.record_card_compensation(db, order_id=order.id, period="2026-11",
                                          amount_ntd=500, reason="x", key="later")
    with pytest.raises(Conflict, match="Only NT\\$11,500 of the card payment is left"):
        card_refunds.retry_failed(db, order_id=order.id, refund_id=first.id, admin=administrator)
    assert first.status == "failed"
    with pytest.raises(PermissionDenied):
        card_refunds.retry_failed(db, order_id=order.id, refund_id=first.id,
                                  admin=_user_of(db, order.organisation_id))
