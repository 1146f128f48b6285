"""The needs form: pre-filled from the business's profile, saved as a draft, submitted.

A draft keeps whatever was typed so far, checked only for shape and size: a person half-way
through should never be told off for what they have not finished. Submitting validates the
whole form (NeedsSchema), scores the readiness diagnosis and makes the recommendation in the
same transaction, so a submitted form always has both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlmodel import Session, select

from tcloud import validation
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_CONSULTANT
from tcloud.accounts.models import Organisation, User
from tcloud.advisor import diagnoses, recommendations
from tcloud.advisor.models import FORM_DRAFT, FORM_SUBMITTED, NeedsForm, Recommendation
from tcloud.advisor.schemas import FORM_FIELDS, LIST_FIELDS, NeedsSchema
from tcloud.clock import utcnow
from tcloud.errors import NotFound, ValidationFailed

MAX_DRAFT_TEXT = 2000
FORM_NOT_FOUND = _l("That needs form does not exist or is not yours to see.")


def prefill(organisation: Organisation | None) -> dict[str, Any]:
    """A new form starts from what the business already told us about itself."""
    if organisation is None:
        return {}
    values: dict[str, Any] = {"review": "consultant"}
    if organisation.employee_count:
        values["employees"] = organisation.employee_count
    if organisation.industry:
        values["industry"] = organisation.industry
    if organisation.city:
        values["city"] = organisation.city
    return values


def clean_draft(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Known fields only, text cut to size, lists of text, readiness as text to text."""
    errors, cleaned = {}, {}
    for name, value in answers.items():
        if name not in FORM_FIELDS:
            errors[name] = _l("This field is not accepted here.")
        elif name in LIST_FIELDS:
            items = value if isinstance(value, list) else [value]
            cleaned[name] = [str(item)[:60] for item in items if item not in (None, "")][:20]
        elif name == "readiness":
            if isinstance(value, Mapping):
                cleaned[name] = {str(k)[:40]: str(v)[:40] for k, v in list(value.items())[:20]}
        elif value is not None and value != "":
            cleaned[name] = value if isinstance(value, bool | int) else str(value)[:MAX_DRAFT_TEXT]
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def current_draft(session: Session, organisation_id: int) -> NeedsForm | None:
    return session.exec(select(NeedsForm).where(
        NeedsForm.organisation_id == organisation_id, NeedsForm.state == FORM_DRAFT)
        .order_by(NeedsForm.id.desc())).first()


def latest_submitted(session: Session, organisation_id: int) -> NeedsForm | None:
    return session.exec(select(NeedsForm).where(
        NeedsForm.organisation_id == organisation_id, NeedsForm.state == FORM_SUBMITTED)
        .order_by(NeedsForm.id.desc())).first()


def forms_of(session: Session, organisation_id: int) -> list[NeedsForm]:
    return list(session.exec(select(NeedsForm).where(
        NeedsForm.organisation_id == organisation_id, NeedsForm.state == FORM_SUBMITTED)
        .order_by(NeedsForm.id.desc())).all())


def save_draft(session: Session, *, user: User, answers: Mapping[str, Any]) -> NeedsForm:
    """Save (or update) the business's one open draft."""
    cleaned = clean_draft(answers)
    draft = current_draft(session, user.organisation_id)
    if draft is None:
        draft = NeedsForm(organisation_id=user.organisation_id, created_by_id=user.id,
                          state=FORM_DRAFT, answers=cleaned)
    else:
        draft.answers, draft.updated_at = cleaned, utcnow()
    session.add(draft)
    session.flush()
    return draft


def submit(session: Session, *, user: User, answers: Mapping[str, Any],
           from_form: bool = False) -> tuple[NeedsForm, Recommendation]:
    """Validate the whole form, then diagnose and recommend; the draft becomes the form."""
    data = validation.load(NeedsSchema(), answers, from_form=from_form)
    form = current_draft(session, user.organisation_id) or NeedsForm(
        organisation_id=user.organisation_id, created_by_id=user.id, answers={})
    now = utcnow()
    form.state, form.answers, form.submitted_at, form.updated_at = (
        FORM_SUBMITTED, data, now, now)
    session.add(form)
    session.flush()
    diagnosis = diagnoses.record(session, form)
    recommendation = recommendations.create(session, form, diagnosis)
    return form, recommendation


def get_form(session: Session, form_id: int, *, user: User) -> NeedsForm:
    """A submitted form its reader may see: its business, its consultant, any administrator."""
    form = session.get(NeedsForm, form_id)
    if form is None or form.state != FORM_SUBMITTED or not may_see(session, form, user):
        raise NotFound(FORM_NOT_FOUND)
    return form


def may_see(session: Session, form: NeedsForm, user: User) -> bool:
    if user.role == ROLE_ADMIN:
        return True
    if user.role == ROLE_BUSINESS:
        return form.organisation_id == user.organisation_id
    if user.role == ROLE_CONSULTANT:
        recommendation = recommendations.of_form(session, form.id)
        return recommendation is not None and recommendation.consultant_id == user.id
    return False
