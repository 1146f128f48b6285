"""The vendor's listing page form, flat, turned into the nested ListingSchema payload and back.

A page form is flat: "plans-0-price_ntd", "sla-hours-mon-opens". The schema and the services
name errors by the nested path ("plans-0-price_ntd", "sla-support_windows-2-closes"), so the
page names its fields by the same paths wherever it can. Support hours are the exception: the
page shows a fixed Monday-to-Sunday table, the payload a list of the days that have hours, so
`FormPayload.day_of_window` maps an error on the n-th window back to that day's inputs.
The page has as many plan and tier rows as the API accepts (MAX_PLANS, MAX_TIERS), but opens
only the rows in use and one empty row; the rest wait behind "more" (`rows_in_use`). Trailing
blank rows are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from werkzeug.datastructures import MultiDict

from tcloud import validation
from tcloud.catalog.listing_input import listing_input_from, listing_problems
from tcloud.catalog.listing_schemas import MAX_PLANS, MAX_TIERS, ListingSchema, SlaSchema
from tcloud.catalog.listings import codes_of
from tcloud.catalog.models import SolutionPlan, SolutionVersion
from tcloud.catalog.sla_terms import WEEKDAYS, SlaMinimums, minute_of_day, parse_clock
from tcloud.errors import ValidationFailed
from tcloud.validation import BaseSchema

PLAN_PARTS = ("name", "billing_period", "price_ntd", "list_price_ntd", "seats", "included")
TIER_PARTS = ("below_percent", "credit_percent")
TOP_LEVEL = ("category", "name", "summary", "description_md", "min_employees", "max_employees",
             "free_trial_days", "health_url", "data_export_format", "data_export_description")
SLA_SCALARS = ("availability_percent", "compensation_cap_percent", "response_minutes",
               "rpo_minutes")
MULTI_VALUED = ("industries", "problems", "sla-support_channels")
# The page's order of fields, so the error summary lists problems in the order they appear.
PAGE_ORDER = ("category", "name", "summary", "description_md", "industries", "problems",
              "min_employees", "max_employees", "plans", "sla-availability_percent",
              "sla-hours", "sla-support_windows", "sla-covers_national_holidays",
              "sla-support_channels", "sla-compensation_tiers", "sla-compensation_cap_percent",
              "sla-response_minutes", "sla-rpo_minutes", "free_trial_days", "health_url",
              "data_export_format", "data_export_description")


def _page_rank(name: str) -> int:
    for rank, prefix in enumerate(PAGE_ORDER):
        if name == prefix or name.startswith(prefix + "-"):
            return rank
    return -1  # form-wide messages first


@dataclass
class FormPayload:
    payload: dict
    day_of_window: list[str] = field(default_factory=list)  # window index -> weekday code

    def page_errors(self, errors: dict[str, str]) -> dict[str, str]:
        """Errors renamed to the page's field names (window n → that day's inputs)."""
        renamed = {}
        prefix = "sla-support_windows-"
        for name, message in errors.items():
            if name.startswith(prefix):
                index, _sep, part = name[len(prefix):].partition("-")
                if index.isdigit() and int(index) < len(self.day_of_window):
                    day = self.day_of_window[int(index)]
                    name = f"sla-hours-{day}-{part if part in ('opens', 'closes') else 'opens'}"
            renamed.setdefault(name, message)
        return dict(sorted(renamed.items(), key=lambda item: _page_rank(item[0])))


def rows_in_use(values: dict, prefix: str, count: int, parts: tuple[str, ...],
                ignored_for_blank: tuple[str, ...] = ()) -> int:
    """How many of `count` rows hold something: up to the last one with anything typed."""
    used = 0
    for index in range(count):
        if any(str(values.get(f"{prefix}-{index}-{part}") or "").strip()
               for part in parts if part not in ignored_for_blank):
            used = index + 1
    return used


def rows_to_open(values: dict) -> dict[str, int]:
    """Plan and tier rows to show open: those in use and one empty row to add another."""
    plans = rows_in_use(values, "plans", MAX_PLANS, PLAN_PARTS, ("billing_period",))
    tiers = rows_in_use(values, "sla-compensation_tiers", MAX_TIERS, TIER_PARTS)
    return {"plans": min(MAX_PLANS, plans + 1), "tiers": min(MAX_TIERS, tiers + 1)}


def _rows(form: MultiDict, prefix: str, count: int, parts: tuple[str, ...],
          ignored_for_blank: tuple[str, ...] = ()) -> list[dict]:
    """Rows up to the last one with anything typed; a blank row in between is kept (and
    reported), so that row numbers on the page and in the errors stay the same."""
    used = rows_in_use(form, prefix, count, parts, ignored_for_blank)
    return [{part: form.get(f"{prefix}-{i}-{part}", "") for part in parts} for i in range(used)]


def payload_from_form(form: MultiDict) -> FormPayload:
    """The ListingSchema payload of a posted listing form (strings; the schema converts)."""
    payload = {name: form.get(name, "") for name in TOP_LEVEL}
    payload["industries"] = form.getlist("industries")
    payload["problems"] = form.getlist("problems")
    # A billing period chosen on an otherwise empty row does not make it a plan.
    payload["plans"] = _rows(form, "plans", MAX_PLANS, PLAN_PARTS,
                             ignored_for_blank=("billing_period",))
    windows, days = [], []
    for day in WEEKDAYS:
        opens = form.get(f"sla-hours-{day}-opens", "").strip()
        closes = form.get(f"sla-hours-{day}-closes", "").strip()
        if opens or closes:  # both blank: no support that day
            windows.append({"day": day, "opens": opens, "closes": closes})
            days.append(day)
    sla = {name: form.get(f"sla-{name}", "") for name in SLA_SCALARS}
    sla.update(
        support_windows=windows,
        covers_national_holidays=form.get("sla-covers_national_holidays") == "on",
        support_channels=form.getlist("sla-support_channels"),
        compensation_tiers=_rows(form, "sla-compensation_tiers", MAX_TIERS, TIER_PARTS),
    )
    payload["sla"] = sla
    return FormPayload(payload, days)


def _without_blanks(value):
    """The payload with blank answers left out (plan and tier rows keep their places)."""
    if isinstance(value, dict):
        kept = {key: _without_blanks(item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in ("", [], None)}
    if isinstance(value, list):
        return [_without_blanks(item) for item in value]
    return value.strip() if isinstance(value, str) else value


def draft_from_payload(payload: dict) -> dict:
    """What to keep of an unfinished listing saved as a draft: the payload as typed, blanks
    left out. Every answer given is checked as strictly as on submission (a price must be a
    number, text within its length, a time a time), but nothing is required except a name to
    find the draft by. Raises ValidationFailed naming the malformed fields."""
    draft = _without_blanks(payload)
    validation.load(ListingSchema(), draft, partial=True)
    if not draft.get("name"):
        raise ValidationFailed({"name": str(_l("Give the draft a name, so that you can find "
                                               "it again."))})
    return draft


def values_from_draft(draft: dict) -> dict:
    """The form's values for an unfinished draft kept as entered (see draft_from_payload)."""
    values: dict = {name: draft[name] for name in TOP_LEVEL if name in draft}
    values["industries"] = list(draft.get("industries", []))
    values["problems"] = list(draft.get("problems", []))
    for index, plan in enumerate(draft.get("plans", [])):
        values.update({f"plans-{index}-{part}": value for part, value in plan.items()})
    sla = draft.get("sla", {})
    values.update({f"sla-{name}": sla[name] for name in SLA_SCALARS if name in sla})
    for window in sla.get("support_windows", []):
        for part in ("opens", "closes"):
            values[f"sla-hours-{window['day']}-{part}"] = window.get(part, "")
    values["sla-covers_national_holidays"] = bool(sla.get("covers_national_holidays"))
    values["sla-support_channels"] = list(sla.get("support_channels", []))
    for index, tier in enumerate(sla.get("compensation_tiers", [])):
        values.update({f"sla-compensation_tiers-{index}-{part}": value
                       for part, value in tier.items()})
    return values


