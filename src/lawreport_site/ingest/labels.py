"""The labels portals put before a page's metadata values (发布时间：…, 来源：…, 索 引 号：…).

Shared by extract (a table cell holding only a label labels the cell beside it), structure (a line
of labelled values is metadata) and metadata (which label says what).
"""
from __future__ import annotations

META_KEYS = ("信息索引号", "索引号", "发布时间", "发布日期", "发文日期", "成文日期", "印发日期", "生成日期",
             "更新时间", "日期", "时间", "信息来源", "文章来源", "稿件来源", "来源", "发布机构", "发文机关",
             "发布单位", "发文单位", "发文机构", "发布机关", "所属机构", "主办单位", "主办", "承办单位", "承办",
             "版权所有", "作者", "文号", "发文字号", "文件名称", "名称", "题名", "标题", "主题分类", "信息分类",
             "组配分类", "体裁分类", "公开方式", "公开时限", "公开范围", "有效性", "关键词", "关键字", "主题词",
             "内容概述", "内容摘要", "摘要", "编号", "网站标识码", "网站名称", "生效日期", "废止日期", "施行日期",
             "失效日期")
TITLE_KEYS = ("标题", "名称", "文件名称", "题名")
"""The labels whose value is the page's title."""


def is_label(text: str) -> bool:
    """Tell whether *text* is one of the labels, spaced out or not, with or without its colon."""
    return "".join(text.split()).rstrip(":：") in META_KEYS
