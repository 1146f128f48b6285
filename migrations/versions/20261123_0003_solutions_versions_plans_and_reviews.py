"""Solutions with versions and plans, reviews, and the programme's SLA minimums.

The settings columns get server defaults so an existing settings row keeps working.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:06:32.728681
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('solutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('rating_count', sa.Integer(), nullable=False),
    sa.Column('rating_total', sa.Integer(), nullable=False),
    sa.Column('renewal_rate_percent', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('rating_count >= 0 AND rating_total >= 0', name='ck_solutions_rating'),
    sa.CheckConstraint('renewal_rate_percent IS NULL OR renewal_rate_percent BETWEEN 0 AND 100', name='ck_solutions_renewal'),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('solutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solutions_vendor_organisation_id'), ['vendor_organisation_id'], unique=False)

    op.create_table('solution_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('business_organisation_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('vendor_reply', sa.Text(), nullable=True),
    sa.Column('vendor_replied_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('hidden_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('hidden_by_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name='ck_solution_reviews_stars'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['business_organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id')
    )
    with op.batch_alter_table('solution_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solution_reviews_solution_id'), ['solution_id'], unique=False)

    op.create_table('solution_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('summary', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description_md', sa.Text(), nullable=False),
    sa.Column('industry_codes', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False),
    sa.Column('problem_codes', sqlmodel.sql.sqltypes.AutoString(length=600), nullable=False),
    sa.Column('min_employees', sa.Integer(), nullable=False),
    sa.Column('max_employees', sa.Integer(), nullable=False),
    sa.Column('free_trial_days', sa.Integer(), nullable=False),
    sa.Column('health_url', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('data_export_format', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('data_export_description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('availability_percent', sa.Float(), nullable=False),
    sa.Column('support_windows', sa.JSON(), nullable=False),
    sa.Column('covers_national_holidays', sa.Boolean(), nullable=False),
    sa.Column('support_channels', sa.JSON(), nullable=False),
    sa.Column('compensation_tiers', sa.JSON(), nullable=False),
    sa.Column('compensation_cap_percent', sa.Integer(), nullable=False),
    sa.Column('response_minutes', sa.Integer(), nullable=False),
    sa.Column('rpo_minutes', sa.Integer(), nullable=False),
    sa.Column('weekend_support', sa.Boolean(), nullable=False),
    sa.Column('yearly_price_from', sa.Integer(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decided_by_name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'pending', 'live', 'superseded', 'rejected')", name='ck_solution_versions_state'),
    sa.CheckConstraint('availability_percent > 0 AND availability_percent < 100', name='ck_solution_versions_availability'),
    sa.CheckConstraint('min_employees >= 1 AND max_employees >= min_employees', name='ck_solution_versions_sizes'),
    sa.CheckConstraint('response_minutes > 0 AND rpo_minutes > 0 AND compensation_cap_percent BETWEEN 1 AND 100', name='ck_solution_versions_sla'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('solution_id', 'number', name='uq_solution_versions_number')
    )
    with op.batch_alter_table('solution_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solution_versions_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_solution_versions_solution_id'), ['solution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_solution_versions_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_solution_versions_yearly_price_from'), ['yearly_price_from'], unique=False)
        batch_op.create_index('uq_solution_versions_live', ['solution_id'], unique=True, sqlite_where=sa.text("state = 'live'"), postgresql_where=sa.text("state = 'live'"))
        batch_op.create_index('uq_solution_versions_open', ['solution_id'], unique=True, sqlite_where=sa.text("state IN ('draft', 'pending')"), postgresql_where=sa.text("state IN ('draft', 'pending')"))

    op.create_table('solution_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('billing_period', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('price_ntd', sa.Integer(), nullable=False),
    sa.Column('list_price_ntd', sa.Integer(), nullable=False),
    sa.Column('seats', sa.Integer(), nullable=False),
    sa.Column('included', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.CheckConstraint("billing_period IN ('month', 'year')", name='ck_solution_plans_period'),
    sa.CheckConstraint('price_ntd >= 0 AND list_price_ntd >= price_ntd AND seats >= 1', name='ck_solution_plans_price'),
    sa.ForeignKeyConstraint(['version_id'], ['solution_versions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('solution_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solution_plans_version_id'), ['version_id'], unique=False)

    with op.batch_alter_table('catalog_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('min_availability_percent', sa.Float(), nullable=False, server_default='99.0'))
        batch_op.add_column(sa.Column('min_weekly_support_hours', sa.Integer(), nullable=False, server_default='40'))
        batch_op.add_column(sa.Column('max_response_minutes', sa.Integer(), nullable=False, server_default='480'))
        batch_op.add_column(sa.Column('max_rpo_minutes', sa.Integer(), nullable=False, server_default='1440'))
        batch_op.add_column(sa.Column('min_first_tier_credit_percent', sa.Integer(), nullable=False, server_default='10'))
        batch_op.add_column(sa.Column('min_support_channels', sa.Integer(), nullable=False, server_default='1'))



def downgrade() -> None:
    with op.batch_alter_table('catalog_settings', schema=None) as batch_op:
        batch_op.drop_column('min_support_channels')
        batch_op.drop_column('min_first_tier_credit_percent')
        batch_op.drop_column('max_rpo_minutes')
        batch_op.drop_column('max_response_minutes')
        batch_op.drop_column('min_weekly_support_hours')
        batch_op.drop_column('min_availability_percent')

    with op.batch_alter_table('solution_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solution_plans_version_id'))

    op.drop_table('solution_plans')
    with op.batch_alter_table('solution_versions', schema=None) as batch_op:
        batch_op.drop_index('uq_solution_versions_open', sqlite_where=sa.text("state IN ('draft', 'pending')"), postgresql_where=sa.text("state IN ('draft', 'pending')"))
        batch_op.drop_index('uq_solution_versions_live', sqlite_where=sa.text("state = 'live'"), postgresql_where=sa.text("state = 'live'"))
        batch_op.drop_index(batch_op.f('ix_solution_versions_yearly_price_from'))
        batch_op.drop_index(batch_op.f('ix_solution_versions_state'))
        batch_op.drop_index(batch_op.f('ix_solution_versions_solution_id'))
        batch_op.drop_index(batch_op.f('ix_solution_versions_category'))

    op.drop_table('solution_versions')
    with op.batch_alter_table('solution_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solution_reviews_solution_id'))

    op.drop_table('solution_reviews')
    with op.batch_alter_table('solutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solutions_vendor_organisation_id'))

    op.drop_table('solutions')
