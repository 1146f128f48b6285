"""POST /api/v1/sla/backups: a vendor's backup job reports a completed backup (RPO, term 5).

Machines call it, not people: it is open to anyone at the route level and authenticated by the
solution's token in `Authorization: Bearer <token>` (401 without a valid one, 403 when the token
belongs to another solution). The body is validated first because the token is judged against
the solution it names; validation reveals nothing the OpenAPI document does not.
"""

from __future__ import annotations

from flask import jsonify, request

from tcloud import validation
from tcloud.accounts.access import PUBLIC, allow
from tcloud.api import api_blueprint, operation
from tcloud.db import transaction
from tcloud.sla import backups
from tcloud.sla.incident_schemas import BackupReportOutSchema, BackupReportSchema

bp = api_blueprint("sla_backups", __name__)


@bp.post("/sla/backups")
@allow(PUBLIC)
@operation(summary="Report a completed backup (Authorization: Bearer <solution token>)",
           tag="sla", request_schema=BackupReportSchema, response_schema=BackupReportOutSchema,
           status=201, errors=(401, 403, 409, 415, 422))
def report_backup():
    body = request.get_json(silent=True)
    data = validation.load(BackupReportSchema(), body if isinstance(body, dict) else {})
    solution_id = data.pop("solution_id")
    with transaction() as db:
        token = backups.authenticate(db, request.headers.get("Authorization"), solution_id)
        report = backups.report_backup(db, token=token, **data)
        state = backups.solution_rpo(db, solution_id)
    out = {name: getattr(report, name) for name in BackupReportOutSchema().fields
           if hasattr(report, name)}
    out["rpo_state"] = state.status.state if state.status else "unknown"
    return jsonify(BackupReportOutSchema().dump(out)), 201
