"""Points fixtures: a programme made through the service, proofs, applications."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from tcloud.points import applications, programmes
from tcloud.uploads import services as uploads

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = date.today()


def programme_values(**overrides) -> dict:
    values = dict(
        name="114 年度雲市集數位轉型補助", points_per_grant=30_000, total_budget=300_000,
        opens_on=TODAY - timedelta(days=10), closes_on=TODAY + timedelta(days=60),
        points_expire_on=TODAY + timedelta(days=365),
        allowed_entity_types=["company", "business_registration", "social_enterprise",
                              "cooperative"],
        max_employees=10, grant_immediately=True, when_budget_short="refuse",
    )
    values.update(overrides)
    return values


@pytest.fixture
def admin(factories):
    return factories.staff("admin", display_name="計畫管理員 王")


@pytest.fixture
def make_programme(db, admin):
    def make(**overrides):
        programme = programmes.create_programme(db, admin=admin,
                                                values=programme_values(**overrides),
                                                reason="test")
        db.commit()
        return programme

    return make


@pytest.fixture
def make_proof(db, tmp_path):
    def make(user):
        upload = uploads.store_upload(
            db, stream=io.BytesIO(PDF), original_name="registration.pdf",
            owner_organisation_id=user.organisation_id, uploaded_by_id=user.id,
            purpose="registration_proof", allowed_kinds=("pdf", "png", "jpeg"),
            folder=tmp_path, field="proof")
        db.commit()
        return upload.id

    return make


@pytest.fixture
def apply_for(db, make_proof):
    """Apply through the service as `user`, committing (a savepoint inside the test)."""

    def apply(user, programme, *, entity_type="company", employee_count=5, today=None):
        application = applications.apply(
            db, user=user, programme_id=programme.id,
            answers=applications.Answers(entity_type, employee_count, "林小姐"),
            proof_upload_id=make_proof(user), today=today)
        db.commit()
        return application

    return apply


# --- buying (quotes, checkout, Stripe) -------------------------------------------------------

@pytest.fixture
def granted_buyer(factories, make_programme, apply_for):
    """A business with 30,000 points granted (5 employees), and its programme."""

    def make(**business_overrides):
        programme = make_programme()
        user = factories.business(**business_overrides)
        assert apply_for(user, programme).status == "granted"
        return user, programme

    return make


@pytest.fixture
def plan_of(db, factories):
    """A live listing with one plan of the given price, period and seats; returns the plan."""
    from tcloud.catalog.listings import plans_of

    def make(price=12_000, period="year", seats=5, vendor=None, **overrides):
        version = factories.listing(vendor, plans=[{
            "name": "標準版", "billing_period": period, "price_ntd": price,
            "list_price_ntd": price, "seats": seats, "included": ""}], **overrides)
        return plans_of(db, version.id)[0]

    return make
