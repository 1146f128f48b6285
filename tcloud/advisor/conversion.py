"""Did a recommendation turn into a purchase? Recorded once per sent recommendation.

A recommendation converts when its business buys (a paid order, see points/purchases.py) one
of its recommended solutions within 30 days of sending. The daily job records a conversion as
soon as such a purchase exists, and a non-conversion once the 30 days are over; each is
written once (unique per recommendation), so running the job twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from tcloud.accounts.models import User
from tcloud.advisor.models import SENT, Conversion, Recommendation, RecommendationItem
from tcloud.clock import utcnow
from tcloud.points.purchases import solutions_bought_since

WINDOW = timedelta(days=30)
AUTOMATIC_LABEL = _l("Automatic only (no consultant)")


def check_conversions(session: Session, now: datetime | None = None) -> int:
    """Record every undecided sent recommendation that can now be decided; returns how many."""
    now = now or utcnow()
    pending = session.exec(
        select(Recommendation)
        .outerjoin(Conversion, Conversion.recommendation_id == Recommendation.id)
        .where(Recommendation.state == SENT, Conversion.id.is_(None))
        .order_by(Recommendation.id)).all()
    decided = 0
    for recommendation in pending:
        sent_at = _aware(recommendation.sent_at)
        recommended = set(session.exec(select(RecommendationItem.solution_id).where(
            RecommendationItem.recommendation_id == recommendation.id)).all())
        bought = solutions_bought_since(session, recommendation.organisation_id, sent_at,
                                        sent_at + WINDOW) & recommended
        if bought or now >= sent_at + WINDOW:
            session.add(Conversion(recommendation_id=recommendation.id,
                                   consultant_id=recommendation.consultant_id,
                                   converted=bool(bought), bought_solution_ids=sorted(bought),
                                   decided_at=now))
            decided += 1
    session.flush()
    return decided


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ConversionRow:
    consultant_id: int | None
    consultant: str
    sent: int
    decided: int
    converted: int

    @property
    def rate_percent(self) -> float | None:
        return round(100 * self.converted / self.decided, 1) if self.decided else None


def report(session: Session) -> tuple[list[ConversionRow], ConversionRow]:
    """Per consultant (automatic-only as its own row) and overall: sent, decided, converted."""
    rows = session.exec(
        select(Recommendation.consultant_id, Recommendation.automatic, Conversion.converted)
        .outerjoin(Conversion, Conversion.recommendation_id == Recommendation.id)
        .where(Recommendation.state == SENT)).all()
    groups: dict[int | None, list[int]] = {}
    for consultant_id, _automatic, converted in rows:
        counts = groups.setdefault(consultant_id, [0, 0, 0])
        counts[0] += 1
        if converted is not None:
            counts[1] += 1
            counts[2] += int(converted)
    names = dict(session.exec(select(User.id, User.display_name).where(
        User.id.in_([k for k in groups if k is not None]))).all()) if groups else {}
    result = [ConversionRow(key, names.get(key, "") if key else str(AUTOMATIC_LABEL), *counts)
              for key, counts in sorted(groups.items(), key=lambda kv: (kv[0] is None,
                                                                          kv[0] or 0))]
    total = ConversionRow(None, str(_l("All recommendations")),
                          *(sum(row[i] for row in groups.values()) for i in range(3)))
    return result, total
