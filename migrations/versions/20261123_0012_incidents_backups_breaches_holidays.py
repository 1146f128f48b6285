"""SLA incidents and their events, backup reports and RPO tokens, breaches, compensation
statements and disputes, and Taiwan's national holidays of 2026 and 2027 (seeded).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 12:32:47.079761
"""
from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Days off for national holidays in Taiwan (紀念日及節日實施條例, as amended in 2025: 小年夜,
# 勞動節, 教師節, 光復節 and 行憲紀念日 are days off; a holiday on a Saturday is made up on the
# Friday before, on a Sunday on the Monday after; no make-up working Saturdays).
# 2026 (民國115年): the 行政院人事行政總處 calendar「115年政府行政機關辦公日曆表」.
# 2027 (民國116年): the same rules applied to the lunar dates of 2027; check them against the
# 人事行政總處 calendar「116年政府行政機關辦公日曆表」 and correct them on the holidays page.
HOLIDAYS = [
    ("2026-01-01", "開國紀念日"),
    ("2026-02-15", "小年夜"), ("2026-02-16", "農曆除夕"), ("2026-02-17", "春節"),
    ("2026-02-18", "春節"), ("2026-02-19", "春節"), ("2026-02-20", "小年夜補假"),
    ("2026-02-27", "和平紀念日補假"), ("2026-02-28", "和平紀念日"),
    ("2026-04-03", "兒童節補假"), ("2026-04-04", "兒童節"), ("2026-04-05", "民族掃墓節"),
    ("2026-04-06", "民族掃墓節補假"),
    ("2026-05-01", "勞動節"), ("2026-06-19", "端午節"), ("2026-09-25", "中秋節"),
    ("2026-09-28", "孔子誕辰紀念日（教師節）"),
    ("2026-10-09", "國慶日補假"), ("2026-10-10", "國慶日"),
    ("2026-10-25", "臺灣光復暨金門古寧頭大捷紀念日"), ("2026-10-26", "光復節補假"),
    ("2026-12-25", "行憲紀念日"),
    ("2027-01-01", "開國紀念日"),
    ("2027-02-04", "小年夜"), ("2027-02-05", "農曆除夕"), ("2027-02-06", "春節"),
    ("2027-02-07", "春節"), ("2027-02-08", "春節"), ("2027-02-09", "春節補假"),
    ("2027-02-10", "春節補假"),
    ("2027-02-28", "和平紀念日"), ("2027-03-01", "和平紀念日補假"),
    ("2027-04-04", "兒童節"), ("2027-04-05", "民族掃墓節"), ("2027-04-06", "兒童節補假"),
    ("2027-04-30", "勞動節補假"), ("2027-05-01", "勞動節"), ("2027-06-09", "端午節"),
    ("2027-09-15", "中秋節"), ("2027-09-28", "孔子誕辰紀念日（教師節）"),
    ("2027-10-10", "國慶日"), ("2027-10-11", "國慶日補假"),
    ("2027-10-25", "臺灣光復暨金門古寧頭大捷紀念日"),
    ("2027-12-24", "行憲紀念日補假"), ("2027-12-25", "行憲紀念日"),
]


def upgrade() -> None:
    op.create_table('sla_holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day')
    )
    holidays = sa.table(
        'sla_holidays', sa.column('day', sa.Date()), sa.column('name', sa.String()),
        sa.column('created_at', sqlmodel.sql.sqltypes.UTCDateTime()))
    seeded_at = datetime(2026, 11, 23, tzinfo=UTC)
    op.bulk_insert(holidays, [{"day": date.fromisoformat(day), "name": name,
                               "created_at": seeded_at} for day, name in HOLIDAYS])
    op.create_table('sla_backup_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('completed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), nullable=True),
    sa.Column('checksum', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("status IN ('ok', 'failed', 'partial')", name='ck_sla_backup_reports_status'),
    sa.CheckConstraint('size_bytes IS NULL OR size_bytes >= 0', name='ck_sla_backup_reports_size'),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sla_backup_reports', schema=None) as batch_op:
        batch_op.create_index('ix_sla_backup_reports_solution_completed', ['solution_id', 'status', 'completed_at'], unique=False)

    op.create_table('sla_rpo_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('hint', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('last_used_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('warned_for_backup_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('solution_id'),
    sa.UniqueConstraint('token_sha256')
    )
    op.create_table('sla_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('buyer_organisation_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('severity', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('outage_started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('target_minutes', sa.Integer(), nullable=False),
    sa.Column('calendar_clock', sa.Boolean(), nullable=False),
    sa.Column('due_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('warn_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('support_hours_end_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('first_response_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('warned_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('response_breached', sa.Boolean(), nullable=False),
    sa.Column('support_hours_breached', sa.Boolean(), nullable=False),
    sa.Column('next_check_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint("severity IN ('critical', 'high', 'normal', 'low')", name='ck_sla_incidents_severity'),
    sa.CheckConstraint("source IN ('buyer', 'probe')", name='ck_sla_incidents_source'),
    sa.CheckConstraint("status IN ('open', 'responded', 'resolved')", name='ck_sla_incidents_status'),
    sa.ForeignKeyConstraint(['buyer_organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id', 'outage_started_at', name='uq_sla_incidents_outage')
    )
    with op.batch_alter_table('sla_incidents', schema=None) as batch_op:
        batch_op.create_index('ix_sla_incidents_buyer', ['buyer_organisation_id', 'opened_at'], unique=False)
        batch_op.create_index('ix_sla_incidents_next_check', ['next_check_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_incidents_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_incidents_solution_id'), ['solution_id'], unique=False)
        batch_op.create_index('ix_sla_incidents_vendor_status', ['vendor_organisation_id', 'status'], unique=False)

    op.create_table('sla_breaches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('term', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['sla_incidents.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    with op.batch_alter_table('sla_breaches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_breaches_incident_id'), ['incident_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_breaches_solution_id'), ['solution_id'], unique=False)
        batch_op.create_index('ix_sla_breaches_term_opened', ['term', 'opened_at'], unique=False)
        batch_op.create_index('ix_sla_breaches_vendor', ['vendor_organisation_id', 'opened_at'], unique=False)

    op.create_table('sla_incident_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['incident_id'], ['sla_incidents.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sla_incident_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_incident_events_incident_id'), ['incident_id'], unique=False)

    op.create_table('sla_compensation_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('credit_key', sa.String(length=120), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('buyer_organisation_id', sa.Integer(), nullable=False),
    sa.Column('vendor_organisation_id', sa.Integer(), nullable=False),
    sa.Column('breach_id', sa.Integer(), nullable=True),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=False),
    sa.Column('basis', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('availability_percent', sa.Float(), nullable=False),
    sa.Column('target_percent', sa.Float(), nullable=False),
    sa.Column('credit_percent', sa.Integer(), nullable=False),
    sa.Column('fee_points', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('credited', sa.Boolean(), nullable=False),
    sa.Column('credited_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('dispute_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.CheckConstraint('points > 0 AND fee_points >= points', name='ck_sla_statements_points'),
    sa.ForeignKeyConstraint(['breach_id'], ['sla_breaches.id'], ),
    sa.ForeignKeyConstraint(['buyer_organisation_id'], ['organisations.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], ),
    sa.ForeignKeyConstraint(['vendor_organisation_id'], ['organisations.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('credit_key'),
    sa.UniqueConstraint('order_id', 'period', name='uq_sla_statements_order_period')
    )
    with op.batch_alter_table('sla_compensation_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_compensation_statements_buyer_organisation_id'), ['buyer_organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_compensation_statements_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_compensation_statements_solution_id'), ['solution_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_compensation_statements_vendor_organisation_id'), ['vendor_organisation_id'], unique=False)

    op.create_table('sla_compensation_disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('opened_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'upheld', 'rejected')", name='ck_sla_disputes_status'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['statement_id'], ['sla_compensation_statements.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('statement_id')
    )


def downgrade() -> None:
    op.drop_table('sla_compensation_disputes')
    with op.batch_alter_table('sla_compensation_statements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_compensation_statements_vendor_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_sla_compensation_statements_solution_id'))
        batch_op.drop_index(batch_op.f('ix_sla_compensation_statements_order_id'))
        batch_op.drop_index(batch_op.f('ix_sla_compensation_statements_buyer_organisation_id'))

    op.drop_table('sla_compensation_statements')
    with op.batch_alter_table('sla_incident_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sla_incident_events_incident_id'))

    op.drop_table('sla_incident_events')
    with op.batch_alter_table('sla_breaches', schema=None) as batch_op:
        batch_op.drop_index('ix_sla_breaches_vendor')
        batch_op.drop_index('ix_sla_breaches_term_opened')
        batch_op.drop_index(batch_op.f('ix_sla_breaches_solution_id'))
        batch_op.drop_index(batch_op.f('ix_sla_breaches_incident_id'))

    op.drop_table('sla_breaches')
    with op.batch_alter_table('sla_incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_sla_incidents_vendor_status')
        batch_op.drop_index(batch_op.f('ix_sla_incidents_solution_id'))
        batch_op.drop_index(batch_op.f('ix_sla_incidents_order_id'))
        batch_op.drop_index('ix_sla_incidents_next_check')
        batch_op.drop_index('ix_sla_incidents_buyer')

    op.drop_table('sla_incidents')
    op.drop_table('sla_rpo_tokens')
    with op.batch_alter_table('sla_backup_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_sla_backup_reports_solution_completed')

    op.drop_table('sla_backup_reports')
    op.drop_table('sla_holidays')
