"""Demo data for `make run`: one account per role and a few organisations. Idempotent.

The credentials are listed in the README; they exist only in development databases
(`seed-demo` refuses to run in production).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session

from tcloud.accounts import services as accounts
from tcloud.advisor import demo as advisor_demo
from tcloud.catalog import demo_catalogue
from tcloud.clock import utcnow
from tcloud.notifications.models import Notification
from tcloud.points import demo as points_demo
from tcloud.sla import demo as sla_demo
from tcloud.sla import incident_demo as sla_incident_demo
from tcloud.uploads.views import upload_folder

HISTORY_KINDS = ("vendor_application.submitted", "vendor_application.decided",
                 "listing.submitted", "listing.approved")
DEMO_PASSWORD = "tcloud-demo-2026"  # noqa: S105 - published demo credential, development only


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    describe: str


DEMO_ACCOUNTS = (
    DemoAccount("admin", "admin@demo.tcloud.tw", "programme administrator"),
    DemoAccount("consultant", "consultant@demo.tcloud.tw", "consultant"),
    DemoAccount("vendor", "vendor@demo.tcloud.tw", "vendor 雲點科技股份有限公司"),
    DemoAccount("business", "business@demo.tcloud.tw", "business 阿美麵店 (noodle shop)"),
)


def _create_admin(db: Session) -> None:
    accounts.create_staff_user(db, actor=None, email="admin@demo.tcloud.tw",
                               password=DEMO_PASSWORD, role="admin", display_name="王小明 管理員",
                               reason="demo data")


def _create_consultant(db: Session) -> None:
    accounts.create_staff_user(db, actor=None, email="consultant@demo.tcloud.tw",
                               password=DEMO_PASSWORD, role="consultant",
                               display_name="林佳慧 顧問", reason="demo data")


def _create_vendor(db: Session) -> None:
    accounts.register_vendor(db, email="vendor@demo.tcloud.tw", password=DEMO_PASSWORD,
                             company_name="雲點科技股份有限公司", tax_id="53212539",
                             contact_name="陳志豪")


def _create_business(db: Session) -> None:
    accounts.register_business(db, email="business@demo.tcloud.tw", password=DEMO_PASSWORD,
                               company_name="阿美麵店", tax_id="84149961",
                               entity_type="business_registration", employee_count=4,
                               industry="food_beverage", city="tainan")


def _extra_businesses() -> list[tuple[str, Callable[[Session], None]]]:
    samples = [
        ("salon@demo.tcloud.tw", "小草髮廊", "78220482", "beauty_hair", 3, "taichung"),
        ("gas@demo.tcloud.tw", "順發瓦斯行", "73960310", "logistics", 6, "kaohsiung"),
        ("coop@demo.tcloud.tw", "好農合作社", "84641177", "agriculture", 12, "yilan"),
    ]
    steps = []
    for email, name, tax_id, industry, staff, city in samples:
        entity = "cooperative" if "合作社" in name else "business_registration"

        def create(db: Session, email=email, name=name, tax_id=tax_id, industry=industry,
                   staff=staff, city=city, entity=entity) -> None:
            accounts.register_business(db, email=email, password=DEMO_PASSWORD,
                                       company_name=name, tax_id=tax_id, entity_type=entity,
                                       employee_count=staff, industry=industry, city=city)

        steps.append((email, create))
    return steps


def _as_history(steps: list[tuple[str, Callable[[Session], None]]]):
    """Catalogue steps whose notifications arrive already read: 200 vetting decisions and
    800 listing approvals are the demo's past, not 1,000 items waiting in the admin's inbox."""

    def quietly(step: Callable[[Session], None]) -> Callable[[Session], None]:
        def run(db: Session) -> None:
            step(db)
            db.execute(update(Notification).where(Notification.read_at.is_(None),
                                                  Notification.kind.in_(HISTORY_KINDS))
                       .values(read_at=utcnow()))

        return run

    return [(marker, quietly(step)) for marker, step in steps]


def demo_steps() -> list[tuple[str, Callable[[Session], None]]]:
    """(email that proves the step is done, function that does it) in dependency order."""
    return [
        ("admin@demo.tcloud.tw", _create_admin),
        ("consultant@demo.tcloud.tw", _create_consultant),
        ("vendor@demo.tcloud.tw", _create_vendor),
        ("business@demo.tcloud.tw", _create_business),
        *_extra_businesses(),
        # 200 vetted vendors and ~800 live solutions with reviews, ten vendors per step.
        *_as_history(demo_catalogue.catalogue_steps(
            admin_email="admin@demo.tcloud.tw", house_email="vendor@demo.tcloud.tw",
            password=DEMO_PASSWORD, upload_folder=upload_folder)),
        *points_demo.steps(),
        # 90 days of measured availability, maintenance, local probe targets (before incidents:
        # month end reads these roll-ups).
        *sla_demo.steps(),
        *sla_incident_demo.steps(),
        *advisor_demo.steps(),
    ]


def is_done(db: Session, marker_email: str) -> bool:
    if marker_email.startswith("points:"):
        return points_demo.is_done(db, marker_email)
    if marker_email.startswith("availability:"):
        return sla_demo.is_done(db, marker_email)
    if marker_email.startswith("sla:"):
        return sla_incident_demo.is_done(db, marker_email)
    if marker_email.startswith("advisor:"):
        return advisor_demo.is_done(db, marker_email)
    return accounts.find_user_by_email(db, marker_email) is not None
