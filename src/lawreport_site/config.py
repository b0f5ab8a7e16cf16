"""Site settings from site.toml: the absolute base URL and the site's title.

Pages link relatively, so the site works at any base path; the base URL is needed only where a
reader or crawler must have absolute addresses: feed, sitemap, canonical and Open Graph tags.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import LawReportError

CONFIG_FILE = "site.toml"


@dataclass(frozen=True, slots=True)
class SiteConfig:
    base_url: str = "https://example.org/lawreport/"
    """Absolute URL of the site root, ending in /."""
    title: str = "法治政府建设报告档案"
    description: str = "各地法治政府建设年度报告的公开档案：按地区、年度、主题浏览和全文检索。"


def load_config(path: Path) -> SiteConfig:
    """Read *path* (TOML); a missing file gives the defaults, a bad one a LawReportError."""
    if not path.is_file():
        return SiteConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LawReportError(f"{path}: not valid TOML ({error}); fix the line it names") from None
    known = set(SiteConfig.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise LawReportError(f"{path}: unknown setting {', '.join(unknown)}; "
                             f"the settings are {', '.join(sorted(known))}")
    if not all(isinstance(value, str) for value in data.values()):
        raise LawReportError(f"{path}: every setting is text; put the value in quotes")
    config = SiteConfig(**data)
    if not config.base_url.startswith(("https://", "http://")):
        raise LawReportError(f"{path}: base_url {config.base_url!r} must be absolute, "
                             'e.g. base_url = "https://example.org/lawreport/"')
    if not config.base_url.endswith("/"):
        config = SiteConfig(config.base_url + "/", config.title, config.description)
    return config
