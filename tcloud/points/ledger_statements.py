"""One movement in the fewest statements each database allows (the spend's hot path).

`ledger.post_movement` calls `post_one`, which returns what happened as an `Outcome` and never
raises a domain error itself: the ledger turns "short" into InsufficientPoints. On PostgreSQL
it is one call of the function `ledger_post_movement` (migration 0015); on SQLite, where the
write transaction's BEGIN IMMEDIATE already serialises writers and statements cost no round
trip, four or five prebuilt Core statements. Both follow the same order, so both give the
same results: open accounts named by code, lock the accounts (id order), look the key up, check
every balance, then write the transaction, its entries and the balances. Nothing is written
when the key is a replay or a balance is short (except an opened account, empty, as before).

Statements run on the session's Connection, not through the ORM (measured: the ORM layer cost
more than the database on a spend); the caller flushes the session first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, case, insert, select, text, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from tcloud.points import models as m

_accounts = m.LedgerAccount.__table__
_transactions = m.LedgerTransaction.__table__
_entries = m.LedgerEntry.__table__


@dataclass(frozen=True)
class AccountByCode:
    """An entry's account given by its code: opened empty with these values if missing."""

    code: str
    kind: str
    programme_id: int | None = None
    organisation_id: int | None = None
    reference: str | None = None


@dataclass(frozen=True)
class Short:
    account_id: int
    kind: str
    balance: int
    amount: int


@dataclass
class Outcome:
    """What posting did: posted (new balances by account id), replayed, short or unknown."""

    transaction_id: int | None = None
    replayed: bool = False
    balances: dict[int, int] = field(default_factory=dict)
    short: Short | None = None
    unknown: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class OneMovement:
    key: str
    kind: str
    description: str
    entries: Sequence[tuple[int | AccountByCode, int]]  # merged: one line per account
    programme_id: int | None
    actor_id: int | None
    created_at: datetime


def post_one(connection: Connection, movement: OneMovement) -> Outcome:
    if sum(isinstance(account, AccountByCode) for account, _ in movement.entries) > 1:
        raise ValueError("at most one account of a movement can be given by its code")
    if connection.dialect.name == "postgresql":
        return _post_on_postgresql(connection, movement)
    return _post_on_sqlite(connection, movement)


# --- PostgreSQL: one round trip -------------------------------------------------------------

def _sql_list(values: Sequence[str]) -> str:
    if not all(value.isidentifier() for value in values):  # account kinds, safe as literals
        raise ValueError(f"not a plain account kind in {values}")
    return ", ".join(f"'{value}'" for value in values)


# The account kinds that may go negative are written into the statement, once: they never
# change at run time, and every bound array costs the driver time on each spend.
_POST_ON_POSTGRESQL = text(f"""
    SELECT status, transaction_id, account_id, account_kind, balance, amount
    FROM ledger_post_movement(
        :key, :kind, :programme_id, :description, :actor_id, :created_at,
        CAST(:account_ids AS integer[]), CAST(:amounts AS integer[]), :open_code, :open_kind,
        :open_programme_id, :open_organisation_id, :open_reference,
        ARRAY[{_sql_list(m.MAY_GO_NEGATIVE)}]::varchar[])""")  # noqa: S608 - constants
_NOTHING_TO_OPEN = {"open_code": None, "open_kind": None, "open_programme_id": None,
                    "open_organisation_id": None, "open_reference": None}


def _open_params(account: AccountByCode | None) -> dict:
    if account is None:
        return _NOTHING_TO_OPEN
    return {"open_code": account.code, "open_kind": account.kind,
            "open_programme_id": account.programme_id,
            "open_organisation_id": account.organisation_id,
            "open_reference": account.reference}


def _post_on_postgresql(connection: Connection, movement: OneMovement) -> Outcome:
    account_ids = [None if isinstance(account, AccountByCode) else account
                   for account, _ in movement.entries]
    to_open = next((account for account, _ in movement.entries
                    if isinstance(account, AccountByCode)), None)
    rows = connection.execute(_POST_ON_POSTGRESQL, {
        "key": movement.key, "kind": movement.kind, "programme_id": movement.programme_id,
        "description": movement.description, "actor_id": movement.actor_id,
        "created_at": movement.created_at, "account_ids": account_ids,
        "amounts": [amount for _, amount in movement.entries], **_open_params(to_open),
    }).all()
    status = rows[0].status
    if status == "replayed":
        return Outcome(transaction_id=rows[0].transaction_id, replayed=True)
    if status == "short":
        row = rows[0]
        return Outcome(short=Short(row.account_id, row.account_kind, row.balance, row.amount))
    if status == "unknown":
        return Outcome(unknown=sorted(row.account_id for row in rows))
    return Outcome(transaction_id=rows[0].transaction_id,
                   balances={row.account_id: row.balance for row in rows})


