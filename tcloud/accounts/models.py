"""Accounts: people who log in, the organisations they act for, and login attempts."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Column, Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow


class Organisation(SQLModel, table=True):
    """A business that buys with points, or a vendor organisation that lists solutions."""

    __tablename__ = "organisations"
    __table_args__ = (
        UniqueConstraint("kind", "tax_id", name="uq_organisations_kind_tax_id"),
        CheckConstraint("kind IN ('business', 'vendor')", name="ck_organisations_kind"),
        CheckConstraint(
            "employee_count IS NULL OR employee_count >= 0",
            name="ck_organisations_employee_count",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    tax_id: str = Field(max_length=8, index=True)
    entity_type: str | None = Field(default=None, max_length=32)
    employee_count: int | None = None
    industry: str | None = Field(default=None, max_length=32)
    city: str | None = Field(default=None, max_length=32)
    contact_name: str | None = Field(default=None, max_length=100)
    # Contact details the organisation keeps current on its profile page. Administrators
    # compare them across vendors and buyers (points.review_signals): shared details between
    # the two sides of a subsidised sale are a sign of collusion worth a look.
    phone: str | None = Field(default=None, max_length=20)  # digits only, e.g. 0223456789
    address: str | None = Field(default=None, max_length=200)
    # As "bank code-account number": for a vendor where settlement payments go; for a
    # business (optional) where refunds go that cannot return to a card.
    bank_account: str | None = Field(default=None, max_length=24)
    created_at: datetime = Field(default_factory=utcnow)


class User(UserMixin, SQLModel, table=True):
    """A person with one role. Emails are stored lower-cased so that uniqueness means one person."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "role IN ('business', 'vendor', 'consultant', 'admin')", name="ck_users_role"
        ),
        # Sign-ups per address per hour (accounts/throttling.py), and the review signal.
        Index("ix_users_registered_ip_created", "registered_ip", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), unique=True, nullable=False))
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=16)
    display_name: str = Field(max_length=100)
    organisation_id: int | None = Field(default=None, foreign_key="organisations.id", index=True)
    locale: str | None = Field(default=None, max_length=8)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # The address a self-registered account signed up from (many buyers of one vendor from
    # one address in a day is a review signal); None for staff accounts and older rows.
    registered_ip: str | None = Field(default=None, max_length=64)
    last_login_at: datetime | None = None

    @property
    def is_active(self) -> bool:  # flask-login: suspended accounts cannot log in
        return self.active


class LoginAttempt(SQLModel, table=True):
    """One login try; failures in a sliding window throttle an account and an address."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email_time", "email", "attempted_at"),
        Index("ix_login_attempts_ip_time", "ip", "attempted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    ip: str = Field(max_length=64)
    succeeded: bool
    attempted_at: datetime = Field(default_factory=utcnow)
