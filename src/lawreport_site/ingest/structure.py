"""Clean lines → blocks: title, metadata lines, headings, paragraphs, captions, signature.

Official documents number their sections 一、 （一） 1. （1） (GB/T 9704-2012, 7.3.3); features
and news use short unnumbered sub-heads instead. Everything that is not running text (the
title, metadata lines, bylines, the signature) is kept as its own block for the metadata
stage and left out of the body.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .extract import IMAGE_LINE
from .dates import DATE, DAY_FIRST, arabic_date
from .labels import META_KEYS, TITLE_KEYS

_N = "一二三四五六七八九十"
H2 = re.compile(rf"(?:[{_N}]{{1,3}}、|第[{_N}]{{1,3}}(?:部分|章|节)\s*)")
H3 = re.compile(rf"[（(][{_N}]{{1,3}}[）)]")
LEAD = re.compile(r"(?:\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])")
MAX_HEADING_CHARS = 40          # a numbered line longer than this is a paragraph
MAX_SENTENCE_HEADING_CHARS = 25  # a whole numbered sentence ending in 。 this short is a heading
MAX_SUBHEAD_CHARS = 25          # unnumbered sub-heads of features (seed 000: 抓组织领导之“纲”)
MAX_CAPTION_CHARS = 60
MAX_IMAGE_CAPTION_CHARS = 30    # devset 14: a 47-character sentence between pictures is prose
MAX_LEAD_CHARS = 40
MIN_TITLE_CHARS = 8
MAX_TITLE_CHARS = 100
MIN_PROSE_CHARS = 50            # the first line this long with a comma or full stop starts the body
MAX_AFTER_SIGNATURE = 12        # short lines a saved page may put below the signature
MIN_LINK_BLOCK = 3
LINK_LABEL = re.compile(r"[\u4e00-\u9fffA-Za-z ]{2,16}")
RELATED_ITEM = re.compile(r".{4,50}\s(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}")  # 某某报告 2020-03-27

TERMINAL = "。！？!?；;：:…"
OPEN_CLOSE = ("“”", "《》", "（）", "()", "「」", "【】")

_KEYS = "|".join(sorted(META_KEYS, key=len, reverse=True))
# Public-information tables space their labels out to one width: 名 称：, 有 效 性：, 索　引　号：.
SPACED_KEY = re.compile("(?<![\u4e00-\u9fff])(" + "|".join(
    r"\s*".join(key) for key in sorted(META_KEYS, key=len, reverse=True) if len(key) > 1) + r")(?=\s*[:：])")
# Or set a label in brackets: [成文日期] 2024-02-20 【发布日期】2024-02-27.
BRACKETED_KEY = re.compile(rf"[\[【〔［]\s*({_KEYS})\s*[\]】〕］]\s*[:：]?")
# A table saved as text: 成文日期 | 2025-06-13 | 发布日期 | 2025-06-30 | (a label, spaced or not, in its cell).
_SPACED_KEYS = "|".join(r"\s*".join(key) for key in sorted(META_KEYS, key=len, reverse=True))
CELL_KEY = re.compile(rf"(?:^|(?<=[|｜]))\s*({_SPACED_KEYS})\s*[:：]?\s*[|｜]")
BRACKETED_PAIR = re.compile(rf"[\[【]\s*({_KEYS})\s*[:：]\s*([^\]】]*)[\]】]")
# A widget before the values on a line: 浏览次数：信息来源：区司法局发布时间：…
WIDGET_PREFIX = re.compile(r"^(?:(?:浏览次数|阅读次数|点击次数|字体大小|字号)\s*[:：]\s*[\d【\s]*)+")
# A value ends where the next label starts, spaced or not (文号： 发布日期：…, 来源：某局发布时间：…),
# or a widget that shares its line: 来源：市司法局 浏览次数：.
_WIDGETS = "浏览次数|阅读次数|点击次数|访问次数|点击量|浏览量|阅读量|字号|字体|分享到?"
META_PAIR = re.compile(rf"(?:[•·●▪\-]\s*)?({_KEYS})\s*[:：]\s*(.*?)"
                       rf"(?=\s*(?:{_KEYS}|{_WIDGETS})\s*[:：]|\s+[【\[]|$)")
META_LINE = re.compile(rf"(?:[•·●▪\-]\s*)?(?:{_KEYS})\s*[:：].*")
KEY_ONLY = re.compile(rf"(?:[•·●▪\-]\s*)?((?:{_KEYS})|[\u4e00-\u9fff]{{2,6}})\s*[:：]")
DATE_LINE_MAX_OTHER_HAN = 12     # " 《小康》 ● 中国小康网   2019-12-11 15:55:50"
BYLINE = re.compile(r"(?:本报记者|本报通讯员|特约记者|记者|通讯员|文\s*[/／:：]|作者\s*[:：]).{1,45}")
CREDIT = re.compile(r".{0,50}\s?(?:摄影?|供图|图片来源\S*)")
CAPTION_START = re.compile(r"(?:图为|图\s*[:：]|▲|△).+")
ORG = re.compile(r"[\u4e00-\u9fff]{2,30}(?:人民政府|政府|办公室|办公厅|委员会|局|厅|部|办事处|行政公署|街道|镇|乡|中心"
                 r"|院|委|办)")
SIGNATURE_DATE = re.compile(r"(?:19|20)\d\d\s*年?\s*\d{1,2}\s*月\s*\d{1,2}\s*日|(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}")


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a report."""
    kind: str
    """title | meta | byline | heading | paragraph | caption | signature"""
    text: str
    """The text; for meta, the value; for a paragraph with a run-in lead, the text after it."""
    level: int = 0
    """Markdown level of a heading: 2 for 一、, 3 for （一）, 4 for a short 1. line."""
    key: str = ""
    """For meta: the label, e.g. 发布时间."""
    lead: str = ""
    """For a paragraph: a run-in lead such as 1.落实第一责任人责任。, shown in bold."""


