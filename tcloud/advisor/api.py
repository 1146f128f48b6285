"""Advisor API under /api/v1: the needs form (draft, submit), diagnosis, recommendation,
the consultants' queue and actions, the administrators' reassignment and conversion report."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_CONSULTANT
from tcloud.advisor import consultant, conversion, diagnoses, forms, recommendations
from tcloud.advisor.models import SENT
from tcloud.advisor.schemas import (
    AssignSchema,
    ConversionRowOutSchema,
    DiagnosisOutSchema,
    DraftSchema,
    FormOutSchema,
    ItemsEditSchema,
    NeedsSchema,
    QueueRowOutSchema,
    RecommendationOutSchema,
)
from tcloud.api import api_blueprint, json_body, operation
from tcloud.db import get_session, transaction

bp = api_blueprint("advisor", __name__)


def _user():
    return current_user._get_current_object()


def _form_json(form) -> dict:
    return FormOutSchema().dump(form)


@bp.get("/advisor/draft")
@allow(ROLE_BUSINESS)
@operation(summary="My saved draft of the needs form (pre-filled if there is none)",
           tag="advisor", response_schema=FormOutSchema)
def get_draft():
    db = get_session()
    draft = forms.current_draft(db, _user().organisation_id)
    if draft is None:
        from tcloud.accounts import services as accounts
        return jsonify({"id": None, "state": "draft", "submitted_at": None, "updated_at": None,
                        "answers": forms.prefill(accounts.organisation_of(db, _user()))})
    return jsonify(_form_json(draft))


@bp.put("/advisor/draft")
@allow(ROLE_BUSINESS)
@operation(summary="Save the needs form as a draft: anything so far, checked only for shape",
           tag="advisor", request_schema=DraftSchema, response_schema=FormOutSchema,
           errors=(415, 422))
def save_draft():
    data = validation.load(DraftSchema(), json_body())
    with transaction() as db:
        draft = forms.save_draft(db, user=_user(), answers=data["answers"])
    return jsonify(_form_json(draft))


@bp.post("/advisor/forms")
@allow(ROLE_BUSINESS)
@operation(summary="Submit the needs form: diagnosis and recommendation at once",
           tag="advisor", request_schema=NeedsSchema, response_schema=FormOutSchema,
           status=201, errors=(415, 422))
def submit_form():
    with transaction() as db:
        form, _recommendation = forms.submit(db, user=_user(), answers=json_body())
    return jsonify(_form_json(form)), 201


@bp.get("/advisor/forms/<int:form_id>/diagnosis")
@allow(ROLE_BUSINESS, ROLE_CONSULTANT, ROLE_ADMIN)
@operation(summary="The readiness diagnosis of a submitted form", tag="advisor",
           response_schema=DiagnosisOutSchema, errors=(404,))
def get_diagnosis(form_id: int):
    db = get_session()
    form = forms.get_form(db, form_id, user=_user())
    return jsonify(DiagnosisOutSchema().dump(
        diagnoses.view(db, diagnoses.of_form(db, form.id)).as_json()))


@bp.get("/advisor/forms/<int:form_id>/recommendation")
@allow(ROLE_BUSINESS, ROLE_CONSULTANT, ROLE_ADMIN)
@operation(summary="The recommendation of a form; a business sees items once it is sent",
           tag="advisor", response_schema=RecommendationOutSchema, errors=(404,))
def get_recommendation(form_id: int):
    db = get_session()
    form = forms.get_form(db, form_id, user=_user())
    found = recommendations.of_form(db, form.id)
    with_items = found.state == SENT or _user().role != ROLE_BUSINESS
    return jsonify(RecommendationOutSchema().dump(
        recommendations.recommendation_json(db, found, with_items=with_items)))


@bp.get("/advisor/queue")
@allow(ROLE_CONSULTANT, ROLE_ADMIN)
@operation(summary="The queue: new forms and my own (all, for an administrator)",
           tag="advisor", response_schema=QueueRowOutSchema(many=True))
def get_queue():
    rows = consultant.queue(get_session(), _user(), state=request.args.get("state"))
    return jsonify(QueueRowOutSchema(many=True).dump([
        {"id": r.recommendation.id, "form_id": r.form.id, "state": r.recommendation.state,
         "consultant_id": r.recommendation.consultant_id, "industry": r.answers["industry"],
         "employees": r.answers["employees"], "top_problem": r.answers["top_problem"],
         "submitted_at": r.form.submitted_at} for r in rows]))


def _dump(recommendation_id: int):
    db = get_session()
    found = consultant.get_for_review(db, recommendation_id, _user())
    return jsonify(RecommendationOutSchema().dump(recommendations.recommendation_json(db, found)))


@bp.get("/advisor/recommendations/<int:recommendation_id>")
@allow(ROLE_CONSULTANT, ROLE_ADMIN)
@operation(summary="A claimed recommendation with every item's reasons", tag="advisor",
           response_schema=RecommendationOutSchema, errors=(404,))
def get_for_review(recommendation_id: int):
    return _dump(recommendation_id)


@bp.post("/advisor/recommendations/<int:recommendation_id>/claim")
@allow(ROLE_CONSULTANT)
@operation(summary="Claim a new form from the queue", tag="advisor",
           response_schema=RecommendationOutSchema, errors=(404, 409, 415))
def claim(recommendation_id: int):
    with transaction() as db:
        consultant.claim(db, recommendation_id, _user())
    return _dump(recommendation_id)


@bp.put("/advisor/recommendations/<int:recommendation_id>/items")
@allow(ROLE_CONSULTANT)
@operation(summary="Set the list: items in order with notes, and the overall note",
           tag="advisor", request_schema=ItemsEditSchema,
           response_schema=RecommendationOutSchema, errors=(400, 404, 409, 415, 422))
def replace_items(recommendation_id: int):
    data = validation.load(ItemsEditSchema(), json_body())
    with transaction() as db:
        consultant.replace_items(db, recommendation_id, _user(), items=data["items"],
                                 overall_note=data["overall_note"])
    return _dump(recommendation_id)


@bp.post("/advisor/recommendations/<int:recommendation_id>/send")
@allow(ROLE_CONSULTANT)
@operation(summary="Send the reviewed recommendation to the business", tag="advisor",
           response_schema=RecommendationOutSchema, errors=(400, 404, 409, 415))
def send(recommendation_id: int):
    with transaction() as db:
        consultant.send(db, recommendation_id, _user())
    return _dump(recommendation_id)


@bp.post("/advisor/recommendations/<int:recommendation_id>/assign")
@allow(ROLE_ADMIN)
@operation(summary="Assign or reassign a recommendation to a consultant, with a reason",
           tag="advisor", request_schema=AssignSchema, response_schema=RecommendationOutSchema,
           errors=(400, 404, 409, 415, 422))
def assign(recommendation_id: int):
    data = validation.load(AssignSchema(), json_body())
    with transaction() as db:
        consultant.assign(db, recommendation_id, admin=_user(),
                          consultant_id=data["consultant_id"], reason=data["reason"])
    return _dump(recommendation_id)


@bp.get("/advisor/conversions")
@allow(ROLE_ADMIN)
@operation(summary="How often sent recommendations led to a purchase within 30 days, by "
           "consultant and overall", tag="advisor",
           response_schema=ConversionRowOutSchema(many=True))
def get_conversions():
    rows, total = conversion.report(get_session())
    dump = ConversionRowOutSchema(many=True).dump
    return jsonify(dump([row.__dict__ | {"rate_percent": row.rate_percent}
                         for row in [*rows, total]]))
