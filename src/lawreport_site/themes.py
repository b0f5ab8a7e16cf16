"""Themes: the taxonomy in data/themes.yaml, and which sections of a report concern which theme.

A report body is cut into sections at its ``##`` and ``###`` headings; each section is tagged
with the themes whose keywords it mentions enough, so a theme page can show the passages, not
just the reports (DESIGN.md, "Themes"). Everything here is pure: Markdown in, values out.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

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

# CommonMark, as the site renders it (habit 7): raw HTML in a seed is text, never markup.
_MD = MarkdownIt("commonmark", {"html": False}).enable("table")


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


@dataclass(frozen=True, slots=True)
class Passage:
    """A section of a report shown on a theme page."""
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
    # Cached: a build asks for the sections of one body once per theme page it appears on.
    sections: list[Section] = []
    heading, anchor, level, lines = "", "", 0, []
    count = 0
    for block_level, text in _blocks(body_md):
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


def _blocks(body_md: str) -> Iterable[tuple[int, str]]:
    """Yield (heading level or 0, plain text) for each block of text, captions left out."""
    tokens = _MD.parse(body_md)
    for previous, token in zip([None, *tokens], tokens):
        if token.type != "inline":
            continue
        if previous is not None and previous.type == "heading_open":
            yield int(previous.tag[1:]), plain_text(token.children or [])
        elif not is_caption(token.children or []):
            # A photo caption sits wherever the picture was, not in the argument of the section.
            yield 0, plain_text(token.children or [])


def is_caption(children: Sequence[Token]) -> bool:
    """Return True for inline content that is emphasis from end to end (``*…*``)."""
    if len(children) < 3 or children[0].type != "em_open" or children[-1].type != "em_close":
        return False
    depth = 0
    for child in children[:-1]:
        depth += {"em_open": 1, "em_close": -1}.get(child.type, 0)
        if depth == 0:
            return False
    return True


def plain_text(children: Sequence[Token]) -> str:
    """Return the text of inline tokens without markup; images (pictures) are left out."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return _join_lines("".join(parts)).strip()


def _join_lines(text: str) -> str:
    # A line broken inside Chinese prose joins without a space (行政\n复议 is 行政复议);
    # between Latin words the break was a space.
    return re.sub(r"(?<=[\x00-\x7f])\n(?=[\x00-\x7f])", " ", text).replace("\n", "")


# --- tagging ------------------------------------------------------------------------------------

@functools.cache
def _pattern(theme: Theme) -> re.Pattern[str]:
    """Compile one alternation of the theme's keywords, longest first, one named group each."""
    order = sorted(range(len(theme.keywords)), key=lambda i: -len(theme.keywords[i]))
    branches = "|".join(f"(?P<k{i}>{_literal(theme.keywords[i])})" for i in order)
    # Looking ahead at the first character lets re skip most positions at once (5x faster).
    firsts = "".join(sorted({form for keyword in theme.keywords for form in _forms(keyword[0])}))
    return re.compile(f"(?=[{re.escape(firsts)}])(?:{branches})")


def _literal(term: str) -> str:
    return "".join(f"[{re.escape(_forms(c))}]" if len(_forms(c)) > 1 else re.escape(c) for c in term)


def _forms(char: str) -> str:
    # Full-width ＋ and digits (互联网＋, １２３４５) are common in portal text; match both forms.
    return char + chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char


def keyword_hits(theme: Theme, text: str) -> tuple[tuple[int, int, float], ...]:
    """Return (start, end, weight) of each keyword occurrence in *text*; masks left out."""
    weighted = ((m.start(), m.end(), theme.weights[int(m.lastgroup[1:])])
                for m in _pattern(theme).finditer(text))
    return tuple(hit for hit in weighted if hit[2] > 0)


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
    scores = []
    for theme in load_themes():
        in_heading, in_text = score(theme, section.heading), score(theme, section.text)
        if in_heading > 0 or in_text >= MIN_SECTION_TEXT_SCORE:
            scores.append((theme.slug, HEADING_WEIGHT * in_heading + in_text))
    return tuple(scores)


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
    theme = theme_by_slug(slug)
    if theme is None:
        known = ", ".join(t.slug for t in load_themes())
        raise ValueError(f"unknown theme {slug!r}; the themes in data/themes.yaml are: {known}")
    return tuple(Passage(section.anchor, section.heading, _passage_excerpt(theme, section.text))
                 for section in split_sections(body_md) if slug in section_scores(section))


def _passage_excerpt(theme: Theme, text: str) -> str:
    hits = keyword_hits(theme, text)
    # Tagged by its heading alone, a section is shown from its start.
    start, end = (hits[0][0], hits[0][1]) if hits else (0, 0)
    return excerpt(text, start, end)


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
