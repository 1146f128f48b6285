"""Catalogue pages: a vendor's application to be listed, and administrators' vetting."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import forms
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_VENDOR
from tcloud.catalog import vetting
from tcloud.catalog import vetting_rules as rules
from tcloud.catalog.labels import DECISION_LABELS, DECLARATIONS, STATUS_LABELS
from tcloud.catalog.schemas import (
    CatalogSettingsSchema,
    VendorApplicationSchema,
    VettingDecisionSchema,
)
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.uploads import services as uploads
from tcloud.uploads.views import upload_folder

bp = Blueprint("catalog", __name__)
LABELS = {"status_labels": STATUS_LABELS, "declarations": DECLARATIONS}


def _application_page(errors=None, values=None, status=200):
    db = get_session()
    application = vetting.application_of(db, current_user.organisation_id)
    context = {
        "application": application,
        "history": vetting.history(db, application.id) if application else [],
        "may_submit": rules.vendor_may_submit(application.status if application else None),
        "min_capital": vetting.catalog_settings(db).min_paid_in_capital,
        "errors": errors or {},
        "values": values if values is not None else (
            application.model_dump() if application else {}),
        **LABELS,
    }
    return render_template("catalog/vendor_application.html", **context), status


@bp.get("/vendor/application")
@allow(ROLE_VENDOR)
def vendor_application():
    return _application_page()


@bp.post("/vendor/application")
@allow(ROLE_VENDOR)
def submit_vendor_application():
    vendor = current_user._get_current_object()
    report = request.files.get("security_report")
    try:
        data = forms.parse(VendorApplicationSchema())
        note = data.pop("note")
        with transaction() as db:
            report_id = None
            if report is not None and report.filename:
                report_id = uploads.store_upload(
                    db, stream=report.stream, original_name=report.filename,
                    owner_organisation_id=vendor.organisation_id, uploaded_by_id=vendor.id,
                    purpose="security_report", allowed_kinds=("pdf",),
                    folder=upload_folder(), field="security_report").id
            vetting.submit_application(db, vendor=vendor,
                                       answers=vetting.ApplicationAnswers(**data),
                                       security_report_id=report_id, note=note)
    except DomainError as err:
        errors = err.field_errors() or {"_form": str(err.message)}
        errors.update(_report_problem(report))  # report every problem at once, not in turns
        return _application_page(errors, forms.submitted_values(),
                                 400 if err.status == 422 else err.status)
    flash(_("Your application has been submitted. We will tell you the outcome here."), "success")
    return redirect(url_for("catalog.vendor_application"))


def _report_problem(report) -> dict[str, str]:
    if report is None or not report.filename:
        return {}
    try:
        uploads.read_checked(report.stream, allowed_kinds=("pdf",), field="security_report")
    except DomainError as err:
        return err.field_errors()
    return {}


@bp.get("/admin/vendors")
@allow(ROLE_ADMIN)
def vendor_queue():
    status = request.args.get("status") or None
    rows = vetting.list_applications(get_session(),
                                     status=status if status in rules.STATUSES else None)
    return render_template("catalog/admin_vendor_queue.html", rows=rows, current=status, **LABELS)


def _detail_page(application_id: int, errors=None, values=None, status=200):
    db = get_session()
    application, organisation = vetting.application_with_organisation(db, application_id)
    choices = {s: DECISION_LABELS[s] if s != rules.APPROVED or application.status != rules.SUSPENDED
               else _("Reinstate") for s in rules.ADMIN_TRANSITIONS.get(application.status, ())}
    return render_template(
        "catalog/admin_vendor_detail.html", application=application, organisation=organisation,
        history=vetting.history(db, application.id), choices=choices, errors=errors or {},
        values=values or {}, **LABELS), status


@bp.get("/admin/vendors/<int:application_id>")
@allow(ROLE_ADMIN)
def vendor_detail(application_id: int):
    return _detail_page(application_id)


@bp.post("/admin/vendors/<int:application_id>/decision")
@allow(ROLE_ADMIN)
def decide(application_id: int):
    try:
        data = forms.parse(VettingDecisionSchema())
        with transaction() as db:
            application = vetting.decide(db, admin=current_user._get_current_object(),
                                         application_id=application_id, **data)
    except DomainError as err:
        if err.status == 404:
            raise
        return _detail_page(application_id, err.field_errors() or {"_form": str(err.message)},
                            forms.submitted_values(), 400 if err.status == 422 else err.status)
    flash(_("Decision recorded: %(status)s.", status=STATUS_LABELS[application.status]),
          "success")
    return redirect(url_for("catalog.vendor_detail", application_id=application_id))


@bp.route("/admin/catalog-settings", methods=["GET", "POST"])
@allow(ROLE_ADMIN)
def settings():
    template = "catalog/admin_settings.html"
    current = vetting.catalog_settings(get_session())
    if request.method == "GET":
        return render_template(template, errors={}, values={
            name: getattr(current, name) for name in vetting.SETTING_FIELDS})
    try:
        data = forms.parse(CatalogSettingsSchema())
        with transaction() as db:
            vetting.update_settings(db, admin=current_user._get_current_object(), **data)
    except DomainError as err:
        return forms.render_with_errors(template, err)
    flash(_("Settings saved."), "success")
    return redirect(url_for("catalog.settings"))
