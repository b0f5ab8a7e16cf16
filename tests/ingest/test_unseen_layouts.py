"""Pages written here in the shapes portals use, unlike the seeds and the devset: metadata blocks,
a report addressed to the government above, a department known by its government's short name,
a township the gazetteer cannot know, a title stated only in <title>, a date before 来源 on one
line with print/close widgets, a district that names itself only in the publisher field."""
from pathlib import Path

import pytest

from lawreport_site.ingest.extract import page_title
from lawreport_site.ingest.run import ingest_report

PAGES = Path(__file__).parent / "pages"

EXPECTED = {
    "province_portal.txt": dict(
        place="广东省", place_level="province", parent=None, province="广东省", adcode="440000", year=2022,
        published="2023-03-28", doc_type="annual_report"),
    "prefecture_department_gbk.html": dict(
        place="恩施州司法局", place_level="department", parent="恩施土家族苗族自治州", province="湖北省",
        adcode="422800", year=2022, published="2023-02-10", publisher="恩施州司法局", doc_type="annual_report"),
    "county_city_addressed.txt": dict(
        place="宜都市", place_level="county_city", parent="宜昌市", province="湖北省", adcode="420581",
        year=2021, published="2022-01-20", publisher="宜都市人民政府", doc_type="annual_report"),
    "township_summary.txt": dict(
        place="永安镇", place_level="township", parent="浏阳市", province="湖南省", adcode="430181",
        year=2022, published="2022-12-20", publisher="永安镇人民政府", doc_type="annual_report"),
    "county_title_only_in_head.html": dict(
        title="关于兴山县2022年度法治政府建设情况的报告", place="兴山县", place_level="county",
        parent="宜昌市", province="湖北省", adcode="420526", year=2022, published="2023-03-15",
        doc_type="annual_report"),
    "district_metadata_line.txt": dict(
        place="西青区", place_level="district", parent="天津市", province="天津市", adcode="120111",
        year=2022, published="2023-03-30", publisher="天津市西青区人民政府", doc_type="annual_report"),
    "public_information_table.html": dict(
        title="茂名市人民政府关于2023年法治政府建设情况的报告", place="茂名市", place_level="prefecture_city",
        parent=None, province="广东省", adcode="440900", year=2023, published="2024-03-25",
        publisher="茂名市人民政府", doc_type="annual_report"),
    "county_news_item.txt": dict(
        place="郧西县", place_level="county", parent="十堰市", province="湖北省", adcode="420322",
        year=2022, published="2022-08-16", publisher="郧西县人民政府办公室", doc_type="news"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_metadata_of_unseen_layouts(name):
    report = ingest_report((PAGES / name).read_bytes(), f"seeds/{name}").report
    actual = {field: getattr(report, field) for field in EXPECTED[name]}
    if actual["published"]:
        actual["published"] = actual["published"].isoformat()
    assert actual == EXPECTED[name]
    assert report.review == ()


def test_portal_furniture_and_signature_leave_the_body():
    body = ingest_report((PAGES / "province_portal.txt").read_bytes(), "seeds/p.txt").report.body
    for furniture in ("首页", "字体", "分享到", "索引号", "网站地图", "ICP", "公网安备", "2023年3月27日"):
        assert furniture not in body
    assert "## 一、主要举措和成效" in body and "### （一）深化“放管服”改革" in body


@pytest.mark.parametrize("head_title, expected", [
    ("关于兴山县2022年度法治政府建设情况的报告-兴山县人民政府门户网站", "关于兴山县2022年度法治政府建设情况的报告"),
    ("重庆市2020年法治政府建设情况报告 - 重庆市人民政府网", "重庆市2020年法治政府建设情况报告"),
    ("筑牢主体工程 实现率先突破——我市成功创建综述_鄂州市司法局", "筑牢主体工程 实现率先突破——我市成功创建综述"),
    ("孝昌县2019年度法治政府建设工作情况的报告|孝昌县人民政府", "孝昌县2019年度法治政府建设工作情况的报告"),
    ("首页", ""), ("www.gov.cn", ""),
])
def test_the_article_part_of_a_head_title(head_title, expected):
    assert page_title(head_title) == expected