# Stands in for the rest of a listing when only its SLA terms can be checked (sla_problems).
_REST_OF_A_LISTING = {
    "category": "marketing", "name": "", "summary": "", "description_md": "", "industries": [],
    "problems": [], "min_employees": 1, "max_employees": 1, "free_trial_days": 0,
    "health_url": "", "data_export_format": "csv", "data_export_description": "", "plans": [],
}


def sla_problems(payload: dict, minimums: SlaMinimums) -> dict[str, str]:
    """The service's refusals of the SLA terms (order, programme minimums) while other fields
    still fail the schema. The service checks only a complete listing; without this a vendor
    would fix every other field first and only then learn that 98% is below the minimum."""
    try:
        sla = validation.load(SlaSchema(), payload["sla"])
    except ValidationFailed:
        return {}
    problems = listing_problems(listing_input_from({**_REST_OF_A_LISTING, "sla": sla}),
                                minimums)
    return {name: message for name, message in problems.items() if name.startswith("sla-")}


def submitted_values(form: MultiDict) -> dict:
    """What was typed, to fill the form again: lists for the checkbox groups."""
    values = {key: value for key, value in form.items() if key != "csrf_token"}
    for name in MULTI_VALUED:
        values[name] = form.getlist(name)
    return values


def _hhmm(value: str | time) -> str:
    return value.strftime("%H:%M") if isinstance(value, time) else str(value)


