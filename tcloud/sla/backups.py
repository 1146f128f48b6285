"""RPO from the vendor's backup reports: per-solution tokens, reports, states and breaches.

A vendor's backup job reports each completed backup with a per-solution token; only its SHA-256
is stored, so a database leak reveals no token, and the token is shown once when made (making a
new one replaces the old). Failed and partial backups are stored but never count (rpo.py).
The RPO committed by the solution's live version is checked for solutions with subscribers:
an RPO breach is recorded under its unique key and stays open until a fresh good report.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from tcloud.audit.services import record
from tcloud.catalog.models import Solution, SolutionVersion
from tcloud.clock import utcnow
from tcloud.errors import Conflict, NotFound, PermissionDenied
from tcloud.notifications.services import notify_organisation
from tcloud.points.order_models import ACTIVE, Order
from tcloud.sla import rpo
from tcloud.sla.breaches import record_breach
from tcloud.sla.compensation import RPO, SOLUTION_SUBJECT, breach_key, moment_period
from tcloud.sla.incident_models import BACKUP_OK, BACKUP_STATUSES, BackupReport, Breach, RpoToken

TOKEN_PREFIX = "tcrpo_"  # noqa: S105 (a label, not a secret)
# A clock a few minutes fast on the vendor's side is normal; a report from the future is not.
FUTURE_TOLERANCE = timedelta(minutes=5)


class InvalidToken(PermissionDenied):
    status = 401
    title = _l("Unauthorised")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def vendor_solution(session: Session, vendor, solution_id: int) -> Solution:
    solution = session.get(Solution, solution_id)
    if solution is None or solution.vendor_organisation_id != vendor.organisation_id:
        raise NotFound(_l("That solution does not exist."))
    return solution


def issue_token(session: Session, *, vendor, solution_id: int) -> str:
    """A new token for the solution (the previous one stops working); returned only here."""
    vendor_solution(session, vendor, solution_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    existing = session.exec(select(RpoToken).where(RpoToken.solution_id == solution_id)).first()
    if existing is None:
        existing = RpoToken(solution_id=solution_id, token_sha256="", hint="",
                            created_by_id=vendor.id)
        session.add(existing)
    existing.token_sha256, existing.hint = hash_token(token), token[:12]
    existing.created_by_id, existing.created_at, existing.last_used_at = vendor.id, utcnow(), None
    record(session, actor=vendor, action="sla.rpo_token_issued", subject_type="solution",
           subject_id=solution_id, after={"hint": existing.hint})
    session.flush()
    return token


def token_of(session: Session, solution_id: int) -> RpoToken | None:
    return session.exec(select(RpoToken).where(RpoToken.solution_id == solution_id)).first()


def authenticate(session: Session, authorization: str | None, solution_id: int) -> RpoToken:
    """The token row for `Authorization: Bearer <token>`, if it belongs to this solution."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidToken(_l("Send the solution's backup token as 'Authorization: Bearer'."))
    row = session.exec(select(RpoToken).where(
        RpoToken.token_sha256 == hash_token(token.strip()))).first()
    if row is None:
        raise InvalidToken(_l("The backup token is not valid."))
    if row.solution_id != solution_id:
        raise PermissionDenied(_l("This token reports backups of another solution."))
    return row


def report_backup(session: Session, *, token: RpoToken, completed_at: datetime, status: str,
                  size_bytes: int | None = None, checksum: str | None = None,
                  now: datetime | None = None) -> BackupReport:
    """Store one report; a good one closes the solution's open RPO breach."""
    now = now or utcnow()
    if status not in BACKUP_STATUSES:
        raise Conflict(_l("Status is ok, failed or partial."), field="status")
    if completed_at > now + FUTURE_TOLERANCE:
        raise Conflict(_l("A backup cannot complete in the future."), field="completed_at")
    report = BackupReport(solution_id=token.solution_id, completed_at=completed_at,
                          status=status, size_bytes=size_bytes, checksum=checksum,
                          received_at=now)
    session.add(report)
    token.last_used_at = now
    if status == BACKUP_OK:
        for breach in session.exec(select(Breach).where(
                Breach.solution_id == token.solution_id, Breach.term == RPO,
                Breach.closed_at.is_(None), Breach.opened_at < completed_at)):
            breach.closed_at = completed_at
    session.flush()
    return report


