"""Who may use which route. Every page and API route declares it with @allow(...).

A route with no declaration is refused by `enforce_declared_access` (a before_request hook), so
forgetting to declare is a 403, never an open door; a test walks every route with every role.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

PUBLIC = "public"  # anyone, logged in or not
ANY_USER = "any_user"  # any logged-in role
ACCESS_ATTR = "_tcloud_access"


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def allow(*roles: str) -> Callable:
    """Declare and enforce the roles that may call a view (PUBLIC, ANY_USER or role names)."""
    allowed = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if PUBLIC not in allowed:
                if not current_user.is_authenticated:
                    if is_api_request():
                        abort(401)
                    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
                if ANY_USER not in allowed and current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        setattr(wrapper, ACCESS_ATTR, allowed)
        return wrapper

    return decorator


def declared_access(endpoint: str) -> frozenset[str] | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, ACCESS_ATTR, None) if view else None


def enforce_declared_access() -> None:
    """Refuse any route that forgot to declare its roles (static files excepted)."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static" or endpoint.endswith(".static"):
        return
    if declared_access(endpoint) is None:
        current_app.logger.error("route %s declares no access rule; refused", endpoint)
        abort(403)
