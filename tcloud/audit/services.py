"""Write and read the audit log. Only `record` writes; nothing updates or deletes."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from tcloud.audit.models import AuditEvent


def record(
    session: Session,
    *,
    actor: Any,
    action: str,
    subject_type: str,
    subject_id: Any,
    reason: str = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    """Add one audit event in the caller's transaction (so it lands only if the action does)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "email", None) or "system (command line)",
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        reason=reason,
        before=json.dumps(before or {}, ensure_ascii=False, sort_keys=True, default=str),
        after=json.dumps(after or {}, ensure_ascii=False, sort_keys=True, default=str),
    )
    session.add(event)
    session.flush()
    return event


def _filtered(query, *, action: str | None, actor: str | None, since: datetime | None,
              until: datetime | None):
    if action:
        query = query.where(AuditEvent.action == action)
    if actor:
        query = query.where(AuditEvent.actor_label.contains(actor.lower()))
    if since:
        query = query.where(AuditEvent.occurred_at >= since)
    if until:
        query = query.where(AuditEvent.occurred_at < until)
    return query


def search(
    session: Session,
    *,
    action: str | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    per_page: int = 50,
) -> tuple[list[AuditEvent], int]:
    """One page of matching events, newest first, and the total number that match."""
    filters = {"action": action, "actor": actor, "since": since, "until": until}
    total = session.exec(_filtered(select(func.count()).select_from(AuditEvent), **filters)).one()
    rows = session.exec(
        _filtered(select(AuditEvent), **filters)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).all()
    return list(rows), total


def actions(session: Session) -> list[str]:
    return list(session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def _csv_safe(value: object) -> str:
    # A cell starting with = + - @ is a formula to Excel: neutralise it (CSV injection).
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(session: Session, **filters: Any) -> str:
    """All matching events as CSV (UTF-8 with BOM so Excel in Taiwan opens it correctly)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(["id", "occurred_at_utc", "actor", "action", "subject_type", "subject_id",
                     "reason", "before", "after"])
    query = _filtered(select(AuditEvent), **filters).order_by(AuditEvent.id)
    for event in session.exec(query):
        writer.writerow([_csv_safe(v) for v in (
            event.id, event.occurred_at.isoformat(), event.actor_label, event.action,
            event.subject_type, event.subject_id, event.reason, event.before, event.after)])
    return out.getvalue()
