"""Upload records. The bytes live in instance/uploads/ under `storage_name`, a random token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, String
from sqlmodel import Field, SQLModel

from tcloud.clock import utcnow


class Upload(SQLModel, table=True):
    __tablename__ = "uploads"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="ck_uploads_size"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_organisation_id: int = Field(foreign_key="organisations.id", index=True)
    uploaded_by_id: int = Field(foreign_key="users.id")
    purpose: str = Field(max_length=32)
    storage_name: str = Field(sa_column=Column(String(64), unique=True, nullable=False))
    original_name: str = Field(max_length=255)
    kind: str = Field(max_length=8)
    size_bytes: int
    sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
