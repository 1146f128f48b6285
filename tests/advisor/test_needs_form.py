"""The needs form: drafts keep anything, submit validates everything, diagnosis at once."""

import pytest
from sqlmodel import select

from tcloud.advisor import forms
from tcloud.advisor.models import FORM_DRAFT, FORM_SUBMITTED, Diagnosis, NeedsForm
from tcloud.errors import ValidationFailed
from tests.advisor.forms_data import needs_answers, page_form, readiness_answers


@pytest.fixture
def english(client):
    client.post("/language", data={"locale": "en"})


def test_a_draft_keeps_incomplete_and_wrong_answers_without_complaint(db, factories):
    business = factories.business()
    draft = forms.save_draft(db, user=business, answers={"employees": "abc", "problems": ["pos"]})
    assert draft.state == FORM_DRAFT
    assert draft.answers == {"employees": "abc", "problems": ["pos"]}
    again = forms.save_draft(db, user=business, answers={"employees": "4"})
    assert again.id == draft.id and again.answers == {"employees": "4"}


def test_a_draft_refuses_unknown_fields(db, factories):
    with pytest.raises(ValidationFailed) as err:
        forms.save_draft(db, user=factories.business(), answers={"salary": 3})
    assert "salary" in err.value.errors


def test_submit_reports_every_missing_answer_by_field(db, factories):
    with pytest.raises(ValidationFailed) as err:
        forms.submit(db, user=factories.business(), answers={"problems": []})
    errors = err.value.errors
    for field in ("employees", "industry", "city", "sells", "sales_channel", "problems",
                  "top_problem", "review", "readiness-data_digitised", "readiness-devices"):
        assert field in errors, field
    assert errors["employees"] == "Enter how many people work in your business."


def test_top_priority_must_be_a_ticked_problem(db, factories):
    with pytest.raises(ValidationFailed) as err:
        forms.submit(db, user=factories.business(),
                     answers=needs_answers(problems=["pos"], top_problem="crm"))
    assert err.value.errors == {
        "top_problem": "Your top priority must be one of the problems you ticked."}


def test_an_unknown_readiness_option_is_named(db, factories):
    answers = needs_answers(readiness={**readiness_answers(), "devices": "quantum"})
    with pytest.raises(ValidationFailed) as err:
        forms.submit(db, user=factories.business(), answers=answers)
    assert list(err.value.errors) == ["readiness-devices"]


def test_submit_turns_the_draft_into_the_form_with_a_diagnosis(db, factories):
    business = factories.business()
    draft = forms.save_draft(db, user=business, answers={"employees": "5"})
    form, recommendation = forms.submit(db, user=business, answers=needs_answers(
        readiness=readiness_answers(0)))
    assert form.id == draft.id and form.state == FORM_SUBMITTED
    diagnosis = db.exec(select(Diagnosis).where(Diagnosis.form_id == form.id)).one()
    assert diagnosis.readiness_index == 0 and diagnosis.stage == 1
    assert recommendation.state == "new" and not recommendation.automatic
    assert forms.current_draft(db, business.organisation_id) is None


def test_the_page_saves_a_draft_then_shows_errors_on_submit(client, login, factories, db,
                                                            english):
    business = login(factories.business())
    response = client.post("/advisor/form", data={"employees": "many", "action": "draft"})
    assert response.status_code == 302
    page = client.get("/advisor/form").get_data(as_text=True)
    assert 'value="many"' in page
    response = client.post("/advisor/form", data={"employees": "many", "action": "submit"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'href="#employees"' in body and 'href="#readiness-data_digitised"' in body
    assert "Enter a whole number of people, at least 1." in body
    # What was typed is still there, and still saved as the draft.
    assert 'value="many"' in body
    assert db.exec(select(NeedsForm).where(
        NeedsForm.organisation_id == business.organisation_id)).one().state == FORM_DRAFT


def test_the_form_is_prefilled_from_the_business_profile(client, login, factories):
    login(factories.business(employee_count=7, industry="retail", city="taichung"))
    page = client.get("/advisor/form").get_data(as_text=True)
    assert 'value="7"' in page
    assert '<option value="retail" selected>' in page


def test_the_page_submits_and_shows_the_diagnosis_at_once(client, login, factories, english):
    login(factories.business())
    response = client.post("/advisor/form", data={**page_form(needs_answers(
        support_needs=["weekends"], obstacles=["cost", "data_leak_fear"])), "action": "submit"})
    assert response.status_code == 302, response.get_data(as_text=True)
    page = client.get(response.location).get_data(as_text=True)
    assert "Readiness index" in page and "What to do first" in page
    assert "It costs too much" in page and "We fear data leaks" in page
    assert "A consultant will check the automatic list" in page
