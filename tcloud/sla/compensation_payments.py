"""How SLA compensation reaches a buyer: points to the wallet, or a refund to the card.

One entry point for month end and for upheld disputes, so both pay by the same rule:
- an order paid (wholly or partly) with points is credited in points, from the vendor's
  receivable or, when it is short, the programme's compensation clearing account that
  settlement recovers (points/compensation_credits.py);
- an order paid by card only gets a partial refund of its card payment, recorded as pending
  here and sent to Stripe by the points.send_card_refunds job (points/card_refunds.py).
Each payment has its own key (`sla-credit:{order}:{YYYY-MM}` at month end,
`sla-dispute:{dispute}` for a correction), so nothing is paid twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from tcloud.points.card_refunds import (
    card_refund_by_key,
    record_card_compensation,
)
from tcloud.points.compensation_credits import credit_by_key, credit_compensation
from tcloud.points.order_models import Order

TO_WALLET, TO_CARD = "wallet", "card"


@dataclass(frozen=True)
class Payment:
    """What a key paid: where to, how much, and for a card refund its state."""

    to: str  # TO_WALLET or TO_CARD
    amount: int
    status: str  # "credited" for points; pending, sent or failed for a card refund
    row: object


def dispute_key(dispute_id: int) -> str:
    return f"sla-dispute:{int(dispute_id)}"


def pays_by_card(order: Order) -> bool:
    """No points were used: there is no wallet to credit, only the card that paid."""
    return order.programme_id is None


def pay_compensation(session: Session, *, order: Order, period: str, points: int, key: str,
                     reason: str) -> Payment | None:
    """Pay `points` (1 point = NT$1) of compensation for `period`; None if nothing is owed."""
    if pays_by_card(order):
        refund = record_card_compensation(session, order_id=order.id, period=period,
                                          amount_ntd=points, reason=reason, key=key)
        return None if refund is None else Payment(TO_CARD, refund.amount_ntd, refund.status,
                                                   refund)
    credit = credit_compensation(session, order_id=order.id, period=period, points=points,
                                 reason=reason, key=key)
    return None if credit is None else Payment(TO_WALLET, credit.points, "credited", credit)


def payment_for(session: Session, order: Order, key: str) -> Payment | None:
    """What was paid under `key`, for statements and the API."""
    if pays_by_card(order):
        refund = card_refund_by_key(session, key)
        return None if refund is None else Payment(TO_CARD, refund.amount_ntd, refund.status,
                                                   refund)
    credit = credit_by_key(session, key)
    return None if credit is None else Payment(TO_WALLET, credit.points, "credited", credit)
