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
    captions: set[int] = set()
    paragraphs = 0
    for block, level, run in inline_runs(parsed):
        if level:
            text = plain_text(run)
            headings.append(Heading(level, text, heading_anchor(text, len(headings) + 1)))
        elif block == "paragraph":
            if is_caption(run):
                captions.add(paragraphs)
            paragraphs += 1
    return Body(_mark_up(to_html(parsed), headings, captions), tuple(headings))


# The renderer escapes every < in text, code and attributes, so each match below is a tag it wrote:
# one <hN> per heading and one <p> per paragraph, in document order, as inline_runs yields them.
_TAGS = re.compile(r'<h[1-6](?=>)|<p><em>|(?P<p><p>)|</em></p>|</table>'
                   r'|<a href="(?P<href>[^"]*)"(?P<title> title="[^"]*")?'
                   r'|<img src="[^"]*" alt="(?P<alt>[^"]*)"[^>]*>|<table>')


def _mark_up(html: str, headings: Sequence[Heading], captions: set[int]) -> str:
    """Anchor the headings, turn caption paragraphs into figure captions, secure the links,
    replace pictures by their alt text and let tables scroll in a box of their own."""
    headings_left = iter(headings)
    paragraphs = 0
    in_caption = False

    def rewrite(match: re.Match[str]) -> str:
        nonlocal paragraphs, in_caption
        tag = match.group()
        if tag.startswith("<h"):
            return f'{tag} id="{next(headings_left).anchor}"'
        if tag.startswith("<p>"):
            in_caption = paragraphs in captions
            paragraphs += 1
            return '<figure class="caption"><figcaption>' if in_caption else tag
        if tag == "</em></p>":
            caption, in_caption = in_caption, False
            return "</figcaption></figure>" if caption else tag
        if tag == "<table>":
            # A wide table scrolls inside its own box instead of widening the page on a phone.
            return '<div class="table-scroll" tabindex="0" role="region" aria-label="表格"><table>'
        if tag == "</table>":
            return "</table></div>"
        if match.group("alt") is not None:
            # A picture would load from the government site: no request may leave ours.
            alt = match.group("alt")
            return f'<span class="image-omitted">［图片{"：" + alt if alt else ""}］</span>'
        return _secure_link(match.group("href"), match.group("title") or "")

    return _TAGS.sub(rewrite, html)


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
