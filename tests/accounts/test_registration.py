"""Registering a business or a vendor through the pages: success, wrong input, duplicates."""

from sqlmodel import func, select

from tcloud.accounts.models import Organisation, User
from tests.factories import next_valid_tax_id


def business_form(**overrides):
    form = {
        "email": "amei@example.com", "password": "noodles every morning",
        "company_name": "阿美麵店", "tax_id": next_valid_tax_id(),
        "entity_type": "business_registration", "employee_count": "4",
        "industry": "food_beverage", "city": "tainan",
    }
    form.update(overrides)
    return form


def count(db, model):
    return db.exec(select(func.count()).select_from(model)).one()


def test_business_registers_and_lands_on_its_dashboard(client, db):
    form = business_form()
    response = client.post("/register/business", data=form)
    assert response.status_code == 302
    assert response.location.endswith("/dashboard")

    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "阿美麵店" in dashboard
    assert form["tax_id"] in dashboard
    user = db.exec(select(User).where(User.email == "amei@example.com")).one()
    assert user.role == "business"
    assert user.password_hash.startswith("scrypt:")
    organisation = db.get(Organisation, user.organisation_id)
    assert (organisation.kind, organisation.employee_count, organisation.city) == (
        "business", 4, "tainan")


def test_wrong_input_is_explained_next_to_each_field_and_nothing_is_stored(client, db):
    users_before, orgs_before = count(db, User), count(db, Organisation)
    response = client.post("/register/business", data=business_form(
        email="not-an-email", password="short", tax_id="12345678",
        employee_count="many", industry="", city="atlantis",
    ))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "請修正以下問題" in html  # the error summary
    for field in ("email", "password", "tax_id", "employee_count", "industry", "city"):
        assert f'id="{field}-error"' in html, field
        assert f'href="#{field}"' in html, field
    # What was typed is kept (except the password); nothing was stored.
    assert 'value="not-an-email"' in html
    assert 'value="阿美麵店"' in html
    assert 'value="many"' in html
    assert "short" not in html.split('id="password"')[1].split(">")[0]
    assert (count(db, User), count(db, Organisation)) == (users_before, orgs_before)


def test_messages_are_in_traditional_chinese_by_default_and_english_on_request(client):
    zh = client.post("/register/business", data=business_form(tax_id="04595258"))
    assert "統一編號" in zh.get_data(as_text=True)
    assert "檢查碼" in zh.get_data(as_text=True)

    client.post("/language", data={"locale": "en", "next": "/register/business"})
    en = client.post("/register/business", data=business_form(tax_id="04595258"))
    assert "fails its check digit" in en.get_data(as_text=True)


def test_duplicate_email_and_duplicate_tax_id_are_refused(client, db, factories):
    existing = factories.business()
    organisation = db.get(Organisation, existing.organisation_id)

    same_email = client.post("/register/business", data=business_form(email=existing.email))
    assert same_email.status_code == 409
    assert 'id="email-error"' in same_email.get_data(as_text=True)

    same_tax_id = client.post("/register/business",
                              data=business_form(tax_id=organisation.tax_id))
    assert same_tax_id.status_code == 409
    assert 'id="tax_id-error"' in same_tax_id.get_data(as_text=True)
    assert count(db, Organisation) == 1


def test_email_is_case_insensitive_for_uniqueness(client, factories):
    existing = factories.business(email="mixed@example.com")
    response = client.post("/register/business", data=business_form(email="MIXED@Example.com"))
    assert response.status_code == 409
    assert existing.email == "mixed@example.com"


def test_full_width_tax_id_is_accepted(client, db):
    response = client.post("/register/business", data=business_form(tax_id="２２０９９１３１"))
    assert response.status_code == 302
    assert db.exec(select(Organisation.tax_id)).one() == "22099131"


def test_vendor_registers(client, db):
    response = client.post("/register/vendor", data={
        "email": "sales@cloudpos.example", "password": "cloud point of sale",
        "company_name": "雲點科技股份有限公司", "tax_id": next_valid_tax_id(),
        "contact_name": "陳志豪",
    })
    assert response.status_code == 302
    user = db.exec(select(User).where(User.email == "sales@cloudpos.example")).one()
    assert user.role == "vendor"
    assert db.get(Organisation, user.organisation_id).kind == "vendor"


def test_vendor_missing_fields_are_reported(client):
    response = client.post("/register/vendor", data={"email": "x@example.com"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("password", "company_name", "tax_id", "contact_name"):
        assert f'id="{field}-error"' in html


def test_unknown_registration_kind_is_not_found(client):
    assert client.get("/register/consultant").status_code == 404
