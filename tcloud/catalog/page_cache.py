"""A per-process cache of public catalogue pages as anonymous visitors see them.

Most catalogue traffic is anonymous browsing of the same lists and solution pages, and a page
costs milliseconds of queries and rendering. Anonymous pages carry nothing personal (no name,
no CSRF token: the language switch does not need one), so one copy serves every visitor in the
same language. Each copy is stored under the catalogue revision it was rendered at; one
primary-key read per request tells whether it is still current, so a vendor's approved edit
shows at once on every worker. Logged-in people always get a freshly rendered page.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from flask import Response, current_app, request, session
from flask_login import current_user

from tcloud.catalog.revision import current_revision
from tcloud.db import get_session
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


def _cache() -> PageCache:
    return current_app.extensions.setdefault("tcloud.catalog.page_cache", PageCache())


def cached_for_visitors(view):
    """Serve anonymous GETs from the cache; store successful anonymous renders."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if (current_user.is_authenticated or session.get("_flashes")
                or not current_app.config.get("TCLOUD_PAGE_CACHE", True)):
            return view(*args, **kwargs)
        key = (current_locale(), request.full_path, current_revision(get_session()))
        page = _cache().get(key)
        if page is not None:
            body, status, mimetype = page
            return Response(body, status=status, mimetype=mimetype)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not session.modified:
            _cache().put(key, (response.get_data(), response.status_code, response.mimetype))
        return response

    return wrapper
