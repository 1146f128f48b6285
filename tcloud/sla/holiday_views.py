"""Administrators keep Taiwan's national holidays up to date (every change is audited)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from marshmallow import fields, validate

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.sla import holidays
from tcloud.validation import BaseSchema

bp = Blueprint("sla_holidays", __name__)


class HolidaySchema(BaseSchema):
    required_messages = {"day": _l("Enter the date, such as 2027-02-05."),
                         "name": _l("Enter the holiday's name."),
                         "reason": _l("Say where the date comes from.")}

    day = fields.Date(required=True, error_messages={
        "invalid": _l("Enter a real date, such as 2027-02-05.")})
    name = fields.String(required=True, validate=validate.Length(
        max=60, error=_l("Use at most 60 characters.")))
    reason = fields.String(required=True, validate=validate.Length(
        max=500, error=_l("Use at most 500 characters.")))


class RemovalSchema(BaseSchema):
    required_messages = {"reason": _l("Say why the day is no longer a holiday.")}

    reason = fields.String(required=True, validate=validate.Length(
        max=500, error=_l("Use at most 500 characters.")))


def _page(errors=None, values=None, status=200):
    return render_template("sla/admin_holidays.html", holidays=holidays.list_holidays(
        get_session()), errors=errors or {}, values=values or {}), status


@bp.get("/admin/sla/holidays")
@allow(ROLE_ADMIN)
def holidays_page():
    return _page()


@bp.post("/admin/sla/holidays")
@allow(ROLE_ADMIN)
def add_holiday():
    values = request.form.to_dict()
    try:
        data = validation.load(HolidaySchema(), values, from_form=True)
        with transaction() as db:
            holidays.add_holiday(db, admin=current_user._get_current_object(), **data)
    except DomainError as err:
        return _page(err.field_errors() or {"_form": str(err.message)}, values, 422)
    flash(_("%(day)s is now a holiday.", day=data["day"].isoformat()))
    return redirect(url_for("sla_holidays.holidays_page"))


@bp.post("/admin/sla/holidays/<int:holiday_id>/remove")
@allow(ROLE_ADMIN)
def remove_holiday(holiday_id: int):
    try:
        data = validation.load(RemovalSchema(), request.form.to_dict(), from_form=True)
    except DomainError as err:
        flash(str(err.field_errors().get("reason", err.message)), "error")
        return redirect(url_for("sla_holidays.holidays_page"))
    with transaction() as db:
        holidays.remove_holiday(db, admin=current_user._get_current_object(),
                                holiday_id=holiday_id, reason=data["reason"])
    flash(_("The holiday is removed."))
    return redirect(url_for("sla_holidays.holidays_page"))
