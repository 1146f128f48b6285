"""Monthly release: an order's points reach the vendor month by month, not all at once.

This is the programme's control against "subscribe, collect the subsidy, cancel": the points
stay in the order's escrow and move to the vendor's receivable one month at a time, only once
the buyer has confirmed the service is really in use. If the order ends early, whatever is
still in escrow goes back to the buyer (fulfilment.terminate).

Schedule: points_applied split over term_months by integer division, the remainder in the last
month. Month k is due on starts_on + (k − 1) months; nothing is released before the buyer
confirms use (month 1 is then released on confirmation). Each release is an OrderRelease row
(unique per order and month) plus a ledger capture keyed `capture:{ref}:{k}`, done under the
order's row lock, so a job run twice, or two runs at once, release each month once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.notifications import services as notifications
from tcloud.points import movements
from tcloud.points.order_models import ACTIVE, COMPLETED, Order, OrderRelease


@dataclass(frozen=True)
class Instalment:
    month_index: int
    due_on: date
    points: int


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it is shorter (31 Jan → 28 Feb)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule(points: int, term_months: int, starts_on: date) -> list[Instalment]:
    """The release schedule; months with no points (tiny orders) are left out."""
    base = points // term_months
    last = points - base * (term_months - 1)
    plan = [Instalment(k, add_months(starts_on, k - 1), last if k == term_months else base)
            for k in range(1, term_months + 1)]
    return [item for item in plan if item.points > 0]


def capture_key(reference: str, month_index: int) -> str:
    return f"capture:{reference}:{month_index}"


def released_months(session: Session, order_id: int) -> set[int]:
    return set(session.execute(select(OrderRelease.month_index)
                               .where(OrderRelease.order_id == order_id)).scalars())


def release_order(session: Session, order_id: int, today: date) -> int:
    """Release every month of this order that is due by `today`; points released now.

    Locks the order first, so a concurrent run waits here and then finds the months done.
    Also completes the order once the term has ended and everything has been released.
    """
    order = lock_row(session, Order, order_id)
    if order is None or order.status != ACTIVE or order.starts_on is None:
        return 0
    moved = 0
    if order.use_confirmed_at is not None and order.points_applied > 0:
        done = released_months(session, order.id)
        for item in schedule(order.points_applied, order.term_months, order.starts_on):
            if item.month_index in done or item.due_on > today:
                continue
            posted = movements.capture(
                session, order_ref=order.reference,
                vendor_organisation_id=order.vendor_organisation_id, points=item.points,
                key=capture_key(order.reference, item.month_index),
                description=f"{order.reference} {item.month_index}/{order.term_months}")
            session.add(OrderRelease(
                order_id=order.id, vendor_organisation_id=order.vendor_organisation_id,
                month_index=item.month_index, points=item.points, released_on=today,
                transaction_id=posted.transaction_id))
            order.points_released += item.points
            moved += item.points
    if order.points_released == order.points_applied and order.ends_on <= today and (
            order.use_confirmed_at is not None or order.points_applied == 0):
        order.status = COMPLETED
    if moved or order.status == COMPLETED:
        order.updated_at = utcnow()
        session.add(order)
        session.flush()
    if moved:
        notifications.notify_organisation(
            session, order.vendor_organisation_id, kind="order.released",
            values={"reference": order.reference, "points": f"{moved:,}"},
            link=f"/vendor/orders/{order.id}")
    return moved


def due_order_ids(session: Session, today: date, limit: int, after_id: int = 0) -> list[int]:
    """Active orders that may have a month due or may be finished, by id after `after_id`."""
    query = (select(Order.id).where(Order.status == ACTIVE, Order.starts_on <= today,
                                    Order.id > after_id)
             .where((Order.use_confirmed_at.is_not(None)) | (Order.points_applied == 0))
             .where((Order.points_released < Order.points_applied) | (Order.ends_on <= today))
             .order_by(Order.id).limit(limit))
    return list(session.execute(query).scalars())


def release_due(session: Session, today: date, *, page: int = 500) -> int:
    """The daily job: release every due month of every active order; points released.

    Walks the candidates a page at a time by id, so orders with nothing due yet never hide
    later ones.
    """
    moved, after_id = 0, 0
    while ids := due_order_ids(session, today, page, after_id):
        moved += sum(release_order(session, order_id, today) for order_id in ids)
        after_id = ids[-1]
    return moved


def releases_of(session: Session, order_id: int) -> list[OrderRelease]:
    return list(session.execute(select(OrderRelease).where(OrderRelease.order_id == order_id)
                                .order_by(OrderRelease.month_index)).scalars())
