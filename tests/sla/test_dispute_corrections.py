"""An upheld dispute pays: the administrator states the corrected compensation, the difference
is credited once (key `sla-dispute:{id}`), capped by the contract; bad input changes nothing.
Pages and API both; the race of eight administrators is in test_dispute_race.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tcloud.audit.models import AuditEvent
from tcloud.errors import Conflict
from tcloud.notifications.models import Notification
from tcloud.points.compensation_credits import credit_by_key, credits_for_order
from tcloud.points.settlement_models import OrderCredit
from tcloud.sla import disputes
from tcloud.sla.incident_models import CompensationDispute, CompensationStatement
from tcloud.sla.month_end import run_month_end
from tests.points.conftest import admin, apply_for, make_programme, make_proof  # noqa: F401
from tests.sla.order_factory import sla_world_fixture  # noqa: F401
from tests.sla.test_month_end import NOW, _user_of, figures, fixed, wallet_balance

CAP = 500  # 50% of the month's 1,000-point fee (the factory listing's cap)


@pytest.fixture
def disputed(db, sla_world):
    """A subscription credited 100 points for October (99.10%: the 10% tier), disputed."""
    order = sla_world.subscription(starts_on=NOW.date().replace(month=9, day=1))
    run_month_end(db, year=2026, month=10, now=NOW, availability_for=fixed(figures(down=400)))
    db.commit()
    statement = db.exec(select(CompensationStatement)).one()
    dispute = disputes.open_dispute(db, buyer=_user_of(db, order.organisation_id),
                                    statement_id=statement.id, reason="停機超過八小時",
                                    now=NOW + timedelta(days=2))
    db.commit()
    return order, statement, dispute


def test_upheld_dispute_credits_the_difference_once(db, factories, disputed):
    order, statement, dispute = disputed
    before = wallet_balance(db, order)
    admin_user = factories.staff("admin")
    disputes.decide_dispute(db, admin=admin_user, dispute_id=dispute.id, uphold=True,
                            note="當月停機 8 小時，應為 25% 級距", corrected_points="250")
    db.commit()
    assert (dispute.status, dispute.corrected_points) == ("upheld", 250)
    assert wallet_balance(db, order) == before + 150
    credit = credit_by_key(db, f"sla-dispute:{dispute.id}")
    assert (credit.points, credit.period, credit.order_id) == (150, "2026-10", order.id)
    assert sorted(c.points for c in credits_for_order(db, order.id)) == [100, 150]
    with pytest.raises(Conflict):
        disputes.decide_dispute(db, admin=admin_user, dispute_id=dispute.id, uphold=True,
                                note="again", corrected_points="400")
    db.rollback()
    assert wallet_balance(db, order) == before + 150
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "sla.dispute_decided")).one()
    assert event.subject_id == statement.credit_key
    assert "250" in str(event.after) and "100" in str(event.before)
    kinds = {n.kind for n in db.exec(select(Notification))}
    assert {"sla.dispute_corrected_points", "sla.dispute_corrected_vendor"} <= kinds


@pytest.mark.parametrize("value", ["-5", "abc", "", None, "1.5", "100", "99", str(CAP + 1),
                                   "１２０", True, " 0 "])
def test_bad_corrections_are_refused_and_change_nothing(db, factories, disputed, value):
    order, _statement, dispute = disputed
    before = wallet_balance(db, order)
    with pytest.raises(Conflict) as refused:
        disputes.decide_dispute(db, admin=factories.staff("admin"), dispute_id=dispute.id,
                                uphold=True, note="更正", corrected_points=value)
    db.rollback()
    assert refused.value.field == "corrected_points"
    assert db.get(CompensationDispute, dispute.id).status == "open"
    assert wallet_balance(db, order) == before
    assert credit_by_key(db, f"sla-dispute:{dispute.id}") is None


def test_the_cap_itself_is_allowed_and_rejection_pays_nothing(db, factories, sla_world,
                                                               disputed):
    order, _statement, dispute = disputed
    before = wallet_balance(db, order)
    disputes.decide_dispute(db, admin=factories.staff("admin"), dispute_id=dispute.id,
                            uphold=True, note="上限", corrected_points=CAP)
    db.commit()
    assert wallet_balance(db, order) == before + CAP - 100
    # A second buyer's dispute, not upheld: a stray figure is ignored and nothing is paid.
    other = sla_world.subscription(starts_on=NOW.date().replace(month=9, day=1))
    run_month_end(db, year=2026, month=10, now=NOW, availability_for=fixed(figures(down=400)))
    db.commit()
    statement = db.exec(select(CompensationStatement).where(
        CompensationStatement.order_id == other.id)).one()
    second = disputes.open_dispute(db, buyer=_user_of(db, other.organisation_id),
                                   statement_id=statement.id, reason="太少",
                                   now=NOW + timedelta(days=1))
    disputes.decide_dispute(db, admin=factories.staff("admin"), dispute_id=second.id,
                            uphold=False, note="量測完整", corrected_points="400")
    db.commit()
    assert (second.status, second.corrected_points) == ("rejected", None)
    assert credit_by_key(db, f"sla-dispute:{second.id}") is None


def test_admin_decides_on_the_page_and_both_parties_see_the_figures(db, client, login,
                                                                     factories, disputed):
    order, statement, dispute = disputed
    client.post("/language", data={"locale": "en"})
    login(factories.staff("admin"))
    queue = client.get("/admin/sla/disputes").get_data(as_text=True)
    assert "Below 99.0%: 25% of the month's fee" in queue
    assert "Capped at 50% of the month's fee" in queue and "99.104%" in queue
    assert "at most 500" in queue
    refused = client.post(f"/admin/sla/disputes/{dispute.id}/decide", data={
        "decision": "upheld", "note": "更正", "corrected_points": "9000"})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert f'href="#corrected_points-{dispute.id}"' in body and "caps compensation" in body
    assert db.exec(select(OrderCredit).where(OrderCredit.key.startswith("sla-dispute"))
                   ).first() is None
    done = client.post(f"/admin/sla/disputes/{dispute.id}/decide", data={
        "decision": "upheld", "note": "應為 25%", "corrected_points": "250"})
    assert done.status_code == 302
    again = client.post(f"/admin/sla/disputes/{dispute.id}/decide", data={
        "decision": "upheld", "note": "x", "corrected_points": "300"}, follow_redirects=True)
    assert "already decided" in again.get_data(as_text=True)
    assert [c.points for c in credits_for_order(db, order.id)] == [100, 150]
    client.get("/logout")
    login(_user_of(db, order.organisation_id))
    client.post("/language", data={"locale": "en"})
    page = client.get(f"/sla/compensation/{statement.id}").get_data(as_text=True)
    assert "Compensation at month end" in page and "Corrected after the dispute" in page
    assert "250" in page and "150 more" in page and "credited to the wallet" in page


def test_admin_decides_through_the_api(db, client, login, factories, disputed):
    order, statement, dispute = disputed
    login(factories.staff("admin"))
    url = f"/api/v1/sla/disputes/{dispute.id}/decision"
    bad = client.post(url, json={"decision": "upheld", "note": "x", "corrected_points": -3})
    assert bad.status_code == 409 and "corrected_points" in bad.get_json()["errors"]
    ok = client.post(url, json={"decision": "upheld", "note": "應為 25%",
                                "corrected_points": 250})
    assert ok.status_code == 200, ok.get_json()
    assert (ok.get_json()["status"], ok.get_json()["corrected_points"]) == ("upheld", 250)
    assert client.post(url, json={"decision": "rejected", "note": "x"}).status_code == 409
    assert [c.points for c in credits_for_order(db, order.id)] == [100, 150]
    client.get("/logout")
    login(_user_of(db, order.organisation_id))
    listing = client.get("/api/v1/sla/compensation").get_json()
    assert (listing[0]["corrected_points"], listing[0]["paid_to"]) == (250, "wallet")
