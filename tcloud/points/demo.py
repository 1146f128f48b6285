"""Demo points data for `seed-demo`: an open programme, and every demo business granted.

Everything goes through the real services (programme set-up, application with a proof,
automatic checks, grant), so the demo ledger is exactly what production would hold.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts import services as accounts
from tcloud.accounts.choices import ENTITY_TYPES
from tcloud.points import applications, programmes
from tcloud.points import models as m

DEMO_PROGRAMME = "115 年度雲市集數位轉型補助（示範）"
DEMO_ADMIN = "admin@demo.tcloud.tw"
DEMO_BUSINESSES = ("business@demo.tcloud.tw", "salon@demo.tcloud.tw", "gas@demo.tcloud.tw",
                   "coop@demo.tcloud.tw")
PROGRAMME_MARKER = "points:programme"
GRANT_MARKER = "points:grant:"
# The smallest well-formed PDF: the demo's stand-in for a registration certificate.
DEMO_PROOF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def demo_programme(db: Session) -> m.Programme | None:
    return db.execute(select(m.Programme).where(m.Programme.name == DEMO_PROGRAMME)
                      ).scalars().first()


def create_programme(db: Session) -> None:
    today = applications.taipei_today()
    programmes.create_programme(
        db, admin=accounts.find_user_by_email(db, DEMO_ADMIN), reason="demo data",
        values=dict(name=DEMO_PROGRAMME, points_per_grant=30_000, total_budget=60_000_000,
                    opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=180),
                    points_expire_on=today + timedelta(days=365),
                    allowed_entity_types=list(ENTITY_TYPES), max_employees=30,
                    grant_immediately=True, when_budget_short="waitlist"))


def grant_step(email: str):
    def grant(db: Session) -> None:
        from tcloud.uploads import services as uploads
        from tcloud.uploads.views import upload_folder

        user = accounts.find_user_by_email(db, email)
        organisation = accounts.organisation_of(db, user)
        proof = uploads.store_upload(
            db, stream=io.BytesIO(DEMO_PROOF), original_name="登記證明.pdf",
            owner_organisation_id=organisation.id, uploaded_by_id=user.id,
            purpose="registration_proof", allowed_kinds=("pdf",), folder=upload_folder(),
            field="proof")
        applications.apply(db, user=user, programme_id=demo_programme(db).id,
                           proof_upload_id=proof.id, answers=applications.Answers(
                               organisation.entity_type or "company",
                               organisation.employee_count or 1,
                               organisation.contact_name or organisation.name))

    return grant


def steps() -> list:
    return [(PROGRAMME_MARKER, create_programme),
            *[(GRANT_MARKER + email, grant_step(email)) for email in DEMO_BUSINESSES],
            (ORDERS_MARKER, create_orders),
            (CONTACTS_MARKER, create_contact_details)]


def is_done(db: Session, marker: str) -> bool:
    if marker == CONTACTS_MARKER:
        vendor = accounts.find_user_by_email(db, DEMO_VENDOR)
        return vendor is None or accounts.organisation_of(db, vendor).bank_account is not None
    programme = demo_programme(db)
    if marker == ORDERS_MARKER:
        from tcloud.points.order_models import Order

        return db.execute(select(Order.id).limit(1)).first() is not None
    if marker == PROGRAMME_MARKER or programme is None:
        return programme is not None
    user = accounts.find_user_by_email(db, marker.removeprefix(GRANT_MARKER))
    return user is None or db.execute(select(m.GrantApplication.id).where(
        m.GrantApplication.programme_id == programme.id,
        m.GrantApplication.organisation_id == user.organisation_id)).first() is not None


# --- demo orders (aftercare) ----------------------------------------------------------------
# Through the real quote, contract and checkout; then dates moved back where a story needs
# time to have passed (paid and started months ago), so the pages show every state:
# placed (business@), active with months released (salon@), completed and renewed (gas@).
ORDERS_MARKER = "points:orders"
DEMO_VENDOR = "vendor@demo.tcloud.tw"


def _demo_plan(db: Session, max_seats: int):
    """The cheapest plan of the house vendor's live solutions that points can pay in full."""
    from tcloud.catalog.models import Solution, SolutionPlan, SolutionVersion

    vendor = accounts.find_user_by_email(db, DEMO_VENDOR)
    return db.execute(
        select(SolutionPlan).join(SolutionVersion, SolutionVersion.id == SolutionPlan.version_id)
        .join(Solution, Solution.id == SolutionVersion.solution_id)
        .where(Solution.vendor_organisation_id == vendor.organisation_id,
               SolutionVersion.state == "live", SolutionPlan.seats <= max_seats,
               SolutionPlan.price_ntd <= 24_000, SolutionPlan.price_ntd > 0)
        .order_by(SolutionPlan.price_ntd, SolutionPlan.id)).scalars().first()


