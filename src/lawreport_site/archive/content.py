"""Report ⇄ Markdown with YAML front matter, and the merge that keeps editors' changes.

Hand edits survive re-ingest the way nedbat/cog protects edited output: ingest stores a
short digest of every field it wrote (``ingested:`` in the front matter). On the next ingest
a field whose value no longer matches its digest was changed by hand, so the edit wins and
stays protected; deleting its digest hands the field back to ingest; ``--force`` drops all edits.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from datetime import date
from typing import Any

import yaml

from ..errors import ContentError
from .frontmatter import read_plain
from .model import DOC_TYPES, PLACE_LEVELS, SCRIPTS, Report, Source

SLUG_PATTERN = re.compile(r"[0-9a-z][0-9a-z-]{0,63}")
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)

# Front-matter order, fixed so that every file reads the same and diffs stay small.
FIELD_ORDER = ("title", "slug", "place", "place_level", "parent", "province", "adcode", "year",
               "published", "publisher", "byline", "doc_type", "themes", "summary", "source",
               "review")
# Written even when empty, so an editor sees the field exists.
ALWAYS_WRITTEN = {"title", "slug", "place", "place_level", "parent", "province", "adcode",
                  "year", "doc_type", "themes", "summary", "review"}
# Fields whose edits are protected; slug is never re-derived once a file exists.
TRACKED = tuple(f for f in FIELD_ORDER if f not in {"slug", "source"}) + ("body",)


class _Dumper(yaml.SafeDumper):
    """Safe dumper that keeps short lists such as themes on one line."""


def _represent_list(dumper: yaml.SafeDumper, data: list) -> yaml.Node:
    flow = all(isinstance(item, str) and len(item) < 40 for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _represent_list)

# For what frontmatter.read_plain leaves to YAML. LibYAML's loader is much faster than the
# pure-Python one; both build the same values with the same SafeConstructor.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def field_digest(value: Any) -> str:
    """Return an 8-hex digest of a field value, stable across runs and platforms."""
    if isinstance(value, tuple):
        value = list(value)
    if isinstance(value, date):
        value = value.isoformat()
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]


def to_markdown(report: Report) -> str:
    """Serialise *report* as front matter plus body; the same report always gives the same text."""
    fields: dict[str, Any] = {}
    for name in FIELD_ORDER:
        value = getattr(report, name)
        if value is None and name not in ALWAYS_WRITTEN:
            continue
        if name == "source":
            value = {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, date):
            value = value.isoformat()
        fields[name] = value
    if report.digests:
        fields["ingested"] = dict(sorted(report.digests.items()))
    front = yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    # A published date is written as a string above; unquote it so YAML readers see a date.
    front = re.sub(r"^published: '(\d{4}-\d\d-\d\d)'$", r"published: \1", front, flags=re.M)
    body = report.body.strip("\n")
    return f"---\n{front}---\n\n{body}\n"


def from_markdown(text: str, path: str) -> Report:
    """Parse a content file; raise ContentError naming *path*, the field and the fix."""
    match = FRONT_MATTER.match(text)
    if not match:
        if text.startswith("---"):
            raise ContentError(path, "front matter is not closed",
                               "end it with a line holding only ---")
        raise ContentError(path, "no front matter",
                           "start the file with --- , the YAML fields, then --- (see README)")
    fields = read_plain(match.group(1))
    if fields is None:
        fields = _yaml_fields(match.group(1), path)
    if not isinstance(fields, dict):
        raise ContentError(path, "front matter is not a mapping", "write one `field: value` per line")
    body = text[match.end():].strip("\n")
    return _report_from_fields(fields, body, path)


def _yaml_fields(front: str, path: str) -> Any:
    try:
        return yaml.load(front, Loader=_SafeLoader) or {}
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f" (line {where.line + 2})" if where else ""
        raise ContentError(path, f"front matter is not valid YAML{line}",
                           "check quoting and indentation; only plain YAML is accepted") from None
    except ValueError as error:
        # YAML's grammar holds, but a value does not exist: a date such as 2021-02-30.
        raise ContentError(path, f"front matter has an impossible value ({error})",
                           "check the dates: YYYY-MM-DD, a day that exists") from None


def report_from_bytes(data: bytes, path: str) -> Report:
    """Parse the bytes of a content file; raise ContentError for bad UTF-8 as for bad fields."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(path, "file is not UTF-8", "save it as UTF-8") from None
    return from_markdown(text, path)


