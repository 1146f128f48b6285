"""A business in a real browser buys a plan: quote → contract → card part via localstripe.

The live server points at localstripe (started for the session); localstripe also delivers
its own signed webhook to the live server, which must find the order already placed by the
pay page's return and change nothing a second time.
"""

from __future__ import annotations

import time
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tcloud.accounts import services as accounts
from tcloud.db import get_session, transaction
from tcloud.points import applications, programmes
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import PLACED, Order, StripeEvent
from tests.e2e.conftest import log_in
from tests.factories import Factories, next_valid_tax_id
from tests.stripe_server import localstripe_url  # noqa: F401 - the session fixture

pytestmark = pytest.mark.e2e
PASSWORD = "noodles every morning"
WEBHOOK_SECRET = "whsec_tcloud_e2e"  # noqa: S105


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
def buyer_and_solution(live_app, live_admin):
    """A granted business with 4 employees, and a live solution with a NT$40,000 year plan."""
    today = taipei_today()
    email = f"buyer-{next_valid_tax_id()}@noodles.example"
    with live_app.app_context():
        db = get_session()
        factories = Factories(db)
        with transaction(db):
            admin = accounts.find_user_by_email(db, live_admin[0])
            programme = programmes.create_programme(db, admin=admin, reason="e2e", values=dict(
                name="雲市集補助（購買測試）", points_per_grant=30_000, total_budget=3_000_000,
                opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=60),
                points_expire_on=today + timedelta(days=365),
                allowed_entity_types=["company"], max_employees=10, grant_immediately=True,
                when_budget_short="refuse"))
        user = factories.business(email=email, password=PASSWORD, company_name="阿美麵店",
                                  employee_count=4)
        with transaction(db):
            import io
            from pathlib import Path

            from tcloud.uploads import services as uploads
            from tests.points.conftest import PDF

            proof = uploads.store_upload(
                db, stream=io.BytesIO(PDF), original_name="proof.pdf",
                owner_organisation_id=user.organisation_id, uploaded_by_id=user.id,
                purpose="registration_proof", allowed_kinds=("pdf",),
                folder=Path(live_app.config["TCLOUD_INSTANCE_DIR"]), field="proof")
            applications.apply(db, user=user, programme_id=programme.id,
                               answers=applications.Answers("company", 4, "林美玉"),
                               proof_upload_id=proof.id)
        version = factories.listing(name="快點餐 QR 點餐（購買測試）", plans=[{
            "name": "全店方案", "billing_period": "year", "price_ntd": 40_000,
            "list_price_ntd": 40_000, "seats": 4, "included": "兩台平板"}])
    return email, version.solution_id


def test_business_buys_a_plan_and_pays_the_card_part(page, live_app, live_url, screenshot,
                                                     stripe_for_live_app, buyer_and_solution):
    email, solution_id = buyer_and_solution
    log_in(page, live_url, email, PASSWORD)

    page.goto(f"{live_url}/solutions/{solution_id}")
    page.locator(f"a.button[href*='/solutions/{solution_id}/quote?plan=']").first.click()
    assert "/quote" in page.url
    assert "40,000" in page.locator("#quote-price").inner_text()
    assert "30,000" in page.locator("#quote-points").inner_text()
    assert "10,000" in page.locator("#quote-card").inner_text()
    page.locator("main form button[type=submit]").click()
    assert "/quotes/" in page.url
    screenshot(page, "buying-quote-zh")

    page.locator("a.button[href$='/contract']").click()
    assert "服務水準（SLA）" in page.locator("#contract-text").inner_text()
    assert "阿美麵店" in page.locator("#contract-text").inner_text()
    # Submitting without ticking the box is refused with the error tied to the box.
    page.locator("main form button[type=submit]").click()
    assert page.locator(".error-summary a[href='#accept']").count() == 1
    page.locator("#accept").check()
    screenshot(page, "buying-contract-zh")
    page.locator("main form button[type=submit]").first.click()
    assert page.url.endswith("/pay"), page.url
    assert "10,000" in page.locator("#card-amount").inner_text()
    screenshot(page, "buying-pay-zh")

    page.locator("#pay-button").click()
    assert "/orders/" in page.url and not page.url.endswith("/pay")
    assert page.locator("#order-status").inner_text() in (
        "已付款：等待廠商啟用", "Paid: waiting for the vendor to activate it")
    screenshot(page, "buying-order-placed-zh")

    page.goto(live_url + "/points")
    page.locator(".card h3 a", has_text="雲市集補助（購買測試）").click()
    assert page.locator("#wallet-balance").inner_text() == "0"
    rows = page.locator("#movements tbody tr")
    assert rows.count() == 2 and "-30,000" in rows.nth(1).inner_text()
    screenshot(page, "buying-wallet-hold-zh")

    # localstripe's own webhook arrives about a second later: recorded once, nothing moves.
    with live_app.app_context():
        db = get_session()
        order = db.execute(select(Order).where(Order.solution_id == solution_id)).scalar_one()
        assert order.status == PLACED and order.points_applied == 30_000
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            seen = db.execute(select(func.count()).select_from(StripeEvent).where(
                StripeEvent.order_id == order.id)).scalar_one()
            if seen:
                break
            db.rollback()
            time.sleep(0.3)
        assert seen == 1
        db.refresh(order)
        assert order.status == PLACED
