"""content: Report ⇄ Markdown file, and the merge that keeps editors' changes."""
import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.archive.content import edited_fields, from_markdown, merge, to_markdown
from lawreport_site.errors import ContentError
from lawreport_site.archive.model import DOC_TYPES, PLACE_LEVELS, Report, Source

REPORT = Report(
    slug="500000-2020", title="重庆市2020年法治政府建设情况报告", place="重庆市", place_level="municipality",
    year=2020, body="## 一、深入学习\n\n正文。\n", province="重庆市", adcode="500000",
    published=date(2021, 3, 27), publisher="重庆市人民政府", themes=("law-enforcement",),
    summary="2020年,全市各级行政机关……", review=("year",),
    source=Source(file="seeds/004.txt", sha256="ab" * 32, script="simplified"))

han = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=20)
reports = st.builds(
    Report, slug=st.from_regex(r"[0-9]{6}-20[0-9]{2}(-[2-9])?", fullmatch=True), title=han, place=han,
    place_level=st.sampled_from(PLACE_LEVELS), year=st.integers(1990, 2100),
    body=st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=200).map(lambda s: s.strip("\n") + "\n"),
    parent=st.none() | han, province=st.none() | han, adcode=st.none() | st.from_regex(r"[0-9]{6}", fullmatch=True),
    published=st.none() | st.dates(date(1990, 1, 1), date(2100, 1, 1)), publisher=st.none() | han,
    byline=st.none() | han, doc_type=st.sampled_from(DOC_TYPES),
    themes=st.lists(st.sampled_from(["law-enforcement", "oversight"]), unique=True).map(tuple),
    summary=st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=50).map(str.strip),
    source=st.none() | st.builds(Source, file=st.just("seeds/x.txt"), sha256=st.just("00" * 32)),
    review=st.lists(st.sampled_from(["year", "title", "place"]), unique=True).map(tuple),
    digests=st.just({}))


@given(reports)
def test_front_matter_round_trips(report):
    assert from_markdown(to_markdown(report), "x.md") == dataclasses.replace(report, body=report.body.strip("\n"))


def test_output_is_deterministic_and_readable():
    text = to_markdown(REPORT)
    assert text == to_markdown(REPORT)
    assert text.startswith("---\ntitle: 重庆市2020年法治政府建设情况报告\nslug: 500000-2020\n")
    assert "published: 2021-03-27\n" in text and "themes: [law-enforcement]\n" in text


def test_untouched_report_keeps_no_edits():
    stored, kept = merge(None, REPORT)
    assert merge(stored, REPORT) == (stored, ())


def test_edited_field_survives_two_reingests_even_when_the_seed_changed():
    stored, _ = merge(None, REPORT)
    edited = from_markdown(to_markdown(stored).replace("title: 重庆市2020年", "title: 重庆市2020年度"), "x.md")
    assert edited_fields(edited) == ("title",)
    changed_seed = dataclasses.replace(REPORT, title="新标题", summary="新摘要")
    once, kept = merge(edited, changed_seed)
    twice, kept_again = merge(once, changed_seed)
    assert once.title == twice.title == "重庆市2020年度法治政府建设情况报告"
    assert kept == kept_again == ("title",) and twice.summary == "新摘要"


def test_edited_body_survives_reingest():
    stored, _ = merge(None, REPORT)
    edited = dataclasses.replace(stored, body="## 一、改过的标题\n\n正文。")
    merged, kept = merge(edited, REPORT)
    assert kept == ("body",) and merged.body == "## 一、改过的标题\n\n正文。"


def test_deleting_a_digest_hands_the_field_back_to_ingest():
    stored, _ = merge(None, REPORT)
    edited = dataclasses.replace(stored, title="手改", digests={k: v for k, v in stored.digests.items() if k != "title"})
    merged, kept = merge(edited, REPORT)
    assert kept == () and merged.title == REPORT.title


def test_a_corrected_field_leaves_the_review_list():
    stored, _ = merge(None, REPORT)
    merged, kept = merge(dataclasses.replace(stored, year=2019), REPORT)
    assert kept == ("year",) and merged.review == ()
    assert merge(merged, REPORT) == (merged, ("year",))


@pytest.mark.parametrize("text, message", [
    ("没有前置元数据", "no front matter"),
    ("---\ntitle: x\n", "front matter is not closed"),
    ("---\n!!python/object/apply:os.system ['echo hi']\n---\n", "not valid YAML"),
    ("---\n- a\n- b\n---\n", "not a mapping"),
    ("---\ntitle: x\nslug: 500000-2020\nplace: 重庆市\nplace_level: municipality\nyear: 二〇二〇\n---\n", "`year` has the wrong type"),
    ("---\ntitle: x\nslug: ../../x\nplace: 重庆市\nplace_level: municipality\nyear: 2020\n---\n", "slug '../../x' is not allowed"),
    ("---\ntitle: x\nslug: a-1\nplace: 重庆市\nplace_level: planet\nyear: 2020\n---\n", "place_level 'planet' is unknown"),
    ("---\ntitle: x\nslug: a-1\nplace: 重庆市\nplace_level: county\nyear: 2020\npublished: 明天\n---\n", "not a date"),
    ("---\ntitle: x\nslug: a-1\nplace: 重庆市\nplace_level: county\nyear: 2020\npublished: 2021-02-30\n---\n",
     "impossible value"),
    ("---\ntitle: x\nslug: a-1\nplace: 重庆市\nplace_level: county\nyear: 2020\npublished: 2021-13-01\n---\n",
     "impossible value"),
])
def test_bad_content_files_get_one_clear_line(text, message):
    with pytest.raises(ContentError, match=message) as error:
        from_markdown(text, "content/reports/x.md")
    assert str(error.value).startswith("content/reports/x.md: ") and "\n" not in str(error.value)
