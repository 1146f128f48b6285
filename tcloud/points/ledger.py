"""The double-entry points ledger: accounts, and `post_movement`, the one way points move.

Every movement (grant, hold, capture, release, refund, compensation, expiry, budget change)
is one `LedgerTransaction` with a unique idempotency key and entries that sum to zero. The
accounts it touches are locked (SELECT ... FOR UPDATE on PostgreSQL; the write transaction's
BEGIN IMMEDIATE lock on SQLite) in id order, so concurrent movements queue instead of
overspending, and their balances are updated in the same transaction as the entries. Posting
a key that already exists returns the existing transaction and changes nothing, so a retried
request never moves points twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from tcloud.clock import utcnow
from tcloud.db import WRITE_OPTION, LockingError
from tcloud.errors import Conflict
from tcloud.points import bulk
from tcloud.points import models as m
from tcloud.points.ledger_rules import merged_entries
from tcloud.points.ledger_statements import AccountByCode, ExistingAccount, OneMovement, post_one

SMALL = 16
# An entry's account: its id, the account itself, an account opened by code if missing (an
# order's escrow), or one named by code that must exist (a buyer's wallet).
AccountRef = int | m.LedgerAccount | AccountByCode | ExistingAccount
_accounts = m.LedgerAccount.__table__
_transactions = m.LedgerTransaction.__table__
_entries = m.LedgerEntry.__table__


class InsufficientPoints(Conflict):
    """A movement would take an account below zero."""

    def __init__(self, account_kind: str, balance: int, needed: int) -> None:
        if account_kind == m.BUDGET:
            message = _l("The programme budget has %(left)s points left, not enough for "
                         "%(needed)s.", left=f"{balance:,}", needed=f"{needed:,}")
        else:
            message = _l("Not enough points: %(left)s available, %(needed)s needed.",
                         left=f"{balance:,}", needed=f"{needed:,}")
        super().__init__(message)
        self.account_kind, self.balance, self.needed = account_kind, balance, needed


@dataclass
class Movement:
    """A movement to post: entries are (account, amount); see `AccountRef` for accounts."""

    key: str
    kind: str
    description: str
    entries: Sequence[tuple[AccountRef, int]]
    programme_id: int | None = None
    actor_id: int | None = None
    merged: list[tuple[int, int]] = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Posted:
    transaction_id: int
    replayed: bool


# --- accounts -------------------------------------------------------------------------------

def budget_code(programme_id: int) -> str:
    return f"budget:{programme_id}"


def funding_code(programme_id: int) -> str:
    return f"funding:{programme_id}"


def expired_code(programme_id: int) -> str:
    return f"expired:{programme_id}"


def compensation_code(programme_id: int) -> str:
    return f"compensation:{programme_id}"


def wallet_code(programme_id: int, organisation_id: int) -> str:
    return f"wallet:{programme_id}:{organisation_id}"


def escrow_code(order_ref: str) -> str:
    return f"escrow:{order_ref}"


def receivable_code(programme_id: int, vendor_organisation_id: int) -> str:
    return f"receivable:{programme_id}:{vendor_organisation_id}"


def account_by_code(session: Session, code: str) -> m.LedgerAccount | None:
    return session.execute(select(m.LedgerAccount)
                           .where(m.LedgerAccount.code == code)).scalars().first()


def open_account_id(session: Session, *, code: str, kind: str,
                    programme_id: int | None = None, organisation_id: int | None = None,
                    reference: str | None = None) -> int:
    """The id of the account with this code, created empty if it does not exist (race-safe).

    INSERT ... ON CONFLICT DO NOTHING: a request creating the same account at the same moment
    waits for the other and then finds its row; no savepoint and no error to recover from.
    """
    insert_row = (sqlite_insert if session.get_bind().dialect.name == "sqlite"
                  else postgresql_insert)(_accounts)
    created = session.execute(insert_row.values(
        code=code, kind=kind, programme_id=programme_id, organisation_id=organisation_id,
        reference=reference, balance=0, created_at=utcnow(),
    ).on_conflict_do_nothing(index_elements=["code"]).returning(_accounts.c.id)).scalar()
    if created is not None:
        return created
    return session.execute(select(_accounts.c.id).where(_accounts.c.code == code)).scalar_one()


def open_account(session: Session, *, code: str, kind: str, programme_id: int | None = None,
                 organisation_id: int | None = None,
                 reference: str | None = None) -> m.LedgerAccount:
    """The account with this code (see `open_account_id`), as an object."""
    existing = account_by_code(session, code)
    if existing is not None:
        return existing
    return session.get(m.LedgerAccount, open_account_id(
        session, code=code, kind=kind, programme_id=programme_id,
        organisation_id=organisation_id, reference=reference))


def refresh_balance(session: Session, account: m.LedgerAccount) -> int:
    balance = session.execute(select(_accounts.c.balance)
                              .where(_accounts.c.id == account.id)).scalar_one()
    set_committed_value(account, "balance", balance)
    return balance


# --- posting --------------------------------------------------------------------------------

def _account_ref(account: AccountRef) -> int | AccountByCode | ExistingAccount:
    return account.id if isinstance(account, m.LedgerAccount) else account


def _account_id(session: Session, account: AccountRef) -> int:
    if isinstance(account, ExistingAccount):
        found = account_by_code(session, account.code)
        if found is None:
            raise LookupError(f"unknown ledger accounts: [{account.code!r}]")
        return found.id
    if isinstance(account, AccountByCode):
        return open_account_id(session, code=account.code, kind=account.kind,
                               programme_id=account.programme_id,
                               organisation_id=account.organisation_id,
                               reference=account.reference)
    return _account_ref(account)


def _in_progress() -> Conflict:
    return Conflict(_l("This request is already being processed. Reload the page to see its "
                       "result."))


def lock_accounts(session: Session, account_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """(balance, kind) of each account, locked until this transaction ends, in id order."""
    ids = sorted(set(account_ids))
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite and not session.connection().get_execution_options().get(WRITE_OPTION):
        raise LockingError("moving points on SQLite needs a write session (BEGIN IMMEDIATE)")
    found: dict[int, tuple[int, str]] = {}
    for part in bulk.chunks(session, ids):
        query = (select(_accounts.c.id, _accounts.c.balance, _accounts.c.kind)
                 .where(bulk.among(session, _accounts.c.id, part)).order_by(_accounts.c.id))
        if not sqlite:
            query = query.with_for_update()
        found.update({row.id: (row.balance, row.kind) for row in session.execute(query)})
    if len(found) != len(ids):
        raise LookupError(f"unknown ledger accounts: {sorted(set(ids) - set(found))}")
    return found


def existing_keys(session: Session, keys: Sequence[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in bulk.chunks(session, keys):
        rows = session.execute(select(_transactions.c.idempotency_key, _transactions.c.id)
                               .where(bulk.among(session, _transactions.c.idempotency_key,
                                                 part)))
        found.update({key: tx_id for key, tx_id in rows})
    return found


def post_movements(session: Session, movements: Sequence[Movement]) -> list[Posted]:
    """Post many movements at once (bulk statements); keys already posted are replays.

    The accounts are locked first and the keys looked up after: a concurrent request with
    the same key has then either committed (and this is a replay) or not started. All or
    nothing: if any movement would take an account below zero, none is posted and
    InsufficientPoints is raised before anything is written.
    """
    for movement in movements:
        movement.merged = merged_entries((_account_id(session, a), amount)
                                         for a, amount in movement.entries)
    keys = [mv.key for mv in movements]
    if len(set(keys)) != len(keys):
        raise ValueError("the same idempotency key twice in one batch")
    locked = lock_accounts(session, (a for mv in movements for a, _ in mv.merged))
    done = existing_keys(session, keys)
    new = [mv for mv in movements if mv.key not in done]
    if new:
        try:
            done.update(_write(session, new, locked))
        except IntegrityError as err:  # the same key used for other accounts: a bug upstream
            raise _in_progress() from err
    fresh = {mv.key for mv in new}
    return [Posted(done[mv.key], mv.key not in fresh) for mv in movements]


def _write(session: Session, movements: Sequence[Movement],
           locked: dict[int, tuple[int, str]]) -> dict[str, int]:
    balances = {account_id: balance for account_id, (balance, _) in locked.items()}
    lines = []
    for mv in movements:
        for account_id, amount in mv.merged:
            after = balances[account_id] + amount
            kind = locked[account_id][1]
            if after < 0 and kind not in m.MAY_GO_NEGATIVE:
                raise InsufficientPoints(kind, balances[account_id], -amount)
            balances[account_id] = after
            lines.append((mv.key, account_id, amount, after))
    now = utcnow()
    tx_ids = dict(bulk.insert_rows(session, _transactions, [
        {"idempotency_key": mv.key, "kind": mv.kind, "programme_id": mv.programme_id,
         "description": mv.description[:300], "actor_id": mv.actor_id, "created_at": now}
        for mv in movements], returning=("idempotency_key", "id")))
    bulk.insert_rows(session, _entries, [
        {"transaction_id": tx_ids[key], "account_id": account_id, "amount": amount,
         "balance_after": after} for key, account_id, amount, after in lines])
    changed = {account_id: balances[account_id] for _, account_id, _, _ in lines}
    _store_balances(session, changed, locked)
    _refresh_loaded_accounts(session, changed)
    return tx_ids


def _store_balances(session: Session, changed: dict[int, int],
                    locked: dict[int, tuple[int, str]]) -> None:
    if len(changed) <= SMALL:
        # A single movement: one statement, UPDATE ... SET balance = CASE id WHEN ... END.
        session.execute(update(_accounts).where(_accounts.c.id.in_(list(changed)))
                        .values(balance=case(changed, value=_accounts.c.id)))
        return
    # A batch: accounts grouped by how much they changed (every granted wallet +30,000), one
    # UPDATE ... SET balance = balance + :delta per group and chunk. The rows are locked, so
    # adding the delta gives exactly the balance computed above.
    by_delta: dict[int, list[int]] = {}
    for account_id, balance in changed.items():
        by_delta.setdefault(balance - locked[account_id][0], []).append(account_id)
    for delta, ids in by_delta.items():
        for part in bulk.chunks(session, ids):
            session.execute(update(_accounts).where(bulk.among(session, _accounts.c.id, part))
                            .values(balance=_accounts.c.balance + delta))


def _refresh_loaded_accounts(session: Session, balances: dict[int, int]) -> None:
    # The balances were updated with bulk statements: bring any account objects this session
    # already holds up to date, so callers never read a stale balance.
    for obj in list(session.identity_map.values()):
        if isinstance(obj, m.LedgerAccount) and obj.id in balances:
            set_committed_value(obj, "balance", balances[obj.id])


def post_movement(session: Session, *, key: str, kind: str, description: str,
                  entries: Sequence[tuple[AccountRef, int]],
                  programme_id: int | None = None, actor_id: int | None = None) -> Posted:
    """Post one movement; replaying its key returns the first result and changes nothing.

    The same rules as `post_movements`, in one round trip on PostgreSQL and a few prebuilt
    statements on SQLite (see ledger_statements): every spend at checkout comes this way.
    An entry's account may be an `AccountByCode`, opened in the same step (an order's escrow),
    or an `ExistingAccount`, found by its code in the same step (a buyer's wallet).
    """
    movement = OneMovement(
        key=key, kind=kind, description=description[:300], programme_id=programme_id,
        actor_id=actor_id, created_at=utcnow(),
        entries=merged_entries((_account_ref(a), amount) for a, amount in entries))
    session.flush()  # statements below run on the connection, past the ORM's autoflush
    connection = session.connection()
    if connection.dialect.name == "sqlite" and not connection.get_execution_options().get(
            WRITE_OPTION):
        raise LockingError("moving points on SQLite needs a write session (BEGIN IMMEDIATE)")
    try:
        outcome = post_one(connection, movement)
    except IntegrityError as err:  # the same key used for other accounts: a bug upstream
        raise _in_progress() from err
    if outcome.unknown:
        raise LookupError(f"unknown ledger accounts: {outcome.unknown}")
    if outcome.short is not None:
        raise InsufficientPoints(outcome.short.kind, outcome.short.balance,
                                 -outcome.short.amount)
    _refresh_loaded_accounts(session, outcome.balances)
    return Posted(outcome.transaction_id, outcome.replayed)


# --- reading --------------------------------------------------------------------------------

def transaction_entries(session: Session, transaction_id: int) -> list[m.LedgerEntry]:
    return list(session.execute(select(m.LedgerEntry)
                                .where(m.LedgerEntry.transaction_id == transaction_id)
                                .order_by(m.LedgerEntry.id)).scalars())


def last_entry_id(session: Session, account_id: int) -> int:
    return session.execute(select(_entries.c.id).where(_entries.c.account_id == account_id)
                           .order_by(_entries.c.id.desc()).limit(1)).scalar() or 0


def statement(session: Session, account_id: int, *, limit: int | None = None):
    """Rows (entry id, time, kind, description, amount, balance after), oldest first."""
    query = (select(_entries.c.id, _transactions.c.created_at, _transactions.c.kind,
                    _transactions.c.description, _entries.c.amount, _entries.c.balance_after)
             .join(_transactions, _transactions.c.id == _entries.c.transaction_id)
             .where(_entries.c.account_id == account_id).order_by(_entries.c.id))
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query))
