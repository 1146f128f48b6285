"""Scheduled points work: expiry, monthly releases, renewal reminders and rates, vendor
statements. Plain functions taking a session; the caller commits.

Points can be used through the end of the programme's expiry date (Taiwan time). From the
next day, `expire_due_wallets` moves every remaining wallet balance to the programme's expired
account, one ledger transaction per wallet keyed `expiry:<wallet>:<its last entry>` and read
under the wallet's lock, so running it twice, or two runs at once, moves nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session

from tcloud.clock import to_taipei
from tcloud.points import models as m
from tcloud.points import movements, releases, renewals, settlement
from tcloud.scheduling import ScheduledJob


def due_wallets(session: Session, today: date, limit: int) -> list[m.LedgerAccount]:
    # Programme first (few have expired), then its wallets by the wallet index.
    expired = select(m.Programme.id).where(m.Programme.points_expire_on < today)
    query = (select(m.LedgerAccount)
             .where(m.is_wallet(), m.LedgerAccount.programme_id.in_(expired),
                    m.LedgerAccount.balance > 0)
             .order_by(m.LedgerAccount.id).limit(limit))
    return list(session.execute(query).scalars())


def expire_due_wallets(session: Session, *, today: date, limit: int = 500) -> int:
    """Expire up to `limit` wallets whose programme's points have expired; how many moved."""
    moved = 0
    for wallet in due_wallets(session, today, limit):
        posted = movements.expire_wallet(
            session, wallet_account=wallet,
            description=_expiry_date(session, wallet))
        if posted is not None and not posted.replayed:
            moved += 1
    return moved


def _expiry_date(session: Session, wallet: m.LedgerAccount) -> str:
    return session.get(m.Programme, wallet.programme_id).points_expire_on.isoformat()


# --- the scheduler's daily points jobs (tcloud/scheduling.py) -------------------------------
# Each takes "today" in Taiwan time from `now`; each is idempotent, so a catch-up run after a
# restart changes nothing twice.

def _today(now: datetime) -> date:
    return to_taipei(now).date()


def run_expiry(session: Session, now: datetime) -> int:
    return expire_due_wallets(session, today=_today(now))


def run_releases(session: Session, now: datetime) -> int:
    return releases.release_due(session, _today(now))


def run_renewal_reminders(session: Session, now: datetime) -> int:
    return renewals.remind_due(session, _today(now))


def run_renewal_rates(session: Session, now: datetime) -> int:
    return renewals.update_rates(session, _today(now))


def run_statements(session: Session, now: datetime) -> int:
    """Last month's statements; daily, so a missed 1st is caught up the next day."""
    return settlement.generate_last_month(session, _today(now))


SCHEDULED_JOBS = [
    ScheduledJob("points.expire_wallets", run_expiry, cron={"hour": 0, "minute": 5}),
    ScheduledJob("points.release_months", run_releases, cron={"hour": 0, "minute": 20}),
    ScheduledJob("points.renewal_reminders", run_renewal_reminders,
                 cron={"hour": 9, "minute": 0}),
    ScheduledJob("points.renewal_rates", run_renewal_rates, cron={"hour": 1, "minute": 0}),
    ScheduledJob("points.vendor_statements", run_statements, cron={"hour": 2, "minute": 0}),
]
