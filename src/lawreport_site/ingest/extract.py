"""HTML → text lines, one per block, with page furniture that HTML marks as such removed.

Plain text passes through. What HTML cannot tell apart (a date line, a footer written as
paragraphs) is left to the line cleaner, which handles text saved from pages the same way.
"""
from __future__ import annotations

import re

import lxml.html
from lxml import etree

from .labels import is_label

# Shown where a page had a picture; structure uses it to spot captions, then drops it.
IMAGE_LINE = "［图片］"

HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|div|p)\b", re.I | re.S)
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "canvas",
             "select", "option", "button", "input", "textarea", "nav", "aside", "head", "map")
BLOCK_TAGS = frozenset(("p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
                        "h5", "h6", "tr", "table", "section", "article", "header", "footer", "main",
                        "blockquote", "pre", "figure", "figcaption", "center", "hr", "address", "form",
                        "tbody", "thead", "caption"))
CELL_TAGS = frozenset(("td", "th"))
# class/id words that portals use for navigation and sharing widgets, never for the report.
CHROME_ATTR = re.compile(r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|share|sharing|sidebar|"
                         r"topbar|toolbar|tools|btns|qrcode|ewm|erweima|copyright|footer|foot|friendlink|"
                         r"links?|skip)(?:[\s_-]|$)", re.I)
LINK_HEAVY_MIN_LINKS = 4
LINK_HEAVY_SHARE = 0.7
# A <title> joins the article's title and the site's name with one of these (never with ——,
# which in Chinese titles introduces a subtitle).
TITLE_SEPARATOR = re.compile(r"\s+[-–—|｜_]\s+|(?<!—)[-_|｜](?!—)")
SITE_NAME = re.compile(r"网站|门户|政府网|网$|首页|人民政府$|政府$|^[A-Za-z0-9.:/-]+$")
MIN_TITLE_CHARS = 6
GOVERNMENT_SITE = re.compile(r"([\u4e00-\u9fff]{2,30}?(?:人民政府|政府|行政公署))(?:门户网站|网站|网)?")
# Government sites tag every article page with its title, date and source (the State Council's
# 2017 guidelines for government websites: ArticleTitle, PubDate, ContentSource). The date is
# given the weakest label, so that a date the page shows wins.
TAGGED_FIELDS = {"pubdate": "日期", "contentsource": "来源"}
# lxml refuses control characters anywhere in a tree; a stray one must not cost the page.
XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")


def is_html(text: str) -> bool:
    """Tell whether *text* is an HTML document rather than plain text."""
    return bool(HTML_START.match(text)) or text.count("</p>") + text.count("</div>") >= 3


def extract_text(text: str) -> str:
    """Return the visible text of an HTML page, one block per line; plain text unchanged."""
    if not is_html(text):
        return text
    try:
        root = lxml.html.document_fromstring(XML_INCOMPATIBLE.sub("", text))
    except (etree.ParserError, ValueError):
        return text
    head_title = root.findtext(".//title") or ""
    tagged = _article_meta(root)
    for element in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _remove(element)
    for element in list(root.iter(*DROP_TAGS)):
        _remove(element)
    for element in list(root.iter()):
        if element.getparent() is not None and _is_chrome(element):
            _remove(element)
    chunks: list[str] = []
    _walk(root, chunks)
    lines = [line for line in (" ".join(line.split()) for line in "".join(chunks).split("\n")) if line]
    # Some pages state their title only in <title>, behind the site's name; it then leads the text.
    title = " ".join(tagged.get("articletitle", "").split()) or page_title(head_title)
    if title and not any(title in line for line in lines):
        lines.insert(0, title)
    # The date and source the page's tags give follow the text, so what the page shows comes first;
    # so does the site's name, which says whose portal the page stands on.
    lines += [f"{label}：{' '.join(tagged[name].split())}" for name, label in TAGGED_FIELDS.items()
              if tagged.get(name, "").strip()]
    site = " ".join(tagged.get("sitename", "").split()) or site_name(head_title)
    if site:
        lines.append(f"网站名称：{site}")
    return "\n".join(lines)


def _article_meta(root: etree._Element) -> dict[str, str]:
    """The <meta name=… content=…> tags of the page's <head>, by lower-case name."""
    return {(meta.get("name") or "").lower(): meta.get("content") or "" for meta in root.iter("meta")}


def page_title(head_title: str) -> str:
    """The article's part of a <title>: 关于…的报告-某县人民政府门户网站 → 关于…的报告."""
    parts = [" ".join(part.split()) for part in TITLE_SEPARATOR.split(head_title)]
    articles = [part for part in parts if len(part) >= MIN_TITLE_CHARS and not SITE_NAME.search(part)]
    return articles[0] if articles else ""


def site_name(head_title: str) -> str:
    """The government's part of a <title>: 关于…的报告-某县人民政府门户网站 → 某县人民政府."""
    names = (GOVERNMENT_SITE.fullmatch(" ".join(part.split())) for part in TITLE_SEPARATOR.split(head_title))
    return next((name.group(1) for name in names if name), "")


def _is_chrome(element: etree._Element) -> bool:
    if not isinstance(element.tag, str):
        return False
    marks = f"{element.get('class', '')} {element.get('id', '')} {element.get('role', '')}"
    if element.tag in ("body", "html", "main", "article"):
        return False
    if CHROME_ATTR.search(marks) or element.get("role") in ("navigation", "banner", "contentinfo"):
        return True
    # A block that is mostly links (a menu, a related-links box) is furniture.
    if element.tag in ("ul", "ol", "div", "table", "p", "header", "footer", "section"):
        links = element.findall(".//a")
        if len(links) >= LINK_HEAVY_MIN_LINKS:
            text = "".join(element.itertext()).strip()
            link_text = "".join("".join(a.itertext()) for a in links).strip()
            return bool(text) and len(link_text) >= LINK_HEAVY_SHARE * len(text)
    return False


def _walk(element: etree._Element, chunks: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "img":
        chunks.append("\n" + IMAGE_LINE + "\n")
    block = tag in BLOCK_TAGS
    if block:
        chunks.append("\n")
    if element.text:
        chunks.append(_inline(element.text))
    for child in element:
        _walk(child, chunks)
        if child.tail:
            chunks.append(_inline(child.tail))
    # A cell holding only a label labels the cell beside it: 发布机构 | 某局. (Only a known label: the
    # header cells of a report's own table, 序号 | 单位, are no labels.)
    if tag in CELL_TAGS and chunks and is_label(chunks[-1]) and not chunks[-1].rstrip().endswith(("：", ":")):
        chunks.append("：")
    if tag in CELL_TAGS:
        chunks.append(" ")
    if block:
        chunks.append("\n")


def _inline(text: str) -> str:
    """Collapse source line breaks inside a block as a browser does (none between Han characters)."""
    return WHITESPACE.sub(" ", CJK_BREAK.sub("", text))


def _remove(element: etree._Element) -> None:
    """Remove *element* but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)
