"""Business pages: the needs form (draft and submit), the diagnosis, the recommendation."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tcloud.accounts import services as accounts
from tcloud.accounts.access import allow
from tcloud.accounts.choices import CITIES, INDUSTRIES, ROLE_BUSINESS
from tcloud.advisor import diagnoses, forms, readiness, recommendations
from tcloud.advisor.explain import SUPPORT_NEED_LABELS
from tcloud.advisor.models import SENT
from tcloud.advisor.schemas import LIST_FIELDS, REVIEW_CHOICES, SALES_CHANNELS
from tcloud.catalog.taxonomy import CATEGORIES, PROBLEMS, PROBLEMS_BY_CODE
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError

bp = Blueprint("advisor", __name__)
QUEUE_STATE_LABELS = {"new": _l("Not yet claimed"), "claimed": _l("Claimed"),
                      "in_review": _l("In review"), "sent": _l("Sent to the business")}


def _user():
    return current_user._get_current_object()


def labels() -> dict[str, Any]:
    return {"industries": INDUSTRIES, "cities": CITIES, "sales_channels": SALES_CHANNELS,
            "problems": PROBLEMS, "problems_by_code": PROBLEMS_BY_CODE,
            "categories": CATEGORIES, "support_needs": SUPPORT_NEED_LABELS,
            "questions": readiness.QUESTIONS, "dimensions": readiness.DIMENSIONS,
            "obstacles": readiness.OBSTACLES, "review_choices": REVIEW_CHOICES,
            "reason_lines": recommendations.reason_lines,
            "quote_url": recommendations.quote_url,
            "problem_choices": [(p.code, p.label) for p in PROBLEMS],
            "top_choices": {p.code: p.label for p in PROBLEMS},
            "need_choices": list(SUPPORT_NEED_LABELS.items()),
            "obstacle_choices": [(o.code, o.label) for o in readiness.OBSTACLES],
            "state_labels": QUEUE_STATE_LABELS,
            "question_choices": {q.code: {o.code: o.label for o in q.options}
                                 for q in readiness.QUESTIONS}}


def page_values(answers: dict) -> dict[str, Any]:
    """Stored answers as the page's fields: readiness answers become readiness-<code>."""
    values = {k: v for k, v in answers.items() if k != "readiness"}
    for code, option in (answers.get("readiness") or {}).items():
        values[f"readiness-{code}"] = option
    return values


def posted_answers() -> dict[str, Any]:
    """The posted page as the API's shape: lists from ticked boxes, readiness as a mapping."""
    answers: dict[str, Any] = {}
    for name in request.form:
        if name.startswith("readiness-"):
            answers.setdefault("readiness", {})[name.removeprefix("readiness-")] = \
                request.form[name]
        elif name in LIST_FIELDS:
            answers[name] = request.form.getlist(name)
        elif name not in ("csrf_token", "action"):
            answers[name] = request.form[name]
    for name in LIST_FIELDS:
        answers.setdefault(name, [])
    return answers


@bp.get("/advisor")
@allow(ROLE_BUSINESS)
def start():
    db = get_session()
    organisation_id = _user().organisation_id
    submitted = [(form, recommendations.of_form(db, form.id))
                 for form in forms.forms_of(db, organisation_id)]
    return render_template("advisor/start.html", submitted=submitted,
                           draft=forms.current_draft(db, organisation_id))


def _form_page(values: dict, errors: dict | None = None, status: int = 200):
    return render_template("advisor/form.html", values=values, errors=errors or {},
                           **labels()), status


@bp.get("/advisor/form")
@allow(ROLE_BUSINESS)
def form_page():
    db = get_session()
    draft = forms.current_draft(db, _user().organisation_id)
    if draft is not None:
        return _form_page(page_values(draft.answers))
    return _form_page(forms.prefill(accounts.organisation_of(db, _user())))


@bp.post("/advisor/form")
@allow(ROLE_BUSINESS)
def form_post():
    answers = posted_answers()
    try:
        if request.form.get("action") == "draft":
            with transaction() as db:
                forms.save_draft(db, user=_user(), answers=answers)
            flash(_("Your answers are saved. You can come back and finish them later."))
            return redirect(url_for("advisor.form_page"))
        with transaction() as db:
            # The draft holds what was typed even if the full check below refuses it.
            forms.save_draft(db, user=_user(), answers=forms.clean_draft(answers))
        with transaction() as db:
            form, _recommendation = forms.submit(db, user=_user(), answers=answers,
                                                 from_form=True)
    except DomainError as err:
        return _form_page(page_values(answers), err.field_errors() or {"_form": str(err.message)},
                          400)
    return redirect(url_for("advisor.diagnosis", form_id=form.id))


@bp.get("/advisor/forms/<int:form_id>/diagnosis")
@allow(ROLE_BUSINESS)
def diagnosis(form_id: int):
    db = get_session()
    form = forms.get_form(db, form_id, user=_user())
    view = diagnoses.view(db, diagnoses.of_form(db, form.id))
    return render_template("advisor/diagnosis.html", form=form, view=view,
                           recommendation=recommendations.of_form(db, form.id), **labels())


@bp.get("/advisor/forms/<int:form_id>/recommendation")
@allow(ROLE_BUSINESS)
def recommendation(form_id: int):
    db = get_session()
    form = forms.get_form(db, form_id, user=_user())
    found = recommendations.of_form(db, form.id)
    items = recommendations.items_of(db, found.id) if found.state == SENT else []
    gaps = [PROBLEMS_BY_CODE[code].label
            for code in recommendations.uncovered_problems(found, items)] if items else []
    return render_template("advisor/recommendation.html", form=form, recommendation=found,
                           items=items, gaps=gaps, **labels())

