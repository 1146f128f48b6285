"""Minute states: the confirmation rule and the compact per-day roll-up."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tcloud.sla.minute_states import (
    DOWN,
    MAINTENANCE,
    UNKNOWN,
    UP,
    DayRollup,
    StateCounts,
    decode_states,
    encode_states,
    minute_state,
)


@pytest.mark.parametrize(("attempts", "state"), [
    ([], UNKNOWN),                    # not measured
    ([True], UP),
    ([False], UNKNOWN),               # a failure whose retry never ran proves nothing
    ([False, True], UP),              # the retry did not confirm it
    ([False, False], DOWN),           # confirmed by the retry
    ([True, False], UP),
    ([True, False, False], DOWN),
    ([False, True, False], UP),
])
def test_a_minute_is_down_only_when_a_retry_confirms_the_failure(attempts, state):
    assert minute_state(attempts) == state


def test_an_all_up_day_takes_five_bytes():
    rollup = DayRollup.from_states(date(2026, 1, 5), [UP] * 1440)
    assert len(rollup.encoded) == 5
    assert rollup.counts == StateCounts(up=1440)
    assert rollup.states() == bytes([UP]) * 1440


def test_a_flapping_day_falls_back_to_two_bits_a_minute():
    flapping = [UP, DOWN] * 720
    encoded = encode_states(flapping)
    assert len(encoded) == 3 + 360
    assert decode_states(encoded) == bytes(flapping)


def test_runs_longer_than_fourteen_bits_are_split():
    long_day = [DOWN] * 20_000 + [UP]
    assert decode_states(encode_states(long_day)) == bytes(long_day)


def test_changing_minutes_keeps_counts_in_step():
    rollup = DayRollup.from_states(date(2026, 1, 5), [UP] * 1440)
    changed = rollup.with_states_at({0: MAINTENANCE, 1: MAINTENANCE, 700: DOWN})
    assert changed.counts == StateCounts(up=1437, down=1, maintenance=2)
    assert changed.states()[700] == DOWN


def test_counts_add_up():
    a, b = StateCounts(1, 2, 3, 4), StateCounts(10, 20, 30, 40)
    assert a + b == StateCounts(11, 22, 33, 44)
    assert (a + b) - b == a
    assert StateCounts.total([a, b, a]).minutes == 10 + 100 + 10


@pytest.mark.parametrize("bad", [b"", b"\x01\x00", b"\x09\x00\x01\x00", b"\x01\x00\x05\x40\x01"])
def test_broken_encodings_are_refused(bad):
    with pytest.raises(ValueError):
        decode_states(bad)


def test_states_outside_the_four_are_refused():
    with pytest.raises(ValueError):
        encode_states([4])


runs = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 400)), max_size=40).map(
    lambda pairs: [state for state, length in pairs for _ in range(length)])


@settings(deadline=None)
@given(st.one_of(runs, st.lists(st.integers(0, 3), max_size=1500)))
def test_encoding_round_trips_and_never_exceeds_the_packed_size(states):
    encoded = encode_states(states)
    assert decode_states(encoded) == bytes(states)
    assert len(encoded) <= 3 + (len(states) + 3) // 4
    assert StateCounts.of(states).minutes == len(states)
