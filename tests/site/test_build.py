"""`lawreport build` as a command: atomic swap, one line per bad file, nothing outside the site."""
from __future__ import annotations

import gc
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from lawreport_site import builder
from lawreport_site.build import parallel
from lawreport_site.builder import site_path
from lawreport_site.build.cache import CACHE_DIR, Cache, file_key
from lawreport_site.cli import main
from lawreport_site.config import SiteConfig, load_config
from lawreport_site.errors import LawReportError


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(sample_root: Path, tmp_path: Path) -> Path:
    """A copy of the sample project (content, seeds, built public/) to break at will."""
    for name in ("content", "seeds", "public"):
        shutil.copytree(sample_root / name, tmp_path / name)
    return tmp_path


def build(project: Path, *extra: str) -> int:
    return main(["build", "--content", str(project / "content"), "--out", str(project / "public"),
                 "--seeds", str(project / "seeds"), "--no-search", *extra])


def test_bad_content_leaves_previous_site_untouched(project: Path, capsys) -> None:
    before = snapshot(project / "public")
    reports = project / "content" / "reports"
    (reports / "broken.md").write_text("---\nslug: x-1\nyear: 2020\n---\n正文\n", encoding="utf-8")
    (reports / "no-front.md").write_text("只有正文\n", encoding="utf-8")
    assert build(project) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3                       # one line per bad file, then what happened
    assert err[0].startswith(f"{reports / 'broken.md'}: field `") and "is missing" in err[0]
    assert err[1].startswith(f"{reports / 'no-front.md'}: no front matter;")
    assert "the site was not built" in err[2]
    assert snapshot(project / "public") == before
    assert sorted(p.name for p in project.iterdir()) == [".lawreport-cache", "content", "public", "seeds"]


def test_workers_load_and_derive_as_this_process_does_bad_files_included(project: Path, monkeypatch) -> None:
    reports = project / "content" / "reports"
    (reports / "broken.md").write_text("---\nslug: x-1\nyear: 2020\n---\n正文\n", encoding="utf-8")
    keys, _ = builder.content_keys(reports)
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    results = [builder.load_content(keys, {}, Cache(project / f"cache-{workers}", project / "public"), workers)
               for workers in (1, 2)]
    (loaded, _, problems), (loaded_2, _, problems_2) = results
    assert loaded == loaded_2 and len(loaded) == len(keys) - 1
    assert [(p.path, str(p)) for p in problems] == [(p.path, str(p)) for p in problems_2]
    assert problems_2[0].path == str(reports / "broken.md") and "is missing" in str(problems_2[0])


def test_a_settled_file_is_known_by_its_signature_and_a_changed_one_is_read(project: Path, monkeypatch) -> None:
    reports = project / "content" / "reports"
    monkeypatch.setattr(builder, "SETTLED_NS", 0)
    keys, settled = builder.content_keys(reports)
    first = str(sorted(reports.glob("*.md"))[0])
    assert keys[first] == file_key(Path(first).read_bytes()) and settled.keys() == keys.keys()
    # A recorded signature stands for the file: its recorded key comes back, the file unread.
    recorded = {path: (settled[path], f"recorded-{number}") for number, path in enumerate(keys)}
    assert builder.content_keys(reports, recorded=recorded)[0] == {path: recorded[path][1] for path in keys}
    # A write changes the signature (the ctime at least, even with size and mtime put back).
    stat = os.stat(first)
    Path(first).write_bytes(Path(first).read_bytes().replace("。".encode(), "！".encode(), 1))
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again, _ = builder.content_keys(reports, recorded=recorded)
    assert again[first] == file_key(Path(first).read_bytes()) != keys[first]
    # A file written a moment ago is not yet settled: its signature is not to be recorded.
    monkeypatch.setattr(builder, "SETTLED_NS", 60_000_000_000)
    assert first not in builder.content_keys(reports)[1]


def test_a_rebuild_reads_only_the_files_that_changed(project: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(builder, "SETTLED_NS", 0)
    reports = project / "content" / "reports"
    assert build(project) == 0                      # records the signatures
    edited = sorted(reports.glob("*.md"))[-1]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n补记一段。\n", encoding="utf-8")
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: read.append(path.name) or original(path))
    capsys.readouterr()
    assert build(project) == 0
    assert "1 new or changed" in capsys.readouterr().out
    assert [name for name in read if name.endswith(".md")] == [edited.name] * read.count(edited.name) != []


def _collector_state(_: int) -> tuple[bool, bool]:
    return gc.isenabled(), gc.get_freeze_count() > 0


