"""`lawreport ingest`: seeds in, content files out; editors' work and seeds never lost."""
import hashlib
import shutil
from pathlib import Path

import pytest

from lawreport_site.cli import main

SEEDS = Path(__file__).parent.parent.parent / "seeds"


@pytest.fixture
def project(tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_ingest_writes_one_file_per_seed(project, capsys):
    assert main(["ingest"]) == 0
    names = sorted(p.name for p in (project / "content" / "reports").glob("*.md"))
    assert names == ["410400-2019.md", "420700-2021.md", "420921-2019.md", "500000-2020.md", "630200-2023.md"]
    assert "Done: 5 new" in capsys.readouterr().out


def test_reingest_changes_nothing(project):
    main(["ingest"])
    before = tree(project / "content")
    assert main(["ingest"]) == 0
    assert tree(project / "content") == before


def test_seeds_are_never_modified(project):
    before = tree(project / "seeds")
    main(["ingest"])
    main(["ingest", "--force"])
    assert tree(project / "seeds") == before


def test_hand_edit_survives_reingest_and_a_changed_seed(project):
    main(["ingest"])
    target = project / "content" / "reports" / "500000-2020.md"
    target.write_text(target.read_text(encoding="utf-8").replace("publisher: 重庆市人民政府", "publisher: 重庆市政府办公厅"),
                      encoding="utf-8")
    seed = next((project / "seeds").glob("004_*"))
    # The source is corrected after publication: one sentence of the body changes.
    seed.write_bytes(seed.read_bytes().replace("强化审计监督".encode(), "强化审计监督和统计监督".encode()))
    assert main(["ingest"]) == 0
    text = target.read_text(encoding="utf-8")
    assert "publisher: 重庆市政府办公厅" in text and "统计监督" in text
    main(["ingest"])
    assert "publisher: 重庆市政府办公厅" in target.read_text(encoding="utf-8")
    main(["ingest", "--force"])
    assert "publisher: 重庆市人民政府" in target.read_text(encoding="utf-8")


def test_duplicate_seed_is_reported_not_ingested(project, capsys):
    seed = next((project / "seeds").glob("004_*"))
    shutil.copy(seed, project / "seeds" / "005_copy.txt")
    (project / "seeds" / "006_crlf.txt").write_bytes(seed.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["ingest"]) == 0
    out = capsys.readouterr().out
    assert "seeds/005_copy.txt: duplicate of seeds/004_" in out
    assert "seeds/006_crlf.txt: duplicate of seeds/004_" in out
    assert len(list((project / "content" / "reports").glob("*.md"))) == 5


def test_two_reports_of_one_place_and_year_get_distinct_slugs(project):
    seed = next((project / "seeds").glob("004_*"))
    text = seed.read_text(encoding="utf-8").replace("深入学习贯彻习近平法治思想", "深入学习领会习近平法治思想")
    (project / "seeds" / "005_variant.txt").write_text(text, encoding="utf-8")
    assert main(["ingest"]) == 0
    assert (project / "content" / "reports" / "500000-2020-2.md").exists()


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "the file is empty"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "binary file"),
    ("menu.txt", "首页\n新闻中心\n联系我们\n今天天气很好。\n".encode(), "does not look like a rule-of-law report"),
    ("garbled.txt", bytes([0x81, 0x20, 0xff, 0xfe, 0x80, 0x7f]) * 200, "not valid UTF-8"),
    ("report.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
])
def test_bad_seed_gets_one_line_and_the_rest_is_ingested(project, capsys, name, data, message):
    (project / "seeds" / name).write_bytes(data)
    assert main(["ingest"]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith(f"Error: seeds/{name}: ") and message in lines[0]
    assert "Traceback" not in err
    assert len(list((project / "content" / "reports").glob("*.md"))) == 5
    assert not any(name in p.read_text(encoding="utf-8") for p in (project / "content" / "reports").glob("*.md"))


def test_symlink_in_seeds_is_not_followed(project, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.txt"
    outside.write_text("机密", encoding="utf-8")
    (project / "seeds" / "link.txt").symlink_to(outside)
    assert main(["ingest"]) == 1
    assert "seeds/link.txt: is a symbolic link" in capsys.readouterr().err


def test_file_names_with_spaces_and_chinese_are_fine(project):
    seed = next((project / "seeds").glob("001_*"))
    shutil.move(seed, project / "seeds" / "孝昌 县 报告.txt")
    assert main(["ingest"]) == 0
    text = (project / "content" / "reports" / "420921-2019.md").read_text(encoding="utf-8")
    assert "file: seeds/孝昌 县 报告.txt" in text


def test_wrong_usage_exits_2(project):
    assert main(["ingest", "--no-such-flag"]) == 2


def test_a_twenty_megabyte_single_line_is_refused_in_one_line(project, capsys):
    line = "全面推进依法行政，持续深化放管服改革。" * 400_000
    (project / "seeds" / "huge.txt").write_bytes(line.encode("utf-8")[:20 * 10**6])
    assert main(["ingest"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: seeds/huge.txt: 20.0 MB is far more than any report page")
    assert len(list((project / "content" / "reports").glob("*.md"))) == 5


def test_a_seed_cut_in_the_middle_of_a_character_is_still_ingested(project):
    seed = next((project / "seeds").glob("004_*"))
    raw = seed.read_bytes().rstrip()
    truncated = raw[:raw.rindex("。".encode()) + 2]          # two of the three bytes of the last 。
    seed.write_bytes(truncated)
    assert main(["ingest"]) == 0
    assert (project / "content" / "reports" / "500000-2020.md").exists()
