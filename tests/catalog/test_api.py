"""The catalogue API: public reads see only what is public; vendors manage only their own."""

import pytest

from tcloud.catalog import browse, listings, vetting
from tcloud.catalog.models import Solution
from tests.factories import listing_payload

API = "/api/v1"
PROBLEM = "application/problem+json"


def names(response):
    assert response.status_code == 200, response.get_json()
    return [item["name"] for item in response.get_json()["items"]]


# --- taxonomy --------------------------------------------------------------------------------

def test_categories_with_counts_in_the_request_language(client, catalogue):
    items = client.get(f"{API}/categories").get_json()["items"]
    assert [item["code"] for item in items][:2] == ["marketing", "online_store"]
    counts = {item["code"]: item["solution_count"] for item in items}
    assert counts["online_store"] == 1 and counts["marketing"] == 0
    client.post("/language", data={"locale": "en"})
    labels = {item["code"]: item["label"] for item in client.get(f"{API}/categories")
              .get_json()["items"]}
    assert labels["marketing"] == "Marketing"


def test_problem_taxonomy(client):
    items = client.get(f"{API}/problems").get_json()["items"]
    rostering = next(item for item in items if item["code"] == "rostering")
    assert rostering["category"] == "business_management" and rostering["label"]


# --- the public list -------------------------------------------------------------------------

def test_list_items_carry_the_list_fields(client, catalogue):
    body = client.get(f"{API}/solutions?sort=price_asc").get_json()
    assert (body["total"], body["page"], body["pages"]) == (3, 1, 1)
    assert body["page_size"] == browse.PAGE_SIZE and body["close_matches"] is False
    assert body["category_counts"] == {"online_store": 1, "business_management": 1,
                                       "remote_work": 1}
    roster = body["items"][0]
    assert roster["name"] == "排班小幫手" and roster["yearly_price_from"] == 6000
    assert roster["vendor"]["name"] == "好好雲端股份有限公司"
    assert roster["rating"] == {"average": None, "count": 0}
    assert roster["weekend_support"] is False and roster["free_trial_days"] == 0
    assert roster["availability_percent"] == 99.9 and roster["renewal_rate_percent"] is None


@pytest.mark.parametrize(("query", "expected"), [
    ("category=remote_work", {"簽好簽"}),
    ("industry=retail", {"排班小幫手"}),
    ("employees=100", {"簽好簽"}),
    ("price_min=20000", {"簽好簽"}),
    ("price_max=7000", {"排班小幫手"}),
    ("weekend=true", {"快點餐 QR 點餐系統", "簽好簽"}),
    ("free_trial=1", {"快點餐 QR 點餐系統", "簽好簽"}),
    ("availability_min=99.9", {"排班小幫手"}),
    ("rating_min=4", {"簽好簽"}),
    ("q=點餐", {"快點餐 QR 點餐系統"}),
    ("q=電子簽章&category=remote_work", {"簽好簽"}),
])
def test_each_filter(client, db, catalogue, query, expected):
    rated = db.get(Solution, catalogue["sign"])
    rated.rating_count, rated.rating_total = 2, 9
    db.add(rated)
    db.commit()
    assert set(names(client.get(f"{API}/solutions?{query}"))) == expected


def test_sorting_and_rating_average(client, db, catalogue):
    rated = db.get(Solution, catalogue["sign"])
    rated.rating_count, rated.rating_total = 2, 9
    db.add(rated)
    db.commit()
    body = client.get(f"{API}/solutions?sort=rating").get_json()
    assert body["items"][0]["rating"] == {"average": 4.5, "count": 2}
    assert names(client.get(f"{API}/solutions?sort=price_desc"))[0] == "簽好簽"


def test_chinese_search_and_close_matches(client, catalogue):
    assert names(client.get(f"{API}/solutions?q=點餐")) == ["快點餐 QR 點餐系統"]
    close = client.get(f"{API}/solutions?q=點菜系統").get_json()
    assert close["close_matches"] is True and close["items"][0]["name"] == "快點餐 QR 點餐系統"


