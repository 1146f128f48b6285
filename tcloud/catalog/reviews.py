"""Reviews: a business that really uses a solution rates it; the vendor may answer once.

Only a business with an activated order of the solution may review it, once per order. Orders
belong to the points domain, which depends on the catalogue, not the other way round; so the
points domain registers the check (`register_order_check`) when it starts. Until it does,
nobody can write a review. Ratings on the Solution row change in the same transaction as the
reviews they summarise; hidden reviews do not count.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.catalog.models import Solution, SolutionReview
from tcloud.catalog.revision import bump_revision
from tcloud.clock import utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound, PermissionDenied

# (session, business organisation id, solution id, order id) -> True if that order of that
# solution belongs to the business and has been activated.
OrderCheck = Callable[[Session, int, int, int], bool]
_order_check: OrderCheck | None = None


def register_order_check(check: OrderCheck | None) -> None:
    global _order_check  # noqa: PLW0603 - one registry, set once at start-up by the points domain
    _order_check = check


def reviewable_orders(session: Session, business: User, solution_id: int,
                      order_ids: list[int]) -> list[int]:
    """Which of the business's activated orders of this solution have no review yet."""
    if _order_check is None:
        return []
    reviewed = set(session.exec(select(SolutionReview.order_id).where(
        SolutionReview.order_id.in_(order_ids))).all())
    return [order_id for order_id in order_ids if order_id not in reviewed
            and _order_check(session, business.organisation_id, solution_id, order_id)]


def add_review(session: Session, *, business: User, solution_id: int, order_id: int,
               stars: int, body: str) -> SolutionReview:
    if business.role != "business" or _order_check is None or not _order_check(
            session, business.organisation_id, solution_id, order_id):
        raise PermissionDenied(_l("You can review a solution once your order of it has been "
                                  "activated."))
    solution = lock_row(session, Solution, solution_id)
    if solution is None:
        raise NotFound(_l("That solution does not exist."))
    if session.exec(select(SolutionReview).where(SolutionReview.order_id == order_id)).first():
        raise Conflict(_l("You have already reviewed this order."))
    review = SolutionReview(solution_id=solution_id, order_id=order_id, stars=stars, body=body,
                            business_organisation_id=business.organisation_id,
                            author_id=business.id)
    solution.rating_count += 1
    solution.rating_total += stars
    session.add_all([review, solution])
    session.flush()
    bump_revision(session)
    return review


def reply(session: Session, *, vendor: User, review_id: int, text: str) -> SolutionReview:
    review = lock_row(session, SolutionReview, review_id)
    solution = session.get(Solution, review.solution_id) if review else None
    if solution is None or solution.vendor_organisation_id != vendor.organisation_id:
        raise NotFound(_l("That review does not exist."))
    if review.vendor_reply:
        raise Conflict(_l("You have already answered this review."))
    review.vendor_reply = text
    review.vendor_replied_at = utcnow()
    session.add(review)
    session.flush()
    bump_revision(session)
    return review


def hide(session: Session, *, admin: User, review_id: int, reason: str) -> SolutionReview:
    if admin.role != "admin":
        raise PermissionDenied(_l("Only administrators can hide reviews."))
    review = lock_row(session, SolutionReview, review_id)
    if review is None:
        raise NotFound(_l("That review does not exist."))
    if review.hidden_reason:
        raise Conflict(_l("This review is already hidden."))
    solution = lock_row(session, Solution, review.solution_id)
    solution.rating_count -= 1
    solution.rating_total -= review.stars
    review.hidden_reason = reason
    review.hidden_by_name = admin.display_name
    session.add_all([review, solution])
    session.flush()
    bump_revision(session)
    audit.record(session, actor=admin, action="review.hidden", subject_type="solution_review",
                 subject_id=review.id, reason=reason, before={"visible": True},
                 after={"visible": False})
    return review


def visible_reviews(session: Session, solution_id: int, *, limit: int = 50) -> list:
    return list(session.exec(select(SolutionReview).where(
        SolutionReview.solution_id == solution_id, SolutionReview.hidden_reason.is_(None))
        .order_by(SolutionReview.created_at.desc(), SolutionReview.id.desc()).limit(limit)))
