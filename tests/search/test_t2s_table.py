"""t2s_table: the traditional characters the search page swaps in a query, and the script it reads."""
from __future__ import annotations

import json
import re

import opencc
import pytest

from lawreport_site.ingest.convert import to_traditional
from lawreport_site.errors import LawReportError
from lawreport_site.t2s_table import character_table, dictionary_lines, search_script, table_script
from tests.helpers import CONTENT

HAN_CHAR = re.compile("[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]")


def script_table(script: bytes) -> dict[str, str]:
    """Read the table back from its script as the page does: pairs of characters."""
    pairs = json.loads(re.search(rb"var LawreportT2S = (\".*\");", script).group(1))
    return {pairs[at]: pairs[at + 1] for at in range(0, len(pairs), 2)}


def test_a_character_takes_its_first_simplified_form():
    lines = ["復\t复\n", "乾\t干 乾\n", "覆\t覆 复\n", "於\t于 於\n"]
    assert character_table(lines) == {"復": "复", "乾": "干", "於": "于"}


def test_only_single_han_characters_to_single_han_characters_are_listed():
    # 㑮's simplified form is outside the index's Han blocks; a phrase is no character.
    lines = ["㑮\t𫝈", "乾隆\t乾隆", "A\tB", "議\t议"]
    assert character_table(lines) == {"議": "议"}


def test_the_script_holds_the_table_as_pairs():
    table = {"議": "议", "復": "复", "後": "后"}
    script = table_script(table)
    assert script_table(script) == table
    assert script.decode("utf-8").count("\n") == 3


def test_the_installed_table_reads_characters_as_ingest_does():
    # Ingest converts a traditional page with OpenCC's t2s; a character alone must come out the same.
    t2s, table = opencc.OpenCC("t2s"), script_table(search_script())
    assert table["復"] == "复" and table["議"] == "议" and table["關"] == "关" and "覆" not in table
    assert all(t2s.convert(source) == target for source, target in table.items())


def test_the_seed_reports_written_traditional_read_back_as_they_are():
    # Every Han character of the seeds, written traditional by OpenCC (phrases included), and read
    # back through the table: all but where a phrase is written otherwise (了解 → 瞭解, 借 → 藉).
    table = script_table(search_script())
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(CONTENT.glob("*.md")))
    traditional = to_traditional(text)
    assert len(traditional) == len(text) and traditional != text
    read = "".join(table.get(char, char) for char in traditional)
    differing = [(was, now) for was, now in zip(text, read) if was != now]
    assert len(HAN_CHAR.findall(text)) > 20_000
    assert set(differing) <= {("了", "瞭"), ("借", "藉")}


def test_a_package_without_the_dictionary_is_a_clear_error():
    # pyproject.toml warns against the C++ `opencc`, which imports under the same name.
    with pytest.raises(LawReportError, match=r"TSCharacters.txt: OpenCC's character table cannot be read"):
        dictionary_lines("lawreport_site")
