"""Search: index the built site with Pagefind (extended), and close its sub-word gap.

Pagefind's extended binary segments Chinese with a dictionary (``行政复议`` is one word) and
matches each query word as a *prefix* of an indexed word. In the browser the query is cut by
``Intl.Segmenter`` (ICU), which splits differently: ``复议`` becomes ``复`` + ``议``, and
``营商环境`` becomes ``营`` + ``商`` + ``环境``. A query piece that starts inside an indexed word
is never found, so the query 复议 misses a report that only says 行政复议.

The fix, chosen over a second exact-match index because Pagefind alone then answers every query
(its UI, filters, sub-results and JS API keep working unchanged):

* **Sub-word terms.** After each clause of the body (at ``，。；`` … or the end of a block) the
  copy of the page that Pagefind reads gets a hidden group ``⟦政复 复议 议⟧``: the two characters
  starting at every position of the clause's Han runs except the first, and the last character
  alone. Any piece of a query that lies in the clause is then the prefix of a term that starts
  where the piece starts, whatever either segmenter made of the clause. Pairs repeat a lot, so a
  term is added once per section (enough for a sub-result per section that has it).
* **Next to the words they stand for.** Pagefind centres an excerpt on the matching words, so a
  group sits right after its clause and the excerpt shows the clause that holds the match.
* **Cleaned in the excerpt.** ``search.js`` drops the ``⟦…⟧`` groups from excerpts (whole or cut
  at the window's edge) and highlights the query where it occurs in the real text.
* **Only in the index.** index_site feeds Pagefind an augmented copy of each report page; the
  pages readers download stay as rendered. augment_body_html is idempotent, so a renderer that
  already applies it (the first plan) yields the same index, only heavier pages.

Pure except index_site, which reads the site and runs Pagefind.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.metadata
import json
import re
import shutil
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

from .errors import LawReportError

PAGEFIND_VERSION = "1.5.2"
"""The version pinned in pyproject.toml; the index format and the UI files come with it."""
LANGUAGE = "zh-hans"
"""One index for the whole site: every page is <html lang="zh-Hans">."""
OUTPUT = "pagefind"
"""Folder of the search bundle inside the site."""

SUBWORDS_ATTR = "data-lr-subwords"
"""Marks the hidden element holding a clause's sub-word terms."""
OPEN, CLOSE = "⟦", "⟧"
"""Delimit the terms in Pagefind's content, so search.js can strip them from excerpts."""
TERM_CHARS = 2
"""Length of a sub-word term: ICU cuts Chinese queries into pieces of one or two characters."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CLAUSE_ENDS = frozenset("，。；：？！、,;:?!")
_TEXT_BLOCKS = frozenset({"p", "li", "td", "th", "dd", "dt", "blockquote", "figcaption",
                          "h1", "h2", "h3", "h4", "h5", "h6"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})
# Text under these attributes is a filter value, a sort key or metadata, or is kept out of the
# index: terms there would change a filter's value or never be searched.
_SKIP_ATTRS = ("data-pagefind-ignore", "data-pagefind-filter", "data-pagefind-meta",
               "data-pagefind-sort", SUBWORDS_ATTR)
_SKIP_ELEMENTS = frozenset({"script", "style", "template", "nav", "header", "footer"})


class SearchError(LawReportError):
    """Pagefind is missing, of the wrong version, or failed to index the site."""


# --- sub-word terms (pure) ----------------------------------------------------------------------

def subword_terms(clause: str, seen: set[str] | None = None) -> list[str]:
    """Return the sub-word terms of *clause*, in order, leaving out (and adding to) *seen*.

    A term starts at every character of a Han run but the first (Pagefind already has a word
    starting there: a run starts after punctuation, Latin or digits) and is TERM_CHARS long, or
    shorter at the end of the run.
    """
    seen = set() if seen is None else seen
    terms = []
    for run in _HAN.findall(clause):
        for start in range(1, len(run)):
            term = run[start:start + TERM_CHARS]
            if term not in seen:
                seen.add(term)
                terms.append(term)
    return terms


def subwords_html(terms: Iterable[str]) -> str:
    """Return the hidden element holding *terms*, or "" when there are none."""
    text = " ".join(terms)
    # The spaces keep the group from gluing onto the words around it when Pagefind segments.
    return f'<span {SUBWORDS_ATTR} hidden> {OPEN}{text}{CLOSE} </span>' if text else ""


def augment_body_html(html: str) -> str:
    """Return *html* with each clause followed by its hidden sub-word terms; pure and idempotent.

    Works on a report body or a whole page: text in headings, paragraphs, list items and table
    cells is augmented; text of filters, meta, sort keys and ignored elements is left alone.
    A heading's terms go after the heading, so sub-result titles stay clean.
    """
    if SUBWORDS_ATTR in html:
        return html
    writer = _Augmenter()
    writer.feed(html)
    writer.close()
    return writer.result()


class _Augmenter(HTMLParser):
    """Copy HTML token by token, inserting sub-word groups at clause ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []   # (tag, whether text inside is skipped)
        self.clause: list[str] = []
        self.seen: set[str] = set()
        self.pending: list[str] = []              # a heading's terms, written after it

    def result(self) -> str:
        self._flush()
        self.out.append(subwords_html(self.pending))
        return "".join(self.out)

    # where text goes
    def _skipped(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _block(self) -> str | None:
        return next((tag for tag, _ in reversed(self.stack) if tag in _TEXT_BLOCKS), None)

    def _flush(self) -> None:
        terms = subword_terms("".join(self.clause), self.seen)
        self.clause.clear()
        if self._block() in _HEADINGS:
            self.pending.extend(terms)
        else:
            self.out.append(subwords_html(terms))

    # tokens
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _TEXT_BLOCKS:
            self._flush()
        if tag in _HEADINGS:
            self.seen = set()                     # a new section: its terms start afresh
        self.out.append(self.get_starttag_text() or "")
        if tag not in _VOID:
            skip = self._skipped() or tag in _SKIP_ELEMENTS \
                or any(name in _SKIP_ATTRS for name, _ in attrs)
            self.stack.append((tag, skip))
        elif tag == "br":
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _TEXT_BLOCKS:
            self._flush()
        self.out.append(f"</{tag}>")
        if any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass
        if tag in _HEADINGS and self.pending:
            self.out.append(subwords_html(self.pending))
            self.pending = []

    def handle_data(self, data: str) -> None:
        if self._skipped() or self._block() is None:
            self.out.append(data)
            return
        start = 0
        for index, char in enumerate(data):
            self.clause.append(char)
            if char in _CLAUSE_ENDS:
                self.out.append(data[start:index + 1])
                start = index + 1
                self._flush()
        self.out.append(data[start:])

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data: str) -> None:
        self.out.append(f"<![{data}]>")


