"""Vendor pages: its orders (its own only), an order with the buyer's contact, activation.

A vendor sees the buyer's contact person only for its own orders, and in the list only
masked (personal data rules); the full details are on the order page, where it needs them
to set the service up.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_VENDOR
from tcloud.accounts.models import Organisation, User
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.i18n import mask_email
from tcloud.points import fulfilment, refunds, releases
from tcloud.points.applications import taipei_today
from tcloud.points.order_labels import ORDER_STATUS_LABELS
from tcloud.points.order_models import ORDER_STATES, Order

bp = Blueprint("vendor_orders", __name__, url_prefix="/vendor/orders")
PAGE_SIZE = 50


def mask_phone(phone: str | None) -> str:
    """0912***678: the first four and last three digits."""
    if not phone:
        return ""
    return phone[:4] + "***" + phone[-3:] if len(phone) > 7 else "***"


def buyer_contact(db, order: Order, *, masked: bool) -> dict:
    organisation = db.get(Organisation, order.organisation_id)
    person = db.get(User, order.accepted_by_id)
    email = person.email if person else ""
    return {"company": organisation.name, "contact_name": organisation.contact_name or
            (person.display_name if person else ""),
            "email": mask_email(email) if masked else email,
            "phone": mask_phone(organisation.phone) if masked else (organisation.phone or "")}


def _vendor():
    return current_user._get_current_object()


def vendor_orders(db, vendor_organisation_id: int, *, status: str | None, page: int) -> list:
    query = (select(Order).where(Order.vendor_organisation_id == vendor_organisation_id)
             .order_by(Order.id.desc()).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    if status in ORDER_STATES:
        query = query.where(Order.status == status)
    return list(db.execute(query).scalars())


@bp.get("")
@allow(ROLE_VENDOR)
def list_orders():
    db = get_session()
    status = request.args.get("status")
    page = max(1, request.args.get("page", 1, type=int))
    orders = vendor_orders(db, _vendor().organisation_id, status=status, page=page)
    rows = [(order, buyer_contact(db, order, masked=True)) for order in orders]
    return render_template("points/vendor_orders.html", rows=rows, current=status, page=page,
                           page_size=PAGE_SIZE, status_labels=ORDER_STATUS_LABELS)


def _order_page(order_id: int, *, errors: dict | None = None, values: dict | None = None,
                status: int = 200):
    db = get_session()
    order = fulfilment.vendor_order(db, order_id, _vendor())
    return render_template(
        "points/vendor_order.html", order=order, contact=buyer_contact(db, order, masked=False),
        releases=releases.releases_of(db, order.id), refunds=refunds.refunds_of(db, order.id),
        schedule=(releases.schedule(order.points_applied, order.term_months, order.starts_on)
                  if order.starts_on and order.points_applied else []),
        errors=errors or {}, values=values or {"starts_on": taipei_today().isoformat()},
        status_labels=ORDER_STATUS_LABELS), status


@bp.get("/<int:order_id>")
@allow(ROLE_VENDOR)
def order_page(order_id: int):
    return _order_page(order_id)


@bp.post("/<int:order_id>/activate")
@allow(ROLE_VENDOR)
def activate(order_id: int):
    values = {"notes": request.form.get("notes", ""),
              "starts_on": request.form.get("starts_on", "")}
    try:
        starts_on = parse_date(values["starts_on"]) if values["starts_on"] else None
        with transaction() as db:
            fulfilment.activate(db, order_id=order_id, vendor=_vendor(), notes=values["notes"],
                                starts_on=starts_on)
    except DomainError as err:
        if err.status == 404:
            raise
        return _order_page(order_id, errors=err.field_errors() or {"_form": str(err.message)},
                           values=values, status=err.status if err.status != 422 else 400)
    flash(_("The order is active. The buyer has been told and asked to confirm use."),
          "success")
    return redirect(url_for("vendor_orders.order_page", order_id=order_id))


def parse_date(text: str):
    """A YYYY-MM-DD date from a form, or a field error."""
    from datetime import date

    from tcloud.errors import ValidationFailed

    try:
        return date.fromisoformat(text.strip())
    except ValueError as err:
        raise ValidationFailed({"starts_on": _("Enter the date as YYYY-MM-DD.")}) from err
