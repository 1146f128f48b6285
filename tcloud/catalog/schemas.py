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


def _setting(minimum: int, maximum: int, message) -> fields.Integer:
    return fields.Integer(required=True, strict=False,
                          validate=validate.Range(min=minimum, max=maximum, error=message))


class CatalogSettingsSchema(BaseSchema):
    """The capital floor and the programme's SLA minimums (see sla_terms.SlaMinimums)."""

    required_messages = {
        "min_paid_in_capital": _l("Enter the minimum paid-in capital."),
        "min_availability_percent": _l("Enter the minimum availability target."),
        "min_weekly_support_hours": _l("Enter the minimum support hours a week."),
        "max_response_minutes": _l("Enter the longest incident response time allowed."),
        "max_rpo_minutes": _l("Enter the longest RPO allowed."),
        "min_first_tier_credit_percent": _l("Enter the smallest first compensation tier."),
        "min_support_channels": _l("Enter how many support channels a solution must offer."),
        "reason": _l("Enter the reason, for the audit log."),
    }

    min_paid_in_capital = fields.Integer(required=True, strict=False, validate=validate.Range(
        min=0, max=10**12, error=_l("Enter an amount in NT$, 0 or more.")))
    # Below 90% a month (three days down) no minimum protects a buyer; 100% no one can promise.
    min_availability_percent = fields.Float(required=True, validate=validate.Range(
        min=90, max=99.99, error=_l("Enter a percentage from 90 to 99.99, such as 99.0.")))
    min_weekly_support_hours = _setting(0, 168, _l("Enter hours from 0 to 168 (a whole week)."))
    max_response_minutes = _setting(1, 10_080, _l("Enter minutes from 1 to 10,080 (a week)."))
    max_rpo_minutes = _setting(1, 525_600, _l("Enter minutes from 1 to 525,600 (a year)."))
    min_first_tier_credit_percent = _setting(0, 100, _l("Enter a percentage from 0 to 100."))
    min_support_channels = _setting(1, 4, _l("Enter a number from 1 to 4 (phone, LINE, e-mail "
                                             "and chat are offered)."))
    reason = fields.String(required=True, validate=validate.Length(
        max=500, error=_l("Use at most 500 characters.")))
