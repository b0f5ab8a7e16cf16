"""Blocks → front-matter fields: who reports, on which year, of what kind, published when and by whom.

Each field is read from where the page states it; the author is found by ``author``, the kind by
``doctype``. A field that rests on weak evidence, or that the page does not state at all, is listed
in ``review`` instead of being guessed silently: the archive publishes only what it can back from
the page.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..archive import places
from .author import (BODY_SCAN_CHARS, NATIONAL, PLACEHOLDER, TOWNSHIP_GOVERNMENT, Body, reporting_body,
                     unplaced_level)
from .doctype import doc_type as classify
from .dates import DATE, parse_date
from .doctype import LAW_WORDS
from .labels import TITLE_KEYS
from .structure import OTHER_TITLE_KEY, TITLE_END, TITLE_NOUNS, Block

YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")
OPENING_YEAR = re.compile(r"^((?:19|20)\d\d)\s*(?:年(?:度|以来)?(?:\s*[,，、]|(?=[\u4e00-\u9fff]))|(?:度|以来)?\s*[,，、])")
REPORT_YEAR_PHRASE = re.compile(r"现将[^，。\d]{0,8}?((?:19|20)\d\d)\s*年度?.{0,24}?(?:报告|汇报)如下")
# The first section of a report names its year: 一、2022年法治政府建设主要举措和成效, 一、2024年工作回顾.
SECTION_YEAR = re.compile(r"^[一1][、.．]\s*((?:19|20)\d\d)\s*年度?")
# A news item names the report it is about: 审议《某市人民政府关于2023年度法治政府建设情况的报告》.
REPORTED_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?[^，。；、\d]{0,16}?法治政府建设[^，。；]{0,12}?报告")
YEAR_NOISE = re.compile(r"(?:19|20)\d\d\s*[-—–~至]\s*(?:19|20)\d\d|[〔\[（(](?:19|20)\d\d[〕\]）)]")
DATE_KEYS = ("发布时间", "发布日期", "成文日期", "发文日期", "印发日期", "生成日期", "日期", "时间", "更新时间")
PUBLISHER_KEYS = ("发布机构", "发文机关", "发文机构", "发布机关", "发布单位", "发文单位", "所属机构")
SOURCE_KEYS = ("来源", "信息来源", "文章来源", "稿件来源", "作者")
OWNER_KEYS = ("主办单位", "主办", "版权所有")
_OUTLETS = r"(?:网|报|日报|晚报|杂志|杂志社|电视台|广播电视台|新闻社|通讯社|客户端|融媒体中心)"
MEDIA = re.compile(rf"[\u4e00-\u9fff]{{2,12}}{_OUTLETS}|新华社|中新社")
# A page's news of an issue names who issued it: 近日，市委、市政府印发了《…》.
ISSUED_BY = re.compile(r"^(?:近日|日前|\d{1,2}月\d{1,2}日)[,，]([\u4e00-\u9fff、]{2,30}?)(?:联合)?印发了?《")
# A byline that names its outlet: 某某客户端记者 某某.
OUTLET = re.compile(rf"^([\u4e00-\u9fff]{{2,12}}{_OUTLETS})(?:记者|讯|消息|通讯员)")
RUN_IN_TITLE = re.compile(r"([\u4e00-\u9fff]{2,30}?关于(?:19|20)\d\d[^。，,]{4,40}?(?:报告|通知|方案))"
                          r"(?=(?:19|20)\d\d\s*年|一、)")
# An article's author before its title: 中共某省委全面依法治省委员会办公室：强化述法工作…
AUTHOR_PREFIX = re.compile(r"^([\u4e00-\u9fff]{2,30}?)[:：]")
# A page that re-posts a document under a headline naming it: 《…实施纲要(2021-2025年)》出台!
REPOSTED = re.compile(r"^《([^》]{6,60})》(?:出台|发布|印发|公布|全文|正式实施|正式印发)[!！]?$")
# Central bodies issue documents too, named without a place.
CENTRAL = re.compile(r"中共中央|国务院|全国人民代表大会(?:常务委员会)?|中央全面依法治国委员会(?:办公室)?|中央依法治国办")
# An editor's note above the report: 导读：按照…要求，现将…予以公布。
EDITORS_NOTE = re.compile(r"(?:导读|编者按|编者的话|摘要|内容提要)\s*[:：]")
TOWNSHIP_TITLE = re.compile(r"[\u4e00-\u9fff]{2,14}(?:镇|乡|街道)\s*(?:19|20)\d\d")
# A body named as at home, by its level only: 省住房和城乡建设厅, 市司法局, 县政府办公室.
HOME_LEVELS = "省市州盟县区旗"
# Whom a notice or report is addressed to: 各乡镇人民政府，县直有关单位： / 区委、区政府：
ADDRESSEES = re.compile(r"(?!.*如下)[^。]{2,80}[:：]")
# A year range is a plan's period, (2021-2025年); its first year is the year the plan starts.
YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*[-—–~至]\s*(?:19|20)\d\d")
# Lines that a page's layout put where a title stands but that are not one.
NOT_A_TITLE = re.compile(r"[>|]|^[\u4e00-\u9fff]{1,6}[:：]|〔(?:19|20)\d\d〕\d+号|^(?:发文|发布|成文)")
ORG_NAME = re.compile(r"[\u4e00-\u9fff]{2,30}(?:人民政府|政府|办公室|办公厅|委员会|县委|市委|区委|州委|党组|局|厅|部|署|办事处"
                      r"|行政公署|街道|中心|院|办)")

SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
SUMMARY_CHARS = 120


@dataclass(frozen=True, slots=True)
class Metadata:
    """Front-matter fields read from a report's blocks."""
    title: str
    place: str
    place_level: str
    year: int
    parent: str | None
    province: str | None
    adcode: str | None
    published: date | None
    publisher: str | None
    byline: str | None
    doc_type: str
    summary: str
    review: tuple[str, ...]