def structure(lines: Sequence[str]) -> tuple[Block, ...]:
    """Return the blocks of a report from its clean lines."""
    lines = _merge_key_values([_plain_labels(line) for line in lines])
    start = _body_start(lines)
    head = _head_blocks(lines[:start])
    has_numbered = any(H2.match(line) for line in lines[start:])
    body = _cover_letter(_body_blocks(_join_broken(lines[start:]), has_numbered),
                         has_title=any(b.kind == "title" or b.kind == "meta" and b.key in TITLE_KEYS for b in head))
    body = _mark_signature(body)
    if not any(b.kind == "signature" for b in body):
        body = _signed_in_mid_page(body)
    return head + body


def _plain_labels(line: str) -> str:
    """Write a label spaced out, in brackets or in a table's cell as a label: 名 称： → 名称：,
    [成文日期] → 成文日期：, 成文日期 | 2025-06-13 | → 成文日期：2025-06-13, [发布时间:…] → 发布时间:…"""
    line = WIDGET_PREFIX.sub("", line)
    line = CELL_KEY.sub(lambda m: f"{m.group(1)}：", line)
    line = BRACKETED_PAIR.sub(lambda m: f" {m.group(1)}：{m.group(2)} ", line)
    line = SPACED_KEY.sub(lambda m: "".join(m.group(1).split()), line)
    return BRACKETED_KEY.sub(lambda m: f" {m.group(1)}：", line).strip()


def outline(blocks: Sequence[Block]) -> str:
    """Return headings as an indented outline (two spaces per level below ##), for tests."""
    return "\n".join("  " * (b.level - 2) + b.text for b in blocks if b.kind == "heading")


# --- head: everything above the first line of running text ------------------------------

def _merge_key_values(lines: Sequence[str]) -> list[str]:
    """Join a metadata label alone on its line with the value on the next line (devset 01)."""
    merged: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        key = KEY_ONLY.fullmatch(line)
        if key and key.group(1) in META_KEYS:
            following = lines[index + 1] if index + 1 < len(lines) else ""
            # An empty value (文号：) must not take the title below it.
            if following and not KEY_ONLY.match(following) and len(following) <= 60 \
                    and not _is_prose(following) \
                    and (key.group(1) in TITLE_KEYS or _title_score(following) < MIN_TITLE_SCORE):
                merged.append(f"{key.group(1)}:{following}")
                index += 2
                continue
            index += 1  # a label with no value says nothing
            continue
        merged.append(line)
        index += 1
    return merged


