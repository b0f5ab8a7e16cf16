"""The same report in any encoding, line ending or as a saved HTML page gives the same result."""
import codecs
import dataclasses
import html
from pathlib import Path

import pytest

from lawreport_site.ingest.run import ingest_report

SEEDS = Path(__file__).parent.parent.parent / "seeds"
CHONGQING = next(SEEDS.glob("004_*"))
XIAOCHANG = next(SEEDS.glob("001_*"))


def comparable(report):
    """Everything but provenance, which rightly records the file, its encoding and its digest."""
    return dataclasses.replace(report, source=dataclasses.replace(report.source, file="", encoding="", sha256=""))


def as_html_page(text: str, charset: str) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>重庆市2020年法治政府建设情况报告_重庆市人民政府网</title>
<script>var _hmt = _hmt || []; document.write("统计代码");</script><style>p {{ margin: 0 }}</style></head>
<body><div class="top-nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/bmfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="article">{paragraphs}</div>
<div class="footer"><p>主办：网站管理中心</p><p>渝ICP备05003300号</p></div>
<script src="/js/share.js"></script></body></html>"""


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_encodings_give_the_same_report(encoding):
    text = CHONGQING.read_text(encoding="utf-8")
    reference = ingest_report(text.encode("utf-8"), "seeds/r.txt").report
    other = ingest_report(text.encode(encoding), "seeds/r.txt").report
    assert comparable(other) == comparable(reference)


def test_big5_traditional_gives_the_same_report():
    # Big5 has no no-break space; a Big5 page would carry a plain space there.
    text = XIAOCHANG.read_text(encoding="utf-8").replace("\xa0", " ")
    reference = ingest_report(text.encode("utf-8"), "seeds/r.txt").report
    other = ingest_report(text.encode("big5hkscs"), "seeds/r.txt").report
    assert other.source.encoding == "big5hkscs"
    assert comparable(other) == comparable(reference)


def test_crlf_line_ends_give_the_same_report():
    raw = CHONGQING.read_bytes()
    assert ingest_report(raw.replace(b"\n", b"\r\n"), "seeds/r.txt").report.body == \
        ingest_report(raw, "seeds/r.txt").report.body


@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gb2312", "gb18030")])
def test_saved_html_page_gives_the_same_report(charset, encoding):
    text = CHONGQING.read_text(encoding="utf-8")
    reference = ingest_report(text.encode("utf-8"), "seeds/r.txt").report
    page = as_html_page(text, charset).encode(encoding)
    assert comparable(ingest_report(page, "seeds/r.html").report) == comparable(reference)


def test_bom_is_recorded_as_the_encoding():
    raw = codecs.BOM_UTF8 + CHONGQING.read_bytes()
    assert ingest_report(raw, "seeds/r.txt").report.source.encoding == "utf-8-sig"