def extract_metadata(blocks: Sequence[Block]) -> Metadata:
    """Return the metadata of a report from its blocks."""
    meta = _meta_values(blocks)
    # A title line wins; a public-information table may be the only place that names it.
    title = next((b.text for b in blocks if b.kind == "title"), "") or \
        next(iter(_values(meta, TITLE_KEYS)), "")
    title = REPOSTED.sub(r"\1", title)
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    if not title and (run_in := RUN_IN_TITLE.search(paragraphs[0][:200] if paragraphs else "")):
        title = run_in.group(1)          # a page saved without line breaks: 某省人民政府关于2023年…报告2023年，…
    body_text = "\n".join(b.lead + b.text for b in blocks if b.kind in ("paragraph", "heading"))
    signature = [b.text for b in blocks if b.kind == "signature"]
    opening = next((p for p in paragraphs if not EDITORS_NOTE.match(p) and not ADDRESSEES.fullmatch(p)), "")
    published = _published(meta, signature)
    publisher = _publisher(title, meta, signature, opening) or _outlet(paragraphs[:3])
    doc_type, type_confident = classify(title, opening, body_text, blocks)
    author = reporting_body(title, meta, opening, signature, body_text)
    year, year_confident = _year(title, opening, paragraphs[:3], body_text, published, doc_type)
    body = author.body
    if publisher is None and body is not None:
        publisher = _short_source(meta, body)
    partial = publisher is not None and publisher[0] in HOME_LEVELS      # 省住房和城乡建设厅, 市司法局
    if partial and body is not None and body.name.endswith(publisher[1:]) and body.name != publisher:
        publisher, partial = body.name, not author.confident
    review = []
    if partial:
        review.append("publisher")      # named as at home, without its government
    if not partial and publisher is None and (_title_issuer(title, r"(?:19|20)\d\d\s*年") or TOWNSHIP_TITLE.match(title)
                              or any(ORG_NAME.fullmatch(value) for value in _values(meta, SOURCE_KEYS))
                              or author.body is None and (not type_confident or doc_type != "annual_report")):
        # The title starts with a place, the source names a body without its government (来源：
        # 司法局), or nobody is named as author: the issuer may be there, in no form to state.
        review.append("publisher")
    if not title:
        title = synthesise_title(body.name if body and author.confident else "", year, doc_type)
        review.append("title")
    elif NOT_A_TITLE.search(title) or not TITLE_NOUNS.search(title) or meta.get(OTHER_TITLE_KEY) \
            or _rival_title(title, blocks):
        review.append("title")
    if body is None:
        body = Body(name="未识别", level=unplaced_level(body_text))
        review.append("place")
    elif not author.confident or (doc_type == "other" or not type_confident) and not author.named:
        review.append("place")      # a page about something else names places it is not by
    elif not author.parent_known:
        review += ["parent", "province"]
    if not year_confident:
        review.append("year")
    if not type_confident:
        review.append("doc_type")

    return Metadata(
        title=title, place=body.name, place_level=body.level, year=year, parent=body.parent,
        province=body.province, adcode=body.adcode, published=published, publisher=publisher,
        byline=_byline(blocks, meta), doc_type=doc_type, summary=summarise(opening),
        review=tuple(review))


