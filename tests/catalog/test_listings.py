"""Listings: publish with the five SLA terms, minimums enforced, versions reviewed, withdraw."""

import pytest
from sqlmodel import select

from tcloud import validation
from tcloud.audit.models import AuditEvent
from tcloud.catalog import browse, listings
from tcloud.catalog.listing_input import listing_input_from
from tcloud.catalog.listing_schemas import ListingSchema
from tcloud.catalog.models import SolutionVersion
from tcloud.errors import NotFound, PermissionDenied, ValidationFailed
from tests.factories import listing_payload


def listing_input(**overrides):
    return listing_input_from(validation.load(ListingSchema(), listing_payload(**overrides)))


def test_new_listing_waits_for_review_and_is_not_public(db, factories):
    version = factories.listing(approve=False)
    assert version.state == "pending"
    assert browse.search(db, browse.CatalogQuery()).total == 0
    with pytest.raises(NotFound):
        browse.public_version(db, version.solution_id)


def test_approved_listing_is_public_with_derived_fields(db, factories):
    version = factories.listing()
    assert version.state == "live"
    assert version.weekend_support is True  # Saturday hours
    assert version.yearly_price_from == 12000
    row, live = browse.public_version(db, version.solution_id)
    assert row.name == "快點餐 QR 點餐系統" and live.id == version.id


def test_unapproved_vendor_cannot_publish(db, factories):
    vendor = factories.vendor()
    with pytest.raises(PermissionDenied):
        listings.save_listing(db, vendor=vendor, listing=listing_input(), submit=True)


@pytest.mark.parametrize(("sla", "field", "words"), [
    ({"availability_percent": 98.0}, "sla-availability_percent", "99.0%"),
    ({"support_windows": [{"day": "mon", "opens": "09:00", "closes": "12:00"}]},
     "sla-support_windows", "40"),
    ({"response_minutes": 600}, "sla-response_minutes", "480"),
    ({"rpo_minutes": 2880}, "sla-rpo_minutes", "1440"),
    ({"compensation_tiers": [{"below_percent": 99.5, "credit_percent": 5}]},
     "sla-compensation_tiers", "10%"),
])
def test_listing_below_a_minimum_is_refused_naming_the_term(db, factories, sla, field, words):
    vendor = factories.approved_vendor()
    with pytest.raises(ValidationFailed) as caught:
        listings.save_listing(db, vendor=vendor, listing=listing_input(sla=sla), submit=True)
    assert words in caught.value.errors[field]
    assert db.exec(select(SolutionVersion)).first() is None


def test_subsidised_price_may_not_exceed_list_price(db, factories):
    vendor = factories.approved_vendor()
    plans = [{"name": "A", "billing_period": "month", "price_ntd": 1200, "list_price_ntd": 1000,
              "seats": 3}]
    with pytest.raises(ValidationFailed) as caught:
        listings.save_listing(db, vendor=vendor, listing=listing_input(plans=plans))
    assert "1,000" in caught.value.errors["plans-0-price_ntd"]


def test_schema_errors_are_named_by_path(db):
    payload = listing_payload(plans=[{"name": "", "billing_period": "week", "price_ntd": -1,
                                      "list_price_ntd": 10, "seats": 1}],
                              sla={"rpo_minutes": "soon"}, health_url="http://x.example")
    with pytest.raises(ValidationFailed) as caught:
        validation.load(ListingSchema(), payload)
    errors = caught.value.errors
    assert {"plans-0-name", "plans-0-billing_period", "plans-0-price_ntd", "sla-rpo_minutes",
            "health_url"} <= set(errors)
    assert "https://" in errors["health_url"]


def test_material_edit_waits_while_the_approved_version_stays_live(db, factories):
    version = factories.listing()
    vendor = db.get(type(factories.approved_vendor()), version.created_by_id)
    plans = [{"name": "基本版", "billing_period": "year", "price_ntd": 15000,
              "list_price_ntd": 15000, "seats": 5}]
    edit = listings.save_listing(db, vendor=vendor, solution_id=version.solution_id,
                                 listing=listing_input(plans=plans), submit=True)
    assert edit.state == "pending"
    row, live = browse.public_version(db, version.solution_id)
    assert live.id == version.id and row.yearly_price_from == 12000
    admin = factories.staff("admin")
    listings.review_version(db, admin=admin, version_id=edit.id, approve=True, reason="ok")
    row, live = browse.public_version(db, version.solution_id)
    assert live.id == edit.id and row.yearly_price_from == 15000
    assert db.get(SolutionVersion, version.id).state == "superseded"


def test_minor_edit_goes_live_at_once(db, factories):
    version = factories.listing()
    vendor = db.get(type(factories.approved_vendor()), version.created_by_id)
    edit = listings.save_listing(db, vendor=vendor, solution_id=version.solution_id,
                                 listing=listing_input(summary="掃碼點餐，出單更快"), submit=True)
    assert edit.state == "live" and edit.decided_by_name == listings.AUTOMATIC_REVIEWER
    assert db.get(SolutionVersion, version.id).state == "superseded"


def test_another_vendor_cannot_touch_a_solution(db, factories):
    version = factories.listing()
    other = factories.approved_vendor()
    with pytest.raises(NotFound):
        listings.save_listing(db, vendor=other, solution_id=version.solution_id,
                              listing=listing_input())
    with pytest.raises(NotFound):
        listings.withdraw(db, vendor=other, solution_id=version.solution_id, reason="")


def test_withdrawn_listing_leaves_the_catalogue_and_relisting_needs_review(db, factories):
    version = factories.listing()
    vendor = db.get(type(factories.approved_vendor()), version.created_by_id)
    listings.withdraw(db, vendor=vendor, solution_id=version.solution_id, reason="停售")
    assert browse.search(db, browse.CatalogQuery()).total == 0
    again = listings.save_listing(db, vendor=vendor, solution_id=version.solution_id,
                                  listing=listing_input(), submit=True)
    assert again.state == "pending"
    actions = set(db.exec(select(AuditEvent.action)).all())
    assert {"solution.submitted", "solution.approved", "solution.withdrawn"} <= actions


def test_rejected_version_keeps_reason(db, factories):
    version = factories.listing(approve=False)
    admin = factories.staff("admin")
    listings.review_version(db, admin=admin, version_id=version.id, approve=False,
                            reason="說明不足")
    assert db.get(SolutionVersion, version.id).decision_reason == "說明不足"
