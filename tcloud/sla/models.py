"""Availability tables: probe settings and raw results, per-day minute roll-ups, maintenance
windows, certificate warnings, burn-rate alerts, and the scheduler's record of its job runs.

Raw results are short-lived (a few days, deleted by time range in one statement); what stays for
years is one `MinuteDay` per solution per Taipei day: four counts to sum plus the day's minute
states encoded by minute_states.py (5 bytes for an all-up day). Incidents, backups, breaches and
holidays are in incident_models.py, not here.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Index,
    LargeBinary,
    SmallInteger,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

DEFAULT_INTERVAL_SECONDS = 60
DEFAULT_TIMEOUT_SECONDS = 10
DEFAULT_EXPECTED_STATUS = 200


class ProbeTarget(SQLModel, table=True):
    """How one solution is probed, and what the last probe saw.

    The URL itself is the live version's health_url (read from the catalogue at each round), so
    a new version moves the probe with it. A solution without a row is probed with the defaults.
    """

    __tablename__ = "probe_targets"
    __table_args__ = (
        CheckConstraint("interval_seconds IN (60, 120, 300)", name="ck_probe_targets_interval"),
        CheckConstraint("timeout_seconds BETWEEN 1 AND 30", name="ck_probe_targets_timeout"),
        CheckConstraint("expected_status BETWEEN 100 AND 599", name="ck_probe_targets_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id", unique=True)
    interval_seconds: int = DEFAULT_INTERVAL_SECONDS
    timeout_seconds: int = DEFAULT_TIMEOUT_SECONDS
    expected_status: int = DEFAULT_EXPECTED_STATUS
    keyword: str | None = Field(default=None, max_length=100)
    # Where to send the probe instead of the listing's health URL, when the platform must reach
    # the service by another address (the demo seed points demo solutions at local endpoints:
    # their listed *.example.tw hosts do not exist). Not editable by vendors: the listed URL is
    # what was vetted.
    probe_url: str | None = Field(default=None, max_length=300)
    # What the last round saw (for the vendor's status page and outage detection).
    last_probed_at: datetime | None = None
    last_ok: bool | None = None
    last_detail: str | None = Field(default=None, max_length=200)
    last_latency_ms: int | None = None
    down_since: datetime | None = None
    cert_expires_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)


class ProbeResult(SQLModel, table=True):
    """One HTTP attempt (attempt 2 is the immediate retry of a failed attempt 1)."""

    __tablename__ = "probe_results"
    __table_args__ = (
        Index("ix_probe_results_solution_minute", "solution_id", "minute"),
        CheckConstraint("attempt IN (1, 2)", name="ck_probe_results_attempt"),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id")
    # Indexed alone: retention deletes by time range, one statement, across all solutions.
    probed_at: datetime = Field(index=True)
    minute: int  # epoch minute (UTC) the attempt started in
    attempt: int = Field(sa_column=Column(SmallInteger, nullable=False))
    ok: bool
    # How many minutes this round speaks for (interval ÷ 60): a 5-minute interval covers 5.
    covers_minutes: int = Field(default=1, sa_column=Column(SmallInteger, nullable=False))
    status_code: int | None = None
    latency_ms: int | None = None
    detail: str | None = Field(default=None, max_length=200)


class MinuteDay(SQLModel, table=True):
    """One solution's Taipei day of minute states: counts plus the encoded minutes."""

    __tablename__ = "minute_days"
    __table_args__ = (
        UniqueConstraint("solution_id", "day", name="uq_minute_days_solution_day"),
        CheckConstraint("up >= 0 AND down >= 0 AND maintenance >= 0 AND unknown >= 0",
                        name="ck_minute_days_counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id")
    day: date = Field(index=True)
    up: int = 0
    down: int = 0
    maintenance: int = 0
    unknown: int = 0
    encoded: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class MaintenanceWindow(SQLModel, table=True):
    """Planned maintenance a vendor announced; excused only with 72 hours' notice, within the
    monthly cap (availability.py applies the rule when a period is evaluated)."""

    __tablename__ = "maintenance_windows"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_maintenance_windows_order"),
        Index("ix_maintenance_windows_solution_starts", "solution_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id")
    starts_at: datetime
    ends_at: datetime
    announced_at: datetime = Field(default_factory=utcnow)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    announced_by_id: int = Field(foreign_key="users.id")
    cancelled_at: datetime | None = None


class CertWarning(SQLModel, table=True):
    """A warning that a solution's TLS certificate expires soon: once per threshold per cert."""

    __tablename__ = "cert_warnings"
    __table_args__ = (
        UniqueConstraint("solution_id", "expires_at", "threshold_days",
                         name="uq_cert_warnings_threshold"),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    expires_at: datetime
    threshold_days: int
    warned_at: datetime = Field(default_factory=utcnow)


class BurnAlert(SQLModel, table=True):
    """A solution burning its error budget fast; open until the burn stops (one open per kind)."""

    __tablename__ = "burn_alerts"
    __table_args__ = (
        CheckConstraint("kind IN ('page', 'ticket')", name="ck_burn_alerts_kind"),
        Index("uq_burn_alerts_open", "solution_id", "kind", unique=True,
              sqlite_where=text("resolved_at IS NULL"),
              postgresql_where=text("resolved_at IS NULL")),
    )

    id: int | None = Field(default=None, primary_key=True)
    solution_id: int = Field(foreign_key="solutions.id", index=True)
    kind: str = Field(max_length=10)
    long_rate: float
    short_rate: float
    target_percent: float
    opened_at: datetime = Field(default_factory=utcnow)
    resolved_at: datetime | None = None


class SchedulerRun(SQLModel, table=True):
    """The last run of each scheduled job, so a restarted scheduler knows what it missed.

    last_succeeded_at is written in the same transaction as the job's own work: either both
    commit or neither, so a scheduler killed mid-run simply runs the job again.
    """

    __tablename__ = "scheduler_runs"

    job_name: str = Field(primary_key=True, max_length=80)
    last_started_at: datetime | None = None
    last_succeeded_at: datetime | None = None
    last_failed_at: datetime | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_summary: str | None = Field(default=None, max_length=200)
    successes: int = 0
    failures: int = 0
