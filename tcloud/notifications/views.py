"""The notifications page and the unread count shown in the navigation."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from tcloud.accounts.access import ANY_USER, allow
from tcloud.db import get_session, transaction
from tcloud.notifications import services
from tcloud.notifications.messages import render

bp = Blueprint("notifications", __name__)


def unread_badge() -> dict:
    if not current_user or not current_user.is_authenticated:
        return {}
    return {"unread_notifications": services.unread_count(get_session(), current_user.id)}


@bp.get("/notifications")
@allow(ANY_USER)
def inbox():
    items = [(n, render(n.kind, n.values)) for n in services.recent(get_session(),
                                                                    current_user.id)]
    return render_template("notifications/inbox.html", items=items)


@bp.post("/notifications/read")
@allow(ANY_USER)
def mark_read():
    with transaction() as db:
        services.mark_all_read(db, current_user.id)
    return redirect(url_for("notifications.inbox"))
