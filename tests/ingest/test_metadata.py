"""metadata: the rules a blind set of portal pages asked for, each on the smallest page that needs it."""
import pytest

from lawreport_site.ingest.metadata import extract_metadata
from lawreport_site.ingest.run import ingest_report
from lawreport_site.ingest.structure import structure

PROSE = "全面推进依法行政，法治政府建设取得新成效，各项工作稳步推进落实。现将有关情况报告如下："


def metadata(*lines):
    return extract_metadata(structure(list(lines)))


@pytest.mark.parametrize("title", ["柳州市发布2022年度法治政府建设情况报告",
                                   "歙县召开县政府常务会议审议2024年度法治政府建设情况报告等事项"])
def test_a_headline_about_a_report_is_news(title):
    assert metadata(title, "发布时间：2023-03-21", PROSE).doc_type == "news"


@pytest.mark.parametrize("title", ["柳州市人民政府关于2022年度法治政府建设情况的报告",
                                   "2021年度昆山市法治政府建设情况报告"])
def test_a_report_is_no_headline(title):
    assert metadata(title, PROSE).doc_type == "annual_report"


def test_a_source_named_at_home_gets_its_government_name():
    meta = metadata("襄阳市2021年法治政府建设年度报告", "发布日期：2022-03-30 来源：市司法局", PROSE)
    assert (meta.place, meta.publisher) == ("襄阳市", "襄阳市司法局")


def test_a_source_of_another_level_is_not_completed():
    meta = metadata("襄阳市2021年法治政府建设年度报告", "发布日期：2022-03-30 来源：县司法局", PROSE)
    assert meta.publisher is None


def test_the_signature_gives_the_issuer_its_full_name():
    meta = metadata("黔东南州人民政府关于2022年法治政府建设情况的报告", PROSE, "黔东南苗族侗族自治州人民政府",
                    "二〇二三年三月二十日")
    assert (meta.publisher, meta.published.isoformat()) == ("黔东南苗族侗族自治州人民政府", "2023-03-20")


def test_a_township_is_named_by_its_place_not_its_government():
    meta = metadata("宾川县金牛镇人民政府2022年法治政府建设工作报告", PROSE)
    assert (meta.place, meta.place_level, meta.parent) == ("金牛镇", "township", "宾川县")


def test_a_street_office_named_in_its_title_and_signature():
    meta = metadata("观澜街道2024年法治政府建设工作报告", "龙华区人民政府：", PROSE, "深圳市龙华区观澜街道办事处",
                    "2025年1月10日")
    assert (meta.place, meta.place_level, meta.parent, meta.province) == ("观澜街道", "township", "龙华区", "广东省")


@pytest.mark.parametrize("title, place", [("渝北区2021年法治政府建设情况报告", "渝北区"),
                                          ("郫县2015年法治政府建设情况报告", "郫都区")])
def test_places_the_packaged_gazetteer_lacked(title, place):
    assert metadata(title, PROSE).place == place


def page(head, body):
    body += f"<p>{PROSE * 4}</p>"                  # enough running text to be a report
    html = f"<html><head>{head}</head><body><div class='nav'><a>首页</a></div>{body}</body></html>"
    return ingest_report(html.encode("utf-8"), "seeds/page.html").report


TAGS = ('<meta name="ArticleTitle" content="宜都市2021年法治政府建设情况报告">'
        '<meta name="PubDate" content="2022-01-20 09:30"><meta name="ContentSource" content="宜都市司法局">')


def test_the_tags_of_a_government_site_give_title_date_and_source():
    report = page(TAGS, f"<p>{PROSE}</p>")
    assert (report.title, report.published.isoformat(), report.publisher) == (
        "宜都市2021年法治政府建设情况报告", "2022-01-20", "宜都市司法局")


