"""Who wrote a report: a government, one of its departments or townships, or a national body.

A report names many places in passing (宝丰县, 渝中区, 西南政法大学) and only one author, so
evidence is weighed by where it stands (reporting_body). The author is *confident* only when the
page itself names it: in the title, the signature, the issuing line or the opening. A township or
department keeps the name the page gives it (金牛镇, 县司法局 completed as 潼关县司法局), and its
parent is *known* only when the page names its government too; otherwise ingest lists it for review.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..archive import places
from ..archive.places import Place

WEIGHT_TITLE = 10
WEIGHT_INDEX_CODE = 8
WEIGHT_PUBLISHER = 6
WEIGHT_SIGNATURE = 6
WEIGHT_OPENING = 5
WEIGHT_SITE = 3          # the portal's owner: a county's report may stand on its city's portal
WEIGHT_BODY = 1
CONFIDENT_SCORE = 5      # below this the place is listed for review
SELF_MISMATCH = 0.3      # a 县 named in a report that says 我市 is probably mentioned in passing

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
DEPARTMENT_SELF = ("我厅", "我局", "我委", "我部", "本部门", "我办", "全厅", "全局系统", "本局", "厅直", "厅机关", "局机关",
                   "局属", "报厅", "本厅")
TOWNSHIP_SELF = ("我街道", "全街道", "我镇", "全镇", "我乡", "全乡", "本街道", "本镇")
# A sample text (范文) names no author: xx县, XX市, 某县, *区, ××局.
PLACEHOLDER = re.compile(r"(?:[xX×＊*]{1,4}|某)[省市州县区旗镇乡局]|[xX×]{2,4}年")

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
# that end a phrase rather than a name (年, 的, 关于 …). 和 only inside a name:
# 人力资源和社会保障局, 住房和城乡建设局, 发展和改革委员会.
_STEM = r"(?!和)(?:(?!关于|年|的|在|与|及|对|将|把|为|等|是)[\u4e00-\u9fff]){1,12}?"
DEPARTMENT_SUFFIX = r"(?:厅|局|委员会|办公室|办公厅|中心|总队|支队)"
DEPARTMENT_AFTER = re.compile(rf"(?:人民政府|政府)?({_STEM}{DEPARTMENT_SUFFIX}|办公室|办公厅)")
_TOWN = r"(?:(?!关于|年|的|在|我|全|本|各|和)[\u4e00-\u9fff]){1,6}?"
TOWNSHIP_AFTER = re.compile(rf"(?:人民政府|政府)?({_TOWN}(?:街道办事处|街道|镇人民政府|乡人民政府|镇|乡))"
                            r"(?=\d|关于|法治|年|$|[（(\s]|在|坚持|深入|认真|紧紧|始终|全面|立足|以|党|工委|工作委员会|办事处|人民政府)")
# Townships are not in the gazetteer, so their governments are known by their form alone.
TOWNSHIP_GOVERNMENT = re.compile(r"[\u4e00-\u9fff]{2,6}(?:[镇乡]人民政府|街道办事处)$")
TOWNSHIP_NOT_A_NAME = re.compile(r"(?:城|乡|村|集|小|各|县|市|区|城乡|乡镇|重点|全|本|我)(?:镇|乡|街道)")
# A body the opening names in its short form: 县司法局在县委…, 省生态环境厅坚持…
SHORT_DEPARTMENT = re.compile(rf"^([省市州盟县区旗])((?:(?!关于|年|的|和|在)[\u4e00-\u9fff]){{1,12}}?{DEPARTMENT_SUFFIX})"
                              r"(?=在|坚持|深入|认真|以|围绕|始终|全面|紧紧|按照|严格|结合|立足|高度|党组|\d|$)")
SHORT_LEVELS = {"省": ("province", "municipality"), "市": ("prefecture_city", "county_city", "municipality"),
                "州": ("prefecture",), "盟": ("prefecture",), "县": ("county", "county_city"),
                "区": ("district",), "旗": ("county",)}
# Phrases before the opening's subject: 2021年，在县委的领导下，…
OPENING_LEAD = re.compile(r"^(?:(?:19|20)\d\d\s*年?(?:度|以来)?\s*[,，、]?\s*)?(?:今年以来[,，]?)?"
                          r"(?:在[^。；]{0,60}?(?:领导|指导|支持|关心|监督)[^。；,，]{0,8}[,，]\s*)*")
INDEX_CODE = re.compile(r"\d{6,}")
# What a title names in 《》 is its object (关于《某县人民政府关于…的报告》的解读), not its author.
OBJECT = re.compile(r"《[^》]*》")
BODY_SCAN_CHARS = 40_000
OPENING_SPAN = 60        # the opening sentence's subject stands within its first characters


@dataclass(frozen=True, slots=True)
class Body:
    """The reporting body as identified."""
    name: str
    level: str
    adcode: str | None = None
    parent: str | None = None
    province: str | None = None


@dataclass(frozen=True, slots=True)
class Author:
    """The reporting body, and how sure ingest is of it."""
    body: Body | None
    confident: bool = False
    parent_known: bool = True
    """False when a township's or department's government was inferred, not read."""
    named: bool = False
    """True when the title, signature or issuing line names the author, not only the opening."""


def reporting_body(title: str, meta: dict[str, list[str]], opening: str, signature: list[str],
                   body_text: str) -> Author:
    """Identify who wrote the report from where places stand on the page.

    The title weighs most, then the page's metadata block (an index number starts with the
    administrative code), the signature and the subject of the opening sentence; then whose portal
    the page stands on (the footer's 网站标识码, the site's name); and last how often the body names
    a place of the kind the report calls itself (我市, 我县 …).
    """
    if PLACEHOLDER.search(title + opening[:200]):
        return Author(None)                 # a sample text: whatever it names is not its author
    subject = opening_subject(opening)
    for text in (title, subject):
        national = NATIONAL.search(text)
        if national and (text is title or national.start() <= 2):
            return Author(Body(name=national.group(1), level="department"), confident=True,
                          named=text is title)

    scores: Counter[str] = Counter()
    strong: set[str] = set()
    named_codes: set[str] = set()
    found: dict[str, Place] = {}

    def weigh(text: str, weight: float, first_only: bool = False) -> None:
        for chain in _chains(text)[:1] if first_only else _chains(text):
            place = chain[-1]
            found[place.adcode] = place
            scores[place.adcode] += weight
            if weight >= WEIGHT_OPENING:
                strong.add(place.adcode)
            if weight > WEIGHT_OPENING:
                named_codes.add(place.adcode)

    weigh(OBJECT.sub("", title), WEIGHT_TITLE)
    weigh("".join(OBJECT.findall(title)), WEIGHT_BODY)
    for code in _index_codes(meta):
        found[code.adcode] = code
        scores[code.adcode] += WEIGHT_INDEX_CODE
        strong.add(code.adcode)
        named_codes.add(code.adcode)
    allowed = _self_levels(body_text)
    for code in _site_codes(meta):
        found[code.adcode] = code
        scores[code.adcode] += WEIGHT_SITE
        if allowed is not None and code.level in allowed:
            strong.add(code.adcode)     # the portal's owner, and the report calls itself one (我市)
    for value in meta.get("网站名称", []):
        weigh(value, WEIGHT_SITE, first_only=True)
    for value in meta.get("发布机构", []) + meta.get("发文机关", []):
        weigh(value, WEIGHT_PUBLISHER, first_only=True)
    for line in signature:
        weigh(line, WEIGHT_SIGNATURE, first_only=True)
    weigh(subject[:OPENING_SPAN], WEIGHT_OPENING, first_only=True)
    weigh(body_text[:BODY_SCAN_CHARS], WEIGHT_BODY)

    def adjusted(code: str) -> float:
        mismatch = allowed is not None and found[code].level not in allowed and code not in strong
        return scores[code] * (SELF_MISMATCH if mismatch else 1)

    ranked = sorted(found, key=lambda code: (-adjusted(code), code))
    best = found[ranked[0]] if ranked else None
    confident = best is not None and best.adcode in strong and adjusted(best.adcode) >= CONFIDENT_SCORE
    named = best is not None and best.adcode in named_codes

    unit = _named_unit(best, title, subject, signature, meta, body_text, found, strong)
    if unit is not None:
        return unit
    if best is None:
        return Author(None)
    return Author(_government_body(best), confident, named=named)


def _named_unit(best: Place | None, title: str, subject: str, signature: list[str],
                meta: dict[str, list[str]], body_text: str, found: dict[str, Place],
                strong: set[str]) -> Author | None:
    """A department or township that the title, signature, opening or issuing line names."""
    own_title = OBJECT.sub("", title)
    for text in (own_title, *signature, subject):
        for chain in _chains(text):
            unit = _sub_unit(chain[-1], text)
            if unit:
                return Author(unit, confident=True, named=text is not subject)
        if text is own_title and _bare_township(own_title):
            break
    # Named without its government: 观澜街道2024年…报告, 桑柘镇在县委…, 县司法局坚持…
    township = _bare_township(own_title) or _bare_township(subject) \
        or next((name for line in signature if (name := _bare_township(line))), None)
    if township or sum(body_text.count(word) for word in TOWNSHIP_SELF) >= 2 and (
            township := _bare_township(subject[:OPENING_SPAN], anywhere=True)):
        parent = best if best is not None and best.level in places.COUNTY_LEVELS else None
        return Author(_attached(township, "township", parent), confident=True,
                      parent_known=parent is not None and parent.adcode in strong)
    publisher = next(iter(meta.get("发布机构", []) + meta.get("发文机关", [])), "")
    short = SHORT_DEPARTMENT.match(title) or SHORT_DEPARTMENT.match(subject) \
        or next((m for line in signature if (m := SHORT_DEPARTMENT.match(line))), None)
    if short:
        level_word, name = short.groups()
        levels = SHORT_LEVELS[level_word]
        candidates = sorted((p for p in found.values() if p.level in levels),
                            key=lambda p: (p is not best, p.adcode not in strong))
        government = candidates[0] if candidates else None
        if government is not None and publisher.endswith(name) and government.name in publisher:
            return Author(_attached(name, "department", government), confident=True)
        return Author(_attached(name, "department", government) if government else None,
                      parent_known=government is not None and government.adcode in strong)
    if best is not None and publisher and sum(body_text.count(word) for word in DEPARTMENT_SELF) >= 1:
        unit = _sub_unit(best, publisher)
        if unit and unit.level == "department":
            return Author(unit, confident=best.adcode in strong)
    return None


def _bare_township(text: str, anywhere: bool = False) -> str:
    """A township named at the start of *text* without its county: 桑柘镇…, 垡头街道工委…, 古城街道…
    (a county's full name before it, 宝山区罗店镇, makes a chain instead)."""
    match = TOWNSHIP_AFTER.match(text) if not anywhere else TOWNSHIP_AFTER.search(text)
    if not match or TOWNSHIP_NOT_A_NAME.fullmatch(match.group(1)):
        return ""
    name = match.group(1)
    if any(m.name.endswith(tuple("省市州盟县区旗")) for m in places.find_mentions(name)):
        return ""
    return township_name(name)


def _attached(name: str, level: str, government: Place | None) -> Body:
    """A township or department, under *government* when that is known."""
    if government is None:
        return Body(name=name, level=level)
    province = places.province_of(government)
    full = name if level == "township" or name.startswith(government.name) else government.name + name
    return Body(name=full, level=level, adcode=government.adcode, parent=government.name,
                province=province.name if province else None)


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
    for key in ("信息索引号", "索引号", "编号"):
        for value in meta.get(key, []):
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


def opening_subject(opening: str) -> str:
    """Return the opening sentence from where its subject stands (after 20XX年，在…领导下，)."""
    head = opening[:OPENING_SPAN + 60]
    return head[OPENING_LEAD.match(head).end():]


def _self_levels(body_text: str) -> set[str] | None:
    """The levels a report's way of naming itself allows (我县 → county), None when it never does."""
    counts = {key: sum(body_text.count(word) for word in words)
              for key, (words, _) in SELF_REFERENCES.items()}
    key, count = max(counts.items(), key=lambda item: item[1])
    return set(SELF_REFERENCES[key][1]) if count >= 2 else None


def unplaced_level(body_text: str) -> str:
    """The level of a body the text never names: what it calls itself says that much (我区)."""
    if sum(body_text.count(word) for word in DEPARTMENT_SELF) >= 2:
        return "department"
    if sum(body_text.count(word) for word in TOWNSHIP_SELF) >= 2:
        return "township"
    levels = _self_levels(body_text) or set()
    return next((level for level in UNPLACED_LEVELS if level in levels), "other")


def _government_body(place: Place) -> Body:
    province = places.province_of(place)
    parent = places.parent_of(place) if place.level in places.COUNTY_LEVELS else None
    return Body(name=place.name, level=place.level, adcode=place.adcode,
                parent=parent.name if parent else None, province=province.name if province else None)


def _sub_unit(place: Place, text: str) -> Body | None:
    """A department or township named right after its government (贵州省生态环境厅, 恩施州司法局,
    鲤城区人民政府金龙街道办事处, 武定县人民政府办公室)."""
    mention = next((m for m in places.find_mentions(text) if place in m.candidates), None)
    if mention is None:
        return None
    rest = text[mention.end:]
    township = TOWNSHIP_AFTER.match(rest)
    if township and place.level in places.COUNTY_LEVELS and not TOWNSHIP_NOT_A_NAME.fullmatch(township.group(1)):
        return _attached(township_name(township.group(1)), "township", place)
    department = DEPARTMENT_AFTER.match(rest)
    if department:
        province = places.province_of(place)
        party = "中共" if text[:mention.start].endswith("中共") else ""
        end = department.end()
        while rest.startswith(("办公室", "办公厅"), end):      # 某委员会办公室: the office is the body
            end += 3
        return Body(name=party + mention.name + rest[:end], level="department", adcode=place.adcode,
                    parent=place.name, province=province.name if province else None)
    return None


def township_name(name: str) -> str:
    """A township by its place name, not its government's: 金牛镇人民政府 → 金牛镇, 观澜街道办事处 → 观澜街道."""
    return re.sub(r"(?:办事处|人民政府)$", "", name)
