"""What kind of document a page is: an annual report, a plan, news or a feature about one, or other.

The title decides when it names the kind (…情况的报告, …工作要点, 关于印发…方案的通知, …召开…);
a page without a telling title is read by its opening (制定本方案, 现解读如下, 6月25日，某县召开…)
and its report cues (现将…报告如下, 存在的问题). When none of these speaks, the type is a guess and
ingest lists it for review.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from .structure import Block

LAW_WORDS = re.compile(r"法治|依法行政|法制|依法治|述法")
# Documents about rule of law that are not a government's report or plan (first match wins).
OTHER_TITLE = re.compile(r"解读|问答|讲话|致辞|公开信|公示|决定|清单|意见(?!稿)|年鉴|蓝皮书|白皮书|研究|综述报告|发展报告|"
                         r"政府信息公开|信息公开工作|规则|办法|细则|条例|五年")
WORK_PLAN_TITLE = re.compile(r"(?:工作)?要点|工作计划|实施方案|工作方案|方案|规划(?!.*报告)|纲要(?!.*报告)|工作安排")
REPORT_TITLE = re.compile(r"报告|年度.*(?:情况|总结)|工作总结|工作情况$")
FEATURE_TITLE = re.compile(r"综述|巡礼|纪实|侧记|访谈|专访|观察|之路|回眸")
NEWS_TITLE = re.compile(r"召开|部署|举行|举办|开展|启动|出席|调研|会议|座谈|培训班|揭牌|通报|获评|入选"
                        r"|督[察查]|检查|考核|验收|公布|名单")
# A headline: who did what, the report only its object (柳州市发布2022年度…报告, 某县召开常务会议审议…报告,
# …情况报告全部向社会公开), or a place that calls itself 我省 (a report's own title never does).
NEWS_HEADLINE = re.compile(r"^(?!关于)[^关，,。：:]{2,20}?(?:召开|举行|审议|听取|发布|公布|部署|制定)"
                           r"|报告[^，,。]{0,8}(?:公开|公布|发布|出炉|晒出)$|^我(?:省|区|市|州|盟|县|旗)")
DATELINE = re.compile(r"^\S{2,16}?\d{1,2}月\d{1,2}日电|^本报讯|^【[^】]{1,20}】\S{0,10}讯"
                      r"|^(?:近日|日前|\d{1,2}月\d{1,2}日(?:上午|下午|晚)?)[,，]\S{2,30}?(?:召开|举行|组织|公布|发布)")
PLAN_CUES = re.compile(r"制定本(?:实施)?(?:方案|规划|纲要|要点|计划)|现就(?:做好)?.{0,30}(?:安排|要点)如下"
                       r"|印发了?《[^》]{2,60}(?:方案|规划|纲要|要点|安排)(?:\([^)]*\)|（[^）]*）)?》")
OTHER_CUES = re.compile(r"现(?:就.{0,10})?解读如下|清单如下|我讲.{1,4}(?:点|个方面)|^同志们|本书|决定对.{0,40}予以命名"
                        r"|政府信息公开(?:工作)?年度报告")
NEWS_CUES = re.compile(r"公布的.{0,30}报告")
REPORT_CUES = re.compile(r"报告如下|汇报如下|现将.{0,30}报告|存在的(?:主要)?问题|存在的不足|下一步|工作(?:思路|打算)"
                         r"|(?:主要)?(?:举措|做法)(?:和|及)成效|年度?工作回顾|(?:推进)?法治政府建设(?:的)?(?:主要)?(?:工作)?情况$",
                         re.M)
OPENING_YEAR = re.compile(r"^((?:19|20)\d\d)\s*年?(?:度|以来)?\s*[,，、]")


def doc_type(title: str, opening: str, body_text: str, blocks: Sequence[Block]) -> tuple[str, bool]:
    """Return the document type and whether the page says so plainly (else: review it)."""
    if title:
        by_title = _by_title(title, body_text)
        if by_title:
            return by_title, True
    if DATELINE.search(opening) or NEWS_CUES.search(opening[:200]):
        return "news", True
    if OTHER_CUES.search(opening[:300]):
        return "other", True
    if PLAN_CUES.search(opening[:300]):
        return "work_plan", True
    if any(b.kind == "byline" for b in blocks):
        return "feature", False
    if REPORT_CUES.search(body_text) or (OPENING_YEAR.match(opening) and "法治政府" in opening):
        return "annual_report", True
    return ("other" if title else "annual_report"), False


def _by_title(title: str, body_text: str) -> str | None:
    own = re.sub(r"《[^》]*》", "", title)     # what the headline is about stands in 《》
    if NEWS_HEADLINE.search(title) and not WORK_PLAN_TITLE.search(own) and not FEATURE_TITLE.search(own):
        return "news"
    if OTHER_TITLE.search(title) and not re.search(r"关于印发.{0,40}(?:方案|要点|规划|安排)", title):
        return "other"
    if WORK_PLAN_TITLE.search(title):
        return "work_plan"
    if REPORT_TITLE.search(title):
        return "annual_report" if LAW_WORDS.search(title) else "other"
    if FEATURE_TITLE.search(title):
        return "feature"
    if NEWS_TITLE.search(title) and not REPORT_CUES.search(body_text):
        return "news"
    return None
