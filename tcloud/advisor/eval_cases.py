"""The evaluation set: 44 needs forms across industries and sizes, and how a careful
consultant judges each catalogue solution for them.

Relevance is decided by explicit rules written here, never by the matcher (that would grade
the matcher by itself). The rules are what the platform's consultants say they check, in
order; a solution failing any of the first four is not acceptable (grade 0):

1. it solves at least one of the problems on the form;
2. the business's head count is within the solution's stated range;
3. its cheapest plan costs no more a year than the points plus the stated budget;
4. its support hours fully cover every support need on the form: weekends = support on
   Saturday and on Sunday; evenings = every weekday has one support window from 18:00 or
   earlier to 21:00 or later; holidays = it covers national holidays.

Then: grade 1 (acceptable) for what passes 1–4; grade 2 (good) when it also solves the top
priority; grade 3 (what they would pick first) when it also lists the business's industry and
has no reputation problem (no ratings yet, or a mean of at least 3.5 stars).

Run with bench/advisor.py over the demo catalogue (800 solutions): it ranks each case with
the matcher and prints precision@5 and nDCG@10 (evaluation.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from tcloud.advisor.needs import Candidate, NeedsProfile
from tcloud.catalog.sla_terms import minute_of_day

EVENING_FROM, EVENING_TO = time(18), time(21)
MIN_STARS = 3.5


@dataclass(frozen=True)
class EvalCase:
    name: str
    profile: NeedsProfile


def _case(name, industry, employees, problems, *, budget=0, needs="", stage=2,
          points=30_000) -> EvalCase:
    needs = needs.split()
    problem_list = tuple(problems.split())
    return EvalCase(name, NeedsProfile(
        employees=employees, industry=industry, problems=problem_list,
        top_problem=problem_list[0], budget_ntd=budget, points_available=points,
        needs_evenings="evenings" in needs, needs_weekends="weekends" in needs,
        needs_holidays="holidays" in needs, stage=stage))


# name, industry, staff, problems (top priority first), options
CASES = (
    _case("noodle shop, 4", "food_beverage", 4, "pos e_invoice", needs="weekends", stage=1),
    _case("bubble tea stand, 2", "food_beverage", 2, "online_ordering pos", stage=1),
    _case("café, 8", "food_beverage", 8, "loyalty social_media", needs="weekends"),
    _case("restaurant, 25", "food_beverage", 25, "rostering payroll pos", budget=20_000,
          stage=3),
    _case("bakery, 6", "food_beverage", 6, "online_ordering web_shop", needs="holidays"),
    _case("night market stall, 1", "food_beverage", 1, "pos", needs="evenings weekends",
          stage=1),
    _case("grocery, 5", "retail", 5, "inventory pos e_invoice"),
    _case("clothing shop, 3", "retail", 3, "web_shop social_media", stage=1),
    _case("bookshop, 7", "retail", 7, "loyalty sales_reports", budget=10_000, stage=3),
    _case("electronics retailer, 40", "retail", 40, "customer_chat crm", budget=30_000,
          stage=4),
    _case("pharmacy chain shop, 12", "retail", 12, "inventory accounting", needs="weekends"),
    _case("trading company, 9", "wholesale", 9, "e_invoice accounting inventory"),
    _case("tea importer, 4", "wholesale", 4, "crm e_signature", stage=3),
    _case("hardware wholesaler, 30", "wholesale", 30, "sales_reports inventory",
          budget=40_000, stage=4),
    _case("hair salon, 3", "beauty_hair", 3, "booking loyalty", needs="weekends", stage=1),
    _case("nail studio, 2", "beauty_hair", 2, "booking social_media", needs="evenings"),
    _case("beauty spa, 10", "beauty_hair", 10, "pos crm customer_insight", budget=15_000,
          stage=3),
    _case("barber, 1", "beauty_hair", 1, "booking", needs="weekends holidays", stage=1),
    _case("machine shop, 18", "manufacturing", 18, "inventory payroll", stage=2),
    _case("food factory, 60", "manufacturing", 60, "rostering payroll", budget=30_000,
          stage=3),
    _case("garment workshop, 8", "manufacturing", 8, "e_invoice accounting", stage=1),
    _case("moving company, 6", "logistics", 6, "fleet", budget=20_000),
    _case("courier, 15", "logistics", 15, "fleet sales_reports", budget=40_000, stage=3),
    _case("gas delivery, 6", "logistics", 6, "fleet e_invoice", needs="weekends",
          budget=15_000),
    _case("homestay, 2", "accommodation_tourism", 2, "booking social_media",
          needs="weekends holidays", stage=1),
    _case("small hotel, 14", "accommodation_tourism", 14, "customer_chat rostering",
          needs="evenings", budget=10_000),
    _case("tour guide firm, 5", "accommodation_tourism", 5, "social_media customer_insight"),
    _case("cram school, 9", "education", 9, "booking online_meetings", needs="evenings"),
    _case("music teacher, 1", "education", 1, "booking", stage=1),
    _case("language school, 20", "education", 20, "customer_chat shared_documents",
          budget=12_000, stage=3),
    _case("physiotherapy clinic, 7", "health_care", 7, "booking crm", needs="weekends"),
    _case("care home, 35", "health_care", 35, "rostering payroll", budget=20_000, stage=3),
    _case("dental clinic, 12", "health_care", 12, "online_meetings e_signature", stage=2),
    _case("accounting firm, 6", "professional_services", 6, "accounting e_signature",
          stage=3),
    _case("law office, 4", "professional_services", 4, "shared_documents online_meetings"),
    _case("design consultancy, 11", "professional_services", 11, "crm customer_chat",
          budget=25_000, stage=4),
    _case("fruit farm, 3", "agriculture", 3, "web_shop", stage=1),
    _case("farmers' cooperative, 12", "agriculture", 12, "inventory fleet", budget=20_000),
    _case("tea plantation, 6", "agriculture", 6, "web_shop online_ordering", needs="weekends"),
    _case("renovation contractor, 8", "construction", 8, "e_signature shared_documents"),
    _case("plumbing service, 3", "construction", 3, "fleet", budget=25_000, stage=1),
    _case("builder, 45", "construction", 45, "payroll rostering", budget=10_000, stage=3),
    _case("photo studio, 4", "creative_media", 4, "social_media booking", stage=2),
    _case("video agency, 16", "creative_media", 16, "shared_documents online_meetings",
          budget=20_000, stage=4),
)


def _covers_evenings(cand: Candidate) -> bool:
    days = ("mon", "tue", "wed", "thu", "fri")
    start, end = minute_of_day(EVENING_FROM), minute_of_day(EVENING_TO)
    return all(any(w.day == day and w.opens_minute <= start and w.closes_minute >= end
                   for w in cand.support_windows) for day in days)


def _support_ok(profile: NeedsProfile, cand: Candidate) -> bool:
    days = {w.day for w in cand.support_windows}
    if profile.needs_weekends and not {"sat", "sun"} <= days:
        return False
    if profile.needs_evenings and not _covers_evenings(cand):
        return False
    return not (profile.needs_holidays and not cand.covers_national_holidays)


def judge(profile: NeedsProfile, cand: Candidate) -> int:
    """The consultant's grade 0–3 by the rules in the module docstring."""
    if not set(profile.problems) & set(cand.problems):
        return 0
    if not cand.min_employees <= profile.employees <= cand.max_employees:
        return 0
    if cand.yearly_price > profile.affordable or not _support_ok(profile, cand):
        return 0
    if profile.top_problem not in cand.problems:
        return 1
    reputable = not cand.rating_count or (cand.rating_average or 0) >= MIN_STARS
    return 3 if profile.industry in cand.industries and reputable else 2


