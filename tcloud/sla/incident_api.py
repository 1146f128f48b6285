"""SLA API under /api/v1: incidents (buyers open, vendors respond and resolve), breaches for
administrators, and compensation statements with the buyer's dispute."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_VENDOR
from tcloud.api import api_blueprint, json_body, operation
from tcloud.db import get_session, transaction
from tcloud.points.order_models import Order
from tcloud.sla import breach_reports, disputes, incidents
from tcloud.sla.incident_schemas import (
    BreachOutSchema,
    BreachQuerySchema,
    DisputeDecisionSchema,
    DisputeOutSchema,
    DisputeSchema,
    IncidentNoteSchema,
    IncidentOpenSchema,
    IncidentOutSchema,
    StatementOutSchema,
)

bp = api_blueprint("sla_incidents", __name__)


def _user():
    return current_user._get_current_object()


def dump_incident(view: incidents.IncidentView) -> dict:
    incident, assessment = view.incident, view.assessment
    data = {name: getattr(incident, name) for name in IncidentOutSchema().fields
            if hasattr(incident, name)}
    data.update(solution_name=view.order.solution_name, response_state=assessment.state,
                remaining_seconds=assessment.remaining_seconds,
                clock_resumes_at=assessment.clock_resumes_at)
    return IncidentOutSchema().dump(data)


def _view(incident) -> incidents.IncidentView:
    db = get_session()
    order = db.get(Order, incident.order_id)
    return incidents.IncidentView(incident, order, incidents.assess(db, incident, order))


@bp.get("/sla/incidents")
@allow(ROLE_BUSINESS, ROLE_VENDOR)
@operation(summary="My incidents (a buyer's, or those on a vendor's solutions), newest first",
           tag="sla", response_schema=IncidentOutSchema(many=True))
def list_incidents():
    return jsonify([dump_incident(v) for v in incidents.incidents_of(get_session(), _user())])


@bp.post("/sla/incidents")
@allow(ROLE_BUSINESS)
@operation(summary="Report an incident on an active subscription", tag="sla",
           request_schema=IncidentOpenSchema, response_schema=IncidentOutSchema, status=201,
           errors=(404, 409, 415, 422))
def open_incident():
    data = validation.load(IncidentOpenSchema(), json_body())
    with transaction() as db:
        incident = incidents.open_incident(db, buyer=_user(), **data)
    return jsonify(dump_incident(_view(incident))), 201


@bp.get("/sla/incidents/<int:incident_id>")
@allow(ROLE_BUSINESS, ROLE_VENDOR, ROLE_ADMIN)
@operation(summary="One incident with its countdown", tag="sla",
           response_schema=IncidentOutSchema, errors=(404,))
def get_incident(incident_id: int):
    return jsonify(dump_incident(_view(incidents.incident_for(get_session(), _user(),
                                                              incident_id))))


@bp.post("/sla/incidents/<int:incident_id>/response")
@allow(ROLE_VENDOR)
@operation(summary="Record the first response (the vendor's)", tag="sla",
           request_schema=IncidentNoteSchema, response_schema=IncidentOutSchema,
           errors=(404, 409, 415, 422))
def respond(incident_id: int):
    data = validation.load(IncidentNoteSchema(), json_body())
    with transaction() as db:
        incident = incidents.record_response(db, vendor=_user(), incident_id=incident_id,
                                             note=data["note"])
    return jsonify(dump_incident(_view(incident)))


@bp.post("/sla/incidents/<int:incident_id>/resolution")
@allow(ROLE_VENDOR)
@operation(summary="Mark the incident resolved (the vendor's)", tag="sla",
           request_schema=IncidentNoteSchema, response_schema=IncidentOutSchema,
           errors=(404, 409, 415, 422))
def resolve(incident_id: int):
    data = validation.load(IncidentNoteSchema(), json_body())
    with transaction() as db:
        incident = incidents.resolve_incident(db, vendor=_user(), incident_id=incident_id,
                                              note=data["note"])
    return jsonify(dump_incident(_view(incident)))


@bp.get("/sla/breaches")
@allow(ROLE_ADMIN)
@operation(summary="Breaches of SLA terms, newest first (50 a page)", tag="sla",
           query_schema=BreachQuerySchema, response_schema=BreachOutSchema(many=True),
           errors=(422,))
def list_breaches():
    query = validation.load(BreachQuerySchema(), request.args)
    page = query.pop("page")
    rows, total = breach_reports.list_breaches(
        get_session(), breach_reports.BreachFilters(**query), page)
    response = jsonify(BreachOutSchema(many=True).dump(rows))
    response.headers["X-Total-Count"] = str(total)
    return response


def _dump_statement(statement) -> dict:
    db = get_session()
    dispute = disputes.dispute_of(db, statement.id)
    data = {name: getattr(statement, name) for name in StatementOutSchema().fields
            if hasattr(statement, name)}
    data["dispute_status"] = dispute.status if dispute else None
    data["corrected_points"] = dispute.corrected_points if dispute else None
    paid = disputes.payments_of(db, statement, db.get(Order, statement.order_id))["month_end"]
    data["paid_to"] = paid.to if paid else None
    data["card_refund_status"] = paid.status if paid and paid.to == "card" else None
    return StatementOutSchema().dump(data)


@bp.get("/sla/compensation")
@allow(ROLE_BUSINESS, ROLE_VENDOR)
@operation(summary="Compensation statements (credited to the buyer, or by the vendor)",
           tag="sla", response_schema=StatementOutSchema(many=True))
def list_statements():
    return jsonify([_dump_statement(s) for s in disputes.statements_of(get_session(), _user())])


@bp.post("/sla/compensation/<int:statement_id>/dispute")
@allow(ROLE_BUSINESS)
@operation(summary="Dispute a statement (within 30 days)", tag="sla",
           request_schema=DisputeSchema, response_schema=StatementOutSchema, status=201,
           errors=(404, 409, 415, 422))
def dispute(statement_id: int):
    data = validation.load(DisputeSchema(), json_body())
    with transaction() as db:
        disputes.open_dispute(db, buyer=_user(), statement_id=statement_id,
                              reason=data["reason"])
    return jsonify(_dump_statement(disputes.statement_for(get_session(), _user(),
                                                          statement_id))), 201


@bp.post("/sla/disputes/<int:dispute_id>/decision")
@allow(ROLE_ADMIN)
@operation(summary="Decide a compensation dispute (upholding pays the corrected figure's "
                   "difference to the buyer)", tag="sla", request_schema=DisputeDecisionSchema,
           response_schema=DisputeOutSchema, errors=(404, 409, 415, 422))
def decide_dispute(dispute_id: int):
    data = validation.load(DisputeDecisionSchema(), json_body())
    with transaction() as db:
        dispute = disputes.decide_dispute(db, admin=_user(), dispute_id=dispute_id,
                                          uphold=data["decision"] == "upheld",
                                          note=data["note"],
                                          corrected_points=data["corrected_points"])
        out = DisputeOutSchema().dump(dispute)
    return jsonify(out)
