"""t2s_table: how the search page reads a query in traditional characters, and the script it reads."""
from __future__ import annotations

import json
import re

import opencc
import pytest

from lawreport_site.errors import LawReportError
from lawreport_site.ingest.convert import to_traditional
from lawreport_site.search.t2s_table import (CHARACTERS, character_table, dictionary_lines, phrase_table, search_script,
                                      table_script)
from tests.helpers import CONTENT


def script_tables(script: bytes) -> tuple[dict[str, str], dict[str, str]]:
    """Read the tables back from their script as the page does: characters in pairs, phrases."""
    tables = json.loads(re.search(rb"var LawreportT2S = (\{.*\});", script).group(1))
    pairs = tables["characters"]
    return {pairs[at]: pairs[at + 1] for at in range(0, len(pairs), 2)}, tables["phrases"]


def read_as_the_page_does(text: str, characters: dict[str, str], phrases: dict[str, str]) -> str:
    """What search-query.js's simplified() makes of *text*: its longest phrase at each place, else
    its character (the browser tests check the page itself against t2s)."""
    out, at, longest = [], 0, max(map(len, phrases))
    while at < len(text):
        length = next((n for n in range(min(longest, len(text) - at), 1, -1) if text[at:at + n] in phrases), 1)
        out.append(phrases[text[at:at + length]] if length > 1 else characters.get(text[at], text[at]))
        at += length
    return "".join(out)


def test_a_character_takes_its_first_simplified_form():
    lines = ["復\t复\n", "乾\t干 乾\n", "覆\t覆 复\n", "於\t于 於\n"]
    assert character_table(lines) == {"復": "复", "乾": "干", "於": "于"}


def test_only_single_han_characters_to_single_han_characters_are_listed():
    # 㑮's simplified form is outside the index's Han blocks; a phrase is no character.
    lines = ["㑮\t𫝈", "乾隆\t乾隆", "A\tB", "議\t议"]
    assert character_table(lines) == {"議": "议"}


def test_phrases_of_han_characters_are_listed():
    lines = ["瞭解\t了解", "乾隆\t乾隆", "二噁英\t二𫫇英", "A4紙\tA4纸", "復\t复"]
    assert phrase_table(lines) == {"瞭解": "了解", "乾隆": "乾隆"}


def test_the_script_holds_the_tables():
    characters, phrases = {"議": "议", "復": "复", "後": "后"}, {"瞭解": "了解"}
    script = table_script(characters, phrases)
    assert script_tables(script) == (characters, phrases)
    assert script.decode("utf-8").count("\n") == 3


def test_the_installed_tables_read_a_character_as_ingest_does():
    # Ingest converts a traditional page with OpenCC's t2s; a character alone must come out the same.
    t2s, (characters, phrases) = opencc.OpenCC("t2s"), script_tables(search_script())
    assert characters["復"] == "复" and characters["關"] == "关" and "覆" not in characters
    assert phrases["瞭解"] == "了解" and phrases["答覆"] == "答复"
    assert all(t2s.convert(source) == target for source, target in characters.items())
    assert all(t2s.convert(source) == target for source, target in phrases.items())


def test_the_seed_reports_written_traditional_read_back_as_they_are():
    # Every character of the seeds, written traditional by OpenCC (phrases included), and read back
    # by the tables as the page does: the seeds themselves, and what t2s makes of it.
    characters, phrases = script_tables(search_script())
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(CONTENT.glob("*.md")))
    traditional = to_traditional(text)
    assert len(text) > 30_000 and traditional != text
    assert read_as_the_page_does(traditional, characters, phrases) == text
    assert read_as_the_page_does(traditional, characters, phrases) == opencc.OpenCC("t2s").convert(traditional)


def test_a_package_without_the_dictionary_is_a_clear_error():
    # pyproject.toml warns against the C++ `opencc`, which imports under the same name.
    with pytest.raises(LawReportError, match=r"TSCharacters.txt: OpenCC's dictionary cannot be read"):
        dictionary_lines(CHARACTERS, "lawreport_site")