def values_from_version(version: SolutionVersion, plans: list[SolutionPlan]) -> dict:
    """The form's values for editing a stored version."""
    values: dict = {name: getattr(version, name) for name in TOP_LEVEL}
    values["industries"] = codes_of(version.industry_codes)
    values["problems"] = codes_of(version.problem_codes)
    for plan in plans:
        for part in PLAN_PARTS:
            values[f"plans-{plan.position}-{part}"] = getattr(plan, part)
    for name in SLA_SCALARS:
        values[f"sla-{name}"] = getattr(version, name)
    values["sla-availability_percent"] = f"{version.availability_percent:g}"
    for window in version.support_windows:
        values[f"sla-hours-{window['day']}-opens"] = _hhmm(window["opens"])
        values[f"sla-hours-{window['day']}-closes"] = _hhmm(window["closes"])
    values["sla-covers_national_holidays"] = version.covers_national_holidays
    values["sla-support_channels"] = list(version.support_channels)
    for index, tier in enumerate(version.compensation_tiers):
        values[f"sla-compensation_tiers-{index}-below_percent"] = f"{tier['below_percent']:g}"
        values[f"sla-compensation_tiers-{index}-credit_percent"] = tier["credit_percent"]
    return values


def days_out_of_order(values: dict) -> set[str]:
    """Days whose closing time is not after the opening time, to mark them in the table when
    the service refuses the support hours as a whole."""
    found = set()
    for day in WEEKDAYS:
        try:
            opens = parse_clock(str(values.get(f"sla-hours-{day}-opens", "")))
            closes = parse_clock(str(values.get(f"sla-hours-{day}-closes", "")), closing=True)
        except ValueError:
            continue
        if minute_of_day(closes, closing=True) <= minute_of_day(opens):
            found.add(day)
    return found


class WithdrawSchema(BaseSchema):
    required_messages = {"reason": _l("Say why you are withdrawing this solution.")}

    reason = fields.String(required=True, validate=validate.Length(
        max=1000, error=_l("Use at most 1000 characters.")))


class ListingDecisionSchema(BaseSchema):
    required_messages = {"decision": _l("Choose approve or reject."),
                         "reason": _l("Give the reason; the vendor will read it.")}

    decision = fields.String(required=True, validate=validate.OneOf(
        ("approve", "reject"), error=_l("Choose approve or reject.")))
    reason = fields.String(required=True, validate=validate.Length(
        max=2000, error=_l("Use at most 2000 characters.")))
