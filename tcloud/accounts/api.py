"""Accounts API: who am I, registration of a business or vendor account, contact details."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_login import current_user

from tcloud import validation
from tcloud.accounts import contact, services
from tcloud.accounts.access import ANY_USER, PUBLIC, allow
from tcloud.accounts.choices import ROLE_BUSINESS, ROLE_VENDOR
from tcloud.accounts.schemas import (
    RegisterBusinessSchema,
    RegisterVendorSchema,
    RegistrationRequestSchema,
    UserOutSchema,
)
from tcloud.accounts.views import client_ip
from tcloud.api import api_blueprint, json_body, operation
from tcloud.db import get_session, transaction

bp = api_blueprint("accounts", __name__)

_REGISTRATION = {"business": RegisterBusinessSchema, "vendor": RegisterVendorSchema}


def _dump_user(user) -> dict:
    organisation = services.organisation_of(get_session(), user)
    return UserOutSchema().dump({
        "id": user.id, "email": user.email, "role": user.role,
        "display_name": user.display_name, "locale": user.locale, "organisation": organisation,
    })


@bp.get("/me")
@allow(ANY_USER)
@operation(summary="The logged-in user and their organisation", tag="accounts",
           response_schema=UserOutSchema)
def me():
    return jsonify(_dump_user(current_user._get_current_object()))


@bp.post("/registrations")
@allow(PUBLIC)
@operation(summary="Register a business or vendor account", tag="accounts",
           request_schema=RegisterBusinessSchema, response_schema=UserOutSchema, status=201,
           errors=(409, 415, 422, 429))
def register():
    """Body: `kind` ("business" or "vendor") plus that kind's fields."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        body = {}
    kind = validation.load(RegistrationRequestSchema(), {"kind": body.get("kind")})["kind"]
    data = validation.load(_REGISTRATION[kind](), {k: v for k, v in body.items() if k != "kind"})
    with transaction() as db:
        user = services.register_account(
            db, kind=kind, values=data, ip=client_ip(),
            sign_ups_per_hour=current_app.config["TCLOUD_SIGN_UPS_PER_IP_PER_HOUR"])
    return jsonify(_dump_user(user)), 201


@bp.get("/me/contact-details")
@allow(ROLE_BUSINESS, ROLE_VENDOR)
@operation(summary="The organisation's contact details", tag="accounts",
           response_schema=contact.ContactDetailsOutSchema)
def contact_details():
    organisation = contact.contact_details_of(get_session(), current_user._get_current_object())
    return jsonify(contact.ContactDetailsOutSchema().dump(organisation))


@bp.put("/me/contact-details")
@allow(ROLE_BUSINESS, ROLE_VENDOR)
@operation(summary="Replace the organisation's contact details (a field left out is cleared)",
           tag="accounts", request_schema=contact.ContactDetailsSchema,
           response_schema=contact.ContactDetailsOutSchema, errors=(415, 422))
def replace_contact_details():
    data = validation.load(contact.ContactDetailsSchema(), json_body())
    with transaction() as db:
        organisation = contact.update_contact_details(
            db, user=current_user._get_current_object(), **data)
    return jsonify(contact.ContactDetailsOutSchema().dump(organisation))