def test_pagination_fields(client, monkeypatch, catalogue):
    monkeypatch.setattr(browse, "PAGE_SIZE", 2)
    first = client.get(f"{API}/solutions?sort=price_asc").get_json()
    assert (first["total"], first["pages"], first["page_size"], len(first["items"])) == (
        3, 2, 2, 2)
    last = client.get(f"{API}/solutions?sort=price_asc&page=2").get_json()
    assert last["page"] == 2 and [item["name"] for item in last["items"]] == ["簽好簽"]
    beyond = client.get(f"{API}/solutions?page=50").get_json()
    assert beyond["page"] == 2


@pytest.mark.parametrize(("query", "parameter"), [
    ("category=cooking", "category"), ("page=0", "page"), ("price_max=cheap", "price_max"),
    ("rating_min=9", "rating_min"), ("sort=random", "sort"), ("colour=red", "colour"),
    ("weekend=perhaps", "weekend"),
])
def test_a_bad_filter_is_a_problem_naming_the_parameter(client, query, parameter):
    response = client.get(f"{API}/solutions?{query}")
    assert response.status_code == 422 and response.mimetype == PROBLEM
    assert list(response.get_json()["errors"]) == [parameter]


# --- a solution and a vendor -----------------------------------------------------------------

def test_solution_in_full(client, catalogue):
    response = client.get(f"{API}/solutions/{catalogue['order']}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "快點餐 QR 點餐系統" and body["version"] == 1
    assert body["description_md"].startswith("## 功能")
    assert body["industries"][0]["code"] == "food_beverage" and body["industries"][0]["label"]
    assert [p["code"] for p in body["problems"]] == ["online_ordering", "pos"]
    assert body["company_size"] == {"min_employees": 1, "max_employees": 50}
    assert body["free_trial_days"] == 14 and body["published_at"]
    assert body["plans"] == [{"name": "基本版", "billing_period": "year", "price_ntd": 12000,
                              "list_price_ntd": 12000, "seats": 5, "included": "一台平板"}]
    sla = body["sla"]
    assert sla["availability_percent"] == 99.5
    assert sla["support_hours"]["windows"][0] == {"day": "mon", "opens": "09:00",
                                                  "closes": "18:00"}
    assert sla["support_hours"]["weekly_minutes"] == 6 * 9 * 60
    assert sla["support_hours"]["channels"] == ["phone", "line"]
    assert sla["support_hours"]["weekend_support"] is True
    assert sla["compensation"] == {"cap_percent": 50, "tiers": [
        {"below_percent": 99.5, "credit_percent": 10},
        {"below_percent": 99.0, "credit_percent": 25}]}
    assert (sla["response_minutes"], sla["rpo_minutes"]) == (120, 240)
    assert body["data_export"] == {"format": "csv", "description": "後台一鍵匯出訂單與會員 CSV"}
    vendor = catalogue["vendor"]
    assert body["vendor"]["name"] == "好好雲端股份有限公司" and len(body["vendor"]["tax_id"]) == 8
    assert body["vendor"]["years_in_business"] == 6
    assert body["rating"] == {"average": None, "count": 0}
    text = response.get_data(as_text=True)
    assert vendor.email not in text and "email" not in body["vendor"]
    assert "health_url" not in body


def test_pending_withdrawn_and_suspended_solutions_are_not_found(client, db, factories,
                                                                 catalogue):
    pending = factories.listing(approve=False)
    vendor = catalogue["vendor"]
    listings.withdraw(db, vendor=vendor, solution_id=catalogue["sign"], reason="停售")
    suspended = factories.listing()
    organisation_id = db.get(Solution, suspended.solution_id).vendor_organisation_id
    vetting.decide(db, admin=factories.staff("admin"), to_status="suspended", reason="SLA",
                   application_id=vetting.application_of(db, organisation_id).id)
    db.commit()
    for solution_id in (pending.solution_id, catalogue["sign"], suspended.solution_id, 999999):
        response = client.get(f"{API}/solutions/{solution_id}")
        assert response.status_code == 404 and response.mimetype == PROBLEM, solution_id
    assert client.get(f"{API}/vendors/{organisation_id}").status_code == 404


def test_vendor_profile(client, catalogue):
    vendor = catalogue["vendor"]
    response = client.get(f"{API}/vendors/{vendor.organisation_id}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "好好雲端股份有限公司" and len(body["tax_id"]) == 8
    assert (body["years_in_business"], body["paying_customers"]) == (6, 120)
    assert {item["name"] for item in body["solutions"]} == {
        "快點餐 QR 點餐系統", "排班小幫手", "簽好簽"}
    assert vendor.email not in response.get_data(as_text=True)


def test_only_approved_vendors_have_a_profile(client, factories):
    unapproved = factories.vendor()
    business = factories.business()
    for organisation_id in (unapproved.organisation_id, business.organisation_id, 999999):
        response = client.get(f"{API}/vendors/{organisation_id}")
        assert response.status_code == 404 and response.mimetype == PROBLEM


# --- a vendor's own listings -----------------------------------------------------------------

def test_create_a_draft_then_submit_it(client, factories, login):
    login(factories.approved_vendor())
    draft = client.post(f"{API}/vendor/solutions", json=listing_payload())
    assert draft.status_code == 201, draft.get_json()
    state = draft.get_json()
    assert state["state"] == "draft" and state["version_number"] == 1
    solution_id = state["solution_id"]
    submitted = client.put(f"{API}/vendor/solutions/{solution_id}",
                           json={**listing_payload(), "submit": True})
    assert submitted.status_code == 200 and submitted.get_json()["state"] == "pending"
    assert submitted.get_json()["version_id"] == state["version_id"]
    assert client.get(f"{API}/solutions/{solution_id}").status_code == 404  # not yet approved
    mine = client.get(f"{API}/vendor/solutions").get_json()["items"]
    assert [(item["id"], item["state"], item["withdrawn"]) for item in mine] == [
        (solution_id, "pending", False)]


def test_create_and_submit_at_once(client, factories, login):
    login(factories.approved_vendor())
    response = client.post(f"{API}/vendor/solutions", json={**listing_payload(), "submit": True})
    assert response.status_code == 201 and response.get_json()["state"] == "pending"


def test_edits_of_a_live_listing(client, factories, login):
    vendor = factories.approved_vendor()
    solution_id = factories.listing(vendor).solution_id
    login(vendor)
    minor = client.put(f"{API}/vendor/solutions/{solution_id}",
                       json={**listing_payload(summary="掃碼點餐，廚房即時出單"), "submit": True})
    assert minor.status_code == 200 and minor.get_json()["state"] == "live"
    price = listing_payload(plans=[{"name": "基本版", "billing_period": "year",
                                    "price_ntd": 15000, "list_price_ntd": 15000, "seats": 5}])
    material = client.put(f"{API}/vendor/solutions/{solution_id}",
                          json={**price, "submit": True})
    assert material.get_json()["state"] == "pending"
    public = client.get(f"{API}/solutions/{solution_id}").get_json()
    assert public["plans"][0]["price_ntd"] == 12000  # the approved version stays live
    assert public["summary"] == "掃碼點餐，廚房即時出單"


def test_withdraw_a_listing(client, factories, login):
    vendor = factories.approved_vendor()
    solution_id = factories.listing(vendor).solution_id
    login(vendor)
    url = f"{API}/vendor/solutions/{solution_id}/withdrawal"
    missing = client.post(url, json={})
    assert missing.status_code == 422 and "reason" in missing.get_json()["errors"]
    response = client.post(url, json={"reason": "停止販售"})
    assert response.status_code == 200
    assert response.get_json()["solution_id"] == solution_id
    assert response.get_json()["withdrawn_at"]
    assert client.get(f"{API}/solutions/{solution_id}").status_code == 404
    assert client.post(url, json={"reason": "again"}).status_code == 409
    mine = client.get(f"{API}/vendor/solutions").get_json()["items"]
    assert mine[0]["withdrawn"] is True


def test_another_vendors_solution_is_not_found(client, db, factories, login):
    owner = factories.approved_vendor()
    live = factories.listing(owner).solution_id
    draft = listings.save_listing(db, vendor=owner, listing=_listing_input(name="秘密草稿"))
    db.commit()
    login(factories.approved_vendor())
    for solution_id in (live, draft.solution_id):
        edit = client.put(f"{API}/vendor/solutions/{solution_id}", json=listing_payload())
        assert edit.status_code == 404 and edit.mimetype == PROBLEM
        gone = client.post(f"{API}/vendor/solutions/{solution_id}/withdrawal",
                           json={"reason": "x"})
        assert gone.status_code == 404
    assert client.get(f"{API}/vendor/solutions").get_json()["items"] == []
    assert db.get(Solution, live).withdrawn_at is None


def _listing_input(**overrides):
    from tcloud import validation
    from tcloud.catalog.listing_input import listing_input_from
    from tcloud.catalog.listing_schemas import ListingSchema

    return listing_input_from(validation.load(ListingSchema(), listing_payload(**overrides)))


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/vendor/solutions"), ("post", "/vendor/solutions"),
    ("put", "/vendor/solutions/1"), ("post", "/vendor/solutions/1/withdrawal"),
])
def test_only_vendors_use_the_vendor_endpoints(client, factories, login, method, path):
    kwargs = {} if method == "get" else {"json": listing_payload()}
    anonymous = getattr(client, method)(f"{API}{path}", **kwargs)
    assert anonymous.status_code == 401 and anonymous.mimetype == PROBLEM
    login(factories.business())
    business = getattr(client, method)(f"{API}{path}", **kwargs)
    assert business.status_code == 403 and business.mimetype == PROBLEM


