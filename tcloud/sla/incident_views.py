"""Incident pages: a buyer's incidents and the report form, a vendor's incidents with
countdowns, one incident with its history (and the vendor's answer forms)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.clock import to_taipei
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.points.order_models import Order
from tcloud.sla import incident_labels as labels
from tcloud.sla import incidents
from tcloud.sla.incident_schemas import IncidentNoteSchema, IncidentOpenSchema

bp = Blueprint("sla_incidents", __name__)
LABELS = {"severity_labels": labels.SEVERITY_LABELS, "severity_short": labels.SEVERITY_SHORT,
          "status_labels": labels.STATUS_LABELS, "state_labels": labels.RESPONSE_STATE_LABELS,
          "countdown": labels.countdown_words, "taipei": to_taipei}


def _user():
    return current_user._get_current_object()


@bp.get("/sla/incidents")
@allow(ROLE_BUSINESS, ROLE_VENDOR)
def list_incidents():
    open_only = request.args.get("show") == "open"
    views = incidents.incidents_of(get_session(), _user(), open_only=open_only)
    return render_template("sla/incidents.html", views=views, open_only=open_only,
                           is_vendor=current_user.role == ROLE_VENDOR, **LABELS)


def _form_page(errors=None, values=None, status=200):
    subscriptions = incidents.active_subscriptions(get_session(), current_user.organisation_id)
    choices = {str(o.id): f"{o.solution_name} ({o.plan_name}, {o.reference})"
               for o in subscriptions}
    return render_template("sla/incident_new.html", subscriptions=choices,
                           errors=errors or {}, values=values or {}, **LABELS), status


@bp.get("/sla/incidents/new")
@allow(ROLE_BUSINESS)
def new_incident():
    return _form_page(values={"order_id": request.args.get("order_id", "")})


@bp.post("/sla/incidents/new")
@allow(ROLE_BUSINESS)
def open_incident():
    values = request.form.to_dict()
    try:
        data = validation.load(IncidentOpenSchema(), values, from_form=True)
        with transaction() as db:
            incident = incidents.open_incident(db, buyer=_user(), **data)
    except DomainError as err:
        return _form_page(err.field_errors() or {"_form": str(err.message)}, values, 422)
    flash(_("Incident #%(id)s is reported. The vendor has been told.", id=incident.id))
    return redirect(url_for("sla_incidents.show_incident", incident_id=incident.id))


def _detail_page(incident_id: int, errors=None, values=None, status=200):
    db = get_session()
    incident = incidents.incident_for(db, _user(), incident_id)
    order = db.get(Order, incident.order_id)
    return render_template(
        "sla/incident.html", incident=incident, order=order,
        assessment=incidents.assess(db, incident, order),
        events=incidents.events_of(db, incident.id), errors=errors or {}, values=values or {},
        is_vendor=current_user.role == ROLE_VENDOR, **LABELS), status


@bp.get("/sla/incidents/<int:incident_id>")
@allow(ROLE_BUSINESS, ROLE_VENDOR, ROLE_ADMIN)
def show_incident(incident_id: int):
    return _detail_page(incident_id)


def _vendor_action(incident_id: int, action, done_message: str):
    values = request.form.to_dict()
    try:
        data = validation.load(IncidentNoteSchema(), values, from_form=True)
        with transaction() as db:
            action(db, vendor=_user(), incident_id=incident_id, note=data["note"])
    except DomainError as err:
        if err.status == 404:
            raise
        return _detail_page(incident_id, err.field_errors() or {"_form": str(err.message)},
                            values, 422)
    flash(done_message)
    return redirect(url_for("sla_incidents.show_incident", incident_id=incident_id))


@bp.post("/sla/incidents/<int:incident_id>/response")
@allow(ROLE_VENDOR)
def respond(incident_id: int):
    return _vendor_action(incident_id, incidents.record_response,
                          _("Your response is recorded and the customer has been told."))


@bp.post("/sla/incidents/<int:incident_id>/resolution")
@allow(ROLE_VENDOR)
def resolve(incident_id: int):
    return _vendor_action(incident_id, incidents.resolve_incident,
                          _("The incident is marked resolved."))
