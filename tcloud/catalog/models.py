"""Catalogue tables: vendor applications, their vetting decisions, and catalogue settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, Text
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow

_STATUS_CHECK = ("status IN ('submitted', 'under_review', 'changes_requested', 'approved', "
                 "'rejected', 'suspended')")


class VendorApplication(SQLModel, table=True):
    """One per vendor organisation; resubmission updates it, decisions keep the history."""

    __tablename__ = "vendor_applications"
    __table_args__ = (
        CheckConstraint(_STATUS_CHECK, name="ck_vendor_applications_status"),
        CheckConstraint("paid_in_capital >= 0 AND years_in_business >= 0 "
                        "AND paying_customers >= 0", name="ck_vendor_applications_counts"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisations.id", unique=True)
    status: str = Field(max_length=20, index=True)
    paid_in_capital: int
    years_in_business: int
    paying_customers: int
    reference_customers: str = Field(sa_column=Column(Text, nullable=False))
    security_report_id: int = Field(foreign_key="uploads.id")
    declares_no_tax_arrears: bool
    declares_no_major_breach: bool
    declares_not_prc_funded: bool
    agrees_sla_minimums: bool
    agrees_no_inducements: bool
    submitted_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class VettingDecision(SQLModel, table=True):
    """A status change with its reason and who made it; the vendor sees these."""

    __tablename__ = "vetting_decisions"

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="vendor_applications.id", index=True)
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    decided_by_id: int = Field(foreign_key="users.id")
    decided_by_name: str = Field(max_length=100)
    decided_at: datetime = Field(default_factory=utcnow)


class CatalogSettings(SQLModel, table=True):
    """Administrator settings of the catalogue (one row, id 1)."""

    __tablename__ = "catalog_settings"
    __table_args__ = (CheckConstraint("min_paid_in_capital >= 0",
                                      name="ck_catalog_settings_capital"),)

    id: int | None = Field(default=None, primary_key=True)
    min_paid_in_capital: int = 1_000_000
    updated_at: datetime = Field(default_factory=utcnow)
