"""How many tries a person gets: failed logins and sign-ups, counted over sliding windows.

Login failures are counted three ways, because each alone is either weak or abusable:
- per account and address: five wrong passwords for one account from one address stop that
  address for the window. This is the usual guessing case.
- per address: twenty failures from one address over any accounts (guessing many accounts).
- per account from everywhere: a much higher cap for guessing spread over many addresses.
  Locking an account on failures alone lets anyone lock a business out of its points by
  typing its e-mail wrongly five times, so this cap never refuses an address that logged into
  the account successfully in the last 30 days (the owner's usual office or phone).
Sign-ups are capped per address per hour, so one address cannot mint accounts in bulk
(fake buyers for one vendor are also a review signal; this stops the cheap version of it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlmodel import Session, select

from tcloud.accounts.models import LoginAttempt, User
from tcloud.errors import TooManyRequests

KNOWN_ADDRESS_DAYS = 30  # login attempts are kept this long (accounts.jobs prunes older ones)
SIGN_UP_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class LoginLimits:
    window_minutes: int
    per_account_and_address: int
    per_address: int
    per_account: int


def _count_attempts(session: Session, *conditions) -> int:
    return session.exec(select(func.count()).select_from(LoginAttempt)
                        .where(*conditions)).one()


def _failures_since(since: datetime):
    return (LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at >= since)


def ensure_login_allowed(session: Session, *, email: str, ip: str, now: datetime,
                         limits: LoginLimits) -> None:
    """Raise TooManyRequests when this address may not try this account right now."""
    failures = _failures_since(now - timedelta(minutes=limits.window_minutes))
    if (_count_attempts(session, LoginAttempt.email == email, LoginAttempt.ip == ip,
                        *failures) >= limits.per_account_and_address
            or _count_attempts(session, LoginAttempt.ip == ip,
                               *failures) >= limits.per_address
            or (_count_attempts(session, LoginAttempt.email == email,
                                *failures) >= limits.per_account
                and not _is_known_address(session, email=email, ip=ip, now=now))):
        raise TooManyRequests(
            _l("Too many failed attempts. Wait %(n)s minutes and try again, "
               "or contact the help desk.", n=limits.window_minutes))


def _is_known_address(session: Session, *, email: str, ip: str, now: datetime) -> bool:
    return _count_attempts(
        session, LoginAttempt.email == email, LoginAttempt.ip == ip,
        LoginAttempt.succeeded.is_(True),
        LoginAttempt.attempted_at >= now - timedelta(days=KNOWN_ADDRESS_DAYS)) > 0


def ensure_sign_up_allowed(session: Session, *, ip: str, now: datetime,
                           per_hour: int) -> None:
    """Raise TooManyRequests when this address has made `per_hour` accounts in the last hour."""
    made = session.exec(select(func.count()).select_from(User).where(
        User.registered_ip == ip, User.created_at >= now - SIGN_UP_WINDOW)).one()
    if made >= per_hour:
        raise TooManyRequests(
            _l("Too many accounts were opened from your network in the last hour. "
               "Try again later, or contact the help desk if your office needs more."))
