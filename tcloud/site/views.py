"""Public pages: the home page that explains the programme, the language switch, health."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, session
from flask_login import current_user

from tcloud.accounts import services as accounts
from tcloud.accounts.access import PUBLIC, allow
from tcloud.config import SUPPORTED_LOCALES
from tcloud.db import database, transaction
from tcloud.extensions import csrf
from tcloud.navigation import safe_next_url
from tcloud.site.health import readiness

bp = Blueprint("site", __name__)

POINTS_PER_GRANT = 30_000  # the programme default; programmes set their own (points issue)


@bp.get("/")
@allow(PUBLIC)
def home():
    return render_template("site/home.html", points_per_grant=POINTS_PER_GRANT)


@bp.post("/language")
@allow(PUBLIC)
@csrf.exempt
def switch_language():
    # No CSRF token: the worst a forged request can do is change the display language, and a
    # token here would make every public page personal, defeating the catalogue's page cache.
    locale = request.form.get("locale", "")
    if locale in SUPPORTED_LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            with transaction() as db:
                accounts.set_locale(db, current_user._get_current_object(), locale)
    return redirect(safe_next_url(request.form.get("next")))


@bp.get("/healthz")
@allow(PUBLIC)
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
@allow(PUBLIC)
def readyz():
    ready, checks = readiness(database().engine)
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
