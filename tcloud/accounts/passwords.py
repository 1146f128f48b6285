"""Password rules (after NIST SP 800-63B: length over complexity, refuse the obvious ones).

Returns message keys rather than text so that the caller can translate them.
"""

from __future__ import annotations

MIN_LENGTH = 10
MAX_LENGTH = 128
COMMON_PASSWORDS = frozenset(
    {
        "1234567890", "12345678910", "0123456789", "qwertyuiop", "1qaz2wsx3edc",
        "password123", "password1234", "passw0rd123", "iloveyou123", "aaaaaaaaaa",
        "abcdefghij", "a123456789", "abc1234567", "qwerty12345", "1111111111",
        "0000000000", "asdfghjkl1", "taiwan1234", "tcloud1234", "admin12345",
    }
)


def password_problem(password: str, *, email: str = "") -> str | None:
    """The first reason `password` is too weak, as a key, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return "too_short"
    if len(password) > MAX_LENGTH:
        return "too_long"
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 4:
        return "too_common"
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return "contains_email"
    return None
