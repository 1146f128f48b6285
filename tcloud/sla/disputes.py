"""Compensation statements for buyers and vendors, and the buyer's 30-day dispute.

Nobody claims compensation: month_end.py credits it. What a buyer can do is disagree with the
figure within 30 days of the statement; the dispute goes to the administrators' queue, and the
decision (with its reason) is audited and sent back to the buyer.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.audit.services import record
from tcloud.clock import utcnow
from tcloud.errors import Conflict, NotFound
from tcloud.notifications.services import notify_organisation, notify_role
from tcloud.sla.incident_models import (
    DISPUTE_OPEN,
    DISPUTE_REJECTED,
    DISPUTE_UPHELD,
    CompensationDispute,
    CompensationStatement,
)

REASON_LIMIT = 2000


def statement_for(session: Session, user, statement_id: int) -> CompensationStatement:
    """A statement its buyer, its vendor or an administrator may read."""
    statement = session.get(CompensationStatement, statement_id)
    if statement is None:
        raise NotFound(_l("That statement does not exist."))
    owner = {ROLE_BUSINESS: statement.buyer_organisation_id,
             ROLE_VENDOR: statement.vendor_organisation_id}.get(user.role)
    if user.role != ROLE_ADMIN and (owner is None or owner != user.organisation_id):
        raise NotFound(_l("That statement does not exist."))
    return statement


def statements_of(session: Session, user, limit: int = 100) -> list[CompensationStatement]:
    column = (CompensationStatement.buyer_organisation_id if user.role == ROLE_BUSINESS
              else CompensationStatement.vendor_organisation_id)
    return list(session.exec(select(CompensationStatement)
                             .where(column == user.organisation_id)
                             .order_by(CompensationStatement.period.desc(),
                                       CompensationStatement.id.desc()).limit(limit)))


def dispute_of(session: Session, statement_id: int) -> CompensationDispute | None:
    return session.exec(select(CompensationDispute).where(
        CompensationDispute.statement_id == statement_id)).first()


def open_dispute(session: Session, *, buyer, statement_id: int, reason: str,
                 now: datetime | None = None) -> CompensationDispute:
    now = now or utcnow()
    statement = session.get(CompensationStatement, statement_id)
    if statement is None or statement.buyer_organisation_id != buyer.organisation_id:
        raise NotFound(_l("That statement does not exist."))
    if now > statement.dispute_until:
        raise Conflict(_l("The 30 days to dispute this statement have passed."))
    reason = reason.strip()
    if not reason:
        raise Conflict(_l("Say why the figure is wrong."), field="reason")
    if len(reason) > REASON_LIMIT:
        raise Conflict(_l("Use %(limit)s characters or fewer.", limit=REASON_LIMIT),
                       field="reason")
    if dispute_of(session, statement_id) is not None:
        raise Conflict(_l("This statement is already disputed."))
    dispute = CompensationDispute(statement_id=statement_id, opened_by_id=buyer.id,
                                  reason=reason, opened_at=now)
    try:
        with session.begin_nested():
            session.add(dispute)
    except IntegrityError as err:
        raise Conflict(_l("This statement is already disputed.")) from err
    notify_role(session, ROLE_ADMIN, kind="sla.dispute_opened",
                values={"period": statement.period, "statement": statement.id},
                link="/admin/sla/disputes")
    return dispute


def open_disputes(session: Session) -> list[tuple[CompensationDispute, CompensationStatement]]:
    rows = session.exec(select(CompensationDispute, CompensationStatement)
                        .join(CompensationStatement,
                              CompensationStatement.id == CompensationDispute.statement_id)
                        .where(CompensationDispute.status == DISPUTE_OPEN)
                        .order_by(CompensationDispute.opened_at))
    return list(rows)


def decide_dispute(session: Session, *, admin, dispute_id: int, uphold: bool, note: str,
                   now: datetime | None = None) -> CompensationDispute:
    dispute = session.get(CompensationDispute, dispute_id)
    if dispute is None:
        raise NotFound(_l("That dispute does not exist."))
    if dispute.status != DISPUTE_OPEN:
        raise Conflict(_l("This dispute is already decided."))
    note = note.strip()
    if not note:
        raise Conflict(_l("Give the reason for the decision."), field="note")
    before = {"status": dispute.status}
    dispute.status = DISPUTE_UPHELD if uphold else DISPUTE_REJECTED
    dispute.decided_by_id, dispute.decision_note = admin.id, note
    dispute.decided_at = now or utcnow()
    statement = session.get(CompensationStatement, dispute.statement_id)
    record(session, actor=admin, action="sla.dispute_decided", subject_type="compensation",
           subject_id=statement.credit_key, reason=note, before=before,
           after={"status": dispute.status})
    notify_organisation(session, statement.buyer_organisation_id,
                        kind=f"sla.dispute_{dispute.status}",
                        values={"period": statement.period, "note": note},
                        link=f"/sla/compensation/{statement.id}")
    session.flush()
    return dispute
