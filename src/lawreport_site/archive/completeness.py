"""Completeness: does an annual report cover what it must, and was it published on time?

《法治政府建设与责任落实督察工作规定》 (2019), art. 25, asks every annual report for five items
and publication before 1 April of the following year (DESIGN.md, "Completeness"). Reports
rarely name the items verbatim, so each item is recognised by the headings and phrases that
reports actually use for it; the patterns are data, kept apart from the code that applies them.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .themes import Section, split_sections

THIS_YEAR = "THIS_YEAR"
"""Stands in a pattern for the year reported on, e.g. 2019 in 一、2019年工作开展情况."""
NEXT_YEAR = "NEXT_YEAR"
"""Stands in a pattern for the following year, e.g. 2020 in 三、2020年工作思路 of a 2019 report."""
DEADLINE = (4, 1)
"""(month, day) of the following year before which the report must be public."""
MIN_MEASURES_CHARS = 200
"""A chapter this long, whose heading claims no other item, reports on the year's work."""

_NUMBER = r"(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])?\s*"


@dataclass(frozen=True, slots=True)
class Item:
    """One of the five things an annual report must cover."""
    key: str
    """ASCII key used in data and templates, e.g. ``shortcomings``."""
    label: str
    """Chinese label shown on the site."""
    headings: tuple[str, ...]
    """Regexes searched in ``##``/``###`` headings; a match means the item has its own section."""
    phrases: tuple[str, ...]
    """Regexes searched in the running text, for reports that cover the item without a heading."""


ITEMS: tuple[Item, ...] = (
    Item("measures", "主要举措和成效",
         headings=(r"主要(?:工作|举措|做法|措施|成效|成绩|进展)",
                   r"(?:工作|开展|推进|落实|完成|进展|基本)情况",      # 一、2019年工作开展情况
                   r"成效", r"工作(?:回顾|总结)", rf"{THIS_YEAR}年(?:度)?"),
         phrases=(r"取得[^。，,；]{0,8}?(?:成效|成绩|进展)",           # seed 002: 取得的阶段性成效
                  r"主要(?:工作|举措|做法)(?:和|及)?(?:成效)?(?:如下)?[:：]")),
    Item("shortcomings", "存在的不足和原因",
         headings=(r"存在(?:的)?(?:主要|突出)?(?:问题|不足|困难|差距|短板)",   # 二、存在的问题
                   r"(?:问题|不足|差距|短板|困难)(?:和|与|及|、)(?:不足|原因|差距|困难|问题|短板|挑战)",
                   rf"^{_NUMBER}(?:主要|突出)?(?:问题|不足|差距|短板)(?:和原因|及原因)?$",
                   r"薄弱环节"),
         phrases=(r"(?:还|仍|也|依然|仍然)(?:存在|有)着?(?:一些|不少|一定|诸多|许多)?的?"
                  r"(?:问题|不足|短板|差距|薄弱环节)",
                  r"(?:还有|仍有|存有|存在)(?:一定|不少|较大|一些)?的?差距",   # seed 004: 还有一定差距
                  r"(?:问题|不足|短板|差距)(?:主要)?(?:表现|体现)(?:在|为)",
                  r"存在的(?:主要)?(?:问题|不足)(?:和|与|及)(?:不足|原因|差距)")),
    Item("first_responsible", "党政主要负责人履行第一责任人职责情况",
         headings=(r"第一责任人", r"主要负责(?:人|同志)", r"一把手", r"述法"),
         phrases=(r"第一责任人", r"党政主要负责人", r"述法",
                  r"主要负责(?:人|同志).{0,12}(?:履行|落实|带头|亲自)")),
    Item("next_year", "下一年度主要安排",
         headings=(r"下一步", r"下一年", r"明年", r"今后", r"展望", rf"{NEXT_YEAR}年",
                   r"(?:工作|主要)(?:思路|打算|安排|设想)"),          # 三、2020年工作思路
         phrases=(r"下一步(?:工作)?(?:[,，:：]|我们|我市|我县|我区|将|要)",
                  r"下一年度", r"明年",
                  # A sentence opening with next year plans it (seed 004: "2021年,我们深入…").
                  rf"(?:^|[。！；\n])\s*{NEXT_YEAR}年度?(?:[,，]|是|我们|我市|我县|我区|全市|全县|全区|将)",
                  rf"{NEXT_YEAR}年度?的?(?:工作)?(?:思路|打算|安排|计划|重点工作|工作要点)",
                  r"今后(?:一个时期|一段时期|工作中)?[,，]?(?:我们|将)")),
    Item("other", "其他需要报告的情况",
         headings=(r"其他",),
         phrases=(r"其他(?:需要|应当|需)?(?:报告|说明)的?(?:情况|事项)",)),
)
"""The five items in the order of the regulation."""


