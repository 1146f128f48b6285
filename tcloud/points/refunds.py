"""Administrators' refunds: captured points reversed from the vendor's receivable to the buyer.

Points still in escrow go back through termination (fulfilment.terminate); this is for points
that already reached the vendor. A refund may not exceed what was captured for the order less
what was already refunded, and never takes the vendor's receivable below zero (the ledger's
CHECK and lock refuse it; we say so in plain words). Each request carries a token, so a
double-click or a retried API call refunds once: the ledger key is `refund:{ref}:{token}`.
"""

from __future__ import annotations

import re
import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tcloud.notifications import services as notifications
from tcloud.points import ledger, movements
from tcloud.points.order_models import Order
from tcloud.points.settlement_models import OrderRefund

TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def new_token() -> str:
    return uuid.uuid4().hex


def refunded_points(session: Session, order_id: int) -> int:
    return session.execute(select(func.coalesce(func.sum(OrderRefund.points), 0))
                           .where(OrderRefund.order_id == order_id)).scalar_one()


def refundable_points(session: Session, order: Order) -> int:
    """Captured (released to the vendor) and not yet refunded."""
    return order.points_released - refunded_points(session, order.id)


def refunds_of(session: Session, order_id: int) -> list[OrderRefund]:
    return list(session.execute(select(OrderRefund).where(OrderRefund.order_id == order_id)
                                .order_by(OrderRefund.id)).scalars())


def _checked_points(points: object) -> int:
    try:
        value = int(points)
    except (TypeError, ValueError):
        value = 0
    if value <= 0 or str(points).strip() != str(value):
        raise ValidationFailed({"points": str(_l("Enter a whole number of points above 0."))})
    return value


def issue_refund(session: Session, *, order_id: int, admin: User, points: object, reason: str,
                 token: str | None = None) -> OrderRefund:
    """Refund `points` captured points of the order to its buyer; the same token refunds once."""
    if admin.role != "admin":
        raise PermissionDenied(_l("Only administrators can refund points."))
    token = token or new_token()
    if not TOKEN.match(token):
        raise ValidationFailed({"token": str(_l("The request token is not valid; reload "
                                                "the page."))})
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = str(_l("Give a reason for the refund."))
    elif len(reason) > 500:
        errors["reason"] = str(_l("Keep the reason under 500 characters."))
    try:
        amount = _checked_points(points)
    except ValidationFailed as err:
        errors.update(err.errors)
    if errors:
        raise ValidationFailed(errors)
    order = lock_row(session, Order, order_id)
    if order is None or order.programme_id is None:
        raise NotFound(_l("That order does not exist or was not paid with points."))
    key = f"refund:{order.reference}:{token}"
    existing = session.execute(select(OrderRefund).where(OrderRefund.key == key)).scalar()
    if existing is not None:
        return existing
    limit = refundable_points(session, order)
    if amount > limit:
        raise ValidationFailed({"points": str(_l(
            "At most %(limit)s points can be refunded: captured points less earlier refunds.",
            limit=f"{limit:,}"))})
    try:
        posted = movements.refund(session, order_ref=order.reference,
                                  vendor_organisation_id=order.vendor_organisation_id,
                                  points=amount, key=key,
                                  description=f"{order.reference} {reason}"[:300],
                                  actor_id=admin.id)
    except ledger.InsufficientPoints as err:
        raise Conflict(_l("The vendor's receivable holds only %(balance)s points (the rest "
                          "was paid out), so %(points)s cannot be refunded from it.",
                          balance=f"{err.balance:,}", points=f"{amount:,}")) from err
    refund = OrderRefund(order_id=order.id, vendor_organisation_id=order.vendor_organisation_id,
                         programme_id=order.programme_id, points=amount, reason=reason, key=key,
                         transaction_id=posted.transaction_id, created_by_id=admin.id)
    session.add(refund)
    session.flush()
    audit.record(session, actor=admin, action="order.refunded", subject_type="order",
                 subject_id=order.reference, reason=reason,
                 before={"refunded": order.points_released - limit},
                 after={"refunded": order.points_released - limit + amount})
    values = {"reference": order.reference, "points": f"{amount:,}", "reason": reason}
    for organisation_id, link in ((order.organisation_id, f"/orders/{order.id}"),
                                  (order.vendor_organisation_id, f"/vendor/orders/{order.id}")):
        notifications.notify_organisation(session, organisation_id, kind="order.refunded",
                                          values=values, link=link)
    return refund
