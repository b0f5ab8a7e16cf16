"""Whatever bytes or text come in, every stage either works or says one line (SeedError)."""
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lawreport_site.errors import SeedError
from lawreport_site.ingest import run
from lawreport_site.ingest.clean import clean_lines
from lawreport_site.ingest.extract import extract_text
from lawreport_site.ingest.run import ingest_report
from lawreport_site.ingest.markdown import body_markdown
from lawreport_site.ingest.structure import structure

# Tag soup and report-like text mixed, so that the HTML path is taken as often as the text path.
FRAGMENTS = st.sampled_from(["<p>", "</p>", "<div class=nav>", "</div>", "<script>x()</script>", "<br>",
                             "一、", "（一）", "1.", "2021年", "法治政府建设", "重庆市", "。", "\n", "　",
                             "<html><head><meta charset=gbk></head><body>", "&nbsp;", "&#0;", "<!--"])
SOUP = st.lists(st.one_of(FRAGMENTS, st.text(max_size=20)), max_size=60).map("".join)


@given(st.text())
def test_clean_never_raises_and_is_idempotent(text):
    once = clean_lines(text)
    assert clean_lines("\n".join(once)) == once


@given(SOUP)
def test_extract_clean_structure_never_raise(text):
    lines = clean_lines(extract_text(text))
    body_markdown(structure(lines))


@settings(max_examples=60, deadline=None)
@given(st.one_of(st.binary(max_size=3000), SOUP.map(lambda s: s.encode("utf-8")),
                 SOUP.map(lambda s: s.encode("gb18030"))))
def test_the_whole_pipeline_never_raises_anything_but_seed_error(raw):
    try:
        ingest_report(raw, "seeds/fuzz.html")
    except SeedError as error:
        assert str(error).startswith("seeds/fuzz.html: ") and "\n" not in str(error)


def test_an_interrupted_write_leaves_no_half_file(tmp_path, monkeypatch):
    target = tmp_path / "reports" / "500000-2020.md"

    def interrupted(source, destination):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run._write_if_changed(target, "---\ntitle: x\n---\n正文\n")
    assert list(Path(tmp_path / "reports").iterdir()) == []


@pytest.mark.parametrize("text", ["<p></\x01>\x01", "<p><script>x()</script>\x1f", "<p>法治\x00政府</p>"])
def test_control_characters_in_a_page_do_not_stop_extraction(text):
    assert "\x01" not in extract_text(text) and "\x00" not in extract_text(text)
