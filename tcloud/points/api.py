"""Points API under /api/v1: programmes (with the live budget), applications, wallets."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS
from tcloud.api import api_blueprint, json_body, operation
from tcloud.db import get_session, transaction
from tcloud.points import applications, programmes, wallets
from tcloud.points.labels import MOVEMENT_LABELS, describe_check
from tcloud.points.schemas import (
    ApplicationOutSchema,
    DecisionSchema,
    ProgrammeOutSchema,
    ProgrammeSchema,
    WalletOutSchema,
)

bp = api_blueprint("points", __name__)


def _dump_programme(programme) -> dict:
    data = {name: getattr(programme, name) for name in programmes.EDITABLE}
    data.update(id=programme.id, allowed_entity_types=list(programme.entity_types),
                budget_left=programmes.budget_left(get_session(), programme.id))
    return ProgrammeOutSchema().dump(data)


@bp.get("/points/programmes")
@allow(ROLE_BUSINESS, ROLE_ADMIN)
@operation(summary="Programmes with their budget left", tag="points",
           response_schema=ProgrammeOutSchema(many=True))
def list_programmes():
    return jsonify([_dump_programme(p) for p in programmes.list_programmes(get_session())])


@bp.get("/points/programmes/<int:programme_id>")
@allow(ROLE_BUSINESS, ROLE_ADMIN)
@operation(summary="One programme and its budget left, now", tag="points",
           response_schema=ProgrammeOutSchema, errors=(404,))
def get_programme(programme_id: int):
    return jsonify(_dump_programme(programmes.get_programme(get_session(), programme_id)))


@bp.post("/points/programmes")
@allow(ROLE_ADMIN)
@operation(summary="Create a programme (its budget is funded in the ledger)", tag="points",
           request_schema=ProgrammeSchema, response_schema=ProgrammeOutSchema, status=201,
           errors=(415, 422))
def create_programme():
    data = validation.load(ProgrammeSchema(), json_body())
    reason = data.pop("reason")
    with transaction() as db:
        programme = programmes.create_programme(db, admin=current_user._get_current_object(),
                                                values=data, reason=reason)
    return jsonify(_dump_programme(programme)), 201


@bp.put("/points/programmes/<int:programme_id>")
@allow(ROLE_ADMIN)
@operation(summary="Change a programme (a new total budget moves the difference)",
           tag="points", request_schema=ProgrammeSchema, response_schema=ProgrammeOutSchema,
           errors=(404, 415, 422))
def update_programme(programme_id: int):
    data = validation.load(ProgrammeSchema(), json_body())
    reason = data.pop("reason")
    with transaction() as db:
        programme = programmes.update_programme(
            db, admin=current_user._get_current_object(), programme_id=programme_id,
            values=data, reason=reason)
    return jsonify(_dump_programme(programme))


def _dump_application(application) -> dict:
    checks = [dict(code=c["code"], passed=c["passed"], message=describe_check(c))
              for c in applications.checks_of(application)]
    return ApplicationOutSchema().dump({
        "id": application.id, "programme_id": application.programme_id,
        "tax_id": application.tax_id, "company_name": application.company_name,
        "status": application.status, "checks": checks,
        "decision_reason": application.decision_reason})


@bp.get("/points/applications/<int:application_id>")
@allow(ROLE_BUSINESS, ROLE_ADMIN)
@operation(summary="An application with each check in plain words", tag="points",
           response_schema=ApplicationOutSchema, errors=(404,))
def get_application(application_id: int):
    found = applications.get_application(get_session(), application_id,
                                         user=current_user._get_current_object())
    return jsonify(_dump_application(found))


@bp.post("/points/applications/<int:application_id>/decision")
@allow(ROLE_ADMIN)
@operation(summary="Grant or reject a queued application, with a reason", tag="points",
           request_schema=DecisionSchema, response_schema=ApplicationOutSchema,
           errors=(404, 409, 415, 422))
def decide(application_id: int):
    data = validation.load(DecisionSchema(), json_body())
    with transaction() as db:
        decided = applications.decide(db, admin=current_user._get_current_object(),
                                      application_id=application_id,
                                      approve=data["decision"] == "approve",
                                      reason=data["reason"])
    return jsonify(_dump_application(decided))


@bp.get("/points/wallets")
@allow(ROLE_BUSINESS)
@operation(summary="My wallets, each with every movement and running balance", tag="points",
           response_schema=WalletOutSchema(many=True))
def my_wallets():
    db = get_session()
    today = applications.taipei_today()
    out = []
    for account, programme in wallets.wallets_of(db, current_user.organisation_id):
        view = wallets.wallet_view(db, account.id, today=today,
                                   organisation_id=current_user.organisation_id)
        out.append(WalletOutSchema().dump({
            "id": account.id, "programme_id": programme.id, "balance": account.balance,
            "expires_on": programme.points_expire_on,
            "movements": [{"at": r.created_at, "kind": r.kind,
                           "label": str(MOVEMENT_LABELS.get(r.kind, r.kind)),
                           "description": r.description, "points": r.amount,
                           "balance": r.balance_after} for r in view.rows]}))
    return jsonify(out)
