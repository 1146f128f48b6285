"""Where to send a person next: only ever a path on this site (no open redirects)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for


def safe_next_url(target: str | None) -> str:
    """`target` if it is a same-site path, else the home page."""
    if not target:
        return url_for("site.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("site.home")
    if "\\" in target:
        return url_for("site.home")  # browsers read /\\evil.example as //evil.example
    return target
