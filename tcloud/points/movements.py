"""The named movements of points, each one `post_movement` with a fixed shape.

    budget change   funding      -> budget         (or back, when a budget is lowered)
    grant           budget       -> wallet
    hold            wallet       -> order escrow   (checkout)
    release         order escrow -> wallet         (payment failed, order cancelled)
    capture         order escrow -> vendor receivable   (month by month over the term)
    refund          vendor receivable -> wallet    (an administrator's reversal)
    compensation    compensation -> wallet         (SLA breach; recovered at settlement)
    expiry          wallet       -> expired

Orders, settlement and SLA compensation (later issues) call these with their own keys.
"""

from __future__ import annotations

from sqlmodel import Session

from tcloud.points import ledger
from tcloud.points import models as m
from tcloud.points.ledger import Posted

BUDGET_FUNDING = "budget_funding"
BUDGET_REDUCTION = "budget_reduction"
GRANT = "grant"
HOLD = "hold"
RELEASE = "release"
CAPTURE = "capture"
REFUND = m.REFUND_MOVEMENT
COMPENSATION = "compensation"
EXPIRY = "expiry"
KINDS = (BUDGET_FUNDING, BUDGET_REDUCTION, GRANT, HOLD, RELEASE, CAPTURE, REFUND,
         COMPENSATION, EXPIRY)


def programme_accounts(session: Session, programme_id: int) -> dict[str, m.LedgerAccount]:
    """The programme's own accounts (created on first use)."""
    specs = {
        m.FUNDING: ledger.funding_code(programme_id),
        m.BUDGET: ledger.budget_code(programme_id),
        m.EXPIRED: ledger.expired_code(programme_id),
        m.COMPENSATION: ledger.compensation_code(programme_id),
    }
    return {kind: ledger.open_account(session, code=code, kind=kind, programme_id=programme_id)
            for kind, code in specs.items()}


def wallet(session: Session, programme_id: int, organisation_id: int) -> m.LedgerAccount:
    return ledger.open_account(session, code=ledger.wallet_code(programme_id, organisation_id),
                               kind=m.WALLET, programme_id=programme_id,
                               organisation_id=organisation_id)


def change_budget(session: Session, *, programme_id: int, delta: int, key: str,
                  description: str, actor_id: int | None = None) -> Posted | None:
    """Add `delta` points to the programme's budget (negative: take them back to funding)."""
    if delta == 0:
        return None
    accounts = programme_accounts(session, programme_id)
    return ledger.post_movement(
        session, key=key, kind=BUDGET_FUNDING if delta > 0 else BUDGET_REDUCTION,
        description=description, programme_id=programme_id, actor_id=actor_id,
        entries=[(accounts[m.FUNDING], -delta), (accounts[m.BUDGET], delta)])


def grant_key(programme_id: int, tax_id: str) -> str:
    # One grant per tax ID per programme is also one key: a second grant can only replay.
    return f"grant:{programme_id}:{tax_id}"


def grant(session: Session, *, programme_id: int, organisation_id: int, tax_id: str,
          points: int, description: str, actor_id: int | None = None) -> Posted:
    budget = ledger.account_by_code(session, ledger.budget_code(programme_id))
    target = wallet(session, programme_id, organisation_id)
    return ledger.post_movement(
        session, key=grant_key(programme_id, tax_id), kind=GRANT, description=description,
        programme_id=programme_id, actor_id=actor_id,
        entries=[(budget, -points), (target, points)])


def order_escrow_account(programme_id: int, organisation_id: int,
                         order_ref: str) -> ledger.AccountByCode:
    """The order's escrow account (one per order, usually new at checkout), opened on use."""
    return ledger.AccountByCode(code=ledger.escrow_code(order_ref), kind=m.ESCROW,
                                programme_id=programme_id, organisation_id=organisation_id,
                                reference=order_ref)


def hold(session: Session, *, programme_id: int, organisation_id: int, order_ref: str,
         points: int, key: str, description: str, actor_id: int | None = None) -> Posted:
    """Hold points from the business's wallet in the order's escrow (checkout).

    The wallet is named by its code, so finding it, locking it, checking its balance and
    opening the escrow are all one step (one round trip on PostgreSQL): checkout reads
    nothing first. A wallet short of points raises InsufficientPoints, with its balance.
    """
    source = ledger.ExistingAccount(ledger.wallet_code(programme_id, organisation_id))
    return ledger.post_movement(
        session, key=key, kind=HOLD, description=description, programme_id=programme_id,
        actor_id=actor_id,
        entries=[(source, -points),
                 (order_escrow_account(programme_id, organisation_id, order_ref), points)])


def _escrow_and_wallet(session: Session, order_ref: str):
    escrow = ledger.account_by_code(session, ledger.escrow_code(order_ref))
    if escrow is None:
        raise LookupError(f"no escrow for order {order_ref}")
    return escrow, wallet(session, escrow.programme_id, escrow.organisation_id)


def release(session: Session, *, order_ref: str, points: int, key: str, description: str,
            actor_id: int | None = None) -> Posted:
    escrow, target = _escrow_and_wallet(session, order_ref)
    return ledger.post_movement(
        session, key=key, kind=RELEASE, description=description,
        programme_id=escrow.programme_id, actor_id=actor_id,
        entries=[(escrow, -points), (target, points)])


