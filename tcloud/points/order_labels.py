"""Words for orders: each state in plain language, why an order was cancelled, its timeline."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tcloud.points.order_models import (
    ACTIVE,
    AWAITING_PAYMENT,
    CANCELLED,
    COMPLETED,
    PLACED,
    TERMINATED,
    Order,
)

ORDER_STATUS_LABELS = {
    AWAITING_PAYMENT: _l("Waiting for your card payment"),
    PLACED: _l("Paid: waiting for the vendor to activate it"),
    ACTIVE: _l("Active"),
    CANCELLED: _l("Cancelled before activation"),
    TERMINATED: _l("Ended early"),
    COMPLETED: _l("Completed"),
}

CANCEL_REASON_LABELS = {
    "buyer": _l("you cancelled it"),
    "payment_failed": _l("the card payment was declined"),
    "payment_canceled": _l("the card payment was cancelled"),
    "payment_abandoned": _l("the card payment was not made within an hour"),
    # Ends after activation (tcloud.points.fulfilment END_CAUSES).
    "buyer_cancelled": _l("you ended it"),
    "found_unused": _l("the service was found not to be in use"),
    "admin_terminated": _l("an administrator ended it"),
}


def timeline(order: Order) -> list[tuple[object, str]]:
    """(moment, what happened) for each step the order has reached, oldest first."""
    steps = [(order.accepted_at, str(_l("Contract accepted; %(points)s points held",
                                        points=f"{order.points_applied:,}")))]
    if order.paid_at is not None:
        steps.append((order.paid_at, str(_l("Paid in full"))))
    if order.activated_at is not None:
        steps.append((order.activated_at, str(_l("Activated by the vendor"))))
    if order.cancelled_at is not None:
        reason = CANCEL_REASON_LABELS.get(order.cancel_reason or "", order.cancel_reason or "")
        if order.status == TERMINATED:
            returned = order.points_applied - order.points_released
            steps.append((order.cancelled_at, str(_l(
                "Ended early: %(reason)s; %(points)s points not yet paid to the vendor "
                "returned to your wallet", reason=reason, points=f"{returned:,}"))))
        else:
            steps.append((order.cancelled_at, str(_l("Cancelled: %(reason)s; held points "
                                                     "returned to your wallet",
                                                     reason=reason))))
    if order.card_refunded_at is not None:
        steps.append((order.card_refunded_at, str(_l("Card payment refunded"))))
    return sorted(steps, key=lambda step: step[0])
