"""Sub-word terms: the words Pagefind's index lacks for Chinese queries to find every report.

Pagefind's extended binary segments Chinese with a dictionary (``行政复议`` is one word) and
matches each query piece as a *prefix* of an indexed word. In the browser the query is cut by
``Intl.Segmenter`` (ICU), which splits differently: ``复议`` becomes ``复`` + ``议``, and
``营商环境`` becomes ``营`` + ``商`` + ``环境``. A piece that starts inside an indexed word is never
found, so the query 复议 missed a report that only says 行政复议.

The fix: for every character of a run of Han characters, the two characters starting there (one at
the end of the run; ICU cuts Chinese queries into pieces of one or two characters) must be the
prefix of a word the page has; where Pagefind's own words do not give it, the index gets it as a
*term* of that page. Then any one- or two-character piece of a query that lies in the page's text is
the prefix of a word or term starting where the piece starts, whatever either segmenter made of the
text. Pagefind ANDs the pieces of a query page by page with no adjacency (pagefind_core_search
``search_term``), so a term is needed once per page, at its first occurrence: Pagefind centres
excerpts and sub-results on the positions of the words that matched.

The terms are computed from Pagefind's own output, the content of each page's fragment, where the
page's words and punctuation stand in order with U+200B between them (and the text's own spaces
after them); word *i* is at position *i*. Knowing Pagefind's segmentation, a term is left out where
a word of the page already starts with it: of ~3,700 two-character strings of a generated report,
~1,700 are needed. pagefind_bundle.add_postings writes them into the index. Pure.
"""
from __future__ import annotations

import operator
import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""CJK unified ideographs (extension A, the basic block) and compatibility ideographs."""

_BREAK = "\u200b"
_RUN = re.compile(f"[{HAN}]+(?:{_BREAK}[{HAN}]+)*")                   # Han words side by side
_STARTS = re.compile(f"(?:^|{_BREAK})\\s*([{HAN}]{{1,2}})")          # how the page's words begin


def page_terms(content: str) -> dict[str, int]:
    """Return the terms a page needs, each with the position of the word where it first starts.

    *content* is the page's text as Pagefind stores it in the fragment: its words and punctuation
    in order, with U+200B between them.
    """
    known = set(_STARTS.findall(content))
    known |= {start[:1] for start in known}
    found: dict[str, int] = {}
    word, counted = 0, 0                                  # the position of text[counted]
    for run in _RUN.finditer(content):
        chars = run.group().replace(_BREAK, "")
        terms = set(map(operator.add, chars, chars[1:]))  # the two characters at each start …
        terms.add(chars[-1])                              # … and the last one alone
        new = terms - known
        if not new:
            continue
        starts = {term[:1] for term in new if len(term) > 1}
        new -= starts                                     # 执 is the prefix of the new 执法
        known |= new | starts
        word += content.count(_BREAK, counted, run.start())
        counted = run.start()
        owner = []                                        # the position of each character
        for offset, piece in enumerate(run.group().split(_BREAK)):
            owner.extend([word + offset] * len(piece))
        for term in new:
            found[term] = owner[chars.find(term)]
    return found
