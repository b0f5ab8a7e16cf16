"""A fast reader for the plain front matter that content.to_markdown writes; YAML for the rest.

Pure. Even with LibYAML, PyYAML builds each value in Python, a noticeable share of a report's
build time. Almost every file holds only what the writer produces (``key: value`` lines, flow
lists of words, single-quoted strings, one level of nested mappings): read_plain reads exactly
that subset and gives up (None) on anything else, so the caller falls back to YAML and gets
YAML's values and errors. Where it answers, it answers as YAML would (PyYAML's own implicit
resolvers type the scalars; a type it does not build itself is a reason to give up).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from yaml.resolver import Resolver

_TOP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_NESTED = re.compile(r"  ([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
# Tabs, YAML's other line breaks (U+0085, U+2028, U+2029), a BOM, and what YAML does not allow
# in a document at all; any of them sends the text to YAML.
_UNUSUAL = re.compile("[\t\r\x85\u2028\u2029\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f"
                      "\ud800-\udfff\ufffe\uffff]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""A plain scalar starting with one of these is something else in YAML (or may be)."""
_FLOW_INDICATORS = frozenset(",[]{}")
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STR, _INT, _NULL, _TIMESTAMP = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "null", "timestamp"))


class _Unsure(Exception):
    """The text is outside the subset: let YAML read it."""


def read_plain(front: str) -> dict[str, Any] | None:
    """Return the mapping of front-matter text *front* (without its --- lines), or None when
    the text is outside the plain subset described above."""
    if _UNUSUAL.search(front):
        return None
    try:
        return _read(front.split("\n"))
    except _Unsure:
        return None


def _read(lines: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    nested: dict[str, Any] | None = None            # the mapping whose lines are being read
    for line in lines:
        line = line.rstrip(" ")
        if nested is not None and line.startswith("  "):
            key, value = _key_value(_NESTED, line)
            _add(nested, key, _scalar(_need(value)))
            continue
        if nested == {}:
            raise _Unsure                            # `key:` with nothing under it is null in YAML
        nested = None
        if not line:
            continue
        key, value = _key_value(_TOP, line)
        if value is None:
            nested = {}
            _add(fields, key, nested)
        else:
            _add(fields, key, _flow_list(value) if value.startswith("[") else _scalar(value))
    if nested == {} or not fields:
        raise _Unsure                                # and an empty text is null, not {}
    return fields


def _key_value(pattern: re.Pattern[str], line: str) -> tuple[str, str | None]:
    match = pattern.fullmatch(line)
    if match is None:
        raise _Unsure
    key = _scalar(match.group(1))
    if not isinstance(key, str):                     # `null:`, `on:`, `2020:` are not text keys
        raise _Unsure
    return key, match.group(2)


def _need(value: str | None) -> str:
    if value is None:
        raise _Unsure                                # a second level of nesting
    return value


def _add(mapping: dict[str, Any], key: str, value: Any) -> None:
    if key in mapping:
        raise _Unsure                                # YAML's rule for a repeated key is its own
    mapping[key] = value


def _flow_list(text: str) -> list[str]:
    """A one-line flow list of plain words: ``[a, b]`` or ``[]``."""
    if not text.endswith("]"):
        raise _Unsure
    inner = text[1:-1].strip()
    if not inner:
        return []
    items = [_scalar(item.strip(), flow=True) for item in inner.split(",")]
    if not all(isinstance(item, str) for item in items):
        raise _Unsure
    return items


def _scalar(text: str, flow: bool = False) -> Any:
    """Return the value of a single-quoted or plain scalar, typed as YAML types it."""
    if not text:
        raise _Unsure
    if text[0] == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            raise _Unsure
        return inner.replace("''", "'")
    if (text[0] in _INDICATORS or text[-1] == ":" or ": " in text or " #" in text
            or (flow and not _FLOW_INDICATORS.isdisjoint(text))):
        raise _Unsure
    tag = next((tag for tag, pattern in Resolver.yaml_implicit_resolvers.get(text[0], ())
                if pattern.match(text)), _STR)
    if tag == _STR:
        return text
    if tag == _NULL:
        return None
    if tag == _INT and _DECIMAL.fullmatch(text):
        return int(text)
    if tag == _TIMESTAMP and _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise _Unsure from None
    raise _Unsure
