"""Text of listings: safe Markdown rendering and the normalised text that search matches.

Markdown goes through markdown-it-py with raw HTML off, so `<script>` or `<style>` typed by a
vendor is shown as text, never run; its link validator already refuses `javascript:` and
`data:` URLs. Images are off too (a listing must not make buyers' browsers fetch third-party
content), and links open as rel="nofollow noopener".

Search normalises with NFKC (full-width letters and digits become ASCII) and casefolding, so
`ＰＯＳ`, `pos` and `POS` are the same query.
"""

from __future__ import annotations

import unicodedata

from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_markdown.disable("image")
_default_link_open = _markdown.renderer.rules.get("link_open")


def _link_open(tokens, idx, options, env):
    tokens[idx].attrSet("rel", "nofollow noopener")
    if _default_link_open is not None:
        return _default_link_open(tokens, idx, options, env)
    return _markdown.renderer.renderToken(tokens, idx, options, env)


_markdown.add_render_rule("link_open", _link_open)


def render_markdown(source: str) -> Markup:
    return Markup(_markdown.render(source or ""))  # noqa: S704 - html is off: output is escaped


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold()


def query_terms(query: str) -> list[str]:
    """Whitespace separates terms (a person may type 點餐 排班); each must match somewhere."""
    return [term for term in normalise(query).split() if term][:8]


def bigrams(term: str) -> list[str]:
    """Character pairs: Chinese words are two or three characters, so a query with one wrong
    or extra character still shares most of its pairs with the word it meant."""
    if len(term) < 2:
        return [term]
    return sorted({term[i:i + 2] for i in range(len(term) - 1)})
