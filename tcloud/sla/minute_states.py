"""Availability counted in one-minute slices, and the compact per-day roll-up that keeps them.

Every minute of a month gets exactly one state: up, down, maintenance or unknown (the platform
did not measure; never the vendor's fault). A minute is down only when a failed probe is
confirmed by a failed retry, so one lost packet does not cost a vendor a minute.

Raw probe rows are kept for days; what is kept for years is one `DayRollup` per solution per
local day: the four counts (so months and 30/90-day figures are sums, never scans) plus the day's
minute states encoded in at most a few hundred bytes (so an uptime bar, a burn-rate window or a
maintenance overlay can still see individual minutes). A normal all-up day encodes in 5 bytes.

Encoding: 1 byte format, 2 bytes minute count (big-endian), then either
  RLE:    runs as 2-byte words, state in the top 2 bits, run length in the low 14 bits;
  PACKED: 2 bits per minute, four minutes a byte, first minute in the high bits;
whichever is shorter. No database or Flask import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

UNKNOWN, UP, DOWN, MAINTENANCE = 0, 1, 2, 3  # 0 first: a missing minute is unknown
STATE_NAMES = {UNKNOWN: "unknown", UP: "up", DOWN: "down", MAINTENANCE: "maintenance"}

_RLE, _PACKED = 1, 2
_MAX_RUN = (1 << 14) - 1
_RUN = re.compile(rb"(.)\1*", re.DOTALL)  # one run of equal bytes
# Each packed byte's four minute states, first minute from the high bits.
_UNPACKED = tuple(bytes((byte >> shift) & 3 for shift in (6, 4, 2, 0)) for byte in range(256))


def minute_state(attempts: Sequence[bool]) -> int:
    """The state of one minute from its probe attempts in order (True = the check passed).

    Down needs two failures in a row (a failure confirmed by its retry). Otherwise any pass makes
    the minute up. No attempts, or a lone failure whose retry never ran, is unknown: the platform
    could not tell, and that must not be counted against the vendor.
    """
    for first, retry in zip(attempts, attempts[1:], strict=False):
        if not first and not retry:
            return DOWN
    return UP if any(attempts) else UNKNOWN


@dataclass(frozen=True)
class StateCounts:
    up: int = 0
    down: int = 0
    maintenance: int = 0
    unknown: int = 0

    @property
    def minutes(self) -> int:
        return self.up + self.down + self.maintenance + self.unknown

    def __add__(self, other: StateCounts) -> StateCounts:
        return StateCounts(self.up + other.up, self.down + other.down,
                           self.maintenance + other.maintenance, self.unknown + other.unknown)

    def __sub__(self, other: StateCounts) -> StateCounts:
        return StateCounts(self.up - other.up, self.down - other.down,
                           self.maintenance - other.maintenance, self.unknown - other.unknown)

    @classmethod
    def of(cls, states: Iterable[int]) -> StateCounts:
        if isinstance(states, bytes | bytearray):  # counted in C: the roll-up job's hot path
            return cls(up=states.count(UP), down=states.count(DOWN),
                       maintenance=states.count(MAINTENANCE), unknown=states.count(UNKNOWN))
        tally = [0, 0, 0, 0]
        for state in states:
            tally[state] += 1
        return cls(up=tally[UP], down=tally[DOWN], maintenance=tally[MAINTENANCE],
                   unknown=tally[UNKNOWN])

    @classmethod
    def total(cls, many: Iterable[StateCounts]) -> StateCounts:
        result = cls()
        for counts in many:
            result = result + counts
        return result


def encode_states(states: bytes | Sequence[int]) -> bytes:
    """The compact form of a day's minute states (see the module docstring).

    Runs are found by a regular expression and packing takes four minutes per step (both in C
    as far as possible): the roll-up job encodes a day per solution every minute, and the
    bench's 800 solutions made a per-minute Python loop the job's largest cost.
    """
    states = bytes(states)
    if states and max(states) > MAINTENANCE:
        raise ValueError("a minute state is 0..3")
    if len(states) > 0xFFFF:
        raise ValueError("too many minutes for one roll-up")
    header_length = len(states).to_bytes(2, "big")
    packed_length = (len(states) + 3) // 4
    runs = bytearray()
    for match in _RUN.finditer(states):
        state, length = states[match.start()], match.end() - match.start()
        while length:
            piece = min(length, _MAX_RUN)
            runs += ((state << 14) | piece).to_bytes(2, "big")
            length -= piece
        if len(runs) > packed_length:
            break  # packing is shorter whatever the remaining runs are
    if len(runs) <= packed_length:
        return bytes([_RLE]) + header_length + bytes(runs)
    padded = states + bytes(-len(states) % 4)
    packed = bytes((a << 6) | (b << 4) | (c << 2) | d for a, b, c, d in zip(
        padded[0::4], padded[1::4], padded[2::4], padded[3::4], strict=True))
    return bytes([_PACKED]) + header_length + packed


def decode_states(encoded: bytes) -> bytes:
    """The minute states back, one byte (0..3) per minute."""
    if len(encoded) < 3:
        raise ValueError("not an encoded roll-up")
    form, count, body = encoded[0], int.from_bytes(encoded[1:3], "big"), encoded[3:]
    if form == _RLE:
        out = bytearray()
        for k in range(0, len(body), 2):
            word = int.from_bytes(body[k:k + 2], "big")
            out += bytes([word >> 14]) * (word & _MAX_RUN)
    elif form == _PACKED:
        out = bytearray(b"".join(_UNPACKED[byte] for byte in body))
        del out[count:]
    else:
        raise ValueError(f"unknown roll-up format {form}")
    if len(out) != count:
        raise ValueError("roll-up length does not match its header")
    return bytes(out)


@dataclass(frozen=True)
class DayRollup:
    """One solution's local day: counts to sum, encoded minutes to look inside when needed."""

    day: date
    counts: StateCounts
    encoded: bytes

    @classmethod
    def from_states(cls, day: date, states: bytes | Sequence[int]) -> DayRollup:
        states = bytes(states)
        return cls(day, StateCounts.of(states), encode_states(states))

    def states(self) -> bytes:
        return decode_states(self.encoded)

    def with_states_at(self, changes: dict[int, int]) -> DayRollup:
        """A copy with some minutes (index within the day) set to new states."""
        states = bytearray(self.states())
        for index, state in changes.items():
            states[index] = state
        return DayRollup.from_states(self.day, states)
