"""Report body Markdown → HTML: anchored headings, captions as captions, safe links.

Pure. The body is parsed exactly as themes.split_sections parses it, so the n-th heading here
gets the id themes.heading_anchor gives the n-th section, and theme pages can link to it.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .themes import is_caption, heading_anchor, plain_text

TOC_LEVELS = (2, 3)
SAFE_SCHEMES = re.compile(r"(?:https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.I)
"""Allowed link targets: web and mail URLs, fragments, and relative paths (no other scheme)."""


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True, slots=True)
class Body:
    html: str
    headings: tuple[Heading, ...]
    """Every heading of the body, in order; the table of contents shows levels 2 and 3."""

    @property
    def toc(self) -> tuple[Heading, ...]:
        return tuple(h for h in self.headings if h.level in TOC_LEVELS)


@functools.cache
def _markdown() -> MarkdownIt:
    # Seeds are scraped pages: raw HTML that survived ingest is shown as text, never as markup.
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    md.add_render_rule("image", _render_image)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("table_close", lambda self, tokens, idx, options, env: "</table></div>\n")
    return md


def render_body(body_md: str) -> Body:
    """Return the HTML of a report body and its headings."""
    return body_of(parse_body(body_md))


def parse_body(body_md: str) -> list[Token]:
    """Return the tokens of a body, parsed as themes.split_sections parses it."""
    return _markdown().parse(body_md)


def body_of(tokens: list[Token]) -> Body:
    """Return the Body of parsed *tokens*. Marks the tokens up for rendering (they change)."""
    md = _markdown()
    headings = _anchor_headings(tokens)
    _mark_captions(tokens)
    _secure_links(tokens)
    return Body(md.renderer.render(tokens, md.options, {}), headings)


def _anchor_headings(tokens: Sequence[Token]) -> tuple[Heading, ...]:
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            text = plain_text(tokens[index + 1].children or [])
            anchor = heading_anchor(text, len(headings) + 1)
            token.attrSet("id", anchor)
            headings.append(Heading(int(token.tag[1:]), text, anchor))
    return tuple(headings)


def _mark_captions(tokens: Sequence[Token]) -> None:
    """Render a paragraph that is emphasis end to end (ingest's *caption*) as a figure caption."""
    for opening, inline, closing in zip(tokens, tokens[1:], tokens[2:]):
        if opening.type == "paragraph_open" and inline.type == "inline" \
                and closing.type == "paragraph_close" and is_caption(inline.children or []):
            opening.tag = closing.tag = "figure"
            opening.attrSet("class", "caption")
            children = inline.children or []
            children[0].tag = children[-1].tag = "figcaption"


def _secure_links(tokens: Sequence[Token]) -> None:
    """Drop hrefs with a scheme other than http(s)/mailto; mark outside links as such.

    markdown-it already refuses javascript:, vbscript:, file: and data: links; this is a second,
    allow-list check, so a future parser option cannot open the door again.
    """
    for token in tokens:
        for child in token.children or []:
            if child.type != "link_open":
                continue
            href = str(child.attrGet("href") or "")
            if not SAFE_SCHEMES.match(href.strip()):
                child.attrs.pop("href", None)
            elif href.lower().startswith(("http:", "https:")):
                child.attrSet("rel", "nofollow noopener noreferrer")
                child.attrSet("class", "external")


def _render_image(self, tokens, idx, options, env) -> str:  # noqa: ANN001 - markdown-it signature
    # A picture would load from the government site: no request may leave ours. Show its alt text.
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return f'<span class="image-omitted">［图片{"：" + _escape(alt) if alt else ""}］</span>'


def _render_table_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    # A wide table scrolls inside its own box instead of widening the page on a phone.
    return '<div class="table-scroll" tabindex="0" role="region" aria-label="表格">' \
           + self.renderToken(tokens, idx, options, env)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
