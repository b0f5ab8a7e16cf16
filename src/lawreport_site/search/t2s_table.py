"""The tables by which the search page reads a query typed in traditional characters.

Every report is stored in simplified characters (ingest/convert.py), so a reader who types
行政復議 would find nothing. The search page (templates/static/search-query.js) therefore reads a
query as ingest reads a traditional page, with OpenCC's t2s, by the two tables t2s is made of,
which the build writes beside the page's script (the site's static/search-t2s.js): each
traditional character to its first simplified form (復 → 复, 乾 → 干; 覆 and 瞭 stay), and the
phrases t2s reads before their characters (瞭解 → 了解, 答覆 → 答复, 乾隆 stays).
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from importlib import resources

from ..errors import LawReportError
from .subwords import HAN

CHARACTERS = "TSCharacters.txt"
PHRASES = "TSPhrases.txt"
"""OpenCC's traditional → simplified dictionaries, in the opencc package's dictionary folder."""
SCRIPT_NAME = "search-t2s.js"
"""The tables' file in the site's static folder, loaded by the search page before search-query.js."""
_ONE_HAN = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN) + "]")


def _is_han(text: str) -> bool:
    return _ONE_HAN.fullmatch(text) is not None


def _first_forms(lines: Iterable[str]) -> Iterator[tuple[str, str]]:
    """Each entry of OpenCC dictionary *lines* ("乾\\t干 乾") with its first form ("乾", "干")."""
    for line in lines:
        source, _, targets = line.rstrip("\n").partition("\t")
        if targets:
            yield source, targets.split(" ")[0]


def character_table(lines: Iterable[str]) -> dict[str, str]:
    """Map each traditional character of OpenCC dictionary *lines* ("復\\t复", "乾\\t干 乾") to
    its first simplified form, where that differs; Han characters only.

    Only the Han blocks the index guarantees (subwords.HAN) are kept, so forms outside them
    (㑮 → 𫝈, 二噁英 → 二𫫇英) are left out, here and in phrase_table."""
    return {source: target for source, target in _first_forms(lines)
            if target != source and _is_han(source) and _is_han(target)}


def phrase_table(lines: Iterable[str]) -> dict[str, str]:
    """Map each phrase of OpenCC dictionary *lines* to its first simplified form; Han characters
    only."""
    return {source: target for source, target in _first_forms(lines)
            if len(source) > 1 and all(map(_is_han, source)) and all(map(_is_han, target))}


def table_script(characters: Mapping[str, str], phrases: Mapping[str, str]) -> bytes:
    """The JS file defining the tables as LawreportT2S: the characters as one string of
    (traditional, simplified) pairs, the smallest form the page can read, and the phrases.

    The page reads a query, at each place, by its longest phrase there, else by its character, as
    t2s reads a text; so a simplified query holding a character OpenCC reads as traditional first
    (the surname 於) is read as t2s would read it."""
    tables = {"characters": "".join(source + characters[source] for source in sorted(characters)),
              "phrases": dict(sorted(phrases.items()))}
    return (f"/* Written by lawreport_site/search/t2s_table.py from OpenCC's {CHARACTERS} and {PHRASES}:\n"
            "   how the search page reads a query in traditional characters (static/search-query.js). */\n"
            f"var LawreportT2S = {json.dumps(tables, ensure_ascii=False, separators=(',', ':'))};\n"
            ).encode("utf-8")


def dictionary_lines(name: str, package: str = "opencc") -> list[str]:
    """The lines of OpenCC's dictionary *name* in the installed *package*."""
    path = resources.files(package).joinpath("dictionary", name)
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LawReportError(f"{path}: OpenCC's dictionary cannot be read ({error}); reinstall "
                             "the package opencc-python-reimplemented (pyproject.toml)") from None


@functools.cache
def search_script() -> bytes:
    """The tables' script of the installed OpenCC (read once per process)."""
    return table_script(character_table(dictionary_lines(CHARACTERS)), phrase_table(dictionary_lines(PHRASES)))
