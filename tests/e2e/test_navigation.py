"""The main menu in a real browser: grouped for administrators and vendors, flat for businesses.

For each of the three roles, on a desktop (1280 px) and a phone (375 px) and in both languages:
the page never scrolls sideways, a group opens from the keyboard, its links are visible and
inside the window, Escape closes it and gives focus back, and the page reached is marked as
the current one. Screenshots (with a group open) go to tests/e2e/screenshots/nav-*.png.
"""

from __future__ import annotations

import pytest

from tcloud.db import get_session
from tests.e2e.conftest import log_in
from tests.factories import Factories

pytestmark = pytest.mark.e2e
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 375, "height": 800}}
# The group opened for the screenshot and the keyboard check, and a page in it.
OPENED = {"admin": ("sla", "/admin/sla/holidays"), "vendor": ("orders", "/vendor/statements"),
          "business": (None, "/points")}


@pytest.fixture(scope="module")
def people(live_app):
    with live_app.app_context():
        factories = Factories(get_session())
        return {"admin": factories.staff("admin", display_name="林審核").email,
                "vendor": factories.approved_vendor(company_name="雲點科技股份有限公司").email,
                "business": factories.business(company_name="阿美麵店").email}


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def menu_rows(page) -> int:
    """How many lines the top level of the menu takes."""
    return page.evaluate("""new Set(Array.from(document.querySelectorAll('.menu > li'))
        .map(li => Math.round(li.getBoundingClientRect().top))).size""")


@pytest.mark.parametrize("locale", ["zh_TW", "en"])
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("role", ["admin", "vendor", "business"])
def test_the_menu_fits_opens_from_the_keyboard_and_marks_the_page(
        browser, live_url, people, screenshot, role, viewport, locale):
    context = browser.new_context(locale="zh-TW", viewport=VIEWPORTS[viewport])
    page = context.new_page()
    try:
        log_in(page, live_url, people[role], Factories.PASSWORD)
        page.request.post(live_url + "/language", form={"locale": locale, "next": "/"})
        group, target = OPENED[role]
        page.goto(live_url + target)
        assert page.locator("html").get_attribute("lang") == (
            "en" if locale == "en" else "zh-Hant-TW")
        assert horizontal_overflow(page) <= 0
        if viewport == "desktop":
            assert menu_rows(page) == 1  # no wrapping onto several lines
        current = page.locator(f'.site-nav a[href="{target}"]')
        assert current.get_attribute("aria-current") == "page"
        if group is None:
            assert page.locator(".site-nav details").count() == 0  # a short flat menu
            screenshot(page, f"nav-{role}-{viewport}-{locale}")
            return
        summary = page.locator(f"#menu-{group} summary")
        assert summary.get_attribute("aria-current") == "true"  # "you are in this group"
        assert not current.is_visible()  # closed until asked
        summary.focus()
        page.keyboard.press("Enter")
        assert current.is_visible()
        box = current.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
        assert horizontal_overflow(page) <= 0
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('details').id") == f"menu-{group}"
        screenshot(page, f"nav-{role}-{viewport}-{locale}")
        page.keyboard.press("Escape")
        assert not current.is_visible()
        assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    finally:
        context.close()


def test_opening_one_group_closes_the_other(browser, live_url, people):
    context = browser.new_context(locale="zh-TW", viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    try:
        log_in(page, live_url, people["admin"], Factories.PASSWORD)
        page.locator("#menu-vetting summary").click()
        assert page.locator("#menu-vetting").get_attribute("open") is not None
        page.locator("#menu-system summary").click()
        assert page.locator("#menu-vetting").get_attribute("open") is None
        page.locator("main h1").click()  # a click outside closes it too
        assert page.locator("#menu-system").get_attribute("open") is None
    finally:
        context.close()
