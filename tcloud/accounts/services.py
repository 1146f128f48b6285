"""Account use cases: register, authenticate (with throttling), create staff, set language.

Every function takes the session first, flushes, never commits, and raises DomainError
subclasses with messages meant for the person who made the request.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from tcloud.accounts.choices import (
    ORG_BUSINESS,
    ORG_VENDOR,
    ROLE_BUSINESS,
    ROLE_VENDOR,
    STAFF_ROLES,
)
from tcloud.accounts.models import LoginAttempt, Organisation, User
from tcloud.accounts.throttling import (
    LoginLimits,
    ensure_login_allowed,
    ensure_sign_up_allowed,
)
from tcloud.audit import services as audit
from tcloud.clock import utcnow
from tcloud.config import SUPPORTED_LOCALES
from tcloud.errors import Conflict, DomainError, PermissionDenied

# A hash computed once, checked against when the email is unknown, so that a wrong email and a
# wrong password take the same time and an attacker cannot list who has an account.
_DUMMY_HASH = generate_password_hash("tcloud-timing-equaliser")


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def _ensure_email_free(session: Session, email: str) -> None:
    if find_user_by_email(session, email) is not None:
        raise Conflict(_l("An account with this email address already exists. Log in instead."),
                       field="email")


def _ensure_tax_id_free(session: Session, kind: str, tax_id: str) -> None:
    taken = session.exec(
        select(Organisation.id).where(Organisation.kind == kind, Organisation.tax_id == tax_id)
    ).first()
    if taken is not None:
        raise Conflict(
            _l("This unified business number is already registered. "
               "Ask the person who registered it to add you, or contact the help desk."),
            field="tax_id",
        )


def _add_account(session: Session, organisation: Organisation | None, user: User) -> User:
    # A savepoint, so that losing a race on a unique constraint reports the duplicate cleanly
    # and leaves the caller's transaction usable.
    try:
        with session.begin_nested():
            if organisation is not None:
                session.add(organisation)
                session.flush()
                user.organisation_id = organisation.id
            session.add(user)
            session.flush()
    except IntegrityError as err:
        message = str(err.orig).lower()
        if "tax_id" in message:
            raise Conflict(_l("This unified business number is already registered."),
                           field="tax_id") from err
        raise Conflict(_l("An account with this email address already exists. Log in instead."),
                       field="email") from err
    return user


def register_business(
    session: Session,
    *,
    email: str,
    password: str,
    company_name: str,
    tax_id: str,
    entity_type: str,
    employee_count: int,
    industry: str,
    city: str,
) -> User:
    """Create a business organisation and the person who registered it."""
    _ensure_email_free(session, email)
    _ensure_tax_id_free(session, ORG_BUSINESS, tax_id)
    organisation = Organisation(
        kind=ORG_BUSINESS, name=company_name, tax_id=tax_id, entity_type=entity_type,
        employee_count=employee_count, industry=industry, city=city,
    )
    user = User(email=email.lower(), password_hash=hash_password(password), role=ROLE_BUSINESS,
                display_name=company_name)
    return _add_account(session, organisation, user)


def register_vendor(
    session: Session,
    *,
    email: str,
    password: str,
    company_name: str,
    tax_id: str,
    contact_name: str,
) -> User:
    """Create a vendor organisation (not yet vetted: it lists nothing) and its contact person."""
    _ensure_email_free(session, email)
    _ensure_tax_id_free(session, ORG_VENDOR, tax_id)
    organisation = Organisation(kind=ORG_VENDOR, name=company_name, tax_id=tax_id,
                                contact_name=contact_name)
    user = User(email=email.lower(), password_hash=hash_password(password), role=ROLE_VENDOR,
                display_name=contact_name)
    return _add_account(session, organisation, user)


def create_staff_user(
    session: Session,
    *,
    actor: User | None,
    email: str,
    password: str,
    role: str,
    display_name: str,
    reason: str,
) -> User:
    """Create a consultant or administrator account; recorded in the audit log."""
    if role not in STAFF_ROLES:
        raise DomainError(_l("Choose a role."), field="role")
    if actor is not None and actor.role != "admin":
        raise PermissionDenied(_l("Only administrators can create staff accounts."))
    _ensure_email_free(session, email)
    user = _add_account(
        session, None,
        User(email=email.lower(), password_hash=hash_password(password), role=role,
             display_name=display_name),
    )
    audit.record(
        session, actor=actor, action="user.create", subject_type="user", subject_id=user.id,
        reason=reason, after={"email": user.email, "role": role, "display_name": display_name},
    )
    return user


def register_account(session: Session, *, kind: str, values: dict, ip: str,
                     sign_ups_per_hour: int) -> User:
    """Self-registration from pages or the API: the per-address cap, then the account."""
    ensure_sign_up_allowed(session, ip=ip, now=utcnow(), per_hour=sign_ups_per_hour)
    register = {"business": register_business, "vendor": register_vendor}[kind]
    user = register(session, **values)
    user.registered_ip = ip
    session.flush()
    return user


@dataclass(frozen=True)
class LoginOutcome:
    """A login try: the user when it succeeded, else the message to show."""

    user: User | None
    refusal: str | None = None


def attempt_login(session: Session, *, email: str, password: str, ip: str,
                  limits: LoginLimits) -> LoginOutcome:
    """Check a login and record the attempt (the caller commits it, success or not).

    Too many recent failures (see throttling.py) refuse the try before the password is even
    checked, so guessing cannot go on in the background.
    """
    email = email.strip().lower()
    now = utcnow()
    ensure_login_allowed(session, email=email, ip=ip, now=now, limits=limits)
    user = find_user_by_email(session, email)
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    succeeded = bool(user and password_ok and user.active)
    session.add(LoginAttempt(email=email, ip=ip, succeeded=succeeded, attempted_at=now))
    if not succeeded:
        session.flush()
        if user and password_ok:
            return LoginOutcome(None, _l("This account is suspended. Contact the help desk."))
        return LoginOutcome(None, _l("The email address or password is not right."))
    user.last_login_at = now
    session.add(user)
    session.flush()
    return LoginOutcome(user)


def set_locale(session: Session, user: User, locale: str) -> None:
    if locale not in SUPPORTED_LOCALES:
        raise DomainError(_l("That language is not available."))
    user.locale = locale
    session.add(user)
    session.flush()


def organisation_of(session: Session, user: User) -> Organisation | None:
    return session.get(Organisation, user.organisation_id) if user.organisation_id else None


def count_users_by_role(session: Session) -> dict[str, int]:
    rows = session.exec(select(User.role, func.count()).group_by(User.role)).all()
    return {role: count for role, count in rows}


def list_users(session: Session, *, limit: int = 200) -> list[User]:
    return list(session.exec(select(User).order_by(User.created_at.desc()).limit(limit)).all())
