"""Advisor tables: needs forms, diagnoses, recommendations with items, conversion records.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 12:41:09.675495
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('advisor_needs_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("state IN ('draft', 'submitted')", name='ck_advisor_needs_forms_state'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('advisor_needs_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_needs_forms_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('advisor_diagnoses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('readiness_index', sa.Float(), nullable=False),
    sa.Column('stage', sa.Integer(), nullable=False),
    sa.Column('dimension_scores', sa.JSON(), nullable=False),
    sa.Column('obstacles', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['advisor_needs_forms.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form_id')
    )
    with op.batch_alter_table('advisor_diagnoses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_diagnoses_industry'), ['industry'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisor_diagnoses_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('advisor_recommendations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('profile', sa.JSON(), nullable=False),
    sa.Column('catalog_revision', sa.Integer(), nullable=False),
    sa.Column('overall_note', sa.Text(), nullable=False),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("state IN ('new', 'claimed', 'in_review', 'sent')", name='ck_advisor_recommendations_state'),
    sa.ForeignKeyConstraint(['consultant_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['form_id'], ['advisor_needs_forms.id'], ),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('form_id')
    )
    with op.batch_alter_table('advisor_recommendations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_recommendations_consultant_id'), ['consultant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisor_recommendations_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_advisor_recommendations_state'), ['state'], unique=False)

    op.create_table('advisor_conversions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('consultant_id', sa.Integer(), nullable=True),
    sa.Column('converted', sa.Boolean(), nullable=False),
    sa.Column('bought_solution_ids', sa.JSON(), nullable=False),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['consultant_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['recommendation_id'], ['advisor_recommendations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recommendation_id')
    )
    with op.batch_alter_table('advisor_conversions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_conversions_consultant_id'), ['consultant_id'], unique=False)

    op.create_table('advisor_recommendation_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('in_bundle', sa.Boolean(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('yearly_price', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('covers', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.CheckConstraint("source IN ('matcher', 'consultant')", name='ck_advisor_items_source'),
    sa.ForeignKeyConstraint(['plan_id'], ['solution_plans.id'], ),
    sa.ForeignKeyConstraint(['recommendation_id'], ['advisor_recommendations.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recommendation_id', 'solution_id', name='uq_advisor_items_solution')
    )
    with op.batch_alter_table('advisor_recommendation_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_recommendation_items_recommendation_id'), ['recommendation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('advisor_recommendation_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_recommendation_items_recommendation_id'))

    op.drop_table('advisor_recommendation_items')
    with op.batch_alter_table('advisor_conversions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_conversions_consultant_id'))

    op.drop_table('advisor_conversions')
    with op.batch_alter_table('advisor_recommendations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_recommendations_state'))
        batch_op.drop_index(batch_op.f('ix_advisor_recommendations_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_advisor_recommendations_consultant_id'))

    op.drop_table('advisor_recommendations')
    with op.batch_alter_table('advisor_diagnoses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_diagnoses_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_advisor_diagnoses_industry'))

    op.drop_table('advisor_diagnoses')
    with op.batch_alter_table('advisor_needs_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_needs_forms_organisation_id'))

    op.drop_table('advisor_needs_forms')
