"""Administrator pages for the standard-form contract: its versions, and adding a new one.

Versions are never edited: a change is a new version with a change note (audited). Buyers
are shown the newest version; orders keep the exact text they accepted.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.points import contracts

bp = Blueprint("contracts_admin", __name__, url_prefix="/admin/contracts")


@bp.get("")
@allow(ROLE_ADMIN)
def versions():
    return render_template("points/admin_contracts.html",
                           versions=contracts.list_versions(get_session()))


@bp.get("/<int:contract_version>")
@allow(ROLE_ADMIN)
def version(contract_version: int):
    return render_template("points/admin_contract.html",
                           template=contracts.get_version(get_session(), contract_version))


def _form(values: dict, errors: dict | None = None, status: int = 200):
    return render_template("points/admin_contract_form.html", values=values,
                           errors=errors or {}, placeholders=contracts.PLACEHOLDERS), status


@bp.get("/new")
@allow(ROLE_ADMIN)
def new_version():
    latest = contracts.latest_template(get_session())
    return _form({"body_md": latest.body_md, "change_note": ""})


@bp.post("/new")
@allow(ROLE_ADMIN)
def add_version():
    values = {"body_md": request.form.get("body_md", ""),
              "change_note": request.form.get("change_note", "")}
    try:
        with transaction() as db:
            template = contracts.add_version(db, admin=current_user._get_current_object(),
                                             **values)
    except DomainError as err:
        return _form(values, err.field_errors() or {"_form": str(err.message)},
                     400 if err.status == 422 else err.status)
    flash(_("Contract version %(version)s is saved. New quotes use it from now on.",
            version=template.version), "success")
    return redirect(url_for("contracts_admin.version", contract_version=template.version))
