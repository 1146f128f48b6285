"""Administrator pages: orders to look at (reported unused, overdue confirmations), an order
with refund and termination forms and its card refunds (a failed one can be sent again), and
the renewal rates by solution, vendor and category."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError, NotFound
from tcloud.points import card_refunds, fulfilment, refunds, releases, renewals
from tcloud.points.applications import taipei_today
from tcloud.points.order_labels import ORDER_STATUS_LABELS
from tcloud.points.order_models import ACTIVE, Order
from tcloud.points.vendor_order_views import buyer_contact

bp = Blueprint("orders_admin", __name__, url_prefix="/admin/orders")
PAGE_SIZE = 50
VIEWS = ("unused", "overdue", "all")


def _admin():
    return current_user._get_current_object()


def orders_to_review(db, view: str, *, reference: str = "", page: int = 1) -> list[Order]:
    query = select(Order).order_by(Order.id.desc())
    if reference:
        query = query.where(Order.reference == reference.strip().upper())
    elif view == "unused":
        query = query.where(Order.status == ACTIVE, Order.reported_unused_at.is_not(None))
    elif view == "overdue":
        query = query.where(Order.status == ACTIVE, Order.use_confirmed_at.is_(None),
                            Order.use_confirm_due_on < taipei_today())
    query = query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return list(db.execute(query).scalars())


@bp.get("")
@allow(ROLE_ADMIN)
def list_orders():
    view = request.args.get("view", "unused")
    view = view if view in VIEWS else "unused"
    page = max(1, request.args.get("page", 1, type=int))
    reference = request.args.get("reference", "")
    orders = orders_to_review(get_session(), view, reference=reference, page=page)
    return render_template("points/admin_orders.html", orders=orders, view=view, page=page,
                           reference=reference, page_size=PAGE_SIZE,
                           status_labels=ORDER_STATUS_LABELS)


def _order_page(order_id: int, *, errors: dict | None = None, values: dict | None = None,
                status: int = 200):
    db = get_session()
    order = db.get(Order, order_id)
    if order is None:
        raise NotFound(_("That order does not exist."))
    return render_template(
        "points/admin_order.html", order=order, contact=buyer_contact(db, order, masked=False),
        releases=releases.releases_of(db, order.id), refunds=refunds.refunds_of(db, order.id),
        refundable=refunds.refundable_points(db, order), errors=errors or {},
        values=values or {"token": refunds.new_token()},
        card_refunds=card_refunds.card_refunds_for_order(db, order.id),
        card_refund_labels=card_refunds.CARD_REFUND_LABELS,
        status_labels=ORDER_STATUS_LABELS), status


@bp.get("/<int:order_id>")
@allow(ROLE_ADMIN)
def order_page(order_id: int):
    return _order_page(order_id)


def _act(order_id: int, action, success: str, values: dict | None = None):
    try:
        with transaction() as db:
            action(db)
    except DomainError as err:
        if err.status == 404:
            raise
        return _order_page(order_id, errors=err.field_errors() or {"_form": str(err.message)},
                           values=values, status=err.status if err.status != 422 else 400)
    flash(success, "success")
    return redirect(url_for("orders_admin.order_page", order_id=order_id))


@bp.post("/<int:order_id>/refund")
@allow(ROLE_ADMIN)
def refund(order_id: int):
    values = {key: request.form.get(key, "") for key in ("points", "reason", "token")}
    return _act(order_id, lambda db: refunds.issue_refund(
        db, order_id=order_id, admin=_admin(), points=values["points"],
        reason=values["reason"], token=values["token"] or None),
        _("The points were refunded to the buyer."), values)


@bp.post("/<int:order_id>/terminate")
@allow(ROLE_ADMIN)
def terminate(order_id: int):
    values = {"end_reason": request.form.get("end_reason", ""),
              "token": refunds.new_token()}
    cause = (fulfilment.ENDED_UNUSED if request.form.get("cause") == "unused"
             else fulfilment.ENDED_BY_ADMIN)

    def end(db):
        try:
            fulfilment.terminate(db, order_id=order_id, actor=_admin(),
                                 reason=values["end_reason"], cause=cause)
        except DomainError as err:
            if "reason" in err.field_errors():
                err.errors = {"end_reason": err.field_errors()["reason"]}
            raise

    return _act(order_id, end, _("The order has ended; unreleased points went back to the "
                                 "buyer."), values)


@bp.post("/<int:order_id>/dismiss-report")
@allow(ROLE_ADMIN)
def dismiss_report(order_id: int):
    values = {"dismiss_reason": request.form.get("dismiss_reason", ""),
              "token": refunds.new_token()}

    def dismiss(db):
        try:
            fulfilment.dismiss_unused_report(db, order_id=order_id, admin=_admin(),
                                             reason=values["dismiss_reason"])
        except DomainError as err:
            if "reason" in err.field_errors():
                err.errors = {"dismiss_reason": err.field_errors()["reason"]}
            raise

    return _act(order_id, dismiss, _("The report is dismissed; the buyer can confirm use."),
                values)


@bp.post("/<int:order_id>/card-refunds/<int:refund_id>/retry")
@allow(ROLE_ADMIN)
def retry_card_refund(order_id: int, refund_id: int):
    return _act(order_id, lambda db: card_refunds.retry_failed(
        db, order_id=order_id, refund_id=refund_id, admin=_admin()),
        _("The card refund will be sent to Stripe again within five minutes."))


@bp.get("/renewal-rates")
@allow(ROLE_ADMIN)
def renewal_rates():
    report = renewals.rates_report(get_session(), taipei_today())
    return render_template("points/admin_orders_renewal_rates.html", report=report)
