"""A per-process cache of public catalogue pages as anonymous visitors see them.

Most catalogue traffic is anonymous browsing of the same lists and solution pages, and a page
costs milliseconds of queries and rendering. Anonymous pages carry nothing personal (no name,
no CSRF token: the language switch does not need one), so one copy serves every visitor in the
same language. Each copy is stored under the catalogue revision it was rendered at; a
primary-key read tells whether it is still current. Each worker re-reads the revision at most
once per TCLOUD_PAGE_CACHE_SECONDS (default 1 s; 0 in tests), through a pooled connection rather
than an ORM session, so an approved edit shows on every worker within a second while a cached
page costs about as much as a bare route. Logged-in people always get a freshly rendered page.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict

from flask import Response, current_app, request, session
from flask_login import current_user
from sqlalchemy import Connection, text

from tcloud.db import database
from tcloud.i18n import current_locale

MAX_PAGES = 512


class PageCache:
    def __init__(self, max_pages: int = MAX_PAGES) -> None:
        self._pages: OrderedDict[tuple, tuple[bytes, int, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.max_pages = max_pages

    def get(self, key: tuple) -> tuple[bytes, int, str] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: tuple, page: tuple[bytes, int, str]) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


class RevisionReader:
    """The catalogue revision, re-read from the database at most every `max_age` seconds."""

    def __init__(self) -> None:
        self._value, self._read_at = 0, float("-inf")

    def current(self, max_age: float) -> int:
        now = time.monotonic()
        if now - self._read_at >= max_age:
            self._value, self._read_at = _read_revision(), now
        return self._value


def _read_revision() -> int:
    bind = database().bind
    query = text("SELECT revision FROM catalog_revision WHERE id = 1")
    if isinstance(bind, Connection):  # tests: the connection holding the outer transaction
        return bind.execute(query).scalar() or 0
    with bind.connect() as connection:
        return connection.execute(query).scalar() or 0


def _cache() -> PageCache:
    return current_app.extensions.setdefault("tcloud.catalog.page_cache", PageCache())


def _revision() -> int:
    reader = current_app.extensions.setdefault("tcloud.catalog.revision", RevisionReader())
    return reader.current(current_app.config.get("TCLOUD_PAGE_CACHE_SECONDS",
                                                 0.0 if current_app.testing else 1.0))


def _time_bucket() -> int:
    # Solution pages show measured availability (tcloud/sla/measured.py), which changes every
    # minute without any catalogue revision: a copy also expires when the clock enters a new
    # bucket, so those figures are at most TCLOUD_PAGE_CACHE_MAX_AGE seconds (120) stale.
    return int(time.time() // current_app.config.get("TCLOUD_PAGE_CACHE_MAX_AGE", 120))


def cached_for_visitors(view):
    """Serve anonymous GETs from the cache; store successful anonymous renders."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if (current_user.is_authenticated or session.get("_flashes")
                or not current_app.config.get("TCLOUD_PAGE_CACHE", True)):
            return view(*args, **kwargs)
        key = (current_locale(), request.full_path, _revision(), _time_bucket())
        page = _cache().get(key)
        if page is not None:
            body, status, mimetype = page
            return Response(body, status=status, mimetype=mimetype)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified:
            _cache().put(key, (response.get_data(), response.status_code, response.mimetype))
        return response

    return wrapper
