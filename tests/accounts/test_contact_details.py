"""Contact details: normalised on the way in, validated with clear messages, audited."""

import pytest
from sqlmodel import select

from tcloud.accounts.contact import normalise_address, normalise_bank_account, normalise_phone
from tcloud.accounts.models import Organisation, User
from tcloud.audit.models import AuditEvent


@pytest.fixture(autouse=True)
def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.mark.parametrize(("typed", "stored"), [
    ("02-2345-6789", "0223456789"), ("(02) 2345 6789", "0223456789"),
    ("+886 2 2345 6789", "0223456789"), ("+886-912-345-678", "0912345678"),
    ("０９１２３４５６７８", "0912345678"),
])
def test_phone_numbers_are_compared_as_digits(typed, stored):
    assert normalise_phone(typed) == stored


def test_addresses_and_accounts_are_normalised():
    assert normalise_address("台北市 信義區  市府路１號") == "臺北市信義區市府路1號"
    assert normalise_bank_account("812 0001 2345 678901") == "812-00012345678901"


def test_a_business_saves_its_contact_details(client, db, factories, login):
    user = login(factories.business())
    page = client.get("/profile/contact").get_data(as_text=True)
    assert 'name="phone"' in page
    assert "Bank account for refunds (optional)" in page
    assert "can no longer take it back" in page  # the hint says what it is for
    response = client.post("/profile/contact", data={
        "contact_name": "林美", "phone": "02-2345-6789", "address": "台北市信義區市府路1號",
        "bank_account": "812 0001 2345 678901"})
    assert response.status_code == 302
    organisation = db.get(Organisation, user.organisation_id)
    db.refresh(organisation)
    assert (organisation.phone, organisation.address) == ("0223456789", "臺北市信義區市府路1號")
    assert organisation.bank_account == "812-00012345678901"  # for refunds, normalised
    event = db.exec(select(AuditEvent).where(
        AuditEvent.action == "organisation.contact_details_changed")).one()
    assert "0223456789" in event.after and "812-00012345678901" in event.after
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "0223456789" in dashboard
    assert "Bank account for refunds" in dashboard and "812-00012345678901" in dashboard
    assert "settlement payments" not in dashboard


def test_a_business_may_leave_the_bank_account_out_or_remove_it(client, db, factories, login):
    user = login(factories.business())
    organisation = db.get(Organisation, user.organisation_id)
    organisation.bank_account = "812-00012345678901"
    db.commit()
    response = client.post("/profile/contact", data={
        "contact_name": "林美", "phone": "", "address": "", "bank_account": " "})
    assert response.status_code == 302
    db.refresh(organisation)
    assert organisation.bank_account is None


@pytest.mark.parametrize("typed", ["812-123", "812-0001234567890O", "帳號 812 00012345678901",
                                   "8" * 20])
def test_a_wrong_refund_account_is_refused_and_nothing_is_lost(client, db, factories, login,
                                                              typed):
    user = login(factories.business())
    organisation = db.get(Organisation, user.organisation_id)
    organisation.phone, organisation.bank_account = "0223456789", "812-00012345678901"
    db.commit()
    response = client.post("/profile/contact", data={
        "contact_name": "林美", "phone": "0912-345-678", "address": "臺南市",
        "bank_account": typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the 3-digit bank code and then the account number" in page
    assert 'href="#bank_account"' in page
    assert 'value="0912-345-678"' in page  # what was typed is kept on the page
    db.refresh(organisation)
    assert (organisation.phone, organisation.bank_account) == ("0223456789",
                                                               "812-00012345678901")


def test_a_vendor_gives_its_payout_account(client, db, factories, login):
    user = login(factories.vendor())
    response = client.post("/profile/contact", data={
        "contact_name": "陳測試", "phone": "0912-345-678", "address": "",
        "bank_account": "812 00012345678901"})
    assert response.status_code == 302
    organisation = db.get(Organisation, user.organisation_id)
    db.refresh(organisation)
    assert organisation.bank_account == "812-00012345678901"
    assert organisation.address is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "12345", "Enter a Taiwan phone number with its area code"),
    ("bank_account", "812-123", "Enter the 3-digit bank code"),
    ("contact_name", "", "Enter the name of the contact person."),
    ("address", "路" * 201, "Use at most 200 characters."),
])
def test_wrong_details_are_refused_next_to_the_field(client, db, factories, login,
                                                     field, value, message):
    user = login(factories.vendor())
    data = {"contact_name": "陳測試", "phone": "0912345678", "address": "臺北市",
            "bank_account": "", field: value}
    response = client.post("/profile/contact", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert f'href="#{field}"' in page
    organisation = db.get(Organisation, user.organisation_id)
    db.refresh(organisation)
    assert organisation.phone is None  # nothing saved


def test_registration_records_the_address_it_came_from(client, db):
    response = client.post("/register/business", data={
        "email": "new-shop@example.com", "password": "a long enough passphrase 42",
        "company_name": "新店家", "tax_id": "04595257", "entity_type": "company",
        "employee_count": "3", "industry": "food_beverage", "city": "taipei"})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = db.exec(select(User).where(User.email == "new-shop@example.com")).one()
    assert user.registered_ip == "127.0.0.1"


def test_the_api_reads_and_replaces_a_business_s_contact_details(client, db, factories, login):
    user = login(factories.business())
    assert client.get("/api/v1/me/contact-details").get_json() == {
        "contact_name": None, "phone": None, "address": None, "bank_account": None}
    response = client.put("/api/v1/me/contact-details", json={
        "contact_name": "林美", "phone": "+886 2 2345 6789",
        "bank_account": "８１２ 00012345678901"})
    assert response.status_code == 200, response.get_json()
    expected = {"contact_name": "林美", "phone": "0223456789", "address": None,
                "bank_account": "812-00012345678901"}
    assert response.get_json() == expected
    assert client.get("/api/v1/me/contact-details").get_json() == expected
    organisation = db.get(Organisation, user.organisation_id)
    db.refresh(organisation)
    assert organisation.bank_account == "812-00012345678901"


def test_the_api_refuses_a_wrong_account_field_by_field_and_changes_nothing(client, db,
                                                                           factories, login):
    user = login(factories.vendor())
    assert client.put("/api/v1/me/contact-details", json={
        "contact_name": "陳測試", "bank_account": "812-00012345678901"}).status_code == 200
    response = client.put("/api/v1/me/contact-details", json={
        "contact_name": "陳測試", "phone": "0912345678", "bank_account": "812-12"})
    assert response.status_code == 422
    problem = response.get_json()
    assert list(problem["errors"]) == ["bank_account"]
    assert problem["errors"]["bank_account"].startswith("Enter the 3-digit bank code")
    organisation = db.get(Organisation, user.organisation_id)
    db.refresh(organisation)
    assert (organisation.phone, organisation.bank_account) == (None, "812-00012345678901")


def test_only_businesses_and_vendors_have_contact_details(client, factories, login):
    login(factories.staff("admin"))
    assert client.get("/api/v1/me/contact-details").status_code == 403
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "put"} <= set(paths["/api/v1/me/contact-details"])
