"""Advisor figures: time per recommendation over the demo catalogue, a 50,000-form batch, and
ranking quality (precision@5, nDCG@10) on the evaluation set (tcloud/advisor/eval_cases.py).

Builds a throw-away SQLite database with the full demo (~800 live solutions; or measures an
already seeded one with --database), then in-process:
- loading the candidates (one query of plain columns, plus measured SLA figures), and the
  cached read that repeated recommendations pay;
- per recommendation (the 44 evaluation forms, several rounds): cached candidates → rank →
  bundle, median and p95 (target < 20 ms); and the whole submit (validate, diagnose, rank,
  store items) inside a transaction that is rolled back;
- a batch of 50,000 generated forms ranked and bundled over the same candidates, on all
  cores (one process each);
- precision@5 and nDCG@10 of the matcher's ranking against the consultants' grades.

    python -m bench.advisor [--database URL] [--forms 50000] [--rounds 5] [--workers N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from tcloud import create_app, migrate
from tcloud.accounts.choices import INDUSTRIES
from tcloud.advisor import candidates as candidate_reads
from tcloud.advisor.bundle import build_bundle
from tcloud.advisor.eval_cases import CASES, relevance
from tcloud.advisor.evaluation import EvaluationCase, evaluate
from tcloud.advisor.matcher import rank
from tcloud.advisor.needs import NeedsProfile
from tcloud.catalog.taxonomy import PROBLEMS
from tcloud.db import database

TARGET_MS = 20.0
_worker_candidates: tuple = ()


def seed(url: str, folder: str) -> float:
    from bench.catalog import seed as seed_demo

    env = {**os.environ, "TCLOUD_DATABASE_URL": url, "TCLOUD_INSTANCE_DIR": folder,
           "TCLOUD_ENV": "development"}
    migrate.upgrade(url)
    return seed_demo(env)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def generated_forms(count: int, seed: int = 6) -> list[NeedsProfile]:
    """Varied needs forms: industries, sizes (1–80, mostly small), 1–3 problems, budgets,
    support needs and stages, the same every run."""
    rng = random.Random(seed)
    industries, codes = list(INDUSTRIES), [p.code for p in PROBLEMS]
    forms = []
    for _ in range(count):
        problems = tuple(rng.sample(codes, rng.choice((1, 1, 2, 2, 3))))
        needs = rng.random()
        forms.append(NeedsProfile(
            employees=min(80, max(1, int(rng.lognormvariate(1.6, 0.9)))),
            industry=rng.choice(industries), problems=problems, top_problem=problems[0],
            budget_ntd=rng.choice((0, 0, 0, 5_000, 10_000, 20_000, 50_000)),
            needs_evenings=needs < 0.15, needs_weekends=0.1 < needs < 0.4,
            needs_holidays=needs > 0.9, stage=rng.choice((1, 2, 2, 3, 3, 4))))
    return forms


def _init_worker(cands: tuple) -> None:
    global _worker_candidates
    _worker_candidates = cands


def _rank_chunk(forms: list[NeedsProfile]) -> int:
    shown = 0
    for profile in forms:
        bundle = build_bundle(rank(profile, _worker_candidates))
        shown += len(bundle.items)
    return shown


def batch_seconds(cands: tuple, forms: list[NeedsProfile], workers: int) -> float:
    chunks = [forms[i::workers * 8] for i in range(workers * 8)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(cands,)) as pool:
        list(pool.map(_rank_chunk, chunks))
    return time.perf_counter() - start


def per_recommendation(session, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        for case in CASES:
            start = time.perf_counter()
            _revision, cands = candidate_reads.cached_candidates(session)
            build_bundle(rank(case.profile, cands))
            times.append((time.perf_counter() - start) * 1000)
    return times


def submit_times(app, count: int = 20) -> list[float]:
    """Whole submits (validate, diagnose, rank, store), rolled back, by a demo business."""
    from sqlmodel import select

    from tcloud.accounts.models import User
    from tcloud.advisor import forms
    from tcloud.advisor.readiness import QUESTIONS

    times = []
    db = database(app)
    for case in CASES[:count]:
        session = db.session(write=True)
        try:
            user = session.exec(select(User).where(User.role == "business")).first()
            profile = case.profile
            answers = {"employees": profile.employees, "industry": profile.industry,
                       "city": "tainan", "sells": "bench", "sales_channel": "shop",
                       "problems": list(profile.problems), "top_problem": profile.top_problem,
                       "budget_ntd": profile.budget_ntd, "review": "automatic",
                       "readiness": {q.code: q.options[1].code for q in QUESTIONS}}
            start = time.perf_counter()
            forms.submit(session, user=user, answers=answers)
            session.flush()
            times.append((time.perf_counter() - start) * 1000)
        finally:
            session.rollback()
            session.close()
    return times


def quality(cands: tuple) -> None:
    cases = []
    for case in CASES:
        ranked = [m.solution_id for m in rank(case.profile, cands).matches]
        cases.append(EvaluationCase(case.name, ranked, relevance(case.profile, cands)))
    summary = evaluate(cases)
    judged = statistics.median(len(c.relevance) for c in cases)
    print(f"Evaluation set: {summary.cases} forms across {len({c.profile.industry for c in CASES})}"
          f" industries, median {judged:.0f} acceptable solutions each")
    print(f"  precision@5 {summary.precision:.3f}   nDCG@10 {summary.ndcg:.3f} (linear gain)")
    exp = evaluate(cases, gain="exponential")
    print(f"  nDCG@10 with exponential gain {exp.ndcg:.3f}")
    print("  lowest nDCG@10: " + "; ".join(f"{name} {value:.2f}" for name, value in summary.worst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="an already seeded database URL (skips the seed)")
    parser.add_argument("--forms", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tcloud-bench-advisor-") as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        if not args.database:
            print(f"seed-demo (migrations + full demo data): {seed(url, folder):.1f} s")
        app = create_app({"TCLOUD_ENV": "development", "TCLOUD_DATABASE_URL": url,
                          "TCLOUD_INSTANCE_DIR": folder})
        with app.app_context():
            session = database(app).session(write=False)
            start = time.perf_counter()
            cands = tuple(candidate_reads.load_candidates(session))
            load_ms = (time.perf_counter() - start) * 1000
            candidate_reads.clear_cache()
            candidate_reads.cached_candidates(session)  # fill the cache once
            start = time.perf_counter()
            candidate_reads.cached_candidates(session)
            cached_ms = (time.perf_counter() - start) * 1000
            app.extensions[candidate_reads._EXTENSION].pop("entry")  # as after a new revision
            start = time.perf_counter()
            candidate_reads.cached_candidates(session)
            revision_ms = (time.perf_counter() - start) * 1000
            print(f"Candidates: {len(cands)} live solutions; first read of the day "
                  f"{load_ms:.1f} ms (one query + 90-day SLA figures), after a catalogue "
                  f"change {revision_ms:.1f} ms, cached {cached_ms:.2f} ms")
            times = per_recommendation(session, args.rounds)
            median, p95 = statistics.median(times), percentile(times, 0.95)
            verdict = "meets" if p95 < TARGET_MS else "misses"
            print(f"Per recommendation (rank + bundle, {len(times)} runs): median {median:.1f} "
                  f"ms, p95 {p95:.1f} ms ({verdict} the {TARGET_MS:.0f} ms target)")
            session.close()
            submits = submit_times(app)
            print(f"Whole submit (validate, diagnose, rank, store; {len(submits)} runs): "
                  f"median {statistics.median(submits):.1f} ms, p95 "
                  f"{percentile(submits, 0.95):.1f} ms")
            quality(cands)
        forms = generated_forms(args.forms)
        seconds = batch_seconds(cands, forms, args.workers)
        print(f"Batch: {args.forms:,} forms ranked and bundled in {seconds:.1f} s on "
              f"{args.workers} processes ({args.forms / seconds:,.0f} forms/s, "
              f"{seconds * 1000 * args.workers / args.forms:.2f} ms CPU per form)")
        database(app).engine.dispose()


if __name__ == "__main__":
    main()
