"""Marshmallow schemas of the catalogue API: what it accepts beyond a listing, and what it returns.

Listings themselves are loaded with listing_schemas.ListingSchema, as on the vendor pages. The
output schemas here exist so the OpenAPI document describes each answer field by field; they
never carry an e-mail address, and a tax ID (統一編號, public in Taiwan's company register) only
of a vendor. Labels come out in the request's language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from tcloud.catalog.listing_schemas import ListingSchema
from tcloud.validation import BaseSchema

# --- requests --------------------------------------------------------------------------------


class ListingRequestSchema(ListingSchema):
    """A listing, plus whether to send it for review now (otherwise it stays a draft)."""

    submit = fields.Boolean(load_default=False, metadata={
        "description": "Send for review now; an edit with no material change goes live at once."})


class WithdrawalRequestSchema(BaseSchema):
    required_messages = {"reason": _l("Say why the listing is being withdrawn.")}

    reason = fields.String(required=True, validate=validate.Length(
        max=500, error=_l("Use at most 500 characters.")))


# --- taxonomy --------------------------------------------------------------------------------


class CategoryOutSchema(Schema):
    code = fields.String()
    label = fields.String()
    solution_count = fields.Integer(metadata={"description": "Public solutions in it."})


class CategoryListSchema(Schema):
    items = fields.List(fields.Nested(CategoryOutSchema))


class TaxonomyProblemSchema(Schema):
    """A problem a business wants solved (shared with the advisor)."""

    code = fields.String()
    category = fields.String()
    label = fields.String()


class TaxonomyProblemListSchema(Schema):
    items = fields.List(fields.Nested(TaxonomyProblemSchema))


class CodeLabelSchema(Schema):
    code = fields.String()
    label = fields.String()


# --- public solutions ------------------------------------------------------------------------


class VendorRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class RatingSchema(Schema):
    average = fields.Float(allow_none=True, metadata={"description": "1–5; null if unrated."})
    count = fields.Integer()


class SolutionItemSchema(Schema):
    """One row of the catalogue list."""

    id = fields.Integer()
    name = fields.String()
    summary = fields.String()
    category = fields.String()
    vendor = fields.Nested(VendorRefSchema)
    yearly_price_from = fields.Integer(metadata={"description": "Cheapest plan, NT$ a year."})
    availability_percent = fields.Float()
    weekend_support = fields.Boolean()
    free_trial_days = fields.Integer()
    rating = fields.Nested(RatingSchema)
    renewal_rate_percent = fields.Integer(allow_none=True)


class SolutionPageSchema(Schema):
    items = fields.List(fields.Nested(SolutionItemSchema))
    total = fields.Integer()
    page = fields.Integer()
    pages = fields.Integer()
    page_size = fields.Integer()
    close_matches = fields.Boolean(metadata={
        "description": "No listing had every term: these share character pairs with it."})
    category_counts = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Listings per category with the other filters kept."})


class PlanOutSchema(Schema):
    name = fields.String()
    billing_period = fields.String(metadata={"enum": ["month", "year"]})
    price_ntd = fields.Integer()
    list_price_ntd = fields.Integer(metadata={"description": "What anyone else pays."})
    seats = fields.Integer()
    included = fields.String()


class SupportWindowOutSchema(Schema):
    day = fields.String(metadata={"enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]})
    opens = fields.String(metadata={"description": "HH:MM, Asia/Taipei"})
    closes = fields.String(metadata={"description": "HH:MM, Asia/Taipei"})


class SupportHoursSchema(Schema):
    windows = fields.List(fields.Nested(SupportWindowOutSchema))
    covers_national_holidays = fields.Boolean()
    weekly_minutes = fields.Integer()
    weekend_support = fields.Boolean()
    channels = fields.List(fields.String())


class CompensationTierOutSchema(Schema):
    below_percent = fields.Float(metadata={"description": "Monthly availability below this…"})
    credit_percent = fields.Integer(metadata={"description": "…credits this share of the fee."})


class CompensationSchema(Schema):
    tiers = fields.List(fields.Nested(CompensationTierOutSchema))
    cap_percent = fields.Integer()


class SlaOutSchema(Schema):
    """The five SLA terms."""

    availability_percent = fields.Float(metadata={"description": "Per calendar month."})
    support_hours = fields.Nested(SupportHoursSchema)
    compensation = fields.Nested(CompensationSchema)
    response_minutes = fields.Integer(metadata={"description": "Counted within support hours."})
    rpo_minutes = fields.Integer()


class CompanySizeSchema(Schema):
    min_employees = fields.Integer()
    max_employees = fields.Integer()


class DataExportSchema(Schema):
    format = fields.String()
    description = fields.String()


class VendorBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    tax_id = fields.String(metadata={"description": "統一編號 (public company register)."})
    years_in_business = fields.Integer()
    paying_customers = fields.Integer()


class SolutionDetailSchema(Schema):
    """A public solution as its live version describes it."""

    id = fields.Integer()
    version = fields.Integer()
    published_at = fields.DateTime(allow_none=True)
    name = fields.String()
    summary = fields.String()
    description_md = fields.String(metadata={"description": "Markdown source."})
    category = fields.String()
    category_label = fields.String()
    industries = fields.List(fields.Nested(CodeLabelSchema))
    problems = fields.List(fields.Nested(TaxonomyProblemSchema))
    company_size = fields.Nested(CompanySizeSchema)
    free_trial_days = fields.Integer()
    yearly_price_from = fields.Integer()
    plans = fields.List(fields.Nested(PlanOutSchema))
    sla = fields.Nested(SlaOutSchema)
    data_export = fields.Nested(DataExportSchema)
    vendor = fields.Nested(VendorBriefSchema)
    rating = fields.Nested(RatingSchema)
    renewal_rate_percent = fields.Integer(allow_none=True)


class VendorProfileSchema(VendorBriefSchema):
    solutions = fields.List(fields.Nested(SolutionItemSchema))


# --- a vendor's own listings -----------------------------------------------------------------


class ListingStateSchema(Schema):
    solution_id = fields.Integer()
    version_id = fields.Integer()
    version_number = fields.Integer()
    state = fields.String(metadata={"enum": ["draft", "pending", "live", "superseded",
                                             "rejected"]})


class VendorSolutionSchema(Schema):
    """One of the vendor's solutions, with the state of its newest version."""

    id = fields.Integer()
    name = fields.String()
    category = fields.String()
    version_number = fields.Integer()
    state = fields.String(metadata={"enum": ["draft", "pending", "live", "superseded",
                                             "rejected"]})
    withdrawn = fields.Boolean()
    updated_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    decided_by_name = fields.String(allow_none=True)
    decision_reason = fields.String(allow_none=True)


class VendorSolutionListSchema(Schema):
    items = fields.List(fields.Nested(VendorSolutionSchema))


class WithdrawalOutSchema(Schema):
    solution_id = fields.Integer()
    withdrawn_at = fields.DateTime()
