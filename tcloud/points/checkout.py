"""Checkout: accept the contract, create the order, hold the points in escrow; payment states.

`place_order` is one transaction: the order is created and the quote's points held
(`hold:{reference}`), the hold finding, locking and checking the wallet in the same step.
With a card part the order waits in awaiting_payment; the caller creates the PaymentIntent
after commit (payments.create_payment_intent) and stores its id (`attach_payment_intent`).

Payment outcomes arrive by webhook (`apply_payment_event`, the source of truth, recorded in
stripe_events so a second delivery does nothing) or from the pay page's return
(`apply_intent_status`); both take the same idempotent transitions under the order's row lock.
A cancelled order's card part is closed at Stripe afterwards (`close_card_part`): the intent
cancelled, or a paid amount refunded, then recorded on the order.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.catalog.models import Solution, SolutionPlan, SolutionVersion
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound
from tcloud.notifications import services as notifications
from tcloud.points import contracts, ledger, movements, quotes
from tcloud.points.order_models import (
    AWAITING_PAYMENT,
    CANCELLED,
    PLACED,
    Order,
    Quote,
    StripeEvent,
)

CANCELLABLE_BY_BUYER = (AWAITING_PAYMENT, PLACED)
PAID = "succeeded"
FAILED_INTENT = {"payment_intent.payment_failed": "payment_failed",
                 "payment_intent.canceled": "payment_canceled"}
SUCCEEDED_EVENT = "payment_intent.succeeded"


def reference_for(order_id: int) -> str:
    return f"TC-{order_id:06d}"


def hold_key(reference: str) -> str:
    return f"hold:{reference}"


def release_key(reference: str) -> str:
    return f"release:{reference}"


class BalanceChanged(Conflict):
    def __init__(self, balance: int) -> None:
        super().__init__(_l("Your points balance has changed since the quote (now %(balance)s "
                            "points). Get a new quote.", balance=f"{balance:,}"))


def _check_quote_still_good(session: Session, quote: Quote, now: datetime) -> None:
    if quotes.is_expired(quote, now):
        raise quotes.QuoteExpired()
    plan, version = quotes.live_plan(session, quote.plan_id)  # listing still live, unchanged
    if version.id != quote.version_id:
        raise Conflict(_l("This listing has changed since the quote. Get a new quote."))


def _hold_points(session: Session, order: Order, user: User) -> None:
    # The hold finds, locks and checks the wallet itself (see movements.hold): a balance
    # spent since the quote, e.g. in another tab, is refused here and nothing is kept.
    try:
        movements.hold(session, programme_id=order.programme_id,
                       organisation_id=order.organisation_id, order_ref=order.reference,
                       points=order.points_applied, key=hold_key(order.reference),
                       description=order.reference, actor_id=user.id)
    except ledger.InsufficientPoints as short:
        raise BalanceChanged(short.balance) from short


def _insert_order(session: Session, order: Order) -> None:
    session.add(order)
    try:
        session.flush()
    except IntegrityError as err:
        # Two tabs accepting at once: the partial unique index (first adoption) or the unique
        # quote_id refuses the second. The caller's transaction rolls back.
        if "quote_id" in str(err.orig):
            raise Conflict(_l("This quote has already been used for an order. Open your "
                              "orders to see it.")) from err
        # PostgreSQL names uq_orders_first_adoption; SQLite names its columns.
        raise quotes.FirstAdoptionUsed() from err


def place_order(session: Session, *, quote_id: int, user: User, contract_sha256: str,
                renewal_of_order_id: int | None = None, now: datetime | None = None) -> Order:
    """Accept the contract shown (by its hash) and order: points held, card part pending."""
    now = now or utcnow()
    quote = quotes.get_quote(session, quote_id, organisation_id=user.organisation_id)
    existing = quotes.order_of_quote(session, quote.id)
    if existing is not None:  # the same acceptance sent twice: the first order stands
        return existing
    _check_quote_still_good(session, quote, now)
    template, text, sha256 = contracts.render_for_quote(session, quote)
    if sha256 != contract_sha256:
        raise contracts.ContractChanged()
    if renewal_of_order_id is not None:
        previous = session.get(Order, renewal_of_order_id)
        if previous is None or previous.organisation_id != quote.organisation_id or (
                previous.solution_id != quote.solution_id):
            raise NotFound(_l("The order to renew does not exist or is not yours."))
    if quote.points_applied and quotes.points_already_spent_on(
            session, quote.organisation_id, quote.solution_id):
        # A plain answer early; two tabs ordering at once meet the unique index instead.
        raise quotes.FirstAdoptionUsed()
    version_row, plan = _version_and_plan(session, quote)
    order = Order(
        reference=f"NEW-{uuid.uuid4().hex[:16]}", quote_id=quote.id,
        organisation_id=quote.organisation_id,
        vendor_organisation_id=_vendor_of(session, quote.solution_id),
        solution_id=quote.solution_id, version_id=quote.version_id, plan_id=quote.plan_id,
        programme_id=quote.programme_id, renewal_of_order_id=renewal_of_order_id,
        solution_name=version_row.name, plan_name=plan.name,
        billing_period=plan.billing_period, seats=quote.seats, term_months=quote.term_months,
        price_ntd=quote.price_ntd, points_applied=quote.points_applied,
        card_amount_ntd=quote.card_amount_ntd, sla_snapshot=contracts.sla_snapshot(version_row),
        contract_version=template.version, contract_text=text, contract_sha256=sha256,
        accepted_by_id=user.id, accepted_at=now,
        status=AWAITING_PAYMENT if quote.card_amount_ntd > 0 else PLACED,
        paid_at=None if quote.card_amount_ntd > 0 else now, created_at=now, updated_at=now)
    _insert_order(session, order)
    order.reference = reference_for(order.id)
    session.flush()
    if order.points_applied:
        _hold_points(session, order, user)
    audit.record(session, actor=user, action="order.placed", subject_type="order",
                 subject_id=order.reference, reason=f"contract v{template.version}",
                 after={"status": order.status, "points_held": order.points_applied,
                        "card_amount_ntd": order.card_amount_ntd,
                        "contract_sha256": sha256})
    if order.status == PLACED:
        _tell_vendor_to_activate(session, order)
    return order


def _version_and_plan(session: Session, quote: Quote):
    return session.get(SolutionVersion, quote.version_id), session.get(SolutionPlan,
                                                                        quote.plan_id)


def _vendor_of(session: Session, solution_id: int) -> int:
    return session.get(Solution, solution_id).vendor_organisation_id


def _tell_vendor_to_activate(session: Session, order: Order) -> None:
    notifications.notify_organisation(
        session, order.vendor_organisation_id, kind="order.to_activate",
        values={"reference": order.reference, "solution": order.solution_name},
        link=f"/vendor/orders/{order.id}")


def get_order(session: Session, order_id: int, *, organisation_id: int) -> Order:
    """A business's own order; anybody else's is 'not found'."""
    order = session.get(Order, order_id)
    if order is None or order.organisation_id != organisation_id:
        raise NotFound(_l("That order does not exist or is not yours."))
    return order


def orders_of(session: Session, organisation_id: int) -> list[Order]:
    return list(session.execute(select(Order).where(Order.organisation_id == organisation_id)
                                .order_by(Order.id.desc())).scalars())


def attach_payment_intent(session: Session, *, order_id: int, intent_id: str) -> Order:
    order = _locked(session, order_id)
    if order.stripe_payment_intent_id is None:
        order.stripe_payment_intent_id = intent_id
        order.updated_at = utcnow()
        session.flush()
    return order


def _locked(session: Session, order_id: int) -> Order:
    order = lock_row(session, Order, order_id)
    if order is None:
        raise NotFound(_l("That order does not exist or is not yours."))
    return order


def cancel_before_activation(session: Session, *, order_id: int, user: User | None,
                             reason: str) -> Order:
    """Cancel an order not yet activated: held points back to the wallet (`release:{ref}`).

    `user` None is the platform itself (failed or abandoned payment). The card part, if paid,
    is refunded at Stripe after commit by `close_card_part`.
    """
    order = _locked(session, order_id)
    if user is not None and order.organisation_id != user.organisation_id:
        raise NotFound(_l("That order does not exist or is not yours."))
    if order.status == CANCELLED:
        return order
    if order.status not in CANCELLABLE_BY_BUYER:
        raise Conflict(_l("This order has been activated, so it can no longer be cancelled "
                          "here. To end it, use the termination on the order page."))
    was_placed = order.status == PLACED
    now = utcnow()
    if order.points_applied > 0:
        movements.release(session, order_ref=order.reference, points=order.points_applied,
                          key=release_key(order.reference), description=order.reference,
                          actor_id=getattr(user, "id", None))
    before = {"status": order.status}
    order.status, order.cancel_reason = CANCELLED, reason[:40]
    order.cancelled_at = order.updated_at = now
    session.flush()
    audit.record(session, actor=user, action="order.cancelled", subject_type="order",
                 subject_id=order.reference, reason=reason, before=before,
                 after={"status": CANCELLED, "points_released": order.points_applied})
    if was_placed:
        notifications.notify_organisation(
            session, order.vendor_organisation_id, kind="order.cancelled",
            values={"reference": order.reference, "solution": order.solution_name},
            link=f"/vendor/orders/{order.id}")
    return order


def cancel_unpaid(session: Session, *, order_id: int, reason: str) -> bool:
    """Cancel an order only if, under its lock, it is still awaiting payment."""
    order = _locked(session, order_id)
    if order.status != AWAITING_PAYMENT:
        return False
    cancel_before_activation(session, order_id=order_id, user=None, reason=reason)
    return True


def apply_intent_status(session: Session, *, order_id: int, status: str,
                        failure: str = "payment_failed") -> Order:
    """Move an order to what its PaymentIntent says; repeating it changes nothing."""
    order = _locked(session, order_id)
    if status == PAID and order.status == AWAITING_PAYMENT:
        order.status, order.paid_at = PLACED, utcnow()
        order.updated_at = order.paid_at
        session.flush()
        audit.record(session, actor=None, action="order.paid", subject_type="order",
                     subject_id=order.reference, after={"status": PLACED,
                                                        "card_amount_ntd": order.card_amount_ntd})
        _tell_vendor_to_activate(session, order)
    elif status == PAID and order.status == CANCELLED and order.card_closed_at is not None:
        order.card_closed_at = None  # paid after it was cancelled: the refund is owed now
        session.flush()
    elif status in ("canceled", "requires_payment_method"):
        cancel_unpaid(session, order_id=order.id, reason=failure)
    return order


def order_for_intent(session: Session, intent_id: str | None,
                     reference: str | None) -> Order | None:
    if intent_id:
        found = session.execute(select(Order).where(
            Order.stripe_payment_intent_id == intent_id)).scalar()
        if found is not None:
            return found
    if reference:  # the webhook can beat the request that stores the intent id
        return session.execute(select(Order).where(Order.reference == reference)).scalar()
    return None


def apply_payment_event(session: Session, *, event_id: str, event_type: str,
                        intent_id: str | None, reference: str | None) -> bool:
    """Handle one verified webhook event once; False when it was already handled."""
    order = order_for_intent(session, intent_id, reference)
    if order is not None:
        order = _locked(session, order.id)  # concurrent deliveries queue here
    seen = session.execute(select(StripeEvent.id).where(
        StripeEvent.event_id == event_id)).first()
    if seen is not None:
        return False
    session.add(StripeEvent(event_id=event_id, type=event_type[:80],
                            order_id=order.id if order else None))
    session.flush()
    if order is None:
        return True
    if order.stripe_payment_intent_id is None and intent_id:
        order.stripe_payment_intent_id = intent_id
    if event_type == SUCCEEDED_EVENT:
        apply_intent_status(session, order_id=order.id, status=PAID)
    elif event_type in FAILED_INTENT:
        apply_intent_status(session, order_id=order.id, status="canceled",
                            failure=FAILED_INTENT[event_type])
    return True


def card_to_close(session: Session, limit: int = 100) -> list[int]:
    """Cancelled orders whose card part is still open at Stripe (retried until closed)."""
    return list(session.execute(select(Order.id).where(
        Order.status == CANCELLED, Order.stripe_payment_intent_id.is_not(None),
        Order.card_closed_at.is_(None)).order_by(Order.id).limit(limit)).scalars())


def record_card_closed(session: Session, *, order_id: int,
                       refund_id: str | None) -> Order:
    order = _locked(session, order_id)
    if order.card_closed_at is None:
        now = utcnow()
        order.card_closed_at = now
        if refund_id:
            order.stripe_refund_id, order.card_refunded_at = refund_id, now
            audit.record(session, actor=None, action="order.card_refunded",
                         subject_type="order", subject_id=order.reference,
                         after={"refund_id": refund_id,
                                "card_amount_ntd": order.card_amount_ntd})
        session.flush()
    return order
