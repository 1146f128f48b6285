"""What the matcher compares: a business's needs and a catalogue solution, as plain data.

The advisor's services build these from the needs form and the catalogue's live versions
(`codes_from_bars`, `windows_from_json` read the catalogue's storage forms), so the matcher
itself never sees a database row. `support_coverage` says how far a vendor's support hours
meet a stated need (evenings, weekends, national holidays).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tcloud.accounts.choices import INDUSTRIES
from tcloud.advisor.weights import WEIGHTS, MatcherWeights
from tcloud.catalog.sla_terms import SupportWindow, minute_of_day, parse_clock
from tcloud.catalog.taxonomy import PROBLEMS_BY_CODE

DEFAULT_POINTS = 30_000
SUPPORT_NEEDS = ("evenings", "weekends", "holidays")


@dataclass(frozen=True)
class NeedsProfile:
    """What the needs form says, reduced to what the matcher uses."""

    employees: int
    industry: str
    problems: tuple[str, ...]
    top_problem: str
    budget_ntd: int = 0  # what the business will pay beyond its points, per year
    points_available: int = DEFAULT_POINTS
    needs_evenings: bool = False
    needs_weekends: bool = False
    needs_holidays: bool = False
    stage: int = 1  # readiness stage, 1–4

    def __post_init__(self) -> None:
        # The form validates what people type; these guard the matcher against a caller's bug.
        if self.employees < 1 or self.budget_ntd < 0 or self.points_available < 0:
            raise ValueError("employees must be >= 1 and money must not be negative")
        if self.industry not in INDUSTRIES:
            raise ValueError(f"unknown industry {self.industry!r}")
        if not self.problems or any(code not in PROBLEMS_BY_CODE for code in self.problems):
            raise ValueError(f"problems must be known codes, got {self.problems!r}")
        if self.top_problem not in self.problems:
            raise ValueError("the top problem must be one of the problems")
        if self.stage not in (1, 2, 3, 4):
            raise ValueError("stage must be 1–4")

    @property
    def affordable(self) -> int:
        return self.points_available + self.budget_ntd

    def support_needs(self) -> tuple[str, ...]:
        wanted = (self.needs_evenings, self.needs_weekends, self.needs_holidays)
        return tuple(need for need, on in zip(SUPPORT_NEEDS, wanted, strict=True) if on)

    def problem_weight(self, code: str, weights: MatcherWeights = WEIGHTS) -> float:
        return weights.top_problem_multiplier if code == self.top_problem else 1.0


@dataclass(frozen=True)
class Candidate:
    """One approved solution's live version, with its measured figures."""

    solution_id: int
    name: str
    category: str
    problems: tuple[str, ...]
    industries: tuple[str, ...]
    min_employees: int
    max_employees: int
    yearly_price: int  # the cheapest yearly price (SolutionVersion.yearly_price_from)
    support_windows: tuple[SupportWindow, ...]
    covers_national_holidays: bool
    availability_percent: float
    sla_score: float | None = None  # 0–100 from the SLA checks; None before any measurement
    rating_average: float | None = None
    rating_count: int = 0
    renewal_rate_percent: float | None = None


def support_coverage(cand: Candidate, need: str, w: MatcherWeights = WEIGHTS) -> float:
    """How much of a support need the windows cover, 0–1.

    evenings: share of Mon–Fri whose support spans `w.evening_span` (adjacent windows joined);
    weekends: share of Saturday and Sunday with any support; holidays: the holiday flag.
    """
    if need == "holidays":
        return 1.0 if cand.covers_national_holidays else 0.0
    if need == "weekends":
        return sum(1 for day in ("sat", "sun")
                   if any(win.day == day for win in cand.support_windows)) / 2
    if need == "evenings":
        start, end = (minute_of_day(t) for t in w.evening_span)
        days = ("mon", "tue", "wed", "thu", "fri")
        return sum(1 for day in days
                   if any(lo <= start and hi >= end
                          for lo, hi in _merged_day(cand.support_windows, day))) / len(days)
    raise ValueError(f"unknown support need {need!r}")


def _merged_day(windows: Iterable[SupportWindow], day: str) -> list[tuple[int, int]]:
    spans = sorted((w.opens_minute, w.closes_minute) for w in windows if w.day == day)
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def codes_from_bars(text: str) -> tuple[str, ...]:
    """"|retail|food_beverage|" (the catalogue's storage form) → ("retail", "food_beverage")."""
    return tuple(code for code in text.split("|") if code)


def windows_from_json(rows: Iterable[dict]) -> tuple[SupportWindow, ...]:
    """SolutionVersion.support_windows ([{day, opens: "HH:MM", closes}], a closing time may be
    "24:00") → SupportWindow."""
    return tuple(SupportWindow(row["day"], parse_clock(row["opens"]),
                               parse_clock(row["closes"], closing=True)) for row in rows)
