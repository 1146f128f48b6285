"""The standard-form contract: versioned templates, filled per quote, hashed as shown.

A template is Markdown with {placeholders}. Versions are only ever added (a trigger refuses
UPDATE and DELETE; migration 0008 seeds version 1). The buyer is shown the newest version filled
in for the quote; the SHA-256 of that exact text travels with the acceptance form, and checkout
re-renders and compares, so a template or listing that changed in between is noticed.

The contract is a legal text and is always rendered in Traditional Chinese, whatever language
the buyer browses in: the SLA sentences are produced under the zh_TW locale so the text, and so
its hash, is the same for everybody.
"""

from __future__ import annotations

import hashlib
import re

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlmodel import Session

from tcloud.accounts.models import Organisation, User
from tcloud.audit import services as audit
from tcloud.catalog import sla_words
from tcloud.catalog.models import Solution, SolutionPlan, SolutionVersion
from tcloud.errors import DomainError, NotFound, ValidationFailed
from tcloud.points.order_models import ContractTemplate, Quote

CONTRACT_LOCALE = "zh_TW"
PLACEHOLDERS = (
    "contract_version", "buyer_name", "buyer_tax_id", "vendor_name", "vendor_tax_id",
    "solution_name", "plan_name", "billing_period", "seats", "term_months", "price_ntd",
    "points_applied", "card_amount_ntd", "monthly_points", "sla_availability", "sla_support",
    "sla_compensation", "sla_response", "sla_rpo", "data_export_format",
    "data_export_description",
)
PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
BILLING_WORDS = {"year": "年繳", "month": "月繳"}
MAX_BODY = 50_000
SLA_FIELDS = ("availability_percent", "support_windows", "covers_national_holidays",
              "support_channels", "compensation_tiers", "compensation_cap_percent",
              "response_minutes", "rpo_minutes")


def latest_template(session: Session) -> ContractTemplate:
    template = session.execute(select(ContractTemplate)
                               .order_by(ContractTemplate.version.desc()).limit(1)).scalar()
    if template is None:  # migration 0008 seeds version 1; without it nobody can buy
        raise NotFound(_l("No contract template exists yet. An administrator must add one."))
    return template


def list_versions(session: Session) -> list[ContractTemplate]:
    return list(session.execute(select(ContractTemplate)
                                .order_by(ContractTemplate.version.desc())).scalars())


def get_version(session: Session, version: int) -> ContractTemplate:
    found = session.execute(select(ContractTemplate)
                            .where(ContractTemplate.version == version)).scalar()
    if found is None:
        raise NotFound(_l("That contract version does not exist."))
    return found


def template_problems(body_md: str) -> dict[str, str]:
    """Field errors of a new template body: unknown placeholders, stray braces, length."""
    if not body_md.strip():
        return {"body_md": str(_l("Write the contract text."))}
    if len(body_md) > MAX_BODY:
        return {"body_md": str(_l("The contract text is too long (at most %(n)s characters).",
                                  n=f"{MAX_BODY:,}"))}
    unknown = sorted({name for name in PLACEHOLDER.findall(body_md) if name not in PLACEHOLDERS})
    if unknown:
        return {"body_md": str(_l("Unknown placeholders: %(names)s. Use only the ones listed.",
                                  names=", ".join("{" + n + "}" for n in unknown)))}
    if "{" in PLACEHOLDER.sub("", body_md) or "}" in PLACEHOLDER.sub("", body_md):
        return {"body_md": str(_l("A brace { or } is not part of a placeholder. Remove it or "
                                  "complete the placeholder."))}
    return {}


def add_version(session: Session, *, admin: User, body_md: str,
                change_note: str) -> ContractTemplate:
    """Add the next contract version (audited). Earlier versions stay as they were."""
    problems = template_problems(body_md)
    if not change_note.strip():
        problems["change_note"] = str(_l("Say what changed in this version."))
    elif len(change_note) > 300:
        problems["change_note"] = str(_l("Keep the change note under 300 characters."))
    if problems:
        raise ValidationFailed(problems)
    current = session.execute(select(func.max(ContractTemplate.version))).scalar() or 0
    template = ContractTemplate(version=current + 1, body_md=body_md.replace("\r\n", "\n"),
                                change_note=change_note.strip(), created_by_id=admin.id)
    session.add(template)
    session.flush()  # the UNIQUE version refuses a second administrator saving at once
    audit.record(session, actor=admin, action="contract_template.version_added",
                 subject_type="contract_template", subject_id=template.version,
                 reason=template.change_note, before={"version": current},
                 after={"version": template.version,
                        "sha256": sha256_of(template.body_md)})
    return template


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fill(body_md: str, values: dict[str, object]) -> str:
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), body_md)


def sla_snapshot(version: SolutionVersion) -> dict:
    """The five SLA terms as stored on the listing version, copied into the order."""
    return {name: getattr(version, name) for name in SLA_FIELDS}


def _amount(value: int) -> str:
    return f"{value:,}"


def contract_values(session: Session, quote: Quote, template: ContractTemplate) -> dict:
    version = session.get(SolutionVersion, quote.version_id)
    plan = session.get(SolutionPlan, quote.plan_id)
    buyer = session.get(Organisation, quote.organisation_id)
    vendor = session.get(Organisation, session.get(Solution, quote.solution_id)
                         .vendor_organisation_id)
    with force_locale(CONTRACT_LOCALE):
        terms = {key: sentence for key, _, sentence in sla_words.statements(version)}
    return {
        "contract_version": template.version,
        "buyer_name": buyer.name, "buyer_tax_id": buyer.tax_id,
        "vendor_name": vendor.name, "vendor_tax_id": vendor.tax_id,
        "solution_name": version.name, "plan_name": plan.name,
        "billing_period": BILLING_WORDS.get(plan.billing_period, plan.billing_period),
        "seats": quote.seats, "term_months": quote.term_months,
        "price_ntd": _amount(quote.price_ntd), "points_applied": _amount(quote.points_applied),
        "card_amount_ntd": _amount(quote.card_amount_ntd),
        "monthly_points": _amount(quote.points_applied // quote.term_months),
        "sla_availability": terms["availability"], "sla_support": terms["support"],
        "sla_compensation": terms["compensation"], "sla_response": terms["response"],
        "sla_rpo": terms["rpo"],
        "data_export_format": version.data_export_format.upper(),
        "data_export_description": version.data_export_description,
    }


def render_for_quote(session: Session, quote: Quote) -> tuple[ContractTemplate, str, str]:
    """(template version, filled contract text, its SHA-256) for a quote, as shown to buyers."""
    template = latest_template(session)
    text = fill(template.body_md, contract_values(session, quote, template))
    return template, text, sha256_of(text)


class ContractChanged(DomainError):
    status = 409

    def __init__(self) -> None:
        super().__init__(_l("The contract changed since you opened it. Read the new version "
                            "below and accept it again."), field="accept")
