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
from tcloud.points.contracts import sla_snapshot
from tcloud.points.order_models import ACTIVE
from tests.points.order_factory import OrderWorld, build_order


def snapshot_of(version: SolutionVersion, **overrides) -> dict:
    """The snapshot checkout takes (contracts.sla_snapshot), with terms changed for a test."""
    return {**sla_snapshot(version), **overrides}


class SlaWorld(OrderWorld):
    """OrderWorld's programme, vendor and granted buyers, plus active subscriptions."""

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
