"""What a build derives from one report's body, from a single Markdown parse.

Pure and per report: the body's HTML and headings, the completeness items it covers and its
theme passages depend on nothing else, so they can be computed in worker processes and cached
by the digest of the report's file (cache.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .completeness import covered_items
from .markup import Body, body_of, parse_body
from .themes import Passage, all_passages, sections_of


class Facts(NamedTuple):
    """The small part of what a body gives, which the site model holds for every report.

    A named tuple, like Passage, so the build cache pickles it as it is, compactly and fast."""
    covered: tuple[str, ...]
    """Keys of the completeness items the body covers (completeness.ITEMS order)."""
    passages: tuple[tuple[str, tuple[Passage, ...]], ...]
    """(theme slug, passages) for each theme some section is tagged with, taxonomy order."""

    def passages_on(self, slug: str) -> tuple[Passage, ...]:
        return next((found for theme, found in self.passages if theme == slug), ())


@dataclass(frozen=True, slots=True)
class Derived:
    body: Body
    """The HTML and headings of the report page; large, so it is cached apart from the facts."""
    facts: Facts


def derive(body_md: str, year: int) -> Derived:
    """Return everything the site needs from the body of a report on *year*."""
    tokens = parse_body(body_md)
    sections = sections_of(tokens)          # before body_of marks the tokens up for HTML
    facts = Facts(covered_items(sections, year), all_passages(sections))
    return Derived(body_of(tokens), facts)
