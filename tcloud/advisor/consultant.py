"""The consultants' queue: claim a submitted form, review its list, send it to the business.

States: new → claimed → in review (the first change) → sent. A consultant sees the queue's
new forms (without the business's name) and everything claimed by or assigned to them, and
nothing of another consultant's; administrators see all and reassign, with a reason, which is
audited like every send. Whatever a consultant may not see is "not found", not "forbidden", so
ids cannot be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from tcloud.accounts.choices import ROLE_ADMIN, ROLE_CONSULTANT
from tcloud.accounts.models import User
from tcloud.advisor.candidates import load_candidates
from tcloud.advisor.matcher import assess
from tcloud.advisor.models import (
    CLAIMED,
    IN_REVIEW,
    NEW,
    SENT,
    NeedsForm,
    Recommendation,
    RecommendationItem,
)
from tcloud.advisor.recommendations import item_from_match, items_of, profile_of
from tcloud.audit import services as audit
from tcloud.catalog.matching_rows import entry_plans
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, DomainError, NotFound
from tcloud.notifications import services as notifications

MAX_ITEMS = 20
NOT_FOUND = _l("That recommendation does not exist or is not yours to review.")


@dataclass(frozen=True)
class QueueRow:
    recommendation: Recommendation
    form: NeedsForm

    @property
    def answers(self) -> dict:
        return self.form.answers


def queue(session: Session, user: User, *, state: str | None = None) -> list[QueueRow]:
    """New forms and the consultant's own (all for an administrator), oldest first."""
    query = (select(Recommendation, NeedsForm)
             .join(NeedsForm, NeedsForm.id == Recommendation.form_id)
             .where(Recommendation.automatic.is_(False)))
    if user.role != ROLE_ADMIN:
        query = query.where((Recommendation.state == NEW)
                            | (Recommendation.consultant_id == user.id))
    if state:
        query = query.where(Recommendation.state == state)
    rows = session.exec(query.order_by(Recommendation.id)).all()
    return [QueueRow(recommendation, form) for recommendation, form in rows]


def _visible(recommendation: Recommendation | None, user: User) -> bool:
    if recommendation is None or recommendation.automatic:
        return False
    return user.role == ROLE_ADMIN or recommendation.consultant_id == user.id


def get_for_review(session: Session, recommendation_id: int, user: User) -> Recommendation:
    recommendation = session.get(Recommendation, recommendation_id)
    if not _visible(recommendation, user):
        raise NotFound(NOT_FOUND)
    return recommendation


def claim(session: Session, recommendation_id: int, user: User) -> Recommendation:
    recommendation = lock_row(session, Recommendation, recommendation_id)
    if recommendation is None or recommendation.automatic or (
            recommendation.state != NEW and recommendation.consultant_id != user.id):
        raise NotFound(NOT_FOUND)
    if recommendation.state != NEW:
        raise Conflict(_l("You have already claimed this form."))
    recommendation.consultant_id, recommendation.state = user.id, CLAIMED
    recommendation.claimed_at = recommendation.updated_at = utcnow()
    session.add(recommendation)
    session.flush()
    return recommendation


def assign(session: Session, recommendation_id: int, *, admin: User, consultant_id: int,
           reason: str) -> Recommendation:
    recommendation = lock_row(session, Recommendation, recommendation_id)
    if recommendation is None or recommendation.automatic:
        raise NotFound(NOT_FOUND)
    if recommendation.state == SENT:
        raise Conflict(_l("This recommendation has been sent; it can no longer be reassigned."))
    consultant = session.get(User, consultant_id)
    if consultant is None or consultant.role != ROLE_CONSULTANT or not consultant.active:
        raise DomainError(_l("Choose an active consultant."), field="consultant_id")
    before = {"consultant_id": recommendation.consultant_id, "state": recommendation.state}
    recommendation.consultant_id = consultant.id
    if recommendation.state == NEW:
        recommendation.state, recommendation.claimed_at = CLAIMED, utcnow()
    recommendation.updated_at = utcnow()
    session.add(recommendation)
    audit.record(session, actor=admin, action="advisor.reassign",
                 subject_type="advisor_recommendation", subject_id=recommendation.id,
                 reason=reason, before=before,
                 after={"consultant_id": consultant.id, "state": recommendation.state})
    notifications.notify(session, [consultant], kind="advisor.assigned",
                         values={"number": recommendation.id},
                         link=f"/advisor/queue/{recommendation.id}")
    return recommendation


def consultants(session: Session) -> list[User]:
    return list(session.exec(select(User).where(User.role == ROLE_CONSULTANT,
                                                User.active.is_(True))
                             .order_by(User.display_name)).all())


# --- Editing the list ------------------------------------------------------------------------

