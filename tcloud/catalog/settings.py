"""The programme's catalogue settings as the rest of the catalogue reads them."""

from __future__ import annotations

from sqlmodel import Session

from tcloud.catalog.sla_terms import SlaMinimums
from tcloud.catalog.vetting import catalog_settings


def sla_minimums(session: Session) -> SlaMinimums:
    settings = catalog_settings(session)
    return SlaMinimums(
        availability_percent=settings.min_availability_percent,
        weekly_support_minutes=settings.min_weekly_support_hours * 60,
        max_response_minutes=settings.max_response_minutes,
        max_rpo_minutes=settings.max_rpo_minutes,
        min_first_tier_credit_percent=settings.min_first_tier_credit_percent,
        channels_required=settings.min_support_channels,
    )
