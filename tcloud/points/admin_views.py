"""Administrator pages: programmes and their totals, the application queue, any wallet."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import forms, validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ENTITY_TYPES, ROLE_ADMIN
from tcloud.accounts.taxid import normalise_tax_id
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.points import applications, batch, programmes, wallets
from tcloud.points.labels import BUDGET_SHORT_LABELS
from tcloud.points.schemas import BatchGrantSchema, DecisionSchema, ProgrammeSchema
from tcloud.points.views import LABELS, csv_response

bp = Blueprint("points_admin", __name__, url_prefix="/admin/points")


def _admin():
    return current_user._get_current_object()


@bp.get("")
@allow(ROLE_ADMIN)
def programmes_page():
    db = get_session()
    rows = [(p, programmes.totals(db, p.id)) for p in programmes.list_programmes(db)]
    return render_template("points/admin_programmes.html", rows=rows,
                           queue_size=len(applications.queue(db, limit=1000)), **LABELS)


def _programme_values(programme) -> dict:
    values = {name: getattr(programme, name) for name in programmes.EDITABLE}
    values["allowed_entity_types"] = list(programme.entity_types)
    for name, value in values.items():
        if isinstance(value, bool):
            values[name] = "true" if value else "false"
        elif isinstance(value, date):
            values[name] = value.isoformat()
        elif value is None:
            values[name] = ""
    return values


def _parse_programme() -> dict:
    data = request.form.to_dict()
    data.pop("allowed_entity_types", None)
    chosen = request.form.getlist("allowed_entity_types")
    if chosen:
        data["allowed_entity_types"] = chosen
    return validation.load(ProgrammeSchema(), data, from_form=True)


def _form_page(programme=None, errors=None, values=None, status=200):
    if values is None:
        values = _programme_values(programme) if programme else {
            "points_per_grant": "30000", "grant_immediately": "true",
            "when_budget_short": "refuse", "allowed_entity_types": list(ENTITY_TYPES)}
    if "allowed_entity_types" not in values or isinstance(values["allowed_entity_types"], str):
        values["allowed_entity_types"] = request.form.getlist("allowed_entity_types")
    return render_template("points/admin_programme_form.html", programme=programme,
                           errors=errors or {}, values=values,
                           budget_short_labels=BUDGET_SHORT_LABELS, **LABELS), status


@bp.route("/programmes/new", methods=["GET", "POST"])
@allow(ROLE_ADMIN)
def new_programme():
    if request.method == "GET":
        return _form_page()
    try:
        data = _parse_programme()
        reason = data.pop("reason")
        with transaction() as db:
            programme = programmes.create_programme(db, admin=_admin(), values=data,
                                                    reason=reason)
    except DomainError as err:
        return _form_page(None, err.field_errors() or {"_form": str(err.message)},
                          forms.submitted_values(), 400 if err.status == 422 else err.status)
    flash(_("Programme created."), "success")
    return redirect(url_for("points_admin.programme", programme_id=programme.id))


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@allow(ROLE_ADMIN)
def edit_programme(programme_id: int):
    programme = programmes.get_programme(get_session(), programme_id)
    if request.method == "GET":
        return _form_page(programme)
    try:
        data = _parse_programme()
        reason = data.pop("reason")
        with transaction() as db:
            programmes.update_programme(db, admin=_admin(), programme_id=programme_id,
                                        values=data, reason=reason)
    except DomainError as err:
        if err.status == 404:
            raise
        return _form_page(programme, err.field_errors() or {"_form": str(err.message)},
                          forms.submitted_values(), 400 if err.status == 422 else err.status)
    flash(_("Programme saved."), "success")
    return redirect(url_for("points_admin.programme", programme_id=programme_id))


def _programme_page(programme_id: int, errors=None, status=200):
    db = get_session()
    programme = programmes.get_programme(db, programme_id)
    return render_template(
        "points/admin_programme.html", programme=programme,
        totals=programmes.totals(db, programme_id), errors=errors or {}, values={},
        queue=applications.queue(db, programme_id=programme_id, limit=1000),
        budget_short_labels=BUDGET_SHORT_LABELS, **LABELS), status


@bp.get("/programmes/<int:programme_id>")
@allow(ROLE_ADMIN)
def programme(programme_id: int):
    return _programme_page(programme_id)


@bp.post("/programmes/<int:programme_id>/grant-queue")
@allow(ROLE_ADMIN)
def grant_queue(programme_id: int):
    try:
        data = forms.parse(BatchGrantSchema())
        with transaction() as db:
            result = batch.grant_queue(db, admin=_admin(), programme_id=programme_id,
                                       reason=data["reason"])
    except DomainError as err:
        if err.status == 404:
            raise
        return _programme_page(programme_id, err.field_errors() or {"_form": str(err.message)},
                               400 if err.status == 422 else err.status)
    flash(_("%(n)s applications granted. %(waiting)s still waiting.", n=result.granted,
            waiting=result.still_waiting), "success")
    return redirect(url_for("points_admin.programme", programme_id=programme_id))


@bp.get("/applications")
@allow(ROLE_ADMIN)
def queue():
    db = get_session()
    status = request.args.get("status") or None
    rows = applications.queue(db, status=status)
    return render_template("points/admin_queue.html", rows=rows, current=status,
                           names={p.id: p.name for p in programmes.list_programmes(db)},
                           **LABELS)


def _application_page(application_id: int, errors=None, values=None, status=200):
    db = get_session()
    found = applications.get_application(db, application_id, user=_admin())
    return render_template(
        "points/admin_application.html", application=found,
        programme=programmes.get_programme(db, found.programme_id),
        checks=applications.checks_of(found), errors=errors or {}, values=values or {},
        decisions={"approve": _("Grant the points"), "reject": _("Reject")},
        budget_left=programmes.budget_left(db, found.programme_id), **LABELS), status


@bp.get("/applications/<int:application_id>")
@allow(ROLE_ADMIN)
def application(application_id: int):
    return _application_page(application_id)


@bp.post("/applications/<int:application_id>/decision")
@allow(ROLE_ADMIN)
def decide(application_id: int):
    try:
        data = forms.parse(DecisionSchema())
        with transaction() as db:
            decided = applications.decide(db, admin=_admin(), application_id=application_id,
                                          approve=data["decision"] == "approve",
                                          reason=data["reason"])
    except DomainError as err:
        if err.status == 404:
            raise
        return _application_page(application_id, err.field_errors() or {
            "_form": str(err.message)}, forms.submitted_values(),
            400 if err.status == 422 else err.status)
    flash(_("Decision recorded: %(status)s.", status=LABELS["status_labels"][decided.status]),
          "success")
    return redirect(url_for("points_admin.application", application_id=application_id))


@bp.get("/wallets")
@allow(ROLE_ADMIN)
def wallets_page():
    tax_id = normalise_tax_id(request.args.get("tax_id", ""))[:8]
    return render_template("points/admin_wallets.html", tax_id=tax_id,
                           rows=wallets.find_wallets(get_session(), tax_id=tax_id))


@bp.get("/wallets/<int:account_id>")
@allow(ROLE_ADMIN)
def wallet(account_id: int):
    view = wallets.wallet_view(get_session(), account_id, today=applications.taipei_today())
    return render_template("points/wallet.html", view=view, admin_view=True,
                           csv_url=url_for("points_admin.wallet_csv", account_id=account_id),
                           **LABELS)


@bp.get("/wallets/<int:account_id>/statement.csv")
@allow(ROLE_ADMIN)
def wallet_csv(account_id: int):
    view = wallets.wallet_view(get_session(), account_id, today=applications.taipei_today())
    return csv_response(wallets.statement_csv(view), f"tcloud-points-{account_id}.csv")
