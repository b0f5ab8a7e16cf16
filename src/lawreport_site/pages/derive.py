"""What a build derives from one report's body, from a single Markdown parse.

Pure and per report: the body's HTML and headings, the completeness items it covers and its
theme passages depend on nothing else, so they can be computed in worker processes and cached
by the digest of the report's file (build/cache.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from ..archive.completeness import covered_items
from ..archive.commonmark import parse
from .markup import Body, body_of
from ..archive.themes import Passage, all_passages, sections_of


PASSAGES_SHOWN = 1
"""Passages a theme page quotes from each report: enough to compare reports side by side and to
keep the page of a theme's busiest year near 1 MB at 10,000 reports (all of them: 3.5 MB)."""


class Facts(NamedTuple):
    """The small part of what a body gives, which the site model holds for every report.

    Only what the pages show: of a theme's passages, the first PASSAGES_SHOWN and the count. The
    cache loads and saves the facts of every report on every build, so they are kept small.
    """
    covered: tuple[str, ...]
    """Keys of the completeness items the body covers (completeness.ITEMS order)."""
    passages: tuple[tuple[str, tuple[Passage, ...], int], ...]
    """(theme slug, its first passages, how many there are) for each theme some section is
    tagged with, taxonomy order."""


@dataclass(frozen=True, slots=True)
class Derived:
    body: Body
    """The HTML and headings of the report page; large, so it is cached apart from the facts."""
    facts: Facts


def derive(body_md: str, year: int) -> Derived:
    """Return everything the site needs from the body of a report on *year*."""
    tree = parse(body_md)
    sections = sections_of(tree)
    facts = Facts(covered_items(sections, year), all_passages(sections, PASSAGES_SHOWN))
    return Derived(body_of(tree), facts)
