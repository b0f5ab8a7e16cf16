"""The report body as HTML (markup.py) over the site's one parse (commonmark.py)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st
from markdown_it import MarkdownIt

from lawreport_site.archive.commonmark import inline_runs, parse, plain_text, to_html
from lawreport_site.pages.markup import render_body
from lawreport_site.archive.themes import split_sections
from tests.helpers import seed_body


def test_headings_of_every_kind_get_ids_in_document_order():
    body = render_body("## 一、总体情况\n\n正文\n\n##\n\n小结\n----\n\n#### 4. 细目\n")
    assert [(h.level, h.text, h.anchor) for h in body.headings] == [
        (2, "一、总体情况", "s-1"), (2, "", "s-2"), (2, "小结", "s-3"), (4, "4. 细目", "s-4")]
    assert re.findall(r"<h\d[^>]*>", body.html) == ['<h2 id="s-1">', '<h2 id="s-2">', '<h2 id="s-3">',
                                                     '<h4 id="s-4">']


def test_only_a_paragraph_that_is_emphasis_end_to_end_is_a_caption():
    html = render_body("*图为窗口*\n\n*甲* 与 *乙*\n\n正文*强调*\n\n- *列表项*\n").html
    assert '<figure class="caption"><figcaption>图为窗口</figcaption></figure>' in html
    assert "<p><em>甲</em> 与 <em>乙</em></p>" in html
    assert "<p>正文<em>强调</em></p>" in html
    assert "<li><em>列表项</em></li>" in html


def test_links_are_allow_listed_and_outside_links_marked():
    html = render_body('[站内](/reports/x/) [外站](https://www.gov.cn/a?b=1&c=2 "标题") '
                       "[邮件](mailto:a@b.cn) [脚本](javascript:alert(1)) <ftp://x.cn/f>").html
    assert '<a href="/reports/x/">站内</a>' in html
    assert ('<a href="https://www.gov.cn/a?b=1&amp;c=2" title="标题" rel="nofollow noopener noreferrer" '
            'class="external">外站</a>') in html
    assert '<a href="mailto:a@b.cn">邮件</a>' in html
    assert "javascript:" not in html.replace("[脚本](javascript:", "")
    assert "<a>ftp://x.cn/f</a>" in html


def test_pictures_show_their_alt_text_and_load_nothing():
    html = render_body('![会议 "现场"](http://x.cn/a.jpg)\n\n![](b.png)').html
    assert "<img" not in html and "x.cn" not in html
    assert '［图片：会议 &quot;现场&quot;］' in html and "［图片］" in html


def test_raw_html_is_text_and_tables_scroll_in_their_own_box():
    html = render_body("<script>alert(1)</script>\n\n正文<b>粗</b>\n\n| 项目 | 数 |\n|---|---:|\n| 复议 | 3 |\n").html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;" in html
    assert html.count('<div class="table-scroll" tabindex="0" role="region" aria-label="表格"><table>') == 1
    assert "</table></div>" in html and '<td style="text-align:right">3</td>' in html


def test_inline_runs_follow_document_order_through_lists_and_tables():
    tree = parse("甲\n\n- 乙\n  - 丙\n- 丁\n\n| 戊 | 己 |\n|---|---|\n| 庚 | |\n")
    assert [plain_text(run.inline) for run in inline_runs(tree)] == ["甲", "乙", "丙", "丁", "戊", "己", "庚", ""]


def test_plain_text_joins_chinese_lines_and_spaces_latin_ones():
    runs = [run.inline for run in inline_runs(parse("行政\n复议 **SAFE**\nmode `代码` &amp; ![图](a.png)"))]
    assert [plain_text(run) for run in runs] == ["行政复议 SAFE mode 代码 &"]


_MARKDOWN_BITS = st.sampled_from(["#", "## ", "###", "\n", "\n\n", "-", "*", "_", "`", "[", "]", "(", ")",
                                  "!", "<", ">", "|", ":", "=", "   ", "\\", "&amp;", "http://a.cn", "行政复议",
                                  "正文", "a", "1.", "\t"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_MARKDOWN_BITS, max_size=40).map("".join))
def test_any_markdown_renders_with_one_id_per_heading_as_the_sections_count_them(body_md):
    body = render_body(body_md)
    assert len(re.findall(r"<h[1-6] id=", body.html)) == len(body.headings)
    # markup.py pairs the n-th <p> with the n-th paragraph of the tree.
    paragraphs = sum(run.block == "paragraph" for run in inline_runs(parse(body_md)))
    assert body.html.count("<p>") + body.html.count('<figure class="caption">') == paragraphs
    assert [h.anchor for h in body.headings if h.level in (2, 3)] == \
           [s.anchor for s in split_sections(body_md) if s.anchor]


_ORACLE = MarkdownIt("commonmark", {"html": False}).enable("table")


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_the_seeds_parse_as_markdown_it_py_parses_them(number):
    # The site's rules (commonmark.RULES, no raw HTML) render the seeds as full CommonMark does.
    assert to_html(parse(seed_body(number))) == _ORACLE.render(seed_body(number))


def test_an_unclosed_code_span_after_an_unclosed_link_renders_as_commonmark_says():
    # markdown-it.rs, the parser before markdown-it-py, panicked on this body and showed every
    # backtick of it as typed; CommonMark makes `一` code and leaves the unclosed run as text.
    body_md = "## 附件\n\n详见[附件`一` 和 `二\n\n*图为现场*\n"
    body = render_body(body_md)
    assert body.headings[0].anchor == "s-1"
    assert "<p>详见[附件<code>一</code> 和 `二</p>" in body.html
    assert '<figcaption>图为现场</figcaption>' in body.html
    assert to_html(parse(body_md)) == _ORACLE.render(body_md)
    assert split_sections("## 附件\n\n详见[附件`一` 和 `二\n")[0].text == "详见[附件一 和 `二"


