"""Settlement pages: administrators list, issue, view and pay statements and export a month as
CSV; a vendor sees its own statements."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_VENDOR
from tcloud.accounts.models import Organisation
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError, ValidationFailed
from tcloud.points import settlement
from tcloud.points.applications import taipei_today
from tcloud.points.releases import add_months
from tcloud.points.views import csv_response

bp = Blueprint("settlement", __name__)


def _user():
    return current_user._get_current_object()


def _last_month() -> str:
    return settlement.period_of(add_months(taipei_today().replace(day=1), -1))


def _period_arg() -> tuple[str | None, str | None]:
    """The ?period= filter, and an error message if it is not YYYY-MM."""
    period = request.args.get("period", "").strip()
    if not period:
        return None, None
    try:
        settlement.period_bounds(period)
    except ValidationFailed as err:
        return None, err.errors["period"]
    return period, None


@bp.get("/admin/statements")
@allow(ROLE_ADMIN)
def admin_statements():
    period, error = _period_arg()
    rows = settlement.statements(get_session(), period=period)
    return render_template("points/settlement_statements.html", rows=rows, period=period,
                           error=error, admin=True, last_month=_last_month())


@bp.post("/admin/statements/generate")
@allow(ROLE_ADMIN)
def generate():
    period = request.form.get("period", "").strip()
    try:
        with transaction() as db:
            created = settlement.generate(db, period)
    except DomainError as err:
        flash(" ".join(err.field_errors().values()) or str(err.message), "error")
        return redirect(url_for("settlement.admin_statements"))
    flash(_("%(count)s new statement(s) issued for %(period)s.", count=len(created),
            period=period), "success")
    return redirect(url_for("settlement.admin_statements", period=period))


@bp.get("/admin/statements.csv")
@allow(ROLE_ADMIN)
def export_csv():
    period, error = _period_arg()
    if period is None:
        flash(error or _("Choose a month to export."), "error")
        return redirect(url_for("settlement.admin_statements"))
    return csv_response(settlement.export_csv(get_session(), period),
                        f"tcloud-statements-{period}.csv")


def _statement_page(statement_id: int, *, admin: bool):
    db = get_session()
    statement = settlement.get_statement(db, statement_id, user=_user())
    return render_template("points/settlement_statement.html", statement=statement,
                           vendor=db.get(Organisation, statement.vendor_organisation_id),
                           lines=settlement.lines(db, statement), admin=admin)


@bp.get("/admin/statements/<int:statement_id>")
@allow(ROLE_ADMIN)
def admin_statement(statement_id: int):
    return _statement_page(statement_id, admin=True)


@bp.post("/admin/statements/<int:statement_id>/paid")
@allow(ROLE_ADMIN)
def mark_paid(statement_id: int):
    try:
        with transaction() as db:
            settlement.mark_paid(db, statement_id=statement_id, admin=_user())
    except DomainError as err:
        if err.status == 404:
            raise
        flash(str(err.message), "error")
    else:
        flash(_("The statement is marked paid."), "success")
    return redirect(url_for("settlement.admin_statement", statement_id=statement_id))


@bp.get("/vendor/statements")
@allow(ROLE_VENDOR)
def vendor_statements():
    rows = settlement.statements(get_session(), vendor_organisation_id=_user().organisation_id)
    return render_template("points/settlement_statements.html", rows=rows, period=None,
                           error=None, admin=False, last_month=None)


@bp.get("/vendor/statements/<int:statement_id>")
@allow(ROLE_VENDOR)
def vendor_statement(statement_id: int):
    return _statement_page(statement_id, admin=False)
