"""Renewal rates: the programme's measure of success, shown per solution, vendor and category.

Orders live in the points domain, which depends on the catalogue, not the other way round; so
the points domain counts (renewed, ended-or-renewed) per solution and hands the counts here.
This module stores each solution's rate on Solution.renewal_rate_percent (None until one of
its orders has ended) and groups the same counts by vendor and by category for reporting.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlmodel import Session

from tcloud.accounts.models import Organisation
from tcloud.catalog.models import Solution, SolutionVersion
from tcloud.catalog.revision import bump_revision
from tcloud.catalog.taxonomy import CATEGORIES

# solution id -> (orders renewed, orders whose term ended or that were renewed)
Counts = dict[int, tuple[int, int]]


@dataclass(frozen=True)
class RateRow:
    key: str | int  # solution id, vendor organisation id or category code
    label: str
    renewed: int
    eligible: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.renewed / self.eligible) if self.eligible else None


def percent(renewed: int, eligible: int) -> int | None:
    return round(100 * renewed / eligible) if eligible else None


def store_rates(session: Session, counts: Counts) -> int:
    """Write each solution's rate (solutions without counts get None); how many changed."""
    current = dict(session.execute(select(Solution.id, Solution.renewal_rate_percent)).all())
    changed = 0
    for solution_id, old in current.items():
        new = percent(*counts.get(solution_id, (0, 0)))
        if new != old:
            session.execute(update(Solution).where(Solution.id == solution_id)
                            .values(renewal_rate_percent=new))
            changed += 1
    if changed:
        bump_revision(session)
    return changed


def _latest_versions(session: Session, solution_ids: set[int]) -> dict[int, SolutionVersion]:
    rows = session.execute(select(SolutionVersion).where(
        SolutionVersion.solution_id.in_(solution_ids),
        SolutionVersion.state.in_(("live", "superseded"))).order_by(SolutionVersion.number))
    return {version.solution_id: version for version in rows.scalars()}


def report(session: Session, counts: Counts) -> dict[str, list[RateRow]]:
    """Rates by solution, vendor and category (overall first in each list, then by name)."""
    if not counts:
        return {"solution": [], "vendor": [], "category": []}
    versions = _latest_versions(session, set(counts))
    vendors = dict(session.execute(select(Solution.id, Solution.vendor_organisation_id)
                                   .where(Solution.id.in_(list(counts)))).all())
    names = dict(session.execute(select(Organisation.id, Organisation.name)
                                 .where(Organisation.id.in_(set(vendors.values())))).all())
    by_vendor: dict[int, list[int]] = {}
    by_category: dict[str, list[int]] = {}
    solutions = []
    for solution_id, (renewed, eligible) in counts.items():
        version = versions.get(solution_id)
        label = version.name if version else f"#{solution_id}"
        solutions.append(RateRow(solution_id, label, renewed, eligible))
        totals = by_vendor.setdefault(vendors.get(solution_id), [0, 0])
        totals[0] += renewed
        totals[1] += eligible
        if version:
            totals = by_category.setdefault(version.category, [0, 0])
            totals[0] += renewed
            totals[1] += eligible
    return {
        "solution": sorted(solutions, key=lambda row: row.label),
        "vendor": sorted((RateRow(vid, names.get(vid, ""), r, e)
                          for vid, (r, e) in by_vendor.items()), key=lambda row: row.label),
        "category": sorted((RateRow(code, str(CATEGORIES.get(code, code)), r, e)
                            for code, (r, e) in by_category.items()), key=lambda row: row.label),
    }
