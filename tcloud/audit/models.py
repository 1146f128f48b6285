"""Audit events. Rows are only ever added: database triggers refuse UPDATE and DELETE."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_occurred_at", "occurred_at"),
        Index("ix_audit_events_action", "action"),
        Index("ix_audit_events_subject", "subject_type", "subject_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    actor_label: str = Field(max_length=254)
    action: str = Field(max_length=64)
    subject_type: str = Field(max_length=64)
    subject_id: str = Field(max_length=64)
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    before: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
    after: str = Field(default="{}", sa_column=Column(Text, nullable=False, server_default="{}"))
