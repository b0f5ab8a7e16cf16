"""The site's one Markdown parser: CommonMark with tables, raw HTML left as text.

Pure. markdown-it.rs (a Rust port of markdown-it, through markdown-it-pyrs) parses an 18 KB
report body in ~0.4 ms and renders it in as much again; with markdown-it-py, deriving what the
site needs from a report took 6.9 ms, with this 3.9 ms (benchmarks/derive_bench.py). Both the report page (markup.py) and the theme sections (themes.py) read the
same tree, so the n-th heading is the same heading for both.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from markdown_it_pyrs import MarkdownIt, Node

RULES = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
         "reference", "autolink", "backticks", "emphasis", "entity", "escape", "image", "link",
         "newline", "table")
"""CommonMark's rules without html_block and html_inline (a seed's stray <div> is text), plus
GitHub's tables."""
HEADINGS = frozenset({"heading", "lheading"})
"""ATX (``## …``) and setext (underlined) headings."""
TEXT_BLOCKS = HEADINGS | {"paragraph", "tcell"}
"""Blocks whose children are inline content only, even when there is none (``##``, an empty cell)."""
INLINE = frozenset({"text", "text_special", "em", "strong", "link", "autolink", "image",
                    "code_inline", "softbreak", "hardbreak"})
"""What a block that holds other blocks may also hold directly: a tight list item's text."""


_T = TypeVar("_T")


@functools.cache
def _parser(code_spans: bool = True) -> MarkdownIt:
    return MarkdownIt("zero").enable_many([rule for rule in RULES if code_spans or rule != "backticks"])


def parse(body_md: str) -> Node:
    """Return the syntax tree of a Markdown body."""
    return _guarded(lambda parser: parser.tree(body_md))


def to_html(body_md: str) -> str:
    """Return the HTML of a Markdown body, as markdown-it renders it (all text escaped)."""
    return _guarded(lambda parser: parser.render(body_md))


def _guarded(use: Callable[[MarkdownIt], _T]) -> _T:
    # markdown-it.rs 0.6 panics when a backtick run that never closes follows an unclosed "[",
    # as in "详见[附件`" (its code_pair rule indexes past the end). Such a body is parsed without
    # code spans, so its backticks show as typed; everything else parses as usual.
    try:
        return use(_parser())
    except BaseException as error:
        if type(error).__name__ != "PanicException":
            raise
        return use(_parser(code_spans=False))


def inline_runs(tree: Node) -> Iterator[tuple[Node, Sequence[Node]]]:
    """Yield (block, inline nodes) for each stretch of inline content, in document order.

    One per heading, paragraph and table cell, empty ones included, and one per stretch of text
    held directly by a tight list item.
    """
    run: list[Node] = []
    for child in tree.children:
        if child.name in INLINE:
            run.append(child)
            continue
        if run:
            yield tree, run
            run = []
        if child.name in TEXT_BLOCKS:
            yield child, child.children
        else:
            yield from inline_runs(child)
    if run:
        yield tree, run


def heading_level(block: Node) -> int:
    """Return 1–6 for a heading block, 0 for any other."""
    return block.meta["level"] if block.name in HEADINGS else 0


def is_caption(run: Sequence[Node]) -> bool:
    """Return True for inline content that is emphasis from end to end (``*…*``)."""
    return len(run) == 1 and run[0].name == "em"


def plain_text(run: Sequence[Node]) -> str:
    """Return the text of inline nodes without markup; images (pictures) are left out.

    A line broken inside Chinese prose joins without a space (行政\\n复议 is 行政复议); between
    Latin words the break was a space.
    """
    parts: list[str] = []
    _collect_text(run, parts)
    text = "".join(parts)
    if "\n" in text:
        text = _join_lines(text)
    return text.strip()


def _collect_text(nodes: Sequence[Node], parts: list[str]) -> None:
    for node in nodes:
        name = node.name
        if name == "text" or name == "text_special":
            parts.append(node.meta["content"])
        elif name == "softbreak" or name == "hardbreak":
            parts.append("\n")
        elif name != "image":
            _collect_text(node.children, parts)


_LATIN_BREAK = re.compile(r"(?<=[\x00-\x7f])\n(?=[\x00-\x7f])")


def _join_lines(text: str) -> str:
    return _LATIN_BREAK.sub(" ", text).replace("\n", "")
