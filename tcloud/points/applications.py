"""Grant applications: a business applies, checks run at once, points are granted or queued.

Every step that can grant locks the programme row first (then the ledger locks the budget and
wallet accounts), so grants queue one behind another and the budget can never be overspent;
the UNIQUE (programme, tax ID) constraint on grants and the grant's idempotency key make a
second grant to the same business impossible even if the code had a hole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tcloud.accounts import contact
from tcloud.accounts.models import Organisation, User
from tcloud.audit import services as audit
from tcloud.clock import to_taipei, utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, DomainError, NotFound, PermissionDenied
from tcloud.notifications import services as notifications
from tcloud.points import eligibility, movements, programmes
from tcloud.points import models as m
from tcloud.points.ledger import InsufficientPoints

OPEN_STATUSES = ("granted", "pending_review", "waitlisted")
QUEUE_STATUSES = ("pending_review", "waitlisted")


class ApplicationRefused(DomainError):
    """Refused outright (window closed, duplicate, budget gone): nothing is stored."""

    status = 409

    def __init__(self, message: object, results: list[eligibility.CheckResult]) -> None:
        super().__init__(message)
        self.results = [r.as_dict() for r in results]


@dataclass(frozen=True)
class Answers:
    entity_type: str
    employee_count: int
    contact_name: str


def taipei_today() -> date:
    return to_taipei(utcnow()).date()


def prefill(organisation: Organisation) -> dict:
    """The form's starting values, from the business's profile."""
    return {"entity_type": organisation.entity_type or "",
            "employee_count": "" if organisation.employee_count is None
            else str(organisation.employee_count),
            "contact_name": organisation.contact_name or ""}


def _has_applied(session: Session, programme_id: int, tax_id: str) -> bool:
    query = select(m.GrantApplication.id).where(
        m.GrantApplication.programme_id == programme_id, m.GrantApplication.tax_id == tax_id,
        m.GrantApplication.status.in_(OPEN_STATUSES))
    return session.execute(query.limit(1)).first() is not None


def run_checks(session: Session, programme: m.Programme, applicant: eligibility.Applicant,
               today: date) -> list[eligibility.CheckResult]:
    return eligibility.check_application(
        programmes.rules_of(programme), applicant, today=today,
        already_applied=_has_applied(session, programme.id, applicant.tax_id),
        budget_left=programmes.budget_left(session, programme.id))


def _refusal(programme: m.Programme, results) -> ApplicationRefused | None:
    hard = eligibility.hard_failure(results)
    if hard is not None and hard.code == eligibility.WINDOW:
        return ApplicationRefused(_l("This programme is not accepting applications today."),
                                  results)
    if hard is not None:
        return ApplicationRefused(_l("Your business has already applied to this programme. "
                                     "Each business can receive points only once."), results)
    budget = next(r for r in results if r.code == eligibility.BUDGET)
    if not budget.passed and programme.when_budget_short == m.BUDGET_SHORT_REFUSE:
        return ApplicationRefused(_l("Sorry: the programme budget has run out, so no new "
                                     "applications can be granted. Nothing was saved."),
                                  results)
    return None


def apply(session: Session, *, user: User, programme_id: int, answers: Answers,
          proof_upload_id: int, today: date | None = None) -> m.GrantApplication:
    """Submit an application; grant at once when every check passes and the programme allows."""
    if user.role != "business" or user.organisation_id is None:
        raise PermissionDenied(_l("Only business accounts can apply for points."))
    programme = lock_row(session, m.Programme, programme_id)
    if programme is None:
        raise NotFound(_l("That programme does not exist."))
    organisation = session.get(Organisation, user.organisation_id)
    applicant = eligibility.Applicant(organisation.tax_id, answers.entity_type,
                                      answers.employee_count)
    results = run_checks(session, programme, applicant, today or taipei_today())
    refusal = _refusal(programme, results)
    if refusal is not None:
        raise refusal
    failed = eligibility.failed(results)
    if any(r.code == eligibility.BUDGET for r in failed):
        status = "waitlisted"
    elif failed or not programme.grant_immediately:
        status = "pending_review"
    else:
        status = "granted"
    application = m.GrantApplication(
        programme_id=programme.id, organisation_id=organisation.id, submitted_by_id=user.id,
        tax_id=organisation.tax_id, company_name=organisation.name,
        entity_type=answers.entity_type, employee_count=answers.employee_count,
        contact_name=answers.contact_name, proof_upload_id=proof_upload_id,
        status="pending_review" if status == "granted" else status,
        failed_checks=",".join(r.code for r in failed),
        checks=json.dumps([r.as_dict() for r in results], ensure_ascii=False))
    session.add(application)
    session.flush()
    contact.adopt_contact_name(session, user=user, contact_name=answers.contact_name)
    audit.record(session, actor=user, action="points.application.submit",
                 subject_type="points_application", subject_id=application.id,
                 after={"status": status, "failed_checks": [r.code for r in failed]})
    if status == "granted":
        _grant(session, programme, application, actor=user, reason="all checks passed")
    elif status == "waitlisted":
        notify_decision(session, programme, application)
    return application


def _grant(session: Session, programme: m.Programme, application: m.GrantApplication, *,
           actor: User, reason: str) -> m.Grant:
    """Move the points and record the grant. The caller holds the programme row lock."""
    try:
        with session.begin_nested():
            posted = movements.grant(
                session, programme_id=programme.id, organisation_id=application.organisation_id,
                tax_id=application.tax_id, points=programme.points_per_grant,
                actor_id=actor.id, description=f"{programme.name} (#{application.id})")
            if posted.replayed:
                raise Conflict(_l("Unified business number %(tax_id)s has already received "
                                  "points from this programme.", tax_id=application.tax_id))
            grant = m.Grant(programme_id=programme.id, tax_id=application.tax_id,
                            organisation_id=application.organisation_id,
                            application_id=application.id, points=programme.points_per_grant,
                            transaction_id=posted.transaction_id)
            session.add(grant)
            application.status = "granted"
            session.add(application)
            session.flush()
    except IntegrityError as err:
        raise Conflict(_l("Unified business number %(tax_id)s has already received points "
                          "from this programme.", tax_id=application.tax_id)) from err
    audit.record(session, actor=actor, action="points.grant", subject_type="points_application",
                 subject_id=application.id, reason=reason,
                 after={"points": grant.points, "transaction_id": grant.transaction_id,
                        "tax_id": grant.tax_id})
    return grant


def decide(session: Session, *, admin: User, application_id: int, approve: bool,
           reason: str) -> m.GrantApplication:
    """An administrator grants or rejects a queued application, with a reason."""
    if admin.role != "admin":
        raise PermissionDenied(_l("Only administrators can decide applications."))
    found = session.get(m.GrantApplication, application_id)
    if found is None:
        raise NotFound(_l("That application does not exist."))
    programme = lock_row(session, m.Programme, found.programme_id)  # programme, then row
    application = lock_row(session, m.GrantApplication, application_id)
    if application.status not in QUEUE_STATUSES:
        raise Conflict(_l("This application has already been decided. Reload the page."))
    before = {"status": application.status}
    if approve:
        try:
            _grant(session, programme, application, actor=admin, reason=reason)
        except InsufficientPoints as err:
            raise Conflict(_l("The budget has %(left)s points left, not enough for this "
                              "grant. Raise the budget first.", left=f"{err.balance:,}")) from err
    else:
        application.status = "rejected"
    application.decision_reason = reason
    application.decided_by_id, application.decided_at = admin.id, utcnow()
    session.add(application)
    session.flush()
    audit.record(session, actor=admin, action=f"points.application.{application.status}",
                 subject_type="points_application", subject_id=application.id,
                 reason=reason, before=before, after={"status": application.status})
    notify_decision(session, programme, application)
    return application


def notify_decision(session: Session, programme: m.Programme,
                    application: m.GrantApplication) -> None:
    """Tell the business its application was granted, rejected or waitlisted."""
    kind = {"granted": "grant_application.granted", "rejected": "grant_application.rejected",
            "waitlisted": "grant_application.waitlisted"}.get(application.status)
    if kind is None:
        return
    notifications.notify_organisation(
        session, application.organisation_id, kind=kind,
        values={"programme": programme.name, "points": f"{programme.points_per_grant:,}",
                "reason": application.decision_reason or ""},
        link=f"/points/applications/{application.id}")


def get_application(session: Session, application_id: int, *, user: User) -> m.GrantApplication:
    """The application if this person may see it: its business, or an administrator."""
    application = session.get(m.GrantApplication, application_id)
    if application is None or (user.role != "admin"
                               and application.organisation_id != user.organisation_id):
        raise NotFound(_l("That application does not exist or is not yours to see."))
    return application


def checks_of(application: m.GrantApplication) -> list[dict]:
    return json.loads(application.checks)


def applications_of(session: Session, organisation_id: int) -> list[m.GrantApplication]:
    return list(session.execute(select(m.GrantApplication)
                                .where(m.GrantApplication.organisation_id == organisation_id)
                                .order_by(m.GrantApplication.id.desc())).scalars())


def queue(session: Session, *, programme_id: int | None = None, status: str | None = None,
          limit: int = 200) -> list[m.GrantApplication]:
    """Applications waiting for a decision, oldest first (a waiting list is served in order)."""
    statuses = (status,) if status in QUEUE_STATUSES else QUEUE_STATUSES
    query = select(m.GrantApplication).where(m.GrantApplication.status.in_(statuses))
    if programme_id is not None:
        query = query.where(m.GrantApplication.programme_id == programme_id)
    return list(session.execute(query.order_by(m.GrantApplication.id).limit(limit)).scalars())
