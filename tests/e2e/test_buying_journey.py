"""One business's whole purchase in real browsers, every step through the pages.

Sign up → apply for points with a registration proof → an administrator grants them from the
queue → a quote for a plan dearer than the points → the contract → the card part on the pay
page (localstripe) → the vendor, in its own browser, activates the order with sign-in details
→ the buyer reads them and confirms the service is in use → a month later the release job
pays the vendor its second month → the wallet shows exactly the movements the ledger holds.

The live server points at localstripe (started for the session); localstripe also delivers
its own signed webhook to the live server, which must find the order already placed by the
pay page's return and change nothing a second time.
"""

from __future__ import annotations

import re
import time
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tcloud.accounts import services as accounts
from tcloud.db import get_session, transaction
from tcloud.points import ledger, programmes, releases
from tcloud.points import models as m
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ACTIVE, Order, StripeEvent
from tests.e2e.conftest import log_in
from tests.factories import SAMPLE_PDF, Factories, next_valid_tax_id
from tests.stripe_server import localstripe_url  # noqa: F401 - the session fixture

pytestmark = pytest.mark.e2e
PASSWORD = "noodles every morning"
WEBHOOK_SECRET = "whsec_tcloud_e2e"  # noqa: S105
PROGRAMME = "雲市集補助（購買旅程）"
SOLUTION = "快點餐 QR 點餐（購買旅程）"
SIGN_IN_DETAILS = "登入網址：https://pos.example/login\n帳號：owner\n首次登入請變更密碼"
# The wallet's words for each movement, as a zh-TW reader sees them.
MOVEMENT_WORDS = {"grant": "核發補助點數", "hold": "訂單保留點數"}


@pytest.fixture
def stripe_for_live_app(live_app, live_url, localstripe_url, monkeypatch):  # noqa: F811
    monkeypatch.setitem(live_app.config, "TCLOUD_STRIPE_API_BASE", localstripe_url)
    monkeypatch.setitem(live_app.config, "TCLOUD_STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    form = urllib.parse.urlencode({"url": f"{live_url}/stripe/webhook",
                                   "secret": WEBHOOK_SECRET}).encode()
    urllib.request.urlopen(f"{localstripe_url}/_config/webhooks/e2e", data=form,  # noqa: S310
                           timeout=5).close()
    return localstripe_url


@pytest.fixture
def reviewed_programme_and_listing(live_app, live_admin):
    """A programme whose grants an administrator approves, and a NT$40,000 year plan."""
    today = taipei_today()
    with live_app.app_context():
        db = get_session()
        with transaction(db):
            admin = accounts.find_user_by_email(db, live_admin[0])
            programmes.create_programme(db, admin=admin, reason="e2e", values=dict(
                name=PROGRAMME, points_per_grant=30_000, total_budget=3_000_000,
                opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=60),
                points_expire_on=today + timedelta(days=365),
                allowed_entity_types=["company"], max_employees=10, grant_immediately=False,
                when_budget_short="refuse"))
        factories = Factories(db)
        vendor = factories.approved_vendor(company_name="快點餐雲端股份有限公司")
        factories.listing(vendor, name=SOLUTION, plans=[{
            "name": "全店方案", "billing_period": "year", "price_ntd": 40_000,
            "list_price_ntd": 40_000, "seats": 4, "included": "兩台平板"}])
    return vendor.email


@pytest.fixture
def new_page(browser):
    """Pages in separate browser contexts (one per person), closed at the end."""
    contexts = []

    def make():
        context = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def sign_up(page, live_url: str, email: str, tax_id: str) -> None:
    page.goto(live_url + "/register/business")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#company_name").fill("阿美麵店")
    page.locator("#tax_id").fill(tax_id)
    page.locator("input[name=entity_type][value=company]").check()
    page.locator("#employee_count").fill("4")
    page.locator("#industry").select_option("food_beverage")
    page.locator("#city").select_option("tainan")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/dashboard")


