"""Pages written here in the shapes portals use, unlike the seeds and the devset: metadata blocks,
a report addressed to the government above, a department known by its government's short name,
a township the gazetteer cannot know."""
from pathlib import Path

import pytest

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
