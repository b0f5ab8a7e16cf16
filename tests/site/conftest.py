"""The site tests build one sample site per session (six reports written in code) and reuse it."""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest

from lawreport_site.builder import build_command
from tests.conftest import serve_directory
from tests.site.reports import sample_reports, write_content, write_seeds


def build_args(root: Path, **overrides: object) -> argparse.Namespace:
    values = dict(content=root / "content", out=root / "public", seeds=root / "seeds",
                  ingest=False, no_search=True, config=root / "site.toml")
    values.update(overrides)
    return argparse.Namespace(**values)


@pytest.fixture(scope="session")
def sample_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder with content, seeds and a built site in public/."""
    root = tmp_path_factory.mktemp("sample")
    write_content(root, sample_reports())
    write_seeds(root)
    assert build_command(build_args(root)) == 0
    return root


@pytest.fixture(scope="session")
def built_site(sample_root: Path) -> Path:
    return sample_root / "public"


@pytest.fixture(scope="session")
def served_site(built_site: Path) -> Iterator[str]:
    base_url, server = serve_directory(built_site)
    yield base_url
    server.shutdown()
    server.server_close()


PROJECT = Path(__file__).parent.parent.parent


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built from the project's own content/reports (the five seeds), without search."""
    if not list((PROJECT / "content" / "reports").glob("*.md")):
        pytest.fail("content/reports/ is empty: run `lawreport ingest` first")
    out = tmp_path_factory.mktemp("seed-site") / "public"
    args = build_args(PROJECT, out=out, config=PROJECT / "site.toml")
    assert build_command(args) == 0
    return out