def test_an_unapproved_vendor_cannot_publish(client, db, factories, login):
    login(factories.vendor())
    response = client.post(f"{API}/vendor/solutions", json={**listing_payload(), "submit": True})
    assert response.status_code == 403 and response.mimetype == PROBLEM
    assert response.get_json()["detail"]
    assert db.exec(Solution.__table__.select()).all() == []


@pytest.mark.parametrize(("sla", "field", "figure"), [
    ({"availability_percent": 98.0,
      "compensation_tiers": [{"below_percent": 98.0, "credit_percent": 10}]},
     "sla-availability_percent", "99"),
    ({"rpo_minutes": 5000}, "sla-rpo_minutes", "1440"),
    ({"response_minutes": 600}, "sla-response_minutes", "480"),
])
def test_below_the_minimums_names_the_term(client, factories, login, sla, field, figure):
    login(factories.approved_vendor())
    response = client.post(f"{API}/vendor/solutions", json=listing_payload(sla=sla))
    assert response.status_code == 422 and response.mimetype == PROBLEM
    errors = response.get_json()["errors"]
    assert list(errors) == [field] and figure in errors[field]


def test_schema_errors_use_field_paths(client, factories, login):
    login(factories.approved_vendor())
    payload = listing_payload(plans=[{"name": "基本版", "billing_period": "week",
                                      "price_ntd": 1, "list_price_ntd": 1, "seats": 1}])
    payload["submit"] = "maybe"
    errors = client.post(f"{API}/vendor/solutions", json=payload).get_json()["errors"]
    assert set(errors) == {"plans-0-billing_period", "submit"}