@dataclass(frozen=True)
class Completeness:
    """What a report covers of the five items, and whether it was public in time."""
    covered: tuple[str, ...]
    """Keys of the items the report covers, in ITEMS order."""
    missing: tuple[str, ...]
    """Keys of the items it does not cover, in ITEMS order."""
    on_time: bool | None
    """True if published before 1 April of the following year; None when the date is unknown."""


def assess(body_md: str, year: int, published: date | None) -> Completeness:
    """Return which of the five items the report on *year* covers, and whether it was on time."""
    return completeness_of(covered_items(split_sections(body_md), year), year, published)


def covered_items(sections: Sequence[Section], year: int) -> tuple[str, ...]:
    """Return the keys of the items that the sections of a report on *year* cover, in ITEMS order."""
    headings = "\n".join(section.heading for section in sections if section.heading)
    # One search per item over the whole report, not one per section (~500 searches a report).
    # The texts are joined by a full stop on a line of its own, which no phrase reaches across.
    text = "\n。\n".join(section.text for section in sections)
    return tuple(item.key for item in ITEMS if _covers(item, headings, text, sections, year))


def completeness_of(covered: Sequence[str], year: int, published: date | None) -> Completeness:
    """Return the Completeness of a report whose covered items are already known."""
    missing = tuple(item.key for item in ITEMS if item.key not in covered)
    return Completeness(tuple(covered), missing, is_on_time(year, published))


def is_on_time(year: int, published: date | None) -> bool | None:
    """Return True iff *published* is before 1 April of ``year + 1``; None when unknown."""
    return None if published is None else published < date(year + 1, *DEADLINE)


def _covers(item: Item, headings: str, text: str, sections: Sequence[Section], year: int) -> bool:
    """Return True if a heading or a phrase of the text shows the report covers *item*."""
    if _pattern(item.headings, year).search(headings) or _pattern(item.phrases, year).search(text):
        return True
    # Most reports give the year's work as numbered chapters named after what was done
    # (seed 004: 四、持续深化“放管服”改革…), with no 主要工作 heading above them.
    return item.key == "measures" and any(
        _is_work_chapter(chapter, year) for chapter in _chapters(sections))


def _is_work_chapter(chapter: Sequence[Section], year: int) -> bool:
    heading = chapter[0].heading
    claimed = any(_pattern(other.headings, year).search(heading) for other in ITEMS if other.key != "measures")
    return bool(heading) and not claimed and sum(len(s.text) for s in chapter) >= MIN_MEASURES_CHARS


def _chapters(sections: Sequence[Section]) -> list[list[Section]]:
    """Group sections under their ``##`` heading; what comes before the first is its own group."""
    chapters: list[list[Section]] = []
    for section in sections:
        if section.level == 2 or not chapters:
            chapters.append([section])
        else:
            chapters[-1].append(section)
    return chapters


@functools.cache
def _pattern(patterns: tuple[str, ...], year: int) -> re.Pattern[str]:
    """Return one regex that matches where any of *patterns* does, for a report on *year*."""
    either = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(either.replace(THIS_YEAR, str(year)).replace(NEXT_YEAR, str(year + 1)),
                      re.MULTILINE)
