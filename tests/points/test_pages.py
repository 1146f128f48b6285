"""Points pages: apply with a proof, see the checks, the wallet and its CSV, administration."""

import io
import json

from sqlalchemy import func, select

from tcloud.audit.models import AuditEvent
from tcloud.points import models as m
from tests.points.conftest import PDF, programme_values

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def apply_form(proof=PDF, name="登記證明.pdf", **overrides):
    form = {"entity_type": "company", "employee_count": "4", "contact_name": "林美玉",
            "confirms_truth": "on"}
    if proof is not None:
        form["proof"] = (io.BytesIO(proof), name)
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def post_apply(client, programme, **overrides):
    return client.post(f"/points/programmes/{programme.id}/apply",
                       data=apply_form(**overrides), content_type="multipart/form-data")


def in_english(client):
    client.post("/language", data={"locale": "en"})


def count(db, model):
    return db.execute(select(func.count()).select_from(model)).scalar_one()


def test_apply_page_is_prefilled_and_shows_the_budget_left(client, factories, login,
                                                           make_programme):
    programme = make_programme(total_budget=90_000)
    login(factories.business(employee_count=7, entity_type="cooperative"))
    html = client.get(f"/points/programmes/{programme.id}/apply").get_data(as_text=True)
    assert "90,000" in html  # budget left, shown before anyone starts
    assert 'value="7"' in html
    assert 'value="cooperative" checked' in html
    assert "style=" not in html and "<script>" not in html
    overview = client.get("/points").get_data(as_text=True)
    assert programme.name in overview and "90,000" in overview


def test_business_applies_is_granted_and_sees_the_wallet(client, factories, login, db,
                                                         make_programme):
    programme = make_programme()
    shop = login(factories.business())
    in_english(client)
    response = post_apply(client, programme)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "tag-granted" in page and "is valid" in page  # the checks, in words
    wallet = db.execute(select(m.LedgerAccount).where(
        m.LedgerAccount.organisation_id == shop.organisation_id)).scalar_one()
    html = client.get(f"/points/wallets/{wallet.id}").get_data(as_text=True)
    assert "30,000" in html and "+30,000" in html and programme.name in html
    csv = client.get(f"/points/wallets/{wallet.id}/statement.csv")
    assert csv.mimetype == "text/csv"
    assert csv.data.startswith("\ufeff".encode())
    body = csv.data.decode("utf-8-sig")
    assert ",30000,30000" in body
    assert client.get("/api/v1/points/wallets").get_json()[0]["balance"] == 30_000


def test_bad_input_is_explained_and_nothing_is_stored(client, factories, login, db,
                                                      make_programme):
    programme = make_programme()
    login(factories.business())
    response = post_apply(client, programme, employee_count="many", confirms_truth=None,
                          contact_name="", proof=None)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("employee_count", "contact_name", "confirms_truth", "proof"):
        assert f'id="{field}-error"' in html, field
    assert 'value="many"' in html  # what was typed is kept
    for proof, name in ((PNG[:4], "fake.pdf"), (b"", "empty.pdf"), (b"MZ\x90\x00", "x.exe")):
        bad = post_apply(client, programme, proof=proof, name=name)
        assert bad.status_code == 400
        assert 'id="proof-error"' in bad.get_data(as_text=True)
    missing = post_apply(client, programme, proof=None)
    assert 'id="proof-error"' in missing.get_data(as_text=True)
    assert count(db, m.GrantApplication) == 0 and count(db, m.LedgerTransaction) == 1


def test_png_and_jpeg_proofs_are_accepted(client, factories, login, make_programme):
    programme = make_programme()
    login(factories.business())
    assert post_apply(client, programme, proof=PNG, name="證明.png").status_code == 302
    login(factories.business())
    jpeg = b"\xff\xd8\xff\xe0" + b"\x00" * 64
    assert post_apply(client, programme, proof=jpeg, name="證明.jpg").status_code == 302


def test_duplicate_and_budget_refusals_are_clear(client, factories, login, db, make_programme):
    programme = make_programme(total_budget=30_000)
    login(factories.business())
    in_english(client)
    post_apply(client, programme)
    again = post_apply(client, programme)
    assert again.status_code == 409
    assert "already applied" in again.get_data(as_text=True)
    login(factories.business())
    in_english(client)
    late = post_apply(client, programme)
    html = late.get_data(as_text=True)
    assert late.status_code == 409 and "budget has run out" in html
    assert count(db, m.Grant) == 1


def test_someone_elses_wallet_and_application_are_not_found(client, factories, login, db,
                                                            make_programme):
    programme = make_programme()
    owner = login(factories.business())
    post_apply(client, programme)
    wallet_id = db.execute(select(m.LedgerAccount.id).where(
        m.LedgerAccount.organisation_id == owner.organisation_id)).scalar_one()
    application_id = db.execute(select(m.GrantApplication.id)).scalar_one()
    login(factories.business())
    assert client.get(f"/points/wallets/{wallet_id}").status_code == 404
    assert client.get(f"/points/wallets/{wallet_id}/statement.csv").status_code == 404
    assert client.get(f"/points/applications/{application_id}").status_code == 404
    assert client.get(f"/api/v1/points/applications/{application_id}").status_code == 404


