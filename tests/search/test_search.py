"""search.py without a browser: the index build, the sub-word terms in it, and its errors."""
from __future__ import annotations

import gzip
import importlib.metadata
import json

import cbor2
import pytest

from lawreport_site.search import pagefind
from lawreport_site.errors import LawReportError
from lawreport_site.search.bundle import MAGIC, read_data, read_words
from lawreport_site.search.index import index_site
from lawreport_site.search.pagefind import SearchError
from lawreport_site.search.shards import shard_folder

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
    assert figures["pagefind_version"] == pagefind.PAGEFIND_VERSION
    assert figures["pages"] == 1
    assert figures["index_files"] > 0 and figures["index_bytes"] > 0


def test_the_index_holds_the_sub_word_terms_where_they_start(tmp_path):
    page = ('<!doctype html><html lang="zh-Hans"><head><title>t</title></head><body>'
            '<article data-pagefind-body><h1>标题</h1><p>依法推进行政复议工作。</p></article></body></html>')
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page, encoding="utf-8")
    index_site(tmp_path)
    bundle = tmp_path / "pagefind" / shard_folder(0)
    meta_hash = json.loads((bundle / "pagefind-entry.json").read_text())["languages"]["zh-hans"]["hash"]
    meta = read_data(bundle / f"pagefind.{meta_hash}.pf_meta")
    (fragment, word_count), = meta[1]
    content = json.loads(gzip.decompress((bundle / "fragment" / f"{fragment}.pf_fragment")
                                         .read_bytes())[len(MAGIC):])["content"]
    assert "复议" in content.replace("\u200b", "")
    words = {word: cbor2.loads(raw) for word, raw in read_words(bundle / "index", meta[2])}
    # Whatever Pagefind made of 行政复议工作, a word starts with each piece, on this page (the search
    # page asks for pieces of two characters, search-query.js).
    for piece in ("复议", "议", "政复", "议工", "作"):
        entries = [entry for word, entry in words.items() if word.startswith(piece)]
        assert entries, piece
        for entry in entries:
            (page, locations, _), = entry[1]
            assert page == 0 and all(0 <= at < word_count for at in locations if at >= 0)


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
