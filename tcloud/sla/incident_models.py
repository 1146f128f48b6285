"""Incident, backup (RPO), breach and compensation tables, and Taiwan's national holidays.

An incident belongs to one subscription (an active Order) and keeps the deadlines worked out
when it was opened from the order's SLA snapshot, so a later change to the listing or to the
holiday list never moves a promise already made. Breaches carry the unique key of
compensation.breach_key (solution, term, period, subject); compensation statements carry the
ledger credit key: both are unique in the database, so jobs that run twice create nothing twice.
RPO tokens are stored as SHA-256 hashes only; the token itself is shown once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

# Incident states: open (waiting for the vendor), responded, resolved.
OPEN, RESPONDED, RESOLVED = "open", "responded", "resolved"
INCIDENT_STATES = (OPEN, RESPONDED, RESOLVED)
# Who opened it: the buyer, or the platform's probes on a confirmed outage.
FROM_BUYER, FROM_PROBE = "buyer", "probe"
# Incident events.
EVENT_OPENED, EVENT_RESPONSE, EVENT_RESOLUTION = "opened", "response", "resolution"
# Backup report outcomes as the API names them (rpo.py calls a good one "success").
BACKUP_OK, BACKUP_FAILED, BACKUP_PARTIAL = "ok", "failed", "partial"
BACKUP_STATUSES = (BACKUP_OK, BACKUP_FAILED, BACKUP_PARTIAL)
# Dispute states.
DISPUTE_OPEN, DISPUTE_UPHELD, DISPUTE_REJECTED = "open", "upheld", "rejected"
DISPUTE_STATES = (DISPUTE_OPEN, DISPUTE_UPHELD, DISPUTE_REJECTED)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Holiday(SQLModel, table=True):
    """A national holiday of Taiwan (a day off on which office-hours support is closed)."""

    __tablename__ = "sla_holidays"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    name: str = Field(max_length=60)
    created_at: datetime = Field(default_factory=utcnow)


class Incident(SQLModel, table=True):
    """A problem reported on one subscription, with its response deadlines fixed at opening."""

    __tablename__ = "sla_incidents"
    __table_args__ = (
        CheckConstraint(_in("status", INCIDENT_STATES), name="ck_sla_incidents_status"),
        CheckConstraint(_in("severity", ("critical", "high", "normal", "low")),
                        name="ck_sla_incidents_severity"),
        CheckConstraint(_in("source", (FROM_BUYER, FROM_PROBE)), name="ck_sla_incidents_source"),
        # One incident per subscription per probe outage: the probes may report it many times.
        UniqueConstraint("order_id", "outage_started_at", name="uq_sla_incidents_outage"),
        Index("ix_sla_incidents_vendor_status", "vendor_organisation_id", "status"),
        Index("ix_sla_incidents_buyer", "buyer_organisation_id", "opened_at"),
        Index("ix_sla_incidents_next_check", "next_check_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    buyer_organisation_id: int = Field(foreign_key="organisations.id")
    vendor_organisation_id: int = Field(foreign_key="organisations.id")
    severity: str = Field(max_length=10)
    description: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(default=FROM_BUYER, max_length=10)
    outage_started_at: datetime | None = None
    opened_by_id: int | None = Field(default=None, foreign_key="users.id")
    opened_at: datetime
    status: str = Field(default=OPEN, max_length=10)
    # Fixed at opening from the order's SLA snapshot (see incidents.py).
    target_minutes: int
    calendar_clock: bool
    due_at: datetime
    warn_at: datetime
    support_hours_end_at: datetime | None = None
    # What happened.
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    warned_at: datetime | None = None  # the vendor was warned of the coming deadline
    response_breached: bool = False
    support_hours_breached: bool = False
    # When the evaluation job must look again (None: nothing can change without new input).
    next_check_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class IncidentEvent(SQLModel, table=True):
    """What happened to an incident: opened, first response, resolution (with the words)."""

    __tablename__ = "sla_incident_events"

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="sla_incidents.id", index=True)
    kind: str = Field(max_length=12)
    at: datetime
    by_id: int | None = Field(default=None, foreign_key="users.id")
    note: str = Field(default="", sa_column=Column(Text, nullable=False))


class RpoToken(SQLModel, table=True):
    """The secret a vendor's backup job uses to report backups of one solution (hash only)."""

    __tablename__ = "sla_rpo_tokens"

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id", unique=True)
    token_sha256: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    hint: str = Field(max_length=12)  # the first characters, so a vendor can tell tokens apart
    created_by_id: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    # The newest good backup the vendor was already warned about (one warning per backup).
    warned_for_backup_at: datetime | None = None


