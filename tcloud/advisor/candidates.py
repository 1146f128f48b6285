"""The matcher's inputs from the database: catalogue candidates (cached) and the needs profile.

Candidates are every public solution, read in one query of plain columns and kept per process
under the catalogue revision (bumped by every change visitors can see, including ratings and
renewal rates) and the Taipei day (measured SLA figures move daily), so repeated
recommendations do not re-read the catalogue. Measured SLA quality comes from
`tcloud.sla.measured.solution_figures` when the SLA domain provides it; until a solution has
been measured its score is None and the matcher uses its neutral prior.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from flask import current_app, has_app_context
from sqlmodel import Session

from tcloud.advisor.needs import (
    DEFAULT_POINTS,
    Candidate,
    NeedsProfile,
    codes_from_bars,
    windows_from_json,
)
from tcloud.catalog.matching_rows import matching_rows
from tcloud.catalog.revision import current_revision
from tcloud.clock import to_taipei, utcnow

_EXTENSION = "tcloud.advisor.candidates"
_lock = threading.Lock()


def candidate_from_row(row, sla_score: float | None = None) -> Candidate:
    (solution_id, name, category, problems, industries, min_employees, max_employees, price,
     windows, holidays, availability, rating_count, rating_total, renewal) = row
    return Candidate(
        solution_id=solution_id, name=name, category=category,
        problems=codes_from_bars(problems), industries=codes_from_bars(industries),
        min_employees=min_employees, max_employees=max_employees, yearly_price=price,
        support_windows=windows_from_json(windows), covers_national_holidays=holidays,
        availability_percent=availability, sla_score=sla_score,
        rating_average=rating_total / rating_count if rating_count else None,
        rating_count=rating_count, renewal_rate_percent=renewal)


def sla_score(committed: float, measured: float | None) -> float | None:
    """Share of the promised downtime allowance kept, 0–100: 99.5% promised and 99.0% measured
    used twice the allowance, so 50. Meeting or beating the promise is 100."""
    if measured is None:
        return None
    allowed, actual = 100 - committed, 100 - measured
    if actual <= allowed:
        return 100.0
    return round(100 * allowed / actual, 2)


def measured_sla_scores(session: Session, rows: list) -> dict[int, float | None]:
    try:
        from tcloud.sla.measured import solution_figures
    except ImportError:  # the SLA domain is not installed: nothing is measured
        return {}
    figures = solution_figures(session, [row[0] for row in rows])
    scores = {}
    for row in rows:
        found = figures.get(row[0])
        measured = None if found is None or found.lacking_evidence_30d else found.availability_90d
        scores[row[0]] = sla_score(row[10], measured)
    return scores


def load_candidates(session: Session, solution_ids: list[int] | None = None) -> list[Candidate]:
    """Every public solution as a Candidate (or only the ids given), uncached."""
    rows = matching_rows(session, solution_ids)
    scores = measured_sla_scores(session, rows)
    return [candidate_from_row(row, scores.get(row[0])) for row in rows]


def cached_candidates(session: Session) -> tuple[int, tuple[Candidate, ...]]:
    """(catalogue revision, candidates), re-read only when the revision or the day changes.

    A new revision re-reads the rows (one query, ~1 ms) but keeps the day's SLA scores, which
    cost most (90 days of roll-ups per solution): only solutions new that day are measured.
    """
    revision = current_revision(session)
    today = to_taipei(utcnow()).date()
    # Tests roll every transaction back, so one revision number can stand for two different
    # catalogues there: they read afresh unless a test turns the cache on.
    use_cache = has_app_context() and current_app.config.get(
        "TCLOUD_ADVISOR_CACHE", not current_app.config.get("TESTING"))
    store = current_app.extensions.setdefault(_EXTENSION, {}) if use_cache else {}
    cached = store.get("entry")
    if cached is not None and cached[0] == (revision, today):
        return revision, cached[1]
    rows = matching_rows(session)
    day, scores = store.get("sla", (None, {}))
    if day != today:
        scores = {}
    missing = [row for row in rows if row[0] not in scores]
    if missing:
        scores = {**scores, **measured_sla_scores(session, missing)}
    candidates = tuple(candidate_from_row(row, scores.get(row[0])) for row in rows)
    with _lock:
        store["sla"] = (today, scores)
        store["entry"] = ((revision, today), candidates)
    return revision, candidates


def clear_cache() -> None:
    current_app.extensions.pop(_EXTENSION, None)


def profile_from_answers(answers: Mapping, *, stage: int, points: int | None) -> NeedsProfile:
    """The matcher's view of a validated form; no wallet yet counts the standard grant."""
    needs = set(answers.get("support_needs", ()))
    return NeedsProfile(
        employees=answers["employees"], industry=answers["industry"],
        problems=tuple(answers["problems"]), top_problem=answers["top_problem"],
        budget_ntd=answers.get("budget_ntd", 0) or 0,
        points_available=DEFAULT_POINTS if points is None else points,
        needs_evenings="evenings" in needs, needs_weekends="weekends" in needs,
        needs_holidays="holidays" in needs, stage=stage)


def profile_to_json(profile: NeedsProfile) -> dict:
    return {"employees": profile.employees, "industry": profile.industry,
            "problems": list(profile.problems), "top_problem": profile.top_problem,
            "budget_ntd": profile.budget_ntd, "points_available": profile.points_available,
            "needs_evenings": profile.needs_evenings, "needs_weekends": profile.needs_weekends,
            "needs_holidays": profile.needs_holidays, "stage": profile.stage}


def profile_from_json(data: Mapping) -> NeedsProfile:
    return NeedsProfile(**{**data, "problems": tuple(data["problems"])})
