"""Renewals: remind the buyer before the term ends, renew by card, count the renewal rate.

A renewal is a new order (paid by card: points pay for a first adoption only) whose
`renewal_of_order_id` names the order it continues. It goes through the same quote, contract
and checkout as any order (checkout.place_order with renewal_of_order_id).

Renewal rate = orders renewed ÷ orders whose term has ended or that were renewed, ignoring
orders cancelled before activation, per solution; the catalogue stores it on the solution
and groups it by vendor and category (tcloud/catalog/renewal_rates.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.catalog import renewal_rates
from tcloud.catalog.models import SolutionPlan
from tcloud.clock import utcnow
from tcloud.errors import Conflict
from tcloud.notifications import services as notifications
from tcloud.points import quotes
from tcloud.points.fulfilment import buyer_order
from tcloud.points.order_models import ACTIVE, CANCELLED, COMPLETED, TERMINATED, Order, Quote
from tcloud.points.settlement_models import OrderReminder

REMIND_DAYS_BEFORE = 30
RENEWAL_REMINDER = "renewal"
RENEW_UNTIL_DAYS_AFTER = 60  # a completed order may still be renewed this long after its end


def renewal_of(session: Session, order_id: int) -> Order | None:
    """The order that renews this one, if any (not cancelled)."""
    return session.execute(select(Order).where(Order.renewal_of_order_id == order_id,
                                               Order.status != CANCELLED)
                           .order_by(Order.id.desc())).scalars().first()


def can_renew(session: Session, order: Order, today: date) -> bool:
    if order.ends_on is None or renewal_of(session, order.id) is not None:
        return False
    if order.status == ACTIVE:
        return today >= order.ends_on - timedelta(days=REMIND_DAYS_BEFORE)
    return order.status == COMPLETED and today <= order.ends_on + timedelta(
        days=RENEW_UNTIL_DAYS_AFTER)


def _insert_reminder(session: Session, order_id: int, kind: str) -> bool:
    """Record the reminder; False if it was already recorded (by this or a concurrent run)."""
    table = OrderReminder.__table__
    insert_row = (sqlite_insert if session.get_bind().dialect.name == "sqlite"
                  else postgresql_insert)(table)
    created = session.execute(insert_row.values(order_id=order_id, kind=kind, sent_at=utcnow())
                              .on_conflict_do_nothing(index_elements=["order_id", "kind"])
                              .returning(table.c.id)).scalar()
    return created is not None


def remind_due(session: Session, today: date) -> int:
    """Remind buyers whose active term ends within 30 days, once per order; how many."""
    renewals = aliased(Order)
    query = (select(Order).where(Order.status == ACTIVE,
                                 Order.ends_on <= today + timedelta(days=REMIND_DAYS_BEFORE),
                                 Order.ends_on >= today)
             .where(~select(OrderReminder.id).where(OrderReminder.order_id == Order.id,
                                                    OrderReminder.kind == RENEWAL_REMINDER)
                    .exists())
             .where(~select(renewals.id).where(renewals.renewal_of_order_id == Order.id,
                                               renewals.status != CANCELLED).exists()))
    sent = 0
    for order in session.execute(query).scalars():
        if not _insert_reminder(session, order.id, RENEWAL_REMINDER):
            continue
        notifications.notify_organisation(
            session, order.organisation_id, kind="order.renewal_due",
            values={"reference": order.reference, "solution": order.solution_name,
                    "ends_on": order.ends_on.isoformat()}, link=f"/orders/{order.id}")
        sent += 1
    return sent


def renewal_plan_id(session: Session, order: Order) -> int:
    """The live plan to renew on: the same plan, or the plan of that name in the live version."""
    try:
        quotes.live_plan(session, order.plan_id)
        return order.plan_id
    except Conflict:
        pass
    from tcloud.catalog import browse

    _, live = browse.public_version(session, order.solution_id)
    plans = session.execute(select(SolutionPlan).where(SolutionPlan.version_id == live.id)
                            .order_by(SolutionPlan.position)).scalars().all()
    same = [plan for plan in plans if plan.name == order.plan_name]
    if not (same or plans):
        raise Conflict(_l("This solution has no plan to renew on."))
    return (same or plans)[0].id


def start_renewal(session: Session, *, order_id: int, buyer: User,
                  today: date) -> Quote:
    """A card-only quote for the next term; the buyer then accepts the contract and pays."""
    order = buyer_order(session, order_id, buyer)
    if not can_renew(session, order, today):
        raise Conflict(_l("This order cannot be renewed now: renewal opens 30 days before "
                          "the term ends, once."))
    return quotes.create_quote(session, organisation_id=order.organisation_id,
                               plan_id=renewal_plan_id(session, order), user=buyer,
                               use_points=False)


def renewal_counts(session: Session, today: date) -> renewal_rates.Counts:
    """Per solution: (renewed, ended or renewed), ignoring cancelled orders."""
    renewals = aliased(Order)
    renewed = (select(renewals.id).where(renewals.renewal_of_order_id == Order.id,
                                         renewals.status != CANCELLED).exists())
    rows = session.execute(select(Order.solution_id, renewed.label("renewed")).where(
        Order.status != CANCELLED, Order.starts_on.is_not(None),
        (Order.status.in_((COMPLETED, TERMINATED))) | (Order.ends_on < today) | renewed))
    counts: dict[int, list[int]] = {}
    for solution_id, was_renewed in rows:
        totals = counts.setdefault(solution_id, [0, 0])
        totals[0] += 1 if was_renewed else 0
        totals[1] += 1
    return {solution_id: (r, e) for solution_id, (r, e) in counts.items()}


def update_rates(session: Session, today: date) -> int:
    """Recompute and store every solution's renewal rate; how many changed."""
    return renewal_rates.store_rates(session, renewal_counts(session, today))


def rates_report(session: Session, today: date) -> dict:
    return renewal_rates.report(session, renewal_counts(session, today))
