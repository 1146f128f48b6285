"""The listing form offers as many plan and tier rows as the API accepts (MAX_PLANS,
MAX_TIERS), with only the rows in use and one empty row open and the rest behind "More"."""

import re

import pytest

from tcloud.catalog.listing_schemas import MAX_PLANS, MAX_TIERS
from tests.catalog.test_listing_pages import form_data


@pytest.fixture(autouse=True)
def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def vendor(factories, login):
    return login(factories.approved_vendor())


def open_and_more(html: str, pattern: str, more_id: str) -> tuple[list[int], list[int]]:
    """Row numbers shown open, and those inside the "more" disclosure."""
    rows = [int(n) for n in re.findall(pattern, html)]
    if f'id="{more_id}"' not in html:
        return rows, []
    start = html.index(f'id="{more_id}"')
    hidden = [int(n) for n in re.findall(pattern, html[start:html.index("</details>", start)])]
    return [n for n in rows if n not in hidden], hidden


def plan_rows(html):
    return open_and_more(html, r'name="plans-(\d)-name"', "more-plans")


def tier_rows(html):
    return open_and_more(html, r'name="sla-compensation_tiers-(\d)-credit_percent"',
                         "more-tiers")


def test_a_new_form_opens_one_row_and_keeps_the_rest_behind_more(client, vendor):
    html = client.get("/vendor/solutions/new").get_data(as_text=True)
    assert plan_rows(html) == ([0], list(range(1, MAX_PLANS)))
    assert tier_rows(html) == ([0], list(range(1, MAX_TIERS)))
    assert "More plans (up to 5 in all)" in html and "More tiers (up to 5 in all)" in html


def test_a_saved_listing_opens_its_rows_and_one_more(client, factories, vendor):
    version = factories.listing(vendor, plans=[
        {"name": name, "billing_period": "year", "price_ntd": 1000, "list_price_ntd": 1000,
         "seats": 5} for name in ("小", "大")])  # and two tiers (the factory's default)
    html = client.get(f"/vendor/solutions/{version.solution_id}/edit").get_data(as_text=True)
    assert plan_rows(html) == ([0, 1, 2], [3, 4])
    assert tier_rows(html) == ([0, 1, 2], [3, 4])


def test_five_plans_and_five_tiers_are_made_on_the_page_and_shown_open(client, db, vendor):
    plans = {f"plans-{i}-{part}": value for i in range(MAX_PLANS) for part, value in (
        ("name", f"方案{i + 1}"), ("billing_period", "year"), ("price_ntd", str(1000 * (i + 1))),
        ("list_price_ntd", str(1000 * (i + 1))), ("seats", "5"))}
    tiers = {f"sla-compensation_tiers-{i}-{part}": value
             for i, (below, credit) in enumerate(
                 [("99.5", "10"), ("99", "20"), ("98", "30"), ("97", "40"), ("95", "50")])
             for part, value in (("below_percent", below), ("credit_percent", credit))}
    response = client.post("/vendor/solutions/new", data=form_data(**plans, **tiers))
    assert response.status_code == 302, response.get_data(as_text=True)
    solution_id = int(re.search(r"/vendor/solutions/(\d+)/edit",
                                client.get("/vendor/solutions").get_data(as_text=True))[1])
    html = client.get(f"/vendor/solutions/{solution_id}/edit").get_data(as_text=True)
    assert plan_rows(html) == (list(range(MAX_PLANS)), [])
    assert tier_rows(html) == (list(range(MAX_TIERS)), [])
    assert 'id="more-plans"' not in html


def test_rows_typed_into_a_refused_form_stay_open(client, vendor):
    typed = {"plans-3-name": "第四方案", "plans-3-price_ntd": "abc"}
    html = client.post("/vendor/solutions/new", data=form_data(**typed)).get_data(as_text=True)
    assert plan_rows(html) == ([0, 1, 2, 3, 4], [])
    assert 'value="第四方案"' in html