def _editable(session: Session, recommendation_id: int, user: User) -> Recommendation:
    recommendation = lock_row(session, Recommendation, recommendation_id)
    if recommendation is None or recommendation.automatic or \
            recommendation.consultant_id != user.id:
        raise NotFound(NOT_FOUND)
    if recommendation.state == SENT:
        raise Conflict(_l("This recommendation has been sent and can no longer be changed."))
    if recommendation.state not in (CLAIMED, IN_REVIEW):
        raise Conflict(_l("Claim the form before changing its recommendation."))
    recommendation.state, recommendation.updated_at = IN_REVIEW, utcnow()
    session.add(recommendation)
    return recommendation


def _renumber(session: Session, items: list[RecommendationItem]) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position
        session.add(item)
    session.flush()


def _new_item(session: Session, recommendation: Recommendation, solution_id: int,
              position: int) -> RecommendationItem:
    found = load_candidates(session, [solution_id])
    if not found:
        raise DomainError(_l("That solution is not in the catalogue."), field="solution_id")
    result = assess(profile_of(recommendation), found[0])
    item = item_from_match(recommendation.id, result, position=position, source="consultant",
                           plan_id=entry_plans(session, [solution_id]).get(solution_id))
    session.add(item)
    return item


def add_item(session: Session, recommendation_id: int, user: User, *, solution_id: int,
             note: str = "") -> RecommendationItem:
    recommendation = _editable(session, recommendation_id, user)
    items = items_of(session, recommendation.id)
    if any(item.solution_id == solution_id for item in items):
        raise Conflict(_l("That solution is already on the list."))
    if len(items) >= MAX_ITEMS:
        raise DomainError(_l("Recommend at most 20 solutions."), field="solution_id")
    item = _new_item(session, recommendation, solution_id, len(items) + 1)
    item.note = note
    session.flush()
    return item


def _item(items: list[RecommendationItem], item_id: int) -> RecommendationItem:
    for item in items:
        if item.id == item_id:
            return item
    raise NotFound(_l("That item is not on this recommendation."))


def remove_item(session: Session, recommendation_id: int, user: User, item_id: int) -> None:
    recommendation = _editable(session, recommendation_id, user)
    items = items_of(session, recommendation.id)
    session.delete(_item(items, item_id))
    _renumber(session, [item for item in items if item.id != item_id])


def move_item(session: Session, recommendation_id: int, user: User, item_id: int,
              offset: int) -> None:
    """Move an item up (offset -1) or down (+1); at either end it stays."""
    recommendation = _editable(session, recommendation_id, user)
    items = items_of(session, recommendation.id)
    index = items.index(_item(items, item_id))
    target = min(max(index + offset, 0), len(items) - 1)
    items.insert(target, items.pop(index))
    _renumber(session, items)


def write_notes(session: Session, recommendation_id: int, user: User, *,
                notes: dict[int, str], overall_note: str) -> None:
    recommendation = _editable(session, recommendation_id, user)
    for item in items_of(session, recommendation.id):
        if item.id in notes:
            item.note = notes[item.id]
            session.add(item)
    recommendation.overall_note = overall_note
    session.flush()


def replace_items(session: Session, recommendation_id: int, user: User, *,
                  items: list[dict], overall_note: str) -> Recommendation:
    """The API's edit: the list as wanted, in order; others removed, new ones assessed."""
    recommendation = _editable(session, recommendation_id, user)
    wanted = [entry["solution_id"] for entry in items]
    if len(set(wanted)) != len(wanted):
        raise DomainError(_l("A solution is listed twice."), field="items")
    existing = {item.solution_id: item for item in items_of(session, recommendation.id)}
    for solution_id, item in existing.items():
        if solution_id not in wanted:
            session.delete(item)
    session.flush()
    kept = []
    for position, entry in enumerate(items, start=1):
        item = existing.get(entry["solution_id"]) or _new_item(
            session, recommendation, entry["solution_id"], position)
        item.note = entry.get("note", "")
        kept.append(item)
    _renumber(session, kept)
    recommendation.overall_note = overall_note
    session.add(recommendation)
    session.flush()
    return recommendation


def send(session: Session, recommendation_id: int, user: User, *,
         now: datetime | None = None) -> Recommendation:
    recommendation = _editable(session, recommendation_id, user)
    items = items_of(session, recommendation.id)
    if not items:
        raise DomainError(_l("Add at least one solution before sending."), field="items")
    recommendation.state, recommendation.sent_at = SENT, now or utcnow()
    session.add(recommendation)
    audit.record(session, actor=user, action="advisor.recommendation_sent",
                 subject_type="advisor_recommendation", subject_id=recommendation.id,
                 after={"solution_ids": [item.solution_id for item in items],
                        "overall_note": recommendation.overall_note})
    notifications.notify_organisation(
        session, recommendation.organisation_id, kind="advisor.recommendation_sent",
        values={"count": len(items)},
        link=f"/advisor/forms/{recommendation.form_id}/recommendation")
    return recommendation
