"""Reports written in code for the site tests: they cover what the five seeds may not."""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from lawreport_site.archive.content import to_markdown
from lawreport_site.archive.model import Report, Source

BODY = """湖北省鄂州市{year}年法治政府建设工作总结如下。

## 一、主要举措和成效

### （一）深化“放管服”改革

全面推行行政许可事项清单管理，优化营商环境，推进“一网通办”。政务服务事项全部实现网上可办。

*图为市政务服务中心窗口*

### （二）严格规范公正文明执法

全面推行行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，开展行政执法案卷评查，规范行政裁量权基准。

## 二、存在的不足和原因

一是行政复议和行政应诉工作仍有差距，行政复议纠错率不高；二是基层执法人员素质有待提升。

## 三、党政主要负责人履行第一责任人职责情况

市委书记、市长带头履行推进法治建设第一责任人职责，年内专题研究法治政府建设工作4次。

## 四、{next}年工作安排

下一步，我们将深化行政复议体制改革，加强人民调解，化解矛盾纠纷，推进公共法律服务体系建设。

| 指标 | 数量 |
|---|---|
| 复议案件 | 120 |

原文见[市政府网站](https://www.ezhou.gov.cn/)，另见[脚本](javascript:alert(1))。<script>alert(1)</script>
"""


SEED_FILES = {
    "004_sample.txt": "鄂州市2021年法治政府建设情况报告".encode("gb18030"),
    # A raw page with a script: the site must serve it as text, never as a page.
    "001_trad.html": "<html><script>alert(1)</script>孝昌縣</html>".encode("big5"),
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def report(slug: str, **fields) -> Report:
    year = fields.pop("year", int(slug.split("-")[1]))
    values = dict(title=f"{fields.get('place', '鄂州市')}{year}年法治政府建设情况报告",
                  place="鄂州市", place_level="prefecture_city", province="湖北省",
                  adcode=slug.split("-")[0], year=year, doc_type="annual_report",
                  themes=("dispute-resolution", "law-enforcement"),
                  body=BODY.format(year=year, next=year + 1))
    values.update(fields)
    return Report(slug=slug, **values)


def sample_reports() -> list[Report]:
    """Six reports: a city in two years, a county under its prefecture, a municipality,
    a traditional-script source, a department without code of its own, a national body."""
    seed = Source(file="seeds/004_sample.txt", sha256=_sha(SEED_FILES["004_sample.txt"]),
                  encoding="gb18030")
    return [
        report("420700-2021", published=date(2022, 3, 25), publisher="鄂州市人民政府", source=seed,
               summary="鄂州市2021年推进法治政府建设的主要举措和成效。"),
        report("420700-2019", published=date(2020, 5, 6), themes=("law-enforcement",),
               source=Source(file="seeds/missing.txt", sha256="1" * 64)),
        report("420921-2019", place="孝昌县", place_level="county", parent="孝感市",
               source=Source(file="seeds/001_trad.html", sha256=_sha(SEED_FILES["001_trad.html"]),
                             encoding="big5",
                             script="traditional", conversion="t2s"),
               review=("year",)),
        report("500000-2020", place="重庆市", place_level="municipality", province="重庆市",
               published=date(2021, 3, 27), themes=("digital-government",)),
        report("520000-2022-2", place="贵州省生态环境厅", place_level="department", province="贵州省",
               parent="贵州省人民政府", adcode="520000", year=2022, doc_type="feature", themes=()),
        report("sifabu-2022", place="司法部", place_level="department", province=None, adcode=None,
               year=2022, doc_type="news", themes=("public-legal-services",)),
    ]


def write_content(root: Path, reports: list[Report]) -> Path:
    """Write *reports* as content/reports/<slug>.md under *root*; return the content folder."""
    folder = root / "content" / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    for item in reports:
        (folder / f"{item.slug}.md").write_text(to_markdown(item), encoding="utf-8", newline="\n")
    return root / "content"


def write_seeds(root: Path) -> Path:
    """Write the seed files that sample_reports() refers to (all but seeds/missing.txt)."""
    seeds = root / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for name, data in SEED_FILES.items():
        (seeds / name).write_bytes(data)
    return seeds
