"""What Pagefind reads of a page: its search body and its filter, meta and sort elements.

Pagefind's index of this copy is the index of the page, but the copy changes only with its report:
a new report changes the related-report lists of many pages, not their copies, so a build
re-indexes one shard, not all of them. Pure.
"""
from __future__ import annotations

import re


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})


# The markup of a page: a raw-text element whole, a comment, a start or end tag (groups: "/" or
# "", the name), or another <…>. Text lies between (a "<" that starts none of these is text too).
# The pages come from our own templates, so a regular tokenizer is enough.
_MARKUP = re.compile(r"<(?:(script|style)\b[^>]*>.*?</\1\s*>|!--.*?-->|(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>"
                     r"|[A-Za-z/!?][^>]*>)", re.S | re.I)


def _close(stack: list[tuple], tag: str) -> None:
    """Pop the open elements down to the innermost *tag*; an end tag nothing opened is ignored."""
    if stack and stack[-1][0] == tag:            # well-formed HTML: the innermost (nearly every time)
        stack.pop()
    elif any(entry[0] == tag for entry in stack):
        while stack.pop()[0] != tag:
            pass


_PAGEFIND_DATA = re.compile(r"\sdata-pagefind-(?:filter|meta|sort)[\s=/>]")
BODY = re.compile(r"\sdata-pagefind-body[\s=/>]", re.ASCII)      # HTML separates attributes by ASCII space
_IGNORE = re.compile(r"""\sdata-pagefind-ignore(?:\s*=\s*["']?(\w*))?""")


def index_copy(html: str) -> str:
    """Return the part of a page Pagefind reads: its search body, without the subtrees the body
    marks data-pagefind-ignore, and every element that carries a filter, a meta or a sort key.

    Pagefind's index of the copy is the index of the page (it reads nothing else once a page has
    a body), but the copy is smaller, and it is the same after a change that Pagefind would not
    see: a new report changes the lists of related reports on its neighbours' pages, not their
    copies, so their shards of the index stay cached. Pages without a body come back empty.
    """
    if BODY.search(html) is None:
        return ""
    out = ['<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"></head><body>']
    stack: list[tuple[str, str]] = []                    # (tag, copy mode) of the open elements
    kept = -1          # where the text being kept began, while the innermost element is kept, else -1
    # Only tags change what is kept: the text, comments and scripts between them are copied in
    # slices, not token by token.
    for match in _MARKUP.finditer(html):
        if (name := match.group(3)) is None:             # a comment, script, style: like text
            continue
        name = name.lower()
        if match.group(2):                               # an end tag, kept if its element is
            _close(stack, name)
            keeping = bool(stack) and stack[-1][1] == _KEEP
            if kept >= 0 and not keeping:
                out.append(html[kept:match.end()])
                kept = -1
            elif kept < 0 and keeping:
                kept = match.end()
            continue
        token = match.group()
        element = _copy_mode(token, stack[-1][1] if stack else _LOOK)
        opens = name not in _VOID and not token.endswith("/>")
        if kept >= 0 and element != _KEEP:               # a subtree the body ignores begins
            out.append(html[kept:match.start()])
            kept = match.end() if not opens else -1
        elif kept < 0 and element == _KEEP:
            if opens:
                kept = match.start()
            else:
                out.append(token)
        if opens:
            stack.append((name, element))
    if kept >= 0:
        out.append(html[kept:])
    out.append("</body></html>\n")
    return half_width("".join(out))
_FULL_WIDTH_ALNUM = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
"""Full-width digits, capitals and small letters: first and last code point; ASCII's are 0xFEE0 lower."""
_FULL_WIDTH = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in _FULL_WIDTH_ALNUM) + "]")
_TO_HALF_WIDTH = {code: code - 0xFEE0 for first, last in _FULL_WIDTH_ALNUM for code in range(first, last + 1)}


def half_width(text: str) -> str:
    """Return *text* with its full-width letters and digits in ASCII (２０１９ → 2019, ＡＰＰ → APP),
    as the search page reads a query (templates/static/search-query.js): a report that writes a
    year or a hotline full-width is found by the digits a reader types, and the other way round.
    Full-width punctuation (，（）) stays, as Chinese prose has it."""
    return text.translate(_TO_HALF_WIDTH) if _FULL_WIDTH.search(text) else text


_KEEP, _LOOK, _SKIP = "keep", "look", "skip"
"""index_copy keeps an element whole, looks inside it for filter, meta and sort elements, or skips it."""


def _copy_mode(start_tag: str, parent: str) -> str:
    """Return what index_copy does with the element that *start_tag* opens inside *parent*'s."""
    if parent == _SKIP:
        return _SKIP
    if "data-pagefind-" not in start_tag:    # most tags: no regular expression needed
        return parent
    ignore = _IGNORE.search(start_tag)
    if ignore and ignore.group(1) == "all":
        return _SKIP                         # Pagefind reads nothing there, filters included
    if _PAGEFIND_DATA.search(start_tag):
        return _KEEP
    if parent == _KEEP:
        return _LOOK if ignore else _KEEP    # ignored text; its filters and meta still count
    return _KEEP if BODY.search(start_tag) else _LOOK


BODY_BYTES = re.compile(BODY.pattern.encode("ascii"))
"""BODY for UTF-8 bytes: it matches where BODY matches the decoded text (both see ASCII space
only, and no UTF-8 sequence of another character holds an ASCII byte)."""
