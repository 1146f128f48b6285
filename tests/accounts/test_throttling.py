"""Throttling that stops guessing and bulk sign-ups without letting anyone lock an owner out."""

from sqlmodel import func, select

from tcloud.accounts.models import User
from tests.accounts.test_api import business_body
from tests.accounts.test_registration import business_form
from tests.factories import next_valid_tax_id

OFFICE, ATTACKER = {"REMOTE_ADDR": "203.0.113.10"}, "198.51.100.{}"


def log_in(client, email, password, address):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_failures_from_one_address_stop_that_address_but_not_the_owner(app, client,
                                                                        factories):
    user = factories.business()
    for _ in range(app.config["TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        log_in(client, user.email, "wrong password!", "198.51.100.7")
    assert log_in(client, user.email, factories.PASSWORD, "198.51.100.7").status_code == 429
    # The owner, at the office, is not locked out by someone else's typing.
    assert log_in(client, user.email, factories.PASSWORD, "203.0.113.10").status_code == 302


def test_guessing_spread_over_many_addresses_hits_the_account_cap(app, client, factories):
    app.config["TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT_EVERYWHERE"] = 6
    user = factories.business()
    # The owner logged in from the office before the attack.
    assert log_in(client, user.email, factories.PASSWORD, OFFICE["REMOTE_ADDR"]).status_code \
        == 302
    client.post("/logout")
    for n in range(6):
        log_in(client, user.email, "wrong password!", ATTACKER.format(n))
    # A new address is refused even with the right password...
    refused = log_in(client, user.email, factories.PASSWORD, "192.0.2.99")
    assert refused.status_code == 429
    # ...while the owner's known address still gets in.
    assert log_in(client, user.email, factories.PASSWORD, OFFICE["REMOTE_ADDR"]).status_code \
        == 302


def count_users(db) -> int:
    return db.exec(select(func.count()).select_from(User)).one()


def test_sign_ups_from_one_address_are_capped_per_hour_on_pages_and_api(app, client, db):
    app.config["TCLOUD_SIGN_UPS_PER_IP_PER_HOUR"] = 2
    address = {"REMOTE_ADDR": "192.0.2.44"}
    for n in range(2):
        made = client.post("/register/business", environ_base=address,
                           data=business_form(email=f"shop{n}@example.com"))
        assert made.status_code == 302
        client.post("/logout", environ_base=address)
    before = count_users(db)
    page = client.post("/register/business", environ_base=address,
                       data=business_form(email="shop-third@example.com"))
    assert page.status_code == 429
    assert "小時" in page.get_data(as_text=True)  # the reason, in Traditional Chinese
    api = client.post("/api/v1/registrations", environ_base=address,
                      json=business_body(email="api-third@example.com",
                                         tax_id=next_valid_tax_id()))
    assert api.status_code == 429
    assert api.get_json()["status"] == 429
    assert count_users(db) == before  # nothing was created
    # Another address is not affected, and the address is recorded on the account.
    other = client.post("/api/v1/registrations", environ_base={"REMOTE_ADDR": "192.0.2.45"},
                        json=business_body(email="elsewhere@example.com",
                                           tax_id=next_valid_tax_id()))
    assert other.status_code == 201
    assert db.exec(select(User.registered_ip).where(
        User.email == "elsewhere@example.com")).one() == "192.0.2.45"