def synthesise_title(place: str, year: int, doc_type: str) -> str:
    """Return a title in the usual form for a report that has none."""
    if doc_type == "annual_report":
        return f"{place}{year}年法治政府建设情况报告"
    return f"{place}{year}年法治政府建设工作情况"


def summarise(opening: str) -> str:
    """Return the first sentence or two of the lead, at most SUMMARY_CHARS characters."""
    summary = ""
    for sentence in SENTENCE.findall(opening):
        if summary and len(summary) + len(sentence) > SUMMARY_CHARS:
            break
        summary += sentence
        if len(summary) >= SUMMARY_CHARS / 2:
            break
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS - 1] + "…"
    return summary


# --- year, date, publisher, type ----------------------------------------------------------

def _year(title: str, opening: str, lead: Sequence[str], body_text: str, published: date | None,
          doc_type: str) -> tuple[int, bool]:
    if PLACEHOLDER.search(title + opening[:100]):
        return date.today().year, False            # a sample text's year is a placeholder too
    if doc_type == "work_plan" and (match := YEAR_RANGE.search(title)):
        return int(match.group(1)), True
    match = YEAR.search(YEAR_NOISE.sub("", title))
    if match:
        return int(match.group(1)), True
    match = OPENING_YEAR.match(opening)
    if match:
        return int(match.group(1)), True
    for paragraph in lead:
        match = REPORT_YEAR_PHRASE.search(paragraph)
        if match:
            return int(match.group(1)), True
    for line in body_text.splitlines()[:6]:
        match = SECTION_YEAR.match(line)
        if match:
            return int(match.group(1)), True
    if doc_type == "news" and (match := REPORTED_YEAR.search(body_text[:BODY_SCAN_CHARS])):
        return int(match.group(1)), True
    if published and doc_type in ("news", "feature"):
        return published.year, True        # news covers the year it reports on
    if published and doc_type in ("other", "work_plan"):
        # A notice or another document covers the year it is issued, when it says what it is.
        return published.year, bool(title and TITLE_NOUNS.search(title))
    if published:
        # Annual reports appear early in the following year.
        return (published.year - 1 if published.month <= 6 else published.year), False
    counted = Counter(int(y) for y in YEAR.findall(YEAR_NOISE.sub("", body_text)))
    if counted:
        return counted.most_common(1)[0][0], False
    return date.today().year, False


def _published(meta: dict[str, list[str]], signature: list[str]) -> date | None:
    for key in DATE_KEYS:
        for value in meta.get(key, []):
            parsed = parse_date(value)
            if parsed:
                return parsed
    for line in signature:
        compact = line.replace(" ", "")
        parsed = parse_date(compact) or parse_date(re.sub(r"^(\d{4})(\d{1,2}月)", r"\1年\2", compact))
        if parsed:
            return parsed
    return None


