"""Demo points data for `seed-demo`: an open programme, and every demo business granted.

Everything goes through the real services (programme set-up, application with a proof,
automatic checks, grant), so the demo ledger is exactly what production would hold.
"""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from tcloud.accounts import services as accounts
from tcloud.accounts.choices import ENTITY_TYPES
from tcloud.points import applications, programmes
from tcloud.points import models as m

DEMO_PROGRAMME = "115 年度雲市集數位轉型補助（示範）"
DEMO_ADMIN = "admin@demo.tcloud.tw"
DEMO_BUSINESSES = ("business@demo.tcloud.tw", "salon@demo.tcloud.tw", "gas@demo.tcloud.tw",
                   "coop@demo.tcloud.tw")
PROGRAMME_MARKER = "points:programme"
GRANT_MARKER = "points:grant:"
# The smallest well-formed PDF: the demo's stand-in for a registration certificate.
DEMO_PROOF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def demo_programme(db: Session) -> m.Programme | None:
    return db.execute(select(m.Programme).where(m.Programme.name == DEMO_PROGRAMME)
                      ).scalars().first()


def create_programme(db: Session) -> None:
    today = applications.taipei_today()
    programmes.create_programme(
        db, admin=accounts.find_user_by_email(db, DEMO_ADMIN), reason="demo data",
        values=dict(name=DEMO_PROGRAMME, points_per_grant=30_000, total_budget=60_000_000,
                    opens_on=today - timedelta(days=30), closes_on=today + timedelta(days=180),
                    points_expire_on=today + timedelta(days=365),
                    allowed_entity_types=list(ENTITY_TYPES), max_employees=30,
                    grant_immediately=True, when_budget_short="waitlist"))


def grant_step(email: str):
    def grant(db: Session) -> None:
        from tcloud.uploads import services as uploads
        from tcloud.uploads.views import upload_folder

        user = accounts.find_user_by_email(db, email)
        organisation = accounts.organisation_of(db, user)
        proof = uploads.store_upload(
            db, stream=io.BytesIO(DEMO_PROOF), original_name="登記證明.pdf",
            owner_organisation_id=organisation.id, uploaded_by_id=user.id,
            purpose="registration_proof", allowed_kinds=("pdf",), folder=upload_folder(),
            field="proof")
        applications.apply(db, user=user, programme_id=demo_programme(db).id,
                           proof_upload_id=proof.id, answers=applications.Answers(
                               organisation.entity_type or "company",
                               organisation.employee_count or 1,
                               organisation.contact_name or organisation.name))

    return grant


def steps() -> list:
    return [(PROGRAMME_MARKER, create_programme),
            *[(GRANT_MARKER + email, grant_step(email)) for email in DEMO_BUSINESSES]]


def is_done(db: Session, marker: str) -> bool:
    programme = demo_programme(db)
    if marker == PROGRAMME_MARKER or programme is None:
        return programme is not None
    user = accounts.find_user_by_email(db, marker.removeprefix(GRANT_MARKER))
    return user is None or db.execute(select(m.GrantApplication.id).where(
        m.GrantApplication.programme_id == programme.id,
        m.GrantApplication.organisation_id == user.organisation_id)).first() is not None
