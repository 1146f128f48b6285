"""Vendor vetting: apply with a PDF report, decisions with reasons, history, access to files."""

import io
import json
from pathlib import Path

import pytest
from sqlmodel import func, select

from tcloud.audit.models import AuditEvent
from tcloud.catalog import vetting_rules as rules
from tcloud.catalog.models import VendorApplication, VettingDecision
from tcloud.uploads.models import Upload

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def application_form(report=PDF, name="security-report.pdf", **overrides):
    form = {
        "paid_in_capital": "5000000", "years_in_business": "8", "paying_customers": "320",
        "reference_customers": "阿美麵店\n小草髮廊",
        "declares_no_tax_arrears": "on", "declares_no_major_breach": "on",
        "declares_not_prc_funded": "on", "agrees_sla_minimums": "on",
        "agrees_no_inducements": "on",
    }
    if report is not None:
        form["security_report"] = (io.BytesIO(report), name)
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def count(db, model):
    return db.exec(select(func.count()).select_from(model)).one()


def apply(client, **overrides):
    return client.post("/vendor/application", data=application_form(**overrides),
                       content_type="multipart/form-data")


def decide(client, application_id, to_status, reason="checked"):
    return client.post(f"/admin/vendors/{application_id}/decision",
                       data={"to_status": to_status, "reason": reason})


def test_workflow_rules():
    assert rules.admin_may_move(rules.SUBMITTED, rules.UNDER_REVIEW)
    assert not rules.admin_may_move(rules.SUBMITTED, rules.APPROVED)
    assert rules.admin_may_move(rules.UNDER_REVIEW, rules.CHANGES_REQUESTED)
    assert rules.admin_may_move(rules.SUSPENDED, rules.APPROVED)
    assert not rules.admin_may_move(rules.REJECTED, rules.APPROVED)
    assert rules.vendor_may_submit(None) and rules.vendor_may_submit(rules.CHANGES_REQUESTED)
    assert not rules.vendor_may_submit(rules.UNDER_REVIEW)


def test_vendor_applies_with_a_pdf_report(app, client, factories, login, db):
    vendor = login(factories.vendor())
    response = apply(client)
    assert response.status_code == 302
    application = db.exec(select(VendorApplication)).one()
    assert application.status == rules.SUBMITTED
    assert application.organisation_id == vendor.organisation_id
    upload = db.get(Upload, application.security_report_id)
    stored = Path(app.config["TCLOUD_INSTANCE_DIR"]) / "uploads" / upload.storage_name
    assert stored.read_bytes() == PDF
    assert "security-report" not in upload.storage_name  # a random name, never the user's
    assert db.exec(select(AuditEvent).where(
        AuditEvent.action == "vendor_application.submit")).one()
    page = client.get("/vendor/application").get_data(as_text=True)
    assert 'class="tag tag-submitted"' in page
    assert 'enctype="multipart/form-data"' not in page  # no form while it waits for review


def test_wrong_input_is_explained_and_nothing_is_stored(client, factories, login, db):
    login(factories.vendor())
    response = apply(client, paid_in_capital="lots", declares_not_prc_funded=None,
                     reference_customers="", report=None)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("paid_in_capital", "declares_not_prc_funded", "reference_customers"):
        assert f'id="{field}-error"' in html, field
    assert 'value="8"' in html  # years in business kept
    assert count(db, VendorApplication) == 0


@pytest.mark.parametrize("report,name", [
    (PNG, "report.pdf"),  # a PNG renamed to .pdf is still a PNG
    (b"", "empty.pdf"),
    (b"%PDF-" + b"0" * (10 * 1024 * 1024), "huge.pdf"),
])
def test_report_must_really_be_a_pdf_of_reasonable_size(client, factories, login, db,
                                                        report, name):
    login(factories.vendor())
    response = apply(client, report=report, name=name)
    assert response.status_code == 400
    assert 'id="security_report-error"' in response.get_data(as_text=True)
    assert count(db, VendorApplication) == 0 and count(db, Upload) == 0


def test_missing_report_and_low_capital_are_refused(client, factories, login, db):
    login(factories.vendor())
    no_report = apply(client, report=None)
    assert 'id="security_report-error"' in no_report.get_data(as_text=True)
    low = apply(client, paid_in_capital="999999")
    assert low.status_code == 400
    assert 'id="paid_in_capital-error"' in low.get_data(as_text=True)
    assert count(db, VendorApplication) == 0


