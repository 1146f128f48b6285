"""Marshmallow schemas of a listing: what a vendor sends (page or API) and what the API returns.

Nested: plans, and the five SLA terms with their support windows and compensation tiers. The
vendor pages name their fields by the same paths ("plans-0-price_ntd", "sla-rpo_minutes"), so
one schema serves both and errors land next to the right field.
"""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate

from tcloud.accounts.choices import INDUSTRIES
from tcloud.catalog.sla_terms import CHANNELS, END_OF_DAY, WEEKDAYS, parse_clock
from tcloud.catalog.taxonomy import CATEGORIES, PROBLEMS_BY_CODE
from tcloud.validation import BaseSchema

EXPORT_FORMATS = ("csv", "xlsx", "json", "xml", "sql", "other")
MAX_PLANS = 5  # a listing form and an API payload both accept this many plans
MAX_TIERS = 5  # ... and this many compensation tiers


def _text(maximum: int, *, required: bool = True, **kwargs) -> fields.String:
    return fields.String(required=required, validate=validate.Length(
        max=maximum, error=_l("Use at most %(max)s characters.", max=maximum)), **kwargs)


def _whole(minimum: int, maximum: int, message, **kwargs) -> fields.Integer:
    return fields.Integer(strict=False, validate=validate.Range(
        min=minimum, max=maximum, error=message), **kwargs)


def _one_of(choices, message) -> fields.String:
    return fields.String(required=True, validate=validate.OneOf(list(choices), error=message))


class PlanSchema(BaseSchema):
    required_messages = {
        "name": _l("Enter the plan's name."),
        "billing_period": _l("Choose monthly or yearly billing."),
        "price_ntd": _l("Enter the plan's price in NT$."),
        "list_price_ntd": _l("Enter the public list price in NT$ (what anyone else pays)."),
        "seats": _l("Enter how many users the plan includes."),
    }

    name = _text(60)
    billing_period = _one_of(("month", "year"), _l("Choose monthly or yearly billing."))
    price_ntd = _whole(0, 10_000_000, _l("Enter a price in NT$ from 0 to 10,000,000."),
                       required=True)
    list_price_ntd = _whole(0, 10_000_000, _l("Enter a price in NT$ from 0 to 10,000,000."),
                            required=True)
    seats = _whole(1, 100_000, _l("Enter a number of users from 1 to 100,000."), required=True)
    included = _text(500, required=False, load_default="")


_CLOCK = re.compile(r"^\d{2}:\d{2}(:00)?$")  # 09:00, or 09:00:00 from an API client


class ClockTime(fields.String):
    """A time of day, 'HH:MM' on the 24-hour clock. A closing time may be '24:00', midnight at
    the end of the day (so 00:00–24:00 is round the clock); it loads as 00:00, which
    sla_terms.SupportWindow reads as the end of the day. A closing time written 00:00 is
    refused with a pointer to 24:00, so that midnight has one spelling."""

    def __init__(self, *, closing: bool = False, **kwargs) -> None:
        description = ("HH:MM, 24-hour clock; 24:00 closes at midnight" if closing
                       else "HH:MM, 24-hour clock")
        super().__init__(metadata={"description": description}, **kwargs)
        self.closing = closing

    def _deserialize(self, value, attr, data, **kwargs):
        text = value.strip() if isinstance(value, str) else ""
        if self.closing and text in ("00:00", "00:00:00"):
            raise ValidationError(str(_l("For midnight at the end of the day, enter 24:00.")))
        if not self.closing and text.startswith(END_OF_DAY):
            raise ValidationError(str(_l("A day starts at 00:00; 24:00 can only be a closing "
                                         "time.")))
        try:
            if not _CLOCK.match(text):
                raise ValueError(text)
            return parse_clock(text, closing=self.closing)
        except ValueError:
            raise ValidationError(str(
                _l("Enter a time from 00:01 to 24:00, such as 18:00.") if self.closing
                else _l("Enter a time from 00:00 to 23:59, such as 09:00."))) from None


class SupportWindowSchema(BaseSchema):
    required_messages = {"opens": _l("Enter the opening time, such as 09:00."),
                         "closes": _l("Enter the closing time, such as 18:00.")}

    day = _one_of(WEEKDAYS, _l("Choose a day of the week."))
    opens = ClockTime(required=True)
    closes = ClockTime(required=True, closing=True)


class CompensationTierSchema(BaseSchema):
    required_messages = {
        "below_percent": _l("Enter the availability below which this tier applies."),
        "credit_percent": _l("Enter the share of the month's fee credited."),
    }

    below_percent = fields.Float(required=True, validate=validate.Range(
        min=0, max=100, min_inclusive=False, max_inclusive=False,
        error=_l("Enter a percentage between 0 and 100, such as 99.5.")))
    credit_percent = _whole(1, 100, _l("Enter a percentage from 1 to 100."), required=True)


