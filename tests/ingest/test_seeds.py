"""The five seed reports: metadata as an editor would fill it in, and no sentence lost."""
import re
from pathlib import Path

import opencc
import pytest

from lawreport_site.ingest.clean import is_chrome
from lawreport_site.ingest.run import ingest_report
from lawreport_site.ingest.structure import is_meta_line

SEEDS = Path(__file__).parent.parent.parent / "seeds"
EXPECTED = {  # seed: place, level, parent, province, adcode, year, published, doc_type
    "000": ("鄂州市", "prefecture_city", None, "湖北省", "420700", 2021, "2021-12-03", "feature"),
    "001": ("孝昌县", "county", "孝感市", "湖北省", "420921", 2019, None, "annual_report"),
    "002": ("平顶山市", "prefecture_city", None, "河南省", "410400", (2019, 2020), None, "feature"),
    "003": ("海东市", "prefecture_city", None, "青海省", "630200", 2023, None, "annual_report"),
    "004": ("重庆市", "municipality", None, "重庆市", "500000", 2020, "2021-03-27", "annual_report"),
}
SENTENCE_END = re.compile(r"(?<=[。！？!?；;])")
MIN_SENTENCE_CHARS = 15


def seed_path(number):
    return next(SEEDS.glob(f"{number}_*"))


def ingest(number):
    path = seed_path(number)
    return ingest_report(path.read_bytes(), f"seeds/{path.name}").report


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_seed_metadata(number):
    report = ingest(number)
    place, level, parent, province, adcode, year, published, doc_type = EXPECTED[number]
    assert (report.place, report.place_level, report.parent, report.province, report.adcode) == \
        (place, level, parent, province, adcode)
    assert report.year in (year if isinstance(year, tuple) else (year,))
    assert (report.published.isoformat() if report.published else None) == published
    assert report.doc_type == doc_type


def test_uncertain_year_of_a_feature_is_flagged_for_review():
    assert "year" in ingest("002").review
    assert all("year" not in ingest(n).review for n in ("000", "001", "003", "004"))


@pytest.mark.parametrize("number, title", [
    ("000", "筑牢主体工程 实现率先突破——我市成功创建“第一批全省法治政府建设示范地区”综述"),
    ("001", "孝昌县2019年度法治政府建设工作情况的报告"),
    ("004", "重庆市2020年法治政府建设情况报告"),
])
def test_seed_titles(number, title):
    report = ingest(number)
    assert report.title == title and "title" not in report.review


def test_missing_title_is_synthesised_and_flagged():
    report = ingest("003")
    assert report.title.startswith("海东市2023年法治政府建设") and report.title.endswith("报告")
    assert "title" in report.review


@pytest.mark.parametrize("number, publisher", [("000", "鄂州市司法局"), ("004", "重庆市人民政府")])
def test_seed_publishers(number, publisher):
    assert ingest(number).publisher == publisher


def test_traditional_seed_is_converted_completely():
    report = ingest("001")
    assert report.source.script == "traditional" and report.source.conversion == "t2s"
    t2s = opencc.OpenCC("t2s")
    leftovers = {ch for ch in report.title + report.body if t2s.convert(ch) != ch}
    assert not leftovers


def test_byline_and_signature_leave_the_running_text():
    assert "本报记者 卢拥军 通讯员" not in ingest("002").body
    assert ingest("002").byline.startswith("本报记者 卢拥军")
    body = ingest("004").body
    assert not body.rstrip().endswith("重庆市人民政府") and "20213月27日" not in body


def test_captions_are_marked():
    assert "\n*平顶山市领导干部法治专题讲座暨法治政府建设推进会会场 本报记者 卢拥军 摄*" in ingest("002").body
    assert "\n*市委全面依法治市委员会研究法治政府建设有关重点工作。*\n" in ingest("000").body


def test_feature_subheads_become_headings():
    assert "\n## 抓组织领导之“纲”\n" in ingest("000").body


def _plain(markdown):
    return re.sub(r"[\s*#\\]", "", markdown)


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_every_body_sentence_of_the_seed_survives(number):
    path = seed_path(number)
    report = ingest(number)
    raw = path.read_text(encoding="utf-8")
    if report.source.conversion:
        raw = opencc.OpenCC(report.source.conversion).convert(raw)
    kept = _plain(report.body)
    missing = []
    for line in raw.splitlines():
        line = " ".join(line.split())
        moved_to_front_matter = _plain(line) in _plain(report.title) or \
            bool(report.byline) and _plain(line) == _plain(report.byline)
        if not line or is_chrome(line) or is_meta_line(line) or moved_to_front_matter:
            continue
        for sentence in SENTENCE_END.split(line):
            sentence = _plain(sentence).rstrip("。！？!?；;")
            if len(sentence) >= MIN_SENTENCE_CHARS and sentence not in kept:
                missing.append(sentence)
    assert not missing
