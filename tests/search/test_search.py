"""search.py without a browser: sub-word terms (pure), the index build and its errors."""
from __future__ import annotations

import importlib.metadata
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawreport_site import search
from lawreport_site.errors import LawReportError
from lawreport_site.search import (CLOSE, OPEN, SearchError, augment_body_html, index_site,
                                   subword_terms)

GROUP = re.compile(r'<span data-lr-subwords hidden> ⟦([^⟧]*)⟧ </span>')


def groups(html: str) -> list[list[str]]:
    return [group.split(" ") for group in GROUP.findall(html)]


def test_terms_start_inside_every_word():
    assert subword_terms("依法办理行政复议") == ["法办", "办理", "理行", "行政", "政复", "复议", "议"]


def test_terms_skip_what_the_section_already_has():
    seen = {"复议"}
    assert subword_terms("行政复议", seen) == ["政复", "议"]
    assert {"政复", "议"} <= seen


def test_terms_ignore_latin_digits_and_single_characters():
    assert subword_terms("2019年 ICP 备案") == ["案"]


def test_clause_terms_follow_the_clause():
    html = "<p>推进行政复议，办理案件。</p>"
    assert augment_body_html(html) == (
        '<p>推进行政复议，<span data-lr-subwords hidden> ⟦进行 行政 政复 复议 议⟧ </span>'
        '办理案件。<span data-lr-subwords hidden> ⟦理案 案件 件⟧ </span></p>')


def test_heading_terms_go_after_the_heading():
    html = '<h2 id="s-1">一、行政复议</h2><p>复议</p>'
    out = augment_body_html(html)
    assert out.startswith('<h2 id="s-1">一、行政复议</h2><span data-lr-subwords hidden>')


def test_a_term_is_added_once_per_page_after_its_first_clause():
    # Recall is per page; repeating terms per section made the index 12 % bigger and Pagefind
    # 45 % slower for no report found (1,000 reports, the terms of issue 4 and 5).
    html = '<h2 id="s-1">甲</h2><p>行政复议</p><h2 id="s-2">乙</h2><p>行政复议，复议</p>'
    assert groups(augment_body_html(html)) == [["政复", "复议", "议"]]


def test_filters_meta_and_ignored_text_are_left_alone():
    html = ('<div data-pagefind-ignore><p>行政复议</p></div>'
            '<h1 data-pagefind-meta="title">重庆市报告</h1>'
            '<p><span data-pagefind-filter="province">重庆市</span></p>')
    assert augment_body_html(html) == html


def test_entities_and_markup_survive():
    html = '<p>A&amp;B <strong>行政</strong>复议&#12290;<br>下一行</p>'
    out = augment_body_html(html)
    assert GROUP.sub("", out) == html
    assert ["政复", "复议", "议"] in groups(out)      # the clause runs on across <strong>


def test_augmenting_twice_changes_nothing():
    once = augment_body_html("<p>推进行政复议。</p>")
    assert augment_body_html(once) == once


_han = st.characters(min_codepoint=0x4E00, max_codepoint=0x4E40)
_text = st.text(st.one_of(_han, st.sampled_from("，。、 ab1")), max_size=40)


@given(st.lists(_text, min_size=1, max_size=4))
def test_readers_text_is_unchanged(paragraphs):
    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    assert GROUP.sub("", augment_body_html(html)) == html


@given(_text)
def test_every_inner_position_starts_a_term(text):
    terms = {t for group in groups(augment_body_html(f"<p>{text}</p>")) for t in group}
    for run in re.findall(r"[\u4e00-\u9fff]+", text):
        for start in range(1, len(run)):
            assert run[start:start + 2] in terms


def test_markers_are_not_in_the_seeds(seed_search_site):
    # search.js cuts excerpts at ⟦ and ⟧: a report using them would lose text in its excerpts.
    assert not any(OPEN in text or CLOSE in text for text in seed_search_site.texts.values())


def test_build_prints_the_index_figures(seed_search_site):
    line = next(line for line in seed_search_site.output.splitlines() if line.startswith("Search index:"))
    assert "pagefind version 1.5.2" in line and "index files" in line and "pages 5" in line
    assert (seed_search_site.root / "pagefind" / "pagefind-entry.json").is_file()


def test_index_site_returns_figures(tmp_path):
    page = ('<!doctype html><html lang="zh-Hans"><head><title>t</title></head><body>'
            '<article data-pagefind-body><h1>标题</h1><p>推进行政复议。</p></article></body></html>')
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    figures = index_site(tmp_path)
    assert figures["pagefind_version"] == search.PAGEFIND_VERSION
    assert figures["pages"] == 1
    assert figures["index_files"] > 0 and figures["index_bytes"] > 0


def test_a_site_without_reports_is_an_error(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>首页</body></html>", encoding="utf-8")
    with pytest.raises(SearchError, match="no page has data-pagefind-body") as caught:
        index_site(tmp_path)
    assert isinstance(caught.value, LawReportError) and "\n" not in str(caught.value)


def test_the_wrong_pagefind_version_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "1.4.0")
    with pytest.raises(SearchError, match=r"Pagefind 1\.4\.0 is installed .* 1\.5\.2") as caught:
        index_site(tmp_path)
    assert "\n" not in str(caught.value)