def _is_prose(line: str) -> bool:
    # Long and punctuated, or shorter but with a sentence ending inside it or a clause before its end.
    return (len(line) >= MIN_PROSE_CHARS and any(p in line for p in "。，,;；")
            or len(line) >= MIN_TITLE_CHARS * 2 and "。" in line[:-1]
            or len(line) >= MIN_TITLE_CHARS * 2 and line.endswith("。") and bool(re.search("[，,]", line)))


def _body_start(lines: Sequence[str]) -> int:
    for index, line in enumerate(lines):
        if _is_prose(line) and not META_LINE.fullmatch(line) or H2.match(line) or H3.match(line):
            return index
    return len(lines)


def _head_blocks(lines: Sequence[str]) -> tuple[Block, ...]:
    meta = [i for i, line in enumerate(lines) if is_meta_line(line)]
    candidates = [i for i, line in enumerate(lines) if i not in meta and _is_title_like(line)]
    title_at = max(candidates, key=lambda i: (_title_score(lines[i]), -i)) if candidates else None
    # A title set in lines: the issuers above (绵阳市人民政府 / 关于2020年…的报告, or 2023年度…报告),
    # and its end below when the first line does not end it (关于印发…法治政府建设 / 工作安排的通知).
    if title_at is not None:
        lines, meta, title_at = _join_title(lines, meta, title_at)
        candidates = [i for i, line in enumerate(lines) if i not in meta and _is_title_like(line)]
    blocks: list[Block] = []
    chosen = tidy_title(lines[title_at]) if title_at is not None else ""
    for index, line in enumerate(lines):
        if index in meta:
            blocks.extend(_meta_blocks(line))
        elif index == title_at:
            blocks.append(Block("title", chosen))
        elif title_at is not None and index == title_at + 1 and line.startswith(("——", "—", "--")):
            blocks[-1] = Block("title", tidy_title(blocks[-1].text + line))  # subtitle
        elif index in candidates and _is_rival(tidy_title(line), chosen):
            blocks.append(Block("meta", tidy_title(line), key=OTHER_TITLE_KEY))   # a rival title: review
        elif CREDIT.fullmatch(line) or CAPTION_START.fullmatch(line):
            blocks.append(Block("caption", line))
        elif BYLINE.fullmatch(line) and "。" not in line:
            blocks.append(Block("byline", _strip_key(line)))
        elif title_at is not None and index > title_at and HAS_HAN.search(line):
            blocks.append(Block("paragraph", line))
        # Anything else above the title is page furniture: section labels, menus.
    return tuple(blocks)


def _is_rival(line: str, chosen: str) -> bool:
    """Another line that could be the title: as telling as a title, or the chosen one without its
    author (中央依法治国办：关于… beside 关于…)."""
    line, chosen = "".join(line.split()), "".join(chosen.split())
    if line == chosen:
        return False
    return _title_score(line) >= MIN_TITLE_SCORE or bool(TITLE_NOUNS.search(line)) and line in chosen


def _join_title(lines: Sequence[str], meta: list[int], at: int) -> tuple[list[str], list[int], int]:
    lines = list(lines)
    end = at
    while end + 1 < len(lines) and end + 1 not in meta and not TITLE_END.search(lines[end]) \
            and TITLE_END.search(lines[end + 1]) and len(lines[end + 1]) <= 30 and not _is_prose(lines[end + 1]):
        end += 1
    start = at
    if ISSUED.match(lines[at]):
        while start - 1 >= 0 and start - 1 not in meta and ORG.fullmatch(lines[start - 1]) and at - start < 2:
            start -= 1
    if (start, end) == (at, at):
        return lines, meta, at
    joined = " ".join(lines[start:at]) + "".join(lines[at:end + 1])
    removed = end - start
    lines = [*lines[:start], joined, *lines[end + 1:]]
    return lines, [i - removed * (i > end) for i in meta if not start <= i <= end], start


