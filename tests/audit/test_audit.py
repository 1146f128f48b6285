"""The audit log: written with the action, append-only in the database, searchable, exportable."""

import json

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from tcloud.accounts.models import User
from tcloud.audit import services as audit
from tcloud.audit.models import AuditEvent


def staff_form(**overrides):
    form = {"role": "consultant", "display_name": "林顧問", "email": "lin@example.com",
            "password": "consult with care", "reason": "new consultant for Taichung"}
    form.update(overrides)
    return form


def test_admin_creates_a_consultant_and_the_audit_log_records_it(client, factories, login, db):
    admin = login(factories.staff("admin"))
    response = client.post("/admin/users/new", data=staff_form())
    assert response.status_code == 302
    created = db.exec(select(User).where(User.email == "lin@example.com")).one()
    assert created.role == "consultant"
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "user.create",
                                             AuditEvent.subject_id == str(created.id))).one()
    assert event.actor_id == admin.id
    assert event.reason == "new consultant for Taichung"
    assert json.loads(event.after)["role"] == "consultant"
    # The new consultant can log in.
    client.post("/logout")
    assert client.post("/login", data={"email": "lin@example.com",
                                       "password": "consult with care"}).status_code == 302


def test_staff_form_errors_keep_input_and_store_nothing(client, factories, login, db):
    login(factories.staff("admin"))
    response = client.post("/admin/users/new", data=staff_form(role="business", reason=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="role-error"' in html and 'id="reason-error"' in html
    assert 'value="林顧問"' in html
    assert db.exec(select(User).where(User.email == "lin@example.com")).first() is None


def test_only_admins_create_staff_accounts(client, factories, login):
    login(factories.staff("consultant"))
    assert client.post("/admin/users/new", data=staff_form()).status_code == 403


def test_audit_events_cannot_be_changed_or_deleted(app, db, factories):
    factories.staff("admin")
    event = db.exec(select(AuditEvent)).first()
    for statement in ("UPDATE audit_events SET reason = 'edited' WHERE id = :id",
                      "DELETE FROM audit_events WHERE id = :id"):
        nested = db.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            db.execute(text(statement), {"id": event.id})
        nested.rollback()
    db.expire_all()
    assert db.get(AuditEvent, event.id).reason == "test"


def test_admin_searches_and_exports_the_log(client, factories, login, db):
    admin = login(factories.staff("admin"))
    audit.record(db, actor=admin, action="grant.approve", subject_type="application",
                 subject_id=7, reason="=HYPERLINK(\"x\")", before={"status": "waiting"},
                 after={"status": "approved"})
    db.commit()
    page = client.get("/admin/audit?action=grant.approve").get_data(as_text=True)
    assert "grant.approve" in page and "application #7" in page
    assert "user.create" not in page.split("<tbody>")[1]
    none = client.get("/admin/audit?action=grant.approve&since=2000-01-01&until=2000-01-02")
    assert "application #7" not in none.get_data(as_text=True)

    export = client.get("/admin/audit/export.csv?action=grant.approve")
    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    body = export.get_data(as_text=True)
    assert body.startswith("\ufeffid,")
    assert "'=HYPERLINK" in body  # formulas are neutralised for spreadsheets
    assert body.count("\n") == 2


def test_audit_log_is_for_admins_only(client, factories, login):
    login(factories.business())
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/admin/audit/export.csv").status_code == 403