# --- the index (I/O) ----------------------------------------------------------------------------

def index_site(site_dir: Path) -> dict:
    """Index the report pages of *site_dir* into site_dir/pagefind/; return summary figures.

    Only pages with ``data-pagefind-body`` (the reports) are indexed, each as augment_body_html
    makes it. Raise SearchError, with a one-line message, when Pagefind is missing or fails.
    """
    _check_pagefind()
    pages = list(_report_pages(site_dir))
    if not pages:
        raise SearchError(f"{site_dir}: no page has data-pagefind-body, so there is nothing to "
                          "search; check that report.html marks the article")
    output = site_dir / OUTPUT
    shutil.rmtree(output, ignore_errors=True)
    try:
        # Pagefind's API is async; its own thread gives it a fresh event loop even when the
        # caller already runs one (Playwright's sync API in tests, an embedding application).
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
            worker.submit(asyncio.run, _write_index(pages, output)).result()
    except Exception as error:  # the service reports its own failures as bare Exceptions
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SearchError(f"Pagefind could not index {site_dir}: {first_line}") from error
    return index_figures(output, len(pages))


def _check_pagefind() -> None:
    fix = f"run  pip install 'pagefind[extended]=={PAGEFIND_VERSION}'"
    try:
        version = importlib.metadata.version("pagefind")
        importlib.metadata.version("pagefind_bin_extended")
    except importlib.metadata.PackageNotFoundError:
        raise SearchError("Pagefind's extended build (the one that segments Chinese) is not "
                          f"installed; {fix}, or build with --no-search") from None
    if version != PAGEFIND_VERSION:
        raise SearchError(f"Pagefind {version} is installed but this site is built with "
                          f"{PAGEFIND_VERSION}; {fix}")


def _report_pages(site_dir: Path) -> Iterable[tuple[str, str]]:
    """Yield (URL from the site root, augmented HTML) of each page that has a search body."""
    for path in sorted(site_dir.rglob("*.html")):
        relative = path.relative_to(site_dir).as_posix()
        if relative.startswith(OUTPUT + "/"):
            continue
        html = path.read_text(encoding="utf-8")
        if "data-pagefind-body" in html:
            yield page_url(relative), augment_body_html(html)


def page_url(relative: str) -> str:
    """Return the URL Pagefind records for a site-relative file: ``reports/x/index.html`` → ``/reports/x/``."""
    return "/" + re.sub(r"(^|/)index\.html$", r"\1", relative)


async def _write_index(pages: list[tuple[str, str]], output: Path) -> None:
    from pagefind.index import IndexConfig, PagefindIndex
    config = IndexConfig(force_language=LANGUAGE, output_path=str(output.resolve()))
    async with PagefindIndex(config=config) as index:
        for url, html in pages:
            await index.add_html_file(content=html, url=url)


def index_figures(output: Path, pages: int) -> dict:
    """Return the figures the build prints: Pagefind version, index size and files, pages."""
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    files = [path for path in output.rglob("*") if path.is_file()]
    return {"pagefind_version": entry["version"],
            "index_bytes": sum(path.stat().st_size for path in files),
            "index_files": len(files),
            "pages": pages}