def test_full_vetting_journey_with_reasons_the_vendor_reads(client, factories, login, db):
    vendor = factories.vendor()
    admin = factories.staff("admin", display_name="審核員 王")
    login(vendor)
    apply(client)
    assert apply(client).status_code == 409  # cannot resubmit while waiting
    application = db.exec(select(VendorApplication)).one()
    client.post("/logout")

    login(admin)
    assert decide(client, application.id, rules.APPROVED).status_code == 409  # not yet
    assert decide(client, application.id, rules.UNDER_REVIEW, "").status_code == 400
    assert decide(client, application.id, rules.UNDER_REVIEW).status_code == 302
    assert decide(client, application.id, rules.CHANGES_REQUESTED,
                  "請補上最近一年的資安檢測報告").status_code == 302
    client.post("/logout")

    login(vendor)
    page = client.get("/vendor/application").get_data(as_text=True)
    assert "請補上最近一年的資安檢測報告" in page and "審核員 王" in page
    assert apply(client, report=None, paying_customers="350",
                 note="更新客戶數").status_code == 302  # keeps the report sent before
    client.post("/logout")

    login(admin)
    for status in (rules.UNDER_REVIEW, rules.APPROVED, rules.SUSPENDED, rules.APPROVED):
        assert decide(client, application.id, status).status_code == 302, status
    db.expire_all()
    final = db.get(VendorApplication, application.id)
    assert (final.status, final.paying_customers) == (rules.APPROVED, 350)
    steps = db.exec(select(VettingDecision.to_status)
                    .where(VettingDecision.application_id == application.id)
                    .order_by(VettingDecision.id)).all()
    assert steps == ["submitted", "under_review", "changes_requested", "submitted",
                     "under_review", "approved", "suspended", "approved"]
    audits = db.exec(select(AuditEvent).where(AuditEvent.action == "vendor_application.suspended")
                     ).one()
    assert json.loads(audits.before) == {"status": "approved"}


def test_security_reports_are_served_only_to_their_vendor_and_administrators(
        client, factories, login, db):
    owner, other = factories.vendor(), factories.vendor()
    admin, business = factories.staff("admin"), factories.business()
    login(owner)
    apply(client)
    upload_id = db.exec(select(VendorApplication.security_report_id)).one()
    own = client.get(f"/files/{upload_id}")
    assert own.status_code == 200 and own.data == PDF
    assert own.headers["Content-Disposition"].startswith("attachment")
    assert own.mimetype == "application/pdf"
    client.post("/logout")
    for stranger in (other, business):
        login(stranger)
        assert client.get(f"/files/{upload_id}").status_code == 404
        client.post("/logout")
    login(admin)
    assert client.get(f"/files/{upload_id}").status_code == 200
    client.post("/logout")
    assert client.get(f"/files/{upload_id}").status_code == 302  # anonymous: log in first


def test_admin_sets_the_capital_floor_with_an_audited_reason(client, factories, login, db):
    login(factories.staff("admin"))
    assert client.post("/admin/catalog-settings",
                       data={"min_paid_in_capital": "-5", "reason": "x"}).status_code == 400
    # The page posts every setting; only the ones that changed are audited.
    sla_minimums = {"min_availability_percent": "99.0", "min_weekly_support_hours": "40",
                    "max_response_minutes": "480", "max_rpo_minutes": "1440",
                    "min_first_tier_credit_percent": "10", "min_support_channels": "1"}
    assert client.post("/admin/catalog-settings", data={
        "min_paid_in_capital": "6000000", "reason": "計畫規則修訂", **sla_minimums,
    }).status_code == 302
    event = db.exec(select(AuditEvent).where(
        AuditEvent.action == "catalog.settings.update")).one()
    assert json.loads(event.before) == {"min_paid_in_capital": 1000000}
    assert json.loads(event.after) == {"min_paid_in_capital": 6000000}
    client.post("/logout")
    login(factories.vendor())
    assert apply(client, paid_in_capital="5000000").status_code == 400


def test_only_admins_see_the_queue_and_decide(client, factories, login):
    login(factories.vendor())
    assert client.get("/admin/vendors").status_code == 403
    assert decide(client, 1, rules.APPROVED).status_code == 403
