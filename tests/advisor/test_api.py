"""The advisor API: drafts, submit, diagnosis, recommendation, consultant actions, admin."""

import pytest

from tests.advisor.forms_data import needs_answers


@pytest.fixture
def catalogue(factories):
    vendor = factories.approved_vendor()
    return {"pos": factories.listing(vendor, name="收銀 POS").solution_id,
            "crm": factories.listing(vendor, name="會員 CRM", category="customer_service",
                                     problems=["crm"]).solution_id}


def test_draft_round_trip_and_unknown_fields(client, login, factories):
    login(factories.business(employee_count=6))
    assert client.get("/api/v1/advisor/draft").json["answers"]["employees"] == 6
    saved = client.put("/api/v1/advisor/draft", json={"answers": {"employees": "six"}})
    assert saved.status_code == 200 and saved.json["answers"] == {"employees": "six"}
    assert client.get("/api/v1/advisor/draft").json["answers"] == {"employees": "six"}
    bad = client.put("/api/v1/advisor/draft", json={"answers": {"wage": 1}})
    assert bad.status_code == 422


def test_submit_validates_then_diagnoses_and_recommends(client, login, factories, catalogue):
    login(factories.business())
    bad = client.post("/api/v1/advisor/forms", json=needs_answers(employees=0, review="maybe"))
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"employees", "review"}
    made = client.post("/api/v1/advisor/forms", json=needs_answers(review="automatic"))
    assert made.status_code == 201, made.json
    form_id = made.json["id"]
    diagnosis = client.get(f"/api/v1/advisor/forms/{form_id}/diagnosis").json
    assert diagnosis["stage"]["number"] in (1, 2, 3, 4)
    assert set(diagnosis["dimension_scores"]) == {"strategy", "people", "technology"}
    assert diagnosis["obstacles"][0]["code"] == "cost"
    recommendation = client.get(f"/api/v1/advisor/forms/{form_id}/recommendation").json
    assert recommendation["state"] == "sent"
    (item,) = recommendation["items"]
    assert item["solution_id"] == catalogue["pos"]
    assert item["quote_url"].startswith(f"/solutions/{catalogue['pos']}/quote?plan=")
    assert len(item["reasons"]) == 9 and item["reasons"][0]["text"]


def test_consultant_flow_over_the_api(client, login, factories, catalogue):
    consultant = factories.staff("consultant")
    business = login(factories.business())
    form_id = client.post("/api/v1/advisor/forms", json=needs_answers()).json["id"]
    waiting = client.get(f"/api/v1/advisor/forms/{form_id}/recommendation").json
    assert waiting["state"] == "new" and waiting["items"] == []  # not before it is sent

    login(consultant)
    (row,) = client.get("/api/v1/advisor/queue").json
    rid = row["id"]
    assert client.get(f"/api/v1/advisor/recommendations/{rid}").status_code == 404
    assert client.post(f"/api/v1/advisor/recommendations/{rid}/claim", json={}).json[
        "state"] == "claimed"
    edited = client.put(f"/api/v1/advisor/recommendations/{rid}/items", json={
        "items": [{"solution_id": catalogue["crm"], "note": "會員先做"},
                  {"solution_id": catalogue["pos"]}], "overall_note": "兩個一起用"})
    assert edited.status_code == 200, edited.json
    assert [i["solution_id"] for i in edited.json["items"]] == [catalogue["crm"],
                                                                catalogue["pos"]]
    twice = client.put(f"/api/v1/advisor/recommendations/{rid}/items", json={
        "items": [{"solution_id": catalogue["pos"]}, {"solution_id": catalogue["pos"]}]})
    assert twice.status_code == 400
    sent = client.post(f"/api/v1/advisor/recommendations/{rid}/send", json={})
    assert sent.json["state"] == "sent"
    assert client.post(f"/api/v1/advisor/recommendations/{rid}/send",
                       json={}).status_code == 409

    login(business)
    final = client.get(f"/api/v1/advisor/forms/{form_id}/recommendation").json
    assert final["overall_note"] == "兩個一起用" and final["items"][0]["note"] == "會員先做"


def test_admin_assigns_and_reads_conversions(client, login, factories, catalogue):
    consultant = factories.staff("consultant")
    login(factories.business())
    client.post("/api/v1/advisor/forms", json=needs_answers())
    login(factories.staff("admin"))
    (row,) = client.get("/api/v1/advisor/queue").json
    missing_reason = client.post(f"/api/v1/advisor/recommendations/{row['id']}/assign",
                                 json={"consultant_id": consultant.id})
    assert missing_reason.status_code == 422
    done = client.post(f"/api/v1/advisor/recommendations/{row['id']}/assign",
                       json={"consultant_id": consultant.id, "reason": "地區熟"})
    assert done.status_code == 200 and done.json["consultant_id"] == consultant.id
    report = client.get("/api/v1/advisor/conversions").json
    assert report[-1]["sent"] == 0


def test_the_openapi_document_lists_the_advisor(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "/api/v1/advisor/forms" in paths
    assert "/api/v1/advisor/recommendations/{recommendation_id}/items" in paths
