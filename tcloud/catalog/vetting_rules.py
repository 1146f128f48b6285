"""The vetting workflow as data: which status may follow which, and who moves it.

submitted → under review → changes requested (→ submitted again) / approved / rejected;
an approved vendor may later be suspended, and a suspended one reinstated (approved).
No database or Flask import: the rules can be read and tested on their own.
"""

from __future__ import annotations

SUBMITTED = "submitted"
UNDER_REVIEW = "under_review"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
REJECTED = "rejected"
SUSPENDED = "suspended"
STATUSES = (SUBMITTED, UNDER_REVIEW, CHANGES_REQUESTED, APPROVED, REJECTED, SUSPENDED)

# Administrator decisions: from a status, the statuses they may move it to.
ADMIN_TRANSITIONS = {
    SUBMITTED: (UNDER_REVIEW,),
    UNDER_REVIEW: (CHANGES_REQUESTED, APPROVED, REJECTED),
    APPROVED: (SUSPENDED,),
    SUSPENDED: (APPROVED,),
}
# A vendor may (re)submit only when it has no application yet or was asked for changes.
VENDOR_MAY_SUBMIT_FROM = (None, CHANGES_REQUESTED)


def admin_may_move(current: str, target: str) -> bool:
    return target in ADMIN_TRANSITIONS.get(current, ())


def vendor_may_submit(current: str | None) -> bool:
    return current in VENDOR_MAY_SUBMIT_FROM
