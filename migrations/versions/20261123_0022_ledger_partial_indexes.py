"""Ledger indexes that every spend paid for and no query used: wallets and refunds only.

Each spend opens an order's escrow account and writes a transaction. The escrow row went into
indexes on organisation and on (programme, kind), and the transaction into indexes on kind and
programme: four index writes per spend (on SQLite four more pages for every commit), for
lookups that only ever ask for wallets, and for refunds among the transactions. The programme
totals read all of a programme's rows either way. They become partial indexes on wallets and
on refunds; the queries name the kind as a literal so that both planners use them.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-23 19:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0022'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WALLETS = sa.text("kind = 'business_wallet'")
REFUNDS = sa.text("kind = 'refund'")


def upgrade() -> None:
    op.drop_index('ix_ledger_accounts_organisation_id', table_name='ledger_accounts')
    op.drop_index('ix_ledger_accounts_programme_kind', table_name='ledger_accounts')
    op.drop_index('ix_ledger_transactions_kind', table_name='ledger_transactions')
    op.drop_index('ix_ledger_transactions_programme_id', table_name='ledger_transactions')
    op.create_index('ix_ledger_wallets_organisation', 'ledger_accounts', ['organisation_id'],
                    sqlite_where=WALLETS, postgresql_where=WALLETS)
    op.create_index('ix_ledger_wallets_programme', 'ledger_accounts', ['programme_id', 'id'],
                    sqlite_where=WALLETS, postgresql_where=WALLETS)
    op.create_index('ix_ledger_transactions_refunds', 'ledger_transactions', ['id'],
                    sqlite_where=REFUNDS, postgresql_where=REFUNDS)


def downgrade() -> None:
    op.drop_index('ix_ledger_transactions_refunds', table_name='ledger_transactions')
    op.drop_index('ix_ledger_wallets_programme', table_name='ledger_accounts')
    op.drop_index('ix_ledger_wallets_organisation', table_name='ledger_accounts')
    op.create_index('ix_ledger_transactions_programme_id', 'ledger_transactions',
                    ['programme_id'])
    op.create_index('ix_ledger_transactions_kind', 'ledger_transactions', ['kind'])
    op.create_index('ix_ledger_accounts_programme_kind', 'ledger_accounts',
                    ['programme_id', 'kind'])
    op.create_index('ix_ledger_accounts_organisation_id', 'ledger_accounts',
                    ['organisation_id'])
