"""flask-login wiring: load the user of a session cookie; answer anonymous API calls with 401."""

from __future__ import annotations

from flask import Flask, abort
from flask_babel import lazy_gettext as _l

from tcloud.accounts.access import is_api_request
from tcloud.accounts.models import User
from tcloud.db import get_session
from tcloud.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        user = get_session().get(User, int(user_id))
        return user if user and user.active else None

    @login_manager.unauthorized_handler
    def unauthorized():
        if is_api_request():
            abort(401)
        from flask import redirect, request, url_for

        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
