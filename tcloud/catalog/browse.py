"""What visitors and businesses see: the public catalogue, its search, facets and solution pages.

Only live versions of solutions that are not withdrawn, of vendors whose vetting is approved,
are public: one join decides it for every query here, so a suspended vendor disappears at once.

Search suits Chinese: every term must occur as a substring of the listing's normalised text
(names, summaries, descriptions, and the category, problem and industry labels in both
languages). When no listing has every term, the search falls back to character pairs (bigrams)
and ranks by how many pairs match, so 點菜系統 still finds 點餐系統. Lists select plain columns,
never whole ORM objects (see STACK-NOTES: 13x cheaper for a page of rows).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal
from sqlmodel import Session, select

from tcloud.accounts.models import Organisation
from tcloud.catalog import text
from tcloud.catalog.models import Solution, SolutionVersion, VendorApplication
from tcloud.errors import DomainError, NotFound

PAGE_SIZE = 20
MAX_COMPARED = 4

_rating = case((Solution.rating_count == 0, literal(0.0)),
               else_=Solution.rating_total * 1.0 / Solution.rating_count)

LIST_COLUMNS = (
    Solution.id, SolutionVersion.name, SolutionVersion.summary, SolutionVersion.category,
    SolutionVersion.yearly_price_from, SolutionVersion.availability_percent,
    SolutionVersion.weekend_support, SolutionVersion.free_trial_days,
    SolutionVersion.response_minutes, SolutionVersion.rpo_minutes,
    SolutionVersion.min_employees, SolutionVersion.max_employees,
    Solution.rating_count, Solution.rating_total, Solution.renewal_rate_percent,
    Organisation.id.label("vendor_id"), Organisation.name.label("vendor_name"),
)


@dataclass(frozen=True)
class CatalogQuery:
    q: str = ""
    category: str | None = None
    industry: str | None = None
    employees: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    weekend: bool = False
    free_trial: bool = False
    availability_min: float | None = None
    rating_min: int | None = None
    sort: str = ""
    page: int = 1


@dataclass
class SearchResult:
    rows: list
    total: int
    page: int
    pages: int
    category_counts: dict[str, int] = field(default_factory=dict)
    close_matches: bool = False  # no exact match: these share character pairs with the query


def public_listings():
    """SELECT over every public solution with its live version and vendor."""
    return (select(*LIST_COLUMNS)
            .select_from(Solution)
            .join(SolutionVersion, and_(SolutionVersion.solution_id == Solution.id,
                                        SolutionVersion.state == "live"))
            .join(Organisation, Organisation.id == Solution.vendor_organisation_id)
            .join(VendorApplication, and_(
                VendorApplication.organisation_id == Organisation.id,
                VendorApplication.status == "approved"))
            .where(Solution.withdrawn_at.is_(None)))


def _like(column, term: str):
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def _filters(query: CatalogQuery, *, with_category: bool = True) -> list:
    version = SolutionVersion
    conditions = []
    if with_category and query.category:
        conditions.append(version.category == query.category)
    if query.industry:
        conditions.append(_like(version.industry_codes, f"|{query.industry}|"))
    if query.employees:
        conditions += [version.min_employees <= query.employees,
                       version.max_employees >= query.employees]
    if query.price_min is not None:
        conditions.append(version.yearly_price_from >= query.price_min)
    if query.price_max is not None:
        conditions.append(version.yearly_price_from <= query.price_max)
    if query.weekend:
        conditions.append(version.weekend_support.is_(True))
    if query.free_trial:
        conditions.append(version.free_trial_days > 0)
    if query.availability_min is not None:
        conditions.append(version.availability_percent >= query.availability_min)
    if query.rating_min:
        conditions += [Solution.rating_count > 0,
                       Solution.rating_total >= query.rating_min * Solution.rating_count]
    return conditions


def _text_match(terms: list[str], *, close: bool):
    """(condition, relevance) for the query terms; exact substrings or shared bigrams."""
    version = SolutionVersion
    if not close:
        condition = and_(*(_like(version.search_text, term) for term in terms))
        score = sum((case((_like(func.lower(version.name), term), 4), else_=0)
                     + case((_like(func.lower(version.summary), term), 2), else_=0)
                     for term in terms), literal(1))
        return condition, score
    pairs = sorted({pair for term in terms for pair in text.bigrams(term)})
    chars = sorted({char for term in terms for char in term})
    pair_score = sum((case((_like(version.search_text, pair), 1), else_=0) for pair in pairs),
                     literal(0))
    char_score = sum((case((_like(version.search_text, char), 1), else_=0) for char in chars),
                     literal(0))
    # One wrong character in a four-character word leaves one pair of three and three
    # characters of four: require both, so 點菜系統 finds 點餐系統 but not every 系統.
    condition = and_(pair_score >= max(1, math.ceil(len(pairs) / 3)),
                     char_score >= math.ceil(len(chars) * 0.6))
    name_score = sum((case((_like(func.lower(version.name), pair), 1), else_=0)
                      for pair in pairs), literal(0))
    return condition, pair_score * 2 + char_score + name_score * 3


def _order(query: CatalogQuery, score):
    version = SolutionVersion
    rating = (_rating.desc(), Solution.rating_count.desc())
    orders = {
        "rating": rating,
        "price_asc": (version.yearly_price_from.asc(),),
        "price_desc": (version.yearly_price_from.desc(),),
        "renewal": (func.coalesce(Solution.renewal_rate_percent, -1).desc(),),
        "newest": (Solution.id.desc(),),
    }
    sort = query.sort or ("relevance" if query.q else "rating")
    chosen = (score.desc(), *rating) if sort == "relevance" and score is not None else orders.get(
        sort, rating)
    return (*chosen, Solution.id.asc())


def search(session: Session, query: CatalogQuery) -> SearchResult:
    terms = text.query_terms(query.q)
    result = _search(session, query, terms, close=False)
    if terms and result.total == 0:
        result = _search(session, query, terms, close=True)
        result.close_matches = result.total > 0
    return result


def _search(session: Session, query: CatalogQuery, terms: list[str], *,
            close: bool) -> SearchResult:
    base, score = public_listings(), None
    conditions = _filters(query)
    if terms:
        condition, score = _text_match(terms, close=close)
        conditions.append(condition)
    base = base.where(*conditions)
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    pages = max(1, math.ceil(total / PAGE_SIZE))
    page = min(query.page, pages)
    rows = session.exec(base.order_by(*_order(query, score))
                        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return SearchResult(rows=list(rows), total=total, page=page, pages=pages,
                        category_counts=_category_counts(session, query, terms, close))


def _category_counts(session: Session, query: CatalogQuery, terms: list[str],
                     close: bool) -> dict[str, int]:
    """How many listings each category would show with the other filters kept."""
    conditions = _filters(query, with_category=False)
    if terms:
        conditions.append(_text_match(terms, close=close)[0])
    inner = public_listings().where(*conditions).subquery()
    counts = session.exec(select(inner.c.category, func.count())
                          .group_by(inner.c.category)).all()
    return dict(counts)


def public_version(session: Session, solution_id: int) -> tuple:
    """(row of list columns, live SolutionVersion) of a public solution, else NotFound."""
    row = session.exec(public_listings().where(Solution.id == solution_id)).first()
    if row is None:
        raise NotFound(_l("That solution is not in the catalogue."))
    version = session.exec(select(SolutionVersion).where(
        SolutionVersion.solution_id == solution_id, SolutionVersion.state == "live")).one()
    return row, version


def live_health_urls(session: Session, solution_ids: list[int] | None = None) -> list:
    """(solution id, health URL, committed availability %, vendor organisation id, name) of
    every public solution's live version: what the SLA probes watch."""
    query = public_listings().with_only_columns(
        Solution.id, SolutionVersion.health_url, SolutionVersion.availability_percent,
        Organisation.id.label("vendor_id"), SolutionVersion.name).order_by(Solution.id)
    if solution_ids is not None:
        query = query.where(Solution.id.in_(solution_ids))
    return list(session.exec(query).all())


def vendor_listings(session: Session, organisation_id: int) -> list:
    return list(session.exec(public_listings().where(Organisation.id == organisation_id)
                             .order_by(SolutionVersion.name)).all())


def compared(session: Session, solution_ids: list[int]) -> list[tuple]:
    """Public solutions in the order asked, at most four; unknown ids are refused by name."""
    unique = list(dict.fromkeys(solution_ids))
    if not unique:
        raise DomainError(_l("Choose two to four solutions to compare."), field="id")
    if len(unique) > MAX_COMPARED:
        raise DomainError(_l("You can compare at most four solutions at a time."), field="id")
    return [public_version(session, solution_id) for solution_id in unique]


def vendor_profile(session: Session,
                   organisation_id: int) -> tuple[Organisation, VendorApplication]:
    """An approved vendor's public profile; anything else is 'not found'."""
    organisation = session.get(Organisation, organisation_id)
    application = session.exec(select(VendorApplication).where(
        VendorApplication.organisation_id == organisation_id)).first()
    if organisation is None or application is None or application.status != "approved":
        raise NotFound(_l("That vendor is not in the catalogue."))
    return organisation, application


def rating_of(row) -> float | None:
    return round(row.rating_total / row.rating_count, 1) if row.rating_count else None
