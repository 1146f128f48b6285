"""Administrators: list accounts, create consultant and administrator accounts."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import forms
from tcloud.accounts import services as accounts
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_LABELS, STAFF_ROLES
from tcloud.accounts.schemas import CreateStaffSchema
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError

bp = Blueprint("admin", __name__, url_prefix="/admin")
STAFF_CHOICES = {role: ROLE_LABELS[role] for role in STAFF_ROLES}


@bp.get("/users")
@allow(ROLE_ADMIN)
def users():
    return render_template("admin/users.html", users=accounts.list_users(get_session()),
                           role_labels=ROLE_LABELS)


@bp.route("/users/new", methods=["GET", "POST"])
@allow(ROLE_ADMIN)
def new_user():
    template = "admin/user_new.html"
    if request.method == "GET":
        return render_template(template, errors={}, values={}, roles=STAFF_CHOICES)
    try:
        data = forms.parse(CreateStaffSchema())
        with transaction() as db:
            user = accounts.create_staff_user(db, actor=current_user._get_current_object(),
                                              **data)
    except DomainError as err:
        return forms.render_with_errors(template, err, roles=STAFF_CHOICES)
    flash(_("Account created for %(email)s. Give them the password in person or by phone, "
            "never by email.", email=user.email), "success")
    return redirect(url_for("admin.users"))
