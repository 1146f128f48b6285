"""Review signals: shared details, sign-ups from one address, quick exits; and what is not."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tcloud.accounts import contact
from tcloud.accounts.models import Organisation, User
from tcloud.catalog.models import SolutionPlan
from tcloud.clock import utcnow
from tcloud.points import review_signals as rs
from tcloud.points.models import LedgerTransaction
from tcloud.points.order_models import ACTIVE, TERMINATED, Order, OrderRelease
from tcloud.points.review_signal_views import reason_of


@pytest.fixture
def sale(db, factories):
    """make(buyer=None, status=ACTIVE) -> an order between one vendor and a buyer."""
    version = factories.listing()
    plan = db.exec(select(SolutionPlan).where(SolutionPlan.version_id == version.id)).first()
    vendor_org = db.get(Organisation, db.get(User, version.created_by_id).organisation_id)
    serial = iter(range(1, 1000))

    def make(buyer=None, status=ACTIVE) -> Order:
        buyer = buyer or factories.business()
        n = next(serial)
        order = Order(
            reference=f"TC-T{n:05d}-{buyer.id}", organisation_id=buyer.organisation_id,
            vendor_organisation_id=vendor_org.id, solution_id=version.solution_id,
            version_id=version.id, plan_id=plan.id, solution_name=version.name,
            plan_name=plan.name, billing_period=plan.billing_period, seats=plan.seats,
            term_months=12, price_ntd=12_000, points_applied=0, card_amount_ntd=12_000,
            sla_snapshot={}, contract_version=1, contract_text="合約", contract_sha256="0" * 64,
            accepted_by_id=buyer.id, accepted_at=utcnow(), status=status)
        db.add(order)
        db.commit()
        return order

    make.vendor_org = vendor_org
    return make


def kinds(db) -> list[str]:
    return [signal.kind for signal in rs.review_signals(db)]


def test_nothing_stands_out_in_an_ordinary_sale(db, sale):
    sale()
    assert kinds(db) == []


def test_a_vendor_and_a_buyer_sharing_a_phone_address_and_domain(db, factories, sale):
    buyer = factories.business(email="owner@amei-noodles.tw")
    factories.vendor(email="sales@amei-noodles.tw")  # another account of the same domain...
    db.add(User(email="rep@amei-noodles.tw", password_hash="x", role="vendor",
                display_name="rep", organisation_id=sale.vendor_org.id))  # ...on the vendor
    buyer_org = db.get(Organisation, buyer.organisation_id)
    for organisation in (buyer_org, sale.vendor_org):
        organisation.phone, organisation.address = "0223456789", "臺北市信義區市府路1號"
    order = sale(buyer)
    signals = rs.review_signals(db)
    assert [s.kind for s in signals] == [rs.SHARED_PHONE, rs.SHARED_ADDRESS,
                                         rs.SHARED_EMAIL_DOMAIN]
    assert all(s.order_references == (order.reference,) for s in signals)
    assert reason_of(signals[0]) == ("The vendor and the buyer give the same phone number "
                                     "(0223456789).")


def _save_bank_account(db, user: User, typed: str) -> None:
    contact.update_contact_details(db, user=user, contact_name="聯絡人", phone="", address="",
                                   bank_account=typed)
    db.commit()


def test_a_vendor_and_its_buyer_giving_one_bank_account(db, factories, sale):
    """The vendor's settlement account is the buyer's refund account, typed differently."""
    vendor_user = db.exec(select(User).where(
        User.organisation_id == sale.vendor_org.id)).first()
    _save_bank_account(db, vendor_user, "812-00012345678901")
    colluding, unrelated = factories.business(), factories.business()
    _save_bank_account(db, colluding, "812 0001 2345 678901")
    _save_bank_account(db, unrelated, "700-00098765432109")
    # The same account on a business that never bought from this vendor is nobody's pair.
    _save_bank_account(db, factories.business(), "８１２０００１２３４５６７８９０１")
    order = sale(colluding)
    sale(unrelated)
    signals = rs.review_signals(db)
    assert [(s.kind, s.buyers, s.order_references) for s in signals] == [
        (rs.SHARED_BANK_ACCOUNT, ((colluding.organisation_id, "測試麵店"),), (order.reference,))]
    assert reason_of(signals[0]) == ("The vendor and the buyer give the same bank account "
                                     "(812-00012345678901).")


def test_public_mail_providers_are_not_a_signal(db, factories, sale):
    buyer = factories.business(email="amei@gmail.com")
    db.add(User(email="rep@gmail.com", password_hash="x", role="vendor", display_name="rep",
                organisation_id=sale.vendor_org.id))
    sale(buyer)
    assert kinds(db) == []


def test_three_buyers_of_one_vendor_registered_from_one_address_on_one_day(db, factories,
                                                                         sale):
    buyers = [factories.business() for _ in range(3)]
    for buyer in buyers[:2]:
        buyer.registered_ip = "203.0.113.7"
        sale(buyer)
    sale(factories.business())
    assert kinds(db) == []  # two are a coincidence
    buyers[2].registered_ip = "203.0.113.7"
    sale(buyers[2])
    signals = rs.review_signals(db)
    assert [s.kind for s in signals] == [rs.SAME_IP_SIGNUPS]
    assert len(signals[0].buyers) == 3 and signals[0].value.startswith("203.0.113.7 (")


def _first_capture(db, order, days_ago: int) -> None:
    when = utcnow() - timedelta(days=days_ago)
    transaction = LedgerTransaction(idempotency_key=f"capture:{order.reference}:1",
                                    kind="capture", description="test", created_at=when)
    db.add(transaction)
    db.flush()
    db.add(OrderRelease(order_id=order.id, vendor_organisation_id=order.vendor_organisation_id,
                        month_index=1, points=1000, released_on=when.date(),
                        transaction_id=transaction.id, created_at=when))
    db.commit()


def test_an_order_ended_soon_after_the_first_capture(db, sale):
    quick, slow = sale(status=TERMINATED), sale(status=TERMINATED)
    _first_capture(db, quick, days_ago=5)
    _first_capture(db, slow, days_ago=60)
    quick.reported_unused_at = utcnow()
    slow.reported_unused_at = utcnow()
    db.commit()
    signals = rs.review_signals(db)
    assert [(s.kind, s.order_references, s.value) for s in signals] == [
        (rs.QUICK_TERMINATION, (quick.reference,), "5")]


def test_a_refund_soon_after_the_first_capture(db, sale):
    order = sale()
    _first_capture(db, order, days_ago=3)
    db.add(LedgerTransaction(idempotency_key=f"refund:{order.reference}:1", kind="refund",
                             description="test"))
    db.commit()
    assert kinds(db) == [rs.QUICK_REFUND]


def test_the_page_and_the_api_are_for_administrators(client, db, factories, login, sale):
    buyer = factories.business()
    buyer_org = db.get(Organisation, buyer.organisation_id)
    buyer_org.phone = sale.vendor_org.phone = "0223456789"
    sale(buyer)
    login(factories.staff("admin"))
    client.post("/language", data={"locale": "en"})
    page = client.get("/admin/review-signals").get_data(as_text=True)
    assert "same phone number (0223456789)" in page
    data = client.get("/api/v1/admin/review-signals").get_json()
    assert [item["kind"] for item in data] == [rs.SHARED_PHONE]
    assert data[0]["buyers"][0]["id"] == buyer.organisation_id
