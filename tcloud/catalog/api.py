"""Catalogue API under /api/v1: the public catalogue, and a vendor's own listings.

Public reads see exactly what the pages show (browse decides what is public); vendors create,
edit, submit and withdraw their listings through the same services as the vendor pages, with
the same ListingSchema, so a refusal names the same field ("sla-availability_percent").
Another vendor's solution is "not found", never "forbidden", so ids reveal nothing.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from tcloud import validation
from tcloud.accounts.access import PUBLIC, allow
from tcloud.accounts.choices import INDUSTRIES, ROLE_VENDOR
from tcloud.api import api_blueprint, operation
from tcloud.catalog import browse, listings
from tcloud.catalog.api_schemas import (
    CategoryListSchema,
    ListingRequestSchema,
    ListingStateSchema,
    SolutionDetailSchema,
    SolutionPageSchema,
    TaxonomyProblemListSchema,
    VendorProfileSchema,
    VendorSolutionListSchema,
    WithdrawalOutSchema,
    WithdrawalRequestSchema,
)
from tcloud.catalog.listing_input import listing_input_from, window_from_strings
from tcloud.catalog.listing_schemas import SolutionListQuerySchema
from tcloud.catalog.taxonomy import CATEGORIES, PROBLEMS, PROBLEMS_BY_CODE
from tcloud.db import get_session, transaction

bp = api_blueprint("catalog", __name__)
TAG = "catalog"
VENDOR_TAG = "catalog (vendor)"

# --- the taxonomy ----------------------------------------------------------------------------


@bp.get("/categories")
@allow(PUBLIC)
@operation(summary="The six categories, with how many public solutions each has", tag=TAG,
           response_schema=CategoryListSchema)
def categories():
    counts = browse.search(get_session(), browse.CatalogQuery()).category_counts
    items = [{"code": code, "label": str(label), "solution_count": counts.get(code, 0)}
             for code, label in CATEGORIES.items()]
    return jsonify(CategoryListSchema().dump({"items": items}))


@bp.get("/problems")
@allow(PUBLIC)
@operation(summary="The problem taxonomy shared by listings and the advisor", tag=TAG,
           response_schema=TaxonomyProblemListSchema)
def problems():
    items = [_problem(problem.code) for problem in PROBLEMS]
    return jsonify(TaxonomyProblemListSchema().dump({"items": items}))


def _problem(code: str) -> dict:
    problem = PROBLEMS_BY_CODE[code]
    return {"code": problem.code, "category": problem.category, "label": str(problem.label)}


# --- public solutions and vendors ------------------------------------------------------------


@bp.get("/solutions")
@allow(PUBLIC)
@operation(summary="List and search public solutions (same filters as the catalogue page)",
           tag=TAG, query_schema=SolutionListQuerySchema, response_schema=SolutionPageSchema,
           errors=(422,))
def solutions():
    query = validation.load(SolutionListQuerySchema(), request.args)
    result = browse.search(get_session(), browse.CatalogQuery(**query))
    return jsonify(SolutionPageSchema().dump({
        "items": [_item(row) for row in result.rows], "total": result.total,
        "page": result.page, "pages": result.pages, "page_size": browse.PAGE_SIZE,
        "close_matches": result.close_matches, "category_counts": result.category_counts,
    }))


@bp.get("/solutions/<int:solution_id>")
@allow(PUBLIC)
@operation(summary="A public solution in full: plans, the five SLA terms, vendor, rating",
           tag=TAG, response_schema=SolutionDetailSchema, errors=(404,))
def solution(solution_id: int):
    db = get_session()
    row, version = browse.public_version(db, solution_id)
    return jsonify(SolutionDetailSchema().dump({
        "id": row.id, "version": version.number, "published_at": version.decided_at,
        "name": version.name, "summary": version.summary,
        "description_md": version.description_md, "category": version.category,
        "category_label": str(CATEGORIES[version.category]),
        "industries": [{"code": code, "label": str(INDUSTRIES.get(code, code))}
                       for code in listings.codes_of(version.industry_codes)],
        "problems": [_problem(code) for code in listings.codes_of(version.problem_codes)
                     if code in PROBLEMS_BY_CODE],
        "company_size": {"min_employees": version.min_employees,
                         "max_employees": version.max_employees},
        "free_trial_days": version.free_trial_days,
        "yearly_price_from": version.yearly_price_from,
        "plans": [plan.model_dump() for plan in listings.plans_of(db, version.id)],
        "sla": _sla(version),
        "data_export": {"format": version.data_export_format,
                        "description": version.data_export_description},
        "vendor": _vendor_brief(db, row.vendor_id),
        "rating": _rating(row), "renewal_rate_percent": row.renewal_rate_percent,
    }))


@bp.get("/vendors/<int:vendor_id>")
@allow(PUBLIC)
@operation(summary="An approved vendor's public profile and its public solutions", tag=TAG,
           response_schema=VendorProfileSchema, errors=(404,))
def vendor(vendor_id: int):
    db = get_session()
    profile = _vendor_brief(db, vendor_id)
    profile["solutions"] = [_item(row) for row in browse.vendor_listings(db, vendor_id)]
    return jsonify(VendorProfileSchema().dump(profile))


def _vendor_brief(db, organisation_id: int) -> dict:
    organisation, application = browse.vendor_profile(db, organisation_id)
    return {"id": organisation.id, "name": organisation.name, "tax_id": organisation.tax_id,
            "years_in_business": application.years_in_business,
            "paying_customers": application.paying_customers}


def _rating(row) -> dict:
    return {"average": browse.rating_of(row), "count": row.rating_count}


def _item(row) -> dict:
    return {
        "id": row.id, "name": row.name, "summary": row.summary, "category": row.category,
        "vendor": {"id": row.vendor_id, "name": row.vendor_name},
        "yearly_price_from": row.yearly_price_from,
        "availability_percent": row.availability_percent,
        "weekend_support": row.weekend_support, "free_trial_days": row.free_trial_days,
        "rating": _rating(row), "renewal_rate_percent": row.renewal_rate_percent,
    }


def _sla(version) -> dict:
    windows = [window_from_strings(w["day"], w["opens"], w["closes"])
               for w in version.support_windows]
    weekly = sum(w.closes_minute - w.opens_minute for w in windows)
    return {
        "availability_percent": version.availability_percent,
        "support_hours": {"windows": version.support_windows,
                          "covers_national_holidays": version.covers_national_holidays,
                          "weekly_minutes": weekly, "weekend_support": version.weekend_support,
                          "channels": version.support_channels},
        "compensation": {"tiers": version.compensation_tiers,
                         "cap_percent": version.compensation_cap_percent},
        "response_minutes": version.response_minutes, "rpo_minutes": version.rpo_minutes,
    }


# --- a vendor's own listings -----------------------------------------------------------------


@bp.get("/vendor/solutions")
@allow(ROLE_VENDOR)
@operation(summary="Your solutions, each with the state of its newest version", tag=VENDOR_TAG,
           response_schema=VendorSolutionListSchema)
def vendor_solutions():
    owned = listings.vendor_solutions(get_session(), current_user._get_current_object())
    items = [{
        "id": solution.id, "name": newest.name, "category": newest.category,
        "version_number": newest.number, "state": newest.state,
        "withdrawn": solution.withdrawn_at is not None, "updated_at": newest.updated_at,
        "decided_at": newest.decided_at, "decided_by_name": newest.decided_by_name,
        "decision_reason": newest.decision_reason,
    } for solution, newest in owned if newest is not None]
    return jsonify(VendorSolutionListSchema().dump({"items": items}))


@bp.post("/vendor/solutions")
@allow(ROLE_VENDOR)
@operation(summary="Create a listing; with \"submit\": true, send it for review", tag=VENDOR_TAG,
           request_schema=ListingRequestSchema, response_schema=ListingStateSchema, status=201,
           errors=(415, 422))
def create_solution():
    return _save_listing(solution_id=None), 201


@bp.put("/vendor/solutions/<int:solution_id>")
@allow(ROLE_VENDOR)
@operation(summary="Edit your listing; with \"submit\": true, send it for review (a change "
                   "that is not material goes live at once)", tag=VENDOR_TAG,
           request_schema=ListingRequestSchema, response_schema=ListingStateSchema,
           errors=(404, 415, 422))
def update_solution(solution_id: int):
    return _save_listing(solution_id=solution_id)


def _save_listing(*, solution_id: int | None):
    data = validation.load(ListingRequestSchema(), _json_body())
    submit = data.pop("submit")
    with transaction() as db:
        version = listings.save_listing(db, vendor=current_user._get_current_object(),
                                        listing=listing_input_from(data),
                                        solution_id=solution_id, submit=submit)
    return jsonify(ListingStateSchema().dump({
        "solution_id": version.solution_id, "version_id": version.id,
        "version_number": version.number, "state": version.state}))


@bp.post("/vendor/solutions/<int:solution_id>/withdrawal")
@allow(ROLE_VENDOR)
@operation(summary="Withdraw your listing from the catalogue", tag=VENDOR_TAG,
           request_schema=WithdrawalRequestSchema, response_schema=WithdrawalOutSchema,
           errors=(404, 409, 415, 422))
def withdraw_solution(solution_id: int):
    data = validation.load(WithdrawalRequestSchema(), _json_body())
    with transaction() as db:
        solution = listings.withdraw(db, vendor=current_user._get_current_object(),
                                     solution_id=solution_id, reason=data["reason"])
    return jsonify(WithdrawalOutSchema().dump({"solution_id": solution.id,
                                               "withdrawn_at": solution.withdrawn_at}))


def _json_body() -> dict:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}
