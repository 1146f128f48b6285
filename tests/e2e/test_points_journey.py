"""A business in a real browser: apply for points with a proof, be granted, see the wallet."""

from datetime import timedelta

import pytest

from tcloud.accounts import services as accounts
from tcloud.db import get_session, transaction
from tcloud.points import programmes
from tcloud.points.applications import taipei_today
from tests.e2e.conftest import log_in
from tests.factories import next_valid_tax_id

pytestmark = pytest.mark.e2e
PASSWORD = "noodles every morning"


@pytest.fixture
def open_programme_and_business(live_app, live_admin):
    today = taipei_today()
    email = f"points-{next_valid_tax_id()}@noodles.example"
    with live_app.app_context(), transaction(get_session()) as db:
        admin = accounts.find_user_by_email(db, live_admin[0])
        programme = programmes.create_programme(db, admin=admin, reason="e2e", values=dict(
            name="雲市集數位轉型補助（瀏覽器測試）", points_per_grant=30_000,
            total_budget=3_000_000, opens_on=today - timedelta(days=1),
            closes_on=today + timedelta(days=60), points_expire_on=today + timedelta(days=365),
            allowed_entity_types=["company", "business_registration"], max_employees=10,
            grant_immediately=True, when_budget_short="refuse"))
        accounts.register_business(db, email=email, password=PASSWORD, company_name="阿美麵店",
                                   tax_id=next_valid_tax_id(), entity_type="company",
                                   employee_count=4, industry="food_beverage", city="tainan")
    return programme, email


def test_business_applies_is_granted_and_sees_the_movement(page, live_url, screenshot,
                                                          open_programme_and_business,
                                                          tmp_path):
    programme, email = open_programme_and_business
    proof = tmp_path / "登記證明.pdf"
    proof.write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    log_in(page, live_url, email, PASSWORD)

    page.goto(live_url + "/points")
    card = page.locator(".programme-card", has_text=programme.name)
    assert "3,000,000" in card.inner_text()  # the budget left, before starting
    card.locator("a.button-start").click()
    assert page.locator("#employee_count").input_value() == "4"  # from the profile
    screenshot(page, "points-apply-zh")

    # First a mistake: no proof and no confirmation. The page says so and keeps the answers.
    page.locator("#contact_name").fill("林美玉")
    page.locator("main button[type=submit]").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#proof']").count() == 1
    assert page.locator("#contact_name").input_value() == "林美玉"

    page.locator("#proof").set_input_files(str(proof))
    page.locator("#confirms_truth").check()
    page.locator("main button[type=submit]").click()
    assert "/points/applications/" in page.url
    assert page.locator(".tag-granted").is_visible()
    assert page.locator(".check-fail").count() == 0
    screenshot(page, "points-granted-zh")

    page.goto(live_url + "/points")
    page.locator(".card h3 a", has_text=programme.name).click()
    assert page.locator("#wallet-balance").inner_text() == "30,000"
    rows = page.locator("#movements tbody tr")
    assert rows.count() == 1
    assert "+30,000" in rows.first.inner_text() and programme.name in rows.first.inner_text()
    with page.expect_download() as download:
        page.locator("a[download]").click()
    assert download.value.suggested_filename.endswith(".csv")
    screenshot(page, "points-wallet-zh")