def test_what_the_page_shows_wins_over_its_tags():
    report = page(TAGS, f"<h1>宜都市2021年法治政府建设情况报告</h1><p>发布日期：2022-01-21 来源：宜都市人民政府</p><p>{PROSE}</p>")
    assert (report.published.isoformat(), report.publisher) == ("2022-01-21", "宜都市人民政府")


def test_a_report_that_never_names_itself_is_placed_by_its_portal_and_flagged():
    text = "\n".join(["2023年法治政府建设情况报告", f"2023年，我区{PROSE}", "一、主要工作", PROSE * 3,
                      "苏ICP备05000000号 网站标识码：3209030001"])
    report = ingest_report(text.encode("utf-8"), "seeds/page.txt").report
    assert (report.place, report.place_level, report.parent) == ("盐都区", "district", "盐城市")
    assert "place" in report.review


def test_the_signing_body_is_the_publisher_before_the_source_line():
    meta = metadata("弥勒市法治政府建设年度报告", "来源：弥勒市司法局", PROSE, "弥勒市人民政府", "2022年3月15日")
    assert meta.publisher == "弥勒市人民政府"


def test_a_township_signs_with_its_county_in_front():
    meta = metadata("小站镇人民政府关于2020年法治政府建设工作情况的报告", PROSE, "天津市津南区小站镇人民政府",
                    "2021年1月15日")
    assert meta.publisher == "天津市津南区小站镇人民政府"


def test_an_inspection_is_news_and_a_national_bureau_is_a_department():
    news = "12月8日，市督察组到新邵县督察法治政府建设工作，听取了县政府的工作汇报，查阅了相关台账资料。"
    assert metadata("市督察组到新邵县督察法治政府建设工作", "发布时间：2020-12-10", news).doc_type == "news"
    assert metadata("我省16市2021年度法治政府建设情况报告全部向社会公开", news).doc_type == "news"
    meta = metadata("中国气象局2021年法治政府建设年度报告", PROSE)
    assert (meta.place, meta.place_level, meta.province) == ("中国气象局", "department", None)


def test_a_table_cell_holding_only_a_label_labels_the_next():
    table = ("<table><tr><td class='l'>发布机构</td><td>桐乡市乌镇镇人民政府</td>"
             "<td class='l'>发布日期</td><td>2023-01-12</td></tr></table>")
    report = page("", f"{table}<h1>乌镇镇人民政府2022年度法治政府建设工作报告</h1>"
                      "<p>导读：按照桐乡市委全面依法治市委员会办公室有关要求，现将乌镇镇2022年度法治政府建设工作情况予以公布。</p>")
    assert (report.published.isoformat(), report.publisher) == ("2023-01-12", "桐乡市乌镇镇人民政府")
    assert (report.place, report.place_level, report.parent) == ("乌镇镇", "township", "桐乡市")


def test_the_signing_body_is_the_publisher_before_the_office_that_posted_it():
    meta = metadata("广西壮族自治区人民政府关于2019年法治政府建设情况的报告", "发布机构：广西壮族自治区人民政府办公厅",
                    PROSE, "广西壮族自治区人民政府", "2020年3月30日")
    assert meta.publisher == "广西壮族自治区人民政府"


def test_the_site_named_in_the_page_title_places_a_report_that_never_names_itself():
    report = page("<title>我县召开2021年度法治政府建设工作会_石城县人民政府</title>",
                  "<h1>我县召开2021年度法治政府建设工作会</h1><p>信息来源：石城县司法局</p>"
                  "<p>1月21日，我县召开2021年度法治政府建设工作会，总结全县法治政府建设工作。</p>")
    assert (report.place, report.place_level, report.parent, report.doc_type) == ("石城县", "county", "赣州市", "news")


def test_a_report_table_keeps_its_header_cells_as_they_are():
    from lawreport_site.ingest.extract import extract_text
    html = "<html><body><table><tr><th>序号</th><th>单位</th><th>发布日期</th></tr></table></body></html>"
    assert extract_text(html) == "序号 单位 发布日期："
