"""Every route declares who may use it, and the declaration is what actually happens.

This walks every rule in the URL map with every role and anonymously. A new route that
forgets @allow(...) fails here (and is refused at run time).
"""

import pytest

from tcloud.accounts.access import ACCESS_ATTR, ANY_USER, PUBLIC
from tcloud.accounts.choices import ROLES

# Sample values for routes with URL parameters.
URL_VALUES = {"kind": "business", "application_id": "999999", "upload_id": "999999",
              "programme_id": "999999", "account_id": "999999", "solution_id": "999999",
              "vendor_id": "999999", "review_id": "999999", "version_id": "999999",
              "quote_id": "999999", "order_id": "999999", "contract_version": "999999",
              "window_id": "999999", "incident_id": "999999", "statement_id": "999999",
              "refund_id": "999999",
              "dispute_id": "999999", "holiday_id": "999999", "form_id": "999999",
              "recommendation_id": "999999"}
ANONYMOUS = "anonymous"


def walkable_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        yield rule


def url_for_rule(rule):
    url = rule.rule
    for argument in rule.arguments:
        url = url.replace(f"<{argument}>", URL_VALUES[argument])
        url = url.replace(f"<int:{argument}>", URL_VALUES[argument])
    return url


def test_every_route_declares_its_roles(app):
    undeclared = [rule.rule for rule in walkable_rules(app)
                  if getattr(app.view_functions[rule.endpoint], ACCESS_ATTR, None) is None]
    assert undeclared == []


@pytest.mark.parametrize("who", [ANONYMOUS, *ROLES])
def test_every_route_answers_each_role_as_declared(app, client, factories, login, who):
    if who != ANONYMOUS:
        login(factories.user(who))
    for rule in walkable_rules(app):
        allowed = getattr(app.view_functions[rule.endpoint], ACCESS_ATTR)
        may = PUBLIC in allowed or (who != ANONYMOUS and (ANY_USER in allowed or who in allowed))
        api = rule.rule.startswith("/api/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint == "accounts.logout":
                continue  # would end the walk's own session; covered in test_login
            kwargs = {"json": {}} if api and method != "GET" else {}
            response = client.open(url_for_rule(rule), method=method, **kwargs)
            label = f"{who} {method} {rule.rule} -> {response.status_code}"
            if may:
                assert response.status_code not in (401, 403), label
                assert not (response.status_code == 302 and "/login" in response.location
                            and rule.endpoint != "accounts.login"), label
            elif who == ANONYMOUS:
                if api:
                    assert response.status_code == 401, label
                else:
                    assert response.status_code == 302 and "/login" in response.location, label
            else:
                assert response.status_code == 403, label


def test_a_route_without_a_declaration_is_refused(app):
    from flask import Flask

    from tcloud.accounts.access import enforce_declared_access

    probe = Flask("probe")
    probe.before_request(enforce_declared_access)
    probe.add_url_rule("/forgotten", "forgotten", lambda: "open door")
    assert probe.test_client().get("/forgotten").status_code == 403
