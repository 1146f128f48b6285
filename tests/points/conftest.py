"""Points fixtures: a programme made through the service, proofs, applications."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest

from tcloud.points import applications, movements, programmes
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


def hold_from(db, wallet, **values):
    """movements.hold from a wallet account the test already holds (it names wallets by
    programme and organisation)."""
    return movements.hold(db, programme_id=wallet.programme_id,
                          organisation_id=wallet.organisation_id, **values)


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


from tests.stripe_server import localstripe_url, use_localstripe  # noqa: E402, F401


@pytest.fixture
def shown_sha(app, db):
    """The SHA-256 of the contract a buyer is shown for a quote (rendered as pages do, in an
    app context: outside one, the SLA sentences cannot be translated to zh-TW)."""
    from tcloud.points import contracts

    def sha(quote):
        with app.app_context():
            return contracts.render_for_quote(db, quote)[2]

    return sha


@pytest.fixture
def place_order(app, db):
    """checkout.place_order in an app context, as a page or the API calls it."""
    from tcloud.points import checkout

    def place(**kwargs):
        with app.app_context():
            return checkout.place_order(db, **kwargs)

    return place


@pytest.fixture
def quote_and_accept(db, shown_sha, place_order):
    """Quote a plan for a business and accept the contract as shown; returns the order."""
    from tcloud.points import quotes

    def order(user, plan, **quote_kwargs):
        quote = quotes.create_quote(db, organisation_id=user.organisation_id, plan_id=plan.id,
                                    user=user, **quote_kwargs)
        placed = place_order(quote_id=quote.id, user=user, contract_sha256=shown_sha(quote))
        db.commit()
        return placed

    return order
