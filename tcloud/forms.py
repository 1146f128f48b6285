"""Page forms: parse with the API's marshmallow schema, re-render with errors and the input kept.

GOV.UK pattern: on error, the page shows an error summary linking to each field, every field
shows its own message, and everything the person typed is still there (passwords excepted).
"""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from marshmallow import Schema

from tcloud import validation
from tcloud.errors import DomainError

NEVER_ECHOED = frozenset({"password", "csrf_token"})


def submitted_values() -> dict[str, str]:
    return {k: v for k, v in request.form.items() if k not in NEVER_ECHOED}


def parse(schema: Schema) -> dict[str, Any]:
    """Validate the posted form; raises ValidationFailed with one message per field."""
    return validation.load(schema, request.form, from_form=True)


def render_with_errors(template: str, error: DomainError, status: int | None = None,
                       **context: Any):
    """Re-render a form page after a refusal, keeping what was typed."""
    errors = error.field_errors() or {"_form": str(error.message)}
    return render_template(
        template, errors=errors, values=submitted_values(), **context
    ), status or (error.status if error.status != 422 else 400)