def apply_for_points(page, live_url: str, proof_path) -> str:
    """Through the programme card on the points page; the application page's address."""
    page.goto(live_url + "/points")
    page.locator(".programme-card", has_text=PROGRAMME).locator("a.button-start").click()
    assert page.locator("#employee_count").input_value() == "4"  # from the profile
    page.locator("#contact_name").fill("林美玉")
    page.locator("#proof").set_input_files(str(proof_path))
    page.locator("#confirms_truth").check()
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/points/applications/\d+$"))
    assert page.locator(".tag-pending_review").inner_text() == "等待管理員審核"
    return page.url


def grant_from_the_queue(page, live_url: str, admin: tuple[str, str], tax_id: str) -> None:
    log_in(page, live_url, *admin)
    page.goto(live_url + "/admin/points/applications?status=pending_review")
    row = page.locator("tbody tr", has_text=tax_id)
    assert PROGRAMME in row.inner_text()
    row.locator("a").click()
    assert page.locator("h1").inner_text() == "阿美麵店"
    page.locator("input[name=decision][value=approve]").check()
    page.locator("#reason").fill("登記證明與統一編號相符")
    page.locator("main form button[type=submit]").click()
    assert page.locator("main .tag-granted").inner_text() == "已核發點數"


def buy_and_pay(page, live_url: str) -> int:
    """Quote → contract → card part; the order's id."""
    page.goto(live_url + "/solutions")
    page.locator("#q").fill(SOLUTION)
    page.locator("#q").press("Enter")
    page.get_by_role("link", name=SOLUTION).first.click()
    page.locator("a.button[href*='/quote?plan=']").first.click()
    assert "40,000" in page.locator("#quote-price").inner_text()
    assert "30,000" in page.locator("#quote-points").inner_text()
    assert "10,000" in page.locator("#quote-card").inner_text()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/quotes/\d+$"))

    page.locator("a.button[href$='/contract']").click()
    contract = page.locator("#contract-text").inner_text()
    assert "服務水準（SLA）" in contract and "阿美麵店" in contract
    # Submitting without ticking the box is refused with the error tied to the box.
    page.locator("main form button[type=submit]").first.click()
    assert page.locator(".error-summary a[href='#accept']").count() == 1
    page.locator("#accept").check()
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/pay")
    assert "10,000" in page.locator("#card-amount").inner_text()

    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r".*/orders/\d+$"))
    assert page.locator("#order-status").inner_text() == "已付款：等待廠商啟用"
    assert "NT$10,000" in page.locator("#order-amounts").inner_text()
    return int(page.url.rsplit("/", 1)[1])


def activate_as_vendor(page, live_url: str, vendor_email: str, buyer_email: str) -> None:
    log_in(page, live_url, vendor_email, Factories.PASSWORD)
    page.goto(live_url + "/vendor/orders")
    row = page.locator("#vendor-orders tbody tr", has_text=SOLUTION)
    assert "已付款：等待廠商啟用" in row.inner_text()
    assert buyer_email not in row.inner_text()  # masked in the list
    row.locator("a").first.click()
    contact = page.locator("#buyer-contact").inner_text()
    assert buyer_email in contact  # in full on the order page
    assert "林美玉" in contact  # the contact person named on the points application
    page.locator("#notes").fill(SIGN_IN_DETAILS)
    page.locator("form[action$='/activate'] button[type=submit]").click()
    assert page.locator("#order-status").inner_text() == "使用中"
    assert page.locator("#activation-notes").inner_text() == SIGN_IN_DETAILS  # lines kept
    assert "尚未確認" in page.locator("main").inner_text()  # use not yet confirmed by the buyer


def wallet_of(live_app, order_id: int):
    """The buyer's wallet account and every row the ledger holds for it."""
    with live_app.app_context():
        db = get_session()
        order = db.get(Order, order_id)
        wallet = db.execute(select(m.LedgerAccount).where(
            m.LedgerAccount.kind == m.WALLET,
            m.LedgerAccount.organisation_id == order.organisation_id)).scalar_one()
        return wallet.balance, ledger.statement(db, wallet.id)


