"""Business pages: open programmes with the budget left, the application, the wallet."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tcloud import forms
from tcloud.accounts import services as accounts
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ENTITY_TYPES, ROLE_BUSINESS
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.points import applications, programmes, wallets
from tcloud.points.labels import CHECK_NAMES, MOVEMENT_LABELS, STATUS_LABELS, describe_check
from tcloud.points.schemas import ApplicationSchema
from tcloud.uploads import services as uploads
from tcloud.uploads.views import upload_folder

bp = Blueprint("points", __name__)
PROOF_KINDS = ("pdf", "png", "jpeg")
MISSING_PROOF = _l("Upload a proof of registration (PDF, JPEG or PNG).")
LABELS = {"status_labels": STATUS_LABELS, "movement_labels": MOVEMENT_LABELS,
          "entity_types": ENTITY_TYPES, "describe_check": describe_check,
          "check_names": CHECK_NAMES}


@bp.get("/points")
@allow(ROLE_BUSINESS)
def overview():
    db = get_session()
    today = applications.taipei_today()
    open_now = [(p, programmes.budget_left(db, p.id))
                for p in programmes.open_programmes(db, today)]
    return render_template(
        "points/overview.html", programmes=open_now,
        applications=applications.applications_of(db, current_user.organisation_id),
        wallets=wallets.wallets_of(db, current_user.organisation_id), today=today, **LABELS)


def _apply_page(programme_id: int, errors=None, values=None, checks=None, status=200):
    db = get_session()
    programme = programmes.get_programme(db, programme_id)
    organisation = accounts.organisation_of(db, current_user._get_current_object())
    left = programmes.budget_left(db, programme.id)
    today = applications.taipei_today()
    return render_template(
        "points/apply.html", programme=programme, organisation=organisation,
        is_open=programme.opens_on <= today <= programme.closes_on,
        budget_left=left, budget_covers=left >= programme.points_per_grant,
        errors=errors or {}, checks=checks or [],
        values=values if values is not None else applications.prefill(organisation),
        **LABELS), status


@bp.get("/points/programmes/<int:programme_id>/apply")
@allow(ROLE_BUSINESS)
def apply_form(programme_id: int):
    return _apply_page(programme_id)


@bp.post("/points/programmes/<int:programme_id>/apply")
@allow(ROLE_BUSINESS)
def apply(programme_id: int):
    user = current_user._get_current_object()
    proof = request.files.get("proof")
    try:
        data = forms.parse(ApplicationSchema())
        if proof is None or not proof.filename:
            raise DomainError(MISSING_PROOF, field="proof")
        with transaction() as db:
            upload = uploads.store_upload(
                db, stream=proof.stream, original_name=proof.filename,
                owner_organisation_id=user.organisation_id, uploaded_by_id=user.id,
                purpose="registration_proof", allowed_kinds=PROOF_KINDS,
                folder=upload_folder(), field="proof")
            answers = applications.Answers(data["entity_type"], data["employee_count"],
                                           data["contact_name"])
            application = applications.apply(db, user=user, programme_id=programme_id,
                                              answers=answers, proof_upload_id=upload.id)
    except applications.ApplicationRefused as err:
        return _apply_page(programme_id, {"_form": str(err.message)},
                           forms.submitted_values(), err.results, 409)
    except DomainError as err:
        if err.status == 404:
            raise
        errors = err.field_errors() or {"_form": str(err.message)}
        if "proof" not in errors:
            errors.update(_proof_problem(proof))  # every problem at once, not in turns
        return _apply_page(programme_id, errors, forms.submitted_values(),
                           status=400 if err.status == 422 else err.status)
    if application.status == "granted":
        flash(_("Your points have been granted. They are in your wallet now."), "success")
    else:
        flash(_("Your application has been received."), "success")
    return redirect(url_for("points.application", application_id=application.id))


def _proof_problem(proof) -> dict[str, str]:
    if proof is None or not proof.filename:
        return {"proof": str(MISSING_PROOF)}
    try:
        uploads.read_checked(proof.stream, allowed_kinds=PROOF_KINDS, field="proof")
    except DomainError as err:
        return err.field_errors()
    return {}


@bp.get("/points/applications/<int:application_id>")
@allow(ROLE_BUSINESS)
def application(application_id: int):
    db = get_session()
    found = applications.get_application(db, application_id,
                                         user=current_user._get_current_object())
    return render_template(
        "points/application.html", application=found,
        programme=programmes.get_programme(db, found.programme_id),
        checks=applications.checks_of(found), **LABELS)


def _wallet_view(account_id: int):
    return wallets.wallet_view(get_session(), account_id, today=applications.taipei_today(),
                               organisation_id=current_user.organisation_id)


@bp.get("/points/wallets/<int:account_id>")
@allow(ROLE_BUSINESS)
def wallet(account_id: int):
    return render_template("points/wallet.html", view=_wallet_view(account_id),
                           csv_url=url_for("points.wallet_csv", account_id=account_id),
                           **LABELS)


@bp.get("/points/wallets/<int:account_id>/statement.csv")
@allow(ROLE_BUSINESS)
def wallet_csv(account_id: int):
    return csv_response(wallets.statement_csv(_wallet_view(account_id)),
                        f"tcloud-points-{account_id}.csv")


def csv_response(body: str, filename: str) -> Response:
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
