"""An organisation's contact details: phone, address and a bank account.

The bank account is where a vendor's settlement payments go; a business may give one,
optionally, for refunds that cannot go back to a card (a co-payment refunded after the card
was cancelled or expired). Both live in the same column, so a vendor and a buyer that share
an account are found by points.review_signals.

Kept current by the organisation on its profile page (or the API); shown only to the
organisation and to administrators (vendors see a buyer's contact person on their own orders,
not these). The values are stored normalised (phone digits only, address with spaces
squeezed, account as "bank code-number") so that administrators can compare them across
vendors and buyers.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError, fields, pre_load, validate, validates
from sqlmodel import Session

from tcloud.accounts.models import Organisation, User
from tcloud.audit import services as audit
from tcloud.errors import NotFound
from tcloud.validation import BaseSchema

CONTACT_FIELDS = ("contact_name", "phone", "address", "bank_account")


def normalise_phone(value: str) -> str:
    """Digits only, with +886 written as the domestic leading 0 (02-2345-6789 = 0223456789)."""
    text = unicodedata.normalize("NFKC", value).strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+886") or (digits.startswith("886") and len(digits) >= 11):
        digits = "0" + digits[3:].lstrip("0")
    return digits


def normalise_address(value: str) -> str:
    """Full-width letters and digits folded, whitespace squeezed, 台 written 臺."""
    text = unicodedata.normalize("NFKC", value)
    return re.sub(r"\s+", "", text).replace("台", "臺")


def normalise_bank_account(value: str) -> str:
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", value))
    return f"{digits[:3]}-{digits[3:]}" if digits else ""


class ContactDetailsSchema(BaseSchema):
    required_messages = {"contact_name": _l("Enter the name of the contact person.")}
    contact_name = fields.String(required=True, validate=validate.Length(
        min=1, max=100, error=_l("Enter a name of at most 100 characters.")))
    phone = fields.String(load_default="")
    address = fields.String(load_default="", validate=validate.Length(
        max=200, error=_l("Use at most 200 characters.")))
    bank_account = fields.String(load_default="")

    @pre_load
    def _strip(self, data: Any, **_kw: Any) -> Any:
        if isinstance(data, dict):
            data = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
        return data

    @validates("phone")
    def _phone(self, value: str, **_kw: Any) -> None:
        digits = normalise_phone(value)
        if value and not (9 <= len(digits) <= 10 and digits.startswith("0")):
            raise ValidationError(str(_l(
                "Enter a Taiwan phone number with its area code, such as 02-2345-6789 "
                "or 0912-345-678.")))

    @validates("bank_account")
    def _bank_account(self, value: str, **_kw: Any) -> None:
        text = unicodedata.normalize("NFKC", value)
        digits = re.sub(r"\D", "", text)
        # Spaces and dashes are how people group the digits; anything else is a typo that
        # dropping would hide (a letter for a digit gives a different account).
        if value and (re.search(r"[^\d\s-]", text) or not 13 <= len(digits) <= 19):
            raise ValidationError(str(_l(
                "Enter the 3-digit bank code and then the account number (10 to 16 digits), "
                "such as 812-00012345678901.")))


class ContactDetailsOutSchema(BaseSchema):
    contact_name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True, metadata={"description": "Digits only."})
    address = fields.String(allow_none=True)
    bank_account = fields.String(allow_none=True, metadata={
        "description": "Bank code-account number: a vendor's settlement account, or a "
                       "business's account for refunds that cannot return to a card."})


def contact_details_of(session: Session, user: User) -> Organisation:
    organisation = session.get(Organisation, user.organisation_id) if user.organisation_id \
        else None
    if organisation is None:
        raise NotFound(_l("This account does not belong to an organisation."))
    return organisation


def update_contact_details(session: Session, *, user: User, contact_name: str, phone: str,
                           address: str, bank_account: str = "") -> Organisation:
    """Store the organisation's contact details (audited: the bank account matters)."""
    organisation = contact_details_of(session, user)
    before = {name: getattr(organisation, name) for name in CONTACT_FIELDS}
    organisation.contact_name = contact_name
    organisation.phone = normalise_phone(phone) or None
    organisation.address = normalise_address(address) or None
    organisation.bank_account = normalise_bank_account(bank_account) or None
    after = {name: getattr(organisation, name) for name in CONTACT_FIELDS}
    if after != before:
        audit.record(session, actor=user, action="organisation.contact_details_changed",
                     subject_type="organisation", subject_id=organisation.id,
                     before=before, after=after)
    session.flush()
    return organisation


def adopt_contact_name(session: Session, *, user: User, contact_name: str) -> None:
    """A contact person named elsewhere (the points application) fills an empty profile.

    Registration asks for no person's name, so without this a vendor activating the order
    would see the company's name where the buyer's contact person belongs. A name already on
    the profile is kept: the profile page is where it is changed.
    """
    organisation = contact_details_of(session, user)
    name = (contact_name or "").strip()[:100]
    if organisation.contact_name or not name:
        return
    organisation.contact_name = name
    audit.record(session, actor=user, action="organisation.contact_details_changed",
                 subject_type="organisation", subject_id=organisation.id,
                 before={"contact_name": None}, after={"contact_name": name})
    session.flush()
