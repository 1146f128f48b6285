"""Home page, language switch, error pages, health checks and security headers."""

from tcloud import create_app


def test_home_page_explains_the_programme_in_traditional_chinese(client):
    page = client.get("/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<html lang="zh-Hant-TW">' in html
    assert "30,000" in html
    for term in ("行銷推廣", "網路開店", "市場分析", "遠距辦公與文書", "客戶服務", "企業管理",
                 "系統可用性", "客服支援時段", "服務中斷補償", "問題回應時間", "復原點目標"):
        assert term in html, term


def test_language_switch_shows_english_and_is_remembered(client):
    response = client.post("/language", data={"locale": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Go digital with 30,000 subsidy points" in html
    assert "System availability" in html


def test_language_choice_is_saved_on_the_account(client, factories, login, db):
    user = login(factories.business())
    client.post("/language", data={"locale": "en"})
    client.post("/logout")
    client.post("/language", data={"locale": "zh_TW"})
    login(user)
    assert '<html lang="en">' in client.get("/dashboard").get_data(as_text=True)


def test_language_switch_ignores_unknown_locales_and_foreign_redirects(client):
    response = client.post("/language", data={"locale": "fr", "next": "https://evil.example"})
    assert response.location == "/"
    assert '<html lang="zh-Hant-TW">' in client.get("/").get_data(as_text=True)


def test_error_pages_are_friendly_and_translated(client, factories, login):
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "找不到" in missing.get_data(as_text=True)
    login(factories.business())
    forbidden = client.get("/admin/users")
    assert forbidden.status_code == 403
    assert "<h1>" in forbidden.get_data(as_text=True)
    client.post("/language", data={"locale": "en"})
    assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)


def test_api_errors_are_problem_objects(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == 404 and body["type"] == "about:blank" and body["title"]


def test_unexpected_errors_show_the_500_page(database_url):
    from tcloud.accounts.access import PUBLIC, allow

    def explode():
        raise RuntimeError("boom")

    app = create_app({"TCLOUD_ENV": "testing", "TCLOUD_DATABASE_URL": database_url})
    app.add_url_rule("/__explode", "explode", allow(PUBLIC)(explode))
    response = app.test_client().get("/__explode")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "RuntimeError" not in html and "<h1>" in html


def test_forms_without_a_csrf_token_are_refused(database_url):
    app = create_app({"TCLOUD_ENV": "testing", "TCLOUD_DATABASE_URL": database_url})
    client = app.test_client()
    response = client.post("/login", data={"email": "a@example.com", "password": "x" * 12})
    assert response.status_code == 400
    assert "表單已失效" in response.get_data(as_text=True)
    # With the token from the form, the same post is processed (and refused on its merits).
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answered = client.post("/login", data={"email": "a@example.com", "password": "x" * 12,
                                           "csrf_token": token})
    assert answered.status_code == 401


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json()["checks"] == {"database": "ok", "migrations": "current"}


def test_readiness_fails_when_migrations_are_missing(empty_database_url):
    app = create_app({"TCLOUD_ENV": "testing",
                      "TCLOUD_DATABASE_URL": empty_database_url("sqlite", "tcloud_unmigrated")})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] != "current"


def test_security_headers_and_request_id(client):
    response = client.get("/", headers={"X-Request-ID": "abc-123"})
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-ID"] == "abc-123"
    odd = client.get("/", headers={"X-Request-ID": "<script>"})
    assert odd.headers["X-Request-ID"] != "<script>"


def test_pages_have_no_inline_scripts_or_styles(client):
    for path in ("/", "/login", "/register", "/register/business", "/register/vendor"):
        html = client.get(path).get_data(as_text=True)
        assert "<script" not in html and "style=" not in html and "<style" not in html, path


def test_session_cookie_is_http_only_and_same_site(client, factories):
    user = factories.business()
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
