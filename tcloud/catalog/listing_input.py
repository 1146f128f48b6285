"""What a vendor submits for a listing, and every check it must pass before it is stored.

The checks are plain code over plain data (no database): the schema has already checked types
and ranges; here live the rules that relate fields to each other and to the programme's SLA
minimums. Each failure names its field and says what the programme requires, so a vendor sees
"Availability target: at least 99.0% a month", not "invalid".
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tcloud.catalog import sla_terms
from tcloud.catalog.sla_terms import (
    CompensationTier,
    SlaMinimums,
    SlaTerms,
    SupportWindow,
    parse_clock,
)

PERIOD_MONTHS = {"month": 1, "year": 12}

SLA_MESSAGES = {
    "unknown_day": _l("Support hours: %(day)s is not a day of the week."),
    "window_order": _l("Support hours: on each day the closing time must be after the opening "
                       "time (for midnight, enter 24:00)."),
    "availability_range": _l("Availability target: enter a percentage between 0 and 100, such "
                             "as 99.5."),
    "no_tiers": _l("Outage compensation: add at least one tier."),
    "tiers_order": _l("Outage compensation: list tiers from the highest availability threshold "
                      "down, each threshold once."),
    "credits_order": _l("Outage compensation: a lower availability must earn at least as much "
                        "credit as a higher one."),
    "tier_above_target": _l("Outage compensation: the first tier cannot start above the "
                            "availability target."),
    "percent_range": _l("Outage compensation: credits and the cap are percentages from 1 to "
                        "100."),
    "unknown_channel": _l("Support channels: choose from phone, LINE, e-mail and chat."),
    "positive": _l("Enter a number of minutes greater than 0."),
    "availability_below": _l("Availability target: the programme requires at least "
                             "%(minimum)s%% a month."),
    "support_hours_below": _l("Support hours: the programme requires at least %(hours)s hours "
                              "a week."),
    "channels_below": _l("Support channels: the programme requires at least %(count)s "
                         "channel(s)."),
    "response_above": _l("Incident response: the programme requires a first response within "
                         "%(minutes)s minutes of support time."),
    "rpo_above": _l("RPO: the programme allows at most %(minutes)s minutes of data loss."),
    "credit_below": _l("Outage compensation: the first tier must credit at least %(percent)s%% "
                       "of the month's fee."),
}


@dataclass(frozen=True)
class PlanInput:
    name: str
    billing_period: str
    price_ntd: int
    list_price_ntd: int
    seats: int
    included: str

    def yearly_price(self) -> int:
        return self.price_ntd * 12 // PERIOD_MONTHS[self.billing_period]


@dataclass(frozen=True)
class ListingInput:
    category: str
    name: str
    summary: str
    description_md: str
    industries: tuple[str, ...]
    problems: tuple[str, ...]
    min_employees: int
    max_employees: int
    free_trial_days: int
    health_url: str
    data_export_format: str
    data_export_description: str
    plans: tuple[PlanInput, ...]
    sla: SlaTerms


def listing_input_from(data: dict) -> ListingInput:
    """Build from a schema-loaded payload (see listing_schemas.ListingSchema)."""
    sla = data["sla"]
    terms = SlaTerms(
        availability_percent=float(sla["availability_percent"]),
        support_windows=tuple(SupportWindow(w["day"], w["opens"], w["closes"])
                              for w in sla["support_windows"]),
        covers_national_holidays=bool(sla["covers_national_holidays"]),
        support_channels=tuple(sla["support_channels"]),
        compensation_tiers=tuple(CompensationTier(float(t["below_percent"]),
                                                  int(t["credit_percent"]))
                                 for t in sla["compensation_tiers"]),
        compensation_cap_percent=int(sla["compensation_cap_percent"]),
        response_minutes=int(sla["response_minutes"]),
        rpo_minutes=int(sla["rpo_minutes"]),
    )
    return ListingInput(
        category=data["category"], name=data["name"], summary=data["summary"],
        description_md=data["description_md"], industries=tuple(data["industries"]),
        problems=tuple(data["problems"]), min_employees=data["min_employees"],
        max_employees=data["max_employees"], free_trial_days=data.get("free_trial_days", 0),
        health_url=data["health_url"], data_export_format=data["data_export_format"],
        data_export_description=data["data_export_description"],
        plans=tuple(PlanInput(**plan) for plan in data["plans"]), sla=terms,
    )


def listing_problems(listing: ListingInput, minimums: SlaMinimums) -> dict[str, str]:
    """Every refusal, one message per field (the first found for that field)."""
    found: dict[str, str] = {}

    def add(field: str, message) -> None:
        found.setdefault(field, str(message))

    if listing.max_employees < listing.min_employees:
        add("max_employees", _l("The largest company size must not be below the smallest."))
    for index, plan in enumerate(listing.plans):
        if plan.price_ntd > plan.list_price_ntd:
            add(f"plans-{index}-price_ntd",
                _l("The price on TCloud may not exceed the public list price that anyone else "
                   "pays (NT$%(list_price)s).", list_price=f"{plan.list_price_ntd:,}"))
    names = [plan.name for plan in listing.plans]
    if len(set(names)) != len(names):
        add("plans", _l("Give each plan a different name."))
    for field, key, values in (sla_terms.structure_problems(listing.sla)
                               + sla_terms.shortfalls(listing.sla, minimums)):
        add(f"sla-{field}", SLA_MESSAGES[key] % values if values else SLA_MESSAGES[key])
    return found


def window_from_strings(day: str, opens: str, closes: str) -> SupportWindow:
    """A stored window ({"day", "opens": "09:00", "closes": "24:00"}) as a SupportWindow."""
    return SupportWindow(day, parse_clock(opens), parse_clock(closes, closing=True))