def assert_wallet_page_shows_the_ledger(page, live_url: str, live_app, order_id: int) -> None:
    balance, rows = wallet_of(live_app, order_id)
    # The ledger itself: the grant in, the hold out, nothing else (capture leaves escrow,
    # not the wallet), and a balance that is the sum of its rows.
    assert [(row.kind, row.amount, row.balance_after) for row in rows] == [
        ("grant", 30_000, 30_000), ("hold", -30_000, 0)]
    assert balance == sum(row.amount for row in rows) == 0

    page.goto(live_url + "/points")
    page.locator(".card h3 a", has_text=PROGRAMME).click()
    assert page.locator("#wallet-balance").inner_text() == "0"
    shown = page.locator("#movements tbody tr")
    assert shown.count() == len(rows)
    for index, row in enumerate(rows):
        cells = shown.nth(index).locator("td").all_inner_texts()
        assert cells[1:] == [MOVEMENT_WORDS[row.kind], row.description,
                             f"{row.amount:+,}", f"{row.balance_after:,}"]
    assert PROGRAMME in shown.nth(0).inner_text()  # the grant names the programme


def assert_webhook_recorded_once(live_app, order_id: int) -> None:
    """localstripe's own webhook arrives about a second after payment: recorded once."""
    with live_app.app_context():
        db = get_session()
        deadline = time.monotonic() + 10
        while True:
            seen = db.execute(select(func.count()).select_from(StripeEvent).where(
                StripeEvent.order_id == order_id)).scalar_one()
            if seen or time.monotonic() > deadline:
                break
            db.rollback()
            time.sleep(0.3)
        assert seen == 1


def release_next_month(live_app, order_id: int) -> None:
    """The daily release job's own function for this order, run as if a month had passed."""
    with live_app.app_context(), transaction(get_session()) as db:
        order = db.get(Order, order_id)
        assert releases.release_order(db, order_id,
                                      releases.add_months(order.starts_on, 1)) == 2_500


def test_business_buys_from_sign_up_to_confirmed_use(
        new_page, live_app, live_url, live_admin, screenshot, stripe_for_live_app,
        reviewed_programme_and_listing, tmp_path):
    vendor_email = reviewed_programme_and_listing
    tax_id = next_valid_tax_id()
    buyer_email = f"owner-{tax_id}@noodles.example"
    proof = tmp_path / "登記證明.pdf"
    proof.write_bytes(SAMPLE_PDF)

    buyer = new_page()
    sign_up(buyer, live_url, buyer_email, tax_id)
    application_url = apply_for_points(buyer, live_url, proof)
    screenshot(buyer, "journey-1-applied")

    admin = new_page()
    grant_from_the_queue(admin, live_url, live_admin, tax_id)
    screenshot(admin, "journey-2-granted-by-admin")

    buyer.goto(application_url)
    assert buyer.locator("main .tag-granted").inner_text() == "已核發點數"
    assert "登記證明與統一編號相符" in buyer.locator("main").inner_text()
    order_id = buy_and_pay(buyer, live_url)
    screenshot(buyer, "journey-3-order-placed")
    assert_webhook_recorded_once(live_app, order_id)

    vendor = new_page()
    activate_as_vendor(vendor, live_url, vendor_email, buyer_email)
    screenshot(vendor, "journey-4-vendor-activated")

    buyer.reload()
    assert buyer.locator("#order-status").inner_text() == "使用中"
    assert buyer.locator("#activation-notes").inner_text() == SIGN_IN_DETAILS  # lines kept
    buyer.get_by_role("button", name="是，我們正在使用").click()
    assert "您已於" in buyer.locator("#aftercare").inner_text()
    assert "2,500" in buyer.locator("#order-releases").inner_text()  # month 1 of 12

    release_next_month(live_app, order_id)
    buyer.reload()
    assert buyer.locator("#order-releases li").count() == 2
    amounts = buyer.locator("#order-amounts").inner_text()
    assert "25,000" in amounts and "5,000" in amounts  # still in escrow, paid to the vendor
    screenshot(buyer, "journey-5-in-use")
    vendor.reload()
    released = vendor.locator("main dl div", has_text="已撥付給您的點數").inner_text()
    assert released.endswith("5,000")

    assert_wallet_page_shows_the_ledger(buyer, live_url, live_app, order_id)
    screenshot(buyer, "journey-6-wallet")
    with live_app.app_context():
        order = get_session().get(Order, order_id)
        assert (order.status, order.points_applied, order.points_released,
                order.card_amount_ntd) == (ACTIVE, 30_000, 5_000, 10_000)
