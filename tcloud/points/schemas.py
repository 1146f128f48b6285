"""Marshmallow schemas of the points domain: programmes, applications, decisions, output."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from tcloud.accounts.choices import ENTITY_TYPES
from tcloud.points.models import BUDGET_SHORT_REFUSE, BUDGET_SHORT_WAITLIST
from tcloud.validation import BaseSchema

MAX_POINTS = 10**12
_DATE_ERRORS = {"invalid": _l("Enter a real date, such as 2027-06-30.")}


def _points(message: Any, minimum: int = 0) -> fields.Integer:
    return fields.Integer(required=True, strict=False,
                          validate=validate.Range(min=minimum, max=MAX_POINTS, error=message))


def _reason(required: bool = True) -> fields.String:
    length = validate.Length(max=2000, error=_l("Use at most 2000 characters."))
    if required:
        return fields.String(required=True, validate=length)
    return fields.String(load_default="", validate=length)


class ProgrammeSchema(BaseSchema):
    required_messages = {
        "name": _l("Enter the programme's name."),
        "total_budget": _l("Enter the total budget in points."),
        "opens_on": _l("Enter the date applications open."),
        "closes_on": _l("Enter the date applications close."),
        "points_expire_on": _l("Enter the date the points expire."),
        "allowed_entity_types": _l("Choose at least one type of organisation that may apply."),
        "grant_immediately": _l("Choose whether applications that pass every check are "
                                "granted at once."),
        "when_budget_short": _l("Choose what happens when the budget runs short."),
    }

    name = fields.String(required=True, validate=validate.Length(
        max=200, error=_l("Use at most 200 characters.")))
    points_per_grant = fields.Integer(load_default=30_000, strict=False, validate=validate.Range(
        min=1, max=10**7, error=_l("Enter a whole number of points, at least 1.")))
    total_budget = _points(_l("Enter a whole number of points, 0 or more."))
    opens_on = fields.Date(required=True, error_messages=_DATE_ERRORS)
    closes_on = fields.Date(required=True, error_messages=_DATE_ERRORS)
    points_expire_on = fields.Date(required=True, error_messages=_DATE_ERRORS)
    allowed_entity_types = fields.List(
        fields.String(validate=validate.OneOf(list(ENTITY_TYPES),
                                              error=_l("Choose from the list."))),
        required=True, validate=validate.Length(
            min=1, error=_l("Choose at least one type of organisation that may apply.")))
    max_employees = fields.Integer(load_default=None, allow_none=True, strict=False,
                                   validate=validate.Range(
                                       min=0, max=10**6,
                                       error=_l("Enter a whole number of employees, 0 or more.")))
    grant_immediately = fields.Boolean(required=True)
    when_budget_short = fields.String(required=True, validate=validate.OneOf(
        [BUDGET_SHORT_REFUSE, BUDGET_SHORT_WAITLIST], error=_l("Choose from the list.")))
    reason = _reason(required=False)

    @validates_schema
    def _dates_in_order(self, data: dict, **_kw: Any) -> None:
        if data["closes_on"] < data["opens_on"]:
            raise ValidationError(str(_l("The closing date must be on or after the opening "
                                         "date.")), field_name="closes_on")
        if data["points_expire_on"] < data["closes_on"]:
            raise ValidationError(str(_l("Points must expire on or after the closing date.")),
                                  field_name="points_expire_on")


class ApplicationSchema(BaseSchema):
    required_messages = {
        "entity_type": _l("Choose the type of organisation."),
        "employee_count": _l("Enter the number of employees."),
        "contact_name": _l("Enter the name of the contact person."),
        "confirms_truth": _l("Tick to confirm that the information is true."),
    }

    entity_type = fields.String(required=True, validate=validate.OneOf(
        list(ENTITY_TYPES), error=_l("Choose the type of organisation.")))
    employee_count = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=0, max=10**6, error=_l("Enter a whole number of employees, 0 or more.")))
    contact_name = fields.String(required=True, validate=validate.Length(
        max=100, error=_l("Use at most 100 characters.")))
    confirms_truth = fields.Boolean(required=True, validate=validate.Equal(
        True, error=_l("Tick to confirm that the information is true.")))


class DecisionSchema(BaseSchema):
    required_messages = {"decision": _l("Choose a decision."),
                         "reason": _l("Give the reason; the business will read it.")}

    decision = fields.String(required=True, validate=validate.OneOf(
        ["approve", "reject"], error=_l("Choose a decision.")))
    reason = _reason()


class BatchGrantSchema(BaseSchema):
    required_messages = {"reason": _l("Enter the reason, for the audit log.")}

    reason = _reason()


class ProgrammeOutSchema(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    points_per_grant = fields.Integer()
    total_budget = fields.Integer()
    budget_left = fields.Integer()
    opens_on = fields.Date()
    closes_on = fields.Date()
    points_expire_on = fields.Date()
    allowed_entity_types = fields.List(fields.String())
    max_employees = fields.Integer(allow_none=True)
    grant_immediately = fields.Boolean()
    when_budget_short = fields.String()


class CheckOutSchema(BaseSchema):
    code = fields.String()
    passed = fields.Boolean()
    message = fields.String()


class ApplicationOutSchema(BaseSchema):
    id = fields.Integer()
    programme_id = fields.Integer()
    tax_id = fields.String()
    company_name = fields.String()
    status = fields.String()
    checks = fields.List(fields.Nested(CheckOutSchema))
    decision_reason = fields.String()


class MovementOutSchema(BaseSchema):
    at = fields.DateTime()
    kind = fields.String()
    label = fields.String()
    description = fields.String()
    points = fields.Integer()
    balance = fields.Integer()


class WalletOutSchema(BaseSchema):
    id = fields.Integer()
    programme_id = fields.Integer()
    balance = fields.Integer()
    expires_on = fields.Date()
    movements = fields.List(fields.Nested(MovementOutSchema))
