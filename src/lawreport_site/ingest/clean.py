"""Text → clean lines: portal furniture out; the report, its metadata lines and bylines in.

Each rule below is data: a pattern that fullmatches a whitespace-normalised line, with the
page that showed it. Widget and footer patterns only apply to short lines, so a sentence of
the report that happens to start with 字号 or 版权 is never dropped.
"""
from __future__ import annotations

import re

from .extract import IMAGE_LINE
from .labels import is_label

# Furniture is short; a longer line is prose even when it starts like furniture.
MAX_CHROME_CHARS = 90


def _patterns(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in patterns)


CHROME_LINES = _patterns(
    r"今天是.{0,30}",                                        # date widget (seed 000)
    r"(?:请)?点击右上角.{0,12}浏览器打开",                    # WeChat in-app prompt (seed 004)
    r"[(（]?欢迎您?[)）]?.{0,6}(?:注销|登录|注册|退出).{0,10}", # login box (seed 004)
    r"【?\s*(?:字号|字体(?:大小)?|字级|文字大小)\s*[:：].{0,40}",    # font-size widget (004, devset 01/11)
    r"【\s*(?:字号|字体)\s*.{0,20}】",
    r"(?:【?\s*(?:打印(?:本页|正文|此页|文章|页面)?|关闭(?:本页|窗口|页面)?|返回顶部|收藏|纠错|我要纠错)\s*】?\s*)+",
    r"分享(?:到\s*[:：]?|\s*[:：]).{0,30}",                    # share bar (seed 004, devset 11)
    r"(?:(?:微信|微博|新浪微博|腾讯微博|QQ空间|QQ|朋友圈|人人网|豆瓣|今日头条)\s*[|｜、]?\s*)+",  # its buttons
    r"扫一扫.{0,20}",                                        # QR-code prompt
    r"网站地图.{0,80}",                                      # footer (seed 000)
    r"(?:(?:联系我们|关于我们|网站纠错|网站声明|隐私声明|使用帮助|设为首页|加入收藏)\s*[|｜]?\s*)+",
    r".{0,40}ICP\s*备.{0,60}", r".{0,40}公网安备.{0,60}",      # licence lines (seed 000)
    r"网站标识码.{0,60}",
    # "主办单位:" and "版权所有:" name the site owner: metadata, kept for structure (seed 000).
    r".{0,40}版权所有(?!\s*[:：]).{0,80}", r".{0,40}copyright\s*(?:©|\(c\)|\d).{0,60}", r"©.{0,60}",
    r"(?:联系电话|联系地址|地址|邮编|技术支持|联系我们|电子邮箱)\s*[:：].{0,60}",
    r"(?:点击总量|访问次数|浏览次数|点击次数|点击量|阅读次数|阅读量|浏览量|访问量)\s*[:：]?\s*\d*\s*次?",
    r"我是\s*[“\"].{1,12}[”\"].{0,10}",                      # chat-bot mascot (seed 004)
    r".{0,20}语音播报.{0,10}",                                # text-to-speech button (seed 004)
    r"您访问的链接即将离开.{0,60}", r"是否继续\s*[?？]?",       # leave-site dialog (seed 004)
    r"(?:(?:继续访问|放\s*弃|取\s*消|确\s*定)\s*)+",
    r"(?:无障碍(?:浏览|阅读)?|适老版|长者模式|关怀版|简体|繁體|繁体|English|手机版|登录|注册)\s*\|?",
    r"(?:您的)?(?:当前位置|您的位置|您现在的位置|所在位置|当前页面)\s*[:：].{0,80}",  # breadcrumb (devset 11)
    r"[^>]{1,20}(?:\s*[>›»＞]\s*[^>]{1,24}){2,}",               # breadcrumb without a label
    r"首\s*页\s*(?:>|›|→|»|＞|/|\\).{0,80}",                  # breadcrumb (devset 03)
    r"点击(?:关闭|展开|收起|查看)\S{0,12}",                   # UI toggle (devset 01)
    r"责任编辑\s*[:：].{0,20}", r"(?:编辑|校对|审核|终审|初审)\s*[:：]\s*\S{1,10}",
    r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?",  # bare address (devset 14)
    r"[上下]一(?:篇|则|条)\s*[:：].{0,60}", r"[上下]一篇.{0,60}", r"相关(?:阅读|链接|文章|新闻|信息|文件|推荐)\s*[:：]?",
    r"(?:本文链接|原文链接|文章链接|本页网址|网页地址)\s*[:：].*", r"(?:网站管理|网站维护|维护单位)\s*[:：].{0,60}",
    r"(?:建议|推荐)(?:使用|采用).{0,40}(?:分辨率|浏览器).{0,30}",
    r"共\s*\d+\s*页.{0,40}", r"(?=.*(?:上一页|下一页))(?:首页|尾页|上一页|下一页|[\d\s…])+",               # pager
    r"[［\[](?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部)[］\]](?:\s*[［\[](?:打印本页|打印|关闭窗口|关闭|收藏|返回顶部)[］\]])*",
    r"[（(【\[]\s*(?:责任编辑|编辑|审核|校对)\s*[:：].{0,20}[）)】\]]",
    # A WeChat article reposted on a portal: follow prompts, counters, the original's link.
    r"点击.{0,6}(?:蓝字|关注).{0,12}", r"阅读原文", r"(?:(?:阅读|在看|点赞|赞|分享)\s*\d+\s*)+", r"原创\s.{1,30}",
    r"[-—\s]*END[-—\s]*",
    # A document-sharing site's box around a saved Word file.
    r"[-\s]*(?:资源ID|资源大小|全文页数|资源格式|下载积分|上传人|上传时间|文档编号|格式|页数|大小)\s*[:：].{0,40}",
    r"快捷下载|会员登录下载|微信登录下载|三方登录下载\s*[:：]?|微信扫一扫登录|友情提示", r"(?:下载|相关|举报)(?:\s+(?:下载|相关|举报))+",
)
# Some gateways gloss every converted character with its pinyin: 建設(shè)实(shí)施.
PINYIN_GLOSS = re.compile(r"(?<=[\u3400-\u9fff])[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹ]{1,7}[)）]")
SITE_CODE = re.compile(r"网站标识码\s*[:：]?\s*(\d{10})\b")
# A list of other articles under its label: the short lines after it are links, not the report.
LINK_LIST = re.compile(r"(?:往期(?:推荐|回顾|精彩)|推荐阅读|延伸阅读|相关(?:阅读|链接|文章|新闻|信息|文件|推荐)|热点推荐)\s*[:：]?")
MAX_LINK_CHARS = 60
MIN_SENTENCE_CHARS = 50
# A picture's file name left in saved text (devset 14), or a line of no-break spaces where an
# image stood (seed 000): kept as a marker so structure can recognise the caption next to it.
IMAGE_LINES = _patterns(r"\S{0,60}\.(?:png|jpe?g|gif|bmp|webp)", r"\[?(?:图片|image)\]?")
NBSP_ONLY = re.compile(r"[\u00a0\u3000\s]*\u00a0[\u00a0\u3000\s]*")
HAS_WORD = re.compile(r"[0-9A-Za-z\u3400-\u9fff]")
# A clause, a comma, and a full stop at the end: a sentence of the report, even when it opens with
# words a widget or a footer also uses (今天是，… 版权所有，… 扫一扫，…). Furniture is labels.
SENTENCE = re.compile(r"[，；].*[\u3400-\u9fff].*[。！？]$")
NAV_SEPARATOR = re.compile(r"\s*[|｜]\s*")
NAV_ITEM = re.compile(r"[\u4e00-\u9fff]{1,8}")
NAV_MIN_ITEMS = 4
NAV_MAX_ITEM_CHARS = 16       # a portal's name heads some bars: 兴山县人民政府门户网站 | 无障碍
# Widgets that sit at the end of a metadata line (2023年03月15日 来源：某局 【打印】【关闭】):
# cut off, so that the line's date and source survive.
TRAILING_WIDGETS = re.compile(r"(?:\s*[【\[]\s*(?:打印|关闭|收藏|纠错|返回顶部|发表评论|我要评论|字体|字号)[^】\]]{0,12}[】\]])+\s*$")
# A row of link labels never mentions who wrote or photographed something.
BYLINE_WORDS = re.compile(r"记者|通讯员|摄|作者|编辑|实习生|供图")


