"""Users are counted by sign-up address and time (the per-address sign-up cap): an index.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-23 15:00:00
"""
from collections.abc import Sequence

from alembic import op


revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_users_registered_ip_created', 'users', ['registered_ip', 'created_at'])


def downgrade() -> None:
    op.drop_index('ix_users_registered_ip_created', table_name='users')
