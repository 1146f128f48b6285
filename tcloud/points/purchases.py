"""What a business has bought and can spend, read for other domains (the advisor).

The advisor may not reach into order or ledger tables; it asks here. Purchases count once the
order is paid (placed) and stay counted when it runs, completes or ends early (terminated):
the business did buy it. Orders still awaiting payment or cancelled before activation do not.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session

from tcloud.clock import to_taipei, utcnow
from tcloud.points import models as m
from tcloud.points.order_models import ACTIVE, COMPLETED, PLACED, TERMINATED, Order

BOUGHT_STATES = (PLACED, ACTIVE, COMPLETED, TERMINATED)


def solutions_bought_since(session: Session, organisation_id: int, since: datetime,
                           until: datetime | None = None) -> set[int]:
    """Solutions of orders the business created in [since, until) that were paid."""
    query = select(Order.solution_id).where(Order.organisation_id == organisation_id,
                                            Order.status.in_(BOUGHT_STATES),
                                            Order.created_at >= since)
    if until is not None:
        query = query.where(Order.created_at < until)
    return set(session.execute(query).scalars().all())


def spendable_points(session: Session, organisation_id: int,
                     now: datetime | None = None) -> int | None:
    """Points the business can spend now (unexpired wallets); None if it has no wallet yet."""
    today = to_taipei(now or utcnow()).date()
    wallets = session.execute(
        select(func.count(m.LedgerAccount.id), func.coalesce(func.sum(m.LedgerAccount.balance), 0))
        .join(m.Programme, m.Programme.id == m.LedgerAccount.programme_id)
        .where(m.is_wallet(),
               m.LedgerAccount.organisation_id == organisation_id,
               m.Programme.points_expire_on >= today)).one()
    return int(wallets[1]) if wallets[0] else None
