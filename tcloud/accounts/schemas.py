"""Marshmallow schemas for accounts: registration, login, staff accounts, and the user out."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validate, validates, validates_schema

from tcloud.accounts.choices import CITIES, ENTITY_TYPES, INDUSTRIES, ROLES, STAFF_ROLES
from tcloud.accounts.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from tcloud.accounts.taxid import is_valid_tax_id, normalise_tax_id
from tcloud.validation import BaseSchema

PASSWORD_MESSAGES = {
    "too_short": _l("Use at least %(n)s characters.", n=MIN_LENGTH),
    "too_long": _l("Use at most %(n)s characters.", n=MAX_LENGTH),
    "too_common": _l("This password is too easy to guess. Try a short sentence you will remember."),
    "contains_email": _l("Do not use your email address in your password."),
}


def _one_of(choices: dict, message: Any) -> validate.OneOf:
    return validate.OneOf(list(choices), error=message)


REQUIRED = {
    "email": _l("Enter your email address."),
    "password": _l("Enter a password."),
    "company_name": _l("Enter the registered name."),
    "tax_id": _l("Enter the unified business number (統一編號)."),
    "entity_type": _l("Choose the type of organisation."),
    "employee_count": _l("Enter the number of employees."),
    "industry": _l("Choose your industry."),
    "city": _l("Choose the city or county."),
    "contact_name": _l("Enter the name of the contact person."),
    "display_name": _l("Enter the person's full name."),
    "role": _l("Choose a role."),
    "reason": _l("Enter the reason, for the audit log."),
}


class CredentialsSchema(BaseSchema):
    required_messages = REQUIRED
    email = fields.Email(
        required=True,
        validate=validate.Length(max=254, error=_l("Use at most 254 characters.")),
    )
    password = fields.String(required=True, load_only=True)

    @pre_load
    def _lower_email(self, data: Any, **_kw: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("email"), str):
            data = {**data, "email": data["email"].strip().lower()}
        return data


class NewAccountSchema(CredentialsSchema):
    """Fields every new account shares: a strong password checked against the email."""

    @validates_schema(skip_on_field_errors=False)
    def _strong_password(self, data: dict, **_kw: Any) -> None:
        if "password" not in data:
            return  # already reported as missing
        problem = password_problem(data.get("password", ""), email=data.get("email", ""))
        if problem:
            raise ValidationError(str(PASSWORD_MESSAGES[problem]), field_name="password")


class OrganisationSchemaMixin(NewAccountSchema):
    company_name = fields.String(
        required=True,
        validate=validate.Length(max=200, error=_l("Use at most 200 characters.")),
    )
    tax_id = fields.String(required=True)

    @pre_load
    def _normalise_tax_id(self, data: Any, **_kw: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("tax_id"), str):
            data = {**data, "tax_id": normalise_tax_id(data["tax_id"])}
        return data

    @validates("tax_id")
    def _valid_tax_id(self, value: str, **_kw: Any) -> None:
        if not (len(value) == 8 and value.isascii() and value.isdigit()):
            raise ValidationError(str(_l("Enter the 8-digit unified business number (統一編號).")))
        if not is_valid_tax_id(value):
            raise ValidationError(
                str(_l("This unified business number fails its check digit. Check for a typo."))
            )


class RegisterBusinessSchema(OrganisationSchemaMixin):
    entity_type = fields.String(
        required=True, validate=_one_of(ENTITY_TYPES, _l("Choose the type of organisation."))
    )
    employee_count = fields.Integer(
        required=True,
        strict=False,
        validate=validate.Range(
            min=1, max=1_000_000, error=_l("Enter the number of employees, 1 or more.")
        ),
    )
    industry = fields.String(
        required=True, validate=_one_of(INDUSTRIES, _l("Choose your industry."))
    )
    city = fields.String(
        required=True, validate=_one_of(CITIES, _l("Choose the city or county."))
    )


class RegisterVendorSchema(OrganisationSchemaMixin):
    contact_name = fields.String(
        required=True,
        validate=validate.Length(max=100, error=_l("Use at most 100 characters.")),
    )


class RegistrationRequestSchema(BaseSchema):
    """API body: which kind of account, then the fields of that kind."""

    required_messages = {"kind": _l("Choose business or vendor.")}

    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            ["business", "vendor"], error=_l("Choose business or vendor.")
        ),
    )


class LoginSchema(CredentialsSchema):
    pass


class CreateStaffSchema(NewAccountSchema):
    display_name = fields.String(
        required=True,
        validate=validate.Length(max=100, error=_l("Use at most 100 characters.")),
    )
    role = fields.String(
        required=True,
        validate=validate.OneOf(list(STAFF_ROLES), error=_l("Choose a role.")),
    )
    reason = fields.String(
        required=True,
        validate=validate.Length(max=500, error=_l("Use at most 500 characters.")),
    )


class OrganisationOutSchema(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    tax_id = fields.String()
    entity_type = fields.String(allow_none=True)
    employee_count = fields.Integer(allow_none=True)
    industry = fields.String(allow_none=True)
    city = fields.String(allow_none=True)


class UserOutSchema(BaseSchema):
    id = fields.Integer()
    email = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    display_name = fields.String()
    locale = fields.String(allow_none=True)
    organisation = fields.Nested(OrganisationOutSchema, allow_none=True)
