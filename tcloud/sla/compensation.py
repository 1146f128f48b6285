"""Month-end outage compensation, and the keys that make month end safe to run twice.

At month end each solution's availability is compared with its terms, and every subscription
active that month is credited by the tiers in its own contract snapshot (what the buyer signed,
not what the listing says today), as a share of that month's fee, in whole points rounded down
and never above the cap. Nobody files a claim.

Unknown minutes (the platform did not measure) are never counted against the vendor. When a
month lacks evidence (more than 1% unknown) the credit is still paid, from the figure no vendor
can dispute: availability as if every unknown minute had been up. Confirmed outages are paid
for even in a month the platform measured badly, and the platform's gaps never cost the vendor.
With enough evidence the ordinary figure is used (unknown minutes leave the denominator).

Every breach has a unique key (solution, term, period, subject) and every credit a ledger
idempotency key (subscription, month): the database holds both as unique constraints, so a
month-end job that runs twice, or restarts halfway, creates nothing twice and credits once.
`month_end_actions` returns only what is not done yet. No database or Flask import.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tcloud.catalog.sla_terms import CompensationTier, credit_percent_for
from tcloud.sla.availability import Availability

AVAILABILITY, SUPPORT_HOURS, RESPONSE, RPO = "availability", "support_hours", "response", "rpo"
BREACH_TERMS = (AVAILABILITY, SUPPORT_HOURS, RESPONSE, RPO)
SOLUTION_SUBJECT = "solution"
DISPUTE_WINDOW = timedelta(days=30)
MEASURED, VENDOR_FAVOURABLE, NOTHING_MEASURED = "measured", "vendor_favourable", "nothing"
_KEY_LIMIT = 120  # ledger_transactions.idempotency_key is String(120)


@dataclass(frozen=True)
class CompensationTerms:
    """The compensation part of a contract snapshot. Its attribute names match SlaTerms, so the
    catalogue's `credit_percent_for` applies to it unchanged."""

    compensation_tiers: tuple[CompensationTier, ...]
    compensation_cap_percent: int

    @classmethod
    def from_snapshot(cls, snapshot: dict) -> CompensationTerms:
        """From the stored JSON: {"compensation_tiers": [{below_percent, credit_percent}],
        "compensation_cap_percent": n} (the SolutionVersion's field names)."""
        tiers = tuple(CompensationTier(float(t["below_percent"]), int(t["credit_percent"]))
                      for t in snapshot["compensation_tiers"])
        return cls(tiers, int(snapshot["compensation_cap_percent"]))


def month_period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def moment_period(moment: datetime) -> str:
    """A breach that starts at a moment (an RPO breach): its UTC minute names the period."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def breach_key(solution_id: int, term: str, period: str, subject: str) -> str:
    """The unique key of one breach, e.g. 'sla/12/response/2026-04/incident-381'.

    Subjects: 'solution' for a solution-wide breach (availability, RPO), 'incident-<id>' for
    incident breaches. A key names the breach, not the check that found it, so every run of
    every job arrives at the same key.
    """
    if term not in BREACH_TERMS:
        raise ValueError(f"unknown SLA term {term!r}")
    if "/" in period or "/" in subject or not period or not subject:
        raise ValueError("period and subject are non-empty and contain no '/'")
    key = f"sla/{int(solution_id)}/{term}/{period}/{subject}"
    if len(key) > _KEY_LIMIT:
        raise ValueError("breach key too long")
    return key


def credit_key(subscription_id: int, year: int, month: int) -> str:
    """The ledger idempotency key of a month's compensation for one subscription."""
    return f"sla-credit:{int(subscription_id)}:{month_period(year, month)}"


def month_fee_points(price_points: int, term_months: int, *, active_days: int | None = None,
                     days_in_month: int | None = None) -> int:
    """One month's share of a plan's price, rounded down once; prorated for a partial month."""
    if price_points < 0 or term_months <= 0:
        raise ValueError("price must not be negative and the term must be positive")
    if active_days is None:
        return price_points // term_months
    if days_in_month is None or not 0 <= active_days <= days_in_month:
        raise ValueError("active_days must be within the month")
    return price_points * active_days // (term_months * days_in_month)


@dataclass(frozen=True)
class CreditDecision:
    basis: str  # MEASURED, VENDOR_FAVOURABLE or NOTHING_MEASURED
    basis_percent: float | None  # the availability the tiers were applied to
    credit_percent: int
    points: int


def month_credit(terms: CompensationTerms, availability: Availability,
                 month_fee_points: int) -> CreditDecision:
    """What one subscription is owed for one month (see the module docstring for the basis)."""
    if month_fee_points < 0:
        raise ValueError("a fee is never negative")
    if availability.lacking_evidence:
        basis, percent = VENDOR_FAVOURABLE, availability.vendor_favourable_percent
    else:
        basis, percent = MEASURED, availability.percent
    if percent is None:
        return CreditDecision(NOTHING_MEASURED, None, 0, 0)
    credit_percent = credit_percent_for(terms, percent)  # already capped
    points = month_fee_points * credit_percent // 100
    return CreditDecision(basis, percent, credit_percent, points)


@dataclass(frozen=True)
class SubscriptionMonth:
    subscription_id: int
    terms: CompensationTerms
    fee_points: int


@dataclass(frozen=True)
class BreachRecord:
    key: str
    solution_id: int
    term: str
    period: str
    subject: str
    details: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class CreditRecord:
    key: str
    subscription_id: int
    decision: CreditDecision


def month_end_actions(*, solution_id: int, year: int, month: int, availability: Availability,
                      target_percent: float, subscriptions: Iterable[SubscriptionMonth],
                      done_keys: Iterable[str] = ()
                      ) -> tuple[list[BreachRecord], list[CreditRecord]]:
    """The availability breach and credits of one solution-month that are not yet recorded.

    `done_keys` are the breach and credit keys already stored; a second run after the first
    committed returns nothing. Zero-point credits are not posted (the ledger has no use for
    them); the breach record still says the month fell short.
    """
    done = set(done_keys)
    period = month_period(year, month)
    breaches: list[BreachRecord] = []
    basis = (availability.vendor_favourable_percent if availability.lacking_evidence
             else availability.percent)
    key = breach_key(solution_id, AVAILABILITY, period, SOLUTION_SUBJECT)
    if basis is not None and basis < target_percent and key not in done:
        breaches.append(BreachRecord(key, solution_id, AVAILABILITY, period, SOLUTION_SUBJECT, {
            "availability_percent": basis, "target_percent": target_percent,
            "lacking_evidence": availability.lacking_evidence}))
    credits: list[CreditRecord] = []
    for subscription in subscriptions:
        key = credit_key(subscription.subscription_id, year, month)
        if key in done:
            continue
        decision = month_credit(subscription.terms, availability, subscription.fee_points)
        if decision.points > 0:
            credits.append(CreditRecord(key, subscription.subscription_id, decision))
    return breaches, credits


def dispute_deadline(credited_at: datetime) -> datetime:
    """The buyer may dispute a credited figure for 30 days (24-hour days, counted in UTC)."""
    return credited_at.astimezone(UTC) + DISPUTE_WINDOW
