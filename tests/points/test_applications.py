"""Applications: checks in plain words, immediate grants, the queue, budget and duplicates."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from tcloud.audit.models import AuditEvent
from tcloud.points import applications, batch, eligibility, programmes
from tcloud.points import models as m
from tcloud.points.applications import ApplicationRefused
from tcloud.points.labels import describe_check
from tests.points.conftest import TODAY


def grants(db, programme):
    return db.execute(select(func.count()).select_from(m.Grant)
                      .where(m.Grant.programme_id == programme.id)).scalar_one()


def test_eligibility_checks_are_pure_and_complete():
    rules = eligibility.Rules(30_000, TODAY, TODAY + timedelta(days=5), ("company",), 10)
    results = eligibility.check_application(
        rules, eligibility.Applicant("12345678", "cooperative", 11), today=TODAY,
        already_applied=True, budget_left=29_999)
    assert [r.code for r in results] == list(eligibility.CHECK_ORDER)
    assert {r.code: r.passed for r in results} == {
        "tax_id_checksum": False, "application_window": True, "entity_type": False,
        "employee_count": False, "duplicate_tax_id": False, "budget_left": False}
    assert eligibility.hard_failure(results).code == "duplicate_tax_id"


def test_every_check_reads_as_a_sentence(app):
    rules = eligibility.Rules(30_000, TODAY, TODAY, ("company",), None)
    for applicant, applied, left in ((eligibility.Applicant("04595257", "company", 3), False,
                                      10**6),
                                     (eligibility.Applicant("1234", None, None), True, 0)):
        for result in eligibility.check_application(rules, applicant, today=TODAY,
                                                    already_applied=applied, budget_left=left):
            with app.test_request_context():
                sentence = describe_check(result.as_dict())
            assert sentence and sentence != result.code and "%(" not in sentence


def test_an_eligible_business_is_granted_at_once(db, factories, make_programme, apply_for):
    programme = make_programme()
    shop = factories.business()
    application = apply_for(shop, programme)
    assert application.status == "granted"
    assert programmes.budget_left(db, programme.id) == 270_000
    assert grants(db, programme) == 1
    actions = set(db.execute(select(AuditEvent.action)).scalars())
    assert {"points.programme.create", "points.application.submit", "points.grant"} <= actions


def test_the_contact_person_named_on_the_application_fills_an_empty_profile(
        db, factories, make_programme, apply_for):
    from tcloud.accounts.models import Organisation

    first, second = factories.business(), factories.business()
    organisation = db.get(Organisation, second.organisation_id)
    organisation.contact_name = "王先生"  # already on the profile: kept
    db.commit()
    programme = make_programme()
    for shop in (first, second):
        apply_for(shop, programme)
    names = [db.get(Organisation, shop.organisation_id).contact_name for shop in (first, second)]
    assert names == ["林小姐", "王先生"]
    changes = db.execute(select(AuditEvent).where(
        AuditEvent.action == "organisation.contact_details_changed")).scalars().all()
    assert [event.subject_id for event in changes] == [str(first.organisation_id)]


def test_failed_checks_wait_for_an_administrator(db, factories, admin, make_programme,
                                                 apply_for):
    programme = make_programme(max_employees=5)
    shop = factories.business(employee_count=20)
    application = apply_for(shop, programme, employee_count=20)
    assert application.status == "pending_review"
    assert application.failed_checks == "employee_count"
    assert grants(db, programme) == 0
    decided = applications.decide(db, admin=admin, application_id=application.id, approve=True,
                                  reason="員工數含兼職，經查符合")
    db.commit()
    assert decided.status == "granted" and grants(db, programme) == 1
    with pytest.raises(Exception, match="already been decided"):
        applications.decide(db, admin=admin, application_id=application.id, approve=False,
                            reason="again")


def test_an_invalid_tax_id_is_queued_with_the_reason(db, factories, make_programme,
                                                    apply_for):
    programme = make_programme()
    shop = factories.business()
    db.execute(text("UPDATE organisations SET tax_id = '12345678' WHERE id = :id"),
               {"id": shop.organisation_id})
    db.expire_all()
    application = apply_for(shop, programme)
    assert application.status == "pending_review"
    failed = [c for c in applications.checks_of(application) if not c["passed"]]
    assert [c["code"] for c in failed] == ["tax_id_checksum"]


def test_programmes_can_require_review_of_everything(db, factories, make_programme, apply_for):
    programme = make_programme(grant_immediately=False)
    application = apply_for(factories.business(), programme)
    assert application.status == "pending_review" and application.failed_checks == ""


def test_a_second_application_from_the_same_tax_id_is_refused(db, factories, make_programme,
                                                              apply_for):
    programme = make_programme()
    shop = factories.business()
    apply_for(shop, programme)
    with pytest.raises(ApplicationRefused) as refused:
        apply_for(shop, programme)
    assert any(r["code"] == "duplicate_tax_id" and not r["passed"]
               for r in refused.value.results)
    assert grants(db, programme) == 1


def test_the_database_refuses_a_second_grant_for_a_tax_id(db, factories, make_programme,
                                                          apply_for):
    programme = make_programme()
    shop = factories.business()
    application = apply_for(shop, programme)
    grant = db.execute(select(m.Grant)).scalar_one()
    with pytest.raises(IntegrityError):
        with db.begin_nested():
            db.add(m.Grant(programme_id=programme.id, tax_id=application.tax_id,
                           organisation_id=shop.organisation_id, application_id=application.id,
                           points=1, transaction_id=grant.transaction_id))
            db.flush()


def test_closed_window_refuses(db, factories, make_programme, apply_for):
    programme = make_programme()
    with pytest.raises(ApplicationRefused, match="not accepting"):
        apply_for(factories.business(), programme, today=programme.closes_on + timedelta(1))


def test_budget_short_refuses_or_waitlists(db, factories, admin, make_programme, apply_for):
    refusing = make_programme(total_budget=30_000)
    apply_for(factories.business(), refusing)
    with pytest.raises(ApplicationRefused, match="budget has run out"):
        apply_for(factories.business(), refusing)
    assert programmes.budget_left(db, refusing.id) == 0

    waiting = make_programme(total_budget=30_000, when_budget_short="waitlist")
    apply_for(factories.business(), waiting)
    second, third = factories.business(), factories.business()
    assert apply_for(second, waiting).status == "waitlisted"
    assert apply_for(third, waiting).status == "waitlisted"
    with pytest.raises(Exception, match="Raise the budget"):
        applications.decide(db, admin=admin, application_id=applications.queue(
            db, programme_id=waiting.id)[0].id, approve=True, reason="x")
    db.rollback()
    values = {name: getattr(waiting, name) for name in programmes.EDITABLE}
    values.update(total_budget=60_000, allowed_entity_types=list(waiting.entity_types))
    programmes.update_programme(db, admin=admin, programme_id=waiting.id, values=values,
                                reason="追加預算")
    result = batch.grant_queue(db, admin=admin, programme_id=waiting.id, reason="依序核發")
    db.commit()
    assert (result.granted, result.budget_left, result.still_waiting) == (1, 0, 1)
    granted = db.execute(select(m.Grant.organisation_id)
                         .where(m.Grant.programme_id == waiting.id)
                         .order_by(m.Grant.id)).scalars().all()
    assert granted[-1] == second.organisation_id  # the waiting list is served in order


def test_budget_cannot_be_lowered_below_what_was_granted(db, factories, admin, make_programme,
                                                         apply_for):
    programme = make_programme(total_budget=60_000)
    apply_for(factories.business(), programme)
    values = {name: getattr(programme, name) for name in programmes.EDITABLE}
    values.update(total_budget=20_000, allowed_entity_types=list(programme.entity_types))
    with pytest.raises(Exception, match="cannot be lower than 30,000"):
        programmes.update_programme(db, admin=admin, programme_id=programme.id, values=values)
    db.rollback()
    values["total_budget"] = 30_000
    programmes.update_programme(db, admin=admin, programme_id=programme.id, values=values,
                                reason="縮減")
    db.commit()
    assert programmes.budget_left(db, programme.id) == 0
    event = db.execute(select(AuditEvent).where(
        AuditEvent.action == "points.programme.update")).scalar_one()
    assert json.loads(event.before)["total_budget"] == 60_000
    totals = programmes.totals(db, programme.id)
    assert totals["granted"] == 30_000 and totals["budget_left"] == 0


def test_granting_the_queue_in_one_batch_respects_the_budget(db, factories, admin,
                                                            make_programme, apply_for):
    programme = make_programme(total_budget=18 * 30_000, grant_immediately=False,
                               max_employees=5)
    shops = [factories.business() for _ in range(21)]
    for shop in shops[:20]:
        assert apply_for(shop, programme).status == "pending_review"
    needs_review = apply_for(shops[20], programme, employee_count=50)  # fails a check
    result = batch.grant_queue(db, admin=admin, programme_id=programme.id, reason="批次核發")
    db.commit()
    assert (result.granted, result.budget_left, result.still_waiting) == (18, 0, 3)
    wallets = db.execute(select(m.LedgerAccount.balance).where(
        m.LedgerAccount.kind == m.WALLET, m.LedgerAccount.programme_id == programme.id)
    ).scalars().all()
    assert sorted(wallets) == [30_000] * 18
    assert db.get(m.GrantApplication, needs_review.id).status == "pending_review"
    assert programmes.totals(db, programme.id)["granted"] == 18 * 30_000
