"""The Report: one rule-of-law report, as stored in content/reports/<slug>.md."""
from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

PLACE_LEVELS = ("province", "municipality", "prefecture_city", "prefecture", "county", "county_city",
                "district", "township", "department", "other")
DOC_TYPES = ("annual_report", "feature", "news", "work_plan", "other")
SCRIPTS = ("simplified", "traditional")

_Class = TypeVar("_Class", bound=type)


def pickled_by_position(cls: _Class) -> _Class:
    """Give a frozen, slotted dataclass a pickled state read with the field names found once.

    The dataclass's own state functions call dataclasses.fields() for every object, which was
    most of the time spent (un)pickling the 10,000 reports and bodies a build hands between
    processes and keeps in its cache (2.2 s → 1.3 s to pickle the reports of 10,000).
    """
    names = tuple(field.name for field in dataclasses.fields(cls))
    state = operator.attrgetter(*names) if len(names) > 1 else lambda self: (getattr(self, names[0]),)

    def set_state(self: object, values: tuple) -> None:
        for name, value in zip(names, values):
            object.__setattr__(self, name, value)
    # Wrapped: an attrgetter is not a function, so as a class attribute it would not bind self.
    cls.__getstate__ = lambda self: state(self)          # type: ignore[attr-defined]
    cls.__setstate__ = set_state                          # type: ignore[attr-defined]
    return cls


@pickled_by_position
@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    """Where a report came from and what ingest did to it."""
    file: str
    """Path of the raw file relative to the project, e.g. ``seeds/004_….txt``."""
    sha256: str
    """Digest of the raw bytes, so a reader can verify the copy in the site."""
    encoding: str = "utf-8"
    """The encoding the raw bytes were decoded with."""
    script: str = "simplified"
    """``traditional`` when OpenCC converted the text to simplified characters."""
    conversion: str | None = None
    """The OpenCC config used (``t2s`` or ``tw2sp``), or None when nothing was converted."""


@pickled_by_position
@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """One report: front matter fields plus a Markdown body."""
    slug: str
    """``<adcode>-<year>[-n]``, e.g. ``500000-2020``; the URL is /reports/<slug>/."""
    title: str
    """Simplified; synthesised (and listed in ``review``) when the source has none."""
    place: str
    """The reporting government or body, full official name: ``重庆市``, ``贵州省生态环境厅``."""
    place_level: str
    """One of PLACE_LEVELS."""
    year: int
    """The year reported on (报告年度), not the year of publication."""
    body: str
    """Markdown starting at ``##``; the title lives in front matter, not in the body."""
    parent: str | None = None
    """The unit directly above: 孝感市 for 孝昌县, the government a department belongs to."""
    province: str | None = None
    """The province-level unit, or None for national bodies."""
    adcode: str | None = None
    """GB/T 2260 code of the place (of its government for departments and townships)."""
    published: date | None = None
    """When the source says it was published."""
    publisher: str | None = None
    """The issuing body, when the source states it."""
    byline: str | None = None
    """Reporters or authors of a feature or news item (本报记者 …)."""
    doc_type: str = "annual_report"
    """One of DOC_TYPES."""
    themes: tuple[str, ...] = ()
    """Theme slugs from data/themes.yaml, most prominent first."""
    summary: str = ""
    """One or two sentences from the lead."""
    source: Source | None = None
    """Provenance; None for a report written by hand."""
    review: tuple[str, ...] = ()
    """Fields ingest was unsure of; empty when confident."""
    digests: dict[str, str] = field(default_factory=dict)
    """Short digest of each field as ingest wrote it; a mismatch marks a hand edit (see content.merge)."""

    @property
    def url(self) -> str:
        """Site-relative URL of the report page."""
        return f"reports/{self.slug}/"