def clean_lines(text: str) -> tuple[str, ...]:
    """Return the non-empty, non-furniture lines of *text*, whitespace normalised."""
    kept, in_list, in_text = [], False, False
    for raw in text.splitlines():
        # Only below the report's first sentence: a sidebar's list above it may stand over the title.
        in_list = in_list or in_text and bool(LINK_LIST.fullmatch(normalise_line(raw)))
        line = _clean_line(raw)
        in_text = in_text or len(line) >= MIN_SENTENCE_CHARS and "。" in line
        # A link ends the list when a line is longer, or a label (主办：…) that the footer keeps.
        in_list = in_list and (not line or len(line) <= MAX_LINK_CHARS and not re.search("[:：]", line))
        if line and not in_list:
            kept.append(line)
    return tuple(kept)


def normalise_line(line: str) -> str:
    """Collapse every run of Unicode whitespace (U+3000, NBSP …) to one space; trim."""
    # Not NFKC: it would turn the full-width ，：（） of Chinese prose into ASCII.
    return " ".join(line.split())


def _clean_line(raw: str) -> str:
    if NBSP_ONLY.fullmatch(raw):
        return IMAGE_LINE
    line = TRAILING_WIDGETS.sub("", PINYIN_GLOSS.sub("", normalise_line(raw)))
    if not line or line == IMAGE_LINE:
        return line
    if any(p.fullmatch(line) for p in IMAGE_LINES):
        return IMAGE_LINE
    if not is_chrome(line):
        return line
    # The footer's site code says whose portal this is (its first six digits are the owner's
    # division code): metadata, kept on a line of its own when the rest of the line goes.
    code = SITE_CODE.search(line)
    return f"网站标识码：{code.group(1)}" if code else ""


def is_chrome(line: str) -> bool:
    """Tell whether a normalised line is page furniture rather than report or metadata."""
    if not HAS_WORD.search(line):
        return True  # only punctuation or symbols, such as a stray "|"
    if len(line) > MAX_CHROME_CHARS or SENTENCE.search(line):
        return False
    return any(p.fullmatch(line) for p in CHROME_LINES) or is_nav_bar(line)


def is_nav_bar(line: str) -> bool:
    """Tell whether a line is a row of menu labels: 首页 | 走进汉台 | 新闻中心 …"""
    if BYLINE_WORDS.search(line):
        return False
    if "|" in line or "｜" in line:
        items = [item for item in NAV_SEPARATOR.split(line) if item]
        if any(is_label(item) for item in items):
            return False          # a row of a metadata table: 成文日期 | 2025-06-13 | 发布日期 | …
        return bool(items) and all(len(item) <= NAV_MAX_ITEM_CHARS and not re.search(r"[。，,；;：:]", item)
                                   for item in items)
    items = line.split(" ")
    return len(items) >= NAV_MIN_ITEMS and all(NAV_ITEM.fullmatch(item) for item in items)
