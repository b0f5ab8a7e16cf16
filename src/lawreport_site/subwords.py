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
~1,700 are needed. A character at the end of a run is a term of its own only where no word or
term of the page starts with it. pagefind_bundle.add_postings writes them into the index. Pure.
"""
from __future__ import annotations

import itertools
import operator
import re

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""CJK unified ideographs (extension A, the basic block) and compatibility ideographs."""

_BREAK = "\u200b"
_STARTS = re.compile(f"(?:^|{_BREAK})\\s*([{HAN}]{{1,2}})")          # how the page's words begin
_OTHER = re.compile(f"[^{HAN}{_BREAK}]")
_NONE = "\0"                                                          # stands for any other character
_LAST, _FIRST = operator.itemgetter(slice(-1, None)), operator.itemgetter(slice(1))


def page_terms(content: str) -> dict[str, int]:
    """Return the terms a page needs, each with the position of the word where it first starts.

    *content* is the page's text as Pagefind stores it in the fragment: its words and punctuation
    in order, with U+200B between them.
    """
    known = set(_STARTS.findall(content))
    known |= {start[:1] for start in known}
    words = _OTHER.sub(_NONE, content).split(_BREAK)
    # Two characters that do not start a word either straddle two words or lie inside one after
    # its first character. The straddling ones are taken for all words at once, in C: a loop over
    # the runs of Han characters took 7.9 ms a report, this 6.4 ms (675 pages, median of 7 rounds).
    following = itertools.chain(itertools.islice(words, 1, None), (_NONE,))
    straddling = list(map(operator.add, map(_LAST, words), map(_FIRST, following)))
    pairs = list(_first_places(straddling).items())
    pairs += [(pair, at) for word, at in _first_places(words).items() if len(word) > 2
              for pair in map(operator.add, word[1:], word[2:])]
    found: dict[str, int] = {}
    ends: dict[str, int] = {}                           # a character that ends a run of Han ones
    for pair, at in pairs:
        if len(pair) < 2 or pair[0] == _NONE or pair in known:
            continue
        places = ends if pair[1] == _NONE else found
        key = pair[0] if pair[1] == _NONE else pair
        if places.get(key, at) >= at:
            places[key] = at
    starts = {term[0] for term in found}                # 执 is the prefix of the term 执法
    found.update((char, at) for char, at in ends.items() if char not in known and char not in starts)
    return found


def _first_places(items: list[str]) -> dict[str, int]:
    """Return each distinct item with the index of its first occurrence."""
    return dict(zip(reversed(items), range(len(items) - 1, -1, -1)))
