"""The `flask tcloud` commands: create-user and an idempotent seed-demo."""

from sqlmodel import func, select

from tcloud.accounts.models import User
from tcloud.audit.models import AuditEvent
from tcloud.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, HISTORY_KINDS
from tcloud.notifications.models import Notification


def count_users(db):
    return db.exec(select(func.count()).select_from(User)).one()


def test_create_user_makes_an_admin_and_audits_it(app, db):
    result = app.test_cli_runner().invoke(args=[
        "tcloud", "create-user", "--role", "admin", "--email", "Boss@Example.com",
        "--name", "Boss", "--password", "a long admin password"])
    assert result.exit_code == 0, result.output
    user = db.exec(select(User).where(User.email == "boss@example.com")).one()
    assert user.role == "admin"
    assert db.exec(select(AuditEvent).where(AuditEvent.subject_id == str(user.id))).one()


def test_create_user_refuses_weak_passwords_and_business_role(app, db):
    runner = app.test_cli_runner()
    before = count_users(db)
    weak = runner.invoke(args=["tcloud", "create-user", "--role", "admin", "--email",
                               "a@example.com", "--name", "A", "--password", "short"])
    assert weak.exit_code != 0 and "password:" in weak.output
    wrong_role = runner.invoke(args=["tcloud", "create-user", "--role", "business", "--email",
                                     "b@example.com", "--name", "B", "--password",
                                     "long enough password"])
    assert wrong_role.exit_code != 0
    assert count_users(db) == before


def test_seed_demo_is_idempotent_and_demo_accounts_log_in(app, client, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["tcloud", "seed-demo"])
    assert first.exit_code == 0, first.output
    after_first = count_users(db)
    second = runner.invoke(args=["tcloud", "seed-demo"])
    assert second.exit_code == 0 and "0 new" in second.output
    assert count_users(db) == after_first
    for account in DEMO_ACCOUNTS:
        response = client.post("/login", data={"email": account.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, account.email
        assert client.get("/dashboard").status_code == 200
        client.post("/logout")
    # The catalogue's seeded vetting and listing decisions are history, already read; what
    # is left unread is what the demo wants people to act on (orders, incidents, forms).
    admin = db.exec(select(User).where(User.email == "admin@demo.tcloud.tw")).one()
    unread = db.exec(select(Notification.kind).where(Notification.user_id == admin.id,
                                                     Notification.read_at.is_(None))).all()
    assert not set(unread) & set(HISTORY_KINDS)
    assert len(unread) < 50
