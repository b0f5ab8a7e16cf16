"""Blocks → front-matter fields: who reports, on which year, published when and by whom.

Evidence is weighed by where it stands, because a report names many places in passing
(宝丰县, 渝中区, 西南政法大学) and only one reporting body: the title first, then the page's
metadata block (an index number starts with the administrative code), then the subject of
the opening sentence and the signature, then whose portal the page stands on (the footer's
网站标识码, the site's name in <title>), and only last how often the body names a place —
and then only places of the kind the report calls itself (我市, 我县, 我区 …).
A field that rests on weak evidence is listed in ``review`` instead of being guessed silently.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .. import places
from ..places import Place
from .labels import TITLE_KEYS
from .structure import DATE, Block, arabic_date

# --- the reporting body ---------------------------------------------------------------------

WEIGHT_TITLE = 10
WEIGHT_INDEX_CODE = 8
WEIGHT_PUBLISHER = 6
WEIGHT_SIGNATURE = 6
WEIGHT_OPENING = 5
WEIGHT_SITE = 3          # the portal's owner: a county's report may stand on its city's portal
WEIGHT_BODY = 1
CONFIDENT_SCORE = 5      # below this the place is listed for review
SELF_MISMATCH = 0.3      # a 县 in a report that says 我市 is probably mentioned in passing

# How a report refers to itself, and the gazetteer levels each self-reference allows.
SELF_REFERENCES = {
    "市": (("我市", "全市", "本市"), ("prefecture_city", "county_city", "municipality")),
    "县": (("我县", "全县", "本县", "我旗", "全旗"), ("county",)),
    "区": (("我区", "全区", "本区"), ("district", "province")),
    "省": (("我省", "全省", "本省"), ("province",)),
}
# For a body never named: the likeliest level its self-reference allows (我区 is mostly a district,
# though a 自治区 also says it; 我市 may be of any of three levels and says nothing).
UNPLACED_LEVELS = ("county", "district")
DEPARTMENT_SELF = ("我厅", "我局", "我委", "我部", "本部门", "我办", "全厅", "全局系统", "本局")
TOWNSHIP_SELF = ("我街道", "全街道", "我镇", "全镇", "我乡", "全乡", "本街道")

# National bodies report too; they have no place in the gazetteer (devset 13: 司法部).
NATIONAL_BODIES = (
    "国务院办公厅", "外交部", "国防部", "国家发展和改革委员会", "教育部", "科学技术部", "工业和信息化部",
    "国家民族事务委员会", "公安部", "国家安全部", "民政部", "司法部", "财政部", "人力资源和社会保障部",
    "自然资源部", "生态环境部", "住房和城乡建设部", "交通运输部", "水利部", "农业农村部", "商务部",
    "文化和旅游部", "国家卫生健康委员会", "退役军人事务部", "应急管理部", "中国人民银行", "审计署",
    "国务院国有资产监督管理委员会", "海关总署", "国家税务总局", "国家市场监督管理总局",
    "国家金融监督管理总局", "中国证券监督管理委员会", "国家广播电视总局", "国家体育总局", "国家统计局",
    "国家国际发展合作署", "国家医疗保障局", "国家机关事务管理局", "国家知识产权局", "国家移民管理局",
    "国家林业和草原局", "国家药品监督管理局", "国家能源局", "国家烟草专卖局", "国家铁路局", "中国民用航空局",
    "国家邮政局", "国家文物局", "国家中医药管理局", "国家矿山安全监察局", "国家消防救援局", "国家外汇管理局",
    "国家数据局", "国家信访局", "国家粮食和物资储备局", "国家国防科技工业局", "国家保密局",
    "中国气象局", "中国地震局", "国家航天局", "国家原子能机构", "国家档案局", "国家密码管理局", "国家乡村振兴局",
    "中国银行保险监督管理委员会", "国家新闻出版署", "国家电影局", "国家宗教事务局", "国家公务员局",
    "国家互联网信息办公室", "国家疾病预防控制局", "国家版权局", "国务院参事室", "国务院研究室",
)
NATIONAL = re.compile("(?:中华人民共和国)?(" + "|".join(sorted(NATIONAL_BODIES, key=len, reverse=True)) + ")")
# What may follow a place name to make a body of its government; the stem excludes words
# that end a phrase rather than a name (年, 的, 关于 …).
# 和 only inside a name: 人力资源和社会保障局, 住房和城乡建设局, 发展和改革委员会.
_STEM = r"(?!和)(?:(?!关于|年|的|在|与|及|对|将|把|为|等|是)[\u4e00-\u9fff]){1,12}?"
DEPARTMENT_AFTER = re.compile(rf"(?:人民政府)?({_STEM}(?:厅|局|委员会|办公室|办公厅|中心|总队|支队))")
TOWNSHIP_AFTER = re.compile(r"((?:(?!关于|年|的)[\u4e00-\u9fff]){1,6}?(?:街道办事处|街道|镇人民政府|乡人民政府|镇|乡))"
                            r"(?=\d|关于|法治|年|$|[（(])")
# Townships are not in the gazetteer, so their governments are known by their form alone.
TOWNSHIP_GOVERNMENT = re.compile(r"[\u4e00-\u9fff]{2,6}(?:[镇乡]人民政府|街道办事处)$")
GOVERNMENT_AFTER = re.compile(r"人民政府|政府")
ABBREVIATED_DEPARTMENT = re.compile(r"(?:^|[，,、\s])([省市县区])((?:(?!关于|年|的)[\u4e00-\u9fff]){2,10}?(?:厅|局|委员会))(?=坚持|深入|认真|以|围绕|始终|全面|紧紧)")
INDEX_CODE = re.compile(r"\d{6,}")
# How often the body names a place is weak evidence; its first pages say as much as the rest.
BODY_SCAN_CHARS = 40_000
OPENING_SPAN = 60        # the opening sentence's subject stands within its first characters

# --- year, date, type -----------------------------------------------------------------------

YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?")
OPENING_YEAR = re.compile(r"^((?:19|20)\d\d)\s*年?(?:度|以来)?\s*[,，、]")
REPORT_YEAR_PHRASE = re.compile(r"现将((?:19|20)\d\d)\s*年度?.{0,20}?报告如下")
# A news item names the report it is about: 审议《某市人民政府关于2023年度法治政府建设情况的报告》.
REPORTED_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度?[^，。；、\d]{0,16}?法治政府建设[^，。；]{0,12}?报告")
YEAR_NOISE = re.compile(r"(?:19|20)\d\d\s*[-—–~至]\s*(?:19|20)\d\d|[〔\[（(](?:19|20)\d\d[〕\]）)]")
DATE_KEYS = ("发布时间", "发布日期", "成文日期", "发文日期", "印发日期", "生成日期", "日期", "时间", "更新时间")
PUBLISHER_KEYS = ("发布机构", "发文机关", "发文机构", "发布机关", "发布单位", "发文单位", "所属机构")
SOURCE_KEYS = ("来源", "信息来源", "文章来源", "稿件来源", "作者")
OWNER_KEYS = ("主办单位", "主办", "版权所有")
MEDIA = re.compile(r"[\u4e00-\u9fff]{2,12}(?:网|报|日报|晚报|杂志|杂志社|电视台|广播电视台|新闻社|通讯社)")
ORG_NAME = re.compile(r"[\u4e00-\u9fff]{2,30}(?:人民政府|政府|办公室|办公厅|委员会|局|厅|部|署|办事处|行政公署|街道|中心|院|办)")

DOC_TYPE_RULES = (   # first match on the title wins
    ("work_plan", re.compile(r"(?:工作)?要点|工作计划|实施方案|规划(?!.*报告)")),
    ("annual_report", re.compile(r"报告|年度.*(?:情况|总结)|工作总结")),
    ("feature", re.compile(r"综述|巡礼|纪实|侧记|访谈|专访|观察|之路|回眸")),
    ("news", re.compile(r"召开|部署|举行|举办|开展|启动|出席|调研|会议|座谈|培训班|揭牌|通报|获评|入选"
                        r"|督[察查]|检查|考核|验收")),
)
# A headline: who did what, the report only its object (柳州市发布2022年度…报告, 某县召开常务会议审议…报告,
# …情况报告全部向社会公开), or a place that calls itself 我省 (a report's own title never does).
NEWS_HEADLINE = re.compile(r"^(?!关于)[^关，,。：:]{2,20}?(?:召开|举行|审议|听取|发布|公布|部署)"
                           r"|报告[^，,。]{0,8}(?:公开|公布|发布|出炉|晒出)$|^我(?:省|区|市|州|盟|县|旗)")
DATELINE = re.compile(r"^\S{2,16}?\d{1,2}月\d{1,2}日电|^本报讯|^【[^】]{1,20}】\S{0,10}讯")
REPORT_CUES = re.compile(r"报告如下|现将.{0,30}报告|存在的(?:主要)?问题|存在的不足|下一步|工作(?:思路|打算|安排)")
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
SUMMARY_CHARS = 120


@dataclass(frozen=True, slots=True)
class Body:
    """The reporting body as identified."""
    name: str
    level: str
    adcode: str | None = None
    parent: str | None = None
    province: str | None = None


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
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    body_text = "\n".join(b.lead + b.text for b in blocks if b.kind in ("paragraph", "heading"))
    signature = [b.text for b in blocks if b.kind == "signature"]
    opening = paragraphs[0] if paragraphs else ""
    published = _published(meta, signature)
    publisher = _publisher(title, meta, signature)
    doc_type = _doc_type(title, opening, body_text, blocks)
    body, place_confident = _reporting_body(title, meta, opening, signature, body_text, publisher)
    year, year_confident = _year(title, opening, paragraphs[:3], body_text, published, doc_type)
    if publisher is None and body is not None:
        publisher = _short_source(meta, body)
    review = []
    if not title:
        title = synthesise_title(body.name if body else "", year, doc_type)
        review.append("title")
    if body is None:
        review.append("place")
        body = Body(name="未识别", level=_unplaced_level(body_text))
    elif not place_confident:
        review.append("place")
    if not year_confident:
        review.append("year")
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


# --- reporting body -------------------------------------------------------------------------

def _reporting_body(title: str, meta: dict[str, list[str]], opening: str, signature: list[str],
                    body_text: str, publisher: str | None) -> tuple[Body | None, bool]:
    for text in (title, opening[:OPENING_SPAN]):
        national = NATIONAL.search(text)
        if national and (text is title or national.start() <= 12):
            return Body(name=national.group(1), level="department"), True

    scores: Counter[str] = Counter()
    found: dict[str, Place] = {}

    def weigh(text: str, weight: float, first_only: bool = False) -> None:
        for chain in _chains(text)[:1] if first_only else _chains(text):
            place = chain[-1]
            found[place.adcode] = place
            scores[place.adcode] += weight

    weigh(title, WEIGHT_TITLE)
    for code in _index_codes(meta):
        found[code.adcode] = code
        scores[code.adcode] += WEIGHT_INDEX_CODE
    for code in _site_codes(meta):
        found[code.adcode] = code
        scores[code.adcode] += WEIGHT_SITE
    for value in meta.get("网站名称", []):
        weigh(value, WEIGHT_SITE, first_only=True)
    for value in _values(meta, PUBLISHER_KEYS):
        weigh(value, WEIGHT_PUBLISHER, first_only=True)
    for line in signature:
        weigh(line, WEIGHT_SIGNATURE, first_only=True)
    weigh(_opening_subject(opening), WEIGHT_OPENING, first_only=True)
    weigh(body_text[:BODY_SCAN_CHARS], WEIGHT_BODY)

    allowed = _self_levels(body_text)
    ranked = sorted(found, key=lambda code: (-_adjusted(scores[code], found[code], allowed), code))
    if not ranked:
        return _abbreviated_department(opening, publisher), False
    best = found[ranked[0]]
    score = _adjusted(scores[best.adcode], best, allowed)
    body = _government_body(best)
    unit = _sub_unit(best, title) or _township_of(best, title, signature) \
        or _sub_unit(best, _opening_subject(opening))
    if unit:
        body = unit
    elif _department_self(body_text):
        department = _abbreviated_department(opening, publisher)
        if department and department.province == body.province:
            body = department
    return body, score >= CONFIDENT_SCORE


def _chains(text: str) -> list[tuple[Place, ...]]:
    """Return runs of adjacent mentions (汉中市汉台区 is one run), each resolved top-down."""
    mentions = places.find_mentions(text)
    context = [c for m in mentions for c in m.candidates]
    runs: list[list] = []
    for mention in mentions:
        if runs and runs[-1][-1].end == mention.start:
            runs[-1].append(mention)
        else:
            runs.append([mention])
    chains = []
    for run in runs:
        chain: list[Place] = []
        for mention in run:
            place = places.resolve(mention.name, chain + context)
            if place is not None:
                chain.append(place)
        if chain:
            chains.append(tuple(chain))
    return chains


def _index_codes(meta: dict[str, list[str]]) -> list[Place]:
    """Places named by an index number: 330782000000/2024-… or a credit code 11330782…"""
    found = []
    for value in _values(meta, ("信息索引号", "索引号", "编号")):
        digits = INDEX_CODE.match(value.strip())
        if not digits:
            continue
        number = digits.group(0)
        for code in (number[:6], number[2:8] if number.startswith("11") else ""):
            place = places.by_code(code) if code else None
            if place is not None:
                found.append(place)
                break
    return found


def _site_codes(meta: dict[str, list[str]]) -> list[Place]:
    """The division whose portal the page stands on: 网站标识码 3607000001 → 360700 赣州市."""
    return [place for value in meta.get("网站标识码", []) if (place := places.by_code(value[:6]))]


def _opening_subject(opening: str) -> str:
    """Return the part of the opening sentence where its subject stands (after 20XX年,)."""
    head = opening[:OPENING_SPAN]
    match = OPENING_YEAR.match(head)
    return head[match.end():] if match else head


def _self_levels(body_text: str) -> set[str] | None:
    """The levels a report's way of naming itself allows (我县 → county), None when it never does."""
    counts = {key: sum(body_text.count(word) for word in words)
              for key, (words, _) in SELF_REFERENCES.items()}
    key, count = max(counts.items(), key=lambda item: item[1])
    return set(SELF_REFERENCES[key][1]) if count >= 2 else None