HAS_HAN = re.compile(r"[\u3400-\u9fff]")
OTHER_TITLE_KEY = "另一标题"
MIN_TITLE_SCORE = 6         # a law word and a title word: 法治政府建设…报告
ISSUED = re.compile(r"关于|(?:19|20)\d\d\s*年")      # how a title goes on from its issuer's name
TITLE_WORDS = re.compile(r"报告|综述|巡礼|总结|情况|纪实|侧记|要点|计划|方案|部署|工作")
# What a document's title names: its kind (报告, 通知, 方案 …) or, for news, what happened.
TITLE_NOUNS = re.compile(r"报告|方案|要点|规划|通知|意见|纲要|总结|清单|决定|解读|安排|计划|办法|公示|公告|讲话|"
                         r"情况$|综述|巡礼|纪实|侧记|召开|举行|审议|听取|发布|公布|印发|命名|名单|出台|揭牌|公开信|述法")
# A document number (沪府发〔2017〕92号) or a label run into its value (发文机关中共某厅党组) is no title.
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[(（]\s*(?:19|20)\d\d\s*[〕\])）]\s*\d+\s*号")
RUN_IN_LABEL = re.compile(r"(?:发文机关|发文机构|发文日期|发文字号|成文日期|发布日期|时效性|施行日期|效力级别|主题分类)(?![\s:：])\S")
# A site's category tags before a title (【政策解读】, 【2022年】) and a saved file's extension after it.
TITLE_TAGS = re.compile(r"^(?:【[^】]{1,10}】\s*)+|\.(?:docx?|pdf|wps|txt)$", re.I)
# How a title set over two or three lines ends: …情况的报告, …工作安排的通知.
TITLE_END = re.compile(r"(?:报告|通知|方案|意见|要点|安排|规划|决定|总结|计划|纲要|函|清单|解读|公告|公示|讲话|办法)$")
LAW_WORDS = re.compile(r"法治|依法行政|法制")


def _is_title_like(line: str) -> bool:
    return (MIN_TITLE_CHARS <= len(line) <= MAX_TITLE_CHARS and bool(HAS_HAN.search(line))
            and line[-1] not in ",，、:：;；" and "。" not in line[:-1] and not BYLINE.fullmatch(line)
            and not CREDIT.fullmatch(line) and line != IMAGE_LINE and not DOC_NUMBER.fullmatch(line)
            and not RUN_IN_LABEL.match(line))


def _title_score(line: str) -> int:
    return (3 * bool(LAW_WORDS.search(line)) + 3 * bool(TITLE_WORDS.search(line))
            + 2 * bool(re.search(r"(?:19|20)\d\d\s*年", line)) - 3 * line.endswith("。"))


def tidy_title(title: str) -> str:
    """Drop spaces a page layout left inside quotes and around dashes, a site's category tags and a
    file extension; keep phrase separators."""
    title = TITLE_TAGS.sub("", " ".join(title.split())).strip()
    title = re.sub(r"\s+[(（](?:19|20)\d\d\s*年?[)）]$", "", title)   # a wiki's edition note: … (2020年)
    title = re.sub(r"\s*(——|—)\s*", r"\1", title)
    for opening, closing in OPEN_CLOSE:
        title = re.sub(rf"{re.escape(opening)}[^{re.escape(closing)}]*{re.escape(closing)}",
                       lambda m: m.group(0).replace(" ", ""), title)
    return title.strip()