def test_writes_must_be_json(client, factories, login):
    login(factories.approved_vendor())
    response = client.post(f"{API}/vendor/solutions", data={"name": "x"})
    assert response.status_code == 415 and response.mimetype == PROBLEM
    assert client.put(f"{API}/vendor/solutions/1", data="x").status_code == 415


def test_openapi_document_describes_the_catalogue(client):
    spec = client.get(f"{API}/openapi.json").get_json()
    paths = spec["paths"]
    for path in ("/categories", "/problems", "/solutions", "/solutions/{solution_id}",
                 "/vendors/{vendor_id}", "/vendor/solutions",
                 "/vendor/solutions/{solution_id}",
                 "/vendor/solutions/{solution_id}/withdrawal"):
        assert f"{API}{path}" in paths, path
    search = paths[f"{API}/solutions"]["get"]
    query = {p["name"] for p in search["parameters"] if p["in"] == "query"}
    assert {"q", "category", "price_max", "weekend", "page"} <= query
    assert "422" in search["responses"]
    create = paths[f"{API}/vendor/solutions"]["post"]
    assert "201" in create["responses"] and "requestBody" in create
    assert {"401", "403", "422"} <= set(create["responses"])
    detail = paths[f"{API}/solutions/{{solution_id}}"]["get"]
    assert detail["parameters"] == [{"in": "path", "name": "solution_id", "required": True,
                                     "schema": {"type": "integer"}}]
    schemas = spec["components"]["schemas"]
    assert {"ListingRequest", "SolutionDetail", "SolutionPage", "SlaOut",
            "VendorProfile"} <= set(schemas)
    assert "submit" in schemas["ListingRequest"]["properties"]
    assert "email" not in schemas["VendorProfile"]["properties"]
