"""Vendor vetting: a vendor applies, administrators decide, every decision keeps its reason.

Nothing of an unapproved vendor is public: `is_vendor_approved` is what later catalogue code
asks before showing a vendor or its solutions.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from tcloud.accounts.models import Organisation, User
from tcloud.audit import services as audit
from tcloud.catalog import vetting_rules as rules
from tcloud.catalog.models import CatalogSettings, VendorApplication, VettingDecision
from tcloud.catalog.revision import bump_revision
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, DomainError, NotFound, PermissionDenied
from tcloud.notifications import services as notifications

SETTINGS_ID = 1
DEFAULT_SETTINGS = CatalogSettings(id=SETTINGS_ID)


@dataclass(frozen=True)
class ApplicationAnswers:
    paid_in_capital: int
    years_in_business: int
    paying_customers: int
    reference_customers: str
    declares_no_tax_arrears: bool
    declares_no_major_breach: bool
    declares_not_prc_funded: bool
    agrees_sla_minimums: bool
    agrees_no_inducements: bool


def catalog_settings(session: Session) -> CatalogSettings:
    return session.get(CatalogSettings, SETTINGS_ID) or DEFAULT_SETTINGS


# What administrators set on /admin/catalog-settings: the capital floor and the SLA minimums.
SETTING_FIELDS = ("min_paid_in_capital", "min_availability_percent", "min_weekly_support_hours",
                  "max_response_minutes", "max_rpo_minutes", "min_first_tier_credit_percent",
                  "min_support_channels")


def update_settings(session: Session, *, admin: User, reason: str,
                    min_paid_in_capital: int | None = None,
                    min_availability_percent: float | None = None,
                    min_weekly_support_hours: int | None = None,
                    max_response_minutes: int | None = None,
                    max_rpo_minutes: int | None = None,
                    min_first_tier_credit_percent: int | None = None,
                    min_support_channels: int | None = None) -> CatalogSettings:
    """Change the settings given (None keeps one); the audit log gets each change before and
    after. New SLA minimums apply to the next listing saved, not to listings already live."""
    given = {name: value for name, value in locals().items()
             if name in SETTING_FIELDS and value is not None}
    settings = lock_row(session, CatalogSettings, SETTINGS_ID)
    if settings is None:
        settings = CatalogSettings(id=SETTINGS_ID)
    changed = {name: value for name, value in given.items() if getattr(settings, name) != value}
    before = {name: getattr(settings, name) for name in changed}
    for name, value in changed.items():
        setattr(settings, name, value)
    settings.updated_at = utcnow()
    session.add(settings)
    session.flush()
    audit.record(session, actor=admin, action="catalog.settings.update",
                 subject_type="catalog_settings", subject_id=SETTINGS_ID, reason=reason,
                 before=before, after=changed)
    return settings


def application_of(session: Session, organisation_id: int) -> VendorApplication | None:
    return session.exec(select(VendorApplication)
                        .where(VendorApplication.organisation_id == organisation_id)).first()


def is_vendor_approved(session: Session, organisation_id: int) -> bool:
    application = application_of(session, organisation_id)
    return application is not None and application.status == rules.APPROVED


def _record(session: Session, application: VendorApplication, *, actor: User,
            from_status: str | None, reason: str) -> VettingDecision:
    decision = VettingDecision(
        application_id=application.id, from_status=from_status, to_status=application.status,
        reason=reason, decided_by_id=actor.id, decided_by_name=actor.display_name,
    )
    session.add(decision)
    session.flush()
    return decision


def submit_application(session: Session, *, vendor: User, answers: ApplicationAnswers,
                       security_report_id: int | None, note: str = "") -> VendorApplication:
    """First submission, or resubmission after changes were requested."""
    if vendor.role != "vendor" or vendor.organisation_id is None:
        raise PermissionDenied(_l("Only vendor accounts can apply to be listed."))
    floor = catalog_settings(session).min_paid_in_capital
    if answers.paid_in_capital < floor:
        raise DomainError(_l("Paid-in capital must be at least NT$%(floor)s to be listed.",
                             floor=f"{floor:,}"), field="paid_in_capital")
    existing = application_of(session, vendor.organisation_id)
    if existing is not None:
        existing = lock_row(session, VendorApplication, existing.id)
    current = existing.status if existing else None
    if not rules.vendor_may_submit(current):
        raise Conflict(_l("Your application has already been submitted. You can change it "
                          "only when an administrator asks for changes."))
    report_id = security_report_id or (existing.security_report_id if existing else None)
    if report_id is None:
        raise DomainError(_l("Upload your security test report (PDF)."),
                          field="security_report")
    if existing is None:
        application = VendorApplication(organisation_id=vendor.organisation_id,
                                        status=rules.SUBMITTED, security_report_id=report_id,
                                        **asdict(answers))
        before = {}
    else:
        application, before = existing, _snapshot(existing)
        for key, value in asdict(answers).items():
            setattr(application, key, value)
        application.security_report_id = report_id
        application.status = rules.SUBMITTED
    application.submitted_at = application.updated_at = utcnow()
    session.add(application)
    session.flush()
    _record(session, application, actor=vendor, from_status=current,
            reason=note)
    notifications.notify_role(
        session, "admin", kind="vendor_application.submitted",
        values={"company": session.get(Organisation, vendor.organisation_id).name},
        link=f"/admin/vendors/{application.id}")
    audit.record(session, actor=vendor, action="vendor_application.submit",
                 subject_type="vendor_application", subject_id=application.id,
                 reason=note, before=before, after=_snapshot(application))
    return application


def _snapshot(application: VendorApplication) -> dict:
    return application.model_dump(exclude={"submitted_at", "updated_at"})


def decide(session: Session, *, admin: User, application_id: int, to_status: str,
           reason: str) -> VendorApplication:
    """An administrator moves an application on, with a reason the vendor will read."""
    if admin.role != "admin":
        raise PermissionDenied(_l("Only administrators can vet vendors."))
    application = lock_row(session, VendorApplication, application_id)
    if application is None:
        raise NotFound(_l("That application does not exist."))
    from_status = application.status
    if not rules.admin_may_move(from_status, to_status):
        raise Conflict(_l("This decision is not possible now: the application may have been "
                          "decided by someone else. Reload the page."), field="to_status")
    application.status = to_status
    application.updated_at = utcnow()
    session.add(application)
    session.flush()
    _record(session, application, actor=admin, from_status=from_status, reason=reason)
    bump_revision(session)  # approval or suspension changes what the catalogue shows
    notifications.notify_organisation(
        session, application.organisation_id, kind="vendor_application.decided",
        values={"status": to_status, "reason": reason}, link="/vendor/application")
    audit.record(session, actor=admin, action=f"vendor_application.{to_status}",
                 subject_type="vendor_application", subject_id=application.id, reason=reason,
                 before={"status": from_status}, after={"status": to_status})
    return application


def history(session: Session, application_id: int) -> list[VettingDecision]:
    return list(session.exec(select(VettingDecision)
                             .where(VettingDecision.application_id == application_id)
                             .order_by(VettingDecision.decided_at, VettingDecision.id)))


def list_applications(session: Session, *, status: str | None = None,
                      limit: int = 200) -> list[tuple[VendorApplication, Organisation]]:
    query = (select(VendorApplication, Organisation)
             .join(Organisation, Organisation.id == VendorApplication.organisation_id)
             .order_by(VendorApplication.updated_at.desc()).limit(limit))
    if status:
        query = query.where(VendorApplication.status == status)
    return list(session.exec(query).all())


def application_with_organisation(session: Session, application_id: int
                                  ) -> tuple[VendorApplication, Organisation]:
    application = session.get(VendorApplication, application_id)
    if application is None:
        raise NotFound(_l("That application does not exist."))
    return application, session.get(Organisation, application.organisation_id)
