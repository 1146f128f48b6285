"""Month end: each solution's availability against its terms, and automatic compensation.

For every solution with a subscription active during the month, the month's measured
availability (measured.monthly_availability, from day roll-ups) is compared with the terms;
every such subscription is credited by the tiers of its own contract snapshot, a share of that
month's fee (prorated for a partial month), capped, through the points ledger
(`credit_compensation`, key `sla-credit:{order}:{YYYY-MM}`); a subscription paid by card only
gets the same amount back on its card (a pending refund sent by a job after the commit, see
compensation_payments.py). Buyer and vendor each get a statement; the buyer may dispute it for
30 days (disputes.py).

Safe to run twice, and concurrently: the statement row is inserted first, in a savepoint,
under its unique credit key; only the transaction whose insert succeeds calls the ledger, and
the ledger's own idempotency key would refuse a second credit anyway.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tcloud.catalog.models import SolutionVersion
from tcloud.clock import TAIPEI, utcnow
from tcloud.notifications.services import notify_organisation
from tcloud.points.order_models import ACTIVE, COMPLETED, TERMINATED, Order
from tcloud.sla.availability import Availability, month_days
from tcloud.sla.breaches import record_breach
from tcloud.sla.compensation import (
    AVAILABILITY,
    SOLUTION_SUBJECT,
    CompensationTerms,
    SubscriptionMonth,
    breach_key,
    credit_key,
    dispute_deadline,
    month_end_actions,
    month_fee_points,
    month_period,
)
from tcloud.sla.incident_models import Breach, CompensationStatement
from tcloud.sla.minute_states import StateCounts

RAN_STATES = (ACTIVE, COMPLETED, TERMINATED)  # subscriptions that ran (not cancelled before)


@dataclass
class MonthEndSummary:
    solutions: int = 0
    breaches: int = 0
    statements: int = 0
    points: int = 0


def _read_all_availability(session: Session, solution_ids: list[int], year: int,
                           month: int) -> Callable:
    # Every subscribed solution's month in a few queries (bench/sla_probes.py: 800 solutions
    # in ~0.4 s, against ~2-3 s one solution at a time).
    from tcloud.sla.measured import monthly_availability_of

    figures = monthly_availability_of(session, solution_ids, year, month)
    return lambda _session, solution_id, _year, _month: figures[solution_id]


def _default_credit(session: Session, **kwargs):
    from tcloud.sla.compensation_payments import pay_compensation

    return pay_compensation(session, **kwargs)


def as_availability(figures) -> Availability:
    """measured.MonthFigures (or any object with the four counts) as availability.py's type."""
    return Availability(StateCounts(figures.up, figures.down, figures.maintenance,
                                    figures.unknown))


def month_bounds(year: int, month: int) -> tuple[date, date, datetime]:
    """First and last local day, and the instant the month ends (Taipei midnight) in UTC."""
    days = month_days(year, month)
    end = datetime.combine(days[-1] + timedelta(days=1), time(0), tzinfo=TAIPEI)
    return days[0], days[-1], end.astimezone(UTC)


def subscriptions_in_month(session: Session, year: int, month: int) -> list[Order]:
    first, last, _ = month_bounds(year, month)
    return list(session.exec(select(Order).where(
        Order.status.in_(RAN_STATES), Order.starts_on.is_not(None), Order.starts_on <= last,
        or_(Order.ends_on.is_(None), Order.ends_on >= first)).order_by(Order.id)))


def _fee(order: Order, first: date, last: date) -> int:
    start = max(order.starts_on, first)
    end = min(order.ends_on or last, last)
    days_in_month = (last - first).days + 1
    active_days = (end - start).days + 1
    if active_days >= days_in_month:
        return month_fee_points(order.price_ntd, order.term_months)
    return month_fee_points(order.price_ntd, order.term_months, active_days=active_days,
                            days_in_month=days_in_month)


def _target_percent(session: Session, solution_id: int, orders: list[Order]) -> float:
    live = session.exec(select(SolutionVersion.availability_percent).where(
        SolutionVersion.solution_id == solution_id, SolutionVersion.state == "live")).first()
    return float(live if live is not None else orders[0].sla_snapshot["availability_percent"])


