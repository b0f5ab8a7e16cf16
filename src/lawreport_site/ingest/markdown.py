"""Blocks → the report's body as Markdown: ## headings, paragraphs with **run-in leads**, *captions*,
every other character escaped so that the text shows as the page wrote it."""
from __future__ import annotations

import re
from collections.abc import Sequence

from .structure import Block

MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
LINE_START_SPECIAL = re.compile(r"^(?:[#>+=-]|\d+(?=[.)]\s))")
BODY_KINDS = ("heading", "paragraph", "caption")


def body_markdown(blocks: Sequence[Block]) -> str:
    """Return the running text as Markdown: ## headings, paragraphs, **leads**, *captions*."""
    parts = []
    for block in blocks:
        if block.kind == "heading":
            parts.append(f"{'#' * block.level} {escape_markdown(block.text, line_start=False)}")
        elif block.kind == "caption":
            parts.append(f"*{escape_markdown(block.text, line_start=False)}*")
        elif block.kind == "paragraph" and block.lead:
            # The lead's full stop goes outside the ** so CommonMark closes the emphasis before
            # a Han character (a closing ** after punctuation needs space or punctuation next).
            lead = block.lead.rstrip("。")
            stop = block.lead[len(lead):]
            parts.append(f"**{escape_markdown(lead)}**{stop}{escape_markdown(block.text, line_start=False)}")
        elif block.kind == "paragraph":
            parts.append(escape_markdown(block.text))
    return "\n\n".join(part for part in parts if part.strip("#* ")) + "\n"


def escape_markdown(text: str, line_start: bool = True) -> str:
    """Backslash-escape what Markdown would read as markup, so the text shows as written."""
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    if line_start:
        # "#", ">" and "-" open blocks; after "1" it is the "." of "1. " that must be escaped.
        text = LINE_START_SPECIAL.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit()
                                      else "\\" + m.group(0), text)
    return text
