"""What the advisor's matcher reads of the catalogue: every public solution as plain columns.

One SELECT of plain columns over `browse.public_listings()` (never ORM objects per row: 800
rows as objects cost ~13 ms, as tuples ~1 ms), and the entry plan of a few solutions for the
"get a quote" links. Read-only; the catalogue's rules for what is public stay in browse.py.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tcloud.catalog.browse import public_listings
from tcloud.catalog.models import Solution, SolutionPlan, SolutionVersion

MATCHING_COLUMNS = (
    Solution.id, SolutionVersion.name, SolutionVersion.category, SolutionVersion.problem_codes,
    SolutionVersion.industry_codes, SolutionVersion.min_employees, SolutionVersion.max_employees,
    SolutionVersion.yearly_price_from, SolutionVersion.support_windows,
    SolutionVersion.covers_national_holidays, SolutionVersion.availability_percent,
    Solution.rating_count, Solution.rating_total, Solution.renewal_rate_percent,
)


def matching_rows(session: Session, solution_ids: list[int] | None = None) -> list:
    """(id, name, category, problem_codes, industry_codes, min/max employees, yearly price,
    support windows, holidays, availability, rating count and total, renewal %) per solution."""
    query = public_listings().with_only_columns(*MATCHING_COLUMNS).order_by(Solution.id)
    if solution_ids is not None:
        query = query.where(Solution.id.in_(solution_ids))
    return list(session.execute(query).all())


def entry_plans(session: Session, solution_ids: list[int]) -> dict[int, int]:
    """solution id → id of its live version's cheapest plan (first by position on a tie)."""
    if not solution_ids:
        return {}
    rows = session.execute(
        select(SolutionVersion.solution_id, SolutionPlan.id, SolutionPlan.billing_period,
               SolutionPlan.price_ntd, SolutionPlan.position)
        .join(SolutionPlan, SolutionPlan.version_id == SolutionVersion.id)
        .where(SolutionVersion.solution_id.in_(solution_ids), SolutionVersion.state == "live")
    ).all()
    best: dict[int, tuple] = {}
    for solution_id, plan_id, period, price, position in rows:
        key = (price * 12 if period == "month" else price, position)
        if solution_id not in best or key < best[solution_id][0]:
            best[solution_id] = (key, plan_id)
    return {solution_id: plan for solution_id, (_key, plan) in best.items()}
