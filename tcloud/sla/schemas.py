"""Marshmallow schemas for the availability pages and API (in and out)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, post_load, validate

from tcloud.clock import TAIPEI
from tcloud.validation import BaseSchema


class MaintenanceInSchema(BaseSchema):
    """A window as a vendor announces it: a Taiwan wall-clock start, a length, a reason."""

    required_messages = {
        "starts_at": _l("Enter when the maintenance starts."),
        "duration_minutes": _l("Enter how many minutes the maintenance lasts."),
        "reason": _l("Say what the maintenance is for."),
    }
    starts_at = fields.String(required=True, metadata={
        "description": "Start in Taiwan time, YYYY-MM-DDTHH:MM (or with an offset)"})
    duration_minutes = fields.Integer(required=True, strict=False, validate=validate.Range(
        1, 1440, error=_l("A maintenance window lasts from 1 minute to 24 hours.")),
        error_messages={"invalid": _l("Enter a whole number of minutes.")})
    reason = fields.String(required=True, validate=validate.Length(
        max=500, error=_l("Use at most 500 characters.")))

    @post_load
    def _parse_start(self, data: dict, **_kwargs) -> dict:
        try:
            moment = datetime.fromisoformat(data["starts_at"])
        except ValueError:
            raise ValidationError(_l("Enter a date and time such as 2026-12-01T02:00."),
                                  "starts_at") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=TAIPEI)
        data["starts_at"] = moment
        return data


class MaintenanceOutSchema(BaseSchema):
    id = fields.Integer()
    solution_id = fields.Integer()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    announced_at = fields.DateTime()
    reason = fields.String()
    cancelled_at = fields.DateTime(allow_none=True)
    excused = fields.Boolean(metadata={"description": "Announced at least 72 hours ahead"})


class DaySchema(BaseSchema):
    day = fields.Date()
    state = fields.String(metadata={"description": "up, degraded or no_data"})
    up = fields.Integer()
    down = fields.Integer()
    maintenance = fields.Integer()
    unknown = fields.Integer()


class MeasuredOutSchema(BaseSchema):
    solution_id = fields.Integer()
    availability_30d = fields.Float(allow_none=True, metadata={
        "description": "Percent up of measured minutes, last 30 days; null if none measured"})
    availability_90d = fields.Float(allow_none=True)
    lacking_evidence_30d = fields.Boolean(metadata={
        "description": "More than 1% of the 30 days could not be measured"})
    committed_percent = fields.Float()
    days = fields.List(fields.Nested(DaySchema))


class ProbeSettingsSchema(BaseSchema):
    required_messages = {"interval_seconds": _l("Choose how often to check."),
                         "timeout_seconds": _l("Enter the time-out in seconds."),
                         "expected_status": _l("Enter the HTTP status a healthy answer has.")}
    interval_seconds = fields.Integer(required=True, strict=False, validate=validate.OneOf(
        (60, 120, 300), error=_l("Choose every 1, 2 or 5 minutes.")))
    timeout_seconds = fields.Integer(required=True, strict=False, validate=validate.Range(
        1, 30, error=_l("Enter a time-out from 1 to 30 seconds.")),
        error_messages={"invalid": _l("Enter a whole number of seconds.")})
    expected_status = fields.Integer(required=True, strict=False, validate=validate.Range(
        100, 599, error=_l("Enter an HTTP status from 100 to 599.")),
        error_messages={"invalid": _l("Enter an HTTP status such as 200.")})
    keyword = fields.String(load_default=None, validate=validate.Length(
        max=100, error=_l("Use at most 100 characters.")))
