"""Availability settings: defaults here, overridable through the app config (environment).

Read through functions so that code running without an app (benchmarks, pure tests) gets the
defaults, and tests can override one value with `app.config[...]`.
"""

from __future__ import annotations

import os

from flask import current_app, has_app_context

DEFAULTS = {
    # Raw probe results are kept this many days, then deleted by time range in one statement.
    "TCLOUD_SLA_PROBE_RETENTION_DAYS": 3,
    # Announced maintenance excused per solution per calendar month (beyond it counts as down).
    "TCLOUD_SLA_MAINTENANCE_CAP_MINUTES": 240,
    # HTTP probes in flight at once; each costs a thread blocked on a socket, not CPU.
    "TCLOUD_SLA_PROBE_CONCURRENCY": 64,
}


def setting(name: str) -> int:
    if has_app_context() and name in current_app.config:
        return int(current_app.config[name])
    return int(os.environ.get(name, DEFAULTS[name]))


def retention_days() -> int:
    return setting("TCLOUD_SLA_PROBE_RETENTION_DAYS")


def maintenance_cap_minutes() -> int:
    return setting("TCLOUD_SLA_MAINTENANCE_CAP_MINUTES")


def probe_concurrency() -> int:
    return setting("TCLOUD_SLA_PROBE_CONCURRENCY")