class SlaSchema(BaseSchema):
    required_messages = {
        "availability_percent": _l("Enter the availability target, such as 99.5."),
        "support_windows": _l("Enter the support hours for at least one day."),
        "support_channels": _l("Choose at least one support channel."),
        "compensation_tiers": _l("Add at least one outage compensation tier."),
        "compensation_cap_percent": _l("Enter the cap on compensation per month."),
        "response_minutes": _l("Enter the incident response time in minutes."),
        "rpo_minutes": _l("Enter the RPO in minutes."),
    }

    availability_percent = fields.Float(required=True, validate=validate.Range(
        min=0, max=100, min_inclusive=False, max_inclusive=False,
        error=_l("Enter a percentage between 0 and 100, such as 99.5.")))
    support_windows = fields.List(fields.Nested(SupportWindowSchema), required=True,
                                  validate=validate.Length(min=1, max=14, error=_l(
                                      "Enter the support hours for at least one day.")))
    covers_national_holidays = fields.Boolean(load_default=False)
    support_channels = fields.List(
        fields.String(validate=validate.OneOf(CHANNELS, error=_l("Choose a listed channel."))),
        required=True, validate=validate.Length(
            min=1, error=_l("Choose at least one support channel.")))
    compensation_tiers = fields.List(fields.Nested(CompensationTierSchema), required=True,
                                     validate=validate.Length(min=1, max=MAX_TIERS, error=_l(
                                         "Add one to five compensation tiers.")))
    compensation_cap_percent = _whole(1, 100, _l("Enter a percentage from 1 to 100."),
                                      required=True)
    response_minutes = _whole(1, 10_080, _l("Enter minutes from 1 to 10,080 (a week)."),
                              required=True)
    rpo_minutes = _whole(1, 525_600, _l("Enter minutes from 1 to 525,600 (a year)."),
                         required=True)


class ListingSchema(BaseSchema):
    required_messages = {
        "category": _l("Choose the category."),
        "name": _l("Enter the solution's name."),
        "summary": _l("Enter a one-line summary."),
        "description_md": _l("Describe the solution."),
        "industries": _l("Choose at least one industry it suits."),
        "problems": _l("Choose at least one problem it solves."),
        "min_employees": _l("Enter the smallest company size it suits."),
        "max_employees": _l("Enter the largest company size it suits."),
        "health_url": _l("Enter the address the platform can probe for the SLA checks."),
        "data_export_format": _l("Choose the format in which buyers can export their data."),
        "data_export_description": _l("Describe how a buyer exports its data on leaving."),
        "plans": _l("Add at least one plan."),
        "sla": _l("Enter the five SLA terms."),
    }

    category = _one_of(CATEGORIES, _l("Choose one of the six categories."))
    name = _text(80)
    summary = _text(200)
    description_md = _text(20_000)
    industries = fields.List(
        fields.String(validate=validate.OneOf(list(INDUSTRIES),
                                              error=_l("Choose a listed industry."))),
        required=True, validate=validate.Length(min=1, error=_l(
            "Choose at least one industry it suits.")))
    problems = fields.List(
        fields.String(validate=validate.OneOf(list(PROBLEMS_BY_CODE),
                                              error=_l("Choose a listed problem."))),
        required=True, validate=validate.Length(min=1, max=8, error=_l(
            "Choose one to eight problems it solves.")))
    min_employees = _whole(1, 100_000, _l("Enter a number of employees from 1 to 100,000."),
                           required=True)
    max_employees = _whole(1, 100_000, _l("Enter a number of employees from 1 to 100,000."),
                           required=True)
    free_trial_days = _whole(0, 365, _l("Enter a number of days from 0 to 365."),
                             load_default=0)
    health_url = fields.String(required=True, validate=[
        validate.Length(max=300, error=_l("Use at most 300 characters.")),
        validate.URL(schemes={"https"}, require_tld=True, error=_l(
            "Enter an https:// address, such as https://status.example.com/health."))])
    data_export_format = _one_of(EXPORT_FORMATS, _l("Choose a listed format."))
    data_export_description = _text(500)
    plans = fields.List(fields.Nested(PlanSchema), required=True, validate=validate.Length(
        min=1, max=MAX_PLANS, error=_l("Add one to five plans.")))
    sla = fields.Nested(SlaSchema, required=True)


class SolutionListQuerySchema(BaseSchema):
    """Filters of the catalogue list, from a query string (page or API)."""

    q = _text(100, required=False, load_default="")
    category = fields.String(load_default=None, validate=validate.OneOf(list(CATEGORIES)))
    industry = fields.String(load_default=None, validate=validate.OneOf(list(INDUSTRIES)))
    employees = _whole(1, 100_000, _l("Enter a number of employees."), load_default=None)
    price_max = _whole(0, 10_000_000, _l("Enter a price in NT$."), load_default=None)
    price_min = _whole(0, 10_000_000, _l("Enter a price in NT$."), load_default=None)
    weekend = fields.Boolean(load_default=False)
    free_trial = fields.Boolean(load_default=False)
    availability_min = fields.Float(load_default=None, validate=validate.Range(min=0, max=100))
    rating_min = _whole(1, 5, _l("Choose 1 to 5 stars."), load_default=None)
    sort = fields.String(load_default="", validate=validate.OneOf(
        ["", "relevance", "rating", "price_asc", "price_desc", "renewal", "newest"]))
    page = _whole(1, 10_000, _l("Enter a page number."), load_default=1)
