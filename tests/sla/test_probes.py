"""HTTP probes against a real local server: up, wrong status, time-out, keyword, retry."""

from __future__ import annotations

import time

from tcloud.sla.probes import ProbeSpec, check_once, probe, probe_all


def spec(url: str, **overrides) -> ProbeSpec:
    return ProbeSpec(solution_id=1, url=url, **{"timeout_seconds": 2, **overrides})


def test_a_healthy_target_is_up_in_one_attempt(target_server):
    outcome = probe(spec(target_server.url("/up")))
    assert outcome.ok and not outcome.confirmed_down
    assert len(outcome.attempts) == 1
    assert outcome.attempts[0].status_code == 200
    assert outcome.attempts[0].detail == "ok"


def test_a_500_is_retried_and_confirmed_down(target_server):
    url = target_server.url("/error", status=500)
    outcome = probe(spec(url))
    assert not outcome.ok and outcome.confirmed_down
    assert [a.status_code for a in outcome.attempts] == [500, 500]
    assert "answered 500, expected 200" in outcome.attempts[0].detail
    assert target_server.behaviour("/error").hits == 2


def test_a_failure_that_recovers_on_retry_is_not_down(target_server):
    url = target_server.url("/blip", fail_next=1)
    outcome = probe(spec(url))
    assert outcome.ok and not outcome.confirmed_down
    assert [a.ok for a in outcome.attempts] == [False, True]


def test_a_hanging_target_costs_only_its_time_out(target_server):
    url = target_server.url("/hang", delay=5)
    started = time.monotonic()
    attempt = check_once(spec(url, timeout_seconds=0.5))
    assert time.monotonic() - started < 1.5
    assert not attempt.ok and attempt.detail == "timed out"


def test_the_keyword_must_be_in_the_body(target_server):
    url = target_server.url("/word", body="status: degraded")
    assert not check_once(spec(url, keyword="healthy")).ok
    assert "keyword" in check_once(spec(url, keyword="healthy")).detail
    assert check_once(spec(url, keyword="degraded")).ok


def test_an_expected_status_other_than_200(target_server):
    url = target_server.url("/nocontent", status=204, body="")
    assert not check_once(spec(url)).ok
    assert check_once(spec(url, expected_status=204)).ok


def test_nothing_listening_is_a_connection_failure():
    attempt = check_once(spec("http://127.0.0.1:9/health", timeout_seconds=1))
    assert not attempt.ok and attempt.detail.startswith("connection failed")


def test_not_an_http_address_fails_without_a_request():
    assert check_once(spec("ftp://example.com/x")).detail == "not an http(s) URL"


def test_hanging_targets_do_not_delay_the_others(target_server):
    specs = [spec(target_server.url(f"/many/{n}", delay=3 if n % 5 == 0 else 0),
                  timeout_seconds=0.5) for n in range(20)]
    started = time.monotonic()
    outcomes = probe_all(specs, concurrency=20)
    elapsed = time.monotonic() - started
    assert [o.ok for o in outcomes] == [n % 5 != 0 for n in range(20)]
    assert all(o.confirmed_down for o in outcomes if not o.ok)
    assert elapsed < 2.5  # two time-outs (attempt and retry), in parallel
