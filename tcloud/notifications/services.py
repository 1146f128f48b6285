"""Notify people, count what they have not read, mark it read."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import func, update
from sqlmodel import Session, select

from tcloud.accounts.models import User
from tcloud.clock import utcnow
from tcloud.notifications import outbox
from tcloud.notifications.messages import MESSAGES, render
from tcloud.notifications.models import Notification


def notify(session: Session, recipients: list[User], *, kind: str, values: dict,
           link: str) -> list[Notification]:
    """One notification per active recipient, and an e-mail copy queued until commit."""
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    created = []
    for user in recipients:
        if not user.active:
            continue
        notification = Notification(user_id=user.id, kind=kind, values=values, link=link)
        session.add(notification)
        with force_locale(user.locale or "zh_TW"):
            outbox.queue(session, to=user.email, subject=render(kind, values), link=link)
        created.append(notification)
    session.flush()
    return created


def notify_role(session: Session, role: str, **kwargs) -> list[Notification]:
    users = session.exec(select(User).where(User.role == role, User.active.is_(True))).all()
    return notify(session, list(users), **kwargs)


def notify_organisation(session: Session, organisation_id: int, **kwargs) -> list[Notification]:
    users = session.exec(select(User).where(User.organisation_id == organisation_id,
                                            User.active.is_(True))).all()
    return notify(session, list(users), **kwargs)


def unread_count(session: Session, user_id: int) -> int:
    return session.exec(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))).one()


def recent(session: Session, user_id: int, limit: int = 50) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.user_id == user_id)
                             .order_by(Notification.created_at.desc(), Notification.id.desc())
                             .limit(limit)))


def mark_all_read(session: Session, user_id: int) -> None:
    session.exec(update(Notification).where(Notification.user_id == user_id,
                                            Notification.read_at.is_(None))
                 .values(read_at=utcnow()))
