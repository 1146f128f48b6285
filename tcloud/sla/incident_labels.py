"""Words people see for incident codes, and countdowns in plain language."""

from __future__ import annotations

from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

SEVERITY_LABELS = {
    "critical": _l("Critical: the service cannot be used at all"),
    "high": _l("High: an important part does not work"),
    "normal": _l("Normal: something is wrong, but there is a way round it"),
    "low": _l("Low: a question or a small fault"),
}
SEVERITY_SHORT = {"critical": _l("Critical"), "high": _l("High"), "normal": _l("Normal"),
                  "low": _l("Low")}
STATUS_LABELS = {"open": _l("Waiting for the vendor"), "responded": _l("Vendor responded"),
                 "resolved": _l("Resolved")}
RESPONSE_STATE_LABELS = {
    "waiting": _l("Response due"), "warning": _l("Response due soon"),
    "breached": _l("Response overdue"), "answered": _l("Answered in time"),
    "answered_late": _l("Answered late"),
}
TERM_LABELS = {
    "availability": _l("Availability"), "support_hours": _l("Support hours"),
    "response": _l("Incident response"), "rpo": _l("Recovery point objective (RPO)"),
}
RPO_STATE_LABELS = {"ok": _l("Backups are fresh"), "warning": _l("Backup due soon"),
                    "breach": _l("Backup overdue (breach)"), "unknown": _l("No backup reported")}
BACKUP_STATUS_LABELS = {"ok": _l("Completed"), "failed": _l("Failed"),
                        "partial": _l("Partial")}


def duration_words(seconds: float) -> str:
    """'1 h 20 min' (whole minutes, rounded up so a countdown never shows 0 too early)."""
    minutes = int(-(-seconds // 60))
    hours, minutes = divmod(minutes, 60)
    if hours:
        return _("%(h)s h %(m)s min", h=hours, m=minutes)
    return _("%(m)s min", m=minutes)


def countdown_words(assessment, calendar_clock: bool) -> str:
    """What the vendor reads: 'due in 1 h 20 min of support hours' or an overdue note."""
    if assessment.state in ("answered", "answered_late"):
        return str(RESPONSE_STATE_LABELS[assessment.state])
    if assessment.state == "breached":
        return _("Overdue: the committed response time has passed")
    resumes_at = getattr(assessment, "clock_resumes_at", None)
    if resumes_at is not None:
        # Outside support hours the clock is stopped: say so, and when it starts again, in
        # Taipei time with the weekday (a Friday-evening report waits for Monday morning).
        when = format_datetime(resumes_at, "EEEE HH:mm (yyyy-MM-dd)")
        time = duration_words(assessment.remaining_seconds)
        if assessment.elapsed_seconds <= 0:
            return _("The response clock starts when support opens at %(when)s; then "
                     "%(time)s of support hours to respond.", when=when, time=time)
        return _("The response clock is stopped outside support hours and starts again when "
                 "support opens at %(when)s, with %(time)s left.", when=when, time=time)
    if calendar_clock:
        return _("Due in %(time)s (round the clock)", time=duration_words(
            assessment.remaining_seconds))
    return _("Due in %(time)s of support hours", time=duration_words(
        assessment.remaining_seconds))
