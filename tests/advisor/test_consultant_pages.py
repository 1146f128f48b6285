"""Consultant and administrator pages, and the business's recommendation page."""

import pytest

from tcloud.advisor import forms
from tests.advisor.forms_data import needs_answers


@pytest.fixture
def english(client):
    client.post("/language", data={"locale": "en"})


@pytest.fixture
def queued(db, factories):
    vendor = factories.approved_vendor()
    pos = factories.listing(vendor, name="收銀 POS").solution_id
    crm = factories.listing(vendor, name="會員 CRM", category="customer_service",
                            problems=["crm"]).solution_id
    business = factories.business()
    form, recommendation = forms.submit(db, user=business, answers=needs_answers())
    db.commit()
    return {"pos": pos, "crm": crm, "business": business, "form": form,
            "rid": recommendation.id}


def test_consultant_claims_edits_and_sends_on_pages(client, login, factories, queued, english):
    login(factories.staff("consultant"))
    rid = queued["rid"]
    assert f'id="claim-{rid}"' in client.get("/advisor/queue").get_data(as_text=True)
    assert client.get(f"/advisor/queue/{rid}").status_code == 404  # not claimed yet
    assert client.post(f"/advisor/queue/{rid}/claim").status_code == 302
    page = client.get(f"/advisor/queue/{rid}?q=CRM").get_data(as_text=True)
    assert "What the business told us" in page and f'id="add-{queued["crm"]}"' in page
    assert client.post(f"/advisor/queue/{rid}/items",
                       data={"solution_id": queued["crm"]}).status_code == 302
    page = client.get(f"/advisor/queue/{rid}").get_data(as_text=True)
    assert "The matcher left this out:" in page
    assert "Solves none of the problems you chose." in page
    response = client.post(f"/advisor/queue/{rid}", data={
        "action": f"remove:{_item_id(page, queued['crm'])}", "overall_note": "先收銀"})
    assert response.status_code == 302
    response = client.post(f"/advisor/queue/{rid}", data={"action": "send",
                                                          "overall_note": "先收銀"})
    assert response.status_code == 302

    login(queued["business"])
    page = client.get(f"/advisor/forms/{queued['form'].id}/recommendation").get_data(
        as_text=True)
    assert "先收銀" in page and "收銀 POS" in page and "Why, factor by factor" in page
    assert f"/solutions/{queued['pos']}/quote?plan=" in page


def _item_id(page: str, solution_id: int) -> str:
    start = page.index(f'id="remove-{solution_id}"')
    return page[page.rindex('value="remove:', 0, start) + 14:].split('"')[0]


def test_sending_an_empty_list_shows_the_error(client, login, factories, queued, english):
    login(factories.staff("consultant"))
    rid = queued["rid"]
    client.post(f"/advisor/queue/{rid}/claim")
    page = client.get(f"/advisor/queue/{rid}").get_data(as_text=True)
    client.post(f"/advisor/queue/{rid}", data={"action": f"remove:{_item_id(page, queued['pos'])}"})
    response = client.post(f"/advisor/queue/{rid}", data={"action": "send"})
    assert response.status_code == 400
    assert "Add at least one solution before sending." in response.get_data(as_text=True)


def test_the_business_waits_while_a_consultant_reviews(client, login, queued, english):
    login(queued["business"])
    page = client.get(f"/advisor/forms/{queued['form'].id}/recommendation").get_data(
        as_text=True)
    assert "A consultant is reviewing your list." in page and "收銀 POS" not in page
    assert "A consultant is reviewing it" in client.get("/advisor").get_data(as_text=True)


def test_admin_reassigns_on_the_page_and_sees_conversions(client, login, factories, queued,
                                                         english):
    consultant = factories.staff("consultant", display_name="林顧問")
    login(factories.staff("admin"))
    rid = queued["rid"]
    assert "林顧問" in client.get(f"/advisor/queue/{rid}").get_data(as_text=True)
    refused = client.post(f"/advisor/queue/{rid}/assign", data={"consultant_id": consultant.id})
    assert refused.status_code == 400
    assert "Give a reason for the change." in refused.get_data(as_text=True)
    done = client.post(f"/advisor/queue/{rid}/assign",
                       data={"consultant_id": consultant.id, "reason": "熟悉餐飲"})
    assert done.status_code == 302
    page = client.get("/advisor/conversions").get_data(as_text=True)
    assert 'id="overall-rate"' in page


def test_the_review_shows_what_the_matcher_left_out_and_why(client, login, factories, db,
                                                            queued, english):
    factory_pos = factories.listing(name="工廠 POS", min_employees=100,
                                    max_employees=900).solution_id
    login(factories.staff("consultant"))
    rid = queued["rid"]
    client.post(f"/advisor/queue/{rid}/claim")
    page = client.get(f"/advisor/queue/{rid}").get_data(as_text=True)
    assert "Left out by the matcher" in page and f'id="add-left-{factory_pos}"' in page
    assert "Made for businesses with at least 100 staff; you have 5." in page
