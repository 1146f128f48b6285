"""Words for the points domain: check results, application states, movements, options."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from tcloud.accounts.choices import ENTITY_TYPES
from tcloud.points import eligibility as checks
from tcloud.points import movements
from tcloud.points.models import BUDGET_SHORT_REFUSE, BUDGET_SHORT_WAITLIST

STATUS_LABELS = {
    "granted": _l("Points granted"),
    "pending_review": _l("Waiting for an administrator"),
    "waitlisted": _l("On the waiting list"),
    "rejected": _l("Not approved"),
}

CHECK_NAMES = {
    checks.TAX_ID: _l("Unified business number checksum"),
    checks.WINDOW: _l("Application dates"),
    checks.ENTITY_TYPE: _l("Type of organisation"),
    checks.EMPLOYEES: _l("Number of employees"),
    checks.DUPLICATE: _l("Applied before"),
    checks.BUDGET: _l("Budget left"),
}

BUDGET_SHORT_LABELS = {
    BUDGET_SHORT_REFUSE: _l("Refuse new applications"),
    BUDGET_SHORT_WAITLIST: _l("Put new applications on a waiting list"),
}

MOVEMENT_LABELS = {
    movements.BUDGET_FUNDING: _l("Budget added"),
    movements.BUDGET_REDUCTION: _l("Budget reduced"),
    movements.GRANT: _l("Subsidy points granted"),
    movements.HOLD: _l("Points held for an order"),
    movements.RELEASE: _l("Held points returned"),
    movements.CAPTURE: _l("Points paid to the vendor"),
    movements.REFUND: _l("Points refunded"),
    movements.COMPENSATION: _l("Compensation for a service interruption"),
    movements.EXPIRY: _l("Unused points expired"),
}


def _date(value: str) -> str:
    return date.fromisoformat(value).strftime("%Y-%m-%d")


def _entity(code: str | None) -> str:
    return str(ENTITY_TYPES.get(code or "", code or _l("not stated")))


def describe_check(result: dict) -> str:
    """One plain sentence for a stored check result ({code, passed, facts})."""
    code, passed, facts = result["code"], result["passed"], result.get("facts", {})
    if code == checks.TAX_ID:
        return str(_l("Unified business number %(tax_id)s is valid.", **facts) if passed else
                   _l("Unified business number %(tax_id)s fails the checksum: check the "
                      "digits.", **facts))
    if code == checks.WINDOW:
        dates = {"opens_on": _date(facts["opens_on"]), "closes_on": _date(facts["closes_on"])}
        return str(_l("Applications are open (%(opens_on)s to %(closes_on)s).", **dates)
                   if passed else
                   _l("Applications are only accepted from %(opens_on)s to %(closes_on)s.",
                      **dates))
    if code == checks.ENTITY_TYPE:
        allowed = "、".join(_entity(c) for c in facts.get("allowed", []))
        entity = _entity(facts.get("entity_type"))
        return str(_l("%(entity)s may apply.", entity=entity) if passed else
                   _l("%(entity)s may not apply to this programme. It accepts: %(allowed)s.",
                      entity=entity, allowed=allowed))
    if code == checks.EMPLOYEES:
        if facts.get("max") is None:
            return str(_l("This programme has no limit on employees."))
        if passed:
            return str(_l("%(employees)s employees is within the limit of %(max)s.", **facts))
        if facts.get("employees") is None:
            return str(_l("The number of employees is missing (the limit is %(max)s).",
                          **facts))
        return str(_l("%(employees)s employees is more than the limit of %(max)s.", **facts))
    if code == checks.DUPLICATE:
        return str(_l("No other application from %(tax_id)s in this programme.", **facts)
                   if passed else
                   _l("Unified business number %(tax_id)s has already applied to this "
                      "programme. Each business can receive points only once.", **facts))
    if code == checks.BUDGET:
        amounts = {"left": f"{facts['budget_left']:,}", "points": f"{facts['points']:,}"}
        return str(_l("The budget can cover your %(points)s points (%(left)s left).",
                      **amounts) if passed else
                   _l("The programme budget has %(left)s points left, not enough for another "
                      "grant of %(points)s points.", **amounts))
    return code
