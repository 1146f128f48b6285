"""SLA compensation for buyers who paid by card only: partial refunds of the order's payment.

A subscription bought without points has no wallet to credit, so its compensation goes back
to the card it was paid with. Calls to Stripe never happen inside the transaction that decides
what is owed: `record_card_compensation` only adds a pending row (unique by the compensation's
own key, so month end or a dispute decision run twice records once), and the scheduled job
`send_pending_card_refunds` sends each pending row to Stripe with an idempotency key derived
from that key (`sla-refund:{key}`), so a job that dies between Stripe's answer and its commit
refunds once when it runs again. Failures are retried with a growing pause; after
MAX_ATTEMPTS, or when there is no card payment to refund, the row is marked failed and the
administrators are told. An administrator can then send a failed refund again from the order's
page (`retry_failed`): it goes back to the job as pending, with the same Stripe key, so an
attempt that reached Stripe after all is found there rather than refunded twice.

Mixed orders (points and card) are compensated in points, as before: the wallet credit is
immediate and needs no outside call.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tcloud.notifications import services as notifications
from tcloud.points import payments
from tcloud.points.compensation_credits import PERIOD
from tcloud.points.order_models import Order
from tcloud.points.settlement_models import (
    CARD_REFUND_FAILED,
    CARD_REFUND_PENDING,
    CARD_REFUND_SENT,
    OrderCardRefund,
)
from tcloud.scheduling import ScheduledJob

MAX_ATTEMPTS = 6
CARD_REFUND_LABELS = {CARD_REFUND_PENDING: _l("waiting to be sent"),
                      CARD_REFUND_SENT: _l("sent"), CARD_REFUND_FAILED: _l("failed")}
FIRST_PAUSE = timedelta(minutes=5)  # doubled after each failure: 5, 10, 20, 40, 80 minutes
log = logging.getLogger(__name__)


def stripe_idempotency_key(key: str) -> str:
    return f"sla-refund:{key}"


def card_refund_by_key(session: Session, key: str) -> OrderCardRefund | None:
    return session.execute(select(OrderCardRefund).where(OrderCardRefund.key == key)).scalar()


def card_refunds_for_order(session: Session, order_id: int) -> list[OrderCardRefund]:
    return list(session.execute(select(OrderCardRefund).where(
        OrderCardRefund.order_id == order_id).order_by(OrderCardRefund.id)).scalars())


def refundable_ntd(session: Session, order: Order) -> int:
    """What is left of the card payment: less earlier compensation and any full refund."""
    if order.card_refunded_at is not None:
        return 0
    owed = session.execute(select(func.coalesce(func.sum(OrderCardRefund.amount_ntd), 0))
                           .where(OrderCardRefund.order_id == order.id,
                                  OrderCardRefund.status != CARD_REFUND_FAILED)).scalar_one()
    return max(0, order.card_amount_ntd - owed)


def record_card_compensation(session: Session, *, order_id: int, period: str, amount_ntd: int,
                             reason: str, key: str) -> OrderCardRefund | None:
    """A pending card refund of `amount_ntd` for `period`; None when nothing is owed.

    The same key returns the row already recorded. The amount never exceeds what is left of
    the card payment (compensation is capped by the contract well below it; this guards the
    money whatever the caller asks).
    """
    if amount_ntd <= 0:
        return None
    if not PERIOD.match(period or ""):
        raise ValidationFailed({"period": str(_l("Give the month as YYYY-MM."))})
    if not key or len(key) > 100:
        raise ValidationFailed({"key": str(_l("Give a key of at most 100 characters."))})
    existing = card_refund_by_key(session, key)
    if existing is not None:
        return existing
    order = session.get(Order, order_id)
    if order is None or order.programme_id is not None:
        raise NotFound(_l("That order does not exist or was paid with points."))
    amount = min(amount_ntd, refundable_ntd(session, order))
    if amount <= 0:
        return None
    refund = OrderCardRefund(order_id=order.id,
                             vendor_organisation_id=order.vendor_organisation_id, period=period,
                             amount_ntd=amount, reason=reason[:300], key=key)
    try:
        with session.begin_nested():  # a concurrent run with this key inserted it first
            session.add(refund)
    except IntegrityError:
        return card_refund_by_key(session, key)
    return refund


def due_card_refunds(session: Session, now: datetime, limit: int = 100) -> list[int]:
    return list(session.execute(select(OrderCardRefund.id).where(
        OrderCardRefund.status == CARD_REFUND_PENDING,
        (OrderCardRefund.next_attempt_at.is_(None)) | (OrderCardRefund.next_attempt_at <= now))
        .order_by(OrderCardRefund.id).limit(limit)).scalars())


def _fail(session: Session, refund: OrderCardRefund, order: Order, error: str) -> None:
    refund.status = CARD_REFUND_FAILED
    refund.last_error = error[:300]
    notifications.notify_role(session, ROLE_ADMIN, kind="sla.card_refund_failed",
                              values={"reference": order.reference, "period": refund.period,
                                      "amount": f"{refund.amount_ntd:,}",
                                      "error": refund.last_error},
                              link=f"/admin/orders/{order.id}")


def send_card_refund(session: Session, refund_id: int, now: datetime) -> str:
    """Send one pending refund to Stripe and record the outcome: sent, pending or failed."""
    refund = session.get(OrderCardRefund, refund_id, populate_existing=True)
    if refund is None or refund.status != CARD_REFUND_PENDING:
        return refund.status if refund else "missing"
    order = session.get(Order, refund.order_id)
    if not order.stripe_payment_intent_id:
        _fail(session, refund, order, "no card payment is recorded for this order")
        return refund.status
    refund.attempts += 1
    try:
        refund.stripe_refund_id = payments.refund_part(
            order.stripe_payment_intent_id, amount_ntd=refund.amount_ntd,
            idempotency_key=stripe_idempotency_key(refund.key),
            metadata={"order_reference": order.reference, "compensation_key": refund.key})
    except payments.PaymentError as err:
        log.warning("card refund %s failed (attempt %s): %s", refund.id, refund.attempts, err)
        if refund.attempts >= MAX_ATTEMPTS:
            _fail(session, refund, order, str(err))
        else:
            refund.last_error = str(err)[:300]
            refund.next_attempt_at = now + FIRST_PAUSE * 2 ** (refund.attempts - 1)
        return refund.status
    refund.status, refund.sent_at, refund.last_error = CARD_REFUND_SENT, now, None
    notifications.notify_organisation(
        session, order.organisation_id, kind="sla.card_refund_sent",
        values={"reference": order.reference, "period": refund.period,
                "amount": f"{refund.amount_ntd:,}"},
        link=f"/orders/{order.id}")
    return refund.status


def retry_failed(session: Session, *, order_id: int, refund_id: int,
                 admin: User) -> OrderCardRefund:
    """Queue a failed refund for the job again (an administrator's decision, audited).

    Refused when it is not failed (a double click, or another administrator was quicker), when
    the order has no card payment to refund, or when what is left of the card payment no longer
    covers it (a failed row is not counted as owed, so others may have been recorded since).
    """
    if admin.role != ROLE_ADMIN:
        raise PermissionDenied(_l("Only administrators can send a card refund again."))
    order = lock_row(session, Order, order_id)  # serialises retries of the order's refunds
    refund = session.get(OrderCardRefund, refund_id, populate_existing=True)
    if order is None or refund is None or refund.order_id != order.id:
        raise NotFound(_l("That card refund does not exist."))
    if refund.status != CARD_REFUND_FAILED:
        raise Conflict(_l("Only a failed card refund can be sent again; this one is %(status)s.",
                          status=CARD_REFUND_LABELS.get(refund.status, refund.status)))
    if not order.stripe_payment_intent_id:
        raise Conflict(_l("This order has no card payment to refund."))
    left = refundable_ntd(session, order)
    if refund.amount_ntd > left:
        raise Conflict(_l("Only NT$%(left)s of the card payment is left to refund, less than "
                          "this refund's NT$%(amount)s.", left=f"{left:,}",
                          amount=f"{refund.amount_ntd:,}"))
    before = {"status": refund.status, "attempts": refund.attempts, "error": refund.last_error}
    refund.status, refund.attempts, refund.next_attempt_at = CARD_REFUND_PENDING, 0, None
    audit.record(session, actor=admin, action="order.card_refund_retried", subject_type="order",
                 subject_id=order.reference, reason=f"{refund.period} NT${refund.amount_ntd:,}",
                 before=before, after={"status": refund.status, "attempts": 0})
    session.flush()
    return refund


def send_pending_card_refunds(session: Session, now: datetime) -> str:
    """The scheduled job: every due pending refund, each recorded whatever Stripe says."""
    outcomes = [send_card_refund(session, refund_id, now)
                for refund_id in due_card_refunds(session, now)]
    session.flush()
    return (f"{outcomes.count(CARD_REFUND_SENT)} sent, {outcomes.count(CARD_REFUND_PENDING)} "
            f"to retry, {outcomes.count(CARD_REFUND_FAILED)} failed")


SCHEDULED_JOBS = [
    ScheduledJob(name="points.send_card_refunds", run=send_pending_card_refunds,
                 every_seconds=300),
]
