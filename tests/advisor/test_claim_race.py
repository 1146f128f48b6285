"""Eight consultants claim the same form at once: exactly one gets it (real commits)."""

from tcloud.accounts import services as accounts
from tcloud.advisor import consultant, forms
from tcloud.advisor.models import Recommendation
from tcloud.db import transaction
from tcloud.errors import NotFound
from tests.advisor.forms_data import needs_answers
from tests.factories import next_valid_tax_id
from tests.points.test_races import committed_database, run_threads, write_session

CONSULTANTS = 8


def test_only_one_consultant_claims_a_form(base_app, database_url, empty_database_url):
    # The same kind of database as the rest of this run's tests, but its own, committed.
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    with base_app.app_context(), committed_database(empty_database_url, kind) as engine:
        with write_session(engine) as db, transaction(db):
            people = [accounts.create_staff_user(
                db, actor=None, email=f"c{i}@race.example", password="a long race password",
                role="consultant", display_name=f"顧問 {i}", reason="race test")
                for i in range(CONSULTANTS)]
            shop = accounts.register_business(
                db, email="shop@race.example", password="a long race password",
                company_name="麵店", tax_id=next_valid_tax_id(), entity_type="company",
                employee_count=4, industry="food_beverage", city="tainan")
            _form, recommendation = forms.submit(db, user=shop, answers=needs_answers())
        rid = recommendation.id

        def claim(i):
            with base_app.app_context(), write_session(engine) as db, transaction(db):
                return consultant.claim(db, rid, people[i]).consultant_id

        outcomes = run_threads(claim, CONSULTANTS)
        winners = [o for o in outcomes if isinstance(o, int)]
        assert len(winners) == 1, outcomes
        assert all(isinstance(o, NotFound) for o in outcomes if not isinstance(o, int))
        with write_session(engine) as db:
            assert db.get(Recommendation, rid).consultant_id == winners[0]
