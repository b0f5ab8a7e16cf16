"""Themes: the taxonomy file, sections of a body, and which sections concern which theme."""
import re

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.helpers import seed_body
from lawreport_site.archive.themes import (
    EXCERPT_CHARS, Passage, Section, excerpt, heading_anchor, load_themes, parse_themes, passages,
    keyword_hits, report_themes, section_themes, split_sections, theme_by_slug, theme_hits,
)

SLUGS = ("government-functions", "rules-and-documents", "major-decisions", "law-enforcement",
         "emergency-response", "dispute-resolution", "oversight", "digital-government",
         "leadership-responsibility", "legal-education", "public-legal-services")
GENERIC = {"法治", "政府", "依法", "建设", "法治政府", "法治政府建设", "依法行政", "法律", "工作",
           "改革", "监督", "服务", "制度", "执法", "决策", "管理", "领导", "责任", "平台", "公开"}


SYNTHETIC = """\
今年我们继续推进各项工作。

## 一、深化“放管服”改革

**1.优化营商环境**。推行证明事项告知承诺制,政务服务事项全部实现一网通办。

*图为市政务服务中心行政复议窗口*

## 二、化解矛盾纠纷

### （一）行政复议

全年受理行政复议申请16件,人民调解组织调解纠纷1304件。

#### 1.信访

畅通网上信访渠道。
"""


# --- the taxonomy -------------------------------------------------------------------------------

def test_themes_follow_the_outline_in_file_order():
    assert tuple(theme.slug for theme in load_themes()) == SLUGS


def test_every_theme_has_a_chinese_name_description_and_keywords():
    for theme in load_themes():
        assert re.fullmatch(r"[\u4e00-\u9fff与和]+", theme.name), theme.slug
        assert theme.description and "\n" not in theme.description
        assert len(theme.keywords) == len(theme.weights) >= 8


def test_theme_by_slug_finds_a_theme_or_returns_none():
    assert theme_by_slug("law-enforcement").name == "行政执法"
    assert theme_by_slug("no-such-theme") is None


def test_keywords_are_not_generic():
    for theme in load_themes():
        assert not GENERIC & set(theme.keywords), theme.slug
        assert all(len(keyword) >= 2 for keyword in theme.keywords), theme.slug


def test_each_keyword_belongs_to_one_theme():
    seen: dict[str, str] = {}
    for theme in load_themes():
        for keyword in theme.keywords:
            assert keyword not in seen, f"{keyword} in {seen.get(keyword)} and {theme.slug}"
            seen[keyword] = theme.slug


def test_keywords_are_simplified_chinese():
    t2s = opencc.OpenCC("t2s")
    for theme in load_themes():
        assert [t2s.convert(k) for k in theme.keywords] == list(theme.keywords), theme.slug


def test_expected_keywords_are_in_their_themes():
    assert {"行政复议", "调解", "信访", "矛盾纠纷", "行政裁决"} <= set(theme_by_slug("dispute-resolution").keywords)
    assert {"放管服", "营商环境", "权责清单", "证明事项", "告知承诺", "政务服务", "一网通办"} \
        <= set(theme_by_slug("government-functions").keywords)
    assert {"政务公开", "审计", "出庭应诉", "行政应诉", "人大监督"} <= set(theme_by_slug("oversight").keywords)


def test_unquoted_number_keyword_is_rejected():
    entry = {"slug": "x", "name": "测试", "description": "测试", "keywords": [12345]}
    with pytest.raises(ValueError, match="quote numbers"):
        parse_themes([entry])


def test_slug_must_be_kebab_case():
    entry = {"slug": "Law_Enforcement", "name": "行政执法", "description": "…", "keywords": ["行政执法"]}
    with pytest.raises(ValueError, match="kebab-case"):
        parse_themes([entry])


# --- sections -----------------------------------------------------------------------------------

def test_split_sections_cuts_at_h2_and_h3_and_keeps_the_lead():
    sections = split_sections(SYNTHETIC)
    assert [(s.heading, s.anchor, s.level) for s in sections] == [
        ("", "", 0),
        ("一、深化“放管服”改革", "s-1", 2),
        ("二、化解矛盾纠纷", "s-2", 2),
        ("（一）行政复议", "s-3", 3),
    ]
    assert sections[0].text == "今年我们继续推进各项工作。"


