"""Marshmallow schemas of the aftercare API: activation, buyer actions, refunds, card refunds,
statements."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from tcloud.validation import BaseSchema

_DATE_ERRORS = {"invalid": _l("Enter a real date, such as 2027-06-30.")}


def _text(max_length: int, *, required: bool = True) -> fields.String:
    length = validate.Length(max=max_length,
                             error=_l("Use at most %(max)s characters.", max=max_length))
    if required:
        return fields.String(required=True, validate=length)
    return fields.String(load_default="", validate=length)


class ActivateSchema(BaseSchema):
    required_messages = {"notes": _l("Tell the buyer how to sign in or what happens next.")}

    notes = _text(2000)
    starts_on = fields.Date(load_default=None, error_messages=_DATE_ERRORS,
                            metadata={"description": "Default: today (Taiwan time)."})


class NoteSchema(BaseSchema):
    required_messages = {"note": _l("Tell us what is wrong.")}

    note = _text(500)


class ReasonSchema(BaseSchema):
    required_messages = {"reason": _l("Give a reason.")}

    reason = _text(500)


class RefundSchema(BaseSchema):
    required_messages = {"points": _l("Enter a whole number of points above 0."),
                         "reason": _l("Give a reason for the refund.")}

    points = fields.Integer(required=True, strict=True, validate=validate.Range(
        min=1, max=10**9, error=_l("Enter a whole number of points above 0.")))
    reason = _text(500)
    token = fields.String(load_default=None, validate=validate.Regexp(
        r"^[A-Za-z0-9_-]{8,64}$", error=_l("Use 8 to 64 letters, digits, - or _.")),
        metadata={"description": "Idempotency token: the same token refunds once."})


class AftercareOrderOutSchema(BaseSchema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    solution_id = fields.Integer()
    solution_name = fields.String()
    plan_name = fields.String()
    buyer_organisation_id = fields.Integer(attribute="organisation_id")
    vendor_organisation_id = fields.Integer()
    term_months = fields.Integer()
    price_ntd = fields.Integer()
    points_applied = fields.Integer()
    card_amount_ntd = fields.Integer()
    points_released = fields.Integer()
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    use_confirm_due_on = fields.Date(allow_none=True)
    use_confirmed_at = fields.DateTime(allow_none=True)
    reported_unused_at = fields.DateTime(allow_none=True)
    renewal_of_order_id = fields.Integer(allow_none=True)


class RefundOutSchema(BaseSchema):
    id = fields.Integer()
    order_id = fields.Integer()
    points = fields.Integer()
    reason = fields.String()
    created_at = fields.DateTime()


class CardRefundOutSchema(BaseSchema):
    id = fields.Integer()
    order_id = fields.Integer()
    period = fields.String(metadata={"description": "The month (YYYY-MM) compensated."})
    amount_ntd = fields.Integer()
    reason = fields.String()
    status = fields.String(metadata={"description": "pending, sent or failed"})
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True)
    stripe_refund_id = fields.String(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class RenewalOutSchema(BaseSchema):
    quote_id = fields.Integer()
    price_ntd = fields.Integer()
    card_amount_ntd = fields.Integer()
    contract_url = fields.String(metadata={"description": "Where the buyer reads and accepts "
                                                          "the contract, then pays."})


class VendorStatementOutSchema(BaseSchema):
    id = fields.Integer()
    vendor_organisation_id = fields.Integer()
    period = fields.String()
    captured_points = fields.Integer()
    refunded_points = fields.Integer()
    compensation_points = fields.Integer()
    carried_in_points = fields.Integer()
    recovered_points = fields.Integer()
    net_ntd = fields.Integer()
    payable_ntd = fields.Integer()
    status = fields.String()
    issued_at = fields.DateTime()
    paid_at = fields.DateTime(allow_none=True)


class VendorStatementQuerySchema(BaseSchema):
    period = fields.String(load_default=None, validate=validate.Regexp(
        r"^\d{4}-(0[1-9]|1[0-2])$", error=_l("Give the month as YYYY-MM.")))


class PeriodSchema(BaseSchema):
    required_messages = {"period": _l("Give the month as YYYY-MM.")}

    period = fields.String(required=True, validate=validate.Regexp(
        r"^\d{4}-(0[1-9]|1[0-2])$", error=_l("Give the month as YYYY-MM.")))
