"""Organisations keep a phone, an address and (vendors) a payout account; users the address they signed up from.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 12:26:31.810761
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('bank_account', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('registered_ip', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('registered_ip')

    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_column('bank_account')
        batch_op.drop_column('address')
        batch_op.drop_column('phone')

