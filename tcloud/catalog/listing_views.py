"""Listing pages: a vendor writes and withdraws its solutions; administrators review them.

The form is one long page in sections (basics, who it suits, plans, the five SLA terms, leaving
the service), each SLA term with the programme's minimum beside it. Its fields are named by the
paths the schema and the services use for errors, so every refusal lands next to its field.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import INDUSTRIES, ROLE_ADMIN, ROLE_VENDOR
from tcloud.accounts.models import Organisation
from tcloud.catalog import listing_form, listings, sla_words, text, vetting
from tcloud.catalog.listing_input import listing_input_from
from tcloud.catalog.listing_schemas import MAX_PLANS, MAX_TIERS, ListingSchema
from tcloud.catalog.models import Solution, SolutionVersion
from tcloud.catalog.settings import sla_minimums
from tcloud.catalog.taxonomy import CATEGORIES, PROBLEMS, PROBLEMS_BY_CODE
from tcloud.db import get_session, transaction
from tcloud.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed

bp = Blueprint("listings", __name__)

EXPORT_FORMAT_LABELS = {"csv": "CSV", "xlsx": "Excel (XLSX)", "json": "JSON", "xml": "XML",
                        "sql": _l("SQL database dump"), "other": _l("Other (describe below)")}
CHANNEL_CHOICES = {"phone": _l("Phone"), "line": "LINE", "email": _l("E-mail"),
                   "chat": _l("Online chat")}
BILLING_LABELS = {"month": _l("Monthly"), "year": _l("Yearly")}
STATE_LABELS = {
    "draft": _l("Draft, not sent for review"),
    "pending": _l("Waiting for review"),
    "live": _l("Live"),
    "live_edit_pending": _l("Live; your edit is waiting for review"),
    "live_draft": _l("Live; you have a draft edit not yet sent"),
    "rejected": _l("Rejected"),
    "live_edit_rejected": _l("Live; your last edit was rejected"),
    "withdrawn": _l("Withdrawn"),
}
VERSION_STATE_LABELS = {"draft": _l("Draft"), "pending": _l("Waiting for review"),
                        "live": _l("Live"), "superseded": _l("Replaced by a later version"),
                        "rejected": _l("Rejected")}
STATE_TAGS = {"draft": "draft", "pending": "pending", "live": "approved",
              "live_edit_pending": "pending", "live_draft": "approved",
              "rejected": "rejected", "live_edit_rejected": "changes_requested",
              "withdrawn": "withdrawn"}


def _vendor():
    return current_user._get_current_object()


def _approved(db) -> bool:
    return vetting.is_vendor_approved(db, current_user.organisation_id)


def _not_approved_page(status: int = 200):
    application = vetting.application_of(get_session(), current_user.organisation_id)
    return render_template("catalog/listing_not_approved.html",
                           application=application), status


def _listing_state(db, solution, newest) -> str:
    """What a vendor needs to know about one solution, as one key of STATE_LABELS."""
    if solution.withdrawn_at is not None:
        return "withdrawn"
    if newest.state == listings.LIVE:
        return "live"
    if listings.live_version(db, solution.id) is None:
        return newest.state  # draft, pending or rejected, never published
    return {listings.DRAFT: "live_draft", listings.PENDING: "live_edit_pending",
            listings.REJECTED: "live_edit_rejected"}.get(newest.state, "live")


@bp.get("/vendor/solutions")
@allow(ROLE_VENDOR)
def vendor_solutions():
    db = get_session()
    if not _approved(db):
        return _not_approved_page()
    rows = [(solution, newest, _listing_state(db, solution, newest))
            for solution, newest in listings.vendor_solutions(db, _vendor())]
    return render_template("catalog/listing_mine.html", rows=rows, state_labels=STATE_LABELS,
                           state_tags=STATE_TAGS)


def _problem_groups() -> list[tuple[object, list[tuple[str, object]]]]:
    """The shared problem taxonomy grouped under the six categories, for the checkboxes."""
    return [(label, [(p.code, p.label) for p in PROBLEMS if p.category == code])
            for code, label in CATEGORIES.items()]


def _form_page(solution_id: int | None = None, *, errors=None, values=None, status=200):
    db = get_session()
    solution = newest = None
    if solution_id is not None:
        solution = listings.own_solution(db, _vendor(), solution_id)
        newest = listings.versions_of(db, solution_id)[0]
        if values is None:
            shown = (listings.open_version(db, solution_id)
                     or listings.live_version(db, solution_id) or newest)
            values = (listing_form.values_from_draft(shown.draft_form)
                      if shown.draft_form is not None else
                      listing_form.values_from_version(shown, listings.plans_of(db, shown.id)))
    values = values if values is not None else {}
    errors = errors or {}
    return render_template(
        "catalog/listing_form.html", solution=solution, newest=newest,
        state=_listing_state(db, solution, newest) if solution else None,
        state_labels=STATE_LABELS, errors=errors, values=values,
        bad_days=(listing_form.days_out_of_order(values)
                  if "sla-support_windows" in errors else set()),
        minimums=sla_minimums(db), categories=CATEGORIES, industries=INDUSTRIES,
        problem_groups=_problem_groups(), weekdays=sla_words.DAY_LABELS,
        channels=CHANNEL_CHOICES, duration=sla_words.duration,
        export_formats=EXPORT_FORMAT_LABELS, billing_periods=BILLING_LABELS,
        max_plans=MAX_PLANS, max_tiers=MAX_TIERS,
        rows_open=listing_form.rows_to_open(values),
    ), status


def _save(solution_id: int | None):
    vendor = _vendor()
    if solution_id is not None:
        listings.own_solution(get_session(), vendor, solution_id)  # 404 before anything else
    submit = request.form.get("action") == "submit"  # anything else saves a draft
    form = listing_form.payload_from_form(request.form)
    try:
        data = validation.load(ListingSchema(), form.payload)
    except ValidationFailed as err:  # report the SLA terms' problems in the same round
        errors = {**listing_form.sla_problems(form.payload, sla_minimums(get_session())),
                  **err.errors}
        if not submit:
            return _save_unfinished(solution_id, form, errors)
        return _form_page(solution_id, errors=form.page_errors(errors),
                          values=listing_form.submitted_values(request.form), status=400)
    try:
        with transaction() as db:
            version = listings.save_listing(db, vendor=vendor, listing=listing_input_from(data),
                                            solution_id=solution_id, submit=submit)
    except PermissionDenied:  # approval withdrawn since the form was shown
        return _not_approved_page(403)
    except NotFound:
        raise
    except DomainError as err:
        errors = err.field_errors() or {"_form": str(err.message)}
        if not submit and isinstance(err, ValidationFailed):  # e.g. below a minimum, for now
            return _save_unfinished(solution_id, form, errors)
        return _form_page(solution_id, errors=form.page_errors(errors),
                          values=listing_form.submitted_values(request.form),
                          status=400 if err.status == 422 else err.status)
    if version.state == listings.LIVE:
        flash(_("Published at once: no material change, so no review was needed."), "success")
    elif version.state == listings.PENDING:
        flash(_("Sent for review. An administrator will check it; you will see the outcome "
                "here. Buyers see it only once it is approved."), "success")
    else:
        flash(_("Saved as a draft. Buyers do not see it; send it for review when it is "
                "ready."), "success")
    return redirect(url_for("listings.vendor_solutions"))


def _save_unfinished(solution_id: int | None, form: listing_form.FormPayload,
                     missing: dict[str, str]):
    """Save a draft that is not complete yet (`missing`: what a submission would refuse).
    Malformed answers are still refused, since a draft keeps only well-formed ones."""
    values = listing_form.submitted_values(request.form)
    try:
        draft = listing_form.draft_from_payload(form.payload)
        with transaction() as db:
            listings.save_draft(db, vendor=_vendor(), draft=draft, solution_id=solution_id)
    except PermissionDenied:
        return _not_approved_page(403)
    except ValidationFailed as err:
        return _form_page(solution_id, errors=form.page_errors(err.errors), values=values,
                          status=400)
    except Conflict as err:  # waiting for review: what it lacks must be filled in
        return _form_page(solution_id, values=values, status=409,
                          errors=form.page_errors({"_form": str(err.message), **missing}))
    flash(_("Saved as an unfinished draft. Buyers do not see it. When you send it for review, "
            "the form lists what is still missing."), "success")
    return redirect(url_for("listings.vendor_solutions"))


@bp.route("/vendor/solutions/new", methods=["GET", "POST"])
@allow(ROLE_VENDOR)
def new_solution():
    if not _approved(get_session()):
        return _not_approved_page()
    if request.method == "POST":
        return _save(None)
    return _form_page()


@bp.route("/vendor/solutions/<int:solution_id>/edit", methods=["GET", "POST"])
@allow(ROLE_VENDOR)
def edit_solution(solution_id: int):
    if request.method == "POST":
        return _save(solution_id)
    return _form_page(solution_id)


def _withdraw_page(solution_id: int, errors=None, values=None, status=200):
    db = get_session()
    solution = listings.own_solution(db, _vendor(), solution_id)
    newest = listings.versions_of(db, solution_id)[0]
    return render_template("catalog/listing_withdraw.html", solution=solution, newest=newest,
                           errors=errors or {}, values=values or {}), status


@bp.route("/vendor/solutions/<int:solution_id>/withdraw", methods=["GET", "POST"])
@allow(ROLE_VENDOR)
def withdraw(solution_id: int):
    if request.method == "GET":
        return _withdraw_page(solution_id)
    listings.own_solution(get_session(), _vendor(), solution_id)
    try:
        data = validation.load(listing_form.WithdrawSchema(), request.form, from_form=True)
        with transaction() as db:
            listings.withdraw(db, vendor=_vendor(), solution_id=solution_id, **data)
    except NotFound:
        raise
    except DomainError as err:
        return _withdraw_page(solution_id, err.field_errors() or {"_form": str(err.message)},
                              dict(request.form), 400 if err.status == 422 else err.status)
    flash(_("Withdrawn. Buyers no longer find it; you can edit it and send it for review "
            "again to relist it."), "success")
    return redirect(url_for("listings.vendor_solutions"))


# --- Administrators ---------------------------------------------------------------------------

@bp.get("/admin/listings")
@allow(ROLE_ADMIN)
def review_queue():
    db = get_session()
    rows = [(version, organisation, listings.live_version(db, version.solution_id) is not None)
            for version, organisation in listings.pending_versions(db)]
    return render_template("catalog/admin_listing_queue.html", rows=rows)


def _labels(codes: str, vocabulary) -> str:
    return "、".join(str(vocabulary[code]) for code in listings.codes_of(codes)
                    if code in vocabulary)


def _shown(version) -> dict[str, object]:
    """Each comparable part of a version in words, keyed like DIFF_ROWS."""
    return {
        "category": CATEGORIES.get(version.category, version.category),
        "name": version.name, "summary": version.summary,
        "description_md": text.render_markdown(version.description_md),
        "industries": _labels(version.industry_codes, INDUSTRIES),
        "problems": "、".join(str(PROBLEMS_BY_CODE[c].label)
                             for c in listings.codes_of(version.problem_codes)
                             if c in PROBLEMS_BY_CODE),
        "sizes": _("%(low)s to %(high)s employees", low=version.min_employees,
                   high=version.max_employees),
        "free_trial": (_("%(days)s days", days=version.free_trial_days)
                       if version.free_trial_days else _("None")),
        "health_url": version.health_url,
        "data_export": f"{EXPORT_FORMAT_LABELS.get(version.data_export_format, '')}: "
                       f"{version.data_export_description}",
        **{key: sentence for key, _label, sentence in sla_words.statements(version)},
    }


def _changed_plan_cells(old_plans, new_plans) -> set[tuple[int, str]]:
    """(position, part) of each plan cell that differs; a plan only on one side, all of it."""
    cells = set()
    for position in range(max(len(old_plans), len(new_plans))):
        old = old_plans[position] if position < len(old_plans) else None
        new = new_plans[position] if position < len(new_plans) else None
        cells.update((position, part) for part in listing_form.PLAN_PARTS
                     if old is None or new is None or getattr(old, part) != getattr(new, part))
    return cells


DIFF_ROWS = {  # row key -> (label, the changed_fields names it shows)
    "category": (_l("Category"), ("category",)),
    "name": (_l("Name"), ("name",)),
    "summary": (_l("Summary"), ("summary",)),
    "description_md": (_l("Description"), ("description_md",)),
    "industries": (_l("Industries it suits"), ("industry_codes",)),
    "problems": (_l("Problems it solves"), ("problem_codes",)),
    "sizes": (_l("Company sizes"), ("min_employees", "max_employees")),
    "free_trial": (_l("Free trial"), ("free_trial_days",)),
    "health_url": (_l("Health check address"), ("health_url",)),
    "data_export": (_l("Data export"), ("data_export_format", "data_export_description")),
    "availability": (sla_words.TERM_LABELS["availability"], ("availability_percent",)),
    "support": (sla_words.TERM_LABELS["support"],
                ("support_windows", "covers_national_holidays", "support_channels")),
    "compensation": (sla_words.TERM_LABELS["compensation"],
                     ("compensation_tiers", "compensation_cap_percent")),
    "response": (sla_words.TERM_LABELS["response"], ("response_minutes",)),
    "rpo": (sla_words.TERM_LABELS["rpo"], ("rpo_minutes",)),
}


def _review_page(version_id: int, errors=None, values=None, status=200):
    db = get_session()
    version = db.get(SolutionVersion, version_id)
    if version is None:
        raise NotFound(_l("That listing version does not exist."))
    solution = db.get(Solution, version.solution_id)
    live = listings.live_version(db, solution.id)
    compared = live if live is not None and live.id != version.id else None
    changed = listings.changed_fields(db, compared, version) if compared else []
    old, new = (_shown(compared), _shown(version)) if compared else ({}, {})
    diff = [(label, old[key], new[key]) for key, (label, names) in DIFF_ROWS.items()
            if set(names) & set(changed)]
    plans = listings.plans_of(db, version.id)
    live_plans = listings.plans_of(db, compared.id) if compared else []
    return render_template(
        "catalog/admin_listing_review.html", version=version, solution=solution,
        organisation=db.get(Organisation, solution.vendor_organisation_id),
        shown=_shown(version), plans=plans, live=compared, live_plans=live_plans,
        plans_changed="plans" in changed, diff=diff,
        changed_cells=_changed_plan_cells(live_plans, plans),
        history=listings.versions_of(db, solution.id), billing_periods=BILLING_LABELS,
        version_states=VERSION_STATE_LABELS, errors=errors or {}, values=values or {},
        decisions={"approve": _("Approve: publish this version"),
                   "reject": _("Reject: send it back to the vendor")},
    ), status


@bp.get("/admin/listings/<int:version_id>")
@allow(ROLE_ADMIN)
def review(version_id: int):
    return _review_page(version_id)


@bp.post("/admin/listings/<int:version_id>/decision")
@allow(ROLE_ADMIN)
def decide(version_id: int):
    try:
        data = validation.load(listing_form.ListingDecisionSchema(), request.form,
                               from_form=True)
        with transaction() as db:
            version = listings.review_version(
                db, admin=current_user._get_current_object(), version_id=version_id,
                approve=data["decision"] == "approve", reason=data["reason"])
    except NotFound:
        raise
    except DomainError as err:
        return _review_page(version_id, err.field_errors() or {"_form": str(err.message)},
                            dict(request.form), 400 if err.status == 422 else err.status)
    if version.state == listings.LIVE:
        flash(_("Approved: “%(name)s” is live.", name=version.name), "success")
    else:
        flash(_("Rejected: the vendor will see your reason."), "success")
    return redirect(url_for("listings.review_queue"))
