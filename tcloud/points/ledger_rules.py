"""Pure rules of the points ledger: what makes a movement valid, and when to warn of expiry.

No database or Flask import here, so these rules can be tested and reused anywhere.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import date

WARN_DAYS = (30, 7)


class InvalidMovement(ValueError):
    """A movement that could never be right (a programming error, not a user's mistake)."""


def merged_entries(entries: Iterable[tuple[Hashable, int]]) -> list[tuple[Hashable, int]]:
    """Check a movement's entries and merge lines on the same account.

    Amounts are whole points (int, never bool or float); the lines sum to exactly zero; at
    least two accounts take part and none of the merged lines is zero.
    """
    totals: dict[Hashable, int] = {}
    for account, amount in entries:
        if type(amount) is not int:
            raise InvalidMovement(f"amount {amount!r} is not a whole number of points")
        totals[account] = totals.get(account, 0) + amount
    merged = [(account, amount) for account, amount in totals.items() if amount != 0]
    if sum(amount for _, amount in merged) != 0:
        raise InvalidMovement("the entries of a movement must sum to zero")
    if len(merged) < 2:
        raise InvalidMovement("a movement needs at least two accounts with non-zero amounts")
    return merged


def days_until_expiry(today: date, expires_on: date) -> int:
    """Whole days left; points can be used through the end of `expires_on`."""
    return (expires_on - today).days


def expiry_warning(today: date, expires_on: date) -> int | None:
    """7 or 30 when the expiry is that close (the tighter one wins); 0 once expired."""
    left = days_until_expiry(today, expires_on)
    if left < 0:
        return 0
    for days in sorted(WARN_DAYS):
        if left <= days:
            return days
    return None


def is_expired(today: date, expires_on: date) -> bool:
    """Points expire once their last day has passed."""
    return today > expires_on