def _order(db: Session, email: str, *, use_points: bool = True, renewal_of=None):
    from tcloud.points import checkout, contracts, quotes

    user = accounts.find_user_by_email(db, email)
    employees = accounts.organisation_of(db, user).employee_count or 1
    plan_id = renewal_of.plan_id if renewal_of else _demo_plan(db, employees).id
    quote = quotes.create_quote(db, organisation_id=user.organisation_id, plan_id=plan_id,
                                user=user, use_points=use_points)
    _, _, sha256 = contracts.render_for_quote(db, quote)
    order = checkout.place_order(db, quote_id=quote.id, user=user, contract_sha256=sha256,
                                 renewal_of_order_id=renewal_of.id if renewal_of else None)
    if order.status == "awaiting_payment":  # the demo's card payment succeeded
        checkout.apply_intent_status(db, order_id=order.id, status="succeeded")
    return user, order


def _started(db: Session, order, *, days_ago: int, confirm: bool = True) -> None:
    from datetime import UTC, datetime

    from tcloud.points import fulfilment

    today = applications.taipei_today()
    vendor = accounts.find_user_by_email(db, DEMO_VENDOR)
    order.paid_at = datetime.now(UTC) - timedelta(days=days_ago + 2)
    db.add(order)
    db.flush()
    fulfilment.activate(db, order_id=order.id, vendor=vendor, today=today,
                        starts_on=today - timedelta(days=days_ago),
                        notes="登入網址：https://app.example.com.tw\n帳號：請用您的統一編號登入，"
                              "首次登入請改密碼。客服 LINE：@demo-support")
    if confirm:
        buyer = db.get(type(vendor), order.accepted_by_id)
        fulfilment.confirm_use(db, order_id=order.id, buyer=buyer, today=today)


def create_orders(db: Session) -> None:
    from tcloud.points import releases, renewals

    if _demo_plan(db, 3) is None:
        return  # the catalogue has no house plan small enough: nothing to show
    today = applications.taipei_today()
    _order(db, "business@demo.tcloud.tw")  # placed: the vendor is asked to activate it
    _, running = _order(db, "salon@demo.tcloud.tw")
    _started(db, running, days_ago=75)  # three months released
    _, ended = _order(db, "gas@demo.tcloud.tw")
    _started(db, ended, days_ago=(today - releases.add_months(today, -ended.term_months)).days
             + 10)
    releases.release_order(db, ended.id, today)  # all months out, term over: completed
    _order(db, "gas@demo.tcloud.tw", use_points=False, renewal_of=ended)
    _, waiting = _order(db, "coop@demo.tcloud.tw")
    _started(db, waiting, days_ago=40, confirm=False)  # confirmation overdue: releases paused
    renewals.update_rates(db, today)


# --- demo contact details (review signals) --------------------------------------------------
# The house vendor's settlement account, and 順發瓦斯行, one of its buyers, giving that same
# account for its refunds: the administrators' review-signals page then shows a shared bank
# account between a vendor and a buyer. 阿美麵店 gives an account of its own (no signal).
CONTACTS_MARKER = "points:contacts"
SHARED_DEMO_ACCOUNT = "812-00012345678901"
DEMO_CONTACTS = {
    DEMO_VENDOR: ("陳志豪", "02-2720-1234", "臺北市信義區松仁路100號", SHARED_DEMO_ACCOUNT),
    "gas@demo.tcloud.tw": ("黃順發", "07-311-2233", "高雄市三民區建工路200號",
                           SHARED_DEMO_ACCOUNT),
    "business@demo.tcloud.tw": ("林美玉", "06-222-3456", "臺南市中西區民族路二段50號",
                                "004-00056781234567"),
}


def create_contact_details(db: Session) -> None:
    from tcloud.accounts import contact

    for email, (name, phone, address, bank_account) in DEMO_CONTACTS.items():
        user = accounts.find_user_by_email(db, email)
        if user is not None:
            contact.update_contact_details(db, user=user, contact_name=name, phone=phone,
                                           address=address, bank_account=bank_account)
