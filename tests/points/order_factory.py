"""Orders for aftercare tests, built directly: a granted buyer, a listed plan, points held.

Checkout (quotes, contracts, Stripe) is tested elsewhere; aftercare only needs an order in
state `placed` whose points sit in its escrow under the key checkout uses (`hold:{ref}`).
Import `world_fixture` into a test module to get the `world` fixture.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta

import pytest
from sqlmodel import select

from tcloud.catalog.models import SolutionPlan
from tcloud.clock import utcnow
from tcloud.points import movements
from tcloud.points.order_models import PLACED, Order
from tests.points.conftest import programme_values

_serial = itertools.count(1)


def plan_of(db, version) -> SolutionPlan:
    return db.exec(select(SolutionPlan).where(SolutionPlan.version_id == version.id)
                   .order_by(SolutionPlan.position)).first()


def build_order(db, *, buyer, version, programme, points: int, term_months: int = 12,
                card: int = 0, renewal_of: Order | None = None) -> Order:
    """An order in state `placed` with `points` held in escrow (the caller commits)."""
    plan = plan_of(db, version)
    text = f"合約 {version.name} {plan.name} {next(_serial)}"
    order = Order(
        reference=f"TT-{next(_serial):04d}{buyer.organisation_id:04d}"[:20],
        organisation_id=buyer.organisation_id,
        vendor_organisation_id=_vendor_of(db, version), solution_id=version.solution_id,
        version_id=version.id, plan_id=plan.id,
        programme_id=programme.id if points else None,
        renewal_of_order_id=renewal_of.id if renewal_of else None,
        solution_name=version.name, plan_name=plan.name, billing_period=plan.billing_period,
        seats=plan.seats, term_months=term_months, price_ntd=points + card,
        points_applied=points, card_amount_ntd=card,
        sla_snapshot={"availability_percent": version.availability_percent},
        contract_version=1, contract_text=text,
        contract_sha256=hashlib.sha256(text.encode()).hexdigest(),
        accepted_by_id=buyer.id, accepted_at=utcnow(), status=PLACED, paid_at=utcnow())
    db.add(order)
    db.flush()
    if points:
        movements.hold(db, programme_id=programme.id, organisation_id=buyer.organisation_id,
                       order_ref=order.reference, points=points,
                       key=f"hold:{order.reference}", description=order.reference,
                       actor_id=buyer.id)
    return order


def _vendor_of(db, version) -> int:
    from tcloud.catalog.models import Solution

    return db.get(Solution, version.solution_id).vendor_organisation_id


class OrderWorld:
    """A programme, a vendor with a listing, and helpers to make granted buyers and orders."""

    def __init__(self, db, factories, make_programme, apply_for) -> None:
        self.db, self.factories, self.apply_for = db, factories, apply_for
        self.programme = make_programme(**programme_values(
            total_budget=3_000_000, opens_on=date.today() - timedelta(days=400),
            points_expire_on=date.today() + timedelta(days=800)))
        self.vendor = factories.approved_vendor()
        self.version = factories.listing(self.vendor)

    def buyer(self):
        user = self.factories.business()
        self.apply_for(user, self.programme)
        return user

    def order(self, *, buyer=None, points: int = 12_000, term_months: int = 12, card: int = 0,
              version=None, renewal_of=None) -> Order:
        order = build_order(self.db, buyer=buyer or self.buyer(),
                            version=version or self.version, programme=self.programme,
                            points=points, term_months=term_months, card=card,
                            renewal_of=renewal_of)
        self.db.commit()
        return order


@pytest.fixture(name="world")
def world_fixture(db, factories, make_programme, apply_for) -> OrderWorld:
    return OrderWorld(db, factories, make_programme, apply_for)
