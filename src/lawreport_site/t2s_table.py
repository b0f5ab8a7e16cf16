"""The table by which the search page reads a query typed in traditional characters.

Every report is stored in simplified characters (ingest/convert.py), so a reader who types
行政復議 would find nothing. The search page therefore swaps each traditional character of a
query for its simplified form before cutting it (static/search-query.js), using a table the build
writes beside it (static/search-t2s.js) from OpenCC's character dictionary, the last step of the
t2s that ingest applies to a traditional page.

Each character takes the dictionary's first simplified form, as t2s reads a character alone
(乾 → 干, 於 → 于; 覆 and 瞭 stay). So a query converted here holds what a page converted by ingest
holds, except where t2s reads a phrase otherwise than its characters (瞭解 → 了解, 答覆 → 答复);
and a simplified query holding a character that OpenCC reads as traditional first (the surname
於) is read as t2s would read it. Only characters of the Han blocks the index guarantees
(subwords.HAN), to one such character, are listed: 2,956 of the dictionary's 4,113 lines.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources

from .errors import LawReportError
from .subwords import HAN

DICTIONARY = ("dictionary", "TSCharacters.txt")
"""OpenCC's traditional → simplified characters, inside the opencc package."""
SCRIPT_NAME = "search-t2s.js"
"""The table's file in the site's static folder, loaded by the search page before search-query.js."""


_ONE_HAN = re.compile("[" + "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN) + "]")


def _is_han(text: str) -> bool:
    return _ONE_HAN.fullmatch(text) is not None


def character_table(lines: Iterable[str]) -> dict[str, str]:
    """Map each traditional character of OpenCC dictionary *lines* ("復\\t复", "乾\\t干 乾") to
    its first simplified form, where that differs; Han characters only."""
    table = {}
    for line in lines:
        source, _, targets = line.rstrip("\n").partition("\t")
        target = targets.split(" ")[0]
        if target != source and _is_han(source) and _is_han(target):
            table[source] = target
    return table


def table_script(table: Mapping[str, str]) -> bytes:
    """The JS file defining *table* as LawreportT2S: one string of (traditional, simplified) pairs,
    sorted: the smallest form the page can read."""
    pairs = "".join(source + table[source] for source in sorted(table))
    return (f"/* Written by lawreport_site/t2s_table.py from OpenCC's {DICTIONARY[-1]}: a traditional\n"
            "   character, then the simplified one a query holds instead (static/search-query.js). */\n"
            f"var LawreportT2S = {json.dumps(pairs, ensure_ascii=False)};\n").encode("utf-8")


def dictionary_lines(package: str = "opencc") -> list[str]:
    """The lines of OpenCC's character dictionary in the installed *package*."""
    path = resources.files(package).joinpath(*DICTIONARY)
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise LawReportError(f"{path}: OpenCC's character table cannot be read ({error}); reinstall "
                             "the package opencc-python-reimplemented (pyproject.toml)") from None


@functools.cache
def search_script() -> bytes:
    """The table script of the installed OpenCC (read once per process)."""
    return table_script(character_table(dictionary_lines()))
