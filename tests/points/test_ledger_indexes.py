"""The ledger's partial indexes (migration 0022) are used by the queries they were made for.

Wallet and refund lookups name the kind as a literal; with a bound parameter neither planner
could prove a partial index's condition and would read the whole table instead. Each test runs
the service's own statement (captured as it executes) under EXPLAIN, on both databases.
"""

import re
from datetime import date

import pytest
from psycopg import sql as psycopg_sql
from sqlalchemy import event

from tcloud.points import jobs, purchases, quotes, review_signals, wallets


def statements_of(db, call):
    """The SELECTs `call` runs, with their parameters."""
    seen = []
    connection = db.connection()

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(connection, "before_cursor_execute", capture)
    try:
        call()
    finally:
        event.remove(connection, "before_cursor_execute", capture)
    return seen


def plan_of(db, statement, parameters) -> str:
    connection = db.connection()
    driver = connection.connection.driver_connection.cursor()
    if connection.dialect.name == "postgresql":
        # The plan a pooled connection ends up with: generic, made without the parameters'
        # values (psycopg prepares a statement from its fifth run). Tiny test tables would be
        # read whole anyway, so sequential scans are off: the question is whether an index CAN
        # serve.
        names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", statement)))
        numbered = re.sub(r"%\((\w+)\)s", lambda found: f"${names.index(found[1]) + 1}",
                          statement)
        driver.execute("SET LOCAL enable_seqscan = off")
        driver.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        driver.execute(f"PREPARE index_probe AS {numbered}")
        values = psycopg_sql.SQL(", ").join(psycopg_sql.Literal(parameters[n]) for n in names)
        driver.execute(psycopg_sql.SQL("EXPLAIN EXECUTE index_probe({})").format(values)
                       if names else "EXPLAIN EXECUTE index_probe")
        plan = "\n".join(row[0] for row in driver.fetchall())
        driver.execute("DEALLOCATE index_probe")
        return plan
    driver.execute("EXPLAIN QUERY PLAN " + statement, parameters)
    return "\n".join(str(row[-1]) for row in driver.fetchall())


def plans(db, call) -> str:
    return "\n".join(plan_of(db, s, p) for s, p in statements_of(db, call))


@pytest.mark.parametrize("lookup", [
    lambda db: quotes.spendable_wallet(db, 1),
    lambda db: purchases.spendable_points(db, 1),
    lambda db: wallets.wallets_of(db, 1),
], ids=["spendable wallet", "spendable points", "wallets of a business"])
def test_a_business_wallets_are_found_through_the_wallet_index(db, lookup):
    plan = plans(db, lambda: lookup(db))
    # PostgreSQL may take either wallet index on tiny tables; never the whole table.
    assert "ix_ledger_wallets_" in plan, plan


def test_wallets_to_expire_can_be_found_by_programme(db):
    plan = plans(db, lambda: jobs.due_wallets(db, date(2027, 1, 1), 10))
    print(plan)
    assert "ix_ledger_wallets_programme" in plan, plan


def test_refunds_are_found_through_the_refund_index(db):
    assert "ix_ledger_transactions_refunds" in plans(db, lambda: review_signals._refund_times(db))