def recent_reports(session: Session, solution_id: int, limit: int = 20) -> list[BackupReport]:
    return list(session.exec(select(BackupReport).where(BackupReport.solution_id == solution_id)
                             .order_by(BackupReport.completed_at.desc()).limit(limit)))


# --- state -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SolutionRpo:
    solution_id: int
    name: str
    rpo_minutes: int
    since: datetime | None  # first activation of a current subscription (None: no subscribers)
    status: rpo.RpoStatus | None


def _newest_good(session: Session, solution_id: int, now: datetime) -> datetime | None:
    return session.exec(select(func.max(BackupReport.completed_at)).where(
        BackupReport.solution_id == solution_id, BackupReport.status == BACKUP_OK,
        BackupReport.completed_at <= now)).one()


def _live_terms(session: Session, solution_id: int) -> tuple[int, str] | None:
    """(rpo_minutes, name) of the solution's live version."""
    row = session.exec(select(SolutionVersion.rpo_minutes, SolutionVersion.name).where(
        SolutionVersion.solution_id == solution_id, SolutionVersion.state == "live")).first()
    return tuple(row) if row is not None else None


def _subscribed_since(session: Session, solution_id: int) -> datetime | None:
    return session.exec(select(func.min(Order.activated_at)).where(
        Order.solution_id == solution_id, Order.status == ACTIVE)).one()


def solution_rpo(session: Session, solution_id: int, now: datetime | None = None) -> SolutionRpo:
    """The RPO state of one solution now (no status without a live version or subscribers)."""
    now = now or utcnow()
    minutes, name = _live_terms(session, solution_id) or (0, "")
    since = _subscribed_since(session, solution_id)
    if not minutes or since is None:
        return SolutionRpo(solution_id, name, minutes, since, None)
    newest = _newest_good(session, solution_id, now)
    reports = [rpo.BackupReport(newest)] if newest is not None else []
    return SolutionRpo(solution_id, name, minutes, since,
                       rpo.rpo_status(reports, rpo_minutes=minutes, since=since, now=now))


def evaluate_rpo(session: Session, now: datetime) -> int:
    """Record RPO breaches and warn vendors, for every solution with active subscribers."""
    solution_ids = session.exec(select(Order.solution_id).where(Order.status == ACTIVE)
                                .distinct()).all()
    breached = 0
    for solution_id in solution_ids:
        state = solution_rpo(session, solution_id, now)
        if state.status is None:
            continue
        solution = session.get(Solution, solution_id)
        if state.status.state == rpo.BREACH:
            began = state.status.breach_at
            period = moment_period(began)
            breach = record_breach(
                session, key=breach_key(solution_id, RPO, period, SOLUTION_SUBJECT),
                solution_id=solution_id, vendor_organisation_id=solution.vendor_organisation_id,
                term=RPO, period=period, subject=SOLUTION_SUBJECT, opened_at=began,
                details={"rpo_minutes": state.rpo_minutes,
                         "newest_success_at": (state.status.newest_success_at.isoformat()
                                               if state.status.newest_success_at else None)})
            if breach is not None:
                breached += 1
                notify_organisation(session, solution.vendor_organisation_id,
                                    kind="sla.breach.rpo", values={"solution": state.name},
                                    link="/vendor/sla/backups")
        elif state.status.state == rpo.WARNING:
            token = token_of(session, solution_id)
            newest = state.status.newest_success_at
            if token is not None and token.warned_for_backup_at != newest:
                token.warned_for_backup_at = newest
                notify_organisation(session, solution.vendor_organisation_id,
                                    kind="sla.rpo_warning", values={"solution": state.name},
                                    link="/vendor/sla/backups")
    session.flush()
    return breached
