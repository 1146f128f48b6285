"""One validation layer for both pages and the API: marshmallow schemas.

Pages parse `request.form` and the API parses JSON with the same schema; a failure becomes a
`ValidationFailed` with one translated message per field, shown next to the field on a page
and inside the problem object on the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load

from tcloud.errors import ValidationFailed

# marshmallow's built-in English messages, as the people using TCloud should read them.
_DEFAULT_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field is required."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid integer.": _l("Enter a whole number, such as 12."),
    "Not a valid number.": _l("Enter a number."),
    "Not a valid email address.": _l("Enter an email address like name@example.com."),
    "Not a valid boolean.": _l("Choose yes or no."),
    "Unknown field.": _l("This field is not accepted here."),
    "Invalid input type.": _l("The data sent is not in the expected form."),
}


class BaseSchema(Schema):
    """Strips text, treats blank answers as missing, and ignores nothing silently on the API.

    `required_messages` says, field by field, what to ask for when an answer is missing
    ("Enter your email address"), so an error summary never lists the same vague line twice.
    """

    required_messages: dict[str, Any] = {}

    @pre_load
    def _strip_blanks(self, data: Any, **_kwargs: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        cleaned = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    continue
            cleaned[key] = value
        return cleaned


def _first_message(messages: Any) -> str:
    while isinstance(messages, (list, tuple)) and messages:
        messages = messages[0]
    if isinstance(messages, dict):
        return _first_message(next(iter(messages.values()), ""))
    text = str(messages)
    return str(_DEFAULT_MESSAGES.get(text, text))


def load(schema: Schema, data: Mapping[str, Any], *, from_form: bool = False,
         partial: bool = False) -> dict[str, Any]:
    """Validate `data`; raise ValidationFailed mapping each bad field to one message.

    From a page form, fields the schema does not know (the CSRF token, the submit button)
    are dropped; from the API they are reported. With `partial`, missing fields are not
    asked for (nested ones neither), but every field given is checked.
    """
    try:
        return schema.load(dict(data), unknown=EXCLUDE if from_form else None,
                           partial=partial)
    except ValidationError as err:
        messages = err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        raise ValidationFailed(_flatten(schema, messages)) from err


def _flatten(schema: Schema, messages: dict, prefix: str = "") -> dict[str, str]:
    """One message per field; nested fields are named by their path ("plans-0-price_ntd"),
    which is also the name of the field on the page, so the error summary links to it."""
    order = list(schema.fields)
    errors: dict[str, str] = {}
    for key in sorted(messages, key=lambda f: order.index(f) if f in order else len(order)):
        value, name = messages[key], f"{prefix}{key}"
        field = schema.fields.get(key)
        inner = getattr(field, "inner", None)
        if isinstance(value, dict) and isinstance(field, fields.Nested):
            errors.update(_flatten(field.schema, value, f"{name}-"))
        elif isinstance(value, dict) and isinstance(inner, fields.Nested):
            for index, item in value.items():
                if isinstance(item, dict):
                    errors.update(_flatten(inner.schema, item, f"{name}-{index}-"))
                else:
                    errors.setdefault(name, _first_message(item))
        else:
            text = _first_message(value)
            if text == str(_DEFAULT_MESSAGES["Missing data for required field."]):
                text = str(schema.required_messages.get(key, text))
            errors[name] = text
    return errors
