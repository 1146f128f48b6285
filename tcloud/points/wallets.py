"""What a business sees of its points: wallets, their statements, CSV, expiry warnings."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlmodel import Session

from tcloud.errors import NotFound
from tcloud.i18n import format_taipei
from tcloud.points import ledger
from tcloud.points import models as m
from tcloud.points.labels import MOVEMENT_LABELS
from tcloud.points.ledger_rules import days_until_expiry, expiry_warning


@dataclass(frozen=True)
class WalletView:
    account: m.LedgerAccount
    programme: m.Programme
    rows: list
    warning: int | None
    days_left: int


def wallets_of(session: Session, organisation_id: int) -> list[tuple[m.LedgerAccount,
                                                                      m.Programme]]:
    return list(session.execute(
        select(m.LedgerAccount, m.Programme)
        .join(m.Programme, m.Programme.id == m.LedgerAccount.programme_id)
        .where(m.is_wallet(),
               m.LedgerAccount.organisation_id == organisation_id)
        .order_by(m.Programme.points_expire_on)).all())


def wallet_view(session: Session, account_id: int, *, today: date,
                organisation_id: int | None = None) -> WalletView:
    """A wallet with every movement; `organisation_id` (a business) must own it."""
    account = session.get(m.LedgerAccount, account_id)
    if account is None or account.kind != m.WALLET or (
            organisation_id is not None and account.organisation_id != organisation_id):
        raise NotFound(_l("That wallet does not exist or is not yours to see."))
    programme = session.get(m.Programme, account.programme_id)
    return WalletView(account=account, programme=programme,
                      rows=ledger.statement(session, account.id),
                      warning=expiry_warning(today, programme.points_expire_on),
                      days_left=days_until_expiry(today, programme.points_expire_on))


def find_wallets(session: Session, *, tax_id: str = "", limit: int = 50):
    """Administrators: wallets of a business found by its tax ID (or the newest ones)."""
    from tcloud.accounts.models import Organisation

    query = (select(m.LedgerAccount, m.Programme, Organisation)
             .join(m.Programme, m.Programme.id == m.LedgerAccount.programme_id)
             .join(Organisation, Organisation.id == m.LedgerAccount.organisation_id)
             .where(m.is_wallet()))
    if tax_id:
        query = query.where(Organisation.tax_id == tax_id)
    return list(session.execute(query.order_by(m.LedgerAccount.id.desc()).limit(limit)).all())


def _csv_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def statement_csv(view: WalletView) -> str:
    """The wallet's movements as CSV, UTF-8 with a BOM so Excel in Taiwan opens it."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(_l("Date and time (Taiwan)")), str(_l("Movement")),
                     str(_l("Details")), str(_l("Points")), str(_l("Balance"))])
    for row in view.rows:
        # Amounts are written as plain numbers (a leading minus is a number, not a formula).
        writer.writerow([format_taipei(row.created_at), str(MOVEMENT_LABELS.get(row.kind,
                                                                                row.kind)),
                         _csv_safe(row.description), row.amount, row.balance_after])
    return out.getvalue()
