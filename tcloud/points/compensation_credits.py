"""SLA compensation credited to a buyer's wallet, for the SLA domain to call at month end.

`credit_compensation` is idempotent by its `key` (one credit per key, ever). The points go to
the wallet of the order's buyer in the order's programme. They come out of the vendor's
receivable when it holds enough; otherwise the programme's compensation clearing account
advances them (it may go below zero) and settlement recovers them from the vendor before
paying it (see settlement.py). Either way the credit is deducted on the vendor's statement.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from tcloud.errors import NotFound, ValidationFailed
from tcloud.points import ledger, movements
from tcloud.points import models as m
from tcloud.points.order_models import Order
from tcloud.points.settlement_models import FROM_CLEARING, FROM_RECEIVABLE, OrderCredit

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def credit_by_key(session: Session, key: str) -> OrderCredit | None:
    return session.exec(select(OrderCredit).where(OrderCredit.key == key)).first()


def credit_compensation(session: Session, *, order_id: int, period: str, points: int,
                        reason: str, key: str) -> OrderCredit | None:
    """Credit `points` to the order's buyer for `period` (YYYY-MM); None if points <= 0.

    A second call with the same key returns the first credit and moves nothing.
    """
    if points <= 0:
        return None
    if not PERIOD.match(period or ""):
        raise ValidationFailed({"period": str(_l("Give the month as YYYY-MM."))})
    if not key or len(key) > 100:
        raise ValidationFailed({"key": str(_l("Give a key of at most 100 characters."))})
    existing = credit_by_key(session, key)
    if existing is not None:
        return existing
    order = session.get(Order, order_id)
    if order is None or order.programme_id is None:
        raise NotFound(_l("That order does not exist or was not paid with points."))
    wallet = movements.wallet(session, order.programme_id, order.organisation_id)
    receivable = movements.vendor_receivable(session, order.programme_id,
                                             order.vendor_organisation_id)
    clearing = movements.programme_accounts(session, order.programme_id)[m.COMPENSATION]
    # Lock all three in id order before reading the receivable, so the choice of source and
    # the movement see the same balance, and two credits cannot both count on it.
    locked = ledger.lock_accounts(session, [wallet.id, receivable.id, clearing.id])
    existing = credit_by_key(session, key)  # a concurrent call with this key has committed
    if existing is not None:
        return existing
    description = f"{order.reference} {period} {reason}"[:300]
    ledger_key = f"credit:{key}"
    if locked[receivable.id][0] >= points:
        funded_from = FROM_RECEIVABLE
        posted = movements.compensate_from_receivable(
            session, wallet_account=wallet, vendor_organisation_id=order.vendor_organisation_id,
            points=points, key=ledger_key, description=description)
    else:
        funded_from = FROM_CLEARING
        posted = movements.compensate(session, wallet_account=wallet, points=points,
                                      key=ledger_key, description=description)
    credit = OrderCredit(order_id=order.id, vendor_organisation_id=order.vendor_organisation_id,
                         programme_id=order.programme_id, period=period, points=points,
                         reason=reason[:300], key=key, funded_from=funded_from,
                         transaction_id=posted.transaction_id)
    session.add(credit)
    session.flush()
    return credit


def credits_for_order(session: Session, order_id: int) -> list[OrderCredit]:
    return list(session.exec(select(OrderCredit).where(OrderCredit.order_id == order_id)
                             .order_by(OrderCredit.id)))
