"""Logging in and out, throttling, suspended accounts, safe redirects."""

from sqlmodel import select

from tcloud.accounts.models import LoginAttempt, User


def test_each_role_logs_in_sees_its_dashboard_and_logs_out(client, factories, login):
    for role, heading in [("business", "測試麵店"), ("vendor", "測試科技"),
                          ("consultant", "Test consultant"), ("admin", "/admin/users")]:
        login(factories.user(role))
        page = client.get("/dashboard")
        assert page.status_code == 200
        assert heading in page.get_data(as_text=True)
        assert client.post("/logout").status_code == 302
        assert client.get("/dashboard").status_code == 302  # back to the login page


def test_wrong_password_is_refused_and_recorded(client, factories, db):
    user = factories.business()
    response = client.post("/login", data={"email": user.email, "password": "wrong password!"})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert f'value="{user.email}"' in html  # the email is kept
    attempts = db.exec(select(LoginAttempt).where(LoginAttempt.email == user.email)).all()
    assert [a.succeeded for a in attempts] == [False]


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(client, factories):
    user = factories.business()
    wrong_password = client.post("/login", data={"email": user.email, "password": "nope nope"})
    unknown = client.post("/login", data={"email": "nobody@example.com", "password": "nope nope"})
    assert wrong_password.status_code == unknown.status_code == 401

    def summary(response):
        return response.get_data(as_text=True).split('class="error-summary"')[1].split("</ul>")[0]

    assert summary(wrong_password) == summary(unknown)
    assert "密碼" in summary(unknown)


def test_too_many_failures_lock_the_account_for_a_while(app, client, factories):
    user = factories.business()
    limit = app.config["TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        client.post("/login", data={"email": user.email, "password": "wrong password!"})
    # Even the right password is refused while the account is throttled.
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 429
    assert client.get("/dashboard").status_code == 302


def test_too_many_failures_from_one_address_are_throttled(app, client, factories):
    limit = app.config["TCLOUD_LOGIN_MAX_FAILURES_PER_IP"]
    for n in range(limit):
        client.post("/login", data={"email": f"guess{n}@example.com", "password": "guess guess"})
    user = factories.business()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 429


def test_suspended_account_cannot_log_in(client, factories, db):
    user = factories.business()
    stored = db.get(User, user.id)
    stored.active = False
    db.add(stored)
    db.commit()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 401


def test_login_returns_to_the_page_asked_for_but_never_to_another_site(client, factories):
    user = factories.staff("admin")
    asked = client.get("/admin/users")
    assert "/login?next=/admin/users" in asked.location
    back = client.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                       "next": "/admin/users"})
    assert back.location.endswith("/admin/users")
    client.post("/logout")
    for evil in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD, "next": evil})
        assert "evil" not in response.location and "javascript" not in response.location
        client.post("/logout")


def test_logging_in_replaces_the_session(client, factories):
    user = factories.business()
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session


def test_logout_needs_post(client, factories, login):
    login(factories.business())
    assert client.get("/logout").status_code == 405