def is_meta_line(line: str) -> bool:
    """Tell whether a line is page metadata: 发布时间:…, 来源:…, or a date with an outlet's name."""
    if META_LINE.fullmatch(line) and len(line) <= 120:
        return True
    if RUN_IN_LABEL.match(line) and len(line) <= 60:
        return True
    # A site's name before the values: 某县人民政府门户网站 www.… 发布时间：2026-02-27 10:28.
    keyed = re.search(rf"\s(?:{_KEYS})\s*[:：]", line)
    if keyed and len(line) <= 120 and not _is_prose(line) and "。" not in line:
        return True
    date = DATE.search(line) or DAY_FIRST.search(line)
    if not date or len(line) > 60:
        return False
    rest = line[:date.start()] + line[date.end():]
    return len(HAS_HAN.findall(rest)) <= DATE_LINE_MAX_OTHER_HAN and not _is_prose(line)


def _meta_blocks(line: str) -> list[Block]:
    run_in = RUN_IN_LABEL.match(line)
    if run_in:
        key = line[:run_in.end() - 1]
        return [Block("meta", line[len(key):].strip(), key=key)]
    matches = list(META_PAIR.finditer(line))
    if not matches:
        return [Block("meta", line, key="日期")]
    # A bare date may precede the keyed pairs: 2023年03月15日 来源：某局.
    leading = DATE.search(line[:matches[0].start()])
    blocks = [Block("meta", leading.group(0), key="日期")] if leading else []
    return blocks + [Block("meta", value, key=key) for m in matches
                     if (key := m.group(1)) and (value := m.group(2).strip().strip("|｜").strip())]


def _strip_key(line: str) -> str:
    return re.sub(r"^(?:作者|文)\s*[:：/／]\s*", "", line)


# --- body ----------------------------------------------------------------------------------

def _join_broken(lines: Sequence[str]) -> list[str]:
    """Re-join a paragraph that the page broke in mid-sentence (seed 002: …的草 / 拟等…)."""
    joined: list[str] = []
    for index, line in enumerate(lines):
        after = lines[index + 1] if index + 1 < len(lines) else ""
        if not joined or not _is_unfinished(joined[-1]) or _starts_block(line):
            joined.append(line)
            continue
        head, stop, tail = joined[-1].rpartition("。")
        if stop and len(tail) <= MAX_SUBHEAD_CHARS and _is_subhead(line, after):
            # A heading that lost the line break before it (devset 13: "…成效。全面贯彻落实党的
            # 二十大精神" / "统筹推进法治政府建设高质量发展"): split it off as a two-line heading.
            joined[-1] = head + stop
            joined.append(f"{tail} {line}")
        else:
            joined[-1] += line
    return joined


def _is_unfinished(line: str) -> bool:
    if CREDIT.fullmatch(line):
        return False                     # a photo's caption and credit: 某某干部进行宪法宣誓。韩颖群摄
    if line == IMAGE_LINE or line[-1] in TERMINAL or line[-1] in "”’」』）)》】" or is_meta_line(line):
        return False
    if line[-1] in "，,、":
        return True
    if any(line.count(a) > line.count(b) for a, b in OPEN_CLOSE):
        return True  # a quotation or title mark is still open
    numbered = H2.match(line) or H3.match(line) or LEAD.match(line)
    if len(line) > (MAX_HEADING_CHARS if numbered else 2 * MAX_SUBHEAD_CHARS + 1) \
            or (not numbered and len(line) > MAX_SUBHEAD_CHARS and " " not in line):
        return True  # too long for a heading, yet no full stop
    last_clause = re.split(r"[，,、；;]", line)[-1]
    return len(last_clause) <= 2 < len(line)  # "…新形势、新" / "任务、新要求"


def _starts_block(line: str) -> bool:
    return bool(line == IMAGE_LINE or H2.match(line) or H3.match(line) or LEAD.match(line)
                or META_LINE.fullmatch(line) or BYLINE.fullmatch(line) or CREDIT.fullmatch(line))


