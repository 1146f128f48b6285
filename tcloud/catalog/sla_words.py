"""The five SLA terms of a listing in plain words, for buyers, comparison and reviewers.

"99.5% a month" means little to a noodle-shop owner; "down at most 3 h 36 min in a 30-day
month" does. Each statement is one translated sentence built from the version's stored terms.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tcloud.catalog.sla_terms import END_OF_DAY
from tcloud.i18n import current_locale, format_ntd

DAY_LABELS = {"mon": _l("Mon"), "tue": _l("Tue"), "wed": _l("Wed"), "thu": _l("Thu"),
              "fri": _l("Fri"), "sat": _l("Sat"), "sun": _l("Sun")}
CHANNEL_LABELS = {"phone": _l("phone"), "line": _l("LINE"), "email": _l("e-mail"),
                  "chat": _l("chat")}
TERM_LABELS = {
    "availability": _l("Availability"),
    "support": _l("Support hours"),
    "compensation": _l("Outage compensation"),
    "response": _l("Incident response"),
    "rpo": _l("Data loss at most (RPO)"),
}
MONTH_MINUTES = 30 * 24 * 60


def list_separator() -> str:
    return "、" if current_locale() == "zh_TW" else ", "


def clause_separator() -> str:
    return "；" if current_locale() == "zh_TW" else "; "


def duration(minutes: float) -> str:
    minutes = round(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(_("%(n)s d", n=days))
    if hours:
        parts.append(_("%(n)s h", n=hours))
    if mins or not parts:
        parts.append(_("%(n)s min", n=mins))
    return " ".join(parts)


def availability(percent: float) -> str:
    return _("At least %(percent)s%% of each month: down at most %(downtime)s in a 30-day month.",
             percent=f"{percent:g}", downtime=duration(MONTH_MINUTES * (100 - percent) / 100))


def support_hours(windows: list[dict], holidays: bool, channels: list[str]) -> str:
    by_hours: dict[tuple[str, str], list[str]] = {}
    for window in windows:
        by_hours.setdefault((window["opens"], window["closes"]), []).append(window["day"])
    spans = clause_separator().join(
        f"{list_separator().join(str(DAY_LABELS[d]) for d in days)} {_span(opens, closes)}"
        for (opens, closes), days in by_hours.items())
    holiday_text = (_("national holidays included") if holidays
                    else _("not on national holidays"))
    channel_text = list_separator().join(str(CHANNEL_LABELS[c]) for c in channels)
    return _("%(spans)s (Taiwan time), %(holidays)s; by %(channels)s.", spans=spans,
             holidays=holiday_text, channels=channel_text)


def _span(opens: str, closes: str) -> str:
    if (opens, closes) == ("00:00", END_OF_DAY):
        return _("round the clock")
    return f"{opens}–{closes}"


def compensation(tiers: list[dict], cap_percent: int) -> str:
    steps = clause_separator().join(_("below %(below)s%%: %(credit)s%% of that month's fee back",
                        below=f"{t['below_percent']:g}", credit=t["credit_percent"])
                      for t in tiers)
    return _("%(steps)s; at most %(cap)s%% a month. Credited automatically, no claim needed.",
             steps=steps, cap=cap_percent)


def response(minutes: int) -> str:
    return _("First response within %(time)s of support hours after you report a problem.",
             time=duration(minutes))


def rpo(minutes: int) -> str:
    return _("If something goes wrong, at most the last %(time)s of your data can be lost.",
             time=duration(minutes))


def statements(version) -> list[tuple[str, str, str]]:
    """(key, term label, plain sentence) for the five terms of a SolutionVersion."""
    return [
        ("availability", str(TERM_LABELS["availability"]),
         availability(version.availability_percent)),
        ("support", str(TERM_LABELS["support"]),
         support_hours(version.support_windows, version.covers_national_holidays,
                       version.support_channels)),
        ("compensation", str(TERM_LABELS["compensation"]),
         compensation(version.compensation_tiers, version.compensation_cap_percent)),
        ("response", str(TERM_LABELS["response"]), response(version.response_minutes)),
        ("rpo", str(TERM_LABELS["rpo"]), rpo(version.rpo_minutes)),
    ]


def points_cover(yearly_price: int, points: int) -> dict:
    """What a grant of `points` pays of a year of this plan, and what is left to pay by card."""
    covered = min(yearly_price, points)
    return {"yearly": yearly_price, "covered": covered, "card": yearly_price - covered,
            "covered_text": format_ntd(covered)}
