"""convert: traditional → simplified only when needed, with Taiwan wording undone."""
from hypothesis import given
from hypothesis import strategies as st

from lawreport_site.ingest.convert import to_simplified

MAINLAND_TRADITIONAL = "孝昌縣2019年度法治政府建設工作情況的報告。強化規範性文件監督管理,建立健全決策程序。"
TAIWAN = "市推進依法行政工作領導小組審議《2018年推進法治政府建設工作要點》等檔案,落實重大行政決策法定程式,最佳化營商環境三年行動計畫。"


def test_simplified_text_passes_through_untouched():
    text = "重庆市2020年法治政府建设情况报告,建立健全规范性文件制度。"
    converted = to_simplified(text)
    assert (converted.text, converted.conversion, converted.script) == (text, None, "simplified")


def test_mainland_traditional_uses_character_conversion_and_keeps_mainland_words():
    converted = to_simplified(MAINLAND_TRADITIONAL)
    assert converted.conversion == "t2s" and converted.script == "traditional"
    assert converted.text == "孝昌县2019年度法治政府建设工作情况的报告。强化规范性文件监督管理,建立健全决策程序。"


def test_taiwan_wording_is_converted_phrase_by_phrase():
    converted = to_simplified(TAIWAN)
    assert converted.conversion == "tw2sp"
    for word in ("文件", "法定程序", "优化营商环境", "行动计划"):
        assert word in converted.text


@given(st.text(max_size=200))
def test_to_simplified_is_idempotent(text):
    once = to_simplified(text).text
    assert to_simplified(once).text == once
