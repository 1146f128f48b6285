"""Points figures, on SQLite and PostgreSQL: a 50,000-application batch grant, and spends/s.

Run with `make bench-points` (or `python -m bench.points [--db sqlite|postgresql]
[--only grants|spends]`). Prints
figures; asserts only what must never be wrong (the budget to the point, zero overspend).
Each database is a throw-away one: a temporary SQLite file, and on PostgreSQL a new database
created beside `postgres` (whose own tables are never touched) and dropped afterwards.

1. Batch grant: 50,000 eligible applications wait in one programme whose budget covers
   exactly 40,000 grants; administrators' "grant the queue" runs in batches of 5,000, one
   commit each. Expect 40,000 grants, 0 points left, 10,000 still waiting. For comparison,
   the one-by-one path (a business applying, checks, immediate grant) on 1,000 more.
2. Spends: 16 threads, each a buyer holding points for orders from its own wallet, as
   checkout does (a write session per spend; `movements.hold` finds the wallet by its code,
   locks it, checks the balance, opens the order's escrow and writes the transaction, its
   entries and both balances), against 16 threads committing a one-row UPDATE each (raw
   commits/s) on the same database in the same run; then 16 threads on ONE wallet. The
   wallets run dry before the threads stop: the later tries are refused, and every wallet
   must end at exactly 0. Three rounds, raw and spends alternately, since a shared machine's
   speed drifts: each ratio compares figures taken a moment apart; the median is reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from tcloud import migrate
from tcloud.accounts.models import Organisation, User
from tcloud.accounts.taxid import is_valid_tax_id
from tcloud.clock import utcnow
from tcloud.db import WRITE_OPTION, make_engine, transaction
from tcloud.points import applications, batch, ledger, movements, programmes
from tcloud.points import models as m
from tcloud.points.ledger import InsufficientPoints
from tcloud.uploads.models import Upload

POSTGRES_ADMIN_URL = os.environ.get("TCLOUD_BENCH_POSTGRES_URL",
                                    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
APPLICATIONS, GRANTS_IN_BUDGET, BATCH, ONE_BY_ONE = 50_000, 40_000, 5_000, 1_000
POINTS = 30_000
THREADS, SPENDS_PER_THREAD, RAW_PER_THREAD, ROUNDS = 16, 150, 300, 3


def tax_ids(count: int, start: int = 10_000_000):
    found, number = [], start
    while len(found) < count:
        candidate = f"{number:08d}"
        if is_valid_tax_id(candidate):
            found.append(candidate)
        number += 1
    return found


def write_session(engine) -> Session:
    return Session(engine, expire_on_commit=False, execution_options={WRITE_OPTION: True})


def setup_programme(engine, *, budget: int, name: str) -> tuple[m.Programme, User]:
    today = date.today()
    with write_session(engine) as db, transaction(db):
        admin = User(email=f"admin-{uuid.uuid4().hex[:8]}@bench.example", password_hash="x",
                     role="admin", display_name="bench admin")
        db.add(admin)
        db.flush()
        programme = programmes.create_programme(db, admin=admin, values=dict(
            name=name, points_per_grant=POINTS, total_budget=budget,
            opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=90),
            points_expire_on=today + timedelta(days=365), allowed_entity_types=["company"],
            max_employees=None, grant_immediately=True, when_budget_short="waitlist"))
    return programme, admin


def bulk_businesses(db: Session, ids: list[str], prefix: str) -> list[tuple[int, int, str]]:
    """(organisation id, user id, tax id) of new business accounts, inserted in bulk."""
    now = utcnow()
    orgs = db.execute(insert(Organisation.__table__).returning(
        Organisation.__table__.c.id, sort_by_parameter_order=True), [
        {"kind": "business", "name": f"{prefix} 商店 {i}", "tax_id": tax_id,
         "entity_type": "company", "employee_count": 3, "created_at": now}
        for i, tax_id in enumerate(ids)]).scalars().all()
    users = db.execute(insert(User.__table__).returning(
        User.__table__.c.id, sort_by_parameter_order=True), [
        {"email": f"{prefix}{i}@bench.example", "password_hash": "x", "role": "business",
         "display_name": f"shop {i}", "organisation_id": org, "active": True,
         "created_at": now} for i, org in enumerate(orgs)]).scalars().all()
    return list(zip(orgs, users, ids, strict=True))


def bench_batch_grant(engine) -> None:
    programme, admin = setup_programme(engine, budget=GRANTS_IN_BUDGET * POINTS,
                                       name="bench batch")
    started = time.perf_counter()
    with write_session(engine) as db, transaction(db):
        shops = bulk_businesses(db, tax_ids(APPLICATIONS), "batch")
        now, checks = utcnow(), "[]"
        for start in range(0, APPLICATIONS, 10_000):
            db.execute(insert(m.GrantApplication.__table__).returning(
                m.GrantApplication.__table__.c.id), [
                {"programme_id": programme.id, "organisation_id": org, "submitted_by_id": user,
                 "tax_id": tax_id, "company_name": "bench", "entity_type": "company",
                 "employee_count": 3, "contact_name": "bench", "status": "pending_review",
                 "failed_checks": "", "checks": checks, "decision_reason": "",
                 "submitted_at": now} for org, user, tax_id in shops[start:start + 10_000]])
    print(f"  set-up: {APPLICATIONS:,} businesses and applications inserted in "
          f"{time.perf_counter() - started:.1f} s (not part of the figure)")
    granted, started = 0, time.perf_counter()
    while True:
        with write_session(engine) as db, transaction(db):
            result = batch.grant_queue(db, admin=admin, programme_id=programme.id,
                                       reason="bench", limit=BATCH)
        granted += result.granted
        if result.granted == 0:
            break
    elapsed = time.perf_counter() - started
    with Session(engine) as db:
        totals = programmes.totals(db, programme.id)
    assert granted == GRANTS_IN_BUDGET == totals["grants"], (granted, totals)
    assert totals["budget_left"] == 0 and totals["granted"] == GRANTS_IN_BUDGET * POINTS
    assert result.still_waiting == APPLICATIONS - GRANTS_IN_BUDGET
    print(f"  batch grant: {granted:,} of {APPLICATIONS:,} applications granted in "
          f"{elapsed:.1f} s ({granted / elapsed:,.0f} grants/s; target < 60 s); budget left "
          f"{totals['budget_left']}, {result.still_waiting:,} waiting: budget respected exactly")
    bench_one_by_one(engine)


def bench_one_by_one(engine) -> None:
    programme, _admin = setup_programme(engine, budget=ONE_BY_ONE * POINTS, name="bench single")
    with write_session(engine) as db, transaction(db):
        shops = bulk_businesses(db, tax_ids(ONE_BY_ONE, start=30_000_000), "single")
        proof = Upload(owner_organisation_id=shops[0][0], uploaded_by_id=shops[0][1],
                       purpose="registration_proof", storage_name=uuid.uuid4().hex,
                       original_name="p.pdf", kind="pdf", size_bytes=1, sha256="0" * 64)
        db.add(proof)
        db.flush()
        proof_id = proof.id
    started = time.perf_counter()
    for org, user_id, _tax_id in shops:
        user = User(id=user_id, organisation_id=org, role="business", email="", display_name="",
                    password_hash="")
        with write_session(engine) as db, transaction(db):
            status = applications.apply(db, user=user, programme_id=programme.id,
                                        answers=applications.Answers("company", 3, "bench"),
                                        proof_upload_id=proof_id).status
        assert status == "granted"
    elapsed = time.perf_counter() - started
    print(f"  one by one: {ONE_BY_ONE:,} applications checked and granted, one commit each, "
          f"in {elapsed:.1f} s ({ONE_BY_ONE / elapsed:,.0f}/s; 50,000 would take "
          f"{APPLICATIONS / (ONE_BY_ONE / elapsed):.0f} s)")


def run_threads(work) -> float:
    barrier, errors = threading.Barrier(THREADS + 1), []

    def run(i):
        barrier.wait()
        try:
            work(i)
        except Exception as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - started


def bench_raw_commits(engine, table_ready: bool) -> float:
    if not table_ready:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE bench_counter (id INTEGER PRIMARY KEY, n INTEGER)"))
            for i in range(THREADS):
                conn.execute(text("INSERT INTO bench_counter VALUES (:i, 0)"), {"i": i})
    with engine.connect() as conn:
        before = conn.execute(text("SELECT sum(n) FROM bench_counter")).scalar()

    def work(i):
        for _ in range(RAW_PER_THREAD):
            with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn:
                with conn.begin():
                    conn.execute(text("UPDATE bench_counter SET n = n + 1 WHERE id = :i"),
                                 {"i": i})

    elapsed = run_threads(work)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT sum(n) FROM bench_counter")).scalar() == \
            before + THREADS * RAW_PER_THREAD
    return THREADS * RAW_PER_THREAD / elapsed


def buyers_for(engine, programme, count: int, serial: int) -> list[int]:
    """Organisation ids of `count` new businesses, each granted POINTS."""
    with write_session(engine) as db, transaction(db):
        numbers = tax_ids(count, start=50_000_000 + serial * 100_000)
        shops = bulk_businesses(db, numbers, f"spend{serial}-")
        for org, _user, tax_id in shops:
            movements.grant(db, programme_id=programme.id, organisation_id=org, tax_id=tax_id,
                            points=POINTS, description="bench")
    return [org for org, _user, _tax_id in shops]


def spends_per_second(engine, programme, buyers: list[int], spend: int) -> tuple[float, dict]:
    """16 threads spending from `buyers`' wallets (thread i from buyer i mod len) until dry."""
    outcome, lock = {"paid": 0, "refused": 0}, threading.Lock()

    def work(i):
        buyer = buyers[i % len(buyers)]
        for n in range(SPENDS_PER_THREAD):
            order = f"{buyer}-{i}-{n}"
            try:
                with write_session(engine) as db, transaction(db):
                    movements.hold(db, programme_id=programme.id, organisation_id=buyer,
                                   order_ref=order, points=spend, key=f"hold:{order}",
                                   description="bench order")
                result = "paid"
            except InsufficientPoints:
                result = "refused"
            with lock:
                outcome[result] += 1

    elapsed = run_threads(work)
    with Session(engine) as db:
        balances = [ledger.account_by_code(db, ledger.wallet_code(programme.id, buyer)).balance
                    for buyer in buyers]
    assert balances == [0] * len(buyers), balances  # zero overspend, nothing left
    assert outcome["paid"] * spend == POINTS * len(buyers)
    return (outcome["paid"] + outcome["refused"]) / elapsed, outcome


