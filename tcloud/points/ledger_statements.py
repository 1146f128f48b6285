"""One movement in the fewest statements each database allows (the spend's hot path).

`ledger.post_movement` calls `post_one`, which returns what happened as an `Outcome` and never
raises a domain error itself: the ledger turns "short" into InsufficientPoints. On PostgreSQL
it is one call of the function `ledger_post_movement` (migration 0015); on SQLite, where the
write transaction's BEGIN IMMEDIATE already serialises writers and statements cost no round
trip, four or five prebuilt Core statements. Both follow the same order, so both give the
same results: find the accounts named by code (a buyer's wallet) and open the one to be opened
(an order's escrow), lock the accounts (id order), look the key up, check every balance, then
write the transaction, its entries and the balances. Nothing is written
when the key is a replay or a balance is short (except an opened account, empty, as before).

The statements are SQLAlchemy Core, compiled once, and run on the session connection's driver
cursor (see `_Driver`): measured on a spend, the ORM and even Connection.execute cost more CPU
than the database work. The caller flushes the session first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import bindparam, case, insert, literal_column, or_, select, text, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError

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
class ExistingAccount:
    """An entry's account given by its code, which must exist (a buyer's wallet at checkout).

    Naming the wallet by code lets checkout spend without reading the wallet first: the
    lookup, the lock and the balance check are one step of the movement.
    """

    code: str


@dataclass(frozen=True)
class Short:
    account_id: int
    kind: str
    balance: int
    amount: int


@dataclass
class Outcome:
    """What posting did: posted (new balances by account id), replayed, short or unknown
    (account ids, or codes of `ExistingAccount`s, that do not exist)."""

    transaction_id: int | None = None
    replayed: bool = False
    balances: dict[int, int] = field(default_factory=dict)
    short: Short | None = None
    unknown: list[int | str] = field(default_factory=list)


@dataclass(frozen=True)
class OneMovement:
    key: str
    kind: str
    description: str
    entries: Sequence[tuple[int | AccountByCode | ExistingAccount, int]]  # one line per account
    programme_id: int | None
    actor_id: int | None
    created_at: datetime


def post_one(connection: Connection, movement: OneMovement) -> Outcome:
    if sum(isinstance(account, AccountByCode) for account, _ in movement.entries) > 1:
        raise ValueError("at most one account of a movement can be opened by its code")
    driver = _Driver(connection)
    try:
        if connection.dialect.name == "postgresql":
            return _post_on_postgresql(driver, movement)
        return _post_on_sqlite(driver, movement)
    finally:
        driver.cursor.close()


class _Driver:
    """Runs SQL that SQLAlchemy compiled once on the connection's own driver cursor.

    Measured on a spend: going through Connection.execute cost more CPU than the database
    work. The SQL still comes from Core statements (compiled once per dialect and cached), the
    parameters are named, and driver errors come back as SQLAlchemy's exception types. Not
    seen by SQLAlchemy's echo or events: this is the ledger's hot path only.
    """

    def __init__(self, connection: Connection) -> None:
        self.dialect = connection.dialect
        self.cursor = connection.connection.driver_connection.cursor()
        self.dbapi_error = connection.dialect.loaded_dbapi.Error

    def run(self, statement, params: dict):
        sql = _compiled(statement, type(self.dialect))
        try:
            self.cursor.execute(sql, params)
        except self.dbapi_error as err:
            raise DBAPIError.instance(sql, params, err, self.dbapi_error,
                                      dialect=self.dialect) from err
        return self.cursor

    def moment(self, value: datetime):
        return _moment_processor(type(self.dialect))(value)


@cache
def _compiled(statement, dialect_class: type[Dialect]) -> str:
    # Named parameters on SQLite too (sqlite3 takes them) rather than positional ones.
    named = {"paramstyle": "named"} if dialect_class.name == "sqlite" else {}
    return str(statement.compile(dialect=dialect_class(**named)))


@cache
def _moment_processor(dialect_class: type[Dialect]):
    # The column type's own conversion (aware UTC datetime to what the driver stores).
    processor = _transactions.c.created_at.type.bind_processor(dialect_class())
    return processor or (lambda value: value)


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
        CAST(:account_ids AS integer[]), CAST(:account_codes AS varchar[]),
        CAST(:amounts AS integer[]), :open_code, :open_kind,
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


def _post_on_postgresql(driver: _Driver, movement: OneMovement) -> Outcome:
    account_ids = [account if isinstance(account, int) else None
                   for account, _ in movement.entries]
    codes = [account.code if isinstance(account, ExistingAccount) else None
             for account, _ in movement.entries]
    to_open = next((account for account, _ in movement.entries
                    if isinstance(account, AccountByCode)), None)
    # Rows: (status, transaction id, account id, account kind, balance, amount).
    rows = driver.run(_POST_ON_POSTGRESQL, {
        "key": movement.key, "kind": movement.kind, "programme_id": movement.programme_id,
        "description": movement.description, "actor_id": movement.actor_id,
        "created_at": driver.moment(movement.created_at), "account_ids": account_ids,
        "account_codes": codes if any(codes) else None,
        "amounts": [amount for _, amount in movement.entries], **_open_params(to_open),
    }).fetchall()
    status, transaction_id = rows[0][0], rows[0][1]
    if status == "replayed":
        return Outcome(transaction_id=transaction_id, replayed=True)
    if status == "short":
        return Outcome(short=Short(*rows[0][2:]))
    if status == "unknown":
        return Outcome(unknown=sorted(row[2] for row in rows))
    if status == "unknown_code":  # the code comes back in the account kind's column
        return Outcome(unknown=[rows[0][3]])
    if status == "repeated":
        raise ValueError(f"the same account twice in movement {movement.key}")
    return Outcome(transaction_id=transaction_id, balances={row[2]: row[4] for row in rows})


# --- SQLite: prebuilt statements under the BEGIN IMMEDIATE lock -----------------------------
# Everything here runs while the database's write lock is held, and every call into SQLite
# lets go of the GIL and must take it back: so few statements, a movement's entries and
# balances one multi-row statement each, and ids from lastrowid rather than RETURNING rows.

_OPEN_ACCOUNT = sqlite.insert(_accounts).values(
    code=bindparam("code"), kind=bindparam("kind"), programme_id=bindparam("programme_id"),
    organisation_id=bindparam("organisation_id"), reference=bindparam("reference"),
    balance=literal_column("0"), created_at=bindparam("created_at"),
).on_conflict_do_nothing(index_elements=["code"])
_ACCOUNT_ID = select(_accounts.c.id).where(_accounts.c.code == bindparam("code"))
_INSERT_TRANSACTION = insert(_transactions).values(
    {column: bindparam(column) for column in ("idempotency_key", "kind", "programme_id",
                                              "description", "actor_id", "created_at")})


@cache
def _read_accounts_and_key(id_count: int, code_count: int):
    # Accounts by id and by code at once, and the key in the same statement: the write lock
    # is already held, so nothing can change between these reads and the writes.
    replay_of = (select(_transactions.c.id)
                 .where(_transactions.c.idempotency_key == bindparam("key")).scalar_subquery())
    wanted = [_accounts.c.id.in_([bindparam(f"id_{i}") for i in range(id_count)])] \
        if id_count else []
    if code_count:
        wanted.append(_accounts.c.code.in_([bindparam(f"code_{i}") for i in range(code_count)]))
    return (select(_accounts.c.id, _accounts.c.balance, _accounts.c.kind, replay_of,
                   _accounts.c.code)
            .where(or_(*wanted)).order_by(_accounts.c.id))


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


def _open_on_sqlite(driver: _Driver, account: AccountByCode, now) -> int:
    created = driver.run(_OPEN_ACCOUNT, {
        "code": account.code, "kind": account.kind, "programme_id": account.programme_id,
        "organisation_id": account.organisation_id, "reference": account.reference,
        "created_at": now})
    if created.rowcount == 1:
        return created.lastrowid
    return driver.run(_ACCOUNT_ID, {"code": account.code}).fetchone()[0]


def _post_on_sqlite(driver: _Driver, movement: OneMovement) -> Outcome:
    now = driver.moment(movement.created_at)
    ids = [account for account, _ in movement.entries if isinstance(account, int)]
    codes = [account.code for account, _ in movement.entries if not isinstance(account, int)]
    # Rows: (id, balance, kind, id of the transaction that holds the key, code), id order.
    found = driver.run(_read_accounts_and_key(len(ids), len(codes)), {
        "key": movement.key, **{f"id_{i}": account_id for i, account_id in enumerate(ids)},
        **{f"code_{i}": code for i, code in enumerate(codes)}}).fetchall()
    by_code = {row[4]: row[0] for row in found}
    missing = [account.code for account, _ in movement.entries
               if isinstance(account, ExistingAccount) and account.code not in by_code]
    missing_ids = sorted(set(ids) - {row[0] for row in found})
    if missing or missing_ids:  # as on PostgreSQL: codes first, nothing opened
        return Outcome(unknown=missing or missing_ids)
    to_open = next((account for account, _ in movement.entries
                    if isinstance(account, AccountByCode) and account.code not in by_code), None)
    lines = [(account if isinstance(account, int) else by_code.get(account.code), amount)
             for account, amount in movement.entries]  # None: the account still to open
    if len(dict(lines)) != len(lines):
        raise ValueError(f"the same account twice in movement {movement.key}")
    rows = [row[:3] for row in found]
    if to_open is not None:  # as on PostgreSQL, opened (empty) even if nothing is posted
        opened = _open_on_sqlite(driver, to_open, now)
        lines = [(opened if account_id is None else account_id, amount)
                 for account_id, amount in lines]
        rows.append((opened, 0, to_open.kind))  # the newest account: the highest id
    amounts = dict(lines)
    if found and found[0][3] is not None:
        return Outcome(transaction_id=found[0][3], replayed=True)
    for account_id, balance, kind in rows:  # id order, as PostgreSQL reports it
        if balance + amounts[account_id] < 0 and kind not in m.MAY_GO_NEGATIVE:
            return Outcome(short=Short(account_id, kind, balance, amounts[account_id]))
    transaction_id = driver.run(_INSERT_TRANSACTION, {
        "idempotency_key": movement.key, "kind": movement.kind,
        "programme_id": movement.programme_id, "description": movement.description,
        "actor_id": movement.actor_id, "created_at": now}).lastrowid
    balances = {account_id: balance + amounts[account_id] for account_id, balance, _ in rows}
    entries, new_balances = {}, {}
    for i, (account_id, amount) in enumerate(lines):  # entries in the movement's order
        entries.update({f"transaction_id_{i}": transaction_id, f"account_id_{i}": account_id,
                        f"amount_{i}": amount, f"balance_after_{i}": balances[account_id]})
        new_balances.update({f"id_{i}": account_id, f"balance_{i}": balances[account_id]})
    driver.run(_insert_entries(len(lines)), entries)
    driver.run(_set_balances(len(lines)), new_balances)
    return Outcome(transaction_id=transaction_id, balances=balances)
