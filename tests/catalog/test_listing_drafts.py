"""Unfinished drafts: "Save draft" keeps a half-filled listing (malformed answers are still
refused); "Send for review" checks everything and lists what is missing."""

import re

import pytest
from sqlmodel import select

from tcloud.catalog.models import Solution, SolutionPlan, SolutionVersion
from tests.catalog.test_listing_pages import error_next_to, form_data, switch_to

# Everything blank but a name, one plan's name and price, the availability and Monday's hours.
HALF_FILLED = {key: ([] if isinstance(value, list) else "")
               for key, value in form_data().items() if key != "action"}
HALF_FILLED.update({
    "name": "快點餐（寫到一半）", "plans-0-name": "基本版", "plans-0-price_ntd": "12000",
    "sla-availability_percent": "99.5", "sla-hours-mon-opens": "09:00",
    "sla-hours-mon-closes": "24:00", "sla-support_channels": ["line"], "action": "draft",
})


@pytest.fixture(autouse=True)
def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def vendor(factories, login):
    return login(factories.approved_vendor())


def save(client, data, solution_id=None):
    path = f"/vendor/solutions/{solution_id}/edit" if solution_id else "/vendor/solutions/new"
    return client.post(path, data=data)


def summary_links(html: str) -> list[str]:
    start = html.index('class="error-summary"')
    return re.findall(r'href="#([\w-]+)"', html[start:html.index("</ul>", start)])


def test_a_half_filled_draft_saves_and_reloads_with_its_values(client, db, vendor):
    response = save(client, HALF_FILLED)
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.exec(select(SolutionVersion)).one()
    assert version.state == "draft" and version.name == "快點餐（寫到一半）"
    assert db.exec(select(SolutionPlan)).first() is None  # nothing half-made in the columns
    listed = client.get("/vendor/solutions").get_data(as_text=True)
    assert "Unfinished: some answers are still missing" in listed and "快點餐（寫到一半）" in listed

    form = client.get(f"/vendor/solutions/{version.solution_id}/edit").get_data(as_text=True)
    for name, value in (("name", "快點餐（寫到一半）"), ("plans-0-name", "基本版"),
                        ("plans-0-price_ntd", "12000"), ("sla-availability_percent", "99.5"),
                        ("sla-hours-mon-opens", "09:00"), ("sla-hours-mon-closes", "24:00")):
        assert re.search(rf'name="{name}"[^>]*value="{re.escape(value)}"', form), name
    assert re.search(r'name="summary"[^>]*value=""', form)
    assert 'value="line" checked' in form and 'value="phone" checked' not in form


def test_submitting_the_same_draft_lists_what_is_missing_and_keeps_it(client, db, vendor):
    save(client, HALF_FILLED)
    solution_id = db.exec(select(Solution)).one().id
    response = save(client, {**HALF_FILLED, "action": "submit"}, solution_id)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    missing = summary_links(html)
    for field in ("category", "summary", "description_md", "industries", "problems",
                  "plans-0-billing_period", "plans-0-list_price_ntd", "sla-compensation_tiers",
                  "sla-response_minutes", "health_url", "data_export_description"):
        assert field in missing, field
    assert "name" not in missing and "sla-availability_percent" not in missing
    assert "Choose the category" in error_next_to(html, "category")
    version = db.exec(select(SolutionVersion)).one()
    assert version.state == "draft" and version.draft_form["plans"][0]["name"] == "基本版"


def test_a_finished_draft_goes_to_review_like_any_listing(client, db, vendor):
    save(client, HALF_FILLED)
    solution_id = db.exec(select(Solution)).one().id
    response = save(client, form_data(action="submit"), solution_id)
    assert response.status_code == 302, response.get_data(as_text=True)
    version = db.exec(select(SolutionVersion)).one()
    assert version.state == "pending" and version.draft_form is None
    assert version.name == "快點餐 QR 點餐系統" and len(db.exec(select(SolutionPlan)).all()) == 1


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"plans-0-price_ntd": "twelve thousand"}, "plans-0-price_ntd", "whole number"),
    ({"name": "長" * 81}, "name", "at most 80 characters"),
    ({"summary": "摘" * 201}, "summary", "at most 200 characters"),
    ({"sla-hours-mon-closes": "25:00"}, "sla-hours-mon-closes", "00:01 to 24:00"),
    ({"sla-availability_percent": "high"}, "sla-availability_percent", "Enter a number"),
    ({"health_url": "http://status.example.com"}, "health_url", "https://"),
    ({"name": ""}, "name", "Give the draft a name"),
])
def test_a_draft_still_refuses_malformed_answers(client, db, vendor, overrides, field, words):
    response = save(client, {**HALF_FILLED, **overrides})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert words in error_next_to(html, field)
    assert 'value="基本版"' in html  # what was typed is kept
    assert db.exec(select(SolutionVersion)).first() is None


def test_a_complete_draft_below_a_minimum_is_kept_and_submit_names_the_minimum(client, db,
                                                                               vendor):
    below = form_data(action="draft", **{"sla-availability_percent": "98.5"})
    assert save(client, below).status_code == 302
    version = db.exec(select(SolutionVersion)).one()
    assert version.state == "draft" and version.draft_form["sla"]["availability_percent"] == "98.5"
    response = save(client, {**below, "action": "submit"}, version.solution_id)
    assert response.status_code == 400
    assert "at least 99.0%" in error_next_to(response.get_data(as_text=True),
                                             "sla-availability_percent")


def test_a_version_waiting_for_review_is_not_replaced_by_an_unfinished_one(client, db, vendor):
    save(client, form_data())
    version = db.exec(select(SolutionVersion)).one()
    response = save(client, HALF_FILLED, version.solution_id)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "waiting for review" in html and "summary" in summary_links(html)
    db.refresh(version)
    assert version.state == "pending" and version.draft_form is None
    assert version.name == "快點餐 QR 點餐系統"


def test_an_unfinished_edit_of_a_live_listing_leaves_buyers_the_live_version(
        client, db, factories, login, vendor):
    live = factories.listing(vendor, name="快點餐上線版")
    assert save(client, {**HALF_FILLED, "name": "快點餐改版中"},
                live.solution_id).status_code == 302
    versions = db.exec(select(SolutionVersion).order_by(SolutionVersion.number)).all()
    assert [(v.state, v.name) for v in versions] == [("live", "快點餐上線版"),
                                                     ("draft", "快點餐改版中")]
    switch_to(client, login, factories.business())
    page = client.get(f"/solutions/{live.solution_id}").get_data(as_text=True)
    assert "快點餐上線版" in page and "快點餐改版中" not in page