def relevance(profile: NeedsProfile, candidates) -> dict[int, int]:
    """solution id → grade, for every solution graded above 0."""
    grades = {}
    for cand in candidates:
        grade = judge(profile, cand)
        if grade:
            grades[cand.solution_id] = grade
    return grades


def demo_plan_candidates(vendors: int = 200, solutions: int = 800) -> list[Candidate]:
    """The demo catalogue's solutions as candidates without a database (ids by plan order).

    Same figures the seeded catalogue derives (cheapest plan per year, visible reviews'
    mean), so the evaluation can run in tests; bench/advisor.py uses the seeded database.
    """
    from tcloud.advisor.needs import windows_from_json
    from tcloud.catalog.demo_plan import plan_catalogue

    months = {"month": 1, "year": 12}
    found = []
    for number, spec in enumerate(plan_catalogue(vendors, solutions).solutions(), start=1):
        payload, sla = spec.payload, spec.payload["sla"]
        stars = [r.stars for r in spec.reviews if not r.hidden]
        found.append(Candidate(
            solution_id=number, name=payload["name"], category=payload["category"],
            problems=tuple(payload["problems"]), industries=tuple(payload["industries"]),
            min_employees=payload["min_employees"], max_employees=payload["max_employees"],
            yearly_price=min(p["price_ntd"] * 12 // months[p["billing_period"]]
                             for p in payload["plans"]),
            support_windows=windows_from_json(sla["support_windows"]),
            covers_national_holidays=sla["covers_national_holidays"],
            availability_percent=sla["availability_percent"],
            rating_average=sum(stars) / len(stars) if stars else None,
            rating_count=len(stars), renewal_rate_percent=spec.renewal_rate_percent))
    return found