def test_section_text_is_plain_without_captions():
    first = split_sections(SYNTHETIC)[1]
    assert first.text == "1.优化营商环境。推行证明事项告知承诺制,政务服务事项全部实现一网通办。"


def test_deeper_headings_stay_in_their_section_but_are_counted():
    last = split_sections(SYNTHETIC)[-1]
    assert last.text.splitlines() == ["全年受理行政复议申请16件,人民调解组织调解纠纷1304件。",
                                      "1.信访", "畅通网上信访渠道。"]
    body = SYNTHETIC + "\n## 三、其他\n\n正文。\n"
    assert split_sections(body)[-1].anchor == "s-5"   # after the #### heading, which is s-4


def test_anchor_is_the_position_among_all_headings_as_commonmark_parses_them():
    body = seed_body("004")
    headings = [t for t in MarkdownIt("commonmark").parse(body) if t.type == "heading_open"]
    anchors = [s.anchor for s in split_sections(body) if s.anchor]
    assert anchors == [heading_anchor("", n) for n in range(1, len(headings) + 1)]


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_heading_anchors_are_ascii_and_unique_within_a_report(number):
    anchors = [s.anchor for s in split_sections(seed_body(number)) if s.anchor]
    assert len(set(anchors)) == len(anchors)
    assert all(re.fullmatch(r"s-[1-9]\d*", anchor) for anchor in anchors)


def test_heading_anchor_ignores_the_text_and_counts_from_one():
    assert heading_anchor("一、存在的问题", 3) == heading_anchor("二、下一步", 3) == "s-3"
    with pytest.raises(ValueError):
        heading_anchor("一、主要工作", 0)


def test_lines_broken_inside_chinese_join_without_a_space():
    (section,) = split_sections("全年受理行政\n复议申请16件。\n")
    assert section.text == "全年受理行政复议申请16件。"


def test_a_heading_without_text_still_makes_a_section():
    assert [s.anchor for s in split_sections("##\n\n正文。\n\n## 二、下一步\n")] == ["s-1", "s-2"]


def test_empty_body_has_no_sections():
    assert split_sections("") == ()


# --- tagging ------------------------------------------------------------------------------------

def test_synthetic_sections_are_tagged_by_their_subject():
    sections = split_sections(SYNTHETIC)
    assert section_themes(sections[0]) == ()
    assert section_themes(sections[1]) == ("government-functions",)
    assert section_themes(sections[3]) == ("dispute-resolution",)


def test_a_heading_hit_alone_tags_a_section():
    assert section_themes(Section("四、深化行政复议体制改革", "s-4", 2, "")) == ("dispute-resolution",)


def test_one_hit_in_the_text_does_not_tag_a_section():
    section = Section("（二）其他工作", "s-2", 3, "全年办理行政复议案件3件。其他工作有序开展。")
    assert "dispute-resolution" not in section_themes(section)


def test_section_themes_are_ranked_by_hits():
    text = "开展普法宣传,落实普法责任制,建设法治文化阵地。提供法律援助。法律援助中心接待咨询。"
    assert section_themes(Section("", "", 0, text)) == ("legal-education", "public-legal-services")


def test_fullwidth_plus_matches_internet_plus():
    text = "推进“互联网＋监管”,建设“互联网+政务服务”平台。"
    assert "digital-government" in section_themes(Section("", "", 0, text))


def test_a_department_name_does_not_count_as_its_keyword():
    text = "对发展改革、工业和信息化、交通运输等部门职责进行调整。工业和信息化局牵头。"
    assert "digital-government" not in section_themes(Section("", "", 0, text))


def test_synthetic_report_themes():
    # 矛盾纠纷 and 行政复议 in two headings outweigh the single 放管服 heading.
    assert report_themes(SYNTHETIC) == ("dispute-resolution", "government-functions")


def test_a_passing_mention_does_not_tag_the_report():
    work = "深化“放管服”改革,推行证明事项告知承诺制,政务服务事项实现一网通办,持续优化营商环境。"
    body = "\n\n".join(["## 一、深化“放管服”改革", *[work] * 10, "同时依法办理行政复议案件2件。"])
    assert report_themes(body) == ("government-functions",)


