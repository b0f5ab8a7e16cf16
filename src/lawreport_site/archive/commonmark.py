"""The site's one Markdown parser: CommonMark with tables, raw HTML left as text (markdown-it-py).

Pure. A body is parsed once: the report page's HTML (to_html, pages/markup.py) and the theme sections
(themes.py) read the same tokens, so the n-th heading is the same heading for both.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token

RULES = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
         "reference", "table", "autolink", "backticks", "emphasis", "entity", "escape", "image",
         "link", "newline")
"""CommonMark's rules without html_block and html_inline (a seed's stray <div> is text), plus
GitHub's tables."""


class Parsed(NamedTuple):
    """A parsed Markdown body: markdown-it's block tokens, inline tokens as their children."""
    tokens: list[Token]


class Run(NamedTuple):
    """A stretch of inline content and the block that holds it."""
    block: str
    """"heading", "paragraph", "cell" (of a table) or "item" (the text of a tight list item)."""
    level: int
    """1–6 for a heading, else 0."""
    inline: Sequence[Token]
    at: int
    """Where the inline token is in Parsed.tokens: its block opens just before and closes just after."""


@functools.cache
def _parser() -> MarkdownIt:
    # xhtmlOut: <br />, <hr />, <img … />, as the site has always written them.
    return MarkdownIt("zero", {"xhtmlOut": True}).enable(list(RULES))


def parse(body_md: str) -> Parsed:
    """Return the parse of a Markdown body."""
    return Parsed(_parser().parse(body_md))


def to_html(parsed: Parsed, renderer: RendererHTML | None = None, env: dict | None = None) -> str:
    """Return the HTML of a parsed body, as markdown-it's *renderer* (default: its own) writes it
    with all text escaped; *env* is handed to the renderer's rules."""
    parser = _parser()
    return (renderer or parser.renderer).render(parsed.tokens, parser.options, {} if env is None else env)


def inline_runs(parsed: Parsed) -> Iterator[Run]:
    """Yield each stretch of inline content, in document order: one per heading, paragraph and
    table cell, empty ones included, and one per tight list item's text."""
    tokens = parsed.tokens
    for at, token in enumerate(tokens):
        if token.type != "inline":
            continue
        opener = tokens[at - 1]
        kind = opener.type
        if kind == "heading_open":
            yield Run("heading", int(opener.tag[1]), token.children or (), at)
        elif kind == "paragraph_open":
            # A tight list item's paragraph is hidden: rendered without <p>, it is the item's text.
            yield Run("item" if opener.hidden else "paragraph", 0, token.children or (), at)
        else:
            yield Run("cell", 0, token.children or (), at)


def is_caption(inline: Sequence[Token]) -> bool:
    """Return True for inline content that is emphasis from end to end (``*…*``)."""
    if len(inline) < 2 or inline[0].type != "em_open" or inline[-1].type != "em_close":
        return False
    depth = 0
    for token in inline[:-1]:
        if token.type == "em_open":
            depth += 1
        elif token.type == "em_close":
            depth -= 1
            if depth == 0:
                return False                 # *a* b *c*: the first emphasis ends before the end
    return True


def plain_text(inline: Sequence[Token]) -> str:
    """Return the text of inline content without markup; images (pictures) are left out.

    A line broken inside Chinese prose joins without a space (行政\\n复议 is 行政复议); between
    Latin words the break was a space.
    """
    parts: list[str] = []
    for token in inline:
        kind = token.type
        if kind == "text" or kind == "text_special" or kind == "code_inline":
            parts.append(token.content)
        elif kind == "softbreak" or kind == "hardbreak":
            parts.append("\n")
    text = "".join(parts)
    if "\n" in text:
        text = _join_lines(text)
    return text.strip()


_LATIN_BREAK = re.compile(r"(?<=[\x00-\x7f])\n(?=[\x00-\x7f])")


def _join_lines(text: str) -> str:
    return _LATIN_BREAK.sub(" ", text).replace("\n", "")