def bench_spends(engine) -> None:
    """Raw commits and spends, alternately, ROUNDS times: each ratio is of the same moment."""
    programme, _admin = setup_programme(engine, budget=ROUNDS * (THREADS + 1) * POINTS,
                                        name="spends")
    # Spend sizes that empty each wallet exactly: 120 of 150 tries of 250 points pass on each
    # own wallet; 1,875 of 2,400 tries of 16 points on the one wallet.
    scenarios = (("16 buyers, own wallets", THREADS, 250), ("16 threads, ONE wallet", 1, 16))
    ratios: dict[str, list[float]] = {label: [] for label, _, _ in scenarios}
    for round_number in range(ROUNDS):
        raw = bench_raw_commits(engine, table_ready=round_number > 0)
        print(f"  round {round_number + 1}: raw single-row commits, {THREADS} threads: "
              f"{raw:,.0f}/s")
        for serial, (label, wallets, spend) in enumerate(scenarios, start=round_number * 10):
            buyers = buyers_for(engine, programme, wallets, serial)
            rate, outcome = spends_per_second(engine, programme, buyers, spend)
            ratios[label].append(rate / raw)
            print(f"    spends, {label}: {rate:,.0f}/s ({outcome['paid']:,} paid, "
                  f"{outcome['refused']:,} refused, overspend 0) = {rate / raw:.2f} of raw")
    for label, values in ratios.items():
        target = "; target >= 0.5" if label.startswith("16 buyers") else ""
        print(f"  spends, {label}: median {statistics.median(values):.2f} of raw "
              f"(rounds {min(values):.2f}-{max(values):.2f}{target})")


def postgres_database() -> str:
    name = f"tcloud_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def run(kind: str, only: str) -> None:
    print(f"\n== {kind} ==")
    folder = tempfile.TemporaryDirectory()
    url = (f"sqlite:///{Path(folder.name) / 'bench.db'}" if kind == "sqlite"
           else postgres_database())
    try:
        migrate.upgrade(url)
        engine = make_engine(url) if kind == "sqlite" else create_engine(
            url, pool_pre_ping=True, pool_size=THREADS + 4)
        if only in ("all", "grants"):
            bench_batch_grant(engine)
        if only in ("all", "spends"):
            bench_spends(engine)
        engine.dispose()
    finally:
        folder.cleanup()
        if kind != "sqlite":
            drop_postgres_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--only", choices=("all", "grants", "spends"), default="all",
                        help="run one part (default: everything)")
    args = parser.parse_args()
    for kind in args.db or ("sqlite", "postgresql"):
        run(kind, args.only)


if __name__ == "__main__":
    main()
