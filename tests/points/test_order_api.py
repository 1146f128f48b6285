"""Buying through /api/v1 and the administrator's contract versions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tcloud.audit.models import AuditEvent
from tcloud.errors import ValidationFailed
from tcloud.points import contracts, quotes
from tcloud.points.order_models import CANCELLED, ContractTemplate, Order


@pytest.fixture(autouse=True)
def english(client):
    """These tests read English wording; the zh-TW pages are checked by the i18n test."""
    client.post("/language", data={"locale": "en"})



def test_quote_then_order_then_cancel_through_the_api(client, login, db, granted_buyer,
                                                      plan_of):
    user, _ = granted_buyer()
    plan = plan_of(price=12_000)
    login(user)
    created = client.post("/api/v1/quotes", json={"plan_id": plan.id})
    assert created.status_code == 201, created.get_json()
    quote = created.get_json()
    assert (quote["price_ntd"], quote["points_applied"], quote["card_amount_ntd"]) == (
        12_000, 12_000, 0)
    assert quote["contract_version"] == 1 and "{" not in quote["contract_text"]
    assert client.get(f"/api/v1/quotes/{quote['id']}").get_json()["contract_sha256"] == quote[
        "contract_sha256"]
    refused = client.post(f"/api/v1/quotes/{quote['id']}/order",
                          json={"contract_sha256": "a" * 64, "accept": True})
    assert refused.status_code == 409 and "contract changed" in refused.get_json()["detail"]
    ordered = client.post(f"/api/v1/quotes/{quote['id']}/order",
                          json={"contract_sha256": quote["contract_sha256"], "accept": True})
    assert ordered.status_code == 201, ordered.get_json()
    order = ordered.get_json()
    assert order["reference"].startswith("TC-") and order["status"] == "placed"
    assert order["payment_client_secret"] is None
    assert [o["id"] for o in client.get("/api/v1/orders").get_json()] == [order["id"]]
    cancelled = client.post(f"/api/v1/orders/{order['id']}/cancel", json={})
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == CANCELLED


def test_api_bad_input_gets_field_messages(client, login, granted_buyer):
    user, _ = granted_buyer()
    login(user)
    missing = client.post("/api/v1/quotes", json={})
    assert missing.status_code == 422 and "plan_id" in missing.get_json()["errors"]
    not_accepted = client.post("/api/v1/quotes/1/order",
                               json={"contract_sha256": "xyz", "accept": False})
    errors = not_accepted.get_json()["errors"]
    assert not_accepted.status_code == 422 and {"contract_sha256", "accept"} <= set(errors)
    assert client.post("/api/v1/quotes", json={"plan_id": 999_999}).status_code == 404


def test_api_orders_of_another_business_are_not_found(client, login, db, granted_buyer,
                                                      factories, plan_of, quote_and_accept):
    user, _ = granted_buyer()
    order = quote_and_accept(user, plan_of())
    login(factories.business())
    assert client.get(f"/api/v1/orders/{order.id}").status_code == 404
    assert client.post(f"/api/v1/orders/{order.id}/cancel", json={}).status_code == 404
    assert client.get("/api/v1/orders").get_json() == []


def test_openapi_documents_the_buying_operations(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/quotes", "/api/v1/quotes/{quote_id}/order", "/api/v1/orders",
            "/api/v1/orders/{order_id}/cancel"} <= set(paths)


# --- contract templates -----------------------------------------------------------------------

def test_version_one_is_seeded_by_the_migration(db):
    template = contracts.latest_template(db)
    assert template.version == 1
    assert set(contracts.PLACEHOLDER.findall(template.body_md)) <= set(contracts.PLACEHOLDERS)


def test_admin_adds_a_version_and_it_is_audited(client, login, db, admin):
    login(admin)
    assert "contract-versions" in client.get("/admin/contracts").get_data(as_text=True)
    form = client.get("/admin/contracts/new").get_data(as_text=True)
    assert "{buyer_name}" in form
    response = client.post("/admin/contracts/new", data={
        "body_md": "# 契約 {buyer_name} 與 {vendor_name}", "change_note": "簡化條文"})
    assert response.status_code == 302
    assert contracts.latest_template(db).version == 2
    assert db.execute(select(AuditEvent).where(
        AuditEvent.action == "contract_template.version_added")).scalar_one().reason == "簡化條文"
    assert "簡化條文" in client.get("/admin/contracts/2").get_data(as_text=True)


def test_bad_templates_are_refused_with_field_messages(client, login, db, admin):
    login(admin)
    response = client.post("/admin/contracts/new", data={"body_md": "{unknown_thing} {",
                                                         "change_note": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "{unknown_thing}" in html and "#change_note" in html
    with pytest.raises(ValidationFailed):
        contracts.add_version(db, admin=admin, body_md="text with a stray } brace",
                              change_note="x")
    assert contracts.latest_template(db).version == 1


def test_versions_cannot_be_edited(db):
    template = db.execute(select(ContractTemplate)).scalars().first()
    template.body_md = "changed"
    with pytest.raises(Exception, match="append-only"):
        db.flush()
    db.rollback()


def test_order_keeps_the_text_it_accepted(db, admin, granted_buyer, plan_of, quote_and_accept):
    user, _ = granted_buyer()
    order = quote_and_accept(user, plan_of())
    contracts.add_version(db, admin=admin, body_md="# 第二版 {buyer_name}", change_note="新版")
    db.commit()
    db.refresh(order)
    assert order.contract_version == 1 and "第二版" not in order.contract_text
    quote = quotes.get_quote(db, order.quote_id, organisation_id=user.organisation_id)
    assert db.get(Order, order.id).quote_id == quote.id
