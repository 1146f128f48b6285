"""Buyer pages: quote, contract, pay, my orders, an order, cancel; and the Stripe webhook.

Flow: solution page plan → GET quote preview → POST saves the quote → contract page (the exact
text and its hash) → POST accept → order placed, points held → pay page for the card part
(if any) → order page. Stripe is called only after the commit that created the order.
"""

from __future__ import annotations

import logging

import stripe
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from tcloud.accounts.access import PUBLIC, allow
from tcloud.accounts.choices import ROLE_BUSINESS
from tcloud.catalog.models import SolutionPlan, SolutionVersion
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.extensions import csrf
from tcloud.points import checkout, checkout_jobs, contracts, payments, quotes
from tcloud.points.order_labels import ORDER_STATUS_LABELS, timeline
from tcloud.points.order_models import AWAITING_PAYMENT

bp = Blueprint("orders", __name__)
log = logging.getLogger(__name__)


def _user():
    return current_user._get_current_object()


def _labels() -> dict:
    return {"status_labels": ORDER_STATUS_LABELS}


# --- quote ----------------------------------------------------------------------------------

def _quote_page(solution_id: int, plan_id: int | None, *, use_points: bool = True,
                error: str | None = None, status: int = 200):
    db = get_session()
    preview, problem = None, error
    if plan_id is None:
        abort(404)
    try:
        plan, version = quotes.live_plan(db, plan_id)
        if version.solution_id != solution_id:
            abort(404)
        if problem is None:
            preview = quotes.price_quote(db, organisation_id=_user().organisation_id,
                                         plan_id=plan_id, user=_user(), use_points=use_points)
    except DomainError as err:
        if err.status == 404:
            raise
        problem = str(err.message)
        status = status if status != 200 else err.status if err.status != 422 else 400
    wallet = quotes.spendable_wallet(db, _user().organisation_id)
    return render_template("points/quote.html", plan=plan, version=version, preview=preview,
                           problem=problem, wallet=wallet, use_points=use_points,
                           quote=None, valid_hours=int(quotes.QUOTE_VALID_FOR.total_seconds()
                                                       // 3600)), status


@bp.get("/solutions/<int:solution_id>/quote")
@allow(ROLE_BUSINESS)
def new_quote(solution_id: int):
    return _quote_page(solution_id, request.args.get("plan", type=int),
                       use_points=request.args.get("use_points", "yes") != "no")


@bp.post("/solutions/<int:solution_id>/quote")
@allow(ROLE_BUSINESS)
def create_quote(solution_id: int):
    plan_id = request.form.get("plan", type=int)
    use_points = request.form.get("use_points", "yes") != "no"
    try:
        with transaction() as db:
            plan, version = quotes.live_plan(db, plan_id or 0)
            if version.solution_id != solution_id:
                abort(404)
            quote = quotes.create_quote(db, organisation_id=_user().organisation_id,
                                        plan_id=plan.id, user=_user(), use_points=use_points)
    except DomainError as err:
        if err.status == 404:
            raise
        return _quote_page(solution_id, plan_id, use_points=use_points,
                           error=str(err.message), status=err.status)
    return redirect(url_for("orders.quote", quote_id=quote.id))


@bp.get("/quotes/<int:quote_id>")
@allow(ROLE_BUSINESS)
def quote(quote_id: int):
    db = get_session()
    found = quotes.get_quote(db, quote_id, organisation_id=_user().organisation_id)
    order = quotes.order_of_quote(db, found.id)
    if order is not None:
        return redirect(url_for("orders.order_detail", order_id=order.id))
    return render_template(
        "points/quote.html", quote=found, preview=found, problem=None,
        plan=db.get(SolutionPlan, found.plan_id), version=db.get(SolutionVersion,
                                                                 found.version_id),
        expired=quotes.is_expired(found), wallet=None, use_points=found.points_applied > 0,
        valid_hours=None)


# --- contract and order ---------------------------------------------------------------------

def _contract_page(quote_id: int, *, errors: dict | None = None, status: int = 200):
    db = get_session()
    found = quotes.get_quote(db, quote_id, organisation_id=_user().organisation_id)
    if quotes.order_of_quote(db, found.id) is not None:
        return redirect(url_for("orders.quote", quote_id=quote_id))
    template, text, sha256 = contracts.render_for_quote(db, found)
    return render_template("points/contract.html", quote=found, template=template, text=text,
                           sha256=sha256, expired=quotes.is_expired(found),
                           errors=errors or {}), status


@bp.get("/quotes/<int:quote_id>/contract")
@allow(ROLE_BUSINESS)
def contract(quote_id: int):
    return _contract_page(quote_id)


@bp.post("/quotes/<int:quote_id>/contract")
@allow(ROLE_BUSINESS)
def accept_contract(quote_id: int):
    if request.form.get("accept") != "yes":
        return _contract_page(quote_id, errors={"accept": _(
            "Tick the box to say you accept the contract.")}, status=400)
    try:
        with transaction() as db:
            order = checkout.place_order(db, quote_id=quote_id, user=_user(),
                                         contract_sha256=request.form.get("contract_sha256",
                                                                          ""))
    except DomainError as err:
        if err.status == 404:
            raise
        return _contract_page(quote_id, errors={err.field or "_form": str(err.message)},
                              status=err.status)
    if order.status == AWAITING_PAYMENT:
        start_payment(order.id)
        return redirect(url_for("orders.pay", order_id=order.id))
    flash(_("Your order is placed. The vendor has been asked to activate it."), "success")
    return redirect(url_for("orders.order_detail", order_id=order.id))


def start_payment(order_id: int) -> str | None:
    """After the order's commit: create its PaymentIntent and store the id (or leave it for
    the pay page to retry). Returns the client secret."""
    db = get_session()
    order = db.get(checkout.Order, order_id)
    try:
        if order.stripe_payment_intent_id:
            return payments.retrieve_intent(order.stripe_payment_intent_id).client_secret
        intent = payments.create_payment_intent(order_reference=order.reference,
                                                amount_ntd=order.card_amount_ntd)
    except payments.PaymentError:
        log.exception("could not start the payment of %s", order.reference)
        return None
    with transaction(db):
        checkout.attach_payment_intent(db, order_id=order_id, intent_id=intent.id)
    return intent.client_secret


# --- pay ------------------------------------------------------------------------------------

def _own_order(order_id: int):
    return checkout.get_order(get_session(), order_id, organisation_id=_user().organisation_id)


@bp.get("/orders/<int:order_id>/pay")
@allow(ROLE_BUSINESS)
def pay(order_id: int):
    order = _own_order(order_id)
    if order.status != AWAITING_PAYMENT:
        return redirect(url_for("orders.order_detail", order_id=order.id))
    client_secret = None
    if order.stripe_payment_intent_id:
        try:
            client_secret = payments.retrieve_intent(order.stripe_payment_intent_id
                                                     ).client_secret
        except payments.PaymentError:
            log.exception("could not read the payment of %s", order.reference)
    return render_template("points/pay.html", order=order, client_secret=client_secret,
                           test_mode=payments.test_mode(), test_cards=payments.TEST_CARDS,
                           publishable_key=payments.publishable_key(),
                           stripe_js_url=_stripe_js_url(), errors={})


def _stripe_js_url() -> str:
    return current_app.config.get("TCLOUD_STRIPE_JS_URL") or "https://js.stripe.com/v3/"


@bp.post("/orders/<int:order_id>/pay")
@allow(ROLE_BUSINESS)
def pay_with_test_card(order_id: int):
    """Test mode: pay with a named Stripe test card, confirmed from the server."""
    order = _own_order(order_id)
    if not payments.test_mode():
        abort(404)
    card = request.form.get("test_card", "")
    if order.status == AWAITING_PAYMENT and card in payments.TEST_CARDS:
        if not order.stripe_payment_intent_id and start_payment(order.id) is None:
            flash(_("The payment service did not answer. Try again in a moment."), "error")
            return redirect(url_for("orders.pay", order_id=order.id))
        order = _own_order(order_id)
        try:
            intent = payments.confirm_with_test_card(order.stripe_payment_intent_id, card)
        except payments.PaymentError:
            log.exception("test payment of %s failed", order.reference)
            flash(_("The payment service did not answer. Try again in a moment."), "error")
            return redirect(url_for("orders.pay", order_id=order.id))
        _apply_return(order.id, intent.status)
        if intent.status != "succeeded":
            flash(_("Your card was declined. The order is cancelled and your points are "
                    "back in your wallet."), "error")
    return redirect(url_for("orders.order_detail", order_id=order.id))


def _apply_return(order_id: int, status: str) -> None:
    with transaction() as db:
        checkout.apply_intent_status(db, order_id=order_id, status=status)
    close_card_after_commit(order_id)


@bp.post("/orders/<int:order_id>/payment-return")
@allow(ROLE_BUSINESS)
def payment_return(order_id: int):
    """Stripe.js confirmed in the browser: read the intent and apply what it says."""
    order = _own_order(order_id)
    if order.stripe_payment_intent_id and order.status == AWAITING_PAYMENT:
        try:
            intent = payments.retrieve_intent(order.stripe_payment_intent_id)
        except payments.PaymentError:
            intent = None
        if intent is not None and intent.status in ("succeeded", "canceled"):
            _apply_return(order.id, intent.status)
    return redirect(url_for("orders.order_detail", order_id=order.id))


# --- orders ---------------------------------------------------------------------------------

@bp.get("/orders")
@allow(ROLE_BUSINESS)
def my_orders():
    return render_template("points/orders.html",
                           orders=checkout.orders_of(get_session(), _user().organisation_id),
                           **_labels())


@bp.get("/orders/<int:order_id>")
@allow(ROLE_BUSINESS)
def order_detail(order_id: int):
    order = _own_order(order_id)
    return render_template("points/order_detail.html", order=order, timeline=timeline(order),
                           cancellable=order.status in checkout.CANCELLABLE_BY_BUYER,
                           **_labels())


@bp.post("/orders/<int:order_id>/cancel")
@allow(ROLE_BUSINESS)
def cancel(order_id: int):
    try:
        with transaction() as db:
            checkout.cancel_before_activation(db, order_id=order_id, user=_user(),
                                              reason="buyer")
    except DomainError as err:
        if err.status == 404:
            raise
        flash(str(err.message), "error")
        return redirect(url_for("orders.order_detail", order_id=order_id))
    close_card_after_commit(order_id)
    flash(_("Your order is cancelled. Your points are back in your wallet; any card payment "
            "is refunded."), "success")
    return redirect(url_for("orders.order_detail", order_id=order_id))


def close_card_after_commit(order_id: int) -> None:
    try:
        with transaction() as db:
            checkout_jobs.close_card_part(db, order_id)
    except payments.PaymentError:
        log.exception("closing the card part of order %s failed; the job retries", order_id)


# --- webhook --------------------------------------------------------------------------------

@bp.post("/stripe/webhook")
@allow(PUBLIC)
@csrf.exempt
def stripe_webhook():
    """Stripe's calls: signature checked first; each event id is handled once."""
    try:
        event = payments.construct_event(request.get_data(),
                                         request.headers.get("Stripe-Signature"))
    except (ValueError, stripe.SignatureVerificationError):
        return {"error": "invalid signature"}, 400
    handled = handle_event(event)
    return {"received": True, "handled": handled}, 200


def handle_event(event) -> bool:
    if not event["type"].startswith("payment_intent."):
        return False  # charges, customers, ...: nothing of ours changes on them
    intent = event["data"]["object"]
    metadata = intent["metadata"] if "metadata" in intent else {}
    try:
        with transaction() as db:
            handled = checkout.apply_payment_event(
                db, event_id=event["id"], event_type=event["type"],
                intent_id=intent["id"],
                reference=metadata["order_reference"] if "order_reference" in metadata
                else None)
    except IntegrityError:
        return False  # the same event committed by a concurrent delivery
    if handled:
        order = checkout.order_for_intent(get_session(), intent["id"], None)
        if order is not None:
            close_card_after_commit(order.id)
    return handled
