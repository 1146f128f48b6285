"""Programmes: administrators set them up and change them; everyone reads the budget left.

A programme's budget lives in the ledger: creating a programme moves its total budget from
the programme's funding account into its budget account, and changing the total moves the
difference. The budget can never be lowered below what is still unallocated.
"""

from __future__ import annotations

import uuid
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import DomainError, NotFound, PermissionDenied
from tcloud.points import ledger, movements
from tcloud.points import models as m
from tcloud.points.eligibility import Rules

EDITABLE = ("name", "points_per_grant", "total_budget", "opens_on", "closes_on",
            "points_expire_on", "allowed_entity_types", "max_employees", "grant_immediately",
            "when_budget_short")


def _require_admin(user: User) -> None:
    if user is None or user.role != "admin":
        raise PermissionDenied(_l("Only administrators can set up programmes."))


def _snapshot(programme: m.Programme) -> dict:
    return {name: getattr(programme, name) for name in EDITABLE}


def _check_dates(values: dict) -> None:
    if values["closes_on"] < values["opens_on"]:
        raise DomainError(_l("The closing date must be on or after the opening date."),
                          field="closes_on")
    if values["points_expire_on"] < values["closes_on"]:
        raise DomainError(_l("Points must expire on or after the closing date."),
                          field="points_expire_on")


def _apply(programme: m.Programme, values: dict) -> None:
    for name in EDITABLE:
        value = values[name]
        if name == "allowed_entity_types":
            value = ",".join(value)
        setattr(programme, name, value)


def create_programme(session: Session, *, admin: User, values: dict,
                     reason: str = "") -> m.Programme:
    """A new programme with its ledger accounts and its budget funded."""
    _require_admin(admin)
    _check_dates(values)
    programme = m.Programme(total_budget=0, opens_on=values["opens_on"],
                            closes_on=values["closes_on"],
                            points_expire_on=values["points_expire_on"],
                            name=values["name"], allowed_entity_types="")
    _apply(programme, values)
    session.add(programme)
    session.flush()
    movements.programme_accounts(session, programme.id)
    movements.change_budget(
        session, programme_id=programme.id, delta=programme.total_budget,
        key=f"budget:{programme.id}:initial", actor_id=admin.id,
        description=f"{programme.name}: initial budget")
    audit.record(session, actor=admin, action="points.programme.create",
                 subject_type="points_programme", subject_id=programme.id, reason=reason,
                 after=_snapshot(programme))
    return programme


def update_programme(session: Session, *, admin: User, programme_id: int, values: dict,
                     reason: str = "") -> m.Programme:
    """Change a programme's settings; a new total budget moves the difference in the ledger."""
    _require_admin(admin)
    _check_dates(values)
    programme = lock_row(session, m.Programme, programme_id)
    if programme is None:
        raise NotFound(_l("That programme does not exist."))
    before = _snapshot(programme)
    delta = values["total_budget"] - programme.total_budget
    left = budget_left(session, programme_id)
    if left + delta < 0:
        raise DomainError(_l("The total budget cannot be lower than %(floor)s points: the "
                             "rest is already granted.",
                             floor=f"{programme.total_budget - left:,}"), field="total_budget")
    _apply(programme, values)
    programme.updated_at = utcnow()
    session.add(programme)
    session.flush()
    movements.change_budget(
        session, programme_id=programme.id, delta=delta, actor_id=admin.id,
        key=f"budget:{programme.id}:{before['total_budget']}->{programme.total_budget}:"
            f"{uuid.uuid4().hex[:12]}",
        description=f"{programme.name}: budget {before['total_budget']:,} -> "
                    f"{programme.total_budget:,}")
    audit.record(session, actor=admin, action="points.programme.update",
                 subject_type="points_programme", subject_id=programme.id, reason=reason,
                 before=before, after=_snapshot(programme))
    return programme


def get_programme(session: Session, programme_id: int) -> m.Programme:
    programme = session.get(m.Programme, programme_id)
    if programme is None:
        raise NotFound(_l("That programme does not exist."))
    return programme


def list_programmes(session: Session) -> list[m.Programme]:
    return list(session.execute(select(m.Programme).order_by(m.Programme.opens_on.desc(),
                                                             m.Programme.id.desc())).scalars())


def open_programmes(session: Session, today: date) -> list[m.Programme]:
    return list(session.execute(
        select(m.Programme).where(m.Programme.opens_on <= today, m.Programme.closes_on >= today)
        .order_by(m.Programme.closes_on)).scalars())


def budget_left(session: Session, programme_id: int) -> int:
    """Points of the budget not yet granted (read as of now; grants lock it to change it)."""
    balance = session.execute(select(m.LedgerAccount.balance).where(
        m.LedgerAccount.code == ledger.budget_code(programme_id))).scalar()
    return balance or 0


def rules_of(programme: m.Programme) -> Rules:
    return Rules(points_per_grant=programme.points_per_grant, opens_on=programme.opens_on,
                 closes_on=programme.closes_on,
                 allowed_entity_types=programme.entity_types,
                 max_employees=programme.max_employees)


def totals(session: Session, programme_id: int) -> dict[str, int]:
    """Points granted, held, spent, refunded, expired and the budget left, from the ledger."""
    tx, entry = m.LedgerTransaction, m.LedgerEntry
    moved = dict(session.execute(
        select(tx.kind, func.sum(entry.amount))
        .join(entry, entry.transaction_id == tx.id)
        .where(tx.programme_id == programme_id, entry.amount > 0)
        .group_by(tx.kind)).all())
    balances = dict(session.execute(
        select(m.LedgerAccount.kind, func.sum(m.LedgerAccount.balance))
        .where(m.LedgerAccount.programme_id == programme_id)
        .group_by(m.LedgerAccount.kind)).all())
    grants = session.execute(select(func.count()).select_from(m.Grant)
                             .where(m.Grant.programme_id == programme_id)).scalar_one()
    return {
        "grants": grants,
        "granted": int(moved.get(movements.GRANT, 0)),
        "held": int(balances.get(m.ESCROW, 0)),
        "spent": int(moved.get(movements.CAPTURE, 0)),
        "released": int(moved.get(movements.RELEASE, 0)),
        "refunded": int(moved.get(movements.REFUND, 0)),
        "compensated": int(moved.get(movements.COMPENSATION, 0)),
        "expired": int(moved.get(movements.EXPIRY, 0)),
        "in_wallets": int(balances.get(m.WALLET, 0)),
        "budget_left": int(balances.get(m.BUDGET, 0)),
    }