def _unplaced_level(body_text: str) -> str:
    """The level of a body the text never names: what it calls itself says that much (我区)."""
    if _department_self(body_text):
        return "department"
    levels = _self_levels(body_text) or set()
    return next((level for level in UNPLACED_LEVELS if level in levels), "other")


def _department_self(body_text: str) -> bool:
    return sum(body_text.count(word) for word in DEPARTMENT_SELF) >= 2


def _adjusted(score: float, place: Place, allowed: set[str] | None) -> float:
    return score if allowed is None or place.level in allowed else score * SELF_MISMATCH


def _government_body(place: Place) -> Body:
    province = places.province_of(place)
    parent = places.parent_of(place) if place.level in places.COUNTY_LEVELS else None
    return Body(name=place.name, level=place.level, adcode=place.adcode,
                parent=parent.name if parent else None, province=province.name if province else None)


def _sub_unit(place: Place, text: str) -> Body | None:
    """A department or township named right after its government (贵州省生态环境厅, 恩施州司法局)."""
    mention = next((m for m in places.find_mentions(text) if place in m.candidates), None)
    if mention is None:
        return None
    rest = text[mention.end:]
    province = places.province_of(place)
    province_name = province.name if province else None
    if rest.startswith(("人民政府", "政府")) and not DEPARTMENT_AFTER.match(rest[4:] if rest.startswith("人民政府") else rest[2:]):
        return None
    township = TOWNSHIP_AFTER.match(rest)
    if township and place.level in ("county", "county_city", "district"):
        return Body(name=_township_name(township.group(1)), level="township", adcode=place.adcode,
                    parent=place.name, province=province_name)
    department = DEPARTMENT_AFTER.match(rest)
    if department:
        name = rest[:department.end()]
        return Body(name=mention.name + name, level="department", adcode=place.adcode,
                    parent=place.name, province=province_name)
    return None


