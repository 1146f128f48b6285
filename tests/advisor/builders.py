"""Plain builders for matcher tests: a needs profile and a candidate with sensible defaults.

The defaults describe a good, ordinary fit (a 5-person noodle shop; a POS for food and retail
shops of 1–30 people, NT$12,000 a year, support every day 09:00–21:00 including holidays), so
each test changes only the one thing it is about.
"""

from datetime import time

from tcloud.advisor.needs import Candidate, NeedsProfile
from tcloud.catalog.sla_terms import SupportWindow

ALL_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = ALL_WEEK[:5]


def windows(days=ALL_WEEK, opens=time(9), closes=time(21)):
    return tuple(SupportWindow(day, opens, closes) for day in days)


def make_profile(**overrides) -> NeedsProfile:
    values = {"employees": 5, "industry": "food_beverage", "problems": ("pos",),
              "top_problem": "pos", "budget_ntd": 0, "stage": 2}
    values.update(overrides)
    return NeedsProfile(**values)


def make_candidate(solution_id=1, **overrides) -> Candidate:
    values = {"solution_id": solution_id, "name": f"Solution {solution_id}",
              "category": "online_store", "problems": ("pos",),
              "industries": ("food_beverage", "retail"), "min_employees": 1,
              "max_employees": 30, "yearly_price": 12_000, "support_windows": windows(),
              "covers_national_holidays": True, "availability_percent": 99.5,
              "sla_score": None, "rating_average": None, "rating_count": 0,
              "renewal_rate_percent": None}
    values.update(overrides)
    return Candidate(**values)
