"""The automatic recommendation of a submitted form, and how its items read.

At submit the matcher ranks every public solution for the form (candidates.py), the bundle
builder picks a few that together cover the top problems within points and budget, and the
short list is stored as items with their reasons, bundle first, then the next best matches.
Stored, not recomputed: what the consultant reviews and the business reads is what was
recommended, even after the catalogue changes. An automatic-only request is sent at once;
otherwise the recommendation waits in the consultants' queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, has_request_context, url_for
from sqlalchemy import func
from sqlmodel import Session, select

from tcloud.accounts.choices import ROLE_CONSULTANT
from tcloud.advisor import explain
from tcloud.advisor.bundle import Bundle, build_bundle
from tcloud.advisor.candidates import (
    cached_candidates,
    profile_from_answers,
    profile_from_json,
    profile_to_json,
)
from tcloud.advisor.matcher import Exclusion, Match, Ranking, Reason, rank
from tcloud.advisor.models import (
    NEW,
    SENT,
    Diagnosis,
    NeedsForm,
    Recommendation,
    RecommendationItem,
)
from tcloud.advisor.weights import WEIGHTS
from tcloud.catalog.matching_rows import entry_plans
from tcloud.catalog.taxonomy import PROBLEMS_BY_CODE
from tcloud.clock import utcnow
from tcloud.notifications import services as notifications
from tcloud.points import purchases

OWNED_SINCE = datetime(2000, 1, 1, tzinfo=UTC)  # any time: every paid order counts
SHORT_LIST = 8  # items stored besides the bundle: enough to choose from, few enough to read


def rank_form(session: Session, answers: dict, *, organisation_id: int,
              stage: int) -> tuple[int, Ranking, Bundle]:
    profile = profile_from_answers(answers, stage=stage,
                                   points=purchases.spendable_points(session, organisation_id))
    revision, candidates = cached_candidates(session)
    # What the business already bought is not recommended again (and its subsidy is spent).
    owned = purchases.solutions_bought_since(session, organisation_id, OWNED_SINCE)
    if owned:
        candidates = tuple(c for c in candidates if c.solution_id not in owned)
    ranking = rank(profile, candidates)
    return revision, ranking, build_bundle(ranking)


def create(session: Session, form: NeedsForm, diagnosis: Diagnosis) -> Recommendation:
    revision, ranking, bundle = rank_form(session, form.answers,
                                          organisation_id=form.organisation_id,
                                          stage=diagnosis.stage)
    automatic = form.answers.get("review") == "automatic"
    now = utcnow()
    recommendation = Recommendation(
        form_id=form.id, organisation_id=form.organisation_id, state=SENT if automatic else NEW,
        automatic=automatic, profile=profile_to_json(ranking.profile),
        catalog_revision=revision, sent_at=now if automatic else None)
    session.add(recommendation)
    session.flush()
    chosen = [item.match for item in bundle.items]
    bundled = {match.solution_id for match in chosen}
    chosen += [m for m in ranking.matches if m.solution_id not in bundled][:SHORT_LIST]
    plans = entry_plans(session, [m.solution_id for m in chosen])
    for position, match in enumerate(chosen, start=1):
        session.add(item_from_match(recommendation.id, match, position=position,
                                    source="matcher", plan_id=plans.get(match.solution_id),
                                    in_bundle=match.solution_id in bundled))
    session.flush()
    if not automatic:
        notifications.notify_role(session, ROLE_CONSULTANT, kind="advisor.form_queued",
                                  values={"number": recommendation.id,
                                          "employees": form.answers["employees"]},
                                  link=f"/advisor/queue/{recommendation.id}")
    return recommendation


def item_from_match(recommendation_id: int, result: Match | Exclusion, *, position: int,
                    source: str, plan_id: int | None, in_bundle: bool = False
                    ) -> RecommendationItem:
    """An item with the matcher's verdict: all reasons of a match, the blocking ones of an
    exclusion (score None), so a consultant's addition shows why the matcher left it out."""
    cand = result.candidate
    score = result.score if isinstance(result, Match) else None
    covers = list(result.covers) if isinstance(result, Match) else [
        code for code in cand.problems if code in PROBLEMS_BY_CODE]
    return RecommendationItem(
        recommendation_id=recommendation_id, solution_id=cand.solution_id, plan_id=plan_id,
        position=position, source=source, in_bundle=in_bundle, name=cand.name,
        yearly_price=cand.yearly_price, score=score, covers=covers,
        reasons=[[r.factor, r.key, r.values, r.fit, r.points] for r in result.reasons])


def of_form(session: Session, form_id: int) -> Recommendation | None:
    return session.exec(select(Recommendation).where(Recommendation.form_id == form_id)).first()


def items_of(session: Session, recommendation_id: int) -> list[RecommendationItem]:
    return list(session.exec(select(RecommendationItem).where(
        RecommendationItem.recommendation_id == recommendation_id)
        .order_by(RecommendationItem.position, RecommendationItem.id)).all())


def item_count(session: Session, recommendation_id: int) -> int:
    return session.exec(select(func.count(RecommendationItem.id)).where(
        RecommendationItem.recommendation_id == recommendation_id)).one()


def profile_of(recommendation: Recommendation):
    return profile_from_json(recommendation.profile)


# --- How an item reads --------------------------------------------------------------------

@dataclass(frozen=True)
class ReasonLine:
    factor: str
    label: str
    text: str
    points: float
    weight: float
    tone: str


def reason_lines(item: RecommendationItem) -> list[ReasonLine]:
    lines = []
    for factor, key, values, fit, points in item.reasons:
        reason = Reason(factor, key, values, fit, points)
        lines.append(ReasonLine(factor, str(explain.FACTOR_LABELS[factor]),
                                explain.reason_text(reason), points,
                                WEIGHTS.factor_weight(factor), reason.tone))
    return lines


def quote_url(item: RecommendationItem) -> str:
    """The item's quote (its entry plan); the solution page if buying is not available."""
    if item.plan_id and "orders.new_quote" in current_app.view_functions:
        return url_for("orders.new_quote", solution_id=item.solution_id, plan=item.plan_id)
    return url_for("browse.solution", solution_id=item.solution_id)


def item_json(item: RecommendationItem) -> dict:
    return {"id": item.id, "solution_id": item.solution_id, "name": item.name,
            "position": item.position, "source": item.source, "in_bundle": item.in_bundle,
            "yearly_price": item.yearly_price, "score": item.score, "covers": item.covers,
            "note": item.note, "reasons": [line.__dict__ for line in reason_lines(item)],
            "quote_url": quote_url(item) if has_request_context() else ""}


def uncovered_problems(recommendation: Recommendation,
                       items: list[RecommendationItem]) -> list[str]:
    """The business's problems none of the items solves, top priority first."""
    profile = recommendation.profile
    covered = {code for item in items for code in item.covers}
    ordered = [profile["top_problem"]] + [c for c in profile["problems"]
                                          if c != profile["top_problem"]]
    return [code for code in ordered if code not in covered]


def recommendation_json(session: Session, recommendation: Recommendation, *,
                        with_items: bool = True) -> dict:
    items = items_of(session, recommendation.id) if with_items else []
    return {"id": recommendation.id, "form_id": recommendation.form_id,
            "state": recommendation.state, "automatic": recommendation.automatic,
            "consultant_id": recommendation.consultant_id,
            "overall_note": recommendation.overall_note, "sent_at": recommendation.sent_at,
            "items": [item_json(item) for item in items],
            "uncovered": [str(PROBLEMS_BY_CODE[c].label)
                          for c in uncovered_problems(recommendation, items)]}
