"""Vendors set how their solution is probed: interval, time-out, expected status, keyword."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit.services import record
from tcloud.clock import utcnow
from tcloud.sla.maintenance import own_solution
from tcloud.sla.models import ProbeTarget

EDITABLE = ("interval_seconds", "timeout_seconds", "expected_status", "keyword")


def target_of(session: Session, solution_id: int) -> ProbeTarget:
    """The stored settings, or the defaults (not added to the session) when none are saved."""
    found = session.execute(select(ProbeTarget).where(
        ProbeTarget.solution_id == solution_id)).scalar()
    return found or ProbeTarget(solution_id=solution_id)


def update_probe_settings(session: Session, *, vendor: User, solution_id: int,
                          values: dict) -> ProbeTarget:
    own_solution(session, vendor, solution_id)
    target = target_of(session, solution_id)
    before = {name: getattr(target, name) for name in EDITABLE}
    for name in EDITABLE:
        setattr(target, name, values.get(name))
    target.keyword = target.keyword or None
    target.updated_at = utcnow()
    session.add(target)
    session.flush()
    record(session, actor=vendor, action="sla.probe_settings_changed",
           subject_type="solution", subject_id=solution_id, before=before,
           after={name: getattr(target, name) for name in EDITABLE})
    return target
