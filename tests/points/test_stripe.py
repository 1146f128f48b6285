"""The card co-payment against localstripe, and the webhook: signature, once only, races."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tcloud import create_app, migrate
from tcloud.catalog.listings import plans_of
from tcloud.clock import utcnow
from tcloud.db import database, make_engine
from tcloud.notifications.models import Notification
from tcloud.points import (
    applications,
    checkout,
    checkout_jobs,
    contracts,
    ledger,
    movements,
    payments,
    programmes,
    quotes,
)
from tcloud.points import models as m
from tcloud.points.order_models import AWAITING_PAYMENT, CANCELLED, PLACED, Order, StripeEvent
from tcloud.uploads import services as uploads
from tests.conftest import DATABASES
from tests.factories import Factories
from tests.points.conftest import PDF, programme_values
from tests.stripe_server import WEBHOOK_SECRET, intent_event, signed

CARD_PRICE = 40_000  # 30,000 points + NT$10,000 by card

@pytest.fixture(autouse=True)
def english(client):
    """These tests read English wording; the zh-TW pages are checked by the i18n test."""
    client.post("/language", data={"locale": "en"})



def wallet_balance(db, user, programme):
    return ledger.refresh_balance(db, movements.wallet(db, programme.id, user.organisation_id))


def count(db, model, *where):
    return db.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


@pytest.fixture
def card_order(db, client, login, granted_buyer, plan_of, use_localstripe, shown_sha):
    """A business that accepted a contract with a card part, through the pages."""
    user, programme = granted_buyer()
    plan = plan_of(price=CARD_PRICE)
    quote = quotes.create_quote(db, organisation_id=user.organisation_id, plan_id=plan.id,
                                user=user)
    db.commit()
    sha = shown_sha(quote)
    login(user)
    response = client.post(f"/quotes/{quote.id}/contract",
                           data={"contract_sha256": sha, "accept": "yes"})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert response.location.endswith("/pay")
    order = db.execute(select(Order).where(Order.quote_id == quote.id)).scalar_one()
    return user, programme, order


def test_payment_intent_is_created_for_the_card_part(db, app, card_order):
    _, _, order = card_order
    db.refresh(order)
    assert order.status == AWAITING_PAYMENT and order.stripe_payment_intent_id
    with app.app_context():
        intent = payments.retrieve_intent(order.stripe_payment_intent_id)
    assert intent.amount_ntd == 10_000 and intent.order_reference == order.reference
    assert intent.status == "requires_payment_method"


def test_paying_with_a_card_places_the_order(db, client, card_order):
    user, programme, order = card_order
    page = client.get(f"/orders/{order.id}/pay")
    assert page.status_code == 200 and "pm_card_visa" in page.get_data(as_text=True)
    response = client.post(f"/orders/{order.id}/pay", data={"test_card": "pm_card_visa"})
    assert response.status_code == 302
    db.refresh(order)
    assert order.status == PLACED and order.paid_at is not None
    assert wallet_balance(db, user, programme) == 0
    assert count(db, Notification, Notification.kind == "order.to_activate") == 1


def test_declined_card_cancels_the_order_and_returns_the_points(db, app, client, card_order):
    user, programme, order = card_order
    response = client.post(f"/orders/{order.id}/pay",
                           data={"test_card": "pm_card_chargeCustomerFail"})
    assert response.status_code == 302
    db.refresh(order)
    assert order.status == CANCELLED and order.cancel_reason == "payment_failed"
    assert wallet_balance(db, user, programme) == 30_000
    assert order.card_closed_at is not None and order.stripe_refund_id is None
    with app.app_context():
        assert payments.retrieve_intent(order.stripe_payment_intent_id).status == "canceled"


def test_cancel_after_payment_refunds_the_card(db, app, client, card_order):
    user, programme, order = card_order
    client.post(f"/orders/{order.id}/pay", data={"test_card": "pm_card_visa"})
    response = client.post(f"/orders/{order.id}/cancel")
    assert response.status_code == 302
    db.refresh(order)
    assert order.status == CANCELLED and order.stripe_refund_id.startswith("re_")
    assert order.card_refunded_at is not None
    assert wallet_balance(db, user, programme) == 30_000
    assert "refunded" in client.get(f"/orders/{order.id}").get_data(as_text=True)


def test_close_job_retries_a_refund_that_failed(db, app, client, card_order, monkeypatch):
    user, programme, order = card_order
    client.post(f"/orders/{order.id}/pay", data={"test_card": "pm_card_visa"})
    original = payments.refund

    def unreachable(*args, **kwargs):
        raise payments.PaymentError("Stripe is down")

    monkeypatch.setattr(payments, "refund", unreachable)
    client.post(f"/orders/{order.id}/cancel")
    db.refresh(order)
    assert order.status == CANCELLED and order.card_closed_at is None
    assert wallet_balance(db, user, programme) == 30_000  # points never wait for Stripe
    monkeypatch.setattr(payments, "refund", original)
    with app.app_context():
        assert checkout_jobs.close_cancelled_card_parts(db, utcnow()) == 1
        db.commit()
    db.refresh(order)
    assert order.stripe_refund_id.startswith("re_") and order.card_closed_at is not None


def test_webhook_with_a_bad_signature_changes_nothing(db, client, card_order):
    _, _, order = card_order
    event = intent_event("payment_intent.succeeded", order.stripe_payment_intent_id or "pi_x",
                         reference=order.reference)
    body, headers = signed(event, secret="whsec_wrong")
    response = client.post("/stripe/webhook", data=body, headers=headers)
    assert response.status_code == 400
    unsigned = client.post("/stripe/webhook", data=body,
                           headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 400
    stale_body, stale_headers = signed(event, timestamp=1_000_000)
    assert client.post("/stripe/webhook", data=stale_body,
                       headers=stale_headers).status_code == 400
    db.refresh(order)
    assert order.status == AWAITING_PAYMENT and count(db, StripeEvent) == 0


def test_webhook_delivered_twice_acts_once(db, client, card_order):
    user, programme, order = card_order
    db.refresh(order)
    event = intent_event("payment_intent.succeeded", order.stripe_payment_intent_id,
                         reference=order.reference)
    body, headers = signed(event)
    first = client.post("/stripe/webhook", data=body, headers=headers)
    second = client.post("/stripe/webhook", data=body, headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.get_json()["handled"] and not second.get_json()["handled"]
    db.refresh(order)
    assert order.status == PLACED
    assert count(db, StripeEvent) == 1
    assert count(db, Notification, Notification.kind == "order.to_activate") == 1


def test_webhook_payment_failed_cancels_and_releases(db, client, card_order):
    user, programme, order = card_order
    db.refresh(order)
    body, headers = signed(intent_event("payment_intent.payment_failed",
                                        order.stripe_payment_intent_id,
                                        reference=order.reference))
    assert client.post("/stripe/webhook", data=body, headers=headers).status_code == 200
    db.refresh(order)
    assert order.status == CANCELLED and order.cancel_reason == "payment_failed"
    assert wallet_balance(db, user, programme) == 30_000


def test_webhook_for_an_unknown_intent_is_recorded_and_ignored(db, client, use_localstripe):
    body, headers = signed(intent_event("payment_intent.succeeded", "pi_unknown"))
    response = client.post("/stripe/webhook", data=body, headers=headers)
    assert response.status_code == 200
    assert count(db, StripeEvent) == 1 and count(db, Order) == 0


def test_abandoned_order_is_closed_at_stripe_by_the_jobs(db, app, card_order):
    user, programme, order = card_order
    later = order.created_at + checkout_jobs.ABANDONED_AFTER * 2
    with app.app_context():
        assert checkout_jobs.cancel_abandoned_payments(db, later) == 1
        db.commit()
        assert checkout_jobs.close_cancelled_card_parts(db, later) == 1
        db.commit()
        assert checkout_jobs.close_cancelled_card_parts(db, later) == 0
        db.refresh(order)
        assert payments.retrieve_intent(order.stripe_payment_intent_id).status == "canceled"
    assert order.status == CANCELLED and order.card_closed_at is not None
    assert wallet_balance(db, user, programme) == 30_000


def test_test_cards_are_refused_outside_test_mode(app, monkeypatch):
    monkeypatch.setitem(app.config, "TCLOUD_STRIPE_API_BASE", "")
    monkeypatch.setitem(app.config, "TCLOUD_STRIPE_SECRET_KEY", "sk_live_x")
    with app.app_context():
        assert not payments.test_mode()
        with pytest.raises(payments.PaymentError):
            payments.confirm_with_test_card("pi_x", "pm_card_visa")


# --- the same webhook delivered twice at once, real commits -----------------------------------

@pytest.mark.parametrize("kind", DATABASES)
def test_concurrent_double_delivery_moves_once(empty_database_url, tmp_path, kind):
    url = empty_database_url(kind, "tcloud_webhook_race")
    migrate.upgrade(url)
    app = create_app({"TCLOUD_ENV": "testing", "TCLOUD_DATABASE_URL": url,
                      "TCLOUD_INSTANCE_DIR": str(tmp_path), "WTF_CSRF_ENABLED": False,
                      "TCLOUD_STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET})
    engine = make_engine(url)
    try:
        order_id, reference, intent_id = _awaiting_order(app, engine)
        body, headers = signed(intent_event("payment_intent.succeeded", intent_id,
                                            reference=reference))
        barrier = threading.Barrier(2)
        answers: list = [None, None]

        def deliver(i):
            client = app.test_client()
            barrier.wait()
            answers[i] = client.post("/stripe/webhook", data=body, headers=headers)

        threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert [a.status_code for a in answers] == [200, 200]
        assert sorted(a.get_json()["handled"] for a in answers) == [False, True]
        with Session(engine) as db:
            order = db.get(Order, order_id)
            assert order.status == PLACED
            assert count(db, StripeEvent) == 1
            assert count(db, Notification, Notification.kind == "order.to_activate") == 1
            # One hold and nothing else for this order: the wallet is exactly 0, escrow 30,000.
            assert count(db, m.LedgerTransaction,
                         m.LedgerTransaction.description == reference) == 1
            escrow = ledger.account_by_code(db, ledger.escrow_code(reference))
            assert escrow.balance == 30_000
    finally:
        engine.dispose()
        database(app).engine.dispose()


def _awaiting_order(app, engine):
    """A granted business's order with a card part, committed, with a PaymentIntent id."""
    with Session(engine, expire_on_commit=False,
                 execution_options={"tcloud_write": True}) as db, app.app_context():
        factories = Factories(db)
        admin = factories.staff("admin")
        programme = programmes.create_programme(db, admin=admin, values=programme_values(),
                                                reason="race")
        user = factories.business()
        proof = uploads.store_upload(
            db, stream=io.BytesIO(PDF), original_name="p.pdf",
            owner_organisation_id=user.organisation_id, uploaded_by_id=user.id,
            purpose="registration_proof", allowed_kinds=("pdf",),
            folder=Path(app.config["TCLOUD_INSTANCE_DIR"]), field="proof")
        applications.apply(db, user=user, programme_id=programme.id,
                           answers=applications.Answers("company", 5, "陳先生"),
                           proof_upload_id=proof.id)
        db.commit()
        version = factories.listing(plans=[{"name": "標準版", "billing_period": "year",
                                            "price_ntd": CARD_PRICE,
                                            "list_price_ntd": CARD_PRICE, "seats": 5,
                                            "included": ""}])
        plan = plans_of(db, version.id)[0]
        quote = quotes.create_quote(db, organisation_id=user.organisation_id, plan_id=plan.id,
                                    user=user)
        sha = contracts.render_for_quote(db, quote)[2]
        order = checkout.place_order(db, quote_id=quote.id, user=user, contract_sha256=sha)
        checkout.attach_payment_intent(db, order_id=order.id, intent_id="pi_race_test")
        db.commit()
        return order.id, order.reference, "pi_race_test"


def test_api_order_with_a_card_part_returns_the_client_secret(db, client, login, granted_buyer,
                                                              plan_of, use_localstripe):
    user, _ = granted_buyer()
    login(user)
    quote = client.post("/api/v1/quotes", json={"plan_id": plan_of(price=CARD_PRICE).id}
                        ).get_json()
    ordered = client.post(f"/api/v1/quotes/{quote['id']}/order", json={
        "contract_sha256": quote["contract_sha256"], "accept": True})
    assert ordered.status_code == 201
    body = ordered.get_json()
    assert body["status"] == AWAITING_PAYMENT and body["card_amount_ntd"] == 10_000
    assert body["payment_client_secret"].startswith("pi_")
    again = client.get(f"/api/v1/orders/{body['id']}").get_json()
    assert again["payment_client_secret"] == body["payment_client_secret"]
