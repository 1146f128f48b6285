"""Marshmallow schemas of buying: quote requests, contract acceptance, quotes and orders out."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from tcloud.validation import BaseSchema


class QuoteRequestSchema(BaseSchema):
    required_messages = {"plan_id": _l("Choose a plan.")}

    plan_id = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=1, error=_l("Choose a plan.")))
    use_points = fields.Boolean(load_default=True)


class AcceptContractSchema(BaseSchema):
    required_messages = {
        "contract_sha256": _l("Send the fingerprint (SHA-256) of the contract you were shown."),
        "accept": _l("Accept the contract to order."),
    }

    contract_sha256 = fields.String(required=True, validate=validate.Regexp(
        r"^[0-9a-f]{64}$", error=_l("The fingerprint is 64 hexadecimal characters.")))
    accept = fields.Boolean(required=True, validate=validate.Equal(
        True, error=_l("Accept the contract to order.")))


class CancelSchema(BaseSchema):
    """No fields: the buyer's own cancellation before activation needs no answer."""


class QuoteOutSchema(Schema):
    id = fields.Integer()
    solution_id = fields.Integer()
    plan_id = fields.Integer()
    seats = fields.Integer()
    term_months = fields.Integer()
    price_ntd = fields.Integer()
    points_applied = fields.Integer()
    card_amount_ntd = fields.Integer()
    valid_until = fields.DateTime()
    expired = fields.Boolean()
    contract_version = fields.Integer()
    contract_text = fields.String()
    contract_sha256 = fields.String()


class OrderOutSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    status = fields.String()
    status_label = fields.String()
    solution_id = fields.Integer()
    solution_name = fields.String()
    plan_name = fields.String()
    seats = fields.Integer()
    term_months = fields.Integer()
    price_ntd = fields.Integer()
    points_applied = fields.Integer()
    points_released = fields.Integer()
    card_amount_ntd = fields.Integer()
    contract_version = fields.Integer()
    contract_sha256 = fields.String()
    sla_snapshot = fields.Dict()
    accepted_at = fields.DateTime()
    paid_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    cancel_reason = fields.String(allow_none=True)
    card_refunded_at = fields.DateTime(allow_none=True)
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    payment_client_secret = fields.String(allow_none=True, metadata={
        "description": "Stripe PaymentIntent client secret while the card part is unpaid: "
                       "confirm it with Stripe.js."})
