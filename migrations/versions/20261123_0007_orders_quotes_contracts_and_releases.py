"""Orders: quotes, versioned contract templates, orders with their snapshots, Stripe events, releases.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 12:18:03.653889
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('contract_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body_md', sa.Text(), nullable=False),
    sa.Column('change_note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('version')
    )
    op.create_table('quotes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('price_ntd', sa.Integer(), nullable=False),
    sa.Column('points_applied', sa.Integer(), nullable=False),
    sa.Column('card_amount_ntd', sa.Integer(), nullable=False),
    sa.Column('valid_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('points_applied >= 0 AND card_amount_ntd >= 0 AND points_applied + card_amount_ntd = price_ntd', name='ck_quotes_amounts'),
    sa.CheckConstraint('seats >= 1 AND term_months >= 1', name='ck_quotes_seats_term'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['solution_plans.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['points_programmes.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['solution_versions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quotes_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('orders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('renewal_of_order_id', sa.Integer(), nullable=True),
    sa.Column('solution_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('plan_name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('billing_period', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('term_months', sa.Integer(), nullable=False),
    sa.Column('price_ntd', sa.Integer(), nullable=False),
    sa.Column('points_applied', sa.Integer(), nullable=False),
    sa.Column('card_amount_ntd', sa.Integer(), nullable=False),
    sa.Column('sla_snapshot', sa.JSON(), nullable=False),
    sa.Column('contract_version', sa.Integer(), nullable=False),
    sa.Column('contract_text', sa.Text(), nullable=False),
    sa.Column('contract_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('accepted_by_id', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('cancel_reason', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('stripe_payment_intent_id', sa.String(length=80), nullable=True),
    sa.Column('paid_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('activated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('activated_by_id', sa.Integer(), nullable=True),
    sa.Column('activation_notes', sa.Text(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('use_confirm_due_on', sa.Date(), nullable=True),
    sa.Column('use_confirmed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reported_unused_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('reported_unused_note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('points_released', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('awaiting_payment', 'placed', 'active', 'cancelled', 'terminated', 'completed')", name='ck_orders_status'),
    sa.CheckConstraint('points_applied >= 0 AND card_amount_ntd >= 0 AND points_applied + card_amount_ntd = price_ntd', name='ck_orders_amounts'),
    sa.CheckConstraint('points_released >= 0 AND points_released <= points_applied', name='ck_orders_released'),
    sa.CheckConstraint('seats >= 1 AND term_months >= 1', name='ck_orders_seats_term'),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['activated_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['plan_id'], ['solution_plans.id'], ),
    sa.ForeignKeyConstraint(['programme_id'], ['points_programmes.id'], ),
    sa.ForeignKeyConstraint(['quote_id'], ['quotes.id'], ),
    sa.ForeignKeyConstraint(['renewal_of_order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['version_id'], ['solution_versions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('quote_id'),
    sa.UniqueConstraint('reference'),
    sa.UniqueConstraint('stripe_payment_intent_id')
    )
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_buyer_status', ['organisation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_renewal_of_order_id'), ['renewal_of_order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_orders_solution_id'), ['solution_id'], unique=False)
        batch_op.create_index('ix_orders_vendor_status', ['vendor_organisation_id', 'status'], unique=False)
        batch_op.create_index('uq_orders_first_adoption', ['organisation_id', 'solution_id'], unique=True, sqlite_where=sa.text("points_applied > 0 AND status <> 'cancelled'"), postgresql_where=sa.text("points_applied > 0 AND status <> 'cancelled'"))

    op.create_table('order_releases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('month_index', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('released_on', sa.Date(), nullable=False),
    sa.Column('transaction_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('points > 0 AND month_index >= 1', name='ck_order_releases_points'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'month_index', name='uq_order_releases_month')
    )
    with op.batch_alter_table('order_releases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_releases_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_releases_released_on'), ['released_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_order_releases_vendor_organisation_id'), ['vendor_organisation_id'], unique=False)

    op.create_table('stripe_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=80), nullable=False),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    with op.batch_alter_table('stripe_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stripe_events_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stripe_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stripe_events_order_id'))

    op.drop_table('stripe_events')
    with op.batch_alter_table('order_releases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_releases_vendor_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_order_releases_released_on'))
        batch_op.drop_index(batch_op.f('ix_order_releases_order_id'))

    op.drop_table('order_releases')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('uq_orders_first_adoption', sqlite_where=sa.text("points_applied > 0 AND status <> 'cancelled'"), postgresql_where=sa.text("points_applied > 0 AND status <> 'cancelled'"))
        batch_op.drop_index('ix_orders_vendor_status')
        batch_op.drop_index(batch_op.f('ix_orders_solution_id'))
        batch_op.drop_index(batch_op.f('ix_orders_renewal_of_order_id'))
        batch_op.drop_index('ix_orders_buyer_status')

    op.drop_table('orders')
    with op.batch_alter_table('quotes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quotes_organisation_id'))

    op.drop_table('quotes')
    op.drop_table('contract_templates')
