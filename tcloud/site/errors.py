"""Friendly, translated error pages in the browser; RFC 9457 problem objects on the API."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from tcloud.accounts.access import is_api_request
from tcloud.api import problem
from tcloud.errors import DomainError


def _messages(status: int) -> tuple[str, str]:
    known = {
        400: (_("Something in the request was not right"),
              _("Go back, check what you entered, and try again.")),
        401: (_("Please log in"), _("You need to log in to use this.")),
        403: (_("You cannot use this page"),
              _("Your account does not have access to this page. If you think it should, "
                "contact the help desk.")),
        404: (_("Page not found"),
              _("If you typed the web address, check it is correct. If you pasted it, check "
                "you copied the whole address.")),
        405: (_("This action is not allowed here"), _("Go back and try again.")),
        413: (_("The file is too large"), _("Choose a smaller file and try again.")),
        415: (_("Send the request as JSON"), _("This API accepts application/json bodies.")),
        429: (_("Too many requests"), _("Wait a few minutes, then try again.")),
        500: (_("Sorry, there is a problem with the service"),
              _("Try again later. What you entered was not saved. If it keeps happening, "
                "contact the help desk.")),
    }
    return known.get(status, (_("Something went wrong"), _("Try again later.")))


def _render(status: int, title: str | None = None, detail: str | None = None):
    default_title, default_detail = _messages(status)
    title, detail = title or default_title, detail or default_detail
    if is_api_request():
        return problem(status, title, detail)
    return render_template("errors/error.html", status=status, title=title, detail=detail), status


def handle_http_error(err: HTTPException):
    return _render(err.code or 500)


def handle_csrf_error(_err: CSRFError):
    return _render(
        400,
        _("This form has expired"),
        _("For your security, forms expire after a while. Go back, reload the page, "
          "and submit the form again."),
    )


def handle_domain_error(err: DomainError):
    if is_api_request():
        return problem(err.status, str(err.title), str(err.message),
                       errors=err.field_errors() or None)
    return _render(err.status, detail=str(err.message))


def handle_unexpected(err: Exception):
    from flask import current_app

    current_app.logger.exception("unhandled error", exc_info=err)
    try:
        return _render(500)
    except Exception:  # noqa: BLE001 - the error page itself failed: answer in plain text
        current_app.logger.exception("the error page could not be rendered")
        return "500 Internal Server Error / 系統發生錯誤，請稍後再試。", 500, {
            "Content-Type": "text/plain; charset=utf-8"}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
