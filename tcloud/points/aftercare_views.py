"""Buyer actions after activation, shown on the order page (points/_order_aftercare.html):
confirm use or report it unused, end the order early, renew by card, review the solution.

The order page itself is H1's (orders.order_detail); it includes the aftercare partial, which
calls the template global `order_aftercare(order)` for what it shows.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import Session

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_BUSINESS
from tcloud.catalog import reviews
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError, ValidationFailed
from tcloud.notifications import services as notifications
from tcloud.points import (
    checkout,
    contracts,
    fulfilment,
    quotes,
    refunds,
    releases,
    renewals,
)
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ACTIVE, COMPLETED, TERMINATED, Order

bp = Blueprint("aftercare", __name__)
REVIEWABLE_STATES = (ACTIVE, COMPLETED, TERMINATED)


def _buyer():
    return current_user._get_current_object()


def activated_order_check(session: Session, organisation_id: int, solution_id: int,
                          order_id: int) -> bool:
    """For catalog.reviews: this business's order of this solution was activated."""
    order = session.get(Order, order_id)
    return (order is not None and order.organisation_id == organisation_id
            and order.solution_id == solution_id and order.activated_at is not None)


def order_aftercare(order: Order) -> dict:
    """What the aftercare partial shows for this order (the page's reader is its buyer)."""
    db = get_session()
    today = taipei_today()
    renewal = renewals.renewal_of(db, order.id)
    can_review = bool(order.status in REVIEWABLE_STATES and reviews.reviewable_orders(
        db, _buyer(), order.solution_id, [order.id]))
    return {
        "releases": releases.releases_of(db, order.id),
        "refunds": refunds.refunds_of(db, order.id),
        "confirm_overdue": bool(order.status == ACTIVE and order.use_confirmed_at is None
                                and order.use_confirm_due_on
                                and order.use_confirm_due_on < today),
        "can_confirm": order.status == ACTIVE and order.use_confirmed_at is None
        and order.reported_unused_at is None,
        "can_end": order.status == ACTIVE,
        "can_renew": renewals.can_renew(db, order, today),
        "renewal": renewal,
        "can_review": can_review,
    }


def _back(order_id: int, anchor: str = "aftercare"):
    return redirect(url_for("orders.order_detail", order_id=order_id) + f"#{anchor}")


def _act(order_id: int, action, success: str, anchor: str = "aftercare"):
    try:
        with transaction() as db:
            action(db)
    except DomainError as err:
        if err.status == 404:
            raise
        flash(" ".join(err.field_errors().values()) or str(err.message), "error")
        return _back(order_id, anchor)
    flash(success, "success")
    return _back(order_id, anchor)


@bp.post("/orders/<int:order_id>/confirm-use")
@allow(ROLE_BUSINESS)
def confirm_use(order_id: int):
    return _act(order_id, lambda db: fulfilment.confirm_use(db, order_id=order_id,
                                                            buyer=_buyer()),
                _("Thank you. You confirmed the service is in use."))


@bp.post("/orders/<int:order_id>/report-unused")
@allow(ROLE_BUSINESS)
def report_unused(order_id: int):
    return _act(order_id, lambda db: fulfilment.report_unused(
        db, order_id=order_id, buyer=_buyer(), note=request.form.get("note", "")),
        _("Your report was sent to the programme's administrators."))


@bp.post("/orders/<int:order_id>/end")
@allow(ROLE_BUSINESS)
def end_order(order_id: int):
    return _act(order_id, lambda db: fulfilment.terminate(
        db, order_id=order_id, actor=_buyer(), reason=request.form.get("reason", ""),
        cause=fulfilment.ENDED_BY_BUYER),
        _("The order has ended. Points not yet released are back in your wallet."))


@bp.post("/orders/<int:order_id>/review")
@allow(ROLE_BUSINESS)
def review(order_id: int):
    def add(db):
        order = fulfilment.buyer_order(db, order_id, _buyer())
        stars = request.form.get("stars", type=int)
        body = request.form.get("body", "").strip()
        errors = {}
        if stars not in (1, 2, 3, 4, 5):
            errors["stars"] = _("Choose from 1 to 5 stars.")
        if not body or len(body) > 2000:
            errors["body"] = _("Write a few words about the service (up to 2,000 characters).")
        if errors:
            raise ValidationFailed(errors)
        reviews.add_review(db, business=_buyer(), solution_id=order.solution_id,
                           order_id=order.id, stars=stars, body=body)

    return _act(order_id, add, _("Thank you: your review is published."), "review")


# --- renewal: a card-only quote, the contract, then H1's checkout and payment ------------------

@bp.post("/orders/<int:order_id>/renew")
@allow(ROLE_BUSINESS)
def start_renewal(order_id: int):
    try:
        with transaction() as db:
            quote = renewals.start_renewal(db, order_id=order_id, buyer=_buyer(),
                                           today=taipei_today())
    except DomainError as err:
        if err.status == 404:
            raise
        flash(str(err.message), "error")
        return _back(order_id)
    return redirect(url_for("aftercare.renewal_contract", order_id=order_id,
                            quote_id=quote.id))


def _renewal_page(order_id: int, quote_id: int, *, errors: dict | None = None,
                  status: int = 200):
    db = get_session()
    order = fulfilment.buyer_order(db, order_id, _buyer())
    quote = quotes.get_quote(db, quote_id, organisation_id=_buyer().organisation_id)
    template, text, sha256 = contracts.render_for_quote(db, quote)
    return render_template("points/renewal_contract.html", order=order, quote=quote,
                           template=template, text=text, sha256=sha256,
                           expired=quotes.is_expired(quote), errors=errors or {}), status


@bp.get("/orders/<int:order_id>/renew/<int:quote_id>")
@allow(ROLE_BUSINESS)
def renewal_contract(order_id: int, quote_id: int):
    return _renewal_page(order_id, quote_id)


@bp.post("/orders/<int:order_id>/renew/<int:quote_id>")
@allow(ROLE_BUSINESS)
def accept_renewal(order_id: int, quote_id: int):
    from tcloud.points.order_views import start_payment

    if request.form.get("accept") != "yes":
        return _renewal_page(order_id, quote_id, status=400, errors={
            "accept": _("Tick the box to say you accept the contract.")})
    try:
        with transaction() as db:
            previous = fulfilment.buyer_order(db, order_id, _buyer())
            if not renewals.can_renew(db, previous, taipei_today()):
                raise ValidationFailed({"_form": _("This order cannot be renewed now.")})
            order = checkout.place_order(db, quote_id=quote_id, user=_buyer(),
                                         contract_sha256=request.form.get("contract_sha256", ""),
                                         renewal_of_order_id=previous.id)
            notifications.notify_organisation(
                db, order.vendor_organisation_id, kind="order.renewed",
                values={"reference": previous.reference, "solution": previous.solution_name},
                link=f"/vendor/orders/{order.id}")
            renewals.update_rates(db, taipei_today())
    except DomainError as err:
        if err.status == 404:
            raise
        return _renewal_page(order_id, quote_id, status=err.status if err.status != 422
                             else 400, errors=err.field_errors() or {"_form": str(err.message)})
    if order.card_amount_ntd > 0 and order.paid_at is None:
        start_payment(order.id)
        return redirect(url_for("orders.pay", order_id=order.id))
    return redirect(url_for("orders.order_detail", order_id=order.id))
