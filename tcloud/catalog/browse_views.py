"""Public catalogue pages: browse and search, a solution, a vendor, comparison; reviews' forms.

The URL holds the whole query (filters, sort, page), so a search can be bookmarked and shared.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import fields, validate

from tcloud import validation
from tcloud.accounts.access import PUBLIC, allow
from tcloud.accounts.choices import INDUSTRIES, ROLE_ADMIN, ROLE_VENDOR
from tcloud.catalog import browse, listings, reviews, sla_words
from tcloud.catalog.listing_schemas import SolutionListQuerySchema
from tcloud.catalog.page_cache import cached_for_visitors
from tcloud.catalog.taxonomy import CATEGORIES, PROBLEMS_BY_CODE
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError, ValidationFailed
from tcloud.i18n import format_ntd
from tcloud.validation import BaseSchema

bp = Blueprint("browse", __name__)
STANDARD_GRANT_POINTS = 30_000  # PRODUCT.md: each eligible business receives 30,000 points


def _sorts() -> dict[str, str]:
    return {"relevance": _("Best match"), "rating": _("Highest rated"),
            "price_asc": _("Price: low to high"), "price_desc": _("Price: high to low"),
            "renewal": _("Highest renewal rate"), "newest": _("Newest")}


def _shown_args() -> dict[str, str]:
    """The query string minus blanks and the page, for links that keep the query."""
    return {key: value for key, value in request.args.items(multi=False)
            if value and key != "page"}


@bp.get("/solutions")
@allow(PUBLIC)
@cached_for_visitors
def solutions():
    errors = {}
    try:
        query = browse.CatalogQuery(**validation.load(SolutionListQuerySchema(), request.args,
                                                      from_form=True))
    except ValidationFailed as err:
        errors, query = err.field_errors(), browse.CatalogQuery()
    result = browse.search(get_session(), query)
    return render_template(
        "catalog/browse_list.html", query=query, result=result, errors=errors,
        values=request.args, args=_shown_args(), categories=CATEGORIES, industries=INDUSTRIES,
        sorts=_sorts(), rating_of=browse.rating_of,
    ), 400 if errors else 200


@bp.get("/solutions/<int:solution_id>")
@allow(PUBLIC)
@cached_for_visitors
def solution(solution_id: int):
    db = get_session()
    row, version = browse.public_version(db, solution_id)
    plans = listings.plans_of(db, version.id)
    return render_template(
        "catalog/browse_solution.html", row=row, version=version, plans=plans,
        cover={plan.id: sla_words.points_cover(plan.price_ntd * (12 if plan.billing_period ==
                                                                 "month" else 1),
                                               STANDARD_GRANT_POINTS) for plan in plans},
        points=STANDARD_GRANT_POINTS, rating=browse.rating_of(row),
        reviews=reviews.visible_reviews(db, solution_id),
        industries=[INDUSTRIES[c] for c in listings.codes_of(version.industry_codes)],
        problems=[PROBLEMS_BY_CODE[c].label for c in listings.codes_of(version.problem_codes)],
        category=CATEGORIES[version.category],
        is_owner=(current_user.is_authenticated and current_user.role == ROLE_VENDOR
                  and current_user.organisation_id == row.vendor_id),
        is_admin=current_user.is_authenticated and current_user.role == ROLE_ADMIN,
    )


@bp.get("/vendors/<int:vendor_id>")
@allow(PUBLIC)
@cached_for_visitors
def vendor(vendor_id: int):
    db = get_session()
    organisation, application = browse.vendor_profile(db, vendor_id)
    return render_template("catalog/browse_vendor.html", organisation=organisation,
                           application=application, rows=browse.vendor_listings(db, vendor_id),
                           categories=CATEGORIES, rating_of=browse.rating_of)


@bp.get("/compare")
@allow(PUBLIC)
def compare():
    ids = [int(value) for value in request.args.getlist("id") if value.isdigit()]
    try:
        items = browse.compared(get_session(), ids)
    except DomainError as err:
        flash(str(err.message), "error")
        return redirect(url_for("browse.solutions", **_shown_args()))
    db = get_session()
    return render_template("catalog/browse_compare.html", items=items,
                           rows=_comparison_rows(db, items))


def _comparison_rows(db, items) -> list[tuple[str, list[str], bool]]:
    """(label, one cell per solution, whether the cells differ) for the comparison table."""
    statements = [{key: sentence for key, _label, sentence in sla_words.statements(version)}
                  for _row, version in items]
    plans = [listings.plans_of(db, version.id) for _row, version in items]
    rows = [
        (_("Category"), [str(CATEGORIES[row.category]) for row, _v in items]),
        (_("Price from (a year)"), [format_ntd(row.yearly_price_from) for row, _v in items]),
        (_("Plans"), [", ".join(plan.name for plan in ps) for ps in plans]),
        (_("Rating"), [_("★ %(rating)s (%(count)s)", rating=browse.rating_of(row),
                         count=row.rating_count) if row.rating_count else _("No reviews yet")
                       for row, _v in items]),
        (_("Company size"), [_("%(min)s to %(max)s employees", min=v.min_employees,
                               max=v.max_employees) for _r, v in items]),
        (_("Free trial"), [_("%(days)s days", days=v.free_trial_days) if v.free_trial_days
                           else _("None") for _r, v in items]),
        *[(str(label), [s[key] for s in statements])
          for key, label in sla_words.TERM_LABELS.items()],
        (_("Leaving with your data"), [v.data_export_format.upper() for _r, v in items]),
    ]
    return [(label, cells, len(set(cells)) > 1) for label, cells in rows]


class _TextSchema(BaseSchema):
    text = fields.String(required=True, validate=validate.Length(max=2000))


@bp.post("/reviews/<int:review_id>/reply")
@allow(ROLE_VENDOR)
def reply_to_review(review_id: int):
    return _review_action(review_id, "reply")


@bp.post("/reviews/<int:review_id>/hide")
@allow(ROLE_ADMIN)
def hide_review(review_id: int):
    return _review_action(review_id, "hide")


def _review_action(review_id: int, action: str):
    solution_id = request.form.get("solution_id", type=int)
    back = url_for("browse.solution", solution_id=solution_id) if solution_id else url_for(
        "browse.solutions")
    try:
        data = validation.load(_TextSchema(), request.form, from_form=True)
        user = current_user._get_current_object()
        with transaction() as db:
            if action == "reply":
                reviews.reply(db, vendor=user, review_id=review_id, text=data["text"])
            else:
                reviews.hide(db, admin=user, review_id=review_id, reason=data["text"])
    except ValidationFailed:
        flash(_("Write the answer first.") if action == "reply"
              else _("Give the reason for hiding this review."), "error")
        return redirect(back)
    except DomainError as err:
        flash(str(err.message), "error")
        return redirect(back)
    flash(_("Your answer is published.") if action == "reply" else _("The review is hidden."),
          "success")
    return redirect(back + f"#review-{review_id}")
