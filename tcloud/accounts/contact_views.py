"""The organisation's contact details page (businesses and vendors)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import forms
from tcloud.accounts import contact, services
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_BUSINESS, ROLE_VENDOR
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError

bp = Blueprint("contact", __name__)
TEMPLATE = "accounts/contact.html"


def _current_values() -> dict:
    organisation = services.organisation_of(get_session(), current_user._get_current_object())
    return {name: getattr(organisation, name) or "" for name in contact.CONTACT_FIELDS}


@bp.route("/profile/contact", methods=["GET", "POST"])
@allow(ROLE_BUSINESS, ROLE_VENDOR)
def edit_contact_details():
    is_vendor = current_user.role == ROLE_VENDOR
    if request.method == "GET":
        return render_template(TEMPLATE, errors={}, values=_current_values(), is_vendor=is_vendor)
    try:
        data = forms.parse(contact.ContactDetailsSchema())
        with transaction() as db:
            contact.update_contact_details(db, user=current_user._get_current_object(), **data)
    except DomainError as err:
        return forms.render_with_errors(TEMPLATE, err, is_vendor=is_vendor)
    flash(_("Your contact details are saved."), "success")
    return redirect(url_for("accounts.dashboard"))
