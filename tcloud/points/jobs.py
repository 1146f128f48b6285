"""Scheduled points work: expiry. Plain functions taking a session; the caller commits.

Points can be used through the end of the programme's expiry date (Taiwan time). From the
next day, `expire_due_wallets` moves every remaining wallet balance to the programme's expired
account, one ledger transaction per wallet keyed `expiry:<wallet>:<its last entry>` and read
under the wallet's lock, so running it twice, or two runs at once, moves nothing twice.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from tcloud.points import models as m
from tcloud.points import movements


def due_wallets(session: Session, today: date, limit: int) -> list[m.LedgerAccount]:
    query = (select(m.LedgerAccount)
             .join(m.Programme, m.Programme.id == m.LedgerAccount.programme_id)
             .where(m.LedgerAccount.kind == m.WALLET, m.LedgerAccount.balance > 0,
                    m.Programme.points_expire_on < today)
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
