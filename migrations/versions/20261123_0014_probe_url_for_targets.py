"""Probe targets may name the address the platform probes instead of the listed health URL.

Revision ID: 0014
Revises: 0013 (needs 0011, which created probe_targets)
Create Date: 2026-11-23 14:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
# A parallel branch off 0007 that alters a table 0011 created: run after 0011.
depends_on: str | Sequence[str] | None = '0011'


def upgrade() -> None:
    with op.batch_alter_table('probe_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('probe_url', sqlmodel.sql.sqltypes.AutoString(length=300),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('probe_targets', schema=None) as batch_op:
        batch_op.drop_column('probe_url')