def test_workers_collect_garbage_but_leave_what_they_inherit_alone(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    assert set(parallel.forked_map(_collector_state, range(8), 2, chunksize=1)) == {(True, True)}
    assert gc.isenabled() and gc.get_freeze_count() == 0        # this process is as it was


def test_after_a_failed_build_the_fixed_build_derives_only_the_fixed_file(project: Path, capsys) -> None:
    reports = project / "content" / "reports"
    good = len(list(reports.glob("*.md")))
    (reports / "broken.md").write_text("---\nslug: x-1\nyear: 2020\n---\n正文\n", encoding="utf-8")
    assert build(project) == 1
    (reports / "broken.md").unlink()
    (reports / "added.md").write_text((reports / sorted(p.name for p in reports.glob("*.md"))[0])
                                      .read_text(encoding="utf-8").replace("slug: ", "slug: added-", 1),
                                      encoding="utf-8")
    capsys.readouterr()
    assert build(project) == 0
    assert f"{good + 1} report(s), 1 new or changed" in capsys.readouterr().out


def test_duplicate_slug_is_one_line_and_stops_the_build(project: Path, capsys) -> None:
    reports = project / "content" / "reports"
    shutil.copy(reports / "500000-2020.md", reports / "copy.md")
    assert build(project) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"{reports / 'copy.md'}: slug '500000-2020' is already used by "
                      f"{reports / '500000-2020.md'}; give one of them another slug, e.g. add -2")


def test_rebuild_replaces_the_site_and_leaves_no_temporary_folders(project: Path, capsys) -> None:
    (project / "public" / "stale.html").write_text("old", encoding="utf-8")
    (project / "content" / "reports" / "sifabu-2022.md").unlink()
    assert build(project) == 0
    out = capsys.readouterr().out
    assert not (project / "public" / "stale.html").exists()
    assert not (project / "public" / "reports" / "sifabu-2022").exists()
    assert (project / "public" / "reports" / "500000-2020" / "index.html").is_file()
    # The replaced site is kept, as the spare the next build updates (staging.py).
    assert sorted(p.name for p in project.iterdir()) == [CACHE_DIR, ".public-spare", "content", "public",
                                                          "seeds"]
    assert (project / ".public-spare" / "stale.html").is_file()
    assert "Built 5 report(s)" in out
    assert out.rstrip().endswith(f"`python -m http.server -d {project / 'public'}` and open http://127.0.0.1:8000/")
    # The next build is made in that spare: what the site no longer has is gone from it.
    assert build(project) == 0
    assert not (project / "public" / "stale.html").exists()
    assert not (project / "public" / "reports" / "sifabu-2022").exists()
    assert sorted(p.name for p in project.iterdir()) == [CACHE_DIR, ".public-spare", "content", "public",
                                                          "seeds"]


def test_empty_content_is_an_error(tmp_path: Path, capsys) -> None:
    (tmp_path / "content" / "reports").mkdir(parents=True)
    assert build(tmp_path) == 1
    assert "holds no reports" in capsys.readouterr().err
    assert not (tmp_path / "public").exists()


@pytest.mark.parametrize("relative", ["../x.html", "/etc/passwd", "a/../../x", "reports/../../x"])
def test_no_output_path_leaves_the_site(tmp_path: Path, relative: str) -> None:
    with pytest.raises(ValueError, match="outside the site"):
        site_path(tmp_path / "public", relative)


def test_config_defaults_when_absent_and_normalises_base_url(tmp_path: Path) -> None:
    assert load_config(tmp_path / "none.toml") == SiteConfig()
    path = tmp_path / "site.toml"
    path.write_text('base_url = "https://law.example.cn/archive"\ntitle = "档案"\n', encoding="utf-8")
    assert load_config(path).base_url == "https://law.example.cn/archive/"
    path.write_text('base_url = "/relative/"\n', encoding="utf-8")
    with pytest.raises(LawReportError, match="must be absolute"):
        load_config(path)
    path.write_text('colour = "red"\n', encoding="utf-8")
    with pytest.raises(LawReportError, match="unknown setting colour"):
        load_config(path)


def test_base_url_from_config_reaches_feed_and_canonical(project: Path, tmp_path: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text('base_url = "https://law.example.cn/archive/"\n', encoding="utf-8")
    from lawreport_site.builder import build_command
    from tests.site.conftest import build_args
    assert build_command(build_args(project, config=config)) == 0
    assert "https://law.example.cn/archive/reports/500000-2020/" in \
        (project / "public" / "feed.xml").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://law.example.cn/archive/places/">' in \
        (project / "public" / "places" / "index.html").read_text(encoding="utf-8")


def test_build_says_each_stage_and_how_long_it_took(project: Path, capsys) -> None:
    assert build(project) == 0
    out = capsys.readouterr().out
    stages = [line for line in out.splitlines() if line.startswith("… ")]
    assert [line.split(":")[0] for line in stages] == [
        "… reading content", "… deriving reports", "… rendering and writing pages", "… swapping the new site in"]
    built = next(line for line in out.splitlines() if line.startswith("Built "))
    assert " in " in built and "rendering and writing pages" in built and built.endswith(" s).")


def test_a_build_leaves_the_garbage_collector_as_it_found_it(project: Path) -> None:
    # The build freezes its long-lived objects (builder._build); lawreport serve builds again and
    # again in one process, so they must be collectable again afterwards.
    assert build(project) == 0
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_the_builder_names_the_search_folder_as_search_does() -> None:
    # The builder leaves that folder of a spare site to index_site, which keeps it up to date.
    from lawreport_site import builder
    from lawreport_site.search import shards
    assert builder.SEARCH_FOLDER == shards.OUTPUT
