"""How a solution is probed. Vendors set the interval, time-out, expected status and keyword;
only administrators may point the probes at another address than the listed health URL."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit.services import record
from tcloud.clock import utcnow
from tcloud.errors import ValidationFailed
from tcloud.sla.maintenance import own_solution
from tcloud.sla.models import ProbeTarget

EDITABLE = ("interval_seconds", "timeout_seconds", "expected_status", "keyword")


def target_of(session: Session, solution_id: int) -> ProbeTarget:
    """The stored settings, or the defaults (not added to the session) when none are saved."""
    found = session.execute(select(ProbeTarget).where(
        ProbeTarget.solution_id == solution_id)).scalar()
    return found or ProbeTarget(solution_id=solution_id)


def update_probe_settings(session: Session, *, vendor: User, solution_id: int,
                          values: dict) -> ProbeTarget:
    own_solution(session, vendor, solution_id)
    target = target_of(session, solution_id)
    before = {name: getattr(target, name) for name in EDITABLE}
    for name in EDITABLE:
        setattr(target, name, values.get(name))
    target.keyword = target.keyword or None
    target.updated_at = utcnow()
    session.add(target)
    session.flush()
    record(session, actor=vendor, action="sla.probe_settings_changed",
           subject_type="solution", subject_id=solution_id, before=before,
           after={name: getattr(target, name) for name in EDITABLE})
    return target


PROBE_URL_LIMIT = 300


def checked_probe_url(value: str | None) -> str | None:
    """An http(s) address with a host, at most 300 characters; empty means none (cleared)."""
    url = (value or "").strip()
    if not url:
        return None
    if len(url) > PROBE_URL_LIMIT:
        raise ValidationFailed({"probe_url": str(_l(
            "Use %(limit)s characters or fewer.", limit=PROBE_URL_LIMIT))})
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        parts, port_ok = None, False
    if (parts is None or parts.scheme not in ("http", "https") or not parts.hostname
            or not port_ok or any(c.isspace() for c in url)):
        raise ValidationFailed({"probe_url": str(_l(
            "Enter a full web address starting with http:// or https://."))})
    return url


def set_probe_url(session: Session, *, admin: User, solution_id: int, probe_url: str | None,
                  reason: str) -> ProbeTarget:
    """An administrator points the probes of one solution at another address, or back at the
    listed health URL (an empty value). Audited with the address before and after."""
    url = checked_probe_url(probe_url)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": str(_l("Give the reason for the change."))})
    if len(reason) > 500:
        raise ValidationFailed({"reason": str(_l("Use %(limit)s characters or fewer.",
                                                 limit=500))})
    target = target_of(session, solution_id)
    before = target.probe_url
    if before == url:
        return target  # nothing changes, so nothing to audit
    target.probe_url = url
    target.updated_at = utcnow()
    session.add(target)
    session.flush()
    record(session, actor=admin, action="sla.probe_url_changed", subject_type="solution",
           subject_id=solution_id, reason=reason, before={"probe_url": before},
           after={"probe_url": url})
    return target
