"""A month of 1-minute raw probe results for every solution, generated in bulk inside the database.

For bench/sla_probes.py: 800 solutions × 44,640 minutes (a 31-day month) is 35.7 million rows,
far too many to build as Python objects, so each day is one `INSERT ... SELECT` of attempts and
one of retries, the minutes coming from `generate_series` on PostgreSQL and a recursive CTE on
SQLite. Whether a minute failed is a deterministic hash of (solution, minute), so the data is the
same on both databases and on every run. What the month holds:
  - every solution: about 0.2% of first attempts fail; 4 in 5 of those pass on the retry
    (attempt 2, two seconds later: the minute is up), 1 in 5 fail again (confirmed down);
  - 1 in 20 solutions: one real outage of 20 to 600 minutes, every attempt and retry timing out
    (those past ~205 minutes fall below 99.5% for the month);
  - unknown minutes (no result at all): 0.05% of each solution's minutes at random, and two
    platform-wide gaps (45 and 25 minutes) when the prober itself was down.
Rows per minute are therefore one of: [ok], [failed, ok] (up), [failed, failed] (down), none
(unknown). `raw_month_counts` counts up and down minutes straight from the rows on that basis,
independently of the roll-up code, to cross-check the month-end figures.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, inspect, text

from tcloud.sla.availability import day_minutes

PLAN_TABLE = "bench_outage_plan"
OUTAGE_SHARE = 20  # 1 solution in 20 has a real outage
OUTAGE_MINUTES = (20, 45, 90, 150, 240, 300, 420, 600)
# Platform-wide gaps: (day of the month, local start minute, minutes).
PLATFORM_GAPS = ((9, 3 * 60, 45), (22, 14 * 60 + 10, 25))
# Per row: h = x² mod P with x = (solution * 7919 + minute * 31) mod P, a cheap hash both
# databases compute the same way in 64-bit integers; u = h mod 10,000 picks the minute's fate.
FAIL_BELOW = 20  # u < 20: the first attempt fails (0.2%)
MISSING_BELOW = 25  # 20 <= u < 25: no result at all (0.05%)
_HASH = ("(CAST((p.solution_id * 7919 + m.minute * 31) % 1000003 AS BIGINT)"
         " * CAST((p.solution_id * 7919 + m.minute * 31) % 1000003 AS BIGINT)) % 1000003")


@dataclass(frozen=True)
class Generated:
    seconds_per_day: list[float]
    index_seconds: float  # rebuilding the secondary indexes after the load
    indexes: list[str]


@dataclass(frozen=True)
class MonthPlan:
    days: list[date]
    outages: dict[int, tuple[int, int]]  # solution → [first, end) epoch minutes

    @property
    def first_minute(self) -> int:
        return day_minutes(self.days[0])[0]

    @property
    def end_minute(self) -> int:
        return day_minutes(self.days[-1])[1]


def plan_month(solution_ids: list[int], days: list[date], *, seed: int = 17) -> MonthPlan:
    """Which solutions have an outage, when and how long (deterministic)."""
    rng = random.Random(seed)
    first, end = day_minutes(days[0])[0], day_minutes(days[-1])[1]
    outages = {}
    for position, solution_id in enumerate(sorted(solution_ids)):
        if position % OUTAGE_SHARE == OUTAGE_SHARE // 2:
            length = OUTAGE_MINUTES[(position // OUTAGE_SHARE) % len(OUTAGE_MINUTES)]
            start = rng.randrange(first, end - length)
            outages[solution_id] = (start, start + length)
    return MonthPlan(days=days, outages=outages)


def generate_month(engine: Engine, plan: MonthPlan, solution_ids: list[int]) -> Generated:
    """Insert the month's raw rows, one transaction per day.

    The usual bulk-load recipe, on one connection: probe_results' secondary indexes are dropped
    first and rebuilt after (as the database made them), and foreign keys are not checked row
    by row (the rows name solutions that exist). The table ends exactly as migrated.
    """
    dialect = engine.dialect.name
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        if dialect == "sqlite":
            raw.execute("PRAGMA foreign_keys=OFF")  # outside a transaction, or it is ignored
        with conn.begin():
            indexes = inspect(conn).get_indexes("probe_results")
            if dialect == "postgresql":  # session settings for this connection only
                for setting in ("session_replication_role = replica", "jit = off",
                                "work_mem = '256MB'", "maintenance_work_mem = '1GB'"):
                    conn.exec_driver_sql(f"SET {setting}")
            for index in indexes:
                conn.exec_driver_sql(f"DROP INDEX {index['name']}")
            conn.execute(text(f"CREATE TABLE {PLAN_TABLE} (solution_id INTEGER PRIMARY KEY,"
                              " outage_first INTEGER NOT NULL, outage_end INTEGER NOT NULL)"))
            conn.execute(text(f"INSERT INTO {PLAN_TABLE} VALUES (:s, :f, :e)"),
                         [{"s": s, "f": plan.outages.get(s, (0, 0))[0],
                           "e": plan.outages.get(s, (0, 0))[1]} for s in solution_ids])
        seconds = []
        for number, day in enumerate(plan.days, start=1):
            first, end = day_minutes(day)
            gaps = [(first + start, first + start + length)
                    for gap_day, start, length in PLATFORM_GAPS if gap_day == number]
            start = time.perf_counter()
            with conn.begin():
                for statement in _day_statements(dialect, gaps):
                    conn.execute(text(statement), {"first": first, "end": end})
            seconds.append(time.perf_counter() - start)
        start = time.perf_counter()
        with conn.begin():
            for index in indexes:
                unique = "UNIQUE " if index["unique"] else ""
                conn.exec_driver_sql(f"CREATE {unique}INDEX {index['name']} ON probe_results"
                                     f" ({', '.join(index['column_names'])})")
            conn.execute(text(f"DROP TABLE {PLAN_TABLE}"))
            if dialect == "postgresql":
                conn.exec_driver_sql("RESET ALL")
        indexed = time.perf_counter() - start
        if dialect == "sqlite":
            raw.execute("PRAGMA foreign_keys=ON")
    return Generated(seconds, indexed, [i["name"] for i in indexes])


def _day_statements(dialect: str, gaps: list[tuple[int, int]]) -> list[str]:
    """Attempts, then retries, for every (solution, minute) of [:first, :end)."""
    skip = "".join(f" AND NOT (minute >= {a} AND minute < {b})" for a, b in gaps)
    # Each minute's two timestamps are worked out once (a materialised CTE of 1,440 rows), not
    # once per row: formatting them was most of SQLite's cost per row.
    if dialect == "postgresql":
        minutes = ("m AS MATERIALIZED (SELECT minute, to_timestamp(minute * 60 + 7) AS at1,"
                   " to_timestamp(minute * 60 + 9) AS at2 FROM generate_series("
                   f"CAST(:first AS BIGINT), CAST(:end AS BIGINT) - 1) AS g(minute)"
                   f" WHERE TRUE{skip})")
    else:
        # SQLAlchemy's SQLite DATETIME text form (UTC), so range filters compare correctly.
        text_at = "strftime('%Y-%m-%d %H:%M:%S', minute * 60 + {second}, 'unixepoch') || '.000000'"
        minutes = ("all_minutes(minute) AS (SELECT :first UNION ALL SELECT minute + 1"
                   " FROM all_minutes WHERE minute + 1 < :end),"
                   f" m AS MATERIALIZED (SELECT minute, {text_at.format(second=7)} AS at1,"
                   f" {text_at.format(second=9)} AS at2 FROM all_minutes WHERE 1{skip})")
    rows = (f"WITH RECURSIVE {minutes}, r AS ("
            "SELECT p.solution_id AS sid, m.minute AS minute, m.at1 AS at1, m.at2 AS at2,"
            " CASE WHEN m.minute >= p.outage_first AND m.minute < p.outage_end"
            " THEN 1 ELSE 0 END AS outage,"
            f" {_HASH} AS h FROM m CROSS JOIN {PLAN_TABLE} p) ")
    # Rows in the order rounds would write them, minute by minute (SQLite's CROSS JOIN keeps
    # its loop order; PostgreSQL needs telling), so a short time range sits on few pages.
    in_time_order = " ORDER BY minute, sid" if dialect == "postgresql" else ""
    columns = ("INSERT INTO probe_results (solution_id, probed_at, minute, attempt, ok,"
               " covers_minutes, status_code, latency_ms, detail) ")
    failed = f"h % 10000 < {FAIL_BELOW}"
    attempts = rows + columns + (
        "SELECT sid, at1, minute, 1,"
        f" (outage = 0 AND NOT ({failed})), 1,"
        f" CASE WHEN outage = 1 THEN NULL WHEN {failed} THEN 503 ELSE 200 END,"
        f" CASE WHEN outage = 1 THEN 10000 ELSE 40 + h % 160 END,"
        f" CASE WHEN outage = 1 THEN 'timed out after 10 s'"
        f" WHEN {failed} THEN 'answered 503, expected 200' END"
        f" FROM r WHERE outage = 1 OR h % 10000 < {FAIL_BELOW}"
        f" OR h % 10000 >= {MISSING_BELOW}{in_time_order}")
    retry_fails = "(h / 10000) % 5 = 0"
    retries = rows + columns + (
        "SELECT sid, at2, minute, 2,"
        f" (outage = 0 AND NOT {retry_fails}), 1,"
        f" CASE WHEN outage = 1 THEN NULL WHEN {retry_fails} THEN 503 ELSE 200 END,"
        f" CASE WHEN outage = 1 THEN 10000 ELSE 40 + h % 160 END,"
        f" CASE WHEN outage = 1 THEN 'timed out after 10 s'"
        f" WHEN {retry_fails} THEN 'answered 503, expected 200' END"
        f" FROM r WHERE outage = 1 OR {failed}{in_time_order}")
    return [attempts, retries]


def raw_month_counts(db, plan: MonthPlan, solution_ids: list[int] | None = None,
                     ) -> dict[int, tuple[int, int]]:
    """solution → (up minutes, down minutes), counted from the raw rows in one aggregate.

    Relies on how the rows were generated (one ok row per up minute; a failed retry per down
    minute), not on the roll-up code. With solution_ids, only those (through the
    (solution, minute) index); without, a scan of the whole month.
    """
    where = "minute >= :first AND minute < :end"
    params: dict = {"first": plan.first_minute, "end": plan.end_minute}
    if solution_ids is not None:
        names = [f":s{n}" for n in range(len(solution_ids))]
        where += f" AND solution_id IN ({', '.join(names)})"
        params.update({f"s{n}": s for n, s in enumerate(solution_ids)})
    rows = db.execute(text(
        "SELECT solution_id, SUM(CASE WHEN ok THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN attempt = 2 AND NOT ok THEN 1 ELSE 0 END)"
        f" FROM probe_results WHERE {where} GROUP BY solution_id"), params).all()
    return {solution_id: (int(up), int(down)) for solution_id, up, down in rows}
