"""A listing draft may be unfinished: its content as entered is kept beside the version.

Revision ID: 0019
Revises: 0016
Create Date: 2026-11-23 15:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('solution_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft_form', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('solution_versions', schema=None) as batch_op:
        batch_op.drop_column('draft_form')