def _township_of(place: Place, title: str, signature: list[str]) -> Body | None:
    """A township below *place* that the title names without its county (观澜街道2024年…报告) or
    the signature names in full (深圳市龙华区观澜街道办事处): the gazetteer has no townships."""
    if place.level not in places.COUNTY_LEVELS:
        return None
    named = TOWNSHIP_AFTER.match(title)
    if named and not places.find_mentions(named.group(1)):
        name = named.group(1)
    else:
        units = (_sub_unit(place, line) for line in signature)
        name = next((unit.name for unit in units if unit and unit.level == "township"), "")
    if not name:
        return None
    province = places.province_of(place)
    return Body(name=_township_name(name), level="township", adcode=place.adcode,
                parent=place.name, province=province.name if province else None)


def _township_name(name: str) -> str:
    """A township by its place name, not its government's: 金牛镇人民政府 → 金牛镇, 观澜街道办事处 → 观澜街道."""
    return re.sub(r"(?:办事处|人民政府)$", "", name)


def _abbreviated_department(opening: str, publisher: str | None) -> Body | None:
    """A body named only in short form in the opening (省生态环境厅), completed by the publisher."""
    if publisher and ORG_NAME.fullmatch(publisher):
        chains = _chains(publisher)
        if chains:
            unit = _sub_unit(chains[0][-1], publisher)
            if unit:
                return unit
    return None


