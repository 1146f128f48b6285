"""Fixtures for the SLA tests: a local HTTP target server, and live solutions to probe."""

from __future__ import annotations

import pytest

from tests.sla.http_target import TargetServer


@pytest.fixture(scope="session")
def target_server():
    server = TargetServer().start()
    yield server
    server.stop()


@pytest.fixture
def live_solution(db, factories):
    """Make a public solution whose live version's health URL is `url` (tests point it at the
    local server; the listing form only accepts https addresses with a domain)."""
    from sqlmodel import select

    from tcloud.catalog.models import SolutionVersion

    vendor = None

    def make(url: str = "https://status.example.com/health", **overrides) -> int:
        nonlocal vendor
        vendor = vendor or factories.approved_vendor()
        version = factories.listing(vendor, **overrides)
        live = db.exec(select(SolutionVersion).where(
            SolutionVersion.solution_id == version.solution_id,
            SolutionVersion.state == "live")).one()
        live.health_url = url
        db.add(live)
        db.commit()
        return version.solution_id

    make.vendor = lambda: vendor
    return make
