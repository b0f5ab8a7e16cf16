"""Themes: the taxonomy in data/themes.yaml, and which sections of a report concern which theme.

A report body is cut into sections at its ``##`` and ``###`` headings; each section is tagged
with the themes whose keywords it mentions enough, so a theme page can show the passages, not
just the reports (DESIGN.md, "Themes"). Everything here is pure: Markdown in, values out.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import NamedTuple

import ahocorasick
import yaml

from .commonmark import Parsed, inline_runs, is_caption, parse, plain_text

SECTION_LEVELS = (2, 3)
"""Heading levels that start a section; deeper headings stay inside their section's text."""
HEADING_WEIGHT = 3
"""A keyword in a heading counts this many times: the heading names what the section is about."""
MIN_SECTION_TEXT_SCORE = 2.0
"""A section is tagged when its text scores this much, or when its heading has any hit."""
MIN_REPORT_SCORE = 3.0
"""A report is tagged only with themes that score at least this much in total …"""
CHARS_PER_REPORT_POINT = 1000
"""… and at least one point per this many characters of text, so a long report needs more."""
EXCERPT_CHARS = 160
"""Longest excerpt of a passage, ellipses included."""
SENTENCE_ENDS = "。！？；!?;"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True, slots=True)
class Theme:
    """One theme of the taxonomy, as listed in data/themes.yaml."""
    slug: str
    """ASCII kebab-case, stable: the URL is /themes/<slug>/, e.g. ``dispute-resolution``."""
    name: str
    """Chinese name shown on the site, e.g. ``矛盾纠纷化解``."""
    description: str
    """One line of Chinese saying what the theme covers."""
    keywords: tuple[str, ...]
    """Terms that put a passage in this theme, matched literally."""
    weights: tuple[float, ...]
    """``weights[i]`` is what one occurrence of ``keywords[i]`` scores; 0 masks a phrase."""


@dataclass(frozen=True, slots=True)
class Section:
    """A stretch of a report body under one ``##`` or ``###`` heading."""
    heading: str
    """Plain text of the heading; "" for the text before the first heading."""
    anchor: str
    """The heading's id on the report page (see heading_anchor); "" before the first heading."""
    level: int
    """2 or 3; 0 for the text before the first heading."""
    text: str
    """Plain text of the section: markup stripped, photo captions left out, one block a line."""


class Passage(NamedTuple):
    """A section of a report shown on a theme page.

    A named tuple, so the build cache (derive.Facts) pickles it without a conversion step."""
    anchor: str
    """Id of the section's heading on the report page; "" for the report's opening text."""
    heading: str
    """Plain text of the section heading; "" for the opening text."""
    excerpt: str
    """At most EXCERPT_CHARS of plain text around the first keyword of the theme."""


# --- the taxonomy -------------------------------------------------------------------------------

@functools.cache
def load_themes() -> tuple[Theme, ...]:
    """Return the themes of data/themes.yaml in file order (read once per process)."""
    data = resources.files("lawreport_site").joinpath("data").joinpath("themes.yaml")
    return parse_themes(yaml.safe_load(data.read_text(encoding="utf-8")))


def parse_themes(data: object) -> tuple[Theme, ...]:
    """Return themes from the loaded YAML; raise ValueError naming the entry that is malformed."""
    if not isinstance(data, list):
        raise ValueError("themes.yaml: expected a list of themes (- slug: …, name: …, …)")
    themes = tuple(_theme(entry, number) for number, entry in enumerate(data, start=1))
    slugs = [theme.slug for theme in themes]
    repeated = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if repeated:
        raise ValueError(f"themes.yaml: each slug must be unique; repeated: {', '.join(repeated)}")
    return themes


def _theme(entry: object, number: int) -> Theme:
    where = f"themes.yaml, theme {number}"
    if not isinstance(entry, dict) or not {"slug", "name", "description", "keywords"} <= entry.keys():
        raise ValueError(f"{where}: needs slug, name, description and keywords")
    if not isinstance(entry["slug"], str) or not SLUG.fullmatch(entry["slug"]):
        raise ValueError(f"{where}: slug {entry['slug']!r} must be ASCII kebab-case, "
                         "e.g. law-enforcement")
    if not isinstance(entry["keywords"], list) or not entry["keywords"]:
        raise ValueError(f"{where} ({entry['slug']}): keywords must be a non-empty list")
    pairs = tuple(_keyword(item, f"{where} ({entry['slug']})") for item in entry["keywords"])
    return Theme(slug=entry["slug"], name=str(entry["name"]), description=str(entry["description"]),
                 keywords=tuple(k for k, _ in pairs), weights=tuple(w for _, w in pairs))


