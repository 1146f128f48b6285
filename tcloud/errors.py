"""Domain errors: what a service raises when a business rule refuses a request.

Views turn them into a message next to the right field; the API turns them into an RFC 9457
problem object. Messages are lazy translations so they reach each user in their own language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """Base of every refusal by a business rule."""

    status = 400
    title = _l("Request refused")

    def __init__(self, message: object, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def field_errors(self) -> dict[str, str]:
        return {self.field: str(self.message)} if self.field else {}


class ValidationFailed(DomainError):
    """Input failed validation; `errors` maps each field to its first message."""

    status = 422
    title = _l("Invalid input")

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    def field_errors(self) -> dict[str, str]:
        return dict(self.errors)


class Conflict(DomainError):
    status = 409
    title = _l("Conflict")


class NotFound(DomainError):
    status = 404
    title = _l("Not found")


class PermissionDenied(DomainError):
    status = 403
    title = _l("Forbidden")


class TooManyRequests(DomainError):
    status = 429
    title = _l("Too many requests")
