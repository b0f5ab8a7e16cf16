"""Completeness: the five items of an annual report, and publication before 1 April."""
from datetime import date

import pytest

from tests.helpers import seed_body
from lawreport_site.archive.completeness import ITEMS, Completeness, assess, is_on_time

KEYS = ("measures", "shortcomings", "first_responsible", "next_year", "other")


def test_items_are_the_five_of_the_regulation_in_order():
    assert tuple(item.key for item in ITEMS) == KEYS
    assert [item.label for item in ITEMS] == ["主要举措和成效", "存在的不足和原因",
                                              "党政主要负责人履行第一责任人职责情况",
                                              "下一年度主要安排", "其他需要报告的情况"]


def test_seed_001_xiaochang_covers_four_items_by_its_headings():
    result = assess(seed_body("001"), 2019, None)
    assert result == Completeness(covered=KEYS[:4], missing=("other",), on_time=None)


def test_seed_003_haidong_covers_four_items():
    assert assess(seed_body("003"), 2023, None).missing == ("other",)


def test_seed_004_chongqing_covers_shortcomings_and_plans_without_headings():
    # Its closing paragraphs: "…还有一定差距,主要表现在" and "2021年,我们深入学习…".
    result = assess(seed_body("004"), 2020, date(2021, 3, 27))
    assert result.covered == KEYS[:4]
    assert result.on_time is True


def test_feature_without_shortcomings_or_plans_misses_them():
    result = assess(seed_body("000"), 2021, date(2021, 12, 3))
    assert {"shortcomings", "next_year"} <= set(result.missing)
    assert result.on_time is True           # December 2021 is in time for the year 2021


@pytest.mark.parametrize("published,expected", [
    (date(2021, 3, 31), True),
    (date(2021, 4, 1), False),
    (date(2020, 12, 31), True),
    (None, None),
])
def test_on_time_means_public_before_1_april_of_the_next_year(published, expected):
    assert is_on_time(2020, published) is expected
    assert assess("", 2020, published).on_time is expected


def test_empty_body_covers_nothing():
    assert assess("", 2020, None) == Completeness(covered=(), missing=KEYS, on_time=None)


def test_each_item_is_found_by_its_own_heading():
    body = "\n\n".join(["## 一、2020年主要工作和成效", "开展了工作。", "## 二、存在的不足和原因",
                        "力量薄弱。", "## 三、党政主要负责人履行推进法治建设第一责任人职责情况",
                        "认真履职。", "## 四、2021年工作安排", "继续推进。", "## 五、其他需要报告的情况", "无。"])
    assert assess(body, 2020, None).covered == KEYS


def test_work_chapters_named_after_their_subject_count_as_measures():
    body = "## 一、持续深化“放管服”改革\n\n" + "推行证明事项告知承诺制,压减审批时限。" * 12 + "\n"
    assert assess(body, 2020, None).covered == ("measures",)


def test_a_short_or_claimed_chapter_is_not_taken_for_measures():
    body = "## 二、存在的问题\n\n" + "少数干部认识不到位。" * 30 + "\n\n## 三、下一步\n\n继续。\n"
    assert "measures" not in assess(body, 2020, None).covered


def test_the_report_year_in_a_heading_is_not_next_year():
    body = "## 一、2019年工作开展情况\n\n全年办理案件16件。\n"
    assert "next_year" not in assess(body, 2019, None).covered
    assert "next_year" in assess(body, 2018, None).covered


def test_a_sentence_opening_with_next_year_is_the_plan():
    body = "## 一、工作情况\n\n全年办理案件16件。\n\n2021年,我们将持续深化改革。\n"
    assert "next_year" in assess(body, 2020, None).covered


def test_problems_solved_in_passing_are_not_shortcomings():
    body = "## 一、主要工作\n\n及时研究解决工作中存在的困难和问题,对发现的问题及时分类解决。\n"
    assert "shortcomings" not in assess(body, 2020, None).covered


def test_gap_stated_in_the_text_is_a_shortcoming():
    body = "工作取得成效,但与群众期待相比仍存在一些不足,主要表现在:执法不够规范。\n"
    assert "shortcomings" in assess(body, 2020, None).covered


def test_first_responsible_found_in_a_run_in_lead():
    body = "## 一、主要工作\n\n**1.落实第一责任人责任**。主要负责人带头学法。\n"
    assert "first_responsible" in assess(body, 2020, None).covered


def test_results_stated_in_the_text_are_measures():
    body = "全市“三项制度”改革工作取得的阶段性成效,为全省提供了经验。\n"
    assert assess(body, 2019, None).covered == ("measures",)
