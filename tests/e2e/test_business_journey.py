"""A small-business owner in a real browser: register, log out, log in, switch language."""

import pytest

from tests.factories import next_valid_tax_id

pytestmark = pytest.mark.e2e


def test_business_registers_logs_in_and_switches_language(page, live_url, screenshot):
    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    assert "30,000" in page.locator("h1").inner_text()
    screenshot(page, "home-zh")

    page.get_by_role("link", name="立即開始").click()
    page.get_by_role("link", name="想使用雲端工具的企業").click()

    # First a mistake: the page explains it and keeps what was typed.
    page.get_by_label("電子郵件").fill("owner@noodles.example")
    page.get_by_label("密碼").fill("short")
    page.get_by_label("企業登記名稱").fill("阿美麵店")
    page.get_by_label("統一編號").fill("12345678")
    page.get_by_role("button", name="建立帳號").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert "檢查碼" in summary.inner_text()
    assert page.get_by_label("企業登記名稱").input_value() == "阿美麵店"
    screenshot(page, "register-errors-zh")

    # Then correct it and finish.
    tax_id = next_valid_tax_id()
    page.get_by_label("密碼").fill("noodles every morning")
    page.get_by_label("統一編號").fill(tax_id)
    page.get_by_label("商業行號（獨資或合夥）").check()
    page.get_by_label("員工人數").fill("4")
    page.get_by_label("行業別").select_option("food_beverage")
    page.get_by_label("縣市").select_option("tainan")
    page.get_by_role("button", name="建立帳號").click()
    assert page.url.endswith("/dashboard")
    assert tax_id in page.content()

    page.get_by_role("button", name="登出").click()
    page.get_by_role("link", name="登入").first.click()
    page.get_by_label("電子郵件").fill("owner@noodles.example")
    page.get_by_label("密碼").fill("noodles every morning")
    page.get_by_role("button", name="登入").click()
    assert page.url.endswith("/dashboard")
    assert "阿美麵店" in page.locator("main").inner_text()

    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome, 阿美麵店" in page.locator("h1").inner_text()
    screenshot(page, "dashboard-en")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"  # the choice is remembered
    screenshot(page, "home-en-phone")
