"""The release job run by several processes at once releases each month exactly once.

Real commits on a database of each kind (the shared test database rolls back, so it cannot
show what concurrent commits do); threads released together by a barrier.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from tcloud.db import transaction
from tcloud.points import applications, fulfilment, ledger, programmes, releases
from tcloud.points.order_models import COMPLETED, Order, OrderRelease
from tcloud.uploads import services as uploads
from tests.conftest import DATABASES
from tests.factories import Factories
from tests.points.conftest import PDF, programme_values
from tests.points.order_factory import build_order
from tests.points.test_races import UPLOADS, committed_database, run_threads, write_session

RUNNERS = 6
ORDERS = 3
START = date(2026, 1, 15)


def arrange(engine) -> list[int]:
    """A vendor's listing and ORDERS activated, confirmed orders of 12,005 points each."""
    db = write_session(engine)
    factories = Factories(db)
    admin = factories.staff("admin")
    programme = programmes.create_programme(db, admin=admin, values=programme_values(
        total_budget=1_000_000, opens_on=date(2025, 12, 1)), reason="race")
    db.commit()
    vendor = factories.approved_vendor()
    version = factories.listing(vendor)
    order_ids = []
    for _ in range(ORDERS):
        buyer = factories.business()
        proof = uploads.store_upload(
            db, stream=io.BytesIO(PDF), original_name="p.pdf",
            owner_organisation_id=buyer.organisation_id, uploaded_by_id=buyer.id,
            purpose="registration_proof", allowed_kinds=("pdf",), folder=UPLOADS,
            field="proof")
        applications.apply(db, user=buyer, programme_id=programme.id,
                           answers=applications.Answers("company", 5, "林"),
                           proof_upload_id=proof.id, today=date(2025, 12, 20))
        order = build_order(db, buyer=buyer, version=version, programme=programme,
                            points=12_005)
        order.paid_at = datetime(2026, 1, 1, tzinfo=UTC)
        db.commit()
        fulfilment.activate(db, order_id=order.id, vendor=vendor, notes="ok", starts_on=START,
                            today=START)
        order.use_confirmed_at = datetime(2026, 1, 16, tzinfo=UTC)  # confirmed, none released
        db.add(order)
        db.commit()
        order_ids.append(order.id)
    db.close()
    return order_ids


@pytest.mark.parametrize("kind", DATABASES)
def test_concurrent_release_jobs_release_each_month_once(empty_database_url, kind):
    with committed_database(empty_database_url, kind) as engine:
        order_ids = arrange(engine)
        day = date(2027, 2, 1)  # every month due and the term over

        def run_job(_i):
            with write_session(engine) as db, transaction(db):
                return releases.release_due(db, day)

        outcomes = run_threads(run_job, RUNNERS)
        assert [o for o in outcomes if isinstance(o, Exception)] == []
        assert sum(outcomes) == ORDERS * 12_005
        with write_session(engine) as db:
            rows = db.execute(select(OrderRelease.order_id, func.count(), func.sum(
                OrderRelease.points)).group_by(OrderRelease.order_id)).all()
            assert sorted(rows) == [(order_id, 12, 12_005) for order_id in sorted(order_ids)]
            for order_id in order_ids:
                order = db.get(Order, order_id)
                assert (order.points_released, order.status) == (12_005, COMPLETED)
                escrow = ledger.account_by_code(db, ledger.escrow_code(order.reference))
                assert escrow.balance == 0
            vendor = db.get(Order, order_ids[0]).vendor_organisation_id
            receivable = ledger.account_by_code(db, ledger.receivable_code(
                db.get(Order, order_ids[0]).programme_id, vendor))
            assert receivable.balance == ORDERS * 12_005
