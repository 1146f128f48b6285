"""Scheduled checkout work: abandoned payments, and card parts still open at Stripe.

Two jobs, so that Stripe is only ever called about rows already committed:
- `cancel_abandoned_payments` (database only): orders still awaiting payment ABANDONED_AFTER
  after checkout are cancelled and their points released (`release:{reference}`; a rerun finds
  them cancelled and does nothing).
- `close_cancelled_card_parts`: every cancelled order with a PaymentIntent and no
  card_closed_at is closed at Stripe (intent cancelled, or a paid amount refunded with the
  idempotency key `refund:{reference}`) and the result recorded. Views call the same
  `close_card_part` right after their own commit; this job retries whatever failed then.
Expired quotes need no job: validity is checked when a quote is used.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from tcloud.points import checkout, payments
from tcloud.points.order_models import AWAITING_PAYMENT, CANCELLED, Order
from tcloud.scheduling import ScheduledJob

ABANDONED_AFTER = timedelta(hours=1)
log = logging.getLogger(__name__)


def abandoned_orders(session: Session, now: datetime, limit: int = 200) -> list[int]:
    return list(session.execute(select(Order.id).where(
        Order.status == AWAITING_PAYMENT, Order.created_at < now - ABANDONED_AFTER)
        .order_by(Order.id).limit(limit)).scalars())


def cancel_abandoned_payments(session: Session, now: datetime) -> int:
    """Cancel orders whose card part was not paid in time; how many were cancelled now."""
    return sum(checkout.cancel_unpaid(session, order_id=order_id, reason="payment_abandoned")
               for order_id in abandoned_orders(session, now))


def close_card_part(session: Session, order_id: int) -> bool:
    """Close a cancelled order's card part at Stripe and record it; False if nothing to do.

    Raises payments.PaymentError when Stripe cannot be reached; the order stays pending.
    """
    order = session.get(Order, order_id, populate_existing=True)
    if (order is None or order.status != CANCELLED or not order.stripe_payment_intent_id
            or order.card_closed_at is not None):
        return False
    intent = payments.cancel_intent(order.stripe_payment_intent_id)
    refund_id = None
    if intent.status == "succeeded":
        refund_id = payments.refund(intent.id, order_reference=order.reference)
    elif intent.status != "canceled":
        return False  # still moving at Stripe (e.g. processing): the next run looks again
    checkout.record_card_closed(session, order_id=order_id, refund_id=refund_id)
    return True


def close_cancelled_card_parts(session: Session, now: datetime) -> int:
    closed = 0
    for order_id in checkout.card_to_close(session):
        try:
            closed += close_card_part(session, order_id)
        except payments.PaymentError:
            log.exception("closing the card part of order %s failed; retried later", order_id)
    return closed


SCHEDULED_JOBS = [
    ScheduledJob(name="points.cancel_abandoned_payments", run=cancel_abandoned_payments,
                 every_seconds=300),
    ScheduledJob(name="points.close_cancelled_card_parts", run=close_cancelled_card_parts,
                 every_seconds=300),
]
