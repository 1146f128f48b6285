"""Account pages: choose an account type, register, log in and out, the dashboard."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tcloud import forms
from tcloud.accounts import services
from tcloud.accounts.access import ANY_USER, PUBLIC, allow
from tcloud.accounts.choices import CITIES, ENTITY_TYPES, INDUSTRIES, ROLE_LABELS
from tcloud.accounts.schemas import LoginSchema, RegisterBusinessSchema, RegisterVendorSchema
from tcloud.accounts.throttling import LoginLimits
from tcloud.db import get_session, transaction
from tcloud.errors import DomainError
from tcloud.navigation import safe_next_url

bp = Blueprint("accounts", __name__)

REGISTRATION_FORMS = {
    "business": ("accounts/register_business.html", RegisterBusinessSchema),
    "vendor": ("accounts/register_vendor.html", RegisterVendorSchema),
}
CHOICES = {"entity_types": ENTITY_TYPES, "industries": INDUSTRIES, "cities": CITIES}


def client_ip() -> str:
    # request.remote_addr is already the client once ProxyFix (TCLOUD_TRUSTED_PROXIES) applies.
    return request.remote_addr or "unknown"


def login_limits() -> LoginLimits:
    config = current_app.config
    return LoginLimits(
        window_minutes=config["TCLOUD_LOGIN_WINDOW_MINUTES"],
        per_account_and_address=config["TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        per_address=config["TCLOUD_LOGIN_MAX_FAILURES_PER_IP"],
        per_account=config["TCLOUD_LOGIN_MAX_FAILURES_PER_ACCOUNT_EVERYWHERE"])


def _start_session(user) -> None:
    # A fresh session on login: whatever an attacker planted in the old cookie is dropped.
    locale = user.locale or session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user)


@bp.get("/register")
@allow(PUBLIC)
def register_start():
    return render_template("accounts/register_start.html")


@bp.route("/register/<kind>", methods=["GET", "POST"])
@allow(PUBLIC)
def register(kind: str):
    if kind not in REGISTRATION_FORMS:
        return render_template("errors/error.html", status=404, title=_("Page not found"),
                               detail=""), 404
    template, schema = REGISTRATION_FORMS[kind]
    if request.method == "GET":
        return render_template(template, errors={}, values={}, **CHOICES)
    try:
        data = forms.parse(schema())
        with transaction() as db:
            user = services.register_account(
                db, kind=kind, values=data, ip=client_ip(),
                sign_ups_per_hour=current_app.config["TCLOUD_SIGN_UPS_PER_IP_PER_HOUR"])
    except DomainError as err:
        return forms.render_with_errors(template, err, **CHOICES)
    _start_session(user)
    flash(_("Your account is ready. Welcome to TCloud."), "success")
    return redirect(url_for("accounts.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
@allow(PUBLIC)
def login():
    template = "accounts/login.html"
    next_url = request.values.get("next", "")
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(url_for("accounts.dashboard"))
        return render_template(template, errors={}, values={}, next_url=next_url)
    try:
        data = forms.parse(LoginSchema())
        with transaction() as db:
            outcome = services.attempt_login(
                db, email=data["email"], password=data["password"], ip=client_ip(),
                limits=login_limits())
    except DomainError as err:
        return forms.render_with_errors(template, err, next_url=next_url)
    if outcome.user is None:
        return render_template(template, errors={"_form": str(outcome.refusal)},
                               values=forms.submitted_values(), next_url=next_url), 401
    _start_session(outcome.user)
    flash(_("You are logged in."), "success")
    return redirect(safe_next_url(next_url) if next_url else url_for("accounts.dashboard"))


@bp.post("/logout")
@allow(ANY_USER)
def logout():
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have logged out."), "success")
    return redirect(url_for("site.home"))


@bp.get("/dashboard")
@allow(ANY_USER)
def dashboard():
    db = get_session()
    user = current_user._get_current_object()
    context = {
        "user": user,
        "role_label": ROLE_LABELS[user.role],
        "organisation": services.organisation_of(db, user),
        **CHOICES,
    }
    if user.role == "admin":
        context["users_by_role"] = services.count_users_by_role(db)
    return render_template(f"accounts/dashboard_{user.role}.html", **context)
