"""Compensation statements for buyers and vendors, and the buyer's 30-day dispute.

Nobody claims compensation: month_end.py credits it. What a buyer can do is disagree with the
figure within 30 days of the statement; the dispute goes to the administrators' queue, and the
decision (with its reason) is audited and sent back to the buyer. Upholding states the
corrected compensation (whole points, above what was paid, within the contract's cap); the
difference is paid by the month-end path (compensation_payments.py) under its own key.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.audit.services import record
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound
from tcloud.notifications.services import notify_organisation, notify_role
from tcloud.points.order_models import Order
from tcloud.sla.compensation import CompensationTerms
from tcloud.sla.compensation_payments import (
    dispute_key,
    pay_compensation,
    payment_for,
    pays_by_card,
)
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


def payments_of(session: Session, statement: CompensationStatement, order: Order) -> dict:
    """What was paid for a statement: at month end, and after an upheld dispute (or None)."""
    dispute = dispute_of(session, statement.id)
    return {"month_end": payment_for(session, order, statement.credit_key),
            "correction": (payment_for(session, order, dispute_key(dispute.id))
                           if dispute is not None and dispute.corrected_points else None)}


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


def correction_limits(statement: CompensationStatement, order: Order) -> tuple[int, int]:
    """(already paid, the contract's cap in points) for the month of a statement."""
    terms = CompensationTerms.from_snapshot(order.sla_snapshot)
    return statement.points, statement.fee_points * terms.compensation_cap_percent // 100


def checked_correction(value: object, statement: CompensationStatement, order: Order) -> int:
    """The corrected compensation an administrator typed, or Conflict on `corrected_points`.

    A whole number of points, above what the statement already paid (keeping the figure is
    "do not uphold") and within the contract's cap on the month's fee.
    """
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    if not text.isdigit() or not text.isascii():
        raise Conflict(_l("Enter the corrected compensation as a whole number of points."),
                       field="corrected_points")
    corrected = int(text)
    paid, cap = correction_limits(statement, order)
    if corrected <= paid:
        raise Conflict(_l("The corrected compensation must be more than the %(paid)s points "
                          "already paid. To keep the figure, do not uphold the dispute.",
                          paid=f"{paid:,}"), field="corrected_points")
    if corrected > cap:
        raise Conflict(_l("The contract caps compensation at %(cap)s points for this month "
                          "(%(percent)s%% of the month's fee).", cap=f"{cap:,}",
                          percent=CompensationTerms.from_snapshot(
                              order.sla_snapshot).compensation_cap_percent),
                       field="corrected_points")
    return corrected


def decide_dispute(session: Session, *, admin, dispute_id: int, uphold: bool, note: str,
                   corrected_points: object = None,
                   now: datetime | None = None) -> CompensationDispute:
    """Record the decision; an upheld dispute pays the corrected figure's difference.

    The dispute row is locked first, so two administrators deciding at once cannot both
    pass the "still open" check; the difference is paid under `sla-dispute:{id}`, a key that
    pays once whatever happens.
    """
    dispute = lock_row(session, CompensationDispute, dispute_id)
    if dispute is None:
        raise NotFound(_l("That dispute does not exist."))
    if dispute.status != DISPUTE_OPEN:
        raise Conflict(_l("This dispute is already decided."))
    note = note.strip()
    if not note:
        raise Conflict(_l("Give the reason for the decision."), field="note")
    statement = session.get(CompensationStatement, dispute.statement_id)
    order = session.get(Order, statement.order_id)
    corrected = checked_correction(corrected_points, statement, order) if uphold else None
    before = {"status": dispute.status, "points": statement.points}
    dispute.status = DISPUTE_UPHELD if uphold else DISPUTE_REJECTED
    dispute.decided_by_id, dispute.decision_note = admin.id, note
    dispute.decided_at = now or utcnow()
    dispute.corrected_points = corrected
    after = {"status": dispute.status, "points": corrected or statement.points}
    if corrected is not None:
        paid = pay_compensation(session, order=order, period=statement.period,
                                points=corrected - statement.points, key=dispute_key(dispute.id),
                                reason=f"SLA dispute #{dispute.id} {statement.period}: "
                                       f"{statement.points} -> {corrected}")
        after.update(difference=corrected - statement.points,
                     paid_to=paid.to if paid else None, key=dispute_key(dispute.id))
    session.add(dispute)
    record(session, actor=admin, action="sla.dispute_decided", subject_type="compensation",
           subject_id=statement.credit_key, reason=note, before=before, after=after)
    _tell_parties(session, dispute, statement, order, note)
    session.flush()
    return dispute


def _tell_parties(session: Session, dispute: CompensationDispute,
                  statement: CompensationStatement, order: Order, note: str) -> None:
    link = f"/sla/compensation/{statement.id}"
    if dispute.corrected_points is None:
        notify_organisation(session, statement.buyer_organisation_id,
                            kind=f"sla.dispute_{dispute.status}",
                            values={"period": statement.period, "note": note}, link=link)
        return
    values = {"period": statement.period, "note": note, "solution": order.solution_name,
              "original": f"{statement.points:,}", "corrected": f"{dispute.corrected_points:,}",
              "difference": f"{dispute.corrected_points - statement.points:,}"}
    kind = "sla.dispute_corrected_card" if pays_by_card(order) else "sla.dispute_corrected_points"
    notify_organisation(session, statement.buyer_organisation_id, kind=kind, values=values,
                        link=link)
    notify_organisation(session, statement.vendor_organisation_id,
                        kind="sla.dispute_corrected_vendor", values=values, link=link)