def _report_from_fields(fields: dict[str, Any], body: str, path: str) -> Report:
    def need(name: str, kind: type | tuple[type, ...], fix: str) -> Any:
        value = fields.get(name)
        if value is None:
            raise ContentError(path, f"field `{name}` is missing", fix)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ContentError(path, f"field `{name}` has the wrong type ({value!r})", fix)
        return value

    def optional_text(name: str) -> str | None:
        value = fields.get(name)
        if value is None or value == "":
            return None
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise ContentError(path, f"field `{name}` must be text", f"write `{name}: 文本` or remove it")
        return str(value)

    slug = str(need("slug", (str, int), "add `slug: <adcode>-<year>`, e.g. 500000-2020"))
    if not SLUG_PATTERN.fullmatch(slug):
        raise ContentError(path, f"slug {slug!r} is not allowed",
                           "use lower-case ASCII letters, digits and '-', e.g. 500000-2020")
    year = need("year", int, "write the year covered as a number, e.g. `year: 2020`")
    if not 1990 <= year <= 2100:
        raise ContentError(path, f"year {year} is out of range", "give the year the report covers")
    level = need("place_level", str, "use one of: " + ", ".join(PLACE_LEVELS))
    if level not in PLACE_LEVELS:
        raise ContentError(path, f"place_level {level!r} is unknown", "use one of: " + ", ".join(PLACE_LEVELS))
    doc_type = fields.get("doc_type") or "annual_report"
    if doc_type not in DOC_TYPES:
        raise ContentError(path, f"doc_type {doc_type!r} is unknown", "use one of: " + ", ".join(DOC_TYPES))
    published = fields.get("published")
    if isinstance(published, str):
        try:
            published = date.fromisoformat(published)
        except ValueError:
            raise ContentError(path, f"published {published!r} is not a date",
                               "write it as YYYY-MM-DD") from None
    if published is not None and not isinstance(published, date):
        raise ContentError(path, "published is not a date", "write it as YYYY-MM-DD")
    return Report(
        slug=slug,
        title=str(need("title", (str, int), "add `title: …`")),
        place=str(need("place", str, "add `place: 重庆市` (the reporting government or body)")),
        place_level=level,
        year=year,
        body=body,
        parent=optional_text("parent"),
        province=optional_text("province"),
        adcode=optional_text("adcode"),
        published=published,
        publisher=optional_text("publisher"),
        byline=optional_text("byline"),
        doc_type=doc_type,
        themes=_text_tuple(fields, "themes", path),
        summary=str(fields.get("summary") or ""),
        source=_source(fields.get("source"), path),
        review=_text_tuple(fields, "review", path),
        digests=_digests(fields.get("ingested"), path),
    )


def _text_tuple(fields: dict[str, Any], name: str, path: str) -> tuple[str, ...]:
    value = fields.get(name) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ContentError(path, f"field `{name}` must be a list of words", f"write `{name}: [a, b]`")
    return tuple(value)


def _source(value: Any, path: str) -> Source | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("file"), str):
        raise ContentError(path, "source must be a mapping with at least `file`",
                           "write `source: {file: seeds/x.txt, sha256: …}` or remove it")
    script = value.get("script", "simplified")
    if script not in SCRIPTS:
        raise ContentError(path, f"source.script {script!r} is unknown", "use simplified or traditional")
    return Source(file=value["file"], sha256=str(value.get("sha256", "")),
                  encoding=str(value.get("encoding", "utf-8")), script=script,
                  conversion=value.get("conversion"))


def _digests(value: Any, path: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ContentError(path, "`ingested` must map field names to digests",
                           "remove the `ingested` block to hand every field back to ingest")
    return {str(k): str(v) for k, v in value.items()}


def _digest_of(report: Report, name: str) -> str:
    value = getattr(report, name)
    # The file holds the body without surrounding blank lines; digest what the file holds.
    return field_digest(value.strip("\n") if name == "body" else value)


def with_digests(report: Report) -> Report:
    """Return *report* carrying a digest of every tracked field, as ingest writes it."""
    return dataclasses.replace(report, digests={f: _digest_of(report, f) for f in TRACKED})


def edited_fields(report: Report) -> tuple[str, ...]:
    """Return the tracked fields whose value no longer matches the digest ingest stored."""
    return tuple(f for f in TRACKED if f in report.digests and report.digests[f] != _digest_of(report, f))


def merge(existing: Report | None, fresh: Report) -> tuple[Report, tuple[str, ...]]:
    """Combine a freshly ingested report with the file on disk; return it and the kept edits.

    Unedited fields take the fresh value; edited fields keep the editor's value and the old
    digest, so they stay protected on the next run too. The slug never changes once written.
    """
    fresh = with_digests(fresh)
    if existing is None:
        return fresh, ()
    kept = edited_fields(existing)
    values = {f: getattr(existing, f) for f in kept}
    digests = dict(fresh.digests) | {f: existing.digests[f] for f in kept}
    if "review" not in kept:
        # A field the editor corrected has been reviewed.
        values["review"] = tuple(f for f in fresh.review if f not in kept)
        digests["review"] = field_digest(values["review"])
    merged = dataclasses.replace(fresh, slug=existing.slug, digests=digests, **values)
    return merged, kept
