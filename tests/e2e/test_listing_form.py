"""The listing form in the browser: five plans and five tiers behind "More", a closing time of
24:00 typed into the hours table, and an unfinished draft saved and reopened."""

import pytest
from sqlmodel import select

from tcloud.catalog.listings import plans_of
from tcloud.catalog.models import Solution, SolutionVersion
from tcloud.db import get_session
from tests.e2e.conftest import log_in
from tests.e2e.test_catalogue_journey import fill_listing
from tests.factories import Factories

pytestmark = pytest.mark.e2e
TIERS = [("99", "20"), ("98", "30"), ("97", "40"), ("95", "50")]


@pytest.fixture(scope="module")
def vendor(live_app):
    with live_app.app_context():
        user = Factories(get_session()).approved_vendor(company_name="五方案科技有限公司")
        return user.email, user.organisation_id


def newest_version(live_app, organisation_id):
    with live_app.app_context():
        db = get_session()
        version = db.exec(select(SolutionVersion).join(Solution).where(
            Solution.vendor_organisation_id == organisation_id)
            .order_by(SolutionVersion.id.desc())).first()
        return version, plans_of(db, version.id)


def test_five_plans_five_tiers_and_24_00_from_the_browser(page, live_app, live_url, vendor,
                                                          screenshot):
    log_in(page, live_url, vendor[0], Factories.PASSWORD)
    page.goto(live_url + "/vendor/solutions/new")
    fill_listing(page, "99.5")
    page.locator("#name").fill("五方案點餐通")  # not the catalogue journey's name: same server
    page.locator("#sla-hours-mon-closes").fill("24:00")
    assert not page.locator("#plans-1-name").is_visible()  # behind "More plans"
    page.locator("#more-plans summary").click()
    for i in range(1, 5):
        page.locator(f"#plans-{i}-name").fill(f"方案{i + 1}")
        page.locator(f"#plans-{i}-billing_period").select_option("year")
        page.locator(f"#plans-{i}-price_ntd").fill(str(12000 + 1000 * i))
        page.locator(f"#plans-{i}-list_price_ntd").fill(str(12000 + 1000 * i))
        page.locator(f"#plans-{i}-seats").fill(str(5 * (i + 1)))
    page.locator("#more-tiers summary").click()
    for i, (below, credit) in enumerate(TIERS, start=1):
        page.locator(f"#sla-compensation_tiers-{i}-below_percent").fill(below)
        page.locator(f"#sla-compensation_tiers-{i}-credit_percent").fill(credit)
    screenshot(page, "listing-form-five-plans")
    page.locator("button[value=submit]").click()
    assert page.url.endswith("/vendor/solutions"), page.url
    version, plans = newest_version(live_app, vendor[1])
    assert version.state == "pending" and len(plans) == 5
    assert [t["credit_percent"] for t in version.compensation_tiers] == [10, 20, 30, 40, 50]
    assert {"day": "mon", "opens": "09:00", "closes": "24:00"} in version.support_windows
    page.goto(f"{live_url}/vendor/solutions/{version.solution_id}/edit")
    assert page.locator("#sla-hours-mon-closes").input_value() == "24:00"
    assert page.locator("#plans-4-name").is_visible()  # all five in use: all open


def test_an_unfinished_draft_is_saved_and_reopened(page, live_app, live_url, vendor):
    log_in(page, live_url, vendor[0], Factories.PASSWORD)
    page.goto(live_url + "/vendor/solutions/new")
    page.locator("#name").fill("還沒寫完的方案")
    page.locator("#plans-0-name").fill("入門版")
    page.locator("#plans-0-price_ntd").fill("3000")
    page.locator("button[value=draft]").click()
    assert page.url.endswith("/vendor/solutions"), page.url
    assert "還沒寫完的方案" in page.locator("main table").inner_text()
    version, _plans = newest_version(live_app, vendor[1])
    assert version.state == "draft" and version.draft_form is not None
    page.goto(f"{live_url}/vendor/solutions/{version.solution_id}/edit")
    assert page.locator("#plans-0-price_ntd").input_value() == "3000"
    page.locator("button[value=submit]").click()
    assert page.locator(".error-summary a[href='#category']").is_visible()
