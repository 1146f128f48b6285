"""Consultant and administrator pages: the queue, the review of one recommendation, the
reassignment, and the conversion report."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tcloud import forms as page_forms
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN, ROLE_CONSULTANT
from tcloud.advisor import consultant, conversion, diagnoses, recommendations
from tcloud.advisor.candidates import cached_candidates
from tcloud.advisor.explain import reason_text
from tcloud.advisor.matcher import rank
from tcloud.advisor.models import QUEUE_STATES, NeedsForm
from tcloud.advisor.schemas import AssignSchema
from tcloud.advisor.views import labels, page_values
from tcloud.catalog.browse import CatalogQuery, search
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError

bp = Blueprint("advisor_consultant", __name__)
MAX_NOTE = 2000
MAX_LEFT_OUT = 10  # solutions that solve a stated problem but failed a hard rule, shown


def exclusion_text(exclusion) -> str:
    """Why the matcher left a solution out, in plain words (its blocking reasons)."""
    return " ".join(reason_text(reason) for reason in exclusion.reasons)


def _user():
    return current_user._get_current_object()


@bp.get("/advisor/queue")
@allow(ROLE_CONSULTANT, ROLE_ADMIN)
def queue():
    state = request.args.get("state")
    state = state if state in QUEUE_STATES else None
    rows = consultant.queue(get_session(), _user(), state=state)
    return render_template("advisor/queue.html", rows=rows, state=state,
                           states=QUEUE_STATES, **labels())


def _review_page(recommendation_id: int, errors: dict | None = None, status: int = 200):
    db = get_session()
    user = _user()
    found = consultant.get_for_review(db, recommendation_id, user)
    form = db.get(NeedsForm, found.form_id)
    items = recommendations.items_of(db, found.id)
    query = request.args.get("q", "").strip()
    results = search(db, CatalogQuery(q=query)).rows[:10] if query else []
    listed = {item.solution_id for item in items}
    left_out = [exclusion for exclusion in rank(recommendations.profile_of(found),
                                                 cached_candidates(db)[1]).excluded
                if exclusion.candidate.solution_id not in listed][:MAX_LEFT_OUT]
    return render_template(
        "advisor/review.html", recommendation=found, form=form,
        values=page_values(form.answers), view=diagnoses.view(db, diagnoses.of_form(db, form.id)),
        items=items, query=query, results=results, left_out=left_out,
        exclusion_text=exclusion_text,
        editable=found.consultant_id == user.id and found.state != "sent",
        consultants=consultant.consultants(db) if user.role == ROLE_ADMIN else [],
        errors=errors or {}, **labels()), status


@bp.get("/advisor/queue/<int:recommendation_id>")
@allow(ROLE_CONSULTANT, ROLE_ADMIN)
def review(recommendation_id: int):
    return _review_page(recommendation_id)


@bp.post("/advisor/queue/<int:recommendation_id>/claim")
@allow(ROLE_CONSULTANT)
def claim(recommendation_id: int):
    with transaction() as db:
        consultant.claim(db, recommendation_id, _user())
    flash(_("You claimed this form. The business's answers and the automatic list are below."))
    return redirect(url_for("advisor_consultant.review", recommendation_id=recommendation_id))


def _notes() -> tuple[dict[int, str], str]:
    notes = {}
    for name, value in request.form.items():
        if name.startswith("note-") and name.removeprefix("note-").isdigit():
            notes[int(name.removeprefix("note-"))] = value.strip()[:MAX_NOTE]
    return notes, request.form.get("overall_note", "").strip()[:MAX_NOTE * 2]


@bp.post("/advisor/queue/<int:recommendation_id>")
@allow(ROLE_CONSULTANT)
def update(recommendation_id: int):
    """One form for the whole list: notes are saved with every button; the button says what
    else to do (save, send, or move/remove one item), so it all works without JavaScript."""
    action = request.form.get("action", "save")
    verb, _sep, item = action.partition(":")
    user = _user()
    try:
        with transaction() as db:
            notes, overall = _notes()
            consultant.write_notes(db, recommendation_id, user, notes=notes,
                                   overall_note=overall)
            if verb in ("up", "down") and item.isdigit():
                consultant.move_item(db, recommendation_id, user, int(item),
                                     -1 if verb == "up" else 1)
            elif verb == "remove" and item.isdigit():
                consultant.remove_item(db, recommendation_id, user, int(item))
            elif verb == "send":
                consultant.send(db, recommendation_id, user)
    except DomainError as err:
        if err.status == 404:
            raise
        return _review_page(recommendation_id, err.field_errors() or {"_form": str(err.message)},
                            err.status if err.status != 422 else 400)
    if verb == "send":
        flash(_("Sent. The business has been notified."))
        return redirect(url_for("advisor_consultant.queue"))
    flash(_("Saved."))
    return redirect(url_for("advisor_consultant.review", recommendation_id=recommendation_id))


@bp.post("/advisor/queue/<int:recommendation_id>/items")
@allow(ROLE_CONSULTANT)
def add_item(recommendation_id: int):
    solution_id = request.form.get("solution_id", type=int)
    try:
        if not solution_id:
            raise DomainError(_("Choose a solution to add."), field="solution_id")
        with transaction() as db:
            consultant.add_item(db, recommendation_id, _user(), solution_id=solution_id)
    except DomainError as err:
        if err.status == 404:
            raise
        return _review_page(recommendation_id, err.field_errors() or {"_form": str(err.message)},
                            err.status if err.status != 422 else 400)
    flash(_("Added to the list."))
    return redirect(url_for("advisor_consultant.review", recommendation_id=recommendation_id))


@bp.post("/advisor/queue/<int:recommendation_id>/assign")
@allow(ROLE_ADMIN)
def assign(recommendation_id: int):
    try:
        data = page_forms.parse(AssignSchema())
        with transaction() as db:
            consultant.assign(db, recommendation_id, admin=_user(),
                              consultant_id=data["consultant_id"], reason=data["reason"])
    except DomainError as err:
        if err.status == 404:
            raise
        return _review_page(recommendation_id, err.field_errors() or {"_form": str(err.message)},
                            err.status if err.status != 422 else 400)
    flash(_("Reassigned. The consultant has been notified."))
    return redirect(url_for("advisor_consultant.review", recommendation_id=recommendation_id))


@bp.get("/advisor/conversions")
@allow(ROLE_ADMIN)
def conversions():
    rows, total = conversion.report(get_session())
    return render_template("advisor/conversions.html", rows=rows, total=total,
                           window_days=conversion.WINDOW.days)


