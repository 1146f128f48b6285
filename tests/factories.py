"""Test data built through the real services, with overridable defaults."""

from __future__ import annotations

import itertools

from sqlmodel import Session

from tcloud.accounts import services as accounts
from tcloud.accounts.models import User
from tcloud.accounts.taxid import is_valid_tax_id

_numbers = itertools.count(10_000_000)


def next_valid_tax_id() -> str:
    """A fresh unified business number that passes the checksum."""
    while True:
        candidate = str(next(_numbers))
        if is_valid_tax_id(candidate):
            return candidate


class Factories:
    PASSWORD = "correct horse battery"  # noqa: S105

    def __init__(self, session: Session) -> None:
        self.session = session
        self._serial = itertools.count(1)

    def _email(self, prefix: str) -> str:
        return f"{prefix}{next(self._serial)}-{next_valid_tax_id()}@example.com"

    def business(self, **overrides) -> User:
        fields = dict(
            email=self._email("shop"), password=self.PASSWORD, company_name="測試麵店",
            tax_id=next_valid_tax_id(), entity_type="company", employee_count=5,
            industry="food_beverage", city="taipei",
        )
        fields.update(overrides)
        user = accounts.register_business(self.session, **fields)
        self.session.commit()
        return user

    def vendor(self, **overrides) -> User:
        fields = dict(
            email=self._email("vendor"), password=self.PASSWORD,
            company_name="測試科技股份有限公司", tax_id=next_valid_tax_id(), contact_name="陳測試",
        )
        fields.update(overrides)
        user = accounts.register_vendor(self.session, **fields)
        self.session.commit()
        return user

    def staff(self, role: str = "admin", **overrides) -> User:
        fields = dict(
            actor=None, email=self._email(role), password=self.PASSWORD, role=role,
            display_name=f"Test {role}", reason="test",
        )
        fields.update(overrides)
        user = accounts.create_staff_user(self.session, **fields)
        self.session.commit()
        return user

    def user(self, role: str, **overrides) -> User:
        if role == "business":
            return self.business(**overrides)
        if role == "vendor":
            return self.vendor(**overrides)
        return self.staff(role, **overrides)
