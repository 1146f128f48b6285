"""In real browsers: a buyer reports an incident on a subscription, the vendor sees it with
its countdown in support hours and responds, and the buyer reads the response."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from tcloud.clock import utcnow
from tcloud.db import get_session, transaction
from tcloud.points import applications, programmes
from tcloud.points.order_models import ACTIVE
from tcloud.uploads import services as uploads
from tests.e2e.conftest import log_in
from tests.factories import Factories
from tests.points.conftest import PDF, programme_values
from tests.points.order_factory import build_order
from tests.points.test_races import UPLOADS
from tests.sla.order_factory import snapshot_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def subscription(live_app):
    """A vendor's listing and a buyer's active order of it (as activation leaves it)."""
    with live_app.app_context(), transaction(get_session()) as db:
        factories = Factories(db)
        vendor = factories.approved_vendor(company_name="好點子雲端股份有限公司")
        version = factories.listing(vendor, name="好點子排班系統")
        values = programme_values(name="補助計畫（事故測試）", total_budget=300_000,
                                  opens_on=date.today() - timedelta(days=30))
        programme = programmes.create_programme(db, admin=factories.staff("admin"),
                                                values=values, reason="e2e")
        buyer = factories.business(company_name="小林髮廊")
        proof = uploads.store_upload(
            db, stream=io.BytesIO(PDF), original_name="p.pdf",
            owner_organisation_id=buyer.organisation_id, uploaded_by_id=buyer.id,
            purpose="registration_proof", allowed_kinds=("pdf",), folder=UPLOADS, field="proof")
        applications.apply(db, user=buyer, programme_id=programme.id,
                           answers=applications.Answers("company", 3, "林小姐"),
                           proof_upload_id=proof.id)
        order = build_order(db, buyer=buyer, version=version, programme=programme,
                            points=12_000)
        order.sla_snapshot = snapshot_of(version)
        order.status, order.activated_at = ACTIVE, utcnow() - timedelta(days=3)
        order.starts_on, order.ends_on = date.today() - timedelta(days=3), date.today() + \
            timedelta(days=362)
    return buyer.email, vendor.email, order.solution_name


def test_buyer_reports_an_incident_and_the_vendor_responds(browser, live_url, screenshot,
                                                           subscription):
    buyer_email, vendor_email, solution = subscription
    buyer_page = browser.new_context(locale="zh-TW").new_page()
    log_in(buyer_page, live_url, buyer_email, Factories.PASSWORD)
    buyer_page.goto(live_url + "/sla/incidents/new")
    buyer_page.locator("main button[type=submit]").click()  # nothing chosen: told what to do
    assert buyer_page.locator(".error-summary a[href='#severity']").count() == 1
    buyer_page.locator("#order_id").select_option(label=buyer_page.locator(
        "#order_id option", has_text=solution).inner_text())
    buyer_page.locator("#severity-high").check()
    buyer_page.locator("#description").fill("排班表打不開，員工無法查看明天的班")
    buyer_page.locator("main button[type=submit]").click()
    assert "/sla/incidents/" in buyer_page.url
    countdown = buyer_page.locator("#countdown").inner_text()
    assert countdown  # due time shown to the buyer too
    screenshot(buyer_page, "sla-incident-buyer-zh")
    incident_url = buyer_page.url

    vendor_page = browser.new_context(locale="zh-TW").new_page()
    log_in(vendor_page, live_url, vendor_email, Factories.PASSWORD)
    vendor_page.goto(live_url + "/sla/incidents")
    row = vendor_page.locator("tbody tr", has_text=solution).first
    assert row.is_visible()
    row.locator("a").first.click()
    vendor_page.locator("#note").fill("已收到，工程師正在檢查排班服務")
    screenshot(vendor_page, "sla-incident-vendor-zh")
    vendor_page.locator("main button[type=submit]").click()
    assert "已收到，工程師正在檢查排班服務" in vendor_page.locator("main").inner_text()

    buyer_page.goto(incident_url)
    assert "已收到，工程師正在檢查排班服務" in buyer_page.locator("main").inner_text()
    buyer_page.context.close()
    vendor_page.context.close()
