"""Compensation pages: statements for buyers and vendors, the buyer's dispute, and the
administrators' queue of disputes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.clock import to_taipei, utcnow
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.points.order_models import Order
from tcloud.sla import disputes
from tcloud.sla.breach_reports import solution_names
from tcloud.sla.compensation_payments import pays_by_card
from tcloud.sla.incident_schemas import DisputeDecisionSchema, DisputeSchema

bp = Blueprint("sla_compensation", __name__)


def _user():
    return current_user._get_current_object()


@bp.get("/sla/compensation")
@allow(ROLE_BUSINESS, ROLE_VENDOR)
def statements():
    db = get_session()
    rows = disputes.statements_of(db, _user())
    return render_template("sla/statements.html", statements=rows,
                           names=solution_names(db, [s.solution_id for s in rows]),
                           is_vendor=current_user.role == ROLE_VENDOR, taipei=to_taipei)


def _statement_page(statement_id: int, errors=None, values=None, status=200):
    db = get_session()
    statement = disputes.statement_for(db, _user(), statement_id)
    order = db.get(Order, statement.order_id)
    return render_template(
        "sla/statement.html", statement=statement, order=order,
        dispute=disputes.dispute_of(db, statement.id), taipei=to_taipei,
        payments=disputes.payments_of(db, statement, order),
        can_dispute=(current_user.role == ROLE_BUSINESS and utcnow() <= statement.dispute_until),
        errors=errors or {}, values=values or {}), status


@bp.get("/sla/compensation/<int:statement_id>")
@allow(ROLE_BUSINESS, ROLE_VENDOR, ROLE_ADMIN)
def statement(statement_id: int):
    return _statement_page(statement_id)


@bp.post("/sla/compensation/<int:statement_id>/dispute")
@allow(ROLE_BUSINESS)
def dispute(statement_id: int):
    values = request.form.to_dict()
    try:
        data = validation.load(DisputeSchema(), values, from_form=True)
        with transaction() as db:
            disputes.open_dispute(db, buyer=_user(), statement_id=statement_id,
                                  reason=data["reason"])
    except DomainError as err:
        if err.status == 404:
            raise
        return _statement_page(statement_id, err.field_errors() or {"_form": str(err.message)},
                               values, 422)
    flash(_("Your dispute is sent. An administrator will look at it and tell you the outcome."))
    return redirect(url_for("sla_compensation.statement", statement_id=statement_id))


def _queue_page(errors=None, values=None, error_dispute=None, status=200):
    db = get_session()
    rows = disputes.open_disputes(db)
    orders = {s.order_id: db.get(Order, s.order_id) for _d, s in rows}
    # Each dispute has its own form: field ids carry the dispute id, and so do the errors,
    # so the error summary links to the field of the form that was sent.
    errors = {(name if name.startswith("_") else f"{name}-{error_dispute}"): message
              for name, message in (errors or {}).items()}
    return render_template("sla/admin_disputes.html", rows=rows, taipei=to_taipei,
                           names=solution_names(db, [s.solution_id for _d, s in rows]),
                           orders=orders, limits=disputes.correction_limits,
                           pays_by_card=pays_by_card, errors=errors or {},
                           values=values or {}, error_dispute=error_dispute), status


@bp.get("/admin/sla/disputes")
@allow(ROLE_ADMIN)
def dispute_queue():
    return _queue_page()


@bp.post("/admin/sla/disputes/<int:dispute_id>/decide")
@allow(ROLE_ADMIN)
def decide(dispute_id: int):
    values = request.form.to_dict()
    try:
        data = validation.load(DisputeDecisionSchema(), values, from_form=True)
        with transaction() as db:
            disputes.decide_dispute(db, admin=_user(), dispute_id=dispute_id,
                                    uphold=data["decision"] == "upheld", note=data["note"],
                                    corrected_points=data["corrected_points"])
    except DomainError as err:
        if err.status == 404:
            raise
        if err.status == 409 and not err.field_errors():  # decided meanwhile: nothing to fix
            flash(str(err.message), "error")
            return redirect(url_for("sla_compensation.dispute_queue"))
        return _queue_page(err.field_errors() or {"_form": str(err.message)}, values,
                           dispute_id, 422)
    flash(_("The decision is recorded and the buyer and the vendor have been told."))
    return redirect(url_for("sla_compensation.dispute_queue"))