# --- SQLite: prebuilt statements under the BEGIN IMMEDIATE lock -----------------------------
# Every call into SQLite lets go of the GIL and must take it back while the database's write
# lock is held, so under 16 threads each statement (and each row stepped) makes the lock last
# longer: a movement's entries and balances are one multi-row statement each, and ids come
# from lastrowid rather than RETURNING rows.

_OPEN_ACCOUNT = sqlite_insert(_accounts).values(
    code=bindparam("code"), kind=bindparam("kind"), programme_id=bindparam("programme_id"),
    organisation_id=bindparam("organisation_id"), reference=bindparam("reference"), balance=0,
    created_at=bindparam("created_at"),
).on_conflict_do_nothing(index_elements=["code"])
_ACCOUNT_ID = select(_accounts.c.id).where(_accounts.c.code == bindparam("code"))
# The write lock is already held, so the key can be looked up in the same statement.
_READ_ACCOUNTS_AND_KEY = (
    select(_accounts.c.id, _accounts.c.balance, _accounts.c.kind,
           select(_transactions.c.id).where(_transactions.c.idempotency_key == bindparam("key"))
           .scalar_subquery().label("replay_of"))
    .where(_accounts.c.id.in_(bindparam("ids", expanding=True))).order_by(_accounts.c.id))
_INSERT_TRANSACTION = insert(_transactions)


@cache
def _insert_entries(count: int):
    return insert(_entries).values([
        {column: bindparam(f"{column}_{i}")
         for column in ("transaction_id", "account_id", "amount", "balance_after")}
        for i in range(count)])


@cache
def _set_balances(count: int):
    ids = [bindparam(f"id_{i}") for i in range(count)]
    return (update(_accounts).where(_accounts.c.id.in_(ids))
            .values(balance=case(*((_accounts.c.id == ids[i], bindparam(f"balance_{i}"))
                                   for i in range(count)))))


def _open_on_sqlite(connection: Connection, account: AccountByCode, now: datetime) -> int:
    created = connection.execute(_OPEN_ACCOUNT, {
        "code": account.code, "kind": account.kind, "programme_id": account.programme_id,
        "organisation_id": account.organisation_id, "reference": account.reference,
        "created_at": now})
    if created.rowcount == 1:
        return created.lastrowid
    return connection.execute(_ACCOUNT_ID, {"code": account.code}).scalar_one()


def _post_on_sqlite(connection: Connection, movement: OneMovement) -> Outcome:
    lines = [(_open_on_sqlite(connection, account, movement.created_at)
              if isinstance(account, AccountByCode) else account, amount)
             for account, amount in movement.entries]
    ids = [account_id for account_id, _ in lines]
    if len(set(ids)) != len(ids):
        raise ValueError(f"the same account twice in movement {movement.key}")
    found = connection.execute(_READ_ACCOUNTS_AND_KEY, {"ids": ids, "key": movement.key}).all()
    if len(found) != len(ids):
        return Outcome(unknown=sorted(set(ids) - {row.id for row in found}))
    if found[0].replay_of is not None:
        return Outcome(transaction_id=found[0].replay_of, replayed=True)
    amounts = dict(lines)
    for row in found:  # id order, as PostgreSQL reports the first short account
        if row.balance + amounts[row.id] < 0 and row.kind not in m.MAY_GO_NEGATIVE:
            return Outcome(short=Short(row.id, row.kind, row.balance, amounts[row.id]))
    transaction_id = connection.execute(_INSERT_TRANSACTION, {
        "idempotency_key": movement.key, "kind": movement.kind,
        "programme_id": movement.programme_id, "description": movement.description,
        "actor_id": movement.actor_id, "created_at": movement.created_at}).lastrowid
    balances = {row.id: row.balance + amounts[row.id] for row in found}
    entries, new_balances = {}, {}
    for i, (account_id, amount) in enumerate(lines):  # entries in the movement's order
        entries.update({f"transaction_id_{i}": transaction_id, f"account_id_{i}": account_id,
                        f"amount_{i}": amount, f"balance_after_{i}": balances[account_id]})
        new_balances.update({f"id_{i}": account_id, f"balance_{i}": balances[account_id]})
    connection.execute(_insert_entries(len(lines)), entries)
    connection.execute(_set_balances(len(lines)), new_balances)
    return Outcome(transaction_id=transaction_id, balances=balances)
