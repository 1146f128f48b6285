"""Marshmallow schemas of the catalogue: vendor application, vetting decision, settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate

from tcloud.catalog import vetting_rules as rules
from tcloud.catalog.labels import DECLARATIONS
from tcloud.validation import BaseSchema

_MUST_AGREE = _l("You must confirm this to be listed.")


def _count(message) -> fields.Integer:
    return fields.Integer(required=True, strict=False,
                          validate=validate.Range(min=0, max=10**12, error=message))


def _declaration() -> fields.Boolean:
    # An unticked box sends nothing: required, so that it is reported, not defaulted.
    return fields.Boolean(required=True, validate=validate.Equal(True, error=_MUST_AGREE))


class VendorApplicationSchema(BaseSchema):
    required_messages = {
        "paid_in_capital": _l("Enter the paid-in capital in NT$."),
        "years_in_business": _l("Enter how many years the company has been in business."),
        "paying_customers": _l("Enter the number of paying customers of your cloud services."),
        "reference_customers": _l("Name at least one reference customer."),
        # Each missing declaration is named, so the error summary never repeats one vague line.
        **{name: _l("Tick to confirm: %(statement)s", statement=statement)
           for name, statement in DECLARATIONS.items()},
    }

    paid_in_capital = _count(_l("Enter an amount in NT$, such as 1000000."))
    years_in_business = _count(_l("Enter a whole number of years, 0 or more."))
    paying_customers = _count(_l("Enter a whole number of customers, 0 or more."))
    reference_customers = fields.String(
        required=True, validate=validate.Length(max=2000, error=_l("Use at most 2000 characters.")))
    declares_no_tax_arrears = _declaration()
    declares_no_major_breach = _declaration()
    declares_not_prc_funded = _declaration()
    agrees_sla_minimums = _declaration()
    agrees_no_inducements = _declaration()
    note = fields.String(load_default="", validate=validate.Length(
        max=1000, error=_l("Use at most 1000 characters.")))


class VettingDecisionSchema(BaseSchema):
    required_messages = {"to_status": _l("Choose a decision."),
                         "reason": _l("Give the reason; the vendor will read it.")}

    to_status = fields.String(required=True, validate=validate.OneOf(
        rules.STATUSES, error=_l("Choose a decision.")))
    reason = fields.String(required=True, validate=validate.Length(
        max=2000, error=_l("Use at most 2000 characters.")))


class CatalogSettingsSchema(BaseSchema):
    required_messages = {"min_paid_in_capital": _l("Enter the minimum paid-in capital."),
                         "reason": _l("Enter the reason, for the audit log.")}

    min_paid_in_capital = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=0, max=10**12, error=_l("Enter an amount in NT$, 0 or more.")))
    reason = fields.String(required=True, validate=validate.Length(
        max=500, error=_l("Use at most 500 characters.")))
