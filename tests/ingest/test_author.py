"""author, doctype and the structure rules the real pages asked for, each on the smallest page that
needs it (the pages themselves are in real_pages/)."""
import pytest

from lawreport_site.ingest.clean import clean_lines
from lawreport_site.ingest.metadata import extract_metadata
from lawreport_site.ingest.structure import structure

OPENING = "2022年，{}坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下："


def metadata(*lines):
    return extract_metadata(structure(list(lines)))


def test_a_county_bureau_named_only_in_short_form_is_a_department_of_its_county_and_flagged():
    meta = metadata(OPENING.format("县司法局"), "制定了《潼关县2022年法治政府建设工作要点》，全县推进。")
    assert (meta.place, meta.place_level, meta.parent) == ("潼关县司法局", "department", "潼关县")
    assert "place" in meta.review


def test_a_provincial_bureau_posted_under_its_full_name_is_certain():
    meta = metadata("关于2023年度法治政府建设情况的报告", "发布机构：湖南省生态环境厅", OPENING.format("省生态环境厅"))
    assert (meta.place, meta.place_level, meta.parent, meta.review) == (
        "湖南省生态环境厅", "department", "湖南省", ())


def test_a_street_office_under_its_district_government():
    meta = metadata("鲤城区人民政府金龙街道办事处关于2022年度法治政府建设情况的报告", OPENING.format("我街道"))
    assert (meta.place, meta.place_level, meta.parent, meta.province) == ("金龙街道", "township", "鲤城区", "福建省")


@pytest.mark.parametrize("subject", ["桑柘镇在县委、县政府的领导下", "古城街道"])
def test_a_township_the_opening_names_without_its_county_keeps_its_name_and_flags_its_parent(subject):
    meta = extract_metadata(structure([OPENING.format(subject)]))
    assert (meta.place, meta.place_level, meta.parent) == (subject[:subject.index("在")] if "在" in subject
                                                          else subject, "township", None)
    assert {"parent", "province"} <= set(meta.review)


def test_a_sample_text_names_no_author():
    meta = metadata("xx县司法局法治政府建设工作总结", OPENING.format("xx县司法局在温州市司法局指导下"))
    assert meta.place == "未识别" and "place" in meta.review


def test_what_a_title_names_in_quotes_is_its_object_not_its_author():
    meta = metadata("【政策解读】关于《清水县人民政府关于2023年度法治政府建设工作总结的报告》的政策解读",
                    "按照省市要求，现解读如下：")
    assert meta.title.startswith("关于《清水县") and meta.doc_type == "other" and "place" in meta.review


def test_a_notice_signed_under_its_cover_letter_is_a_plan_with_its_date_and_issuer():
    meta = metadata("各市局，省局各处室：", "《山东省法治市场监管建设规划（2021—2025年）》已经研究通过，现印发给你们，请认真贯彻执行。",
                    "山东省市场监督管理局", "2021年12月31日", "（此件主动公开）", "山东省法治市场监管建设规划", "（2021—2025年）",
                    "为深入学习贯彻习近平法治思想，扎实推进全省法治市场监管建设，制定本规划。")
    assert (meta.title, meta.doc_type, meta.year, meta.published.isoformat(), meta.publisher, meta.place) == (
        "山东省法治市场监管建设规划（2021—2025年）", "work_plan", 2021, "2021-12-31", "山东省市场监督管理局",
        "山东省市场监督管理局")


def test_a_title_set_over_three_lines_under_its_number():
    meta = metadata("西政办〔2020〕20号", "西平县人民政府办公室", "关于印发西平县2020年度法治政府建设", "工作安排的通知",
                    "各乡镇人民政府，县直有关单位：", "《西平县2020年度法治政府建设工作安排》已经县政府同意，现印发给你们，请认真贯彻执行。")
    assert (meta.title, meta.place, meta.doc_type) == (
        "西平县人民政府办公室关于印发西平县2020年度法治政府建设工作安排的通知", "西平县人民政府办公室", "work_plan")


@pytest.mark.parametrize("opening, doc_type", [
    ("6月25日，宁津县组织召开法治政府建设年度报告评议会，对报告进行评议。", "news"),
    ("为深入贯彻落实《法治政府建设实施纲要（2021—2025年）》精神，结合自治区实际，制定本方案。", "work_plan"),
    ("按照省市法治政府建设工作要求，我县总结2023年全县法治政府建设工作，印发《清水县人民政府关于2023年度法治政府建设工作总结的报告》，现解读如下：", "other"),
])
def test_a_page_without_a_title_is_typed_by_its_opening(opening, doc_type):
    assert metadata(opening).doc_type == doc_type


def test_a_report_without_telling_words_is_typed_but_flagged():
    assert "doc_type" in metadata("区政府坚持以习近平法治思想为指导，全面推进依法行政，取得新成效。").review


def test_a_metadata_table_saved_as_text_is_read_not_dropped_as_a_menu():
    lines = clean_lines("成文日期 | 2025-06-13 | 发布日期 | 2025-06-30 |\n" + OPENING.format("金昌市"))
    assert metadata(*lines).published.isoformat() == "2025-06-30"


def test_pinyin_glosses_of_a_gateway_are_dropped():
    assert clean_lines("内(nèi)蒙古自治区(qū)人民政府关(guān)于2021年度法治政府建设(shè)情况的报(bào)告") == (
        "内蒙古自治区人民政府关于2021年度法治政府建设情况的报告",)
