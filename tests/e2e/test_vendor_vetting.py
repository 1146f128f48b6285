"""A vendor applies to be listed in the browser; an administrator asks for changes, approves."""

import pytest

from tests.e2e.conftest import log_in
from tests.factories import next_valid_tax_id

pytestmark = pytest.mark.e2e
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_vendor_is_vetted(page, live_url, live_admin, screenshot):
    page.goto(live_url + "/register/vendor")
    page.locator("#email").fill("sales@cloudpos.example")
    page.locator("#password").fill("cloud point of sale")
    page.locator("#company_name").fill("雲點科技股份有限公司")
    page.locator("#tax_id").fill(next_valid_tax_id())
    page.locator("#contact_name").fill("陳志豪")
    page.locator("main button[type=submit]").click()
    page.locator("main a.button").click()  # the dashboard's "apply to be listed"

    # A PNG passed off as a PDF, and a missing declaration: both explained, answers kept.
    page.locator("#paid_in_capital").fill("5000000")
    page.locator("#years_in_business").fill("8")
    page.locator("#paying_customers").fill("320")
    page.locator("#reference_customers").fill("阿美麵店")
    page.locator("#security_report").set_input_files(
        files=[{"name": "report.pdf", "mimeType": "application/pdf",
                "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 32}])
    for name in ("declares_no_tax_arrears", "declares_no_major_breach", "agrees_sla_minimums",
                 "agrees_no_inducements"):
        page.locator(f"#{name}").check()
    page.locator("main button[type=submit]").click()
    assert page.locator(".error-summary a[href='#security_report']").is_visible()
    assert page.locator(".error-summary a[href='#declares_not_prc_funded']").is_visible()
    assert page.locator("#reference_customers").input_value() == "阿美麵店"
    screenshot(page, "vendor-application-errors-zh")

    page.locator("#security_report").set_input_files(
        files=[{"name": "report.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.locator("#declares_not_prc_funded").check()
    page.locator("main button[type=submit]").click()
    assert page.locator(".tag-submitted").first.is_visible()
    page.locator("form[action='/logout'] button").click()

    admin_email, admin_password = live_admin
    log_in(page, live_url, admin_email, admin_password)
    page.goto(live_url + "/admin/vendors?status=submitted")
    page.get_by_role("link", name="雲點科技股份有限公司").click()
    for status, reason in (("under_review", "開始審核"), ("changes_requested", "請補充參考客戶")):
        page.locator(f"input[name=to_status][value={status}]").check()
        page.locator("#reason").fill(reason)
        page.locator("main form button[type=submit]").click()
    screenshot(page, "admin-vendor-detail-zh")
    page.locator("form[action='/logout'] button").click()

    log_in(page, live_url, "sales@cloudpos.example", "cloud point of sale")
    page.goto(live_url + "/vendor/application")
    assert "請補充參考客戶" in page.locator("main").inner_text()
    assert "審核員 林" in page.locator("main").inner_text()
    page.locator("#reference_customers").fill("阿美麵店\n小草髮廊")
    page.locator("main button[type=submit]").click()
    page.locator("form[action='/logout'] button").click()

    log_in(page, live_url, admin_email, admin_password)
    page.goto(live_url + "/admin/vendors?status=submitted")
    page.get_by_role("link", name="雲點科技股份有限公司").click()
    for status in ("under_review", "approved"):
        page.locator(f"input[name=to_status][value={status}]").check()
        page.locator("#reason").fill("資料齊全")
        page.locator("main form button[type=submit]").click()
    assert page.locator(".tag-approved").first.is_visible()
