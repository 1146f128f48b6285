"""Marshmallow schemas for incidents, backup reports, breaches and compensation (in and out)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from tcloud.sla.incident_models import BACKUP_STATUSES
from tcloud.sla.incidents import DESCRIPTION_LIMIT
from tcloud.sla.incidents_clock import SEVERITIES
from tcloud.validation import BaseSchema

_NOTE = validate.Length(max=4000, error=_l("Use at most 4000 characters."))


class IncidentOpenSchema(BaseSchema):
    required_messages = {
        "order_id": _l("Choose the subscription with the problem."),
        "severity": _l("Choose how serious the problem is."),
        "description": _l("Describe the problem."),
    }

    order_id = fields.Integer(required=True, strict=False)
    severity = fields.String(required=True, validate=validate.OneOf(
        SEVERITIES, error=_l("Choose critical, high, normal or low.")))
    description = fields.String(required=True, validate=validate.Length(
        max=DESCRIPTION_LIMIT, error=_l("Use at most 4000 characters.")))


class IncidentNoteSchema(BaseSchema):
    required_messages = {"note": _l("Write what you told the customer.")}

    note = fields.String(required=True, validate=_NOTE)


class IncidentOutSchema(BaseSchema):
    id = fields.Integer()
    order_id = fields.Integer()
    solution_id = fields.Integer()
    solution_name = fields.String()
    severity = fields.String()
    description = fields.String()
    source = fields.String()
    status = fields.String()
    opened_at = fields.AwareDateTime()
    due_at = fields.AwareDateTime()
    warn_at = fields.AwareDateTime()
    support_hours_end_at = fields.AwareDateTime(allow_none=True)
    calendar_clock = fields.Boolean()
    target_minutes = fields.Integer()
    first_response_at = fields.AwareDateTime(allow_none=True)
    resolved_at = fields.AwareDateTime(allow_none=True)
    response_state = fields.String(metadata={"description": "waiting, warning, breached, "
                                                            "answered or answered_late"})
    remaining_seconds = fields.Float(metadata={"description": "counted time left before the "
                                                              "response is due"})
    clock_resumes_at = fields.AwareDateTime(allow_none=True, metadata={
        "description": "outside support hours: when the stopped response clock starts again"})
    response_breached = fields.Boolean()
    support_hours_breached = fields.Boolean()


class BackupReportSchema(BaseSchema):
    required_messages = {
        "solution_id": _l("Give the solution's id."),
        "completed_at": _l("Give the time the backup completed, with its time zone."),
        "status": _l("Give the backup's status: ok, failed or partial."),
    }

    solution_id = fields.Integer(required=True, strict=False)
    completed_at = fields.AwareDateTime(required=True, error_messages={
        "invalid": _l("Give an ISO 8601 time with its zone, such as "
                      "2026-11-23T02:00:00+08:00."),
        "invalid_awareness": _l("Give the time zone, such as +08:00.")})
    status = fields.String(required=True, validate=validate.OneOf(
        BACKUP_STATUSES, error=_l("Status is ok, failed or partial.")))
    size_bytes = fields.Integer(load_default=None, allow_none=True, strict=False,
                                validate=validate.Range(min=0, max=2**62, error=_l(
                                    "Give the size as a whole number of bytes.")))
    checksum = fields.String(load_default=None, allow_none=True, validate=validate.Length(
        max=128, error=_l("Use at most 128 characters.")))


class BackupReportOutSchema(BaseSchema):
    id = fields.Integer()
    solution_id = fields.Integer()
    completed_at = fields.AwareDateTime()
    status = fields.String()
    size_bytes = fields.Integer(allow_none=True)
    checksum = fields.String(allow_none=True)
    received_at = fields.AwareDateTime()
    rpo_state = fields.String(metadata={"description": "ok, warning, breach or unknown"})


class BreachQuerySchema(BaseSchema):
    term = fields.String(load_default=None, validate=validate.OneOf(
        ("availability", "support_hours", "response", "rpo"),
        error=_l("Choose availability, support_hours, response or rpo.")))
    state = fields.String(load_default=None, validate=validate.OneOf(
        ("open", "closed"), error=_l("Choose open or closed.")))
    solution_id = fields.Integer(load_default=None, strict=False)
    vendor_id = fields.Integer(load_default=None, strict=False)
    page = fields.Integer(load_default=1, strict=False, validate=validate.Range(min=1))


class BreachOutSchema(BaseSchema):
    id = fields.Integer()
    key = fields.String()
    solution_id = fields.Integer()
    vendor_organisation_id = fields.Integer()
    term = fields.String()
    period = fields.String()
    subject = fields.String()
    incident_id = fields.Integer(allow_none=True)
    opened_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    details = fields.Dict()


class StatementOutSchema(BaseSchema):
    id = fields.Integer()
    order_id = fields.Integer()
    solution_id = fields.Integer()
    period = fields.String()
    basis = fields.String()
    availability_percent = fields.Float()
    target_percent = fields.Float()
    credit_percent = fields.Integer()
    fee_points = fields.Integer()
    points = fields.Integer()
    credited = fields.Boolean()
    credited_at = fields.AwareDateTime()
    dispute_until = fields.AwareDateTime()
    dispute_status = fields.String(allow_none=True)
    corrected_points = fields.Integer(allow_none=True)
    paid_to = fields.String(allow_none=True, metadata={
        "description": "wallet (points credited) or card (refunded to the card that paid)"})
    card_refund_status = fields.String(allow_none=True, metadata={
        "description": "pending, sent or failed; null unless paid to a card"})


class DisputeSchema(BaseSchema):
    required_messages = {"reason": _l("Say why the figure is wrong.")}

    reason = fields.String(required=True, validate=validate.Length(
        max=2000, error=_l("Use at most 2000 characters.")))


class DisputeDecisionSchema(BaseSchema):
    required_messages = {"decision": _l("Choose whether the dispute is upheld."),
                         "note": _l("Give the reason for the decision.")}

    decision = fields.String(required=True, validate=validate.OneOf(
        ("upheld", "rejected"), error=_l("Choose whether the dispute is upheld.")))
    note = fields.String(required=True, validate=validate.Length(
        max=2000, error=_l("Use at most 2000 characters.")))
    # Checked by disputes.checked_correction (the same rule for the page and the API).
    corrected_points = fields.Raw(load_default=None, metadata={
        "description": "when upheld: the month's corrected compensation in whole points, "
                       "above what was paid and within the contract's cap"})


class DisputeOutSchema(BaseSchema):
    id = fields.Integer()
    statement_id = fields.Integer()
    status = fields.String()
    reason = fields.String()
    opened_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)
    decision_note = fields.String(allow_none=True)
    corrected_points = fields.Integer(allow_none=True)
