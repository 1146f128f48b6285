"""The sla domain's scheduled jobs (collected by tcloud/scheduling.py for the scheduler).

Probing and roll-up run every minute; the roll-up re-reads a little before its last success so
a late round is never lost. Burn rates are checked each minute from the roll-ups; certificates
and the raw-result purge once a day (Taipei time), at quiet hours.
"""

from __future__ import annotations

from tcloud.scheduling import ScheduledJob
from tcloud.sla.burn import check_burn_rates, check_certificates
from tcloud.sla.probe_round import run_probe_round
from tcloud.sla.rollups import ROLLUP_JOB, purge_raw_results, roll_up_recent


def probe_due_targets(session, now):
    return run_probe_round(session, now)


SCHEDULED_JOBS = [
    ScheduledJob("sla.probe", probe_due_targets, every_seconds=60),
    ScheduledJob(ROLLUP_JOB, roll_up_recent, every_seconds=60),
    ScheduledJob("sla.burn_rates", check_burn_rates, every_seconds=60),
    ScheduledJob("sla.certificates", check_certificates, cron={"hour": 9, "minute": 0}),
    ScheduledJob("sla.purge_raw_results", purge_raw_results, cron={"hour": 3, "minute": 40}),
]

# Incidents, RPO and month-end compensation (tcloud/sla/breaches.py).
from tcloud.sla.breaches import INCIDENT_JOBS  # noqa: E402

SCHEDULED_JOBS += INCIDENT_JOBS
