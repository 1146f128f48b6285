"""Availability: probe targets and raw results, per-day minute roll-ups, maintenance windows,
certificate warnings, burn-rate alerts and scheduler runs.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 12:30:24.897358
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('scheduler_runs',
    sa.Column('job_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('last_started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_succeeded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_failed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('last_summary', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('successes', sa.Integer(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('job_name')
    )
    op.create_table('burn_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('long_rate', sa.Float(), nullable=False),
    sa.Column('short_rate', sa.Float(), nullable=False),
    sa.Column('target_percent', sa.Float(), nullable=False),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('page', 'ticket')", name='ck_burn_alerts_kind'),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('burn_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_burn_alerts_solution_id'), ['solution_id'], unique=False)
        batch_op.create_index('uq_burn_alerts_open', ['solution_id', 'kind'], unique=True, sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))

    op.create_table('cert_warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('threshold_days', sa.Integer(), nullable=False),
    sa.Column('warned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('solution_id', 'expires_at', 'threshold_days', name='uq_cert_warnings_threshold')
    )
    with op.batch_alter_table('cert_warnings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cert_warnings_solution_id'), ['solution_id'], unique=False)

    op.create_table('maintenance_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('announced_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('announced_by_id', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.CheckConstraint('ends_at > starts_at', name='ck_maintenance_windows_order'),
    sa.ForeignKeyConstraint(['announced_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('maintenance_windows', schema=None) as batch_op:
        batch_op.create_index('ix_maintenance_windows_solution_starts', ['solution_id', 'starts_at'], unique=False)

    op.create_table('minute_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('up', sa.Integer(), nullable=False),
    sa.Column('down', sa.Integer(), nullable=False),
    sa.Column('maintenance', sa.Integer(), nullable=False),
    sa.Column('unknown', sa.Integer(), nullable=False),
    sa.Column('encoded', sa.LargeBinary(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('up >= 0 AND down >= 0 AND maintenance >= 0 AND unknown >= 0', name='ck_minute_days_counts'),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('solution_id', 'day', name='uq_minute_days_solution_day')
    )
    with op.batch_alter_table('minute_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_minute_days_day'), ['day'], unique=False)

    op.create_table('probe_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('probed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('minute', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.SmallInteger(), nullable=False),
    sa.Column('ok', sa.Boolean(), nullable=False),
    sa.Column('covers_minutes', sa.SmallInteger(), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=True),
    sa.Column('latency_ms', sa.Integer(), nullable=True),
    sa.Column('detail', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.CheckConstraint('attempt IN (1, 2)', name='ck_probe_results_attempt'),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('probe_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_probe_results_probed_at'), ['probed_at'], unique=False)
        batch_op.create_index('ix_probe_results_solution_minute', ['solution_id', 'minute'], unique=False)

    op.create_table('probe_targets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('interval_seconds', sa.Integer(), nullable=False),
    sa.Column('timeout_seconds', sa.Integer(), nullable=False),
    sa.Column('expected_status', sa.Integer(), nullable=False),
    sa.Column('keyword', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('last_probed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('last_ok', sa.Boolean(), nullable=True),
    sa.Column('last_detail', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('last_latency_ms', sa.Integer(), nullable=True),
    sa.Column('down_since', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('cert_expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('expected_status BETWEEN 100 AND 599', name='ck_probe_targets_status'),
    sa.CheckConstraint('interval_seconds IN (60, 120, 300)', name='ck_probe_targets_interval'),
    sa.CheckConstraint('timeout_seconds BETWEEN 1 AND 30', name='ck_probe_targets_timeout'),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('solution_id')
    )


def downgrade() -> None:
    op.drop_table('probe_targets')
    with op.batch_alter_table('probe_results', schema=None) as batch_op:
        batch_op.drop_index('ix_probe_results_solution_minute')
        batch_op.drop_index(batch_op.f('ix_probe_results_probed_at'))

    op.drop_table('probe_results')
    with op.batch_alter_table('minute_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_minute_days_day'))

    op.drop_table('minute_days')
    with op.batch_alter_table('maintenance_windows', schema=None) as batch_op:
        batch_op.drop_index('ix_maintenance_windows_solution_starts')

    op.drop_table('maintenance_windows')
    with op.batch_alter_table('cert_warnings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cert_warnings_solution_id'))

    op.drop_table('cert_warnings')
    with op.batch_alter_table('burn_alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_burn_alerts_open', sqlite_where=sa.text('resolved_at IS NULL'), postgresql_where=sa.text('resolved_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_burn_alerts_solution_id'))

    op.drop_table('burn_alerts')
    op.drop_table('scheduler_runs')
