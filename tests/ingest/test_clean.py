"""clean: portal furniture out, every line of the report in."""
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lawreport_site.ingest.clean import clean_lines, is_chrome
from lawreport_site.ingest.extract import IMAGE_LINE

FURNITURE = (
    "今天是", "今天是2021年12月3日 星期五", "请点击右上角 选择浏览器打开", "(欢迎您)注销",
    "字号: [小] [大] 【打印正文】", "【字体：大 中 小】", "字体大小:", "分享到:", "字号: 分享:",
    "京ICP备05070602号", "点击总量:", "访问次数:", "我是“渝快小宝”", "点击我,为您语音播报",
    "您访问的链接即将离开“重庆市人民政府网站”门户网站", "是否继续?", "继续访问 放 弃",
    "无障碍浏览 |", "适老版", "| 设为首页| 加入收藏| 个人中心", "当前位置:政务公开 > 重点领域信息 > 法治建设",
    "首页→ 网站公告", "点击关闭详细目录信息", "首 页 走进汉台 新闻中心 政府信息公开 政务服务 互动交流 专题专栏",
    "责任编辑:容与", "《小康》杂志社版权所有 Copyright © 2006-2017", "www.chinaxiaokang.com", "|",
    "打印本页 关闭窗口", "扫一扫在手机打开当前页",
)
KEPT = (
    "主办单位:鄂州市司法局 未经许可禁止复制或建立镜像",       # names the publisher
    "发布时间:2021-03-27 15:25", "信息来源:秘书科 日期:2021-12-03", "来源:《小康》·中国小康网",
    "本报记者 卢拥军 通讯员 张晓红 李洋", "作者:祁九州 李阳 王雪",
    "筑牢主体工程 实现率先突破", "分享经验做法,推动法治政府建设。",
    "字号繁多的规范性文件得到全面清理,全年共清理规范性文件25件,其中拟废止5件,修改适用2件,继续适用18件,"
    "并向社会公布了清理结果,接受群众监督。",
)


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_is_dropped(line):
    assert clean_lines(line) == ()


def test_a_footer_keeps_only_its_site_code():
    footer = "网站地图网站标识码:4207000033 鄂ICP备05017375号 鄂公网安备 42070402000195号"
    assert clean_lines(footer) == ("网站标识码：4207000033",)


@pytest.mark.parametrize("line", KEPT)
def test_report_and_metadata_lines_are_kept(line):
    assert clean_lines(line) == (line,)


def test_picture_file_names_and_nbsp_lines_become_image_markers():
    assert clean_lines("微信图片_20191211152904.png\n\u00a0 \n正文。") == (IMAGE_LINE, IMAGE_LINE, "正文。")


def test_whitespace_is_normalised_but_fullwidth_punctuation_kept():
    assert clean_lines("  \u3000全面推进，依法行政（试行）  ") == ("全面推进，依法行政（试行）",)


CHROME_EXAMPLES = ("【字体：大 中 小】", "打印本页 关闭窗口", "分享到：微信 微博", "扫一扫在手机打开当前页")
lines = st.one_of(st.text(st.characters(categories=("Lo", "Nd", "Po", "Zs", "Cc")), max_size=40),
                  st.sampled_from(CHROME_EXAMPLES))
report_text = st.lists(lines, max_size=30).map("\n".join)


@given(report_text)
def test_clean_is_idempotent(text):
    once = clean_lines(text)
    assert clean_lines("\n".join(once)) == once


@given(report_text)
def test_clean_leaves_no_chrome(text):
    assert not any(is_chrome(line) for line in clean_lines(text) if line != IMAGE_LINE)


@given(st.lists(st.text(st.characters(categories=("Lo",)), min_size=1, max_size=60), max_size=20))
@example(["版权所有"])            # found by Hypothesis: the copyright-footer pattern took the sentence
@example(["今天是", "扫一扫", "网站地图", "上一篇"])
def test_no_han_character_of_a_prose_line_is_lost(words):
    prose = [w + "，推进依法行政工作取得新成效。" for w in words]
    kept = "".join(clean_lines("\n".join(prose)))
    assert all(line.replace(" ", "") in kept.replace(" ", "") for line in prose)
