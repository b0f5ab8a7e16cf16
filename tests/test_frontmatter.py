"""frontmatter: the fast reader answers as YAML does, or not at all."""
from datetime import date
from pathlib import Path

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lawreport_site.archive.content import FRONT_MATTER, to_markdown
from lawreport_site.archive.frontmatter import read_plain

from .test_content import reports

ROOT = Path(__file__).resolve().parent.parent


def typed(value):
    """*value* with the type name beside each scalar, so that YAML's True never passes for 1."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return type(value).__name__, value


def yaml_answer(front):
    try:
        return typed(yaml.safe_load(front))
    except (yaml.YAMLError, ValueError):
        return "error"


def assert_agrees(front):
    plain = read_plain(front)
    if plain is not None:
        assert typed(plain) == yaml_answer(front), front


def test_reads_the_committed_content_files_as_yaml_does():
    fronts = [FRONT_MATTER.match(file.read_text(encoding="utf-8")).group(1)
              for file in sorted((ROOT / "content" / "reports").glob("*.md"))]
    for front in fronts:
        assert_agrees(front)
    # The writer's output is the subset (a long summary quoted over several lines is not).
    assert sum(read_plain(front) is not None for front in fronts) >= len(fronts) / 2


@settings(max_examples=300)
@given(reports)
def test_reads_what_the_writer_writes_as_yaml_does(report):
    assert_agrees(FRONT_MATTER.match(to_markdown(report)).group(1))


KEYS = st.sampled_from(["title", "year", "source", "file", "on", "yes", "null", "2020", "y",
                        "a b", "_x", "key:", "'title'", "- title", "?", "x#y"])
SCALARS = st.sampled_from([
    "中文", "2019年以来,随着我市", "text", "yes", "No", "off", "true", "1.5", ".5", "1e3", "0x1F",
    "012", "0o12", "1_000", "1:20", "190:20:30", "+5", "-0", "0", "00", "2020", "2020-01-01",
    "2020-1-1", "2021-02-30", "2020-01-01 10:00:00", "2020-01-01T10:00:00Z", "~", "null", "Null",
    "", "'quoted ''x'''", "'open", "'a' b'", "''", "\"dq\"", "a: b", "a:b", "a #c", "a#c", "- item",
    "-5", "[a, b]", "[a, [b]]", "[1, 2]", "[yes]", "[中文, x]", "[a,b]", "[ ]", "[a, , b]", "[a",
    "{a: b}", "&x a", "*x", "!!str 1", "|", ">", "text:", "@x", "`x", "%x", ".inf", ".NaN",
    "=", "<<", "a\tb", "x\u2028y", "x\x85y", "\ufeffx", "a\x07", "seeds/x.txt", "utf-8",
    "0946f9fe", "12345678", "1e+5", "+.5", "中文 ", "  中文", "a  b"])
LINES = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", KEYS, SCALARS),
    st.builds(lambda k, v: f"  {k}: {v}", KEYS, SCALARS),
    st.builds(lambda k: f"{k}:", KEYS),
    st.builds(lambda v: f"  {v}", SCALARS),
    st.builds(lambda v: f"    x: {v}", SCALARS),
    st.sampled_from(["", " ", "# comment", "---", "...", "- a", "%YAML 1.1", "title:x", "\r"]))


@settings(max_examples=1000)
@given(st.lists(LINES, max_size=8))
@example(["title: a", "title: b"])                   # repeated key
@example(["source:", "  file: x", "  file: y"])
@example(["source:", "year: 2020"])                  # `source:` is null
@example(["summary: 第一行", "  第二行"])              # a plain scalar over two lines
@example(["published: 2021-02-30"])                  # no such day
def test_never_disagrees_with_yaml(lines):
    assert_agrees("\n".join(lines) + "\n")


# Most names and values from pools that are mostly readable, so that many documents are read.
NAMES = st.sampled_from(["title", "year", "source", "file", "_x"])      # KEYS has the others
READABLE = st.sampled_from([
    "中文", "2019年以来,随着我市", "text", "2020", "-0", "+5", "2020-01-01", "2021-02-30", "~", "null",
    "'quoted ''x'''", "''", "[a, b]", "[中文, x]", "[ ]", "[]", "[2020]", "seeds/x.txt", "utf-8",
    "0946f9fe", "a:b", "a#c", "a  b", "1e3", "1.5"])
VALUES = st.one_of(READABLE, READABLE, READABLE, SCALARS)
ENTRIES = st.one_of(
    st.tuples(NAMES, VALUES),
    st.tuples(NAMES, st.lists(st.tuples(NAMES, VALUES), min_size=1, max_size=3,
                              unique_by=lambda pair: pair[0])))


def document(entries):
    lines = []
    for key, value in entries:
        if isinstance(value, list):
            lines += [f"{key}:", *(f"  {name}: {scalar}" for name, scalar in value)]
        else:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n"


@settings(max_examples=1000)
@given(st.lists(ENTRIES, min_size=1, max_size=3, unique_by=lambda entry: entry[0]))
def test_types_every_scalar_as_yaml_does(entries):
    # Well-formed documents, so that most are read and the scalars' types are what is tested.
    assert_agrees(document(entries))


def test_gives_up_on_what_it_does_not_build():
    for front in ("a: yes\n", "a: 1.5\n", "a: 012\n", "a: |\n  x\n", "a: '多行\n  续'\n",
                  "a: [1]\n", "a:\n  b:\n    c: 1\n", "a: 1\n\tb: 2\n"):
        assert read_plain(front) is None, front


def test_types_what_it_reads_as_yaml_does():
    front = ("title: 报告\nadcode: '110000'\nyear: 2015\npublished: 2016-02-14\nparent: null\n"
             "themes: [law-enforcement, oversight]\nreview: []\nsource:\n  file: seeds/a.txt\n")
    assert read_plain(front) == {
        "title": "报告", "adcode": "110000", "year": 2015, "published": date(2016, 2, 14),
        "parent": None, "themes": ["law-enforcement", "oversight"], "review": [],
        "source": {"file": "seeds/a.txt"}}
