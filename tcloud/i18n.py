"""Language and formatting: zh-TW by default, English on request; NT$ and Asia/Taipei."""

from __future__ import annotations

from datetime import datetime

from babel import Locale
from flask import Flask, has_request_context, session
from flask_babel import get_locale
from flask_login import current_user

from tcloud.clock import to_taipei
from tcloud.config import DEFAULT_LOCALE, SUPPORTED_LOCALES
from tcloud.extensions import babel

LOCALE_NAMES = {"zh_TW": "中文", "en": "English"}
HTML_LANG = {"zh_TW": "zh-Hant-TW", "en": "en"}


# Parsed once: Flask-Babel accepts a Locale as is, and parsing "zh_TW" on every request
# costs a tenth of a millisecond (a scan of Babel's locale aliases).
_PARSED = {code: Locale.parse(code) for code in SUPPORTED_LOCALES}


def select_locale() -> Locale:
    """A logged-in person's saved choice, else this browser's choice, else zh-TW."""
    if not has_request_context():
        return _PARSED[DEFAULT_LOCALE]  # CLI commands and jobs
    if current_user and current_user.is_authenticated and current_user.locale:
        return _PARSED.get(current_user.locale, _PARSED[DEFAULT_LOCALE])
    chosen = session.get("locale")
    return _PARSED[chosen] if chosen in SUPPORTED_LOCALES else _PARSED[DEFAULT_LOCALE]


def current_locale() -> str:
    """The supported locale code in use ("zh_TW" or "en").

    Babel parses zh_TW as zh_Hant_TW (so the catalogue lives in translations/zh_Hant_TW).
    """
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else DEFAULT_LOCALE


def format_ntd(amount: int | None) -> str:
    # Both languages group thousands with commas; Babel's formatter costs ~30 µs a call.
    return "" if amount is None else f"NT${amount:,}"


def format_taipei(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return "" if moment is None else to_taipei(moment).strftime(pattern)


def mask_email(email: str) -> str:
    """a***@example.com: enough to recognise, not enough to harvest (personal data rules)."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Asia/Taipei")
    app.jinja_env.filters["ntd"] = format_ntd
    app.jinja_env.filters["taipei"] = format_taipei
    app.jinja_env.filters["mask_email"] = mask_email
    app.jinja_env.globals["current_locale"] = current_locale
    app.jinja_env.globals["LOCALE_NAMES"] = LOCALE_NAMES
    app.jinja_env.globals["HTML_LANG"] = HTML_LANG