def run_month_end(session: Session, *, year: int, month: int, now: datetime | None = None,
                  availability_for: Callable | None = None,
                  credit: Callable | None = None) -> MonthEndSummary:
    """Evaluate one month for every solution (see the module docstring)."""
    now = now or utcnow()
    first, last, ends_at = month_bounds(year, month)
    if now < ends_at:
        raise ValueError("a month is evaluated only after it has ended")
    credit = credit or _default_credit
    by_solution: dict[int, list[Order]] = defaultdict(list)
    for order in subscriptions_in_month(session, year, month):
        by_solution[order.solution_id].append(order)
    availability_for = availability_for or _read_all_availability(
        session, list(by_solution), year, month)
    summary = MonthEndSummary(solutions=len(by_solution))
    period = month_period(year, month)
    for solution_id, orders in by_solution.items():
        _solution_month(session, solution_id, orders, year=year, month=month, period=period,
                        first=first, last=last, ends_at=ends_at, now=now,
                        availability=as_availability(
                            availability_for(session, solution_id, year, month)),
                        credit=credit, summary=summary)
    session.flush()
    return summary


def _done_keys(session: Session, solution_id: int, period: str, orders: list[Order]) -> set:
    keys = set(session.exec(select(Breach.key).where(Breach.solution_id == solution_id,
                                                     Breach.period == period)))
    keys.update(session.exec(select(CompensationStatement.credit_key).where(
        CompensationStatement.order_id.in_([o.id for o in orders]),
        CompensationStatement.period == period)))
    return keys


def _solution_month(session: Session, solution_id: int, orders: list[Order], *, year: int,
                    month: int, period: str, first: date, last: date, ends_at: datetime,
                    now: datetime, availability: Availability, credit: Callable,
                    summary: MonthEndSummary) -> None:
    target = _target_percent(session, solution_id, orders)
    by_id = {order.id: order for order in orders}
    subscriptions = [SubscriptionMonth(o.id, CompensationTerms.from_snapshot(o.sla_snapshot),
                                       _fee(o, first, last)) for o in orders]
    breaches, credits = month_end_actions(
        solution_id=solution_id, year=year, month=month, availability=availability,
        target_percent=target, subscriptions=subscriptions,
        done_keys=_done_keys(session, solution_id, period, orders))
    for found in breaches:
        breach = record_breach(
            session, key=found.key, solution_id=solution_id,
            vendor_organisation_id=orders[0].vendor_organisation_id, term=AVAILABILITY,
            period=period, subject=found.subject, opened_at=ends_at, closed_at=ends_at,
            details=found.details)
        summary.breaches += breach is not None
    breach_id = session.exec(select(Breach.id).where(
        Breach.key == breach_key(solution_id, AVAILABILITY, period, SOLUTION_SUBJECT))).first()
    fees = {s.subscription_id: s.fee_points for s in subscriptions}
    for found in credits:
        order = by_id[found.subscription_id]
        statement = CompensationStatement(
            credit_key=found.key, order_id=order.id, solution_id=solution_id,
            buyer_organisation_id=order.organisation_id,
            vendor_organisation_id=order.vendor_organisation_id, breach_id=breach_id,
            period=period, basis=found.decision.basis,
            availability_percent=found.decision.basis_percent, target_percent=target,
            credit_percent=found.decision.credit_percent, fee_points=fees[order.id],
            points=found.decision.points, credited_at=now, dispute_until=dispute_deadline(now))
        try:
            with session.begin_nested():
                session.add(statement)
        except IntegrityError:
            continue  # another run holds this credit key: it credits, this one does not
        paid = credit(session, order=order, period=period, points=found.decision.points,
                      key=credit_key(order.id, year, month),
                      reason=f"SLA availability {period}: "
                             f"{found.decision.basis_percent:.3f}% < {target}%")
        # `credited` means points reached the wallet; a card-only subscription's refund is
        # pending until the card refund job has sent it (its row says where it stands).
        statement.credited = paid is not None and order.programme_id is not None
        summary.statements += 1
        summary.points += found.decision.points
        _notify_statement(session, statement, order)


def _notify_statement(session: Session, statement: CompensationStatement, order: Order) -> None:
    values = {"solution": order.solution_name, "period": statement.period,
              "points": statement.points}
    by_card = order.programme_id is None
    notify_organisation(session, statement.buyer_organisation_id,
                        kind="sla.compensation_card" if by_card else "sla.compensation_credited",
                        values=values, link=f"/sla/compensation/{statement.id}")
    notify_organisation(session, statement.vendor_organisation_id,
                        kind=("sla.compensation_card_charged" if by_card
                              else "sla.compensation_charged"),
                        values=values, link=f"/sla/compensation/{statement.id}")


def previous_month(now: datetime) -> tuple[int, int]:
    local = now.astimezone(TAIPEI)
    return (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)


def month_end_job(session: Session, now: datetime) -> str:
    """The scheduled run: the month that ended last (runs on days 1-3 to catch up; idempotent)."""
    year, month = previous_month(now)
    summary = run_month_end(session, year=year, month=month, now=now)
    return (f"{month_period(year, month)}: {summary.solutions} solutions, "
            f"{summary.breaches} breaches, {summary.statements} statements, "
            f"{summary.points} points")
