"""The faster roll-up codec writes exactly the bytes the first (per-minute loop) version wrote.

Stored roll-ups must keep decoding the same for years, so the reference below is the original
implementation, kept here verbatim as the specification.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from tcloud.sla.minute_states import StateCounts, decode_states, encode_states

_MAX_RUN = (1 << 14) - 1


def reference_encode(states) -> bytes:
    states = bytes(states)
    header_length = len(states).to_bytes(2, "big")
    runs = bytearray()
    i = 0
    while i < len(states):
        j = i
        while j < len(states) and states[j] == states[i] and j - i < _MAX_RUN:
            j += 1
        runs += ((states[i] << 14) | (j - i)).to_bytes(2, "big")
        i = j
    packed = bytearray((len(states) + 3) // 4)
    for index, state in enumerate(states):
        packed[index // 4] |= state << (6 - 2 * (index % 4))
    if len(runs) <= len(packed):
        return bytes([1]) + header_length + bytes(runs)
    return bytes([2]) + header_length + bytes(packed)


def _runs():
    run = st.tuples(st.integers(0, 3), st.integers(1, 400))
    return st.lists(run, max_size=40).map(lambda rs: bytes(b for s, n in rs for b in [s] * n))


@settings(max_examples=300, deadline=None)
@given(st.one_of(_runs(), st.binary(max_size=1500).map(lambda b: bytes(x & 3 for x in b))))
def test_encoding_is_byte_for_byte_the_reference(states):
    encoded = encode_states(states)
    assert encoded == reference_encode(states)
    assert decode_states(encoded) == states
    assert StateCounts.of(states) == StateCounts.of(list(states))


def test_runs_longer_than_a_word_holds_are_split_as_before():
    states = bytes([1]) * 40_000 + bytes([2]) * 3
    assert encode_states(states) == reference_encode(states)
    assert decode_states(encode_states(states)) == states


def test_empty_and_odd_lengths():
    for states in (b"", b"\x01", b"\x02\x03", b"\x01\x02\x03\x00\x01"):
        assert encode_states(states) == reference_encode(states)
        assert decode_states(encode_states(states)) == states
