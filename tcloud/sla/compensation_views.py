"""Compensation pages: statements for buyers and vendors, the buyer's dispute, and the
administrators' queue of disputes."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields, validate

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.clock import to_taipei, utcnow
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.points.order_models import Order
from tcloud.sla import disputes
from tcloud.sla.breach_reports import solution_names
from tcloud.sla.incident_schemas import DisputeSchema
from tcloud.validation import BaseSchema

bp = Blueprint("sla_compensation", __name__)


class DecisionSchema(BaseSchema):
    required_messages = {"decision": _l("Choose whether the dispute is upheld."),
                         "note": _l("Give the reason for the decision.")}

    decision = fields.String(required=True, validate=validate.OneOf(
        ("upheld", "rejected"), error=_l("Choose whether the dispute is upheld.")))
    note = fields.String(required=True, validate=validate.Length(
        max=2000, error=_l("Use at most 2000 characters.")))


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
    return render_template(
        "sla/statement.html", statement=statement, order=db.get(Order, statement.order_id),
        dispute=disputes.dispute_of(db, statement.id), taipei=to_taipei,
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


@bp.get("/admin/sla/disputes")
@allow(ROLE_ADMIN)
def dispute_queue():
    db = get_session()
    rows = disputes.open_disputes(db)
    return render_template("sla/admin_disputes.html", rows=rows, taipei=to_taipei,
                           names=solution_names(db, [s.solution_id for _d, s in rows]),
                           errors={}, values={})


@bp.post("/admin/sla/disputes/<int:dispute_id>/decide")
@allow(ROLE_ADMIN)
def decide(dispute_id: int):
    try:
        data = validation.load(DecisionSchema(), request.form.to_dict(), from_form=True)
        with transaction() as db:
            disputes.decide_dispute(db, admin=_user(), dispute_id=dispute_id,
                                    uphold=data["decision"] == "upheld", note=data["note"])
    except DomainError as err:
        if err.status == 404:
            raise
        flash(" ".join(err.field_errors().values()) or str(err.message), "error")
        return redirect(url_for("sla_compensation.dispute_queue"))
    flash(_("The decision is recorded and the buyer has been told."))
    return redirect(url_for("sla_compensation.dispute_queue"))