def vendor_receivable(session: Session, programme_id: int,
                      vendor_organisation_id: int) -> m.LedgerAccount:
    return ledger.open_account(
        session, code=ledger.receivable_code(programme_id, vendor_organisation_id),
        kind=m.RECEIVABLE, programme_id=programme_id, organisation_id=vendor_organisation_id)


def capture(session: Session, *, order_ref: str, vendor_organisation_id: int, points: int,
            key: str, description: str, actor_id: int | None = None) -> Posted:
    escrow, _ = _escrow_and_wallet(session, order_ref)
    receivable = vendor_receivable(session, escrow.programme_id, vendor_organisation_id)
    return ledger.post_movement(
        session, key=key, kind=CAPTURE, description=description,
        programme_id=escrow.programme_id, actor_id=actor_id,
        entries=[(escrow, -points), (receivable, points)])


def refund(session: Session, *, order_ref: str, vendor_organisation_id: int, points: int,
           key: str, description: str, actor_id: int | None = None) -> Posted:
    """Reverse captured points from the vendor's receivable back to the buyer's wallet."""
    escrow, target = _escrow_and_wallet(session, order_ref)
    receivable = vendor_receivable(session, escrow.programme_id, vendor_organisation_id)
    return ledger.post_movement(
        session, key=key, kind=REFUND, description=description,
        programme_id=escrow.programme_id, actor_id=actor_id,
        entries=[(receivable, -points), (target, points)])


def compensate(session: Session, *, wallet_account: m.LedgerAccount, points: int, key: str,
               description: str, actor_id: int | None = None) -> Posted:
    pool = programme_accounts(session, wallet_account.programme_id)[m.COMPENSATION]
    return ledger.post_movement(
        session, key=key, kind=COMPENSATION, description=description,
        programme_id=wallet_account.programme_id, actor_id=actor_id,
        entries=[(pool, -points), (wallet_account, points)])


def expiry_key(wallet_account_id: int, last_entry_id: int) -> str:
    # Per wallet and per state of the wallet: a rerun finds the same key (and a zero balance),
    # while points that reach the wallet after an expiry can still expire later.
    return f"expiry:{wallet_account_id}:{last_entry_id}"


def expire_wallet(session: Session, *, wallet_account: m.LedgerAccount,
                  description: str) -> Posted | None:
    """Move a wallet's whole balance, read under the lock, to the expired account."""
    ledger.lock_accounts(session, [wallet_account.id])
    balance = ledger.refresh_balance(session, wallet_account)
    if balance <= 0:
        return None
    expired = programme_accounts(session, wallet_account.programme_id)[m.EXPIRED]
    key = expiry_key(wallet_account.id, ledger.last_entry_id(session, wallet_account.id))
    return ledger.post_movement(
        session, key=key,
        kind=EXPIRY, description=description,
        programme_id=wallet_account.programme_id,
        entries=[(wallet_account, -balance), (expired, balance)])


def compensate_from_receivable(session: Session, *, wallet_account: m.LedgerAccount,
                               vendor_organisation_id: int, points: int, key: str,
                               description: str, actor_id: int | None = None) -> Posted:
    """SLA compensation paid straight out of the vendor's receivable (it covers the amount)."""
    receivable = vendor_receivable(session, wallet_account.programme_id, vendor_organisation_id)
    return ledger.post_movement(
        session, key=key, kind=COMPENSATION, description=description,
        programme_id=wallet_account.programme_id, actor_id=actor_id,
        entries=[(receivable, -points), (wallet_account, points)])


def vendor_paid_out(session: Session, programme_id: int,
                    vendor_organisation_id: int) -> m.LedgerAccount:
    return ledger.open_account(
        session, code=f"paid_out:{programme_id}:{vendor_organisation_id}", kind=m.PAID_OUT,
        programme_id=programme_id, organisation_id=vendor_organisation_id)


PAYOUT = "payout"


def settle_vendor(session: Session, *, vendor_organisation_id: int,
                  amounts: dict[int, tuple[int, int]], key: str, description: str,
                  actor_id: int | None = None) -> Posted | None:
    """Settle a statement: per programme, (recovered, paid) points leave the receivable.

    `recovered` goes back to the programme's compensation account (which advanced credits
    the receivable could not cover); `paid` goes to the vendor's paid-out account. One
    transaction for all programmes; each programme's entries sum to zero by themselves.
    """
    entries: list[tuple[m.LedgerAccount, int]] = []
    for programme_id, (recovered, paid) in sorted(amounts.items()):
        if recovered + paid == 0:
            continue
        entries.append((vendor_receivable(session, programme_id, vendor_organisation_id),
                        -(recovered + paid)))
        if recovered:
            entries.append((programme_accounts(session, programme_id)[m.COMPENSATION],
                            recovered))
        if paid:
            entries.append((vendor_paid_out(session, programme_id, vendor_organisation_id),
                            paid))
    if not entries:
        return None
    programme_ids = {programme_id for programme_id in amounts}
    return ledger.post_movement(
        session, key=key, kind=PAYOUT, description=description,
        programme_id=next(iter(programme_ids)) if len(programme_ids) == 1 else None,
        actor_id=actor_id, entries=entries)
