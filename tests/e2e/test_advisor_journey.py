"""The advisor in a real browser: a business fills the needs form (saving a draft first),
sees its diagnosis; a consultant claims the form, adds and reorders a solution, writes notes
and sends; the business reads the reasons and follows an item to its quote."""

import re

import pytest

from tcloud.db import database
from tests.e2e.conftest import log_in
from tests.factories import Factories

pytestmark = pytest.mark.e2e


@pytest.fixture
def advisor_world(live_app):
    session = database(live_app).session(write=True)
    try:
        make = Factories(session)
        vendor = make.approved_vendor()
        pos = make.listing(vendor, name="瀏覽器測試 POS 收銀")
        crm = make.listing(vendor, name="瀏覽器測試 會員 CRM", category="customer_service",
                           problems=["crm"])
        world = {"business": make.business(employee_count=4, industry="food_beverage",
                                           city="tainan").email,
                 "consultant": make.staff("consultant").email,
                 "pos": pos.solution_id, "crm": crm.solution_id}
    finally:
        session.close()
    return world


def _fill_needs_form(page):
    assert page.locator("#employees").input_value() == "4"  # from the profile
    page.locator("#sells").fill("牛肉麵")
    page.locator("#sales_channel").check()
    page.locator("input[name=problems][value=pos]").check()
    page.locator("#top_problem").select_option("pos")


def test_needs_form_to_consultant_to_quote(browser, page, live_url, advisor_world, screenshot):
    log_in(page, live_url, advisor_world["business"], Factories.PASSWORD)
    page.goto(live_url + "/advisor")
    page.locator("#start-form").click()
    _fill_needs_form(page)
    page.locator("#save-draft").click()  # a draft: no errors, answers kept
    assert page.locator(".error-summary").count() == 0
    assert page.locator("#sells").input_value() == "牛肉麵"
    page.locator("#submit-form").click()  # the readiness questions are still unanswered
    summary = page.locator(".error-summary")
    assert summary.locator("a[href='#readiness-data_digitised']").count() == 1
    for group in page.locator("fieldset:has(input[name^='readiness-'])").all():
        group.locator("input[type=radio]").nth(1).check()
    screenshot(page, "advisor-form-zh")
    page.locator("#submit-form").click()
    assert re.search(r"/advisor/forms/\d+/diagnosis$", page.url), page.url
    form_url = page.url.removesuffix("/diagnosis")
    assert page.locator("#readiness-index").is_visible()
    screenshot(page, "advisor-diagnosis-zh")

    adviser = browser.new_context(locale="zh-TW").new_page()
    log_in(adviser, live_url, advisor_world["consultant"], Factories.PASSWORD)
    adviser.goto(live_url + "/advisor/queue")
    adviser.locator("[id^=claim-]").last.click()
    adviser.locator("#q").fill("會員 CRM")
    adviser.locator("#search-catalogue").click()
    adviser.locator(f"#add-{advisor_world['crm']}").click()
    crm_item = adviser.locator(f"#item-{advisor_world['crm']}")
    crm_item.locator("button[value^='up:']").click()  # the consultant puts it first
    adviser.locator(f"#item-{advisor_world['pos']} textarea").fill("先把收銀和發票搞定")
    adviser.locator("#overall_note").fill("一個月後再加會員集點")
    screenshot(adviser, "advisor-review-zh")
    adviser.locator("#send-review").click()
    assert adviser.url.endswith("/advisor/queue")
    adviser.context.close()

    page.goto(form_url + "/recommendation")
    assert "一個月後再加會員集點" in page.locator("#overall-note").inner_text()
    items = page.locator("article.result")
    assert items.first.get_attribute("id") == f"item-{advisor_world['crm']}"
    pos_item = page.locator(f"#item-{advisor_world['pos']}")
    assert "先把收銀和發票搞定" in pos_item.inner_text()
    pos_item.locator("summary").click()
    assert pos_item.locator("table").is_visible()  # the reasons, factor by factor
    screenshot(page, "advisor-recommendation-zh")
    pos_item.locator("a.button").click()
    assert f"/solutions/{advisor_world['pos']}/quote?plan=" in page.url