def programme_form(**overrides):
    values = programme_values(**overrides)
    form = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in values.items()}
    form["grant_immediately"] = "true" if values["grant_immediately"] else "false"
    form["reason"] = "新年度計畫"
    return form


def test_admin_sets_up_and_changes_a_programme(client, factories, login, db):
    login(factories.staff("admin"))
    bad = client.post("/admin/points/programmes/new", data=programme_form(
        name="", total_budget="-1", allowed_entity_types=[], closes_on="2020-01-01",
        points_expire_on="someday"))
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    for field in ("name", "total_budget", "allowed_entity_types", "points_expire_on"):
        assert f'href="#{field}"' in html, field
    assert count(db, m.Programme) == 0
    created = client.post("/admin/points/programmes/new", data=programme_form(
        total_budget="60000000", allowed_entity_types=["company", "cooperative"]))
    assert created.status_code == 302
    programme = db.execute(select(m.Programme)).scalar_one()
    assert programme.entity_types == ("company", "cooperative")
    page = client.get(created.location).get_data(as_text=True)
    assert "60,000,000" in page
    edit = client.get(f"/admin/points/programmes/{programme.id}/edit").get_data(as_text=True)
    assert 'value="cooperative" checked' in edit
    changed = client.post(f"/admin/points/programmes/{programme.id}/edit", data=programme_form(
        total_budget="90000000", when_budget_short="waitlist"))
    assert changed.status_code == 302
    db.expire_all()
    assert db.get(m.Programme, programme.id).total_budget == 90_000_000
    assert db.execute(select(m.LedgerAccount.balance).where(
        m.LedgerAccount.code == f"budget:{programme.id}")).scalar_one() == 90_000_000
    event = db.execute(select(AuditEvent).where(
        AuditEvent.action == "points.programme.update")).scalar_one()
    assert json.loads(event.after)["when_budget_short"] == "waitlist"
    assert client.get("/admin/points").status_code == 200
    api = client.get(f"/api/v1/points/programmes/{programme.id}").get_json()
    assert api["budget_left"] == 90_000_000


def test_admin_decides_from_the_queue_with_a_reason(client, factories, login, db,
                                                    make_programme):
    programme = make_programme(max_employees=3)
    shop = login(factories.business())
    post_apply(client, programme, employee_count="9")
    application = db.execute(select(m.GrantApplication)).scalar_one()
    assert application.status == "pending_review"
    client.post("/logout")
    login(factories.staff("admin"))
    in_english(client)
    queue = client.get("/admin/points/applications").get_data(as_text=True)
    assert application.company_name in queue and "Number of employees" in queue
    detail = client.get(f"/admin/points/applications/{application.id}").get_data(as_text=True)
    assert "more than the limit of 3" in detail
    no_reason = client.post(f"/admin/points/applications/{application.id}/decision",
                            data={"decision": "reject"})
    assert no_reason.status_code == 400
    assert client.post(f"/admin/points/applications/{application.id}/decision", data={
        "decision": "reject", "reason": "員工人數超過上限"}).status_code == 302
    again = client.post(f"/admin/points/applications/{application.id}/decision", data={
        "decision": "approve", "reason": "x"})
    assert again.status_code == 409
    event = db.execute(select(AuditEvent).where(
        AuditEvent.action == "points.application.rejected")).scalar_one()
    assert event.reason == "員工人數超過上限"
    client.post("/logout")
    login(shop)
    page = client.get(f"/points/applications/{application.id}").get_data(as_text=True)
    assert "員工人數超過上限" in page
    assert post_apply(client, programme, employee_count="3").status_code == 302  # may reapply


def test_admin_sees_any_wallet(client, factories, login, db, make_programme):
    programme = make_programme()
    shop = login(factories.business())
    post_apply(client, programme)
    client.post("/logout")
    login(factories.staff("admin"))
    organisation_tax_id = db.execute(select(m.GrantApplication.tax_id)).scalar_one()
    found = client.get(f"/admin/points/wallets?tax_id={organisation_tax_id}")
    assert "30,000" in found.get_data(as_text=True)
    wallet_id = db.execute(select(m.LedgerAccount.id).where(
        m.LedgerAccount.organisation_id == shop.organisation_id)).scalar_one()
    assert client.get(f"/admin/points/wallets/{wallet_id}").status_code == 200
    assert client.get(f"/admin/points/wallets/{wallet_id}/statement.csv").status_code == 200


def test_business_cannot_reach_administration(client, factories, login, make_programme):
    programme = make_programme()
    login(factories.business())
    assert client.get("/admin/points").status_code == 403
    assert client.post(f"/admin/points/programmes/{programme.id}/grant-queue",
                       data={"reason": "x"}).status_code == 403
