"""Quotes: the price of one plan for one business, what its points pay, and the card rest.

A quote covers a twelve-month term (a year plan: one year at its price; a month plan: twelve
months). Points applied are min(wallet balance, price) from the business's spendable wallet
(the programme whose points expire first); the card pays the rest. A quote is valid for
QUOTE_VALID_FOR; validity is checked where it is used (checkout), so no job is needed.

Rules checked here, each with a message the business can act on: the listing is live and its
vendor approved; the plan's seats fit the business's employee count; subsidy points pay for a
first adoption only (also a partial unique index on orders, which checkout relies on).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts.choices import ROLE_BUSINESS
from tcloud.accounts.models import Organisation, User
from tcloud.catalog import browse
from tcloud.catalog.models import SolutionPlan, SolutionVersion
from tcloud.clock import to_taipei, utcnow
from tcloud.errors import Conflict, DomainError, NotFound, PermissionDenied
from tcloud.points import models as m
from tcloud.points.order_models import CANCELLED, Order, Quote

QUOTE_VALID_FOR = timedelta(hours=24)
TERM_MONTHS = 12


class QuoteExpired(Conflict):
    def __init__(self) -> None:
        super().__init__(_l("This quote has expired. Get a new quote: prices and your points "
                            "balance are checked again."))


class FirstAdoptionUsed(Conflict):
    def __init__(self) -> None:
        super().__init__(_l("Your subsidy points have already paid for this solution. Points "
                            "pay for a first adoption only; you can still buy it by card."))


def term_price(plan: SolutionPlan) -> tuple[int, int]:
    """(term in months, price for the term in NT$)."""
    if plan.billing_period == "month":
        return TERM_MONTHS, plan.price_ntd * TERM_MONTHS
    return TERM_MONTHS, plan.price_ntd


def spendable_wallet(session: Session, organisation_id: int,
                     now: datetime | None = None) -> m.LedgerAccount | None:
    """The wallet points are spent from: positive balance, not expired, expiring first."""
    today = to_taipei(now or utcnow()).date()
    return session.execute(
        select(m.LedgerAccount)
        .join(m.Programme, m.Programme.id == m.LedgerAccount.programme_id)
        .where(m.is_wallet(),
               m.LedgerAccount.organisation_id == organisation_id,
               m.LedgerAccount.balance > 0, m.Programme.points_expire_on >= today)
        .order_by(m.Programme.points_expire_on, m.LedgerAccount.id).limit(1)).scalar()


def points_already_spent_on(session: Session, organisation_id: int, solution_id: int) -> bool:
    return session.execute(select(Order.id).where(
        Order.organisation_id == organisation_id, Order.solution_id == solution_id,
        Order.points_applied > 0, Order.status != CANCELLED).limit(1)).first() is not None


def live_plan(session: Session, plan_id: int) -> tuple[SolutionPlan, SolutionVersion]:
    """The plan and its listing version, if that version is the live, public one."""
    plan = session.get(SolutionPlan, plan_id)
    if plan is None:
        raise NotFound(_l("That plan does not exist."))
    version = session.get(SolutionVersion, plan.version_id)
    _, live = browse.public_version(session, version.solution_id)  # live, vendor approved
    if live.id != version.id:
        raise Conflict(_l("This listing has changed since you opened it. Choose a plan "
                          "from the solution page again."))
    return plan, version


def price_quote(session: Session, *, organisation_id: int, plan_id: int, user: User,
                use_points: bool = True, now: datetime | None = None) -> Quote:
    """The quote a business would get now, checked against every rule, not yet saved."""
    if user.role != ROLE_BUSINESS or user.organisation_id != organisation_id:
        raise PermissionDenied(_l("Only the business itself can ask for a quote."))
    now = now or utcnow()
    plan, version = live_plan(session, plan_id)
    employees = session.get(Organisation, organisation_id).employee_count
    if employees is None:
        raise DomainError(_l("Add your number of employees to your business profile first: "
                             "a plan may not have more users than you have employees."))
    if plan.seats > employees:
        raise DomainError(_l("This plan is for %(seats)s users, more than your %(employees)s "
                             "employees. Choose a smaller plan.",
                             seats=plan.seats, employees=employees), field="plan")
    term_months, price = term_price(plan)
    wallet = spendable_wallet(session, organisation_id, now) if use_points else None
    points = min(wallet.balance, price) if wallet is not None else 0
    if points > 0 and points_already_spent_on(session, organisation_id, version.solution_id):
        raise FirstAdoptionUsed()
    return Quote(
        organisation_id=organisation_id, solution_id=version.solution_id,
        version_id=version.id, plan_id=plan.id,
        programme_id=wallet.programme_id if points > 0 else None,
        seats=plan.seats, term_months=term_months, price_ntd=price, points_applied=points,
        card_amount_ntd=price - points, valid_until=now + QUOTE_VALID_FOR,
        created_by_id=user.id, created_at=now)


def create_quote(session: Session, *, organisation_id: int, plan_id: int, user: User,
                 use_points: bool = True, now: datetime | None = None) -> Quote:
    """Price a plan for a business (see `price_quote`) and save the quote."""
    quote = price_quote(session, organisation_id=organisation_id, plan_id=plan_id, user=user,
                        use_points=use_points, now=now)
    session.add(quote)
    session.flush()
    return quote


def get_quote(session: Session, quote_id: int, *, organisation_id: int) -> Quote:
    quote = session.get(Quote, quote_id)
    if quote is None or quote.organisation_id != organisation_id:
        raise NotFound(_l("That quote does not exist or is not yours."))
    return quote


def is_expired(quote: Quote, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= quote.valid_until


def order_of_quote(session: Session, quote_id: int) -> Order | None:
    return session.execute(select(Order).where(Order.quote_id == quote_id)).scalar()
