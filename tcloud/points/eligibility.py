"""Pure eligibility checks of a grant application: each check's result, ready for plain words.

No database or Flask import here: the caller gathers the facts (the programme's rules, the
applicant's answers, today's date, whether the tax ID already applied, the budget left) and
gets back one result per check. `tcloud.points.labels` turns a result into a sentence.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from tcloud.accounts.taxid import is_valid_tax_id

TAX_ID = "tax_id_checksum"
WINDOW = "application_window"
ENTITY_TYPE = "entity_type"
EMPLOYEES = "employee_count"
DUPLICATE = "duplicate_tax_id"
BUDGET = "budget_left"
CHECK_ORDER = (TAX_ID, WINDOW, ENTITY_TYPE, EMPLOYEES, DUPLICATE, BUDGET)
# A failed hard check refuses the application outright; others send it to an administrator.
HARD_CHECKS = frozenset({WINDOW, DUPLICATE})


@dataclass(frozen=True)
class Rules:
    points_per_grant: int
    opens_on: date
    closes_on: date
    allowed_entity_types: tuple[str, ...]
    max_employees: int | None


@dataclass(frozen=True)
class Applicant:
    tax_id: str
    entity_type: str | None
    employee_count: int | None


@dataclass(frozen=True)
class CheckResult:
    code: str
    passed: bool
    facts: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def check_application(rules: Rules, applicant: Applicant, *, today: date,
                      already_applied: bool, budget_left: int) -> list[CheckResult]:
    """Every check, in a fixed order, each with the facts its sentence needs."""
    return [
        CheckResult(TAX_ID, is_valid_tax_id(applicant.tax_id), {"tax_id": applicant.tax_id}),
        CheckResult(WINDOW, rules.opens_on <= today <= rules.closes_on,
                    {"opens_on": rules.opens_on.isoformat(),
                     "closes_on": rules.closes_on.isoformat()}),
        CheckResult(ENTITY_TYPE, applicant.entity_type in rules.allowed_entity_types,
                    {"entity_type": applicant.entity_type,
                     "allowed": list(rules.allowed_entity_types)}),
        _employees(rules, applicant),
        CheckResult(DUPLICATE, not already_applied, {"tax_id": applicant.tax_id}),
        CheckResult(BUDGET, budget_left >= rules.points_per_grant,
                    {"budget_left": budget_left, "points": rules.points_per_grant}),
    ]


def _employees(rules: Rules, applicant: Applicant) -> CheckResult:
    facts = {"employees": applicant.employee_count, "max": rules.max_employees}
    if rules.max_employees is None:
        return CheckResult(EMPLOYEES, True, facts)
    passed = applicant.employee_count is not None and \
        0 <= applicant.employee_count <= rules.max_employees
    return CheckResult(EMPLOYEES, passed, facts)


def failed(results: list[CheckResult]) -> list[CheckResult]:
    return [result for result in results if not result.passed]


def hard_failure(results: list[CheckResult]) -> CheckResult | None:
    """The first failed check that refuses the application outright, if any."""
    return next((r for r in results if not r.passed and r.code in HARD_CHECKS), None)
