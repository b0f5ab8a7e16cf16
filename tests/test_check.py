"""`lawreport check`: errors gate CI, review flags and completeness inform editors."""
import shutil
from pathlib import Path

import pytest

from lawreport_site.cli import main

CONTENT = Path(__file__).parent.parent / "content"


@pytest.fixture
def content(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def run(content, capsys):
    status = main(["check", "--content", str(content)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return status, captured.out


def test_committed_content_passes_and_lists_what_to_review(content, capsys):
    status, out = run(content, capsys)
    assert status == 0
    assert "0 error(s)" in out
    assert "630200-2023.md: title: " in out and "410400-2019.md: year: " in out
    assert "420700-2021.md" not in out          # its place is sure since its portal's code is read
    assert "存在的不足和原因: 3/3" in out


def set_field(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("old, new, message", [
    ("year: 2020", "year: twenty", "field `year` has the wrong type"),
    ("slug: 500000-2020", "slug: ../../x", "slug '../../x' is not allowed"),
    ("themes: [", "themes: [no-such-theme, ", "themes: unknown no-such-theme"),
    ("title: 重庆市", "title: !!python/object:os.system 重庆市", "not valid YAML"),
])
def test_a_bad_field_is_one_error_line_and_exit_1(content, capsys, old, new, message):
    set_field(content / "reports" / "500000-2020.md", old, new)
    status, out = run(content, capsys)
    assert status == 1
    lines = [line for line in out.splitlines() if "500000-2020.md" in line and "review" not in line]
    assert len(lines) == 1 and message in lines[0]


@pytest.mark.parametrize("text, message", [
    ("正文，没有元数据。\n", "no front matter"),
    ("---\ntitle: x\n正文\n", "front matter is not closed"),
])
def test_a_file_without_proper_front_matter_is_one_error(content, capsys, text, message):
    (content / "reports" / "broken.md").write_text(text, encoding="utf-8")
    status, out = run(content, capsys)
    assert status == 1 and sum("broken.md" in line and message in line for line in out.splitlines()) == 1


def test_the_same_report_under_two_names_is_an_error(content, capsys):
    reports = content / "reports"
    copy = reports / "500000-2020-2.md"
    shutil.copy(reports / "500000-2020.md", copy)
    set_field(copy, "slug: 500000-2020", "slug: 500000-2020-2")
    status, out = run(content, capsys)
    assert status == 1
    assert "500000-2020.md: same body as" in out or "500000-2020-2.md: same body as" in out


def test_an_unknown_adcode_is_a_warning_not_an_error(content, capsys):
    set_field(content / "reports" / "500000-2020.md", "adcode: '500000'", "adcode: '371200'")
    status, out = run(content, capsys)
    assert status == 0 and "adcode 371200 is not in the gazetteer" in out


def test_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["check", "--content", str(tmp_path / "nothing")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
