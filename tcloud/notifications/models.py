"""Notification rows: one per recipient, with the message as a kind plus its values."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow


class Notification(SQLModel, table=True):
    """Rendered at display time, so each person reads it in the language they use then."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    kind: str = Field(max_length=60)
    values: dict = Field(sa_column=Column(JSON, nullable=False))
    link: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None
