"""The administrators' breach dashboard: open and closed breaches by term, vendor and
solution, monthly trends and compensation as charts (pygal: server-side SVG, no JavaScript,
each with the same figures in a table beside it), repeat offenders with a link to the vendor's
vetting page (where suspension happens), and the full list with filters."""

from __future__ import annotations

import base64
import re

import pygal
from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style
from sqlmodel import select

from tcloud import validation
from tcloud.accounts.access import allow
from tcloud.accounts.choices import ROLE_ADMIN
from tcloud.catalog.models import VendorApplication
from tcloud.clock import to_taipei, utcnow
from tcloud.db import get_session
from tcloud.errors import DomainError
from tcloud.sla import breach_reports as reports
from tcloud.sla.compensation import BREACH_TERMS
from tcloud.sla.incident_labels import TERM_LABELS
from tcloud.sla.incident_models import Breach
from tcloud.sla.incident_schemas import BreachQuerySchema

bp = Blueprint("sla_dashboard", __name__)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)
TREND_MONTHS = 12
# High-contrast colours that stay apart for the common colour-vision deficiencies.
CHART_STYLE = Style(background="transparent", plot_background="transparent",
                    colors=("#1d70b8", "#d4351c", "#00703c", "#6f72af"),
                    font_family="system-ui, sans-serif", label_font_size=12,
                    major_label_font_size=12, legend_font_size=13, title_font_size=15)


def _svg(chart) -> Markup:
    """The chart as an <img> of SVG in a data: URL.

    Inline SVG carries pygal's <style> element, which the content security policy
    (style-src 'self') refuses, leaving every shape black. An SVG shown as an image is a
    document of its own: its styles apply, its scripts never run, and img-src allows data:.
    The figures are also in the table beside each chart, so the image needs only its title.
    """
    title = chart.config.title or ""
    svg = chart.render(is_unicode=True, disable_xml_declaration=True)
    encoded = base64.b64encode(_SCRIPT.sub("", svg).encode("utf-8")).decode("ascii")
    return Markup('<img class="chart-image" src="data:image/svg+xml;base64,{}" alt="{}">').format(
        encoded, title)


def trend_chart(months: list[str], trend: dict[str, dict[str, int]]) -> Markup:
    chart = pygal.StackedBar(style=CHART_STYLE, height=320, width=760, legend_at_bottom=True,
                             title=_("Breaches by month"), x_label_rotation=30,
                             print_values=False, show_y_guides=True, js=[])
    chart.x_labels = months
    for term in BREACH_TERMS:
        chart.add(str(TERM_LABELS[term]), [trend[term][m] for m in months])
    return _svg(chart)


def compensation_chart(months: list[str], credited: dict[str, int]) -> Markup:
    chart = pygal.Bar(style=CHART_STYLE, height=280, width=760, show_legend=False,
                      title=_("Compensation credited (points)"), x_label_rotation=30, js=[])
    chart.x_labels = months
    chart.add(_("Points"), [credited[m] for m in months])
    return _svg(chart)


def _application_ids(session, organisation_ids) -> dict[int, int]:
    ids = list(set(organisation_ids))
    if not ids:
        return {}
    return dict(session.exec(select(VendorApplication.organisation_id, VendorApplication.id)
                             .where(VendorApplication.organisation_id.in_(ids))).all())


@bp.get("/admin/sla/breaches")
@allow(ROLE_ADMIN)
def breaches():
    db = get_session()
    months = reports.last_months(utcnow(), TREND_MONTHS)
    trend = reports.monthly_trend(db, months)
    credited = reports.compensation_by_month(db, months)
    by_vendor = reports.counts_by(db, Breach.vendor_organisation_id)
    by_solution = reports.counts_by(db, Breach.solution_id)
    offenders = reports.repeat_offenders(db, months[-3])
    vendor_ids = [v for v, _o, _t in by_vendor] + [v for _s, v, _c in offenders]
    solution_ids = [s for s, _o, _t in by_solution] + [s for s, _v, _c in offenders]
    try:
        query = validation.load(BreachQuerySchema(), request.args, from_form=True)
    except DomainError:
        query = {"page": 1}
    page = query.pop("page", 1)
    filters = reports.BreachFilters(**query)
    rows, total = reports.list_breaches(db, filters, page)
    return render_template(
        "sla/admin_breaches.html", by_term=reports.counts_by_term(db), months=months,
        trend=trend, credited=credited, trend_svg=trend_chart(months, trend),
        compensation_svg=compensation_chart(months, credited), by_vendor=by_vendor,
        by_solution=by_solution, offenders=offenders, rows=rows, total=total, page=page,
        per_page=reports.PER_PAGE, filters=filters, terms=BREACH_TERMS,
        term_labels=TERM_LABELS, vendors=reports.vendor_names(db, vendor_ids),
        solutions=reports.solution_names(db, solution_ids + [r.solution_id for r in rows]),
        applications=_application_ids(db, vendor_ids), taipei=to_taipei,
        threshold=reports.REPEAT_THRESHOLD)
