"""Issue 3's path in the browser, in zh-TW: a vendor is vetted, publishes a solution with the
five SLA terms, an administrator approves it, and a business finds it by a Chinese search and
compares it with three others. Bad input is tried at the listing step."""

import pytest

from tcloud.db import database
from tests.e2e.conftest import log_in
from tests.factories import Factories, next_valid_tax_id

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
VENDOR_EMAIL, VENDOR_PASSWORD = "sales@qrorder.example", "qr order vendor pass"


@pytest.fixture(scope="module")
def others_and_buyer(live_app):
    """Three live ordering solutions from other vendors, and a business account."""
    with live_app.test_request_context():
        session = database(live_app).session(write=True)
        factories = Factories(session)
        for name, price in (("好點 QR 點餐", 9000), ("桌邊點餐王", 15000), ("點餐快手", 6000)):
            factories.listing(name=name, plans=[{
                "name": "標準", "billing_period": "year", "price_ntd": price,
                "list_price_ntd": price, "seats": 5}])
        buyer = factories.business(company_name="阿美麵店")
        email = buyer.email
        session.close()
    return email


def fill_listing(page, availability: str) -> None:
    page.locator("#category-online_store").check()
    page.locator("#name").fill("掃碼點餐通")
    page.locator("#summary").fill("客人掃 QR Code 點餐，廚房即時出單")
    page.locator("#description_md").fill("## 功能\n\n- 桌號點餐\n- 出單機")
    page.locator("#industries-food_beverage, #industries").first.check()
    page.locator("input[name=problems][value=online_ordering]").check()
    page.locator("#min_employees").fill("1")
    page.locator("#max_employees").fill("30")
    page.locator("#plans-0-name").fill("小店方案")
    page.locator("#plans-0-billing_period").select_option("year")
    page.locator("#plans-0-price_ntd").fill("12000")
    page.locator("#plans-0-list_price_ntd").fill("12000")
    page.locator("#plans-0-seats").fill("5")
    page.locator("#sla-availability_percent").fill(availability)
    for day in ("mon", "tue", "wed", "thu", "fri", "sat"):
        page.locator(f"#sla-hours-{day}-opens").fill("09:00")
        page.locator(f"#sla-hours-{day}-closes").fill("18:00")
    page.locator("input[name=sla-support_channels][value=line]").check()
    page.locator("#sla-compensation_tiers-0-below_percent").fill("99.5")
    page.locator("#sla-compensation_tiers-0-credit_percent").fill("10")
    page.locator("#sla-compensation_cap_percent").fill("50")
    page.locator("#sla-response_minutes").fill("120")
    page.locator("#sla-rpo_minutes").fill("240")
    page.locator("#free_trial_days").fill("14")
    page.locator("#health_url").fill("https://status.qrorder.example.tw/health")
    page.locator("#data_export_format").check()
    page.locator("#data_export_description").fill("後台一鍵匯出訂單 CSV")


def test_vendor_publishes_and_business_finds_and_compares(page, live_url, live_admin,
                                                          others_and_buyer, screenshot):
    # 1. A vendor registers and applies to be listed.
    page.goto(live_url + "/register/vendor")
    page.locator("#email").fill(VENDOR_EMAIL)
    page.locator("#password").fill(VENDOR_PASSWORD)
    page.locator("#company_name").fill("掃碼科技有限公司")
    page.locator("#tax_id").fill(next_valid_tax_id())
    page.locator("#contact_name").fill("林掃碼")
    page.locator("main button[type=submit]").click()
    page.goto(live_url + "/vendor/solutions/new")
    assert "/vendor/application" in page.content()  # not approved yet: sent to apply first
    page.goto(live_url + "/vendor/application")
    page.locator("#paid_in_capital").fill("3000000")
    page.locator("#years_in_business").fill("5")
    page.locator("#paying_customers").fill("150")
    page.locator("#reference_customers").fill("巷口咖啡")
    page.locator("#security_report").set_input_files(
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    for name in ("declares_no_tax_arrears", "declares_no_major_breach",
                 "declares_not_prc_funded", "agrees_sla_minimums", "agrees_no_inducements"):
        page.locator(f"#{name}").check()
    page.locator("main button[type=submit]").click()
    page.locator("form[action='/logout'] button").click()

    # 2. The administrator approves the vendor.
    admin_email, admin_password = live_admin
    log_in(page, live_url, admin_email, admin_password)
    page.goto(live_url + "/admin/vendors?status=submitted")
    page.get_by_role("link", name="掃碼科技有限公司").click()
    for status in ("under_review", "approved"):
        page.locator(f"input[name=to_status][value={status}]").check()
        page.locator("#reason").fill("資料齊全")
        page.locator("main form button[type=submit]").click()
    page.locator("form[action='/logout'] button").click()

    # 3. The vendor lists a solution; an availability below the minimum is refused by name.
    log_in(page, live_url, VENDOR_EMAIL, VENDOR_PASSWORD)
    page.goto(live_url + "/vendor/solutions/new")
    fill_listing(page, availability="98")
    page.locator("button[value=submit]").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "99" in summary.inner_text()
    assert page.locator("#name").input_value() == "掃碼點餐通"  # nothing typed is lost
    screenshot(page, "listing-form-errors-zh")
    page.locator("#sla-availability_percent").fill("99.5")
    page.locator("button[value=submit]").click()
    assert page.locator(".error-summary").count() == 0
    page.locator("form[action='/logout'] button").click()

    # 4. The administrator approves the listing.
    log_in(page, live_url, admin_email, admin_password)
    page.goto(live_url + "/admin/listings")
    page.get_by_role("link", name="掃碼點餐通", exact=True).click()
    page.locator("input[name=decision][value=approve]").check()
    page.locator("#reason").fill("條款符合規定")
    page.locator("main form button[type=submit]").click()
    page.locator("form[action='/logout'] button").click()

    # 5. A business finds it by a Chinese search and compares it with three others.
    log_in(page, live_url, others_and_buyer, Factories.PASSWORD)
    page.goto(live_url + "/solutions")
    page.locator("#q").fill("點餐")
    page.locator(".search-row button").click()
    assert "q=" in page.url  # the query lives in the URL
    results = page.locator(".result-title")
    titles = results.all_inner_texts()
    assert "掃碼點餐通" in titles and len(titles) >= 4
    screenshot(page, "catalogue-search-zh")
    # Ours and three others (other journeys share this server, so ours may not come first).
    ours = page.locator("li.result", has=page.get_by_role("link", name="掃碼點餐通", exact=True))
    ours.locator("input[form=compare-form]").check()
    others = [box for box in page.locator("input[form=compare-form]").all()
              if not box.is_checked()]
    for checkbox in others[:3]:
        checkbox.check()
    page.locator("#compare-form button").click()
    assert page.locator("table.compare thead th").count() == 5
    assert page.locator("tr.differs").count() >= 1
    screenshot(page, "catalogue-compare-zh")
    page.get_by_role("link", name="掃碼點餐通", exact=True).click()
    body = page.locator("main").inner_text()
    assert "99.5%" in body and "小店方案" in body
    screenshot(page, "solution-page-zh")
