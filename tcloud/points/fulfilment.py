"""After payment: the vendor activates, the buyer confirms use (or reports it unused), and an
order that ends early gives its unreleased points back.

Every function locks the order row first and checks its state under the lock, so two clicks,
or a click racing the release job, cannot act twice. Points move only through movements.py:
termination releases escrow → wallet with the key `release:{ref}:terminate`, so at most the
points still in escrow (points_applied − points_released) can ever go back, and only once.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlmodel import Session

from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.clock import to_taipei, utcnow
from tcloud.db import lock_row
from tcloud.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tcloud.notifications import services as notifications
from tcloud.points import movements, releases
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ACTIVE, PLACED, TERMINATED, Order

CONFIRM_WITHIN_DAYS = 30
LATEST_START_DAYS = 60  # a vendor may schedule the start up to this far ahead
# Why an order ended early (orders.cancel_reason).
ENDED_BY_BUYER = "buyer_cancelled"
ENDED_UNUSED = "found_unused"
ENDED_BY_ADMIN = "admin_terminated"
END_CAUSES = (ENDED_BY_BUYER, ENDED_UNUSED, ENDED_BY_ADMIN)


def vendor_order(session: Session, order_id: int, vendor: User, *, lock: bool = False) -> Order:
    """One of the vendor's own orders; anybody else's is 'not found'."""
    order = lock_row(session, Order, order_id) if lock else session.get(Order, order_id)
    if order is None or order.vendor_organisation_id != vendor.organisation_id:
        raise NotFound(_l("That order does not exist or is not yours."))
    return order


def buyer_order(session: Session, order_id: int, buyer: User, *, lock: bool = False) -> Order:
    order = lock_row(session, Order, order_id) if lock else session.get(Order, order_id)
    if order is None or order.organisation_id != buyer.organisation_id:
        raise NotFound(_l("That order does not exist or is not yours."))
    return order


def _link(order: Order) -> str:
    return f"/orders/{order.id}"


def activate(session: Session, *, order_id: int, vendor: User, notes: str,
             starts_on: date | None = None, today: date | None = None) -> Order:
    """The vendor has set the service up: record the details for the buyer and start the term."""
    today = today or taipei_today()
    starts_on = starts_on or today
    notes = (notes or "").strip()
    errors = {}
    if not notes:
        errors["notes"] = str(_l("Tell the buyer how to sign in or what happens next."))
    elif len(notes) > 2000:
        errors["notes"] = str(_l("Keep the notes under 2,000 characters."))
    order = vendor_order(session, order_id, vendor, lock=True)
    paid_on = to_taipei(order.paid_at or order.created_at).date()
    if starts_on < paid_on or starts_on > today + timedelta(days=LATEST_START_DAYS):
        errors["starts_on"] = str(_l("Choose a start date between %(first)s and %(last)s.",
                                     first=paid_on.isoformat(),
                                     last=(today + timedelta(days=LATEST_START_DAYS))
                                     .isoformat()))
    if errors:
        raise ValidationFailed(errors)
    if order.status != PLACED:
        raise Conflict(_l("Only a paid order waiting for activation can be activated."))
    order.status = ACTIVE
    order.activated_at = utcnow()
    order.activated_by_id = vendor.id
    order.activation_notes = notes
    order.starts_on = starts_on
    order.ends_on = releases.add_months(starts_on, order.term_months)
    order.use_confirm_due_on = starts_on + timedelta(days=CONFIRM_WITHIN_DAYS)
    order.updated_at = utcnow()
    session.add(order)
    session.flush()
    audit.record(session, actor=vendor, action="order.activated", subject_type="order",
                 subject_id=order.reference, before={"status": PLACED},
                 after={"status": ACTIVE, "starts_on": starts_on, "ends_on": order.ends_on})
    notifications.notify_organisation(
        session, order.organisation_id, kind="order.activated",
        values={"reference": order.reference, "solution": order.solution_name,
                "due": order.use_confirm_due_on.isoformat()}, link=_link(order))
    return order


def _must_be_active(order: Order) -> None:
    if order.status != ACTIVE:
        raise Conflict(_l("This order is not active."))


def confirm_use(session: Session, *, order_id: int, buyer: User,
                today: date | None = None) -> Order:
    """The buyer says the service is really in use: releases can start (month 1 at once)."""
    order = buyer_order(session, order_id, buyer, lock=True)
    _must_be_active(order)
    if order.use_confirmed_at is not None:
        raise Conflict(_l("You have already confirmed that this service is in use."))
    if order.reported_unused_at is not None:
        raise Conflict(_l("You reported this service as not in use; an administrator is "
                          "looking at it."))
    order.use_confirmed_at = utcnow()
    order.updated_at = utcnow()
    session.add(order)
    session.flush()
    audit.record(session, actor=buyer, action="order.use_confirmed", subject_type="order",
                 subject_id=order.reference, after={"use_confirmed": True})
    notifications.notify_organisation(
        session, order.vendor_organisation_id, kind="order.use_confirmed",
        values={"reference": order.reference, "solution": order.solution_name},
        link=f"/vendor/orders/{order.id}")
    releases.release_order(session, order.id, today or taipei_today())
    return order


def report_unused(session: Session, *, order_id: int, buyer: User, note: str) -> Order:
    """The buyer says the service is not in use: administrators decide what happens."""
    note = (note or "").strip()
    if not note:
        raise ValidationFailed({"note": str(_l("Tell us what is wrong."))})
    if len(note) > 500:
        raise ValidationFailed({"note": str(_l("Keep it under 500 characters."))})
    order = buyer_order(session, order_id, buyer, lock=True)
    _must_be_active(order)
    if order.use_confirmed_at is not None:
        raise Conflict(_l("You have confirmed this service is in use; to stop it, cancel "
                          "the order."))
    if order.reported_unused_at is not None:
        raise Conflict(_l("You have already reported this service as not in use."))
    order.reported_unused_at = utcnow()
    order.reported_unused_note = note
    session.add(order)
    session.flush()
    audit.record(session, actor=buyer, action="order.reported_unused", subject_type="order",
                 subject_id=order.reference, reason=note)
    notifications.notify_role(
        session, "admin", kind="order.reported_unused",
        values={"reference": order.reference, "solution": order.solution_name, "note": note},
        link=f"/admin/orders/{order.id}")
    return order


def dismiss_unused_report(session: Session, *, order_id: int, admin: User,
                          reason: str) -> Order:
    """An administrator found the service in use after all: the buyer may confirm again."""
    _require_admin(admin)
    reason = _required_reason(reason)
    order = lock_row(session, Order, order_id)
    if order is None:
        raise NotFound(_l("That order does not exist."))
    if order.status != ACTIVE or order.reported_unused_at is None:
        raise Conflict(_l("This order has no open report of non-use."))
    before = {"reported_unused_note": order.reported_unused_note}
    order.reported_unused_at = None
    order.reported_unused_note = None
    session.add(order)
    session.flush()
    audit.record(session, actor=admin, action="order.unused_report_dismissed",
                 subject_type="order", subject_id=order.reference, reason=reason,
                 before=before, after={"reported_unused_note": None})
    return order


def _require_admin(user: User) -> None:
    if user.role != "admin":
        raise PermissionDenied(_l("Only administrators can do this."))


def _required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": str(_l("Give a reason."))})
    if len(reason) > 500:
        raise ValidationFailed({"reason": str(_l("Keep the reason under 500 characters."))})
    return reason


def terminate_key(reference: str) -> str:
    return f"release:{reference}:terminate"


def terminate(session: Session, *, order_id: int, actor: User, reason: str,
              cause: str) -> Order:
    """End an active order early; the points not yet released go back to the buyer.

    The buyer may end its own order; an administrator may end any (e.g. found unused).
    """
    if cause not in END_CAUSES:
        raise ValueError(f"unknown cause {cause!r}")
    reason = _required_reason(reason)
    if actor.role == "admin":
        order = lock_row(session, Order, order_id)
        if order is None:
            raise NotFound(_l("That order does not exist."))
    elif actor.role == "business" and cause == ENDED_BY_BUYER:
        order = buyer_order(session, order_id, actor, lock=True)
    else:
        raise PermissionDenied(_l("You cannot end this order."))
    _must_be_active(order)
    unreleased = order.points_applied - order.points_released
    if unreleased > 0:
        movements.release(session, order_ref=order.reference, points=unreleased,
                          key=terminate_key(order.reference),
                          description=f"{order.reference} {cause}", actor_id=actor.id)
    before = {"status": order.status, "points_released": order.points_released}
    order.status = TERMINATED
    order.cancel_reason = cause
    order.cancelled_at = utcnow()
    order.updated_at = utcnow()
    session.add(order)
    session.flush()
    audit.record(session, actor=actor, action="order.terminated", subject_type="order",
                 subject_id=order.reference, reason=reason, before=before,
                 after={"status": TERMINATED, "points_returned": unreleased, "cause": cause})
    values = {"reference": order.reference, "solution": order.solution_name,
              "points": f"{unreleased:,}"}
    for organisation_id, link in ((order.organisation_id, _link(order)),
                                  (order.vendor_organisation_id, f"/vendor/orders/{order.id}")):
        notifications.notify_organisation(session, organisation_id, kind="order.terminated",
                                          values=values, link=link)
    return order
