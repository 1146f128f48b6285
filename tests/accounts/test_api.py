"""The accounts API: registration and the current user, with RFC 9457 problem objects."""

from sqlmodel import func, select

from tcloud.accounts.models import User
from tests.factories import next_valid_tax_id


def business_body(**overrides):
    body = {
        "kind": "business", "email": "api-shop@example.com", "password": "ordering online 24h",
        "company_name": "小草髮廊", "tax_id": next_valid_tax_id(), "entity_type": "company",
        "employee_count": 3, "industry": "beauty_hair", "city": "taichung",
    }
    body.update(overrides)
    return body


def test_register_a_business_and_read_it_back(client):
    response = client.post("/api/v1/registrations", json=business_body())
    assert response.status_code == 201
    data = response.get_json()
    assert data["role"] == "business"
    assert data["organisation"]["industry"] == "beauty_hair"
    assert "password" not in data and "password_hash" not in data


def test_register_a_vendor(client):
    response = client.post("/api/v1/registrations", json={
        "kind": "vendor", "email": "api-vendor@example.com", "password": "vendor password ok",
        "company_name": "雲點科技", "tax_id": next_valid_tax_id(), "contact_name": "陳先生",
    })
    assert response.status_code == 201
    assert response.get_json()["organisation"]["kind"] == "vendor"


def test_invalid_body_is_a_problem_with_field_errors_and_stores_nothing(client, db):
    before = db.exec(select(func.count()).select_from(User)).one()
    response = client.post("/api/v1/registrations",
                           json=business_body(tax_id="12345678", email="bad", extra="x"))
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 422 and problem["title"]
    assert set(problem["errors"]) == {"tax_id", "email", "extra"}
    assert db.exec(select(func.count()).select_from(User)).one() == before


def test_unknown_kind_and_non_json_are_refused(client):
    assert client.post("/api/v1/registrations", json={"kind": "admin"}).status_code == 422
    response = client.post("/api/v1/registrations", data={"kind": "business"})
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"


def test_duplicate_is_a_conflict(client, factories):
    existing = factories.business()
    response = client.post("/api/v1/registrations", json=business_body(email=existing.email))
    assert response.status_code == 409
    assert "email" in response.get_json()["errors"]


def test_me_needs_login_and_then_describes_the_user(client, factories, login):
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401
    assert anonymous.mimetype == "application/problem+json"
    user = login(factories.vendor())
    me = client.get("/api/v1/me").get_json()
    assert me["email"] == user.email and me["role"] == "vendor"


def test_problem_titles_follow_the_language(client):
    client.post("/language", data={"locale": "en"})
    assert client.get("/api/v1/me").get_json()["title"] == "Please log in"
    client.post("/language", data={"locale": "zh_TW"})
    assert client.get("/api/v1/me").get_json()["title"] != "Please log in"


def test_openapi_document_is_generated_from_the_schemas(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/me" in spec["paths"] and "/api/v1/registrations" in spec["paths"]
    post = spec["paths"]["/api/v1/registrations"]["post"]
    assert "requestBody" in post and "201" in post["responses"]
    assert "RegisterBusiness" in spec["components"]["schemas"]