def _keyword(item: object, where: str) -> tuple[str, float]:
    if isinstance(item, dict) and len(item) == 1:
        (term, weight), = item.items()
    else:
        term, weight = item, 1.0
    # YAML reads a bare 12345 as a number: it must be quoted to stay a term.
    if not isinstance(term, str) or not term or isinstance(weight, bool) \
            or not isinstance(weight, int | float) or weight < 0:
        raise ValueError(f"{where}: keyword {item!r} must be a string or 'string: weight' "
                         "(quote numbers)")
    return term, float(weight)


def theme_by_slug(slug: str) -> Theme | None:
    """Return the theme with this slug, or None."""
    return next((theme for theme in load_themes() if theme.slug == slug), None)


# --- sections -----------------------------------------------------------------------------------

def heading_anchor(heading_text: str, index: int) -> str:
    """Return the id of a heading: ``s-<index>``, index counting every heading from 1.

    The single source of truth for heading ids: the report page gives the n-th heading of the
    body (any level, in document order, as CommonMark parses it) the id ``heading_anchor(text, n)``.
    The text is not used: slugs of Chinese headings are long and change when a heading is edited.
    """
    if index < 1:
        raise ValueError(f"heading index counts from 1, got {index}")
    return f"s-{index}"


@functools.lru_cache(maxsize=64)
def split_sections(body_md: str) -> tuple[Section, ...]:
    """Cut a Markdown body at every ``##``/``###`` heading.

    Text before the first heading, when there is any, is a section with heading and anchor "".
    """
    # Cached: tests and `lawreport check` ask for the sections of one body several times.
    return sections_of(parse(body_md))


def sections_of(parsed: Parsed) -> tuple[Section, ...]:
    """Return the sections of a parsed body (see split_sections), so one parse serves all uses."""
    sections: list[Section] = []
    heading, anchor, level, lines = "", "", 0, []
    count = 0
    for block_level, text in _blocks(parsed):
        if block_level:
            count += 1
        if block_level in SECTION_LEVELS:
            if anchor or lines:
                sections.append(Section(heading, anchor, level, "\n".join(lines)))
            heading, anchor, level, lines = text, heading_anchor(text, count), block_level, []
        elif text:
            lines.append(text)
    if anchor or lines:
        sections.append(Section(heading, anchor, level, "\n".join(lines)))
    return tuple(sections)


def _blocks(parsed: Parsed) -> Iterable[tuple[int, str]]:
    """Yield (heading level or 0, plain text) for each block of text, captions left out."""
    for run in inline_runs(parsed):
        if run.level:
            yield run.level, plain_text(run.inline)
        elif not is_caption(run.inline):
            # A photo caption sits wherever the picture was, not in the argument of the section.
            yield 0, plain_text(run.inline)


# --- tagging ------------------------------------------------------------------------------------

# Full-width ＋ and digits (互联网＋, １２３４５) are common in portal text; a keyword's ASCII
# characters match both forms. Folding text and keywords to ASCII keeps every offset.
_FULL_WIDTH = re.compile("[\uff01-\uff5e]")

Hit = tuple[int, int, float]
"""(start, end, weight) of one keyword occurrence."""


def _fold(text: str) -> str:
    # re.sub, not str.translate: translate walks every character of CJK text in Python-level
    # dictionary lookups and cost more than all the keyword searches together.
    return _FULL_WIDTH.sub(lambda match: chr(ord(match.group()) - 0xFEE0), text)


@functools.cache
def _by_length(theme: Theme) -> tuple[tuple[str, float], ...]:
    """Return the theme's (folded keyword, weight), longest first: a longer term wins a tie."""
    order = sorted(range(len(theme.keywords)), key=lambda i: -len(theme.keywords[i]))
    return tuple((_fold(theme.keywords[i]), theme.weights[i]) for i in order)


def keyword_hits(theme: Theme, text: str) -> tuple[Hit, ...]:
    """Return (start, end, weight) of each keyword occurrence in *text*; masks left out.

    Scanning left to right, the longest keyword starting at a position wins and the scan goes
    on after it (so 行政复议 is not also counted as 复议). Masked phrases (weight 0) still take
    their text, then are dropped.
    """
    ranked = _by_length(theme)
    return _resolve(_occurrences(ranked, _fold(text)), ranked)


