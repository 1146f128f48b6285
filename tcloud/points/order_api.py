"""Buying under /api/v1 (business): quotes, accepting the contract to order, my orders, cancel."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_BUSINESS
from tcloud.api import api_blueprint, json_body, operation
from tcloud.db import get_session, transaction
from tcloud.points import checkout, contracts, payments, quotes
from tcloud.points.order_labels import ORDER_STATUS_LABELS
from tcloud.points.order_models import AWAITING_PAYMENT
from tcloud.points.order_schemas import (
    AcceptContractSchema,
    CancelSchema,
    OrderOutSchema,
    QuoteOutSchema,
    QuoteRequestSchema,
)
from tcloud.points.order_views import close_card_after_commit, start_payment

bp = api_blueprint("orders", __name__)


def _user():
    return current_user._get_current_object()


def _dump_quote(quote) -> dict:
    template, text, sha256 = contracts.render_for_quote(get_session(), quote)
    data = {name: getattr(quote, name) for name in (
        "id", "solution_id", "plan_id", "seats", "term_months", "price_ntd", "points_applied",
        "card_amount_ntd", "valid_until")}
    data.update(expired=quotes.is_expired(quote), contract_version=template.version,
                contract_text=text, contract_sha256=sha256)
    return QuoteOutSchema().dump(data)


def _dump_order(order, client_secret: str | None = None) -> dict:
    data = {name: getattr(order, name) for name in OrderOutSchema().fields
            if hasattr(order, name)}
    data.update(status_label=str(ORDER_STATUS_LABELS.get(order.status, order.status)),
                payment_client_secret=client_secret)
    return OrderOutSchema().dump(data)


@bp.post("/quotes")
@allow(ROLE_BUSINESS)
@operation(summary="Get a quote for a plan: points applied up to the balance, card rest",
           tag="orders", request_schema=QuoteRequestSchema, response_schema=QuoteOutSchema,
           status=201, errors=(400, 404, 409, 415, 422))
def create_quote():
    data = validation.load(QuoteRequestSchema(), json_body())
    with transaction() as db:
        quote = quotes.create_quote(db, organisation_id=_user().organisation_id,
                                    plan_id=data["plan_id"], user=_user(),
                                    use_points=data["use_points"])
    return jsonify(_dump_quote(quote)), 201


@bp.get("/quotes/<int:quote_id>")
@allow(ROLE_BUSINESS)
@operation(summary="A quote with the contract text it would be ordered under, and its hash",
           tag="orders", response_schema=QuoteOutSchema, errors=(404,))
def get_quote(quote_id: int):
    quote = quotes.get_quote(get_session(), quote_id, organisation_id=_user().organisation_id)
    return jsonify(_dump_quote(quote))


@bp.post("/quotes/<int:quote_id>/order")
@allow(ROLE_BUSINESS)
@operation(summary="Accept the contract (by its SHA-256) and order: points held in escrow; "
                   "returns the PaymentIntent client secret when a card part is due",
           tag="orders", request_schema=AcceptContractSchema, response_schema=OrderOutSchema,
           status=201, errors=(404, 409, 415, 422))
def place_order(quote_id: int):
    data = validation.load(AcceptContractSchema(), json_body())
    with transaction() as db:
        order = checkout.place_order(db, quote_id=quote_id, user=_user(),
                                     contract_sha256=data["contract_sha256"])
    secret = start_payment(order.id) if order.status == AWAITING_PAYMENT else None
    return jsonify(_dump_order(get_session().get(checkout.Order, order.id), secret)), 201


@bp.get("/orders")
@allow(ROLE_BUSINESS)
@operation(summary="My orders, newest first", tag="orders",
           response_schema=OrderOutSchema(many=True))
def list_orders():
    return jsonify([_dump_order(o) for o in checkout.orders_of(get_session(),
                                                               _user().organisation_id)])


@bp.get("/orders/<int:order_id>")
@allow(ROLE_BUSINESS)
@operation(summary="One of my orders (with the payment client secret while unpaid)",
           tag="orders", response_schema=OrderOutSchema, errors=(404,))
def get_order(order_id: int):
    order = checkout.get_order(get_session(), order_id, organisation_id=_user().organisation_id)
    return jsonify(_dump_order(order, _client_secret(order)))


def _client_secret(order) -> str | None:
    # A GET only reads: the PaymentIntent is created by the POST that placed the order.
    if order.status != AWAITING_PAYMENT or not order.stripe_payment_intent_id:
        return None
    try:
        return payments.retrieve_intent(order.stripe_payment_intent_id).client_secret
    except payments.PaymentError:
        return None


@bp.post("/orders/<int:order_id>/cancel")
@allow(ROLE_BUSINESS)
@operation(summary="Cancel before activation: points released, card part refunded",
           tag="orders", request_schema=CancelSchema, response_schema=OrderOutSchema,
           errors=(404, 409, 415, 422))
def cancel_order(order_id: int):
    validation.load(CancelSchema(), json_body())
    with transaction() as db:
        order = checkout.cancel_before_activation(db, order_id=order_id, user=_user(),
                                                  reason="buyer")
    close_card_after_commit(order.id)
    return jsonify(_dump_order(get_session().get(checkout.Order, order.id)))
