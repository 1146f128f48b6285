"""Granting a whole queue at once: the programme office's "grant everyone eligible" step.

The same rules as one grant (programme row locked, budget checked, one grant per tax ID, one
ledger transaction with its own key per grant), written with bulk statements so that tens of
thousands of grants take seconds. Only applications whose sole failed check was the budget
(the waiting list), or that passed everything but wait for review, are granted; anything
else needs an administrator's individual decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import NotFound, PermissionDenied
from tcloud.points import bulk, eligibility, ledger, movements, programmes
from tcloud.points import models as m
from tcloud.points.applications import QUEUE_STATUSES

_apps = m.GrantApplication.__table__
_accounts = m.LedgerAccount.__table__


@dataclass(frozen=True)
class BatchResult:
    granted: int
    budget_left: int
    still_waiting: int


def _eligible(programme_id: int, limit: int):
    return (select(_apps.c.id, _apps.c.organisation_id, _apps.c.tax_id)
            .where(_apps.c.programme_id == programme_id, _apps.c.status.in_(QUEUE_STATUSES),
                   or_(_apps.c.failed_checks == "", _apps.c.failed_checks == eligibility.BUDGET))
            .order_by(_apps.c.id).limit(limit))


def _wallet_ids(session: Session, programme_id: int, organisation_ids: list[int]) -> dict:
    codes = {ledger.wallet_code(programme_id, org): org for org in organisation_ids}
    found: dict[int, int] = {}
    for part in bulk.chunks(session, list(codes)):
        rows = session.execute(select(_accounts.c.code, _accounts.c.id)
                               .where(bulk.among(session, _accounts.c.code, part)))
        found.update({codes[code]: account_id for code, account_id in rows})
    missing = [org for org in organisation_ids if org not in found]
    now = utcnow()
    found.update(dict(bulk.insert_rows(session, _accounts, [
        {"code": ledger.wallet_code(programme_id, org), "kind": m.WALLET,
         "programme_id": programme_id, "organisation_id": org, "balance": 0,
         "created_at": now} for org in missing], returning=("organisation_id", "id"))))
    return found


def grant_queue(session: Session, *, admin: User, programme_id: int, reason: str,
                limit: int = 5000) -> BatchResult:
    """Grant up to `limit` queued applications in order, as far as the budget reaches."""
    if admin.role != "admin":
        raise PermissionDenied(_l("Only administrators can decide applications."))
    programme = lock_row(session, m.Programme, programme_id)
    if programme is None:
        raise NotFound(_l("That programme does not exist."))
    points = programme.points_per_grant
    fits = programmes.budget_left(session, programme_id) // points
    rows = session.execute(_eligible(programme_id, min(limit, fits))).all() if fits else []
    rows = _without_existing_grants(session, programme_id, rows)
    if rows:
        _grant_rows(session, programme, admin, reason, rows)
    left = programmes.budget_left(session, programme_id)
    waiting = session.execute(select(func.count()).select_from(_apps).where(
        _apps.c.programme_id == programme_id, _apps.c.status.in_(QUEUE_STATUSES))).scalar_one()
    return BatchResult(granted=len(rows), budget_left=left, still_waiting=waiting)


def _without_existing_grants(session: Session, programme_id: int, rows):
    tax_ids = [row.tax_id for row in rows]
    granted: set[str] = set()
    for part in bulk.chunks(session, tax_ids):
        granted.update(session.execute(select(m.Grant.tax_id).where(
            m.Grant.programme_id == programme_id,
            bulk.among(session, m.Grant.tax_id, part))).scalars())
    return [row for row in rows if row.tax_id not in granted]


def _grant_rows(session: Session, programme: m.Programme, admin: User, reason: str,
                rows) -> None:
    points, now = programme.points_per_grant, utcnow()
    budget = ledger.account_by_code(session, ledger.budget_code(programme.id))
    wallets = _wallet_ids(session, programme.id, [row.organisation_id for row in rows])
    posted = ledger.post_movements(session, [
        ledger.Movement(key=movements.grant_key(programme.id, row.tax_id), kind=movements.GRANT,
                        description=f"{programme.name} (#{row.id})", programme_id=programme.id,
                        actor_id=admin.id,
                        entries=[(budget.id, -points), (wallets[row.organisation_id], points)])
        for row in rows])
    bulk.insert_rows(session, m.Grant.__table__, [
        {"programme_id": programme.id, "tax_id": row.tax_id,
         "organisation_id": row.organisation_id, "application_id": row.id, "points": points,
         "transaction_id": result.transaction_id, "granted_at": now}
        for row, result in zip(rows, posted, strict=True)])
    for part in bulk.chunks(session, [row.id for row in rows]):
        session.execute(update(_apps).where(bulk.among(session, _apps.c.id, part))
                        .values(status="granted", decided_by_id=admin.id, decided_at=now,
                                decision_reason=reason))
    audit.record(session, actor=admin, action="points.grant_batch",
                 subject_type="points_programme", subject_id=programme.id, reason=reason,
                 after={"grants": len(rows), "points": points * len(rows),
                        "first_application": rows[0].id, "last_application": rows[-1].id})
