"""Administrators search the audit log and export what they found as CSV."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask import Blueprint, Response, render_template, request

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.audit import services
from tcloud.clock import TAIPEI
from tcloud.db import get_session

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PER_PAGE = 50


def _taipei_day_to_utc(value: str, *, end: bool) -> datetime | None:
    """A yyyy-mm-dd typed by an administrator means a Taiwan calendar day."""
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        return None
    if end:
        day += timedelta(days=1)
    local = datetime.combine(day, time.min, tzinfo=TAIPEI)
    return local.astimezone(UTC)


def _filters() -> dict:
    args = request.args
    return {
        "action": args.get("action") or None,
        "actor": (args.get("actor") or "").strip() or None,
        "since": _taipei_day_to_utc(args.get("since", ""), end=False),
        "until": _taipei_day_to_utc(args.get("until", ""), end=True),
    }


@bp.get("")
@allow(ROLE_ADMIN)
def events():
    db = get_session()
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows, total = services.search(db, page=page, per_page=PER_PAGE, **_filters())
    return render_template(
        "audit/events.html", rows=rows, total=total, page=page, per_page=PER_PAGE,
        actions=services.actions(db), args=request.args,
    )


@bp.get("/export.csv")
@allow(ROLE_ADMIN)
def export():
    body = services.export_csv(get_session(), **_filters())
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=tcloud-audit.csv"})
