"""The consultant workflow: who sees what, claim, edit, send, reassign, and conversions."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tcloud.advisor import consultant, conversion, forms, recommendations
from tcloud.advisor.models import Conversion
from tcloud.audit.models import AuditEvent
from tcloud.clock import utcnow
from tcloud.errors import Conflict, DomainError, NotFound
from tcloud.notifications.models import Notification
from tests.advisor.forms_data import needs_answers
from tests.points.order_factory import build_order


@pytest.fixture
def world(db, factories):
    vendor = factories.approved_vendor()
    pos = factories.listing(vendor, name="收銀 POS")
    crm = factories.listing(vendor, name="會員 CRM", category="customer_service",
                            problems=["crm"])
    business = factories.business()
    people = {"a": factories.staff("consultant"), "b": factories.staff("consultant"),
              "admin": factories.staff("admin")}
    form, recommendation = forms.submit(db, user=business, answers=needs_answers())
    db.commit()
    return {"pos": pos, "crm": crm, "business": business, "form": form,
            "recommendation": recommendation, **people}


def _kinds(db, user):
    return [n.kind for n in db.exec(select(Notification).where(
        Notification.user_id == user.id)).all()]


def test_a_submitted_form_waits_as_new_and_tells_consultants(db, world):
    assert world["recommendation"].state == "new"
    assert "advisor.form_queued" in _kinds(db, world["a"])
    assert [r.recommendation.id for r in consultant.queue(db, world["a"])] == [
        world["recommendation"].id]


def test_consultant_b_cannot_see_what_a_claimed(db, world):
    rid = world["recommendation"].id
    consultant.claim(db, rid, world["a"])
    assert consultant.queue(db, world["b"]) == []
    with pytest.raises(NotFound):
        consultant.get_for_review(db, rid, world["b"])
    with pytest.raises(NotFound):
        consultant.claim(db, rid, world["b"])
    with pytest.raises(NotFound):
        consultant.add_item(db, rid, world["b"], solution_id=world["crm"].solution_id)
    with pytest.raises(NotFound):
        forms.get_form(db, world["form"].id, user=world["b"])
    assert forms.get_form(db, world["form"].id, user=world["a"]).id == world["form"].id


def test_a_new_form_cannot_be_edited_before_it_is_claimed(db, world):
    with pytest.raises(NotFound):
        consultant.add_item(db, world["recommendation"].id, world["a"],
                            solution_id=world["crm"].solution_id)


def test_a_business_sees_only_its_own_forms(db, world, factories):
    with pytest.raises(NotFound):
        forms.get_form(db, world["form"].id, user=factories.business())


def test_claim_add_reorder_note_remove_and_send(db, world):
    rid, a = world["recommendation"].id, world["a"]
    consultant.claim(db, rid, a)
    with pytest.raises(Conflict):
        consultant.claim(db, rid, a)
    added = consultant.add_item(db, rid, a, solution_id=world["crm"].solution_id)
    # The CRM solves none of the form's problems: it is kept, with the matcher's objection.
    assert added.score is None and added.reasons[0][1] == "problems_none"
    assert world["recommendation"].state == "in_review"
    with pytest.raises(Conflict):
        consultant.add_item(db, rid, a, solution_id=world["crm"].solution_id)
    consultant.move_item(db, rid, a, added.id, -1)
    items = recommendations.items_of(db, rid)
    assert [i.solution_id for i in items] == [world["crm"].solution_id, world["pos"].solution_id]
    consultant.write_notes(db, rid, a, notes={added.id: "先把會員建起來"}, overall_note="慢慢來")
    consultant.send(db, rid, a)
    assert world["recommendation"].state == "sent"
    assert "advisor.recommendation_sent" in _kinds(db, world["business"])
    event = db.exec(select(AuditEvent).where(
        AuditEvent.action == "advisor.recommendation_sent")).one()
    assert event.actor_id == a.id
    with pytest.raises(Conflict):
        consultant.remove_item(db, rid, a, added.id)


def test_an_empty_list_cannot_be_sent(db, world):
    rid, a = world["recommendation"].id, world["a"]
    consultant.claim(db, rid, a)
    for item in recommendations.items_of(db, rid):
        consultant.remove_item(db, rid, a, item.id)
    with pytest.raises(DomainError) as err:
        consultant.send(db, rid, a)
    assert err.value.field == "items"


def test_an_unknown_solution_cannot_be_added(db, world):
    rid, a = world["recommendation"].id, world["a"]
    consultant.claim(db, rid, a)
    with pytest.raises(DomainError) as err:
        consultant.add_item(db, rid, a, solution_id=987654)
    assert err.value.field == "solution_id"


def test_an_administrator_reassigns_with_a_reason_that_is_audited(db, world):
    rid = world["recommendation"].id
    consultant.claim(db, rid, world["a"])
    consultant.assign(db, rid, admin=world["admin"], consultant_id=world["b"].id,
                      reason="A is on leave")
    assert consultant.get_for_review(db, rid, world["b"]).consultant_id == world["b"].id
    with pytest.raises(NotFound):
        consultant.get_for_review(db, rid, world["a"])
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "advisor.reassign")).one()
    assert event.reason == "A is on leave" and str(world["a"].id) in event.before
    assert "advisor.assigned" in _kinds(db, world["b"])
    with pytest.raises(DomainError):
        consultant.assign(db, rid, admin=world["admin"], consultant_id=world["business"].id,
                          reason="x")


def test_conversion_recorded_when_a_recommended_solution_is_bought(db, world):
    rid, a = world["recommendation"].id, world["a"]
    consultant.claim(db, rid, a)
    consultant.send(db, rid, a)
    assert conversion.check_conversions(db) == 0  # nothing bought yet, window still open
    build_order(db, buyer=world["business"], version=world["pos"], programme=None, points=0,
                card=12_000)
    assert conversion.check_conversions(db) == 1
    assert conversion.check_conversions(db) == 0  # decided once
    row = db.exec(select(Conversion)).one()
    assert row.converted and row.bought_solution_ids == [world["pos"].solution_id]
    rows, total = conversion.report(db)
    assert [(r.consultant_id, r.sent, r.decided, r.converted) for r in rows] == [
        (a.id, 1, 1, 1)]
    assert total.rate_percent == 100.0


def test_no_purchase_within_30_days_is_recorded_as_not_converted(db, world, factories):
    other = factories.business()
    _form, automatic = forms.submit(db, user=other, answers=needs_answers(review="automatic"))
    now = utcnow()
    assert conversion.check_conversions(db, now + timedelta(days=29)) == 0
    assert conversion.check_conversions(db, now + timedelta(days=31)) == 1
    row = db.exec(select(Conversion)).one()
    assert row.recommendation_id == automatic.id and not row.converted
    rows, total = conversion.report(db)
    assert rows[-1].consultant_id is None and rows[-1].rate_percent == 0.0


def test_the_conversion_check_runs_daily_from_the_scheduler(db):
    from tcloud.advisor.jobs import SCHEDULED_JOBS
    from tcloud.scheduling import collect_jobs

    (job,) = [j for j in collect_jobs() if j.name == "advisor.record_conversions"]
    assert job in SCHEDULED_JOBS and job.cron == {"hour": 3, "minute": 20}
    assert job.run(db, utcnow()) == 0  # nothing sent yet
