"""Read-only figures about breaches and compensation for the dashboard, scorecards and API.

Grouped counts come from SQL (GROUP BY over indexed columns), not from loading rows, so the
dashboard costs a handful of queries whatever the number of breaches. Solution names come from
the live version; vendor names from the organisation.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from sqlalchemy import case, func
from sqlmodel import Session, select

from tcloud.accounts.models import Organisation
from tcloud.catalog.models import SolutionVersion
from tcloud.sla.compensation import BREACH_TERMS
from tcloud.sla.incident_models import Breach, CompensationStatement, Incident

PER_PAGE = 50
REPEAT_THRESHOLD = 3  # breaches in the last months that make a solution a repeat offender


@dataclass(frozen=True)
class BreachFilters:
    term: str | None = None
    state: str | None = None  # open or closed
    solution_id: int | None = None
    vendor_id: int | None = None


def _filtered(query, filters: BreachFilters):
    if filters.term:
        query = query.where(Breach.term == filters.term)
    if filters.state == "open":
        query = query.where(Breach.closed_at.is_(None))
    elif filters.state == "closed":
        query = query.where(Breach.closed_at.is_not(None))
    if filters.solution_id:
        query = query.where(Breach.solution_id == filters.solution_id)
    if filters.vendor_id:
        query = query.where(Breach.vendor_organisation_id == filters.vendor_id)
    return query


def list_breaches(session: Session, filters: BreachFilters, page: int = 1
                  ) -> tuple[list[Breach], int]:
    total = session.exec(_filtered(select(func.count()).select_from(Breach), filters)).one()
    rows = session.exec(_filtered(select(Breach), filters)
                        .order_by(Breach.opened_at.desc(), Breach.id.desc())
                        .offset((max(page, 1) - 1) * PER_PAGE).limit(PER_PAGE)).all()
    return list(rows), total


def solution_names(session: Session, solution_ids) -> dict[int, str]:
    ids = list(set(solution_ids))
    if not ids:
        return {}
    return dict(session.exec(select(SolutionVersion.solution_id, SolutionVersion.name).where(
        SolutionVersion.solution_id.in_(ids), SolutionVersion.state == "live")).all())


def vendor_names(session: Session, organisation_ids) -> dict[int, str]:
    ids = list(set(organisation_ids))
    if not ids:
        return {}
    return dict(session.exec(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_(ids))).all())


def counts_by_term(session: Session) -> dict[str, tuple[int, int]]:
    """term -> (open, closed)."""
    open_count = func.sum(case((Breach.closed_at.is_(None), 1), else_=0))
    rows = session.exec(select(Breach.term, open_count, func.count())
                        .group_by(Breach.term)).all()
    counts = dict.fromkeys(BREACH_TERMS, (0, 0))
    for term, opened, total in rows:
        counts[term] = (int(opened or 0), int(total) - int(opened or 0))
    return counts


def counts_by(session: Session, column, limit: int = 20) -> list[tuple[int, int, int]]:
    """(id, open, total) per vendor or solution, most breaches first."""
    open_count = func.sum(case((Breach.closed_at.is_(None), 1), else_=0))
    rows = session.exec(select(column, open_count, func.count()).group_by(column)
                        .order_by(func.count().desc()).limit(limit)).all()
    return [(row[0], int(row[1] or 0), int(row[2])) for row in rows]


def monthly_trend(session: Session, months: list[str]) -> dict[str, dict[str, int]]:
    """term -> {YYYY-MM: breaches opened that month}, for the months given (Taipei periods).

    Availability breaches carry their month as the period; incident breaches carry the month
    the incident was opened; RPO breaches a minute stamp whose first 7 characters are the month.
    """
    # Grouped by the label: PostgreSQL sees two substr() calls with bound arguments as two
    # different expressions.
    month = func.substr(Breach.period, 1, 7).label("month")
    rows = session.exec(select(Breach.term, month, func.count())
                        .where(func.substr(Breach.period, 1, 7).in_(months))
                        .group_by(Breach.term, month)).all()
    trend: dict[str, dict[str, int]] = {term: dict.fromkeys(months, 0) for term in BREACH_TERMS}
    for term, month, count in rows:
        trend.setdefault(term, dict.fromkeys(months, 0))[month] = count
    return trend


def compensation_by_month(session: Session, months: list[str]) -> dict[str, int]:
    rows = session.exec(select(CompensationStatement.period,
                               func.sum(CompensationStatement.points))
                        .where(CompensationStatement.period.in_(months))
                        .group_by(CompensationStatement.period)).all()
    credited = dict.fromkeys(months, 0)
    credited.update({period: int(points or 0) for period, points in rows})
    return credited


def repeat_offenders(session: Session, since_period: str,
                     threshold: int = REPEAT_THRESHOLD) -> list[tuple[int, int, int]]:
    """(solution_id, vendor_organisation_id, breaches) with `threshold` or more since then."""
    rows = session.exec(select(Breach.solution_id, Breach.vendor_organisation_id, func.count())
                        .where(func.substr(Breach.period, 1, 7) >= since_period)
                        .group_by(Breach.solution_id, Breach.vendor_organisation_id)
                        .having(func.count() >= threshold)
                        .order_by(func.count().desc())).all()
    return [(int(s), int(v), int(c)) for s, v, c in rows]


def last_months(now: datetime, count: int) -> list[str]:
    """The `count` months up to and including now's month, oldest first, as YYYY-MM."""
    from tcloud.clock import to_taipei

    local = to_taipei(now)
    year, month = local.year, local.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


# --- per solution (scorecards, the public solution page) -------------------------------------

@dataclass(frozen=True)
class IncidentFigures:
    incidents: int
    answered: int
    median_response_minutes: float | None  # counted on each incident's own clock
    breaches: int


def incident_figures(session: Session, solution_id: int, since: datetime) -> IncidentFigures:
    """Incidents opened since `since`; the median is of wall-clock minutes to first response."""
    rows = session.exec(select(Incident.opened_at, Incident.first_response_at).where(
        Incident.solution_id == solution_id, Incident.opened_at >= since)).all()
    minutes = [(answered - opened).total_seconds() / 60 for opened, answered in rows
               if answered is not None]
    breaches = session.exec(select(func.count()).select_from(Breach).where(
        Breach.solution_id == solution_id, Breach.opened_at >= since)).one()
    return IncidentFigures(len(rows), len(minutes), median(minutes) if minutes else None,
                           breaches)


def breaches_by_term_for(session: Session, solution_id: int) -> dict[str, int]:
    rows = session.exec(select(Breach.term, func.count()).where(
        Breach.solution_id == solution_id).group_by(Breach.term)).all()
    found = defaultdict(int, {term: int(count) for term, count in rows})
    return {term: found[term] for term in BREACH_TERMS}
