"""Listing pages: a vendor lists, edits and withdraws solutions; administrators review them."""

import json
import re

import pytest
from sqlalchemy import func
from sqlmodel import select

from tcloud.audit.models import AuditEvent
from tcloud.catalog import listings
from tcloud.catalog.models import Solution, SolutionPlan, SolutionVersion

WORKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat")


def form_data(**overrides) -> dict:
    """The listing form as a browser posts it, matching tests.factories.listing_payload();
    an override of None leaves the field out."""
    data = {
        "category": "online_store", "name": "快點餐 QR 點餐系統",
        "summary": "客人掃碼點餐，廚房即時出單", "description_md": "## 功能\n\n- 掃碼點餐\n- 出單",
        "industries": ["food_beverage"], "problems": ["online_ordering", "pos"],
        "min_employees": "1", "max_employees": "50",
        "plans-0-name": "基本版", "plans-0-billing_period": "year", "plans-0-price_ntd": "12000",
        "plans-0-list_price_ntd": "12000", "plans-0-seats": "5", "plans-0-included": "一台平板",
        "plans-1-name": "", "plans-1-billing_period": "month", "plans-1-price_ntd": "",
        "plans-2-name": "", "plans-2-billing_period": "",
        "sla-availability_percent": "99.5",
        **{f"sla-hours-{day}-opens": "09:00" for day in WORKDAYS},
        **{f"sla-hours-{day}-closes": "18:00" for day in WORKDAYS},
        "sla-hours-sun-opens": "", "sla-hours-sun-closes": "",
        "sla-support_channels": ["phone", "line"],
        "sla-compensation_tiers-0-below_percent": "99.5",
        "sla-compensation_tiers-0-credit_percent": "10",
        "sla-compensation_tiers-1-below_percent": "99",
        "sla-compensation_tiers-1-credit_percent": "25",
        "sla-compensation_tiers-2-below_percent": "", "sla-compensation_tiers-2-credit_percent": "",
        "sla-compensation_cap_percent": "50", "sla-response_minutes": "120",
        "sla-rpo_minutes": "240", "free_trial_days": "14",
        "health_url": "https://status.example.com/health", "data_export_format": "csv",
        "data_export_description": "後台一鍵匯出訂單與會員 CSV", "action": "submit",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def count(db, model) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def error_next_to(html: str, field: str) -> str:
    """The message shown next to a field, checking the summary links to that field."""
    assert f'href="#{field}"' in html
    assert f'id="{field}"' in html
    found = re.search(rf'<p id="{re.escape(field)}-error" class="error-message">(.*?)</p>',
                      html, re.S)
    assert found, f"no message next to {field}"
    return found.group(1)


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English: the zh-TW catalogue is translated at the end of the issue."""
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def vendor(factories, login):
    return login(factories.approved_vendor())


def switch_to(client, login, user):
    client.post("/logout")
    return login(user)


def test_a_submitted_listing_waits_in_the_admin_queue(client, db, factories, login, vendor):
    response = client.post("/vendor/solutions/new", data=form_data())
    assert response.status_code == 302 and response.location.endswith("/vendor/solutions")
    page = client.get("/vendor/solutions").get_data(as_text=True)
    assert "Sent for review" in page and "Waiting for review" in page
    version = db.exec(select(SolutionVersion)).one()
    assert version.state == "pending"
    assert [w["day"] for w in version.support_windows] == list(WORKDAYS)
    assert version.support_channels == ["phone", "line"]
    assert len(version.compensation_tiers) == 2  # the blank third tier is ignored
    plans = db.exec(select(SolutionPlan)).all()
    assert [(p.name, p.price_ntd) for p in plans] == [("基本版", 12000)]  # blank rows ignored

    switch_to(client, login, factories.staff("admin"))
    queue = client.get("/admin/listings").get_data(as_text=True)
    assert "快點餐 QR 點餐系統" in queue and "New listing" in queue
    assert f"/admin/listings/{version.id}" in queue
    review = client.get(f"/admin/listings/{version.id}").get_data(as_text=True)
    assert "<h2>功能</h2>" in review  # the Markdown, rendered
    assert "Record decision" in review and "down at most 3 h 36 min" in review


def test_the_form_takes_as_many_plans_and_tiers_as_the_api(client, db, vendor):
    page = client.get("/vendor/solutions/new").get_data(as_text=True)
    assert 'name="plans-4-name"' in page and 'name="plans-5-name"' not in page
    assert 'name="sla-compensation_tiers-4-credit_percent"' in page
    plans = {f"plans-{i}-{part}": value for i in range(5) for part, value in (
        ("name", f"方案{i + 1}"), ("billing_period", "year"), ("price_ntd", str(1000 * (i + 1))),
        ("list_price_ntd", str(1000 * (i + 1))), ("seats", "5"), ("included", "全部功能"))}
    tiers = {f"sla-compensation_tiers-{i}-{part}": value
             for i, (below, credit) in enumerate(
                 [("99.5", "10"), ("99", "20"), ("98", "30"), ("97", "40"), ("95", "50")])
             for part, value in (("below_percent", below), ("credit_percent", credit))}
    response = client.post("/vendor/solutions/new", data=form_data(**plans, **tiers))
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(db.exec(select(SolutionPlan)).all()) == 5
    assert len(db.exec(select(SolutionVersion)).one().compensation_tiers) == 5


def test_save_draft_stores_it_without_sending_it(client, db, factories, login, vendor):
    response = client.post("/vendor/solutions/new", data=form_data(action="draft"))
    assert response.status_code == 302
    assert db.exec(select(SolutionVersion)).one().state == "draft"
    page = client.get("/vendor/solutions").get_data(as_text=True)
    assert "Saved as a draft" in page and "Draft, not sent for review" in page
    switch_to(client, login, factories.staff("admin"))
    assert "Nothing is waiting for review" in client.get("/admin/listings").get_data(as_text=True)


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"name": ""}, "name", "Enter the solution's name"),
    ({"plans-0-price_ntd": "15000"}, "plans-0-price_ntd", "NT$12,000"),
    ({"sla-availability_percent": "98.5"}, "sla-availability_percent", "at least 99.0%"),
    ({"sla-hours-mon-closes": "08:00"}, "sla-support_windows", "closing time must be after"),
    ({"sla-hours-tue-closes": ""}, "sla-hours-tue-closes", "Enter the closing time"),
    ({"sla-rpo_minutes": "2880"}, "sla-rpo_minutes", "1440 minutes"),
    ({"sla-compensation_tiers-0-credit_percent": "5",
      "sla-compensation_tiers-1-credit_percent": "5"}, "sla-compensation_tiers", "10%"),
    ({"data_export_format": None, "data_export_description": ""}, "data_export_format",
     "Choose the format"),
    ({"data_export_description": ""}, "data_export_description", "exports its data"),
    ({"industries": None}, "industries", "at least one industry"),
    ({"plans-0-name": "", "plans-0-billing_period": "", "plans-0-price_ntd": "",
      "plans-0-list_price_ntd": "", "plans-0-seats": "", "plans-0-included": ""},
     "plans", "one to five plans"),
])
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_stored(
        client, db, vendor, overrides, field, words):
    response = client.post("/vendor/solutions/new", data=form_data(**overrides))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert words in error_next_to(html, field).replace("&#39;", "'")
    assert 'value="客人掃碼點餐，廚房即時出單"' in html  # what was typed is kept
    assert 'value="phone" checked' in html
    assert count(db, Solution) == 0 and count(db, SolutionVersion) == 0


def test_sla_minimums_are_reported_with_the_other_mistakes(client, vendor):
    html = client.post("/vendor/solutions/new", data=form_data(**{
        "name": "", "sla-availability_percent": "98", "sla-hours-mon-closes": "08:00",
    })).get_data(as_text=True)
    assert "Enter the solution" in error_next_to(html, "name")
    assert "99.0%" in error_next_to(html, "sla-availability_percent")
    assert "closing time" in error_next_to(html, "sla-support_windows")
    start = html.index('class="error-summary"')
    summary = html[start:html.index("</ul>", start)]
    assert summary.index("#name") < summary.index("#sla-availability_percent") < summary.index(
        "#sla-support_windows")  # in the order of the page


def test_the_day_with_hours_in_the_wrong_order_is_marked(client, vendor):
    html = client.post("/vendor/solutions/new", data=form_data(**{
        "sla-hours-wed-closes": "08:00"})).get_data(as_text=True)
    marked = re.findall(r'<tr class="row-error">\s*<th scope="row">(\w+)</th>', html)
    assert marked == ["Wed"]


def test_the_form_shows_each_programme_minimum(client, vendor):
    html = client.get("/vendor/solutions/new").get_data(as_text=True)
    for minimum in ("Programme minimum: 99.0%", "40 hours a week", "at least 10%",
                    "480 minutes (8 h)", "1440 minutes (1 d)", "1 channel"):
        assert minimum in html
    assert "HTML is not allowed" in html
    assert 'name="sla-hours-sun-opens"' in html and 'name="plans-2-price_ntd"' in html


def test_minor_edit_goes_live_at_once_and_material_edit_waits(client, db, factories, login,
                                                              vendor):
    live = factories.listing(vendor)
    edit_url = f"/vendor/solutions/{live.solution_id}/edit"
    page = client.get(edit_url).get_data(as_text=True)
    assert 'value="快點餐 QR 點餐系統"' in page and 'value="12000"' in page
    assert 'id="sla-hours-sat-opens" name="sla-hours-sat-opens" type="text" value="09:00"' in page

    client.post(edit_url, data=form_data(summary="掃碼點餐，出單更快"))
    assert "Published at once: no material change" in client.get(
        "/vendor/solutions").get_data(as_text=True)
    minor = listings.live_version(db, live.solution_id)
    assert minor.summary == "掃碼點餐，出單更快" and minor.id != live.id

    client.post(edit_url, data=form_data(summary="掃碼點餐，出單更快", **{
        "plans-0-price_ntd": "9000", "sla-response_minutes": "60"}))
    assert listings.live_version(db, live.solution_id).id == minor.id  # still live
    pending = listings.open_version(db, live.solution_id)
    assert pending.state == "pending"
    mine = client.get("/vendor/solutions").get_data(as_text=True)
    assert "Sent for review" in mine and "Live; your edit is waiting for review" in mine
    # Editing again starts from the edit that waits, not from the live version.
    assert 'value="9000"' in client.get(edit_url).get_data(as_text=True)

    switch_to(client, login, factories.staff("admin"))
    assert "Edit of a live listing" in client.get("/admin/listings").get_data(as_text=True)
    review = client.get(f"/admin/listings/{pending.id}").get_data(as_text=True)
    diff = review[review.index("What changed"):review.index("This version in full")]
    assert "First response within 2 h" in diff and "First response within 1 h" in diff
    assert "Plans in this edit" in diff and "NT$9,000" in diff
    assert "Summary" not in diff and "Availability" not in diff  # unchanged fields left out


def test_another_vendors_solution_is_not_found(client, factories, vendor):
    other = factories.listing()
    url = f"/vendor/solutions/{other.solution_id}"
    assert client.get(url + "/edit").status_code == 404
    assert client.post(url + "/edit", data=form_data()).status_code == 404
    assert client.post(url + "/edit", data={}).status_code == 404
    assert client.get(url + "/withdraw").status_code == 404
    assert client.post(url + "/withdraw", data={"reason": "x"}).status_code == 404


def test_a_vendor_not_yet_approved_is_sent_to_its_application(client, db, factories, login):
    login(factories.vendor())
    for url in ("/vendor/solutions", "/vendor/solutions/new"):
        html = client.get(url).get_data(as_text=True)
        assert "must first be approved" in html and 'href="/vendor/application"' in html
        assert 'name="category"' not in html
    assert "must first be approved" in client.post(
        "/vendor/solutions/new", data=form_data()).get_data(as_text=True)
    assert count(db, Solution) == 0


def test_admin_decides_with_a_reason_the_vendor_reads(client, db, factories, login, vendor):
    first = factories.listing(vendor, approve=False)
    second = factories.listing(vendor, approve=False, name="排班小幫手")
    admin = switch_to(client, login, factories.staff("admin"))
    queue = client.get("/admin/listings").get_data(as_text=True)
    assert queue.index("快點餐") < queue.index("排班小幫手")  # oldest first

    refused = client.post(f"/admin/listings/{first.id}/decision", data={"decision": "approve"})
    assert refused.status_code == 400
    assert "Give the reason" in error_next_to(refused.get_data(as_text=True), "reason")
    assert client.post(f"/admin/listings/{first.id}/decision",
                       data={"decision": "approve", "reason": "資料完整"}).status_code == 302
    assert client.post(f"/admin/listings/{second.id}/decision", data={
        "decision": "reject", "reason": "價格與官網不符，請修正"}).status_code == 302
    again = client.post(f"/admin/listings/{second.id}/decision",
                        data={"decision": "approve", "reason": "x"})
    assert again.status_code == 409 and "no longer waiting" in again.get_data(as_text=True)
    db.expire_all()
    assert db.get(SolutionVersion, first.id).state == "live"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "solution.rejected")).one()
    assert event.reason == "價格與官網不符，請修正"

    switch_to(client, login, vendor)
    mine = client.get("/vendor/solutions").get_data(as_text=True)
    assert "價格與官網不符，請修正" in mine and admin.display_name in mine
    assert f'href="/solutions/{first.solution_id}"' in mine  # the live one links to its page
    edit = client.get(f"/vendor/solutions/{second.solution_id}/edit").get_data(as_text=True)
    assert "價格與官網不符，請修正" in edit


def test_vendor_withdraws_with_a_reason(client, db, vendor, factories):
    live = factories.listing(vendor)
    url = f"/vendor/solutions/{live.solution_id}/withdraw"
    assert "Withdraw solution" in client.get(url).get_data(as_text=True)
    refused = client.post(url, data={"reason": ""})
    assert refused.status_code == 400
    assert "Say why" in error_next_to(refused.get_data(as_text=True), "reason")
    assert client.post(url, data={"reason": "停止販售"}).status_code == 302
    assert db.get(Solution, live.solution_id).withdrawn_at is not None
    assert "Withdrawn" in client.get("/vendor/solutions").get_data(as_text=True)
    assert client.post(url, data={"reason": "again"}).status_code == 409


SETTINGS = {"min_paid_in_capital": "1000000", "min_availability_percent": "99.0",
            "min_weekly_support_hours": "40", "max_response_minutes": "480",
            "max_rpo_minutes": "1440", "min_first_tier_credit_percent": "10",
            "min_support_channels": "1", "reason": "計畫規則修訂"}


@pytest.mark.parametrize(("field", "value"), [
    ("min_availability_percent", "100"), ("min_availability_percent", "80"),
    ("min_weekly_support_hours", "169"), ("max_response_minutes", "0"),
    ("min_support_channels", "5"), ("max_rpo_minutes", "soon"),
])
def test_settings_refuse_minimums_that_make_no_sense(client, db, factories, login, field,
                                                     value):
    login(factories.staff("admin"))
    response = client.post("/admin/catalog-settings", data={**SETTINGS, field: value})
    assert response.status_code == 400
    error_next_to(response.get_data(as_text=True), field)
    assert count(db, AuditEvent) == 0 or not db.exec(select(AuditEvent).where(
        AuditEvent.action == "catalog.settings.update")).first()


def test_new_sla_minimums_apply_to_the_next_submission(client, db, factories, login):
    admin = login(factories.staff("admin"))
    assert 'value="99.0"' in client.get("/admin/catalog-settings").get_data(as_text=True)
    assert client.post("/admin/catalog-settings", data={
        **SETTINGS, "min_availability_percent": "99.9", "min_support_channels": "3"},
    ).status_code == 302
    event = db.exec(select(AuditEvent).where(
        AuditEvent.action == "catalog.settings.update")).one()
    assert json.loads(event.before) == {"min_availability_percent": 99.0,
                                        "min_support_channels": 1}
    assert json.loads(event.after) == {"min_availability_percent": 99.9,
                                       "min_support_channels": 3}
    assert event.actor_id == admin.id

    switch_to(client, login, factories.approved_vendor())
    assert "Programme minimum: 99.9%" in client.get("/vendor/solutions/new").get_data(
        as_text=True)
    response = client.post("/vendor/solutions/new", data=form_data())
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "at least 99.9%" in error_next_to(html, "sla-availability_percent")
    assert "at least 3 channel" in error_next_to(html, "sla-support_channels")
    assert count(db, SolutionVersion) == 0
