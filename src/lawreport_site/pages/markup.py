"""Report body Markdown → HTML: anchored headings, captions as captions, safe links.

Pure. The body is parsed exactly as themes.split_sections parses it (commonmark.py), so the n-th
heading here gets the id themes.heading_anchor gives the n-th section, and theme pages can link
to it.
"""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from ..archive.commonmark import Parsed, inline_runs, is_caption, parse, plain_text, to_html
from ..archive.model import pickled_by_position
from ..archive.themes import heading_anchor

TOC_LEVELS = (2, 3)
SAFE_SCHEMES = re.compile(r"(?:https?:|mailto:|#|[^:/?#]*(?:[/?#]|$))", re.I)
"""Allowed link targets: web and mail URLs, fragments, and relative paths (no other scheme)."""


@pickled_by_position
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    anchor: str


@pickled_by_position
@dataclass(frozen=True, slots=True)
class Body:
    html: str
    headings: tuple[Heading, ...]
    """Every heading of the body, in order; the table of contents shows levels 2 and 3."""

    @property
    def toc(self) -> tuple[Heading, ...]:
        return tuple(h for h in self.headings if h.level in TOC_LEVELS)


def render_body(body_md: str) -> Body:
    """Return the HTML of a report body and its headings."""
    return body_of(parse(body_md))


def body_of(parsed: Parsed) -> Body:
    """Return the Body of a parsed report body."""
    headings: list[Heading] = []
    captions: set[int] = set()                  # ids of the tokens a caption drops or replaces
    tokens = parsed.tokens
    for run in inline_runs(parsed):
        if run.level:
            text = plain_text(run.inline)
            headings.append(Heading(run.level, text, heading_anchor(text, len(headings) + 1)))
        elif run.block == "paragraph" and is_caption(run.inline):
            captions.update(map(id, (tokens[run.at - 1], tokens[run.at + 1], run.inline[0], run.inline[-1])))
    env = {"anchors": iter(heading.anchor for heading in headings), "captions": captions}
    return Body(to_html(parsed, _RENDERER, env), tuple(headings))


class _PageRenderer(RendererHTML):
    """markdown-it's HTML, changed for the report page: anchored headings, captions as figure
    captions, secure links, pictures as their alt text, tables that scroll in a box of their own.
    Each rule is named after the token it writes (markdown-it's renderer API)."""

    def heading_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        tag = self.renderToken(tokens, idx, options, env)
        return tag.replace(">", f' id="{next(env["anchors"])}">', 1)

    def paragraph_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        tag = self.renderToken(tokens, idx, options, env)
        if id(tokens[idx]) in env["captions"]:
            return tag.replace("<p>", '<figure class="caption"><figcaption>')
        return tag

    def paragraph_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        tag = self.renderToken(tokens, idx, options, env)
        if id(tokens[idx]) in env["captions"]:
            return tag.replace("</p>", "</figcaption></figure>")
        return tag

    def em_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        # The emphasis that makes a paragraph a caption is the caption's, not the text's.
        return "" if id(tokens[idx]) in env["captions"] else self.renderToken(tokens, idx, options, env)

    em_close = em_open

    def table_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        # A wide table scrolls inside its own box instead of widening the page on a phone.
        return ('<div class="table-scroll" tabindex="0" role="region" aria-label="表格">'
                + self.renderToken(tokens, idx, options, env))

    def table_close(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        return self.renderToken(tokens, idx, options, env).replace("</table>", "</table></div>")

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        # A picture would load from the government site: no request may leave ours.
        alt = escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))
        return f'<span class="image-omitted">［图片{"：" + alt if alt else ""}］</span>'

    def link_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        token = tokens[idx]
        title = token.attrGet("title")
        return _secure_link(escapeHtml(str(token.attrGet("href") or "")),
                            f' title="{escapeHtml(str(title))}"' if title else "") + ">"


_RENDERER = _PageRenderer()


def _secure_link(href: str, title: str) -> str:
    """Drop an href with a scheme other than http(s)/mailto; mark an outside link as such.

    markdown-it already refuses javascript:, vbscript:, file: and data: links; this is a second,
    allow-list check, so a future parser option cannot open the door again.
    """
    url = html.unescape(href).strip()
    if not SAFE_SCHEMES.match(url):
        return f"<a{title}"
    if url.lower().startswith(("http:", "https:")):
        return f'<a href="{href}"{title} rel="nofollow noopener noreferrer" class="external"'
    return f'<a href="{href}"{title}'
