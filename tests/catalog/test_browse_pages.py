"""Public catalogue pages through the client: list, search, facets, solution, vendor, compare."""

import pytest

from tcloud.catalog import reviews
from tcloud.catalog.models import Solution, SolutionReview


@pytest.fixture
def listed(db, factories):
    vendor = factories.approved_vendor(company_name="好好雲端股份有限公司")
    order = factories.listing(vendor)
    roster = factories.listing(vendor, category="business_management", name="排班小幫手",
                               summary="店員排班與打卡", description_md="手機打卡",
                               problems=["rostering"], free_trial_days=0)
    return vendor, order.solution_id, roster.solution_id


def test_list_page_shows_public_solutions_in_chinese(client, listed):
    page = client.get("/solutions").get_data(as_text=True)
    assert "快點餐 QR 點餐系統" in page and "排班小幫手" in page


def test_search_and_facets_live_in_the_url(client, listed):
    page = client.get("/solutions?q=排班").get_data(as_text=True)
    assert "排班小幫手" in page and "快點餐" not in page
    page = client.get("/solutions?category=online_store&free_trial=true").get_data(as_text=True)
    assert "快點餐" in page and "排班小幫手" not in page


def test_bad_filter_is_explained_not_crashed(client, listed):
    response = client.get("/solutions?employees=abc&price_max=-5")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "error-summary" in page


def test_solution_page_shows_plans_points_and_plain_sla(client, listed):
    _vendor, order_id, _roster = listed
    page = client.get(f"/solutions/{order_id}").get_data(as_text=True)
    assert "基本版" in page and "NT$12,000" in page
    assert "99.5%" in page  # availability in plain words
    assert "<h2>功能</h2>" in page  # Markdown rendered


def test_markdown_cannot_smuggle_script(client, factories):
    version = factories.listing(description_md="<script>alert(1)</script>\n\n"
                                               "[x](javascript:alert(1)) <style>p{}</style>")
    page = client.get(f"/solutions/{version.solution_id}").get_data(as_text=True)
    assert "<script>alert" not in page and "<style>p" not in page
    assert 'href="javascript:' not in page


def test_pending_solution_is_not_found(client, factories):
    version = factories.listing(approve=False)
    assert client.get(f"/solutions/{version.solution_id}").status_code == 404


def test_vendor_profile_lists_its_solutions(client, db, listed):
    vendor, _order, _roster = listed
    page = client.get(f"/vendors/{vendor.organisation_id}").get_data(as_text=True)
    assert "好好雲端股份有限公司" in page and "排班小幫手" in page


def test_unapproved_vendor_profile_is_not_found(client, factories):
    vendor = factories.vendor()
    assert client.get(f"/vendors/{vendor.organisation_id}").status_code == 404


def test_compare_marks_differences(client, listed):
    _vendor, order_id, roster_id = listed
    page = client.get(f"/compare?id={order_id}&id={roster_id}").get_data(as_text=True)
    assert page.count('class="differs"') >= 2  # category and support hours at least
    assert "快點餐" in page and "排班小幫手" in page


def test_compare_refuses_five(client, listed):
    response = client.get("/compare?id=1&id=2&id=3&id=4&id=5", follow_redirects=True)
    assert "最多" in response.get_data(as_text=True) or "at most four" in response.get_data(
        as_text=True)


def add_demo_review(db, solution_id, business, stars=4):
    review = SolutionReview(solution_id=solution_id, business_organisation_id=business.
                            organisation_id, author_id=business.id, stars=stars, body="好用")
    solution = db.get(Solution, solution_id)
    solution.rating_count += 1
    solution.rating_total += stars
    db.add_all([review, solution])
    db.commit()
    return review


def test_vendor_answers_once_and_admin_hides_with_reason(client, db, factories, login, listed):
    vendor, order_id, _roster = listed
    review = add_demo_review(db, order_id, factories.business())
    login(vendor)
    client.post(f"/reviews/{review.id}/reply", data={"text": "謝謝！", "solution_id": order_id})
    client.post(f"/reviews/{review.id}/reply", data={"text": "再一次", "solution_id": order_id})
    db.refresh(review)
    assert review.vendor_reply == "謝謝！"
    other = factories.approved_vendor()
    login(other)
    client.post(f"/reviews/{review.id}/reply", data={"text": "x", "solution_id": order_id})
    admin = factories.staff("admin")
    login(admin)
    response = client.post(f"/reviews/{review.id}/hide", data={"text": "", "solution_id":
                                                                order_id})
    db.refresh(review)
    assert review.hidden_reason is None and response.status_code == 302
    client.post(f"/reviews/{review.id}/hide", data={"text": "廣告", "solution_id": order_id})
    db.refresh(review)
    assert review.hidden_reason == "廣告"
    assert db.get(Solution, order_id).rating_count == 0


def test_nobody_reviews_without_an_activated_order(db, factories, listed):
    _vendor, order_id, _roster = listed
    from tcloud.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        reviews.add_review(db, business=factories.business(), solution_id=order_id,
                           order_id=1, stars=5, body="讚")


def test_review_allowed_for_an_activated_order_once(db, factories, listed):
    _vendor, order_id, _roster = listed
    business = factories.business()
    reviews.register_order_check(lambda session, org, solution, order: org ==
                                 business.organisation_id and order == 7)
    try:
        reviews.add_review(db, business=business, solution_id=order_id, order_id=7, stars=5,
                           body="出餐變快")
        from tcloud.errors import Conflict

        with pytest.raises(Conflict):
            reviews.add_review(db, business=business, solution_id=order_id, order_id=7,
                               stars=1, body="again")
        assert db.get(Solution, order_id).rating_total == 5
    finally:
        reviews.register_order_check(None)


def test_visitors_get_a_cached_page_until_the_catalogue_changes(client, db, factories, listed):
    vendor, order_id, _roster = listed
    first = client.get("/solutions").get_data(as_text=True)
    assert "Set-Cookie" not in client.get("/solutions").headers  # nothing personal in it
    assert client.get("/solutions").get_data(as_text=True) == first
    from tcloud.catalog import listings as listing_services

    listing_services.withdraw(db, vendor=vendor, solution_id=order_id, reason="停售")
    db.commit()
    assert "快點餐" not in client.get("/solutions").get_data(as_text=True)


def test_logged_in_people_get_a_fresh_page(client, factories, login, listed):
    login(factories.business(company_name="小草髮廊"))
    page = client.get("/solutions").get_data(as_text=True)
    assert "Test" in page or "小草髮廊" in page or "logout" in page