def _occurrences(ranked: Sequence[tuple[str, float]], folded: str) -> list[tuple[int, int, int]]:
    """Return (start, rank, end) of every occurrence of every keyword, overlaps included."""
    # str.find per keyword is C-speed; one alternation regex tried every branch at each
    # candidate position and was most of the build's model time.
    found = []
    for rank, (keyword, _) in enumerate(ranked):
        start = folded.find(keyword)
        while start >= 0:
            found.append((start, rank, start + len(keyword)))
            start = folded.find(keyword, start + 1)
    return found


@functools.cache
def _automaton() -> ahocorasick.Automaton:
    """Every folded keyword of the taxonomy → ((theme number, rank, length), …)."""
    places: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for number, theme in enumerate(load_themes()):
        for rank, (keyword, _) in enumerate(_by_length(theme)):
            places[keyword].append((number, rank, len(keyword)))
    automaton = ahocorasick.Automaton()
    for keyword, where in places.items():
        automaton.add_word(keyword, tuple(where))
    automaton.make_automaton()
    return automaton


def _all_occurrences(folded: str) -> list[list[tuple[int, int, int]]]:
    """Return _occurrences(_by_length(theme), folded) for every theme, in taxonomy order.

    One Aho-Corasick pass over the text for the keywords of all themes, instead of a str.find
    per keyword, which took a good part of a report's build time.
    """
    found: list[list[tuple[int, int, int]]] = [[] for _ in load_themes()]
    for last, places in _automaton().iter(folded):
        for number, rank, length in places:
            found[number].append((last + 1 - length, rank, last + 1))
    return found


def _resolve(found: list[tuple[int, int, int]], ranked: Sequence[tuple[str, float]]) -> tuple[Hit, ...]:
    """Keep the leftmost, then longest, occurrences that do not overlap a kept one."""
    hits, cursor = [], 0
    for start, rank, end in sorted(found):
        if start >= cursor:
            cursor = end
            if ranked[rank][1] > 0:
                hits.append((start, end, ranked[rank][1]))
    return tuple(hits)


def theme_hits(sections: Sequence[Section]) -> tuple[dict[str, tuple[tuple[Hit, ...], tuple[Hit, ...]]], ...]:
    """Return, per section, slug → (hits in the heading, hits in the text) for themes with any.

    The same hits keyword_hits gives for each heading and text, found in one pass over the
    whole report: a keyword absent from the report costs one search instead of one per section.
    """
    parts = [part for section in sections for part in (section.heading, section.text)]
    starts, offset = [], 0
    for part in parts:
        starts.append(offset)
        offset += len(part) + 1
    # A keyword never holds NUL, so no occurrence spans two parts.
    folded = _fold("\0".join(parts))
    result: list[dict[str, tuple[tuple[Hit, ...], tuple[Hit, ...]]]] = [{} for _ in sections]
    for theme, found in zip(load_themes(), _all_occurrences(folded)):
        per_section: dict[int, tuple[list[Hit], list[Hit]]] = {}
        for start, end, weight in _resolve(found, _by_length(theme)):
            part = bisect.bisect_right(starts, start) - 1
            number, in_text = divmod(part, 2)
            per_section.setdefault(number, ([], []))[in_text].append(
                (start - starts[part], end - starts[part], weight))
        for number, (heading, text) in per_section.items():
            result[number][theme.slug] = (tuple(heading), tuple(text))
    return tuple(result)


def score(theme: Theme, text: str) -> float:
    """Return the weighted number of keyword occurrences of *theme* in *text*."""
    return sum(weight for _, _, weight in keyword_hits(theme, text))


def section_scores(section: Section) -> dict[str, float]:
    """Return slug → score of every theme that tags the section.

    A section is tagged with a theme when its heading holds a keyword, or when its text scores
    at least MIN_SECTION_TEXT_SCORE (two plain hits; four of a half-weight term). The score is
    the text's plus HEADING_WEIGHT times the heading's.
    """
    return dict(_section_scores(section))


@functools.lru_cache(maxsize=1024)
def _section_scores(section: Section) -> tuple[tuple[str, float], ...]:
    return _tagged(theme_hits((section,))[0])


