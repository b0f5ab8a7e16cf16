"""A strict little HTML checker and link resolver for a built site (no html5lib here).

It checks what our templates promise: a doctype, balanced tags, no duplicate ids or attributes,
no inline script or style, and every internal href/src resolving to a file (and #fragment to an id).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
LINK_ATTRIBUTES = {("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"),
                   ("form", "action"), ("source", "src")}


@dataclass
class Page:
    path: str
    """Site-relative path of the file, e.g. reports/x/index.html."""
    errors: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    tags: list[tuple[str, dict[str, str | None]]] = field(default_factory=list)
    text: str = ""


class _Parser(HTMLParser):
    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[str] = []
        self.seen_doctype = False
        self.in_script = False
        self.chunks: list[str] = []

    def handle_decl(self, decl: str) -> None:
        if decl.lower() == "doctype html" and not self.page.tags:
            self.seen_doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)
        self.in_script = tag == "script"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag not in VOID:
            self.page.errors.append(f"<{tag}/> is not a void element")

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        if len(names) != len(set(names)):
            self.page.errors.append(f"<{tag}> repeats an attribute: {names}")
        values = dict(attrs)
        self.page.tags.append((tag, values))
        if "id" in values:
            if values["id"] in self.page.ids:
                self.page.errors.append(f"duplicate id {values['id']!r}")
            self.page.ids.add(values["id"] or "")
        if "style" in values or any(name.startswith("on") for name in names):
            self.page.errors.append(f"<{tag}> has inline style or an event handler")
        for element, attribute in LINK_ATTRIBUTES:
            if tag == element and values.get(attribute) is not None:
                self.page.links.append(values[attribute] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            self.page.errors.append(f"</{tag}> closes a void element")
        elif not self.stack or self.stack[-1] != tag:
            self.page.errors.append(f"</{tag}> does not close the open <{self.stack[-1] if self.stack else '-'}>")
        else:
            self.stack.pop()
        self.in_script = False

    def handle_data(self, data: str) -> None:
        if self.in_script and data.strip():
            self.page.errors.append("inline script")
        self.chunks.append(data)


def parse_page(site: Path, path: Path) -> Page:
    page = Page(path.relative_to(site).as_posix())
    parser = _Parser(page)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    if not parser.seen_doctype:
        page.errors.append("no <!doctype html> first")
    if parser.stack:
        page.errors.append(f"unclosed elements at end: {parser.stack}")
    page.text = re.sub(r"\s+", " ", "".join(parser.chunks))
    return page


def resolve(site: Path, page_path: str, href: str, base_path: str = "/") -> tuple[Path, str] | None:
    """Return the file and fragment an internal link points to, or None for an outside link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    url = urljoin("/" + page_path, href)
    path = unquote(urlsplit(url).path)
    if page_path == "404.html" and path.startswith(base_path):
        path = "/" + path[len(base_path):]
    target = site / PurePosixPath(path.lstrip("/"))
    if path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def check_site(site: Path, base_path: str = "/") -> tuple[dict[str, Page], list[str]]:
    """Parse every page of *site*; return the pages and every problem found."""
    pages = {p.relative_to(site).as_posix(): parse_page(site, p) for p in sorted(site.rglob("*.html"))}
    problems = [f"{path}: {error}" for path, page in pages.items() for error in page.errors]
    for path, page in pages.items():
        for href in page.links:
            if href.startswith("/") and path != "404.html":
                problems.append(f"{path}: link {href!r} is not relative")
            found = resolve(site, path, href, base_path)
            if found is None:
                continue
            target, fragment = found
            if target.relative_to(site).parts[:1] == ("pagefind",) and not (site / "pagefind").is_dir():
                continue  # built with --no-search: the index is absent by design
            if not target.is_file():
                problems.append(f"{path}: link {href!r} points to a missing file")
            elif fragment and target.suffix == ".html":
                ids = pages[target.relative_to(site).as_posix()].ids
                if fragment not in ids:
                    problems.append(f"{path}: link {href!r}: no id {fragment!r} there")
    return pages, problems
