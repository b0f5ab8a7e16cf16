"""Time the stages of one `lawreport build` by wrapping the builder's functions in this process.

Usage: python benchmarks/stages.py --content DIR --out SITE [--no-search]   (the build's own arguments)

Prints one JSON line: seconds per stage, the total, and any stage function the builder no longer
has (then the figures are partial; update STAGES). The builder does not report stage times
itself, so they are taken here from outside, by name:

  load   content_keys                      list the content files (and hash them, when cached)
  model  load_content, validate, build_site, plan_source_copies
                                           new files parsed (front matter and body) and derived,
                                           in worker processes; then the site model
  render write_site                        every page rendered and written, in worker processes
  write  copy_static, copy_sources
  index  _index (Pagefind)
  swap   swap_in
"""
from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable

from lawreport_site import builder
from lawreport_site import cli

STAGES = {"content_keys": "load", "load_content": "model", "validate": "model", "build_site": "model",
          "plan_source_copies": "model", "write_site": "render",
          "copy_static": "write", "copy_sources": "write", "_index": "index", "swap_in": "swap"}

seconds: dict[str, float] = defaultdict(float)


def _timed(function: Callable, stage: str) -> Callable:
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[stage] += time.perf_counter() - start
    return wrapper


def main(argv: list[str]) -> int:
    missing = [name for name in STAGES if not hasattr(builder, name)]
    for name, stage in STAGES.items():
        if name not in missing:
            setattr(builder, name, _timed(getattr(builder, name), stage))
    start = time.perf_counter()
    status = cli.main(["build", *argv])
    total = time.perf_counter() - start
    figures = {stage: round(value, 2) for stage, value in seconds.items()}
    figures["other"] = round(total - sum(seconds.values()), 2)
    print(json.dumps({"status": status, "total": round(total, 2), "stages": figures,
                      "missing": missing}))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