class BackupReport(SQLModel, table=True):
    """One completed (or failed, or partial) backup, as the vendor reported it."""

    __tablename__ = "sla_backup_reports"
    __table_args__ = (
        CheckConstraint(_in("status", BACKUP_STATUSES), name="ck_sla_backup_reports_status"),
        CheckConstraint("size_bytes IS NULL OR size_bytes >= 0",
                        name="ck_sla_backup_reports_size"),
        Index("ix_sla_backup_reports_solution_completed", "solution_id", "status",
              "completed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id")
    completed_at: datetime
    status: str = Field(max_length=10)
    size_bytes: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    checksum: str | None = Field(default=None, max_length=128)
    received_at: datetime = Field(default_factory=utcnow)


class Breach(SQLModel, table=True):
    """One broken SLA term, named by its unique key (solution, term, period, subject)."""

    __tablename__ = "sla_breaches"
    __table_args__ = (
        Index("ix_sla_breaches_term_opened", "term", "opened_at"),
        Index("ix_sla_breaches_vendor", "vendor_organisation_id", "opened_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id")
    term: str = Field(max_length=20)
    period: str = Field(max_length=20)
    subject: str = Field(max_length=40)
    incident_id: int | None = Field(default=None, foreign_key="sla_incidents.id", index=True)
    opened_at: datetime  # when the term was broken
    closed_at: datetime | None = None  # RPO: when a fresh backup arrived; others at once
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


class CompensationStatement(SQLModel, table=True):
    """What one subscription was credited for one month, for the buyer and the vendor."""

    __tablename__ = "sla_compensation_statements"
    __table_args__ = (
        UniqueConstraint("order_id", "period", name="uq_sla_statements_order_period"),
        CheckConstraint("points > 0 AND fee_points >= points",
                        name="ck_sla_statements_points"),
    )

    id: int | None = Field(default=None, primary_key=True)
    credit_key: str = Field(sa_column=Column(String(120), unique=True, nullable=False))
    order_id: int = Field(foreign_key="orders.id", index=True)
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    buyer_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    vendor_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    breach_id: int | None = Field(default=None, foreign_key="sla_breaches.id")
    period: str = Field(max_length=7)  # YYYY-MM
    basis: str = Field(max_length=20)  # measured or vendor_favourable (compensation.py)
    availability_percent: float
    target_percent: float
    credit_percent: int
    fee_points: int
    points: int
    credited: bool = False  # the ledger credit was posted (credit_compensation returned a row)
    credited_at: datetime
    dispute_until: datetime


class CompensationDispute(SQLModel, table=True):
    """A buyer's objection to a statement, decided by an administrator."""

    __tablename__ = "sla_compensation_disputes"
    __table_args__ = (
        CheckConstraint(_in("status", DISPUTE_STATES), name="ck_sla_disputes_status"),
        CheckConstraint("corrected_points IS NULL OR corrected_points > 0",
                        name="ck_sla_disputes_corrected"),
    )

    id: int | None = Field(default=None, primary_key=True)
    statement_id: int = Field(foreign_key="sla_compensation_statements.id", unique=True)
    opened_by_id: int = Field(foreign_key="users.id")
    reason: str = Field(sa_column=Column(Text, nullable=False))
    opened_at: datetime = Field(default_factory=utcnow)
    status: str = Field(default=DISPUTE_OPEN, max_length=10)
    decided_by_id: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = None
    decision_note: str | None = Field(default=None, sa_column=Column(Text))
    # Upheld: the compensation the administrator found right for the month (points, within
    # the contract's cap). The difference from the statement's points is paid under the key
    # `sla-dispute:{id}`, by the same path as the month-end credit (compensation_payments.py).
    corrected_points: int | None = None
