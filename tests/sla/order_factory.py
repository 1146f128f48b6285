"""Active subscriptions for SLA tests: a vendor's listing, a granted buyer, an active order.

Built on tests/points/order_factory.build_order (points held in escrow from a granted wallet),
then activated with a full snapshot of the listing's five SLA terms, as checkout and activation
would leave it. Import `sla_world_fixture` into a test module to get the `sla_world` fixture.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tcloud.catalog.models import SolutionVersion
from tcloud.clock import utcnow
from tcloud.points.order_models import ACTIVE
from tests.points.conftest import programme_values
from tests.points.order_factory import build_order

SLA_SNAPSHOT_FIELDS = ("availability_percent", "support_windows", "covers_national_holidays",
                       "support_channels", "compensation_tiers", "compensation_cap_percent",
                       "response_minutes", "rpo_minutes")


def snapshot_of(version: SolutionVersion, **overrides) -> dict:
    snapshot = {name: getattr(version, name) for name in SLA_SNAPSHOT_FIELDS}
    snapshot.update(overrides)
    return snapshot


class SlaWorld:
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

    def subscription(self, *, buyer=None, version=None, points: int = 12_000,
                     term_months: int = 12, starts_on: date | None = None,
                     snapshot: dict | None = None, **snapshot_overrides):
        """An active order (term from `starts_on`, default 60 days ago) with its SLA snapshot."""
        version = version or self.version
        order = build_order(self.db, buyer=buyer or self.buyer(), version=version,
                            programme=self.programme, points=points, term_months=term_months)
        starts_on = starts_on or date.today() - timedelta(days=60)
        order.sla_snapshot = snapshot or snapshot_of(version, **snapshot_overrides)
        order.status, order.activated_at = ACTIVE, utcnow() - timedelta(days=60)
        order.activated_by_id = self.vendor.id
        order.starts_on = starts_on
        order.ends_on = starts_on + timedelta(days=30 * term_months)
        self.db.add(order)
        self.db.commit()
        return order


@pytest.fixture(name="sla_world")
def sla_world_fixture(db, factories, make_programme, apply_for) -> SlaWorld:
    return SlaWorld(db, factories, make_programme, apply_for)
