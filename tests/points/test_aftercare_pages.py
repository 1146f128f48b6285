"""Aftercare pages and API: vendor orders, buyer actions on the order page, admin refunds,
settlement pages and CSV, renewal rates; each with bad input and other people's orders."""

from __future__ import annotations

from sqlmodel import select

from tcloud.accounts.models import Organisation, User
from tcloud.points import fulfilment, settlement
from tcloud.points.applications import taipei_today
from tcloud.points.order_models import ACTIVE, TERMINATED
from tcloud.points.settlement_models import OrderRefund
from tests.points.order_factory import world_fixture  # noqa: F401


def in_english(client):
    client.post("/language", data={"locale": "en"})


def buyer_of(db, order) -> User:
    return db.get(User, order.accepted_by_id)


def test_vendor_lists_own_orders_masked_and_activates(client, login, db, world):
    order = world.order()
    organisation = db.get(Organisation, order.organisation_id)
    organisation.phone = "0912345678"
    db.add(organisation)
    db.commit()
    login(world.vendor)
    in_english(client)
    html = client.get("/vendor/orders").get_data(as_text=True)
    assert order.reference in html
    assert "0912***678" in html and "0912345678" not in html
    email = buyer_of(db, order).email
    assert email not in html and email[:1] + "***@" in html
    page = client.get(f"/vendor/orders/{order.id}").get_data(as_text=True)
    assert email in page and "0912345678" in page

    bad = client.post(f"/vendor/orders/{order.id}/activate",
                      data={"notes": "", "starts_on": "2026-02-30"})
    assert bad.status_code == 400
    assert "YYYY-MM-DD" in bad.get_data(as_text=True)
    missing = client.post(f"/vendor/orders/{order.id}/activate", data={"notes": ""})
    assert missing.status_code == 400 and 'href="#notes"' in missing.get_data(as_text=True)
    ok = client.post(f"/vendor/orders/{order.id}/activate",
                     data={"notes": "帳號 shop01", "starts_on": taipei_today().isoformat()})
    assert ok.status_code == 302
    db.refresh(order)
    assert order.status == ACTIVE


def test_other_vendor_gets_not_found(client, login, world):
    order = world.order()
    login(world.factories.approved_vendor())
    assert client.get(f"/vendor/orders/{order.id}").status_code == 404
    assert client.post(f"/vendor/orders/{order.id}/activate",
                       data={"notes": "x"}).status_code == 404
    assert client.post(f"/api/v1/vendor/orders/{order.id}/activate",
                       json={"notes": "x"}).status_code == 404


def test_buyer_confirms_and_reviews_on_the_order_page(client, login, db, world):
    order = world.order()
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="請用 LINE 聯絡")
    db.commit()
    login(buyer_of(db, order))
    in_english(client)
    page = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert "請用 LINE 聯絡" in page and "Yes, we are using it" in page
    assert "Review this solution" in page
    assert client.post(f"/orders/{order.id}/confirm-use").status_code == 302
    db.refresh(order)
    assert order.use_confirmed_at is not None and order.points_released == 1_000
    bad = client.post(f"/orders/{order.id}/review", data={"stars": "9", "body": ""},
                      follow_redirects=True)
    assert "Choose from 1 to 5 stars." in bad.get_data(as_text=True)
    good = client.post(f"/orders/{order.id}/review", data={"stars": "4", "body": "好用"},
                       follow_redirects=True)
    assert "your review is published" in good.get_data(as_text=True)
    assert "Review this solution" not in client.get(f"/orders/{order.id}").get_data(
        as_text=True)


def test_review_refused_before_activation(client, login, db, world):
    order = world.order()
    login(buyer_of(db, order))
    in_english(client)
    response = client.post(f"/orders/{order.id}/review", data={"stars": "5", "body": "x"},
                           follow_redirects=True)
    assert "once your order of it has been activated" in response.get_data(as_text=True)


def test_buyer_report_needs_note_then_ends_order(client, login, db, world):
    order = world.order()
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="ok")
    db.commit()
    login(buyer_of(db, order))
    in_english(client)
    response = client.post(f"/orders/{order.id}/report-unused", data={"note": " "},
                           follow_redirects=True)
    assert "Tell us what is wrong." in response.get_data(as_text=True)
    assert client.post(f"/orders/{order.id}/end", data={"reason": "停業"}).status_code == 302
    db.refresh(order)
    assert order.status == TERMINATED


