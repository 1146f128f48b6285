"""The catalogue revision counter that public page caches are keyed by (one row, id 1).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:16:34.706632
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('catalog_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO catalog_revision (id, revision) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table('catalog_revision')