def _publisher(title: str, meta: dict[str, list[str]], signature: list[str], opening: str) -> str | None:
    # The body that signs a report, or names itself in its title, issued it; the page's 发布机构
    # or 来源 may name only the office that put it online (某省人民政府办公厅, 某区司法局).
    for line in signature:
        if ORG_NAME.fullmatch(line):
            return line
    prefix = AUTHOR_PREFIX.match(title)
    if prefix and _is_organisation(prefix.group(1)):
        return prefix.group(1)
    by_title = _title_issuer(title, "关于") or _title_issuer(title, r"(?:19|20)\d\d\s*年", places_too=False)
    if by_title:
        # The page's 发布机构 may give the same body its full name: 乌镇镇人民政府 → 桐乡市乌镇镇人民政府.
        return next((v for v in _values(meta, PUBLISHER_KEYS) if v.endswith(by_title) and _is_organisation(v)),
                    by_title)
    for value in _values(meta, PUBLISHER_KEYS):
        if _is_organisation(value):
            return value.split()[0]
    news = ISSUED_BY.match(opening)
    if news:
        return news.group(1)
    for value in _values(meta, SOURCE_KEYS):
        for token in reversed(re.split(r"[\s·•●|/、]+", value.replace("《", " ").replace("》", " "))):
            if _is_organisation(token):
                return token
    for value in _values(meta, OWNER_KEYS):
        first = value.split()[0] if value.split() else ""
        if _is_organisation(first):
            return first
    for value in meta.get("日期", []):       # a date line that names its outlet: 新华社·2025-10-28
        rest = DATE.sub(" ", value).replace("·", " ").split()
        if rest and _is_organisation(rest[0]):
            return rest[0]
    return None


def _rival_title(title: str, blocks: Sequence[Block]) -> bool:
    """The first lines of the text give the document another title than the page's (a site's
    listing title, then the document's own heading)."""
    own = "".join(title.split())
    for block in [b for b in blocks if b.kind in ("heading", "paragraph")][:4]:
        text = "".join(block.text.split())
        if text != own and len(text) <= 60 and TITLE_END.search(text) and LAW_WORDS.search(text) \
                and not text.endswith("。"):
            return True
    return False


def _outlet(lines: Sequence[str]) -> str | None:
    """The outlet a news item's byline names: 某某客户端记者 某某 → 某某客户端."""
    for line in lines:
        match = OUTLET.match(line)
        if match:
            return match.group(1)
    return None


def _title_issuer(title: str, follows: str, places_too: bool = True) -> str | None:
    """The body or bodies a title starts with: 中共某县委 某县人民政府 关于…, 某县司法局2025年…"""
    issuer = re.match(rf"(.{{2,40}}?){follows}", title)
    if not issuer:
        return None
    orgs = [org for org in re.split(r"[\s、]+", issuer.group(1).strip()) if org]
    if orgs and all(_is_organisation(org) or org.startswith(tuple("省市州县区")) and ORG_NAME.fullmatch(org)
                    or places_too and (found := places.find_mentions(org)) and found[0].name == org for org in orgs):
        return "、".join(orgs)
    return None


def _short_source(meta: dict[str, list[str]], body: Body) -> str | None:
    """A source named as its government calls it at home (市司法局, 县政府办公室), completed with the
    name of the government the report is about when that is of the same kind (襄阳市 + 司法局)."""
    if body.level in ("department", "township"):
        return None
    for value in _values(meta, SOURCE_KEYS):
        token = value.split()[0] if value.split() else ""
        if len(token) > 1 and token[0] in "省市州盟县区旗" and body.name.endswith(token[0]) \
                and ORG_NAME.fullmatch(token):
            return body.name + token[1:]
    return None


def _is_organisation(text: str) -> bool:
    """A named government body or media outlet, not a section such as 秘书科."""
    text = text.strip()
    if not text or len(text) > 40:
        return False
    if MEDIA.fullmatch(text) or NATIONAL.fullmatch(text) or CENTRAL.fullmatch(text):
        return True
    return bool(ORG_NAME.fullmatch(text) and (places.find_mentions(text) or TOWNSHIP_GOVERNMENT.search(text)))


def _byline(blocks: Sequence[Block], meta: dict[str, list[str]]) -> str | None:
    names = [b.text for b in blocks if b.kind == "byline"]
    names += [v for v in meta.get("作者", []) if not _is_organisation(v)]
    return "；".join(dict.fromkeys(names)) or None


def _meta_values(blocks: Sequence[Block]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for block in blocks:
        if block.kind == "meta":
            values.setdefault(block.key, []).append(block.text)
    return values


def _values(meta: dict[str, list[str]], keys: Sequence[str]) -> list[str]:
    return [value for key in keys for value in meta.get(key, [])]
