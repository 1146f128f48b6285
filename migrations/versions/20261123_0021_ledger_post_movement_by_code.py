"""PostgreSQL: ledger_post_movement also finds accounts named by their code (a buyer's wallet).

Checkout used to read and lock the buyer's wallet before the hold, two more round trips and,
on SQLite, ORM work while every other writer waited for the write lock. The function now
takes the wallet's code and finds, locks and checks it in the same step. The rules are those
of 0015, unchanged; only the new parameter `p_account_codes` (parallel to `p_account_ids`:
an element names the account whose id is NULL) and the status `unknown_code` (one row, the
code in `account_kind`) are new. The account left without id or code is the one to open.
The function also runs with sequential scans off, so its cached plans always use the keys.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-23 17:30:00
"""
import importlib.util
from collections.abc import Sequence
from pathlib import Path

from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Result rows, by `status`: as in 0015 (posted, replayed, short, unknown, repeated), and
#   unknown_code  one row: a code in p_account_codes that names no account (in account_kind)
LEDGER_POST_MOVEMENT = r"""
CREATE FUNCTION ledger_post_movement(
    p_key varchar, p_kind varchar, p_programme_id integer, p_description varchar,
    p_actor_id integer, p_created_at timestamptz, p_account_ids integer[],
    p_account_codes varchar[], p_amounts integer[],
    p_open_code varchar, p_open_kind varchar, p_open_programme_id integer,
    p_open_organisation_id integer, p_open_reference varchar, p_may_go_negative varchar[])
RETURNS TABLE (status text, transaction_id integer, account_id integer, account_kind varchar,
               balance integer, amount integer)
LANGUAGE plpgsql VOLATILE
-- Every statement here is a keyed lookup. plpgsql keeps a generic plan per connection, and
-- one made while the ledger was small (a new database) scanned the whole accounts table on
-- every spend until the next ANALYZE: measured, spends slowed by half within a minute.
SET enable_seqscan = off
AS $$
#variable_conflict use_column
DECLARE
    v_ids integer[] := p_account_ids;
    v_open integer;
    v_id integer;
    v_tx integer;
    v_status text;
    v_unknown integer[];
    v_found integer;
    v_short_id integer;
    v_short record;
BEGIN
    -- Accounts named by code must exist (a buyer's wallet): found by the unique code index.
    IF p_account_codes IS NOT NULL THEN
        FOR i IN 1 .. cardinality(p_account_codes) LOOP
            CONTINUE WHEN p_account_codes[i] IS NULL;
            SELECT a.id INTO v_id FROM ledger_accounts a WHERE a.code = p_account_codes[i];
            IF NOT FOUND THEN
                RETURN QUERY SELECT 'unknown_code'::text, NULL::integer, NULL::integer,
                                    p_account_codes[i], NULL::integer, NULL::integer;
                RETURN;
            END IF;
            v_ids[i] := v_id;
        END LOOP;
    END IF;
    v_open := array_position(v_ids, NULL);  -- what is left unnamed is the account to open
    IF v_open IS NOT NULL THEN
        -- As open_account_id: a concurrent creator of the same code is waited for, then found.
        INSERT INTO ledger_accounts AS a (code, kind, programme_id, organisation_id, reference,
                                          balance, created_at)
        VALUES (p_open_code, p_open_kind, p_open_programme_id, p_open_organisation_id,
                p_open_reference, 0, p_created_at)
        ON CONFLICT (code) DO NOTHING RETURNING a.id INTO v_id;
        IF v_id IS NULL THEN
            SELECT a.id INTO STRICT v_id FROM ledger_accounts a WHERE a.code = p_open_code;
        END IF;
        v_ids[v_open] := v_id;
    END IF;

    -- Inside a block: when nothing is to be written (unknown account, replay, short balance),
    -- leaving it through the exception rolls back to its start, which releases the locks at
    -- once, so a refused spend does not make the next buyer of the wallet wait for it.
    BEGIN
        -- Lock in id order (LockRows runs above the sort), so movements never deadlock; a
        -- locked row is read at its latest committed version, so `short` is exact. Written
        -- with id = ANY (...), not a join with unnest(), so the plan is a primary key lookup
        -- (measured: the join became a scan of every account).
        SELECT count(*), (array_agg(locked.id ORDER BY locked.id) FILTER (WHERE locked.short))[1]
        INTO v_found, v_short_id
        FROM (SELECT a.id, a.balance + p_amounts[array_position(v_ids, a.id)] < 0
                           AND NOT (a.kind = ANY (p_may_go_negative)) AS short
              FROM ledger_accounts a WHERE a.id = ANY (v_ids) ORDER BY a.id FOR UPDATE) locked;
        IF v_found < cardinality(v_ids) THEN
            v_status := 'unknown';
            SELECT array_agg(x) INTO v_unknown FROM unnest(v_ids) x
            WHERE NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = x);
            IF v_unknown IS NULL THEN
                v_status := 'repeated';  -- an account named by code is also named by id
            END IF;
            RAISE SQLSTATE 'LP001';
        END IF;
        -- Looked up under the locks: a concurrent movement with this key has committed by now,
        -- and a replay is never refused for want of points.
        v_status := 'replayed';
        SELECT t.id INTO v_tx FROM ledger_transactions t WHERE t.idempotency_key = p_key;
        IF FOUND THEN
            RAISE SQLSTATE 'LP001';
        END IF;
        IF v_short_id IS NOT NULL THEN
            v_status := 'short';
            SELECT a.id, a.kind, a.balance, p_amounts[array_position(v_ids, a.id)] AS amount
            INTO v_short FROM ledger_accounts a WHERE a.id = v_short_id;
            RAISE SQLSTATE 'LP001';
        END IF;
        v_status := 'posted';
    EXCEPTION WHEN SQLSTATE 'LP001' THEN
        NULL;  -- the variables keep what was found
    END;
    IF v_status = 'repeated' THEN
        RETURN QUERY SELECT v_status, NULL::integer, NULL::integer, NULL::varchar,
                            NULL::integer, NULL::integer;
        RETURN;
    ELSIF v_status = 'unknown' THEN
        RETURN QUERY SELECT v_status, NULL::integer, x, NULL::varchar, NULL::integer,
                            NULL::integer FROM unnest(v_unknown) x;
        RETURN;
    ELSIF v_status = 'replayed' THEN
        RETURN QUERY SELECT v_status, v_tx, NULL::integer, NULL::varchar, NULL::integer,
                            NULL::integer;
        RETURN;
    ELSIF v_status = 'short' THEN
        RETURN QUERY SELECT v_status, NULL::integer, v_short.id, v_short.kind, v_short.balance,
                            v_short.amount;
        RETURN;
    END IF;

    INSERT INTO ledger_transactions AS t (idempotency_key, kind, programme_id, description,
                                          actor_id, created_at)
    VALUES (p_key, p_kind, p_programme_id, p_description, p_actor_id, p_created_at)
    RETURNING t.id INTO v_tx;
    -- The rows are locked, so balance + amount is exactly the balance after this movement.
    RETURN QUERY
    WITH moved AS (
        UPDATE ledger_accounts a SET balance = a.balance + p_amounts[array_position(v_ids, a.id)]
        WHERE a.id = ANY (v_ids)
        RETURNING a.id, a.kind, a.balance, p_amounts[array_position(v_ids, a.id)] AS amount
    ), written AS (  -- entries in the movement's order
        INSERT INTO ledger_entries (transaction_id, account_id, amount, balance_after)
        SELECT v_tx, moved.id, moved.amount, moved.balance
        FROM moved ORDER BY array_position(v_ids, moved.id)
    )
    SELECT 'posted'::text, v_tx, moved.id, moved.kind, moved.balance, moved.amount FROM moved;
END
$$
"""

SIGNATURE = ("ledger_post_movement(varchar, varchar, integer, varchar, integer, timestamptz, "
             "integer[], varchar[], integer[], varchar, varchar, integer, integer, varchar, "
             "varchar[])")


def _revision_0015():
    path = Path(__file__).with_name("20261123_0015_ledger_post_movement_function.py")
    spec = importlib.util.spec_from_file_location("revision_0015", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {_revision_0015().SIGNATURE}")
        op.execute(LEDGER_POST_MOVEMENT)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION IF EXISTS {SIGNATURE}")
        op.execute(_revision_0015().LEDGER_POST_MOVEMENT)
