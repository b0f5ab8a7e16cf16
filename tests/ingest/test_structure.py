"""structure: clean lines → title, headings, paragraphs, captions, signature."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.ingest.extract import IMAGE_LINE
from lawreport_site.ingest.markdown import body_markdown
from lawreport_site.ingest.structure import Block, arabic_date, outline, structure, tidy_title

PROSE = "全面推进依法行政,法治政府建设取得新成效,人民群众获得感、幸福感、安全感不断增强,各项工作稳步推进落实。"


def kinds(blocks):
    return [(b.kind, b.level, b.text) for b in blocks]


def test_numbered_headings_map_to_levels():
    blocks = structure(["一、主要工作情况", "(一)加强组织领导", PROSE, "二、存在的问题", PROSE])
    assert outline(blocks) == "一、主要工作情况\n  (一)加强组织领导\n二、存在的问题"


def test_run_in_heading_is_split_from_its_paragraph():
    blocks = structure([PROSE, "(一)全面准确学习领会。市政府主要负责同志带头深入学习。"])
    assert kinds(blocks)[1:] == [("heading", 3, "(一)全面准确学习领会"),
                                 ("paragraph", 0, "市政府主要负责同志带头深入学习。")]


def test_long_numbered_sentence_is_a_paragraph_not_a_heading():
    item = "(二)基层政府和部门法律顾问作用发挥不够,存在不注重发挥法律顾问“智库”作用的现象。"
    assert kinds(structure([PROSE, item]))[1] == ("paragraph", 0, item)


def test_numbered_lead_stays_a_paragraph_with_a_bold_lead():
    block = structure([PROSE, "1.落实第一责任人责任。加强法治政府建设组织领导。"])[1]
    assert (block.kind, block.lead, block.text) == ("paragraph", "1.落实第一责任人责任。", "加强法治政府建设组织领导。")
    assert body_markdown([block]) == "**1.落实第一责任人责任**。加强法治政府建设组织领导。\n"


def test_line_broken_mid_sentence_is_rejoined():
    blocks = structure([PROSE, "为了做好涉法性文件的审查工作,市司法局紧紧围绕重点任务,对需要清理的规范性文件进行审查,以及合同文本的草",
                        "拟等涉法事务。"])
    assert blocks[-1].text.endswith("合同文本的草拟等涉法事务。")


def test_enumeration_cut_after_a_comma_word_is_rejoined():
    blocks = structure([PROSE, "面对法治政府建设的新形势、新", "任务、新要求,在全市形成推进格局。"])
    assert blocks[-1].text == "面对法治政府建设的新形势、新任务、新要求,在全市形成推进格局。"


def test_short_unnumbered_line_before_prose_is_a_subhead():
    blocks = structure([PROSE, "抓组织领导之“纲”", PROSE])
    assert kinds(blocks)[1] == ("heading", 2, "抓组织领导之“纲”")


def test_heading_glued_to_the_paragraph_above_is_split_off():
    blocks = structure(["2022年,司法部扎实推进法治政府建设,各项工作取得重要进展和成效。全面贯彻落实党的二十大精神",
                        "统筹推进法治政府建设高质量发展", PROSE])
    assert kinds(blocks)[:2] == [
        ("paragraph", 0, "2022年,司法部扎实推进法治政府建设,各项工作取得重要进展和成效。"),
        ("heading", 2, "全面贯彻落实党的二十大精神 统筹推进法治政府建设高质量发展")]


def test_short_sentence_next_to_a_picture_is_a_caption():
    blocks = structure([PROSE, IMAGE_LINE, "市政府领导积极出庭应诉,化解行政争议。", "守职能转变之“魂”", PROSE])
    assert kinds(blocks)[1:3] == [("caption", 0, "市政府领导积极出庭应诉,化解行政争议。"),
                                  ("heading", 2, "守职能转变之“魂”")]


def test_photo_credit_joins_the_caption_above_it():
    blocks = structure([PROSE, "平顶山市领导干部法治专题讲座暨法治政府建设推进会会场", "本报记者 卢拥军 摄"])
    assert kinds(blocks)[-1] == ("caption", 0, "平顶山市领导干部法治专题讲座暨法治政府建设推进会会场 本报记者 卢拥军 摄")


def test_title_byline_and_metadata_leave_the_body():
    blocks = structure(["今日关注", "让政府工作在法治轨道上稳步前行", "——我市创建法治政府建设示范市工作巡礼",
                        "本报记者 卢拥军 通讯员 张晓红 李洋", "发布时间:2021-03-27 15:25", PROSE])
    assert kinds(blocks) == [
        ("title", 0, "让政府工作在法治轨道上稳步前行——我市创建法治政府建设示范市工作巡礼"),
        ("byline", 0, "本报记者 卢拥军 通讯员 张晓红 李洋"),
        ("meta", 0, "2021-03-27 15:25"),
        ("paragraph", 0, PROSE)]


def test_metadata_label_and_value_on_separate_lines_are_joined():
    blocks = structure(["• 信息索引号:", "330782000000/2024-549121", "• 文件名称:", "• 发布机构:", "义乌市人民政府",
                        "2023年义乌市法治政府建设工作情况报告", PROSE])
    assert [(b.key, b.text) for b in blocks if b.kind == "meta"] == [
        ("信息索引号", "330782000000/2024-549121"), ("发布机构", "义乌市人民政府")]


def test_signature_leaves_the_running_text():
    blocks = structure([PROSE, PROSE, "重庆市人民政府", "20213月27日"])
    assert [b.kind for b in blocks] == ["paragraph", "paragraph", "signature", "signature"]


@pytest.mark.parametrize("raw, tidy", [
    ("筑牢主体工程 实现率先突破 ——我市成功创建“第一批全省 法治政府建设示范地区”综述",
     "筑牢主体工程 实现率先突破——我市成功创建“第一批全省法治政府建设示范地区”综述"),
    ("关于《 法治政府 》的报告", "关于《法治政府》的报告"),
])
def test_tidy_title_removes_layout_spaces(raw, tidy):
    assert tidy_title(raw) == tidy


def test_markdown_escapes_text_that_would_become_markup():
    markdown = body_markdown([Block("paragraph", "1. 见 <script>alert(1)</script> 与 *强调* 和 [链接](javascript:x)")])
    assert markdown == "1\\. 见 \\<script\\>alert(1)\\</script\\> 与 \\*强调\\* 和 \\[链接\\](javascript:x)\n"


@given(st.lists(st.text(max_size=80), max_size=40))
def test_structure_never_raises(lines):
    lines = [" ".join(line.split()) for line in lines]
    blocks = structure([line for line in lines if line])
    body_markdown(blocks)


@pytest.mark.parametrize("text, digits", [
    ("二〇二三年三月二十日", "2023年3月20日"), ("二○一九年十二月三十一日", "2019年12月31日"),
    ("二零二一年十月十日", "2021年10月10日"), ("二〇二〇年一月九日印发", "2020年1月9日印发"),
    ("2023年3月1日", "2023年3月1日"), ("十二月", "十二月")])
def test_dates_in_chinese_numerals_are_read_as_digits(text, digits):
    assert arabic_date(text) == digits


def test_a_label_spaced_to_a_table_width_is_a_label():
    blocks = structure(["名 称： 某市人民政府关于2022年度法治政府建设情况的报告", "有 效 性： 有效",
                        "某市2022年度法治政府建设情况报告", PROSE])
    assert [(b.kind, b.key, b.text) for b in blocks[:2]] == [
        ("meta", "名称", "某市人民政府关于2022年度法治政府建设情况的报告"), ("meta", "有效性", "有效")]


def test_a_widget_ends_a_metadata_value():
    blocks = structure(["发布日期：2022-03-30 来源：市司法局 浏览次数： 【大 中 小】", "某市法治政府建设情况报告", PROSE])
    assert [(b.key, b.text) for b in blocks if b.kind == "meta"] == [("发布日期", "2022-03-30"), ("来源", "市司法局")]


def test_the_signature_ends_the_report_and_what_follows_it_goes():
    blocks = structure(["某州法治政府建设情况报告", PROSE, "某某自治州人民政府", "二〇二三年三月二十日",
                        "（此件公开发布）", "中国政府网", "国务院部门网站"])
    assert kinds(blocks)[2:] == [("signature", 0, "某某自治州人民政府"), ("signature", 0, "二〇二三年三月二十日")]


def test_a_sentence_after_a_date_keeps_the_date_in_the_body():
    blocks = structure(["某县法治政府建设情况报告", PROSE, "2023年3月20日", PROSE])
    assert [b.kind for b in blocks] == ["title", "paragraph", "paragraph", "paragraph"]


def test_a_list_of_other_articles_at_the_end_goes():
    blocks = structure(["某市法治政府建设情况报告", PROSE, "某市2019年法治政府建设工作情况报告 2020-03-27",
                        "市政府召开常务会议 专题学习民法典 2021-03-19"])
    assert [b.kind for b in blocks] == ["title", "paragraph"]


def test_a_title_set_under_its_issuer_is_one_title():
    blocks = structure(["绵阳市人民政府", "关于2020年法治政府建设工作情况的报告", "2021-04-02 09:30:12", PROSE])
    assert blocks[0] == Block("title", "绵阳市人民政府关于2020年法治政府建设工作情况的报告")
    assert blocks[1].kind == "meta"


def test_an_empty_value_and_a_label_glued_to_a_value_end_where_the_next_label_starts():
    blocks = structure(["文号： 发布日期： 2023-03-31", "来源：青海省人民政府发布时间：2023-03-31 17:05",
                        "青海省2022年法治政府建设情况", PROSE])
    assert [(b.key, b.text) for b in blocks if b.kind == "meta"] == [
        ("发布日期", "2023-03-31"), ("来源", "青海省人民政府"), ("发布时间", "2023-03-31 17:05")]


def test_a_signature_dated_in_full_width_digits():
    blocks = structure(["某县法治政府建设情况报告", PROSE, "某县人民政府", "２０２２年３月１５日"])
    assert [b.kind for b in blocks][-2:] == ["signature", "signature"]


def test_a_title_under_its_issuer_that_starts_with_its_year():
    assert structure(["通渭县人民政府", "2023年度法治政府建设情况报告", PROSE])[0] == Block(
        "title", "通渭县人民政府2023年度法治政府建设情况报告")


def test_a_block_of_links_at_the_end_goes_but_an_undated_signature_stays():
    links = ["中国政府网", "甘肃省人民政府", "定西市人民政府"]
    assert [b.kind for b in structure(["某县法治政府建设情况报告", PROSE, *links])] == ["title", "paragraph"]
    blocks = structure(["某市法治政府建设情况报告", PROSE, "赣州市人民政府", *links])
    assert kinds(blocks)[2:] == [("signature", 0, "赣州市人民政府")]


def test_a_label_in_brackets_is_a_label():
    blocks = structure(["[成文日期] 2024-02-20 [发布日期] 2024-02-27", "某区2023年法治政府建设情况报告", PROSE])
    assert [(b.key, b.text) for b in blocks if b.kind == "meta"] == [("成文日期", "2024-02-20"), ("发布日期", "2024-02-27")]


def test_an_empty_label_does_not_take_the_title_below_it():
    blocks = structure(["文号：", "大连市卫生健康委员会2024年法治政府建设年度报告", "2025-01-24", PROSE])
    assert blocks[0] == Block("title", "大连市卫生健康委员会2024年法治政府建设年度报告")
