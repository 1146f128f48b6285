"""Order aftercare: SLA compensation credits, refunds, reminders sent, vendor statements.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 12:33:24.267379
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('vendor_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('captured_points', sa.Integer(), nullable=False),
    sa.Column('refunded_points', sa.Integer(), nullable=False),
    sa.Column('compensation_points', sa.Integer(), nullable=False),
    sa.Column('clearing_points', sa.Integer(), nullable=False),
    sa.Column('carried_in_points', sa.Integer(), nullable=False),
    sa.Column('net_ntd', sa.Integer(), nullable=False),
    sa.Column('payable_ntd', sa.Integer(), nullable=False),
    sa.Column('recovered_points', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('issued_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('paid_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('payout_transaction_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('issued', 'paid')", name='ck_vendor_statements_status'),
    sa.CheckConstraint('captured_points >= 0 AND refunded_points >= 0 AND compensation_points >= 0 AND carried_in_points >= 0 AND payable_ntd >= 0', name='ck_vendor_statements_figures'),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['payout_transaction_id'], ['ledger_transactions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('vendor_organisation_id', 'period', name='uq_vendor_statements_period')
    )
    with op.batch_alter_table('vendor_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_statements_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_vendor_statements_vendor_organisation_id'), ['vendor_organisation_id'], unique=False)

    op.create_table('order_credits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('funded_from', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('recovered_points', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("funded_from IN ('receivable', 'clearing')", name='ck_order_credits_funded_from'),
    sa.CheckConstraint('points > 0', name='ck_order_credits_points'),
    sa.CheckConstraint('recovered_points >= 0 AND recovered_points <= points', name='ck_order_credits_recovered'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['points_programmes.id'], ),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('order_credits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_credits_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_credits_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_credits_vendor_organisation_id'), ['vendor_organisation_id'], unique=False)

    op.create_table('order_refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('points > 0', name='ck_order_refunds_points'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['points_programmes.id'], ),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('order_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_refunds_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_refunds_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_refunds_vendor_organisation_id'), ['vendor_organisation_id'], unique=False)

    op.create_table('order_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'kind', name='uq_order_reminders_kind')
    )


def downgrade() -> None:
    op.drop_table('order_reminders')
    with op.batch_alter_table('order_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_refunds_vendor_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_order_refunds_order_id'))
        batch_op.drop_index(batch_op.f('ix_order_refunds_created_at'))

    op.drop_table('order_refunds')
    with op.batch_alter_table('order_credits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_credits_vendor_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_order_credits_period'))
        batch_op.drop_index(batch_op.f('ix_order_credits_order_id'))

    op.drop_table('order_credits')
    with op.batch_alter_table('vendor_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_statements_vendor_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_vendor_statements_period'))

    op.drop_table('vendor_statements')
