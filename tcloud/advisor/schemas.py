"""Marshmallow schemas of the advisor: the needs form (page and API), consultant edits, output.

The page and the API submit the same fields. Readiness answers are a mapping question code →
option code; their errors are reported under "readiness-<code>", the id of the question's
first radio button, so the page's error summary links to it.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, validate, validates_schema

from tcloud.accounts.choices import CITIES, INDUSTRIES
from tcloud.advisor import readiness as readiness_questions
from tcloud.advisor.needs import SUPPORT_NEEDS
from tcloud.catalog.taxonomy import PROBLEMS_BY_CODE
from tcloud.validation import BaseSchema

SALES_CHANNELS = {
    "shop": _l("In a shop or in person"),
    "online": _l("Online"),
    "both": _l("Both in a shop and online"),
}
REVIEW_CHOICES = {
    "consultant": _l("A consultant checks the automatic list and adds advice (within two "
                     "working days)"),
    "automatic": _l("Only the automatic recommendation, at once, with no consultant"),
}
MAX_EMPLOYEES = 100_000
MAX_BUDGET = 10_000_000
_CHOOSE = _l("Choose from the list.")


def _text(limit: int, *, required: bool = False) -> fields.String:
    length = validate.Length(max=limit, error=_l("Use at most %(max)s characters.", max=limit))
    if required:
        return fields.String(required=True, validate=length)
    return fields.String(load_default="", validate=length)


def _codes(choices, message) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(list(choices), error=_CHOOSE)),
                       load_default=list, validate=validate.Length(max=len(choices),
                                                                   error=message))


class NeedsSchema(BaseSchema):
    """A complete needs form (what submit accepts)."""

    required_messages = {
        "employees": _l("Enter how many people work in your business."),
        "industry": _l("Choose your industry."),
        "city": _l("Choose the city or county where you work."),
        "sells": _l("Say in a few words what you sell."),
        "sales_channel": _l("Choose how you sell."),
        "problems": _l("Choose at least one problem you want solved."),
        "top_problem": _l("Choose which problem matters most."),
        "review": _l("Choose whether a consultant should check the recommendation."),
    }

    employees = fields.Integer(required=True, strict=False, error_messages={
        "invalid": _l("Enter a whole number of people, at least 1.")}, validate=validate.Range(
        min=1, max=MAX_EMPLOYEES, error=_l("Enter a whole number of people, at least 1.")))
    industry = fields.String(required=True, validate=validate.OneOf(list(INDUSTRIES),
                                                                    error=_CHOOSE))
    city = fields.String(required=True, validate=validate.OneOf(list(CITIES), error=_CHOOSE))
    sells = _text(200, required=True)
    sales_channel = fields.String(required=True, validate=validate.OneOf(list(SALES_CHANNELS),
                                                                         error=_CHOOSE))
    current_tools = _text(500)
    problems = fields.List(
        fields.String(validate=validate.OneOf(list(PROBLEMS_BY_CODE), error=_CHOOSE)),
        required=True, validate=validate.Length(
            min=1, max=8, error=_l("Choose between one and eight problems.")))
    top_problem = fields.String(required=True, validate=validate.OneOf(list(PROBLEMS_BY_CODE),
                                                                       error=_CHOOSE))
    goals = _text(1000)
    budget_ntd = fields.Integer(load_default=0, strict=False, error_messages={
        "invalid": _l("Enter an amount in NT$ from 0 to 10,000,000, or leave it empty.")},
        validate=validate.Range(
        min=0, max=MAX_BUDGET,
        error=_l("Enter an amount in NT$ from 0 to 10,000,000, or leave it empty.")))
    support_needs = _codes(SUPPORT_NEEDS, _CHOOSE)
    readiness = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    obstacles = _codes([o.code for o in readiness_questions.OBSTACLES], _CHOOSE)
    review = fields.String(required=True, validate=validate.OneOf(list(REVIEW_CHOICES),
                                                                  error=_CHOOSE))

    # Run even when fields failed, so the page lists unanswered questions in the same round.
    @validates_schema(skip_on_field_errors=False)
    def _check_together(self, data: dict[str, Any], **_kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        problems, top = data.get("problems"), data.get("top_problem")
        if problems and top and top not in problems:
            errors["top_problem"] = [_l("Your top priority must be one of the problems you "
                                        "ticked.")]
        answers = data.get("readiness")
        for code, message in readiness_questions.answer_errors(
                answers if isinstance(answers, dict) else {}).items():
            errors[f"readiness-{code}"] = [message]
        if errors:
            raise ValidationError(errors)


FORM_FIELDS = tuple(NeedsSchema().fields)
LIST_FIELDS = ("problems", "support_needs", "obstacles")


class DraftSchema(BaseSchema):
    """What a draft may hold: anything typed so far, checked only for size, not for sense."""

    answers = fields.Dict(keys=fields.String(validate=validate.OneOf(FORM_FIELDS)),
                          required=True)


class FormOutSchema(BaseSchema):
    id = fields.Integer()
    state = fields.String()
    answers = fields.Dict()
    submitted_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()


class StageOutSchema(BaseSchema):
    number = fields.Integer()
    code = fields.String()
    label = fields.String()
    path_reached = fields.String(allow_none=True)
    next_step = fields.String(allow_none=True)
    first_steps = fields.List(fields.String())


class PeersOutSchema(BaseSchema):
    industry = fields.String()
    peer_count = fields.Integer()
    mean = fields.Float(allow_none=True)
    percentile = fields.Float(allow_none=True)


class DiagnosisOutSchema(BaseSchema):
    form_id = fields.Integer()
    readiness_index = fields.Float()
    dimension_scores = fields.Dict(keys=fields.String(), values=fields.Float())
    stage = fields.Nested(StageOutSchema)
    peers = fields.Nested(PeersOutSchema)
    obstacles = fields.List(fields.Dict())


class ReasonOutSchema(BaseSchema):
    factor = fields.String()
    label = fields.String()
    text = fields.String()
    points = fields.Float()
    weight = fields.Float()
    tone = fields.String()


class ItemOutSchema(BaseSchema):
    id = fields.Integer()
    solution_id = fields.Integer()
    name = fields.String()
    position = fields.Integer()
    source = fields.String()
    in_bundle = fields.Boolean()
    yearly_price = fields.Integer()
    score = fields.Float(allow_none=True)
    covers = fields.List(fields.String())
    reasons = fields.List(fields.Nested(ReasonOutSchema))
    note = fields.String()
    quote_url = fields.String()


class RecommendationOutSchema(BaseSchema):
    id = fields.Integer()
    form_id = fields.Integer()
    state = fields.String()
    automatic = fields.Boolean()
    consultant_id = fields.Integer(allow_none=True)
    overall_note = fields.String()
    sent_at = fields.DateTime(allow_none=True)
    items = fields.List(fields.Nested(ItemOutSchema))
    uncovered = fields.List(fields.String())


class QueueRowOutSchema(BaseSchema):
    id = fields.Integer()
    form_id = fields.Integer()
    state = fields.String()
    consultant_id = fields.Integer(allow_none=True)
    industry = fields.String()
    employees = fields.Integer()
    top_problem = fields.String()
    submitted_at = fields.DateTime(allow_none=True)


class ItemEditSchema(BaseSchema):
    solution_id = fields.Integer(required=True, strict=False)
    note = _text(2000)


class ItemsEditSchema(BaseSchema):
    """The consultant's list in the order wanted: items left out are removed, new ones added."""

    items = fields.List(fields.Nested(ItemEditSchema), required=True,
                        validate=validate.Length(max=20, error=_l("Recommend at most 20 "
                                                                  "solutions.")))
    overall_note = _text(4000)


class AssignSchema(BaseSchema):
    required_messages = {"consultant_id": _l("Choose a consultant."),
                         "reason": _l("Give a reason for the change.")}
    consultant_id = fields.Integer(required=True, strict=False)
    reason = _text(2000, required=True)


class ConversionRowOutSchema(BaseSchema):
    consultant_id = fields.Integer(allow_none=True)
    consultant = fields.String()
    sent = fields.Integer()
    decided = fields.Integer()
    converted = fields.Integer()
    rate_percent = fields.Float(allow_none=True)