# --- year, date, publisher, type ----------------------------------------------------------

def _year(title: str, opening: str, lead: Sequence[str], body_text: str, published: date | None,
          doc_type: str) -> tuple[int, bool]:
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
    if doc_type == "news" and (match := REPORTED_YEAR.search(body_text[:BODY_SCAN_CHARS])):
        return int(match.group(1)), True
    if published and doc_type in ("news", "feature"):
        return published.year, True        # a news item covers the year it reports on
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


def parse_date(text: str) -> date | None:
    """Return the first plausible calendar date in *text* (2021-03-27, 2021年3月27日, 2021/3/27)."""
    for match in DATE.finditer(arabic_date(text)):
        year, month, day = (int(g) for g in match.groups())
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if 1990 <= year <= date.today().year + 1:
            return found
    return None


def _publisher(title: str, meta: dict[str, list[str]], signature: list[str]) -> str | None:
    # The body that signs a report, or names itself in its title, issued it; the page's 发布机构
    # or 来源 may name only the office that put it online (某省人民政府办公厅, 某区司法局).
    for line in signature:
        if ORG_NAME.fullmatch(line):
            return line
    issuer = re.match(r"(.{2,30}?)关于", title)
    if issuer and _is_organisation(issuer.group(1)):
        return issuer.group(1)
    for value in _values(meta, PUBLISHER_KEYS):
        if _is_organisation(value):
            return value.split()[0]
    for value in _values(meta, SOURCE_KEYS):
        for token in reversed(re.split(r"[\s·•●|/、]+", value.replace("《", " ").replace("》", " "))):
            if _is_organisation(token):
                return token
    for value in _values(meta, OWNER_KEYS):
        first = value.split()[0] if value.split() else ""
        if _is_organisation(first):
            return first
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
    if MEDIA.fullmatch(text) or NATIONAL.fullmatch(text):
        return True
    return bool(ORG_NAME.fullmatch(text) and (places.find_mentions(text) or TOWNSHIP_GOVERNMENT.search(text)))


def _doc_type(title: str, opening: str, body_text: str, blocks: Sequence[Block]) -> str:
    rules = dict(DOC_TYPE_RULES)
    if NEWS_HEADLINE.search(title) and not rules["work_plan"].search(title) and not rules["feature"].search(title):
        return "news"
    for doc_type, pattern in DOC_TYPE_RULES:
        if title and pattern.search(title):
            if doc_type == "news" and REPORT_CUES.search(body_text):
                continue
            return doc_type
    if DATELINE.search(opening):
        return "news"
    if any(b.kind == "byline" for b in blocks):
        return "feature"
    if REPORT_CUES.search(body_text) or (OPENING_YEAR.match(opening) and "法治政府" in opening):
        return "annual_report"
    return "other" if title else "annual_report"


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
