"""Reasons in plain words: one translated sentence per matcher reason and bundle gap.

The matcher and the bundle return message keys with values (codes and amounts), never text,
so the ranking can be tested without a language and the wording can change without touching
it. Here each key has one English message (zh-TW comes from the catalogue); codes become their
translated labels and amounts become NT$. Called by templates and the API when they render;
works outside a request (in English) so it can be tested by itself.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tcloud.accounts.choices import INDUSTRIES
from tcloud.advisor.bundle import Uncovered
from tcloud.advisor.matcher import Reason
from tcloud.catalog.taxonomy import PROBLEMS_BY_CODE

FACTOR_LABELS = {
    "problems": _l("Your problems"),
    "industry": _l("Your industry"),
    "size": _l("Your size"),
    "price": _l("Price"),
    "support": _l("Support hours"),
    "sla": _l("Service record"),
    "rating": _l("Ratings"),
    "renewal": _l("Renewals"),
    "stage": _l("Your digital stage"),
}

SUPPORT_NEED_LABELS = {
    "evenings": _l("evenings"),
    "weekends": _l("weekends"),
    "holidays": _l("national holidays"),
}

MESSAGES = {
    "problems_with_top": _l("Solves your top priority: %(top)s."),
    "problems_with_top_and_others": _l("Solves your top priority, %(top)s, and also %(others)s."),
    "problems_without_top": _l("Solves %(covered)s, but not your top priority, %(top)s."),
    "problems_none": _l("Solves none of the problems you chose."),
    "industry_listed": _l("Made for businesses in %(industry)s."),
    "industry_not_listed": _l("Not listed for %(industry)s; check it suits your trade."),
    "size_in_range": _l("Suits businesses with %(min)s to %(max)s staff; you have "
                         "%(employees)s."),
    "size_below_range": _l("Made for businesses with at least %(min)s staff; you have "
                           "%(employees)s."),
    "size_above_range": _l("Made for businesses with at most %(max)s staff; you have "
                           "%(employees)s."),
    "price_within_points": _l("From %(price)s a year, all paid with your points (%(points)s)."),
    "price_within_budget": _l("From %(price)s a year: %(out_of_pocket)s beyond your points, "
                              "within your budget of %(budget)s."),
    "price_over_budget": _l("From %(price)s a year: %(over)s more than your points and budget "
                            "together (%(affordable)s)."),
    "support_no_needs": _l("You asked for no support outside office hours."),
    "support_meets": _l("Support answers on %(needs)s, as you need."),
    "support_partial": _l("Support covers only part of %(partial)s."),
    "support_missing": _l("No support on %(unmet)s, which you need."),
    "sla_measured": _l("Kept %(score)s%% of its service commitments in our checks."),
    "sla_unmeasured": _l("New: not measured yet; it promises %(availability)s%% availability."),
    "rating": _l("Rated %(average)s out of 5 by %(count)s buyers."),
    "rating_none": _l("No ratings yet."),
    "renewal": _l("%(percent)s%% of buyers renewed after the first year."),
    "renewal_unknown": _l("No renewal figures yet."),
    "stage_simple": _l("A simple tool that does one or two things: a good first step."),
    "stage_broad_fits": _l("Does %(breadth)s things; your business is ready for a tool that "
                           "connects them."),
    "stage_too_broad": _l("Does %(breadth)s things; at your stage a simpler tool is easier to "
                          "start with."),
    "no_match": _l("No listed solution that fits you solves %(problem)s yet."),
    "over_budget": _l("%(problem)s: the cheapest solution costs %(cheapest)s, more than the "
                      "%(left)s left."),
    "item_limit": _l("%(problem)s: start with the %(max_items)s tools above and add this one "
                     "later."),
}

MONEY_VALUES = ("price", "points", "out_of_pocket", "budget", "over", "affordable",
                "cheapest", "left")


def money(amount: int) -> str:
    """NT$ with thousands separators; the same in zh-TW and English."""
    return f"NT${amount:,}"


def join_labels(labels: list[str]) -> str:
    return str(_l(", ")).join(labels)


def _problem_list(codes: list[str]) -> str:
    return join_labels([str(PROBLEMS_BY_CODE[code].label) for code in codes])


def _format(values: dict) -> dict[str, str]:
    shown = {}
    for name, value in values.items():
        if name in MONEY_VALUES:
            shown[name] = money(value)
        elif name in ("top", "problem"):
            shown[name] = str(PROBLEMS_BY_CODE[value].label)
        elif name in ("others", "covered", "missing"):
            shown[name] = _problem_list(value)
        elif name in ("needs", "partial", "unmet"):
            shown[name] = join_labels([str(SUPPORT_NEED_LABELS[n]) for n in value])
        elif name == "industry":
            shown[name] = str(INDUSTRIES[value])
        else:
            shown[name] = str(value)
    return shown


def reason_key(reason: Reason) -> str:
    """The message for a reason; "problems_with_top" splits on whether others are solved too."""
    if reason.key == "problems_with_top" and reason.values.get("others"):
        return "problems_with_top_and_others"
    return reason.key


def reason_text(reason: Reason) -> str:
    return str(MESSAGES[reason_key(reason)]) % _format(reason.values)


def uncovered_text(gap: Uncovered) -> str:
    return str(MESSAGES[gap.reason]) % _format({"problem": gap.problem, **gap.values})