def test_report_themes_respects_the_limit():
    assert len(report_themes(seed_body("003"), limit=2)) == 2


def test_seed_004_chongqing_is_about_government_functions_and_disputes():
    themes = report_themes(seed_body("004"))
    assert {"government-functions", "dispute-resolution"} <= set(themes)


def test_seed_001_xiaochang_is_about_disputes_and_oversight():
    themes = report_themes(seed_body("001"))
    assert {"dispute-resolution", "oversight", "law-enforcement"} <= set(themes)
    assert "digital-government" not in themes   # two passing mentions of 信息共享


def test_seed_001_sections_are_tagged_after_their_headings():
    by_number = {s.heading[:3]: section_themes(s) for s in split_sections(seed_body("001"))}
    assert by_number["(二)"][0] == "rules-and-documents"
    assert by_number["(三)"][0] == "major-decisions"
    assert by_number["(六)"][0] == "oversight"
    assert by_number["(七)"][0] == "dispute-resolution"


def test_feature_without_numbered_headings_still_gets_themes():
    assert "government-functions" in report_themes(seed_body("000"))


# --- passages -----------------------------------------------------------------------------------

def test_passages_point_at_the_tagged_sections():
    found = passages(SYNTHETIC, "dispute-resolution")
    assert found[0] == Passage("s-2", "二、化解矛盾纠纷", "")
    assert found[1].anchor == "s-3" and found[1].excerpt.startswith("全年受理行政复议申请")


@pytest.mark.parametrize("number,slug", [("004", "dispute-resolution"), ("001", "oversight"),
                                         ("003", "public-legal-services")])
def test_passage_excerpts_are_short_and_contain_a_keyword(number, slug):
    keywords = theme_by_slug(slug).keywords
    found = passages(seed_body(number), slug)
    assert found
    for passage in found:
        assert len(passage.excerpt) <= EXCERPT_CHARS
        assert any(keyword in passage.excerpt for keyword in keywords), passage


def test_passage_excerpt_has_no_markdown():
    body = "## 一、化解纠纷\n\n**1.加强调解**。" + "人民调解组织调解纠纷1304件。" * 20 + "\n"
    (passage,) = passages(body, "dispute-resolution")
    assert "*" not in passage.excerpt and passage.excerpt.startswith("1.加强调解。")


def test_passages_of_an_unknown_theme_name_the_known_ones():
    with pytest.raises(ValueError, match="dispute-resolution"):
        passages(SYNTHETIC, "disputes")


def test_excerpt_opens_at_the_sentence_of_the_match():
    text = "甲" * 300 + "。全年办理行政复议案件。" + "乙" * 300
    start = text.index("行政复议")
    assert excerpt(text, start, start + 4).startswith("…全年办理行政复议案件。")


@given(st.text(st.sampled_from("行政复议调解。；\n甲乙 "), max_size=400), st.data())
def test_excerpt_is_bounded_and_keeps_the_match(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 8)))
    result = excerpt(text, start, end)
    assert len(result) <= EXCERPT_CHARS
    assert text[start:end].replace("\n", " ") in result


def _hits_one_theme_at_a_time(sections):
    result = []
    for section in sections:
        hits = {}
        for theme in load_themes():
            heading, text = keyword_hits(theme, section.heading), keyword_hits(theme, section.text)
            if heading or text:
                hits[theme.slug] = (heading, text)
        result.append(hits)
    return tuple(result)


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_one_pass_over_a_report_finds_what_each_theme_finds_alone(number):
    sections = split_sections(seed_body(number))
    assert theme_hits(sections) == _hits_one_theme_at_a_time(sections)


@given(st.lists(st.sampled_from(["行政复议", "复议", "行政", "执法", "普法", "依法行政", "＋", "互联网+",
                                 "放管服", "\n", "。", "规范性文件", "第一责任人", "营商环境", "x"]),
                max_size=30).map("".join))
def test_one_pass_finds_overlapping_keywords_as_each_theme_does(text):
    sections = (Section("", "", 0, text), Section(text[:7], "s-1", 2, text[::-1]))
    assert theme_hits(sections) == _hits_one_theme_at_a_time(sections)
