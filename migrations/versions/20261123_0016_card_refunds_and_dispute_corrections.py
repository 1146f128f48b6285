"""SLA compensation refunded to cards (card-only subscriptions), and corrected figures of
upheld disputes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23 15:00:00

No holiday rows change here: the 2027 days off seeded by 0012 were checked against the rules
of 紀念日及節日實施條例 (as amended in 2025) and the 2027 lunar and solar dates, and agree (see
tests/sla/test_holidays_2027.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('order_card_refunds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('amount_ntd', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('stripe_refund_id', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('recovered_ntd', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('amount_ntd > 0', name='ck_order_card_refunds_amount'),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name='ck_order_card_refunds_status'),
    sa.CheckConstraint('recovered_ntd >= 0 AND recovered_ntd <= amount_ntd', name='ck_order_card_refunds_recovered'),
    sa.CheckConstraint('attempts >= 0', name='ck_order_card_refunds_attempts'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('order_card_refunds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_card_refunds_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_card_refunds_vendor_organisation_id'), ['vendor_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_card_refunds_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_card_refunds_sent_at'), ['sent_at'], unique=False)

    with op.batch_alter_table('sla_compensation_disputes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('corrected_points', sa.Integer(), nullable=True))
        batch_op.create_check_constraint('ck_sla_disputes_corrected',
                                         'corrected_points IS NULL OR corrected_points > 0')


def downgrade() -> None:
    with op.batch_alter_table('sla_compensation_disputes', schema=None) as batch_op:
        batch_op.drop_constraint('ck_sla_disputes_corrected', type_='check')
        batch_op.drop_column('corrected_points')
    with op.batch_alter_table('order_card_refunds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_card_refunds_sent_at'))
        batch_op.drop_index(batch_op.f('ix_order_card_refunds_status'))
        batch_op.drop_index(batch_op.f('ix_order_card_refunds_vendor_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_order_card_refunds_order_id'))
    op.drop_table('order_card_refunds')
