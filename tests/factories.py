"""Test data built through the real services, with overridable defaults."""

from __future__ import annotations

import io
import itertools
import tempfile
from pathlib import Path

from sqlmodel import Session

from tcloud import validation
from tcloud.accounts import services as accounts
from tcloud.accounts.models import User
from tcloud.accounts.taxid import is_valid_tax_id
from tcloud.catalog import listings, vetting
from tcloud.catalog.listing_input import listing_input_from
from tcloud.catalog.listing_schemas import ListingSchema
from tcloud.uploads import services as uploads

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

    # --- catalogue ---------------------------------------------------------------------------

    def approved_vendor(self, **overrides) -> User:
        """A vendor whose application went through the real vetting services to approval."""
        vendor = self.vendor(**overrides)
        report = uploads.store_upload(
            self.session, stream=io.BytesIO(SAMPLE_PDF), original_name="report.pdf",
            owner_organisation_id=vendor.organisation_id, uploaded_by_id=vendor.id,
            purpose="security_report", allowed_kinds=("pdf",),
            folder=Path(tempfile.gettempdir()) / "tcloud-test-uploads", field="security_report")
        application = vetting.submit_application(
            self.session, vendor=vendor, security_report_id=report.id,
            answers=vetting.ApplicationAnswers(
                paid_in_capital=5_000_000, years_in_business=6, paying_customers=120,
                reference_customers="阿美麵店", declares_no_tax_arrears=True,
                declares_no_major_breach=True, declares_not_prc_funded=True,
                agrees_sla_minimums=True, agrees_no_inducements=True))
        admin = self._vetting_admin()
        for status in ("under_review", "approved"):
            vetting.decide(self.session, admin=admin, application_id=application.id,
                           to_status=status, reason="test")
        self.session.commit()
        return vendor

    def _vetting_admin(self) -> User:
        if not hasattr(self, "_admin"):
            self._admin = self.staff("admin")
        return self._admin

    def listing(self, vendor: User | None = None, *, approve: bool = True, **overrides):
        """A solution saved and submitted by a vendor, approved by an administrator."""
        vendor = vendor or self.approved_vendor()
        data = validation.load(ListingSchema(), listing_payload(**overrides))
        version = listings.save_listing(self.session, vendor=vendor, submit=True,
                                        listing=listing_input_from(data))
        if approve and version.state == "pending":
            listings.review_version(self.session, admin=self._vetting_admin(),
                                    version_id=version.id, approve=True, reason="ok")
        self.session.commit()
        return version


SAMPLE_PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def listing_payload(**overrides) -> dict:
    """A listing that meets the default SLA minimums; override any top-level or sla key."""
    sla = {
        "availability_percent": 99.5,
        "support_windows": [{"day": day, "opens": "09:00", "closes": "18:00"}
                            for day in ("mon", "tue", "wed", "thu", "fri", "sat")],
        "covers_national_holidays": False,
        "support_channels": ["phone", "line"],
        "compensation_tiers": [{"below_percent": 99.5, "credit_percent": 10},
                               {"below_percent": 99.0, "credit_percent": 25}],
        "compensation_cap_percent": 50, "response_minutes": 120, "rpo_minutes": 240,
    }
    sla.update(overrides.pop("sla", {}))
    payload = {
        "category": "online_store", "name": "快點餐 QR 點餐系統",
        "summary": "客人掃碼點餐，廚房即時出單", "description_md": "## 功能\n\n- 掃碼點餐\n- 出單",
        "industries": ["food_beverage"], "problems": ["online_ordering", "pos"],
        "min_employees": 1, "max_employees": 50, "free_trial_days": 14,
        "health_url": "https://status.example.com/health", "data_export_format": "csv",
        "data_export_description": "後台一鍵匯出訂單與會員 CSV",
        "plans": [{"name": "基本版", "billing_period": "year", "price_ntd": 12000,
                   "list_price_ntd": 12000, "seats": 5, "included": "一台平板"}],
        "sla": sla,
    }
    payload.update(overrides)
    return payload