def _tagged(hits: dict[str, tuple[tuple[Hit, ...], tuple[Hit, ...]]]) -> tuple[tuple[str, float], ...]:
    """Return (slug, score) of the themes that tag a section, from its hits, in taxonomy order."""
    scores = []
    for slug, (heading, text) in hits.items():
        in_heading, in_text = _total(heading), _total(text)
        if in_heading > 0 or in_text >= MIN_SECTION_TEXT_SCORE:
            scores.append((slug, HEADING_WEIGHT * in_heading + in_text))
    return tuple(scores)


def _total(hits: Iterable[Hit]) -> float:
    return sum(weight for _, _, weight in hits)


def section_themes(section: Section) -> tuple[str, ...]:
    """Return the slugs of the themes the section is about, highest score first."""
    return _ranked(section_scores(section))


def report_themes(body_md: str, limit: int = 6) -> tuple[str, ...]:
    """Return the report's main themes, highest total score first, at most *limit*.

    A theme counts when some section is tagged with it and its score summed over the tagged
    sections reaches MIN_REPORT_SCORE and one point per CHARS_PER_REPORT_POINT characters of
    text: one mention of 行政复议 in a long report does not make it a dispute-resolution report.
    """
    sections = split_sections(body_md)
    length = sum(len(section.heading) + len(section.text) for section in sections)
    needed = max(MIN_REPORT_SCORE, length / CHARS_PER_REPORT_POINT)
    totals: dict[str, float] = {}
    for section in sections:
        for slug, value in section_scores(section).items():
            totals[slug] = totals.get(slug, 0.0) + value
    return _ranked({slug: value for slug, value in totals.items() if value >= needed})[:limit]


def _ranked(scores: dict[str, float]) -> tuple[str, ...]:
    order = {theme.slug: number for number, theme in enumerate(load_themes())}
    return tuple(sorted(scores, key=lambda slug: (-scores[slug], order[slug])))


def passages(body_md: str, slug: str) -> tuple[Passage, ...]:
    """Return the sections of a report tagged with theme *slug*, each with an excerpt."""
    if theme_by_slug(slug) is None:
        known = ", ".join(t.slug for t in load_themes())
        raise ValueError(f"unknown theme {slug!r}; the themes in data/themes.yaml are: {known}")
    return next((found for theme, found, _ in all_passages(split_sections(body_md)) if theme == slug), ())


def all_passages(sections: Sequence[Section], shown: int | None = None
                 ) -> tuple[tuple[str, tuple[Passage, ...], int], ...]:
    """Return (slug, passages, how many) for every theme that tags some section, taxonomy order.

    With *shown*, only the first *shown* passages of each theme: an excerpt costs more than
    finding the section, and the site quotes one passage a report (derive.PASSAGES_SHOWN).
    """
    found: dict[str, list[tuple[Section, tuple[Hit, ...]]]] = {theme.slug: [] for theme in load_themes()}
    for section, hits in zip(sections, theme_hits(sections)):
        for slug, _ in _tagged(hits):
            found[slug].append((section, hits[slug][1]))
    return tuple((slug, tuple(_passage(section, text_hits) for section, text_hits in items[:shown]),
                  len(items)) for slug, items in found.items() if items)


def _passage(section: Section, text_hits: Sequence[Hit]) -> Passage:
    # Tagged by its heading alone, a section is shown from its start.
    start, end = text_hits[0][:2] if text_hits else (0, 0)
    return Passage(section.anchor, section.heading, excerpt(section.text, start, end))


def excerpt(text: str, start: int, end: int, width: int = EXCERPT_CHARS) -> str:
    """Return at most *width* characters of *text* around ``text[start:end]``, on one line.

    The excerpt opens at the sentence holding the match when that sentence begins close
    enough, and marks cut ends with ``…``.
    """
    if len(text) <= width:
        return text.replace("\n", " ")
    begin = max(0, min(start - (width - (end - start)) // 2, len(text) - width + 1))
    sentence = max(text.rfind(mark, begin, start) for mark in SENTENCE_ENDS + "\n")
    if sentence >= 0:
        begin = sentence + 1
    stop = begin + width - (1 if begin else 0)
    if stop < len(text):
        stop -= 1
    body = text[begin:stop].replace("\n", " ")
    return ("…" if begin else "") + body + ("…" if stop < len(text) else "")