def test_admin_refund_page_and_api(client, login, db, world):
    order = world.order()
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="ok")
    fulfilment.confirm_use(db, order_id=order.id, buyer=buyer_of(db, order))
    db.commit()
    login(world.factories.staff("admin"))
    in_english(client)
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert "Refund captured points" in page
    bad = client.post(f"/admin/orders/{order.id}/refund",
                      data={"points": "5000", "reason": "", "token": "tok-12345678"})
    assert bad.status_code == 400
    html = bad.get_data(as_text=True)
    assert "At most 1,000 points" in html and 'href="#reason"' in html
    for _ in range(2):  # the same token twice refunds once
        ok = client.post(f"/admin/orders/{order.id}/refund",
                         data={"points": "400", "reason": "中斷", "token": "tok-12345678"})
        assert ok.status_code == 302
    assert len(db.exec(select(OrderRefund).where(OrderRefund.order_id == order.id)).all()) == 1
    api = client.post(f"/api/v1/admin/orders/{order.id}/refunds",
                      json={"points": "x", "reason": ""})
    assert api.status_code == 422
    assert set(api.get_json()["errors"]) >= {"points", "reason"}
    made = client.post(f"/api/v1/admin/orders/{order.id}/refunds",
                       json={"points": 100, "reason": "API"})
    assert made.status_code == 201 and made.get_json()["points"] == 100


def test_vendor_api_lists_and_activates(client, login, db, world):
    order = world.order()
    login(world.vendor)
    listed = client.get("/api/v1/vendor/orders?status=placed").get_json()
    assert [row["reference"] for row in listed] == [order.reference]
    bad = client.post(f"/api/v1/vendor/orders/{order.id}/activate", json={"notes": ""})
    assert bad.status_code == 422
    ok = client.post(f"/api/v1/vendor/orders/{order.id}/activate",
                     json={"notes": "ok", "starts_on": taipei_today().isoformat()})
    assert ok.status_code == 200 and ok.get_json()["status"] == ACTIVE
    again = client.post(f"/api/v1/vendor/orders/{order.id}/activate", json={"notes": "ok"})
    assert again.status_code == 409


def test_settlement_pages_csv_and_payout(client, login, db, world):
    order = world.order()
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="ok")
    fulfilment.confirm_use(db, order_id=order.id, buyer=buyer_of(db, order))
    db.commit()
    period = settlement.period_of(taipei_today())
    login(world.factories.staff("admin"))
    in_english(client)
    assert client.post("/admin/statements/generate", data={"period": period}).status_code == 302
    page = client.get(f"/admin/statements?period={period}").get_data(as_text=True)
    assert "NT$1,000" in page
    bad = client.get("/admin/statements?period=2026-13").get_data(as_text=True)
    assert "YYYY-MM" in bad
    csv_response = client.get(f"/admin/statements.csv?period={period}")
    assert csv_response.mimetype == "text/csv" and ",1000,1000,issued," in csv_response.get_data(
        as_text=True)
    [statement] = client.get(f"/api/v1/admin/statements?period={period}").get_json()
    paid = client.post(f"/api/v1/admin/statements/{statement['id']}/paid", json={})
    assert paid.status_code == 200 and paid.get_json()["status"] == "paid"
    assert client.post(f"/api/v1/admin/statements/{statement['id']}/paid",
                       json={}).status_code == 409
    client.post("/logout")
    login(world.vendor)
    assert period in client.get("/vendor/statements").get_data(as_text=True)
    assert client.get(f"/vendor/statements/{statement['id']}").status_code == 200
    client.post("/logout")
    login(world.factories.approved_vendor())
    assert client.get(f"/vendor/statements/{statement['id']}").status_code == 404


def test_admin_lists_reported_and_overdue_orders(client, login, db, world):
    order = world.order()
    fulfilment.activate(db, order_id=order.id, vendor=world.vendor, notes="ok")
    fulfilment.report_unused(db, order_id=order.id, buyer=buyer_of(db, order), note="沒人教")
    db.commit()
    login(world.factories.staff("admin"))
    html = client.get("/admin/orders?view=unused").get_data(as_text=True)
    assert order.reference in html and "沒人教" in html
    assert client.get("/admin/orders/renewal-rates").status_code == 200
    response = client.post(f"/admin/orders/{order.id}/terminate",
                           data={"cause": "unused", "end_reason": ""})
    assert response.status_code == 400
    response = client.post(f"/admin/orders/{order.id}/terminate",
                           data={"cause": "unused", "end_reason": "查證未使用"})
    assert response.status_code == 302
    db.refresh(order)
    assert order.status == TERMINATED
