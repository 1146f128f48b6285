"""Vendors publish solutions; administrators approve new listings and material edits.

A listing is a Solution with versions. Saving edits the solution's one open version (draft or
pending) or starts a new one. Submitting sends it for review, except that an edit of a live
listing that changes nothing material (price, plans, SLA terms, category) goes live at once:
administrators review what buyers rely on, not typo fixes. While a material edit waits, the
approved version stays live. Every state change is audited.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from tcloud.accounts.choices import INDUSTRIES
from tcloud.accounts.models import Organisation, User
from tcloud.audit import services as audit
from tcloud.catalog import text, vetting
from tcloud.catalog.listing_input import ListingInput, listing_problems
from tcloud.catalog.models import Solution, SolutionPlan, SolutionVersion
from tcloud.catalog.revision import bump_revision
from tcloud.catalog.settings import sla_minimums
from tcloud.catalog.sla_terms import clock_text
from tcloud.catalog.taxonomy import CATEGORIES, PROBLEMS_BY_CODE
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tcloud.notifications import services as notifications

DRAFT, PENDING, LIVE, SUPERSEDED, REJECTED = ("draft", "pending", "live", "superseded",
                                               "rejected")
OPEN_STATES = (DRAFT, PENDING)
# What buyers rely on: changing any of these needs an administrator's approval.
MATERIAL_FIELDS = ("category", "plans", "availability_percent", "support_windows",
                   "covers_national_holidays", "support_channels", "compensation_tiers",
                   "compensation_cap_percent", "response_minutes", "rpo_minutes")
AUTOMATIC_REVIEWER = "TCloud (no material change)"


def _bar_codes(codes) -> str:
    return "|" + "|".join(codes) + "|" if codes else "|"


def codes_of(bar_codes: str) -> list[str]:
    return [code for code in bar_codes.split("|") if code]


def _search_text(listing: ListingInput, vendor_name: str) -> str:
    # Labels in both languages, so a buyer finds 排班 by the problem label even when the vendor
    # wrote "shift planning" in the description.
    parts = [listing.name, listing.summary, listing.description_md, vendor_name]
    for locale in ("zh_TW", "en"):
        with force_locale(locale):
            parts.append(str(CATEGORIES[listing.category]))
            parts.extend(str(PROBLEMS_BY_CODE[code].label) for code in listing.problems)
            parts.extend(str(INDUSTRIES[code]) for code in listing.industries)
    return text.normalise("\n".join(parts))


def _content(listing: ListingInput) -> dict:
    sla = listing.sla
    return {
        "category": listing.category, "name": listing.name, "summary": listing.summary,
        "description_md": listing.description_md,
        "industry_codes": _bar_codes(listing.industries),
        "problem_codes": _bar_codes(listing.problems),
        "min_employees": listing.min_employees, "max_employees": listing.max_employees,
        "free_trial_days": listing.free_trial_days, "health_url": listing.health_url,
        "data_export_format": listing.data_export_format,
        "data_export_description": listing.data_export_description,
        "availability_percent": sla.availability_percent,
        "support_windows": [{"day": w.day, "opens": clock_text(w.opens),
                             "closes": clock_text(w.closes, closing=True)}
                            for w in sla.support_windows],
        "covers_national_holidays": sla.covers_national_holidays,
        "support_channels": list(sla.support_channels),
        "compensation_tiers": [{"below_percent": t.below_percent,
                                "credit_percent": t.credit_percent}
                               for t in sla.compensation_tiers],
        "compensation_cap_percent": sla.compensation_cap_percent,
        "response_minutes": sla.response_minutes, "rpo_minutes": sla.rpo_minutes,
        "weekend_support": sla.supports_weekends(),
        "yearly_price_from": min(plan.yearly_price() for plan in listing.plans),
    }


def plans_of(session: Session, version_id: int) -> list[SolutionPlan]:
    return list(session.exec(select(SolutionPlan).where(SolutionPlan.version_id == version_id)
                             .order_by(SolutionPlan.position)))


def _plan_terms(plans) -> list[tuple]:
    return [(p.name, p.billing_period, p.price_ntd, p.list_price_ntd, p.seats) for p in plans]


def changed_fields(session: Session, old: SolutionVersion, new: SolutionVersion) -> list[str]:
    """Names of the content fields that differ between two versions (plans compared whole)."""
    fields = [name for name in ("category", "name", "summary", "description_md",
                                "industry_codes", "problem_codes", "min_employees",
                                "max_employees", "free_trial_days", "health_url",
                                "data_export_format", "data_export_description",
                                *MATERIAL_FIELDS[2:])
              if getattr(old, name) != getattr(new, name)]
    old_plans, new_plans = plans_of(session, old.id), plans_of(session, new.id)
    if (_plan_terms(old_plans) != _plan_terms(new_plans)
            or [p.included for p in old_plans] != [p.included for p in new_plans]):
        fields.insert(1, "plans")
    return fields


def _is_material(session: Session, old: SolutionVersion, new: SolutionVersion) -> bool:
    changed = set(changed_fields(session, old, new))
    if "plans" in changed and _plan_terms(plans_of(session, old.id)) == _plan_terms(
            plans_of(session, new.id)):
        changed.discard("plans")  # only the "what is included" wording changed
    return bool(changed & set(MATERIAL_FIELDS))


def live_version(session: Session, solution_id: int) -> SolutionVersion | None:
    return session.exec(select(SolutionVersion).where(
        SolutionVersion.solution_id == solution_id, SolutionVersion.state == LIVE)).first()


def open_version(session: Session, solution_id: int) -> SolutionVersion | None:
    return session.exec(select(SolutionVersion).where(
        SolutionVersion.solution_id == solution_id,
        SolutionVersion.state.in_(OPEN_STATES))).first()


def own_solution(session: Session, vendor: User, solution_id: int, *,
                 lock: bool = False) -> Solution:
    """A vendor's own solution; another vendor's is 'not found', never 'forbidden'."""
    solution = (lock_row(session, Solution, solution_id) if lock
                else session.get(Solution, solution_id))
    if solution is None or solution.vendor_organisation_id != vendor.organisation_id:
        raise NotFound(_l("That solution does not exist."))
    return solution


def _require_approved_vendor(session: Session, vendor: User) -> None:
    if vendor.role != "vendor" or not vetting.is_vendor_approved(session,
                                                                 vendor.organisation_id):
        raise PermissionDenied(_l("Your company must be approved as a vendor before it can "
                                  "publish solutions."))


def save_listing(session: Session, *, vendor: User, listing: ListingInput,
                 solution_id: int | None = None, submit: bool = False) -> SolutionVersion:
    """Create or edit a listing; with `submit`, send it for review (or live, if minor)."""
    _require_approved_vendor(session, vendor)
    problems = listing_problems(listing, sla_minimums(session))
    if problems:
        raise ValidationFailed(problems)
    if solution_id is None:
        solution = Solution(vendor_organisation_id=vendor.organisation_id)
        session.add(solution)
        session.flush()
    else:
        solution = own_solution(session, vendor, solution_id, lock=True)
    version = open_version(session, solution.id) or _new_version(session, solution, vendor)
    vendor_name = session.get(Organisation, vendor.organisation_id).name
    for key, value in _content(listing).items():
        setattr(version, key, value)
    version.draft_form = None  # the columns hold the whole listing now
    version.search_text = _search_text(listing, vendor_name)
    version.updated_at = utcnow()
    session.add(version)
    session.flush()
    for plan in plans_of(session, version.id):
        session.delete(plan)
    session.flush()
    for position, plan in enumerate(listing.plans):
        session.add(SolutionPlan(version_id=version.id, position=position, **plan.__dict__))
    session.flush()
    if submit:
        _submit(session, solution, version, vendor)
    return version


def save_draft(session: Session, *, vendor: User, draft: dict,
               solution_id: int | None = None) -> SolutionVersion:
    """Keep an unfinished listing as the solution's draft, to finish and submit later.

    `draft` is the ListingSchema payload as entered, already checked for malformed values
    (listing_form.draft_from_payload); it is kept whole in `draft_form`, since the version's
    columns take only complete listings. Only `save_listing` fills those and submits. A
    version waiting for review stays complete: it cannot be replaced by an unfinished one.
    """
    _require_approved_vendor(session, vendor)
    if solution_id is None:
        solution = Solution(vendor_organisation_id=vendor.organisation_id)
        session.add(solution)
        session.flush()
    else:
        solution = own_solution(session, vendor, solution_id, lock=True)
    version = open_version(session, solution.id)
    if version is not None and version.state == PENDING:
        raise Conflict(_l("This version is waiting for review, so it must stay complete: fill "
                          "in what is listed, or send it as it is."))
    if version is None:
        version = _new_version(session, solution, vendor)
    version.name = str(draft.get("name", ""))[:80]
    version.draft_form = draft
    version.updated_at = utcnow()
    session.add(version)
    session.flush()
    return version


def _new_version(session: Session, solution: Solution, vendor: User) -> SolutionVersion:
    latest = session.exec(select(func.max(SolutionVersion.number))
                          .where(SolutionVersion.solution_id == solution.id)).one()
    return SolutionVersion(solution_id=solution.id, number=(latest or 0) + 1, state=DRAFT,
                           created_by_id=vendor.id, **_placeholder())


def _placeholder() -> dict:
    # Required columns are filled from the listing straight after (save_listing), or stay
    # like this under an unfinished draft, which is read from its draft_form instead.
    return {"category": "", "name": "", "summary": "", "description_md": "",
            "industry_codes": "|", "problem_codes": "|", "min_employees": 1,
            "max_employees": 1, "health_url": "", "data_export_format": "",
            "data_export_description": "", "availability_percent": 99.0,
            "support_windows": [], "covers_national_holidays": False, "support_channels": [],
            "compensation_tiers": [], "compensation_cap_percent": 1, "response_minutes": 1,
            "rpo_minutes": 1, "weekend_support": False, "yearly_price_from": 0,
            "search_text": ""}


def _submit(session: Session, solution: Solution, version: SolutionVersion,
            vendor: User) -> None:
    live = live_version(session, solution.id)
    version.submitted_at = utcnow()
    if live is not None and solution.withdrawn_at is None and not _is_material(
            session, live, version):
        _make_live(session, solution, version, live, reviewer_name=AUTOMATIC_REVIEWER)
        audit.record(session, actor=vendor, action="solution.minor_edit_published",
                     subject_type="solution", subject_id=solution.id, reason="",
                     before={"version": live.number}, after={"version": version.number})
        return
    version.state = PENDING
    session.add(version)
    session.flush()
    notifications.notify_role(
        session, "admin", kind="listing.submitted", link=f"/admin/listings/{version.id}",
        values={"company": session.get(Organisation, vendor.organisation_id).name,
                "solution": version.name})
    audit.record(session, actor=vendor, action="solution.submitted", subject_type="solution",
                 subject_id=solution.id, reason="", before={},
                 after={"version": version.number, "name": version.name})


def _make_live(session: Session, solution: Solution, version: SolutionVersion,
               live: SolutionVersion | None, *, reviewer_name: str, reason: str = "") -> None:
    if live is not None:
        live.state = SUPERSEDED
        session.add(live)
        session.flush()  # the partial unique index allows one live version at a time
    version.state = LIVE
    version.decided_at = utcnow()
    version.decided_by_name = reviewer_name
    version.decision_reason = reason
    solution.withdrawn_at = None
    session.add_all([version, solution])
    session.flush()
    bump_revision(session)


def review_version(session: Session, *, admin: User, version_id: int, approve: bool,
                   reason: str) -> SolutionVersion:
    if admin.role != "admin":
        raise PermissionDenied(_l("Only administrators can review listings."))
    version = session.get(SolutionVersion, version_id)
    if version is None:
        raise NotFound(_l("That listing version does not exist."))
    solution = lock_row(session, Solution, version.solution_id)
    session.refresh(version)
    if version.state != PENDING:
        raise Conflict(_l("This version is no longer waiting for review: someone may have "
                          "decided it already. Reload the page."))
    live = live_version(session, solution.id)
    if approve:
        _make_live(session, solution, version, live, reviewer_name=admin.display_name,
                   reason=reason)
    else:
        version.state = REJECTED
        version.decided_at = utcnow()
        version.decided_by_name = admin.display_name
        version.decision_reason = reason
        session.add(version)
        session.flush()
    notifications.notify_organisation(
        session, solution.vendor_organisation_id, link="/vendor/solutions",
        kind="listing.approved" if approve else "listing.rejected",
        values={"solution": version.name, "reason": reason})
    audit.record(session, actor=admin,
                 action="solution.approved" if approve else "solution.rejected",
                 subject_type="solution", subject_id=solution.id, reason=reason,
                 before={"live_version": live.number if live else None},
                 after={"version": version.number, "state": version.state})
    return version


def withdraw(session: Session, *, vendor: User, solution_id: int, reason: str) -> Solution:
    """Take a listing off the catalogue; an open edit is kept as a draft to relist later."""
    solution = own_solution(session, vendor, solution_id, lock=True)
    if solution.withdrawn_at is not None:
        raise Conflict(_l("This listing is already withdrawn."))
    solution.withdrawn_at = utcnow()
    session.add(solution)
    pending = open_version(session, solution.id)
    if pending is not None and pending.state == PENDING:
        pending.state = DRAFT
        session.add(pending)
    session.flush()
    bump_revision(session)
    audit.record(session, actor=vendor, action="solution.withdrawn", subject_type="solution",
                 subject_id=solution.id, reason=reason, before={}, after={"withdrawn": True})
    return solution


def vendor_solutions(session: Session, vendor: User) -> list[tuple[Solution, SolutionVersion]]:
    """Each of the vendor's solutions with its newest version (what the vendor works on)."""
    solutions = session.exec(select(Solution).where(
        Solution.vendor_organisation_id == vendor.organisation_id).order_by(Solution.id)).all()
    result = []
    for solution in solutions:
        newest = session.exec(select(SolutionVersion).where(
            SolutionVersion.solution_id == solution.id)
            .order_by(SolutionVersion.number.desc())).first()
        result.append((solution, newest))
    return result


def versions_of(session: Session, solution_id: int) -> list[SolutionVersion]:
    return list(session.exec(select(SolutionVersion).where(
        SolutionVersion.solution_id == solution_id).order_by(SolutionVersion.number.desc())))


def pending_versions(session: Session) -> list[tuple[SolutionVersion, Organisation]]:
    return list(session.exec(
        select(SolutionVersion, Organisation)
        .join(Solution, Solution.id == SolutionVersion.solution_id)
        .join(Organisation, Organisation.id == Solution.vendor_organisation_id)
        .where(SolutionVersion.state == PENDING).order_by(SolutionVersion.submitted_at)).all())
