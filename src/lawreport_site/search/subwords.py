"""Sub-word terms: the words Pagefind's index lacks for Chinese queries to find every report.

Pagefind's extended binary segments Chinese with a dictionary (``行政复议`` is one word) and
matches each query piece as a *prefix* of an indexed word, so the query 复议 missed a report
that only says 行政复议. The fix: every two characters of a page's Han text start a word or a
*term* of that page, and the search page cuts a query's Han text into such pieces itself
(templates/static/search-query.js: 营商环境 → 营商 环境, where the browser's dictionary, which
Pagefind would use, gives 营 商 环境). bundle.add_postings writes the terms into the index. Pure.
"""
from __future__ import annotations

import re

import numpy as np

HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
"""CJK unified ideographs (extension A, the basic block) and compatibility ideographs: first and
last code point of each block."""

_IS_HAN, _IS_SPACE, _IS_BREAK = 1, 2, 4
_KIND = np.zeros(0x10000, np.uint8)
"""The kind of each character of the basic plane (the others are of no kind, as U+FFFF is)."""
for _low, _high in HAN:
    _KIND[_low:_high + 1] = _IS_HAN
_KIND[[code for code in range(0x10000) if chr(code).isspace()]] = _IS_SPACE
_KIND[0x200B] = _IS_BREAK
_TWO = re.compile("..", re.S)


def page_terms(content: str) -> dict[str, int]:
    """Return the terms a page needs, each with the position of the word where it first starts.

    *content* is the page's text as Pagefind stores it in the fragment: its words and punctuation
    in order, with U+200B between them (and the text's own spaces after them); word *i* is at
    position *i*.

    For every character of a run of Han characters, the two characters starting there (one at the
    end of the run) must be the prefix of a word the page has; where Pagefind's own words do not
    give it, it is a term. Then any one- or two-character piece of a query that lies in the page's
    text is the prefix of a word or term of the page (a two-character one starting where the
    piece starts), whatever the segmenter made of the text. Pagefind ANDs a query's pieces page
    by page with no adjacency (pagefind_core_search ``search_term``), so a term is needed once per
    page, at its first occurrence: Pagefind centres excerpts and sub-results on the positions of
    the words that matched. A character at the end of a run is a term of its own only where no
    word or term of the page starts with it.
    """
    codes, positions = term_codes(content)
    return dict(zip(code_text(codes), positions.tolist()))


def term_codes(content: str) -> tuple[np.ndarray, np.ndarray]:
    """Return page_terms(*content*) as two arrays: each term's code (see code_text), each one's
    position. Terms stay numbers until a shard's distinct ones are turned into text (code_text)."""
    # In numpy, over the characters as numbers: faster than a Python loop over the words. A pair
    # of characters is the number first << 32 | second, a single character c is c << 32.
    chars = np.frombuffer(content.encode("utf-32-le") + bytes(8), dtype=np.uint32)  # 2 of no kind after
    kind = _KIND[np.minimum(chars, 0xFFFF)]
    han, boundary = kind == _IS_HAN, kind == _IS_BREAK
    word = np.cumsum(boundary, dtype=np.uint32)                  # the word each character is in
    # A word starts at its first Han character if only spaces stand between it and the break.
    not_space = np.where(kind == _IS_SPACE, -1, np.arange(len(chars)))
    before = np.maximum.accumulate(np.concatenate(([-1], not_space[:-1])))
    starts_word = han & ((before < 0) | boundary[before])
    inside = han[:-1] & han[1:]                                  # a Han character, then one in its word
    across = han[:-2] & boundary[1:-1] & han[2:]                 # … or a break, then one
    wide = chars.astype(np.uint64)
    at = (inside[:-1] | across).nonzero()[0]
    pairs = wide[at] << 32 | np.where(inside[:-1], wide[1:-1], wide[2:])[at]
    pairs, first = np.unique(pairs, return_index=True)          # sorted, each where it first is
    pair_at = at[first]
    known = (starts_word[:-1] & inside).nonzero()[0]           # Pagefind's words begin so
    keep = _absent(pairs, wide[known] << 32 | wide[known + 1])
    pairs, pair_at = pairs[keep], pair_at[keep]
    ends = (han[:-2] & ~inside[:-1] & ~across).nonzero()[0]    # where a run of Han characters ends
    singles, first = np.unique(chars[ends], return_index=True)
    keep = _absent(singles, chars[starts_word]) & _absent(singles, (pairs >> 32).astype(np.uint32))
    singles, single_at = singles[keep], ends[first][keep]
    return (np.concatenate((pairs, singles.astype(np.uint64) << 32)),
            word[np.concatenate((pair_at, single_at))])


def code_text(codes: np.ndarray) -> list[str]:
    """Return the term of each code of term_codes."""
    text = np.stack(((codes >> 32).astype(np.uint32), codes.astype(np.uint32)), 1).tobytes()
    return [term.rstrip("\0") for term in _TWO.findall(text.decode("utf-32-le"))]


def _absent(values: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Return which of *values* (sorted, distinct) are not among *others*."""
    absent = np.ones(len(values), bool)
    if len(values):
        at = np.minimum(np.searchsorted(values, others), len(values) - 1)
        absent[at[values[at] == others]] = False
    return absent