def _body_blocks(lines: Sequence[str], has_numbered: bool) -> tuple[Block, ...]:
    blocks: list[Block] = []
    for index, line in enumerate(lines):
        before = lines[index - 1] if index else ""
        after = lines[index + 1] if index + 1 < len(lines) else ""
        if line == IMAGE_LINE:
            continue
        if META_LINE.fullmatch(line) and len(line) <= 120:
            blocks.extend(_meta_blocks(line))
        elif CREDIT.fullmatch(line):
            _add_credit(blocks, line)
        elif BYLINE.fullmatch(line) and "。" not in line:
            blocks.append(Block("byline", _strip_key(line)))
        elif CAPTION_START.fullmatch(line) or _beside_image(line, before, after):
            blocks.append(Block("caption", line))
        elif (heading := _numbered_heading(line)) is not None:
            blocks.extend(heading)
        elif (lead := LEAD.match(line)) is not None:
            blocks.append(_lead_paragraph(line, lead.end()))
        elif _is_subhead(line, after):
            blocks.append(Block("heading", line, level=3 if has_numbered else 2))
        else:
            blocks.append(Block("paragraph", line))
    return tuple(blocks)


def _numbered_heading(line: str) -> list[Block] | None:
    marker = H2.match(line) or H3.match(line)
    if marker is None:
        return None
    level = 2 if H2.match(line) else 3
    stop = line.find("。")
    if stop == -1 or stop == len(line) - 1:
        text = line.rstrip("。")
        limit = MAX_HEADING_CHARS if stop == -1 else MAX_SENTENCE_HEADING_CHARS
        return [Block("heading", text, level=level)] if len(line) <= limit else [Block("paragraph", line)]
    if stop <= MAX_HEADING_CHARS:
        # A run-in heading: "（一）全面准确学习领会。市政府主要负责同志……"
        return [Block("heading", line[:stop], level=level), Block("paragraph", line[stop + 1:].strip())]
    return [Block("paragraph", line)]


def _lead_paragraph(line: str, marker_end: int) -> Block:
    stop = line.find("。")
    if stop == -1 or stop == len(line) - 1 or stop > MAX_LEAD_CHARS:
        if stop == -1 and len(line) <= MAX_HEADING_CHARS:
            return Block("heading", line, level=4)
        return Block("paragraph", line)
    return Block("paragraph", line[stop + 1:].strip(), lead=line[:stop + 1])


def _is_subhead(line: str, after: str) -> bool:
    """A short unnumbered line without final punctuation, followed by text, heads a section.

    A sub-head may run over two lines, kept apart by one space (devset 13).
    """
    parts = line.split(" ")
    return (len(parts) <= 2 and all(len(part) <= MAX_SUBHEAD_CHARS for part in parts)
            and line[-1] not in TERMINAL + "，,、" and bool(after)
            and not SIGNATURE_DATE.search(line) and bool(HAS_HAN.search(line)))


def _beside_image(line: str, before: str, after: str) -> bool:
    """A short single sentence next to a picture is its caption (seed 000)."""
    if IMAGE_LINE not in (before, after) or len(line) > MAX_IMAGE_CAPTION_CHARS:
        return False
    # A short line without a full stop that leads into prose is a sub-head, not a caption.
    return line.count("。") <= 1 and (line.endswith("。") or not _is_subhead(line, after))


def _add_credit(blocks: list[Block], line: str) -> None:
    """Attach a photo credit (… 摄) to the caption line above it, or make it a caption."""
    previous = blocks[-1] if blocks else None
    bare_credit = len(line) <= 15
    if bare_credit and previous and previous.kind in ("paragraph", "heading") \
            and len(previous.text) <= MAX_CAPTION_CHARS and previous.text[-1] not in "。；;":
        blocks[-1] = Block("caption", f"{previous.text} {line}")
    else:
        blocks.append(Block("caption", line))


COVER_CUE = re.compile(r"印发给你们|现予印发|请认真(?:贯彻|组织|抓好)|请结合实际|遵照执行|照此执行")
PUBLIC_NOTE = re.compile(r"[（(]此件[^）)]{0,8}[）)]")
PERIOD_LINE = re.compile(r"[（(][^）)]{4,20}[）)]")


