"""Notifications: decisions reach the people who must act, in their language, with an e-mail
copy written only after the commit."""

from pathlib import Path

from sqlmodel import select

from tcloud.catalog import listings
from tcloud.notifications import services
from tcloud.notifications.models import Notification


def outbox(app) -> list[Path]:
    folder = Path(app.config["TCLOUD_INSTANCE_DIR"]) / "outbox"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


def test_listing_decision_notifies_the_vendor_and_mails_after_commit(app, db, factories):
    admin = factories.staff("admin")
    version = factories.listing(approve=False)
    vendor_org = db.get(listings.Solution, version.solution_id).vendor_organisation_id
    before = len(outbox(app))
    with app.app_context():  # as in every request, CLI command and job
        listings.review_version(db, admin=admin, version_id=version.id, approve=False,
                                reason="請補充資料匯出說明")
        assert len(outbox(app)) == before  # nothing leaves before the commit
        db.commit()
    mails = outbox(app)
    assert len(mails) >= before + 1
    assert any("請補充資料匯出說明" in m.read_text(errors="ignore") or
               "=?utf-8?" in m.read_text() for m in mails)
    rows = db.exec(select(Notification).where(Notification.kind == "listing.rejected")).all()
    assert rows and all(db.get(type(admin), n.user_id).organisation_id == vendor_org
                        for n in rows)


def test_rolled_back_notification_sends_nothing(app, db, factories):
    vendor = factories.vendor()
    before = len(outbox(app))
    with app.app_context():
        services.notify(db, [vendor], kind="listing.approved", values={"solution": "A",
                                                                      "reason": "ok"}, link="/")
        db.rollback()
    assert len(outbox(app)) == before


def test_inbox_page_shows_and_marks_read(client, db, factories, login):
    vendor = factories.vendor()
    services.notify(db, [vendor], kind="listing.approved",
                    values={"solution": "快點餐", "reason": "符合"}, link="/vendor/solutions")
    db.commit()
    login(vendor)
    page = client.get("/notifications").get_data(as_text=True)
    assert "快點餐" in page and 'class="badge"' in page
    client.post("/notifications/read")
    assert services.unread_count(db, vendor.id) == 0
    assert 'class="badge"' not in client.get("/notifications").get_data(as_text=True)


def test_someone_elses_notifications_are_not_shown(client, db, factories, login):
    vendor, other = factories.vendor(), factories.vendor()
    services.notify(db, [vendor], kind="listing.approved",
                    values={"solution": "秘密方案", "reason": "ok"}, link="/")
    db.commit()
    login(other)
    assert "秘密方案" not in client.get("/notifications").get_data(as_text=True)