def _cover_letter(blocks: tuple[Block, ...], has_title: bool) -> tuple[Block, ...]:
    """A notice that issues a document (…现印发给你们，请认真贯彻执行。 / 某局 / 2021年12月31日)
    is signed under its first sentences: the signature is the notice's, and the document's own
    title follows it (the page's title when the page shows no other)."""
    cue = next((i for i, b in enumerate(blocks[:4]) if b.kind == "paragraph" and COVER_CUE.search(b.text)), None)
    if cue is None:
        return blocks
    out, at = list(blocks), cue + 1
    if at + 1 < len(out) and ORG.fullmatch(out[at].text) and _is_signature_date(out[at + 1].text):
        out[at], out[at + 1] = Block("signature", out[at].text), Block("signature", out[at + 1].text)
        at += 2
    elif at < len(out) and _is_signature_date(out[at].text):
        out[at] = Block("signature", out[at].text)
        at += 1
    else:
        return blocks
    while at < len(out) and PUBLIC_NOTE.fullmatch(out[at].text):
        del out[at]
    if not has_title and at < len(out) and out[at].kind == "heading":
        title = out[at].text
        if at + 1 < len(out) and PERIOD_LINE.fullmatch(out[at + 1].text):
            title += out.pop(at + 1).text
        out[at] = Block("title", tidy_title(title))
    return tuple(out)


def _signed_in_mid_page(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """A body and a date on two lines of their own sign what stands above them, even when more
    follows (a notice, then the list it publishes)."""
    for at in range(len(blocks) - 1):
        first, second = blocks[at], blocks[at + 1]
        if first.kind in ("paragraph", "heading") and ORG.fullmatch(first.text) and len(first.text) <= 40 \
                and second.kind in ("paragraph", "heading") and _is_signature_date(second.text):
            out = list(blocks)
            out[at], out[at + 1] = Block("signature", first.text), Block("signature", second.text)
            return tuple(out)
    return blocks


def _mark_signature(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Turn a closing issuer line and date (重庆市人民政府 / 2021年3月27日) into signature blocks.

    The signature ends the report: the short lines a saved page has after it (（此件公开发布）,
    a list of links) are dropped, as long as none of them is a sentence of the report. Without a
    signature, the articles listed at the end (a title, then its date) and a block of bare link
    labels go too."""
    body = list(blocks)
    text_at = [i for i, b in enumerate(body) if b.kind in ("paragraph", "heading")]
    if not text_at:
        return blocks
    dropped: set[int] = set()
    trailing: list[int] = []                     # the short lines after the last sentence, last first
    for back, at in enumerate(reversed(text_at)):
        if back > MAX_AFTER_SIGNATURE:
            break
        if _is_signature_date(body[at].text):
            body[at] = Block("signature", body[at].text)
            position = text_at.index(at)
            if position and ORG.fullmatch(body[text_at[position - 1]].text):
                body[text_at[position - 1]] = Block("signature", body[text_at[position - 1]].text)
            after = set(text_at[position + 1:])
            return tuple(block for i, block in enumerate(body) if i not in after)
        if not _is_after_signature(body[at].text):
            break
        trailing.append(at)
        if RELATED_ITEM.fullmatch(body[at].text):
            dropped.add(at)
    # Three or more bare labels in a row at the end are a block of links (中国政府网 / 某省人民政府 …);
    # the first may still be the signing body, named without a date.
    if len(trailing) >= MIN_LINK_BLOCK and all(LINK_LABEL.fullmatch(body[at].text) for at in trailing):
        dropped.update(trailing[:-1] if ORG.fullmatch(body[trailing[-1]].text) else trailing)
    last = next((at for at in reversed(text_at) if at not in dropped), None)
    if last is not None and ORG.fullmatch(body[last].text):
        body[last] = Block("signature", body[last].text)
    return tuple(block for i, block in enumerate(body) if i not in dropped)


def _is_after_signature(text: str) -> bool:
    """A line a page may show below a signature: short, and no sentence."""
    return len(text) <= MAX_CAPTION_CHARS and not re.search(r"[。；;，,]", text)


def _is_signature_date(text: str) -> bool:
    # Pages drop characters: seed 004 signs "20213月27日".
    compact = arabic_date(text.replace(" ", ""))
    return bool(SIGNATURE_DATE.fullmatch(compact) or re.fullmatch(r"\d{5,6}月\d{1,2}日", compact))
