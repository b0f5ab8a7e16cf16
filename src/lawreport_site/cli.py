"""The `lawreport` command: ingest, build, check, serve."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import LawReportError

USAGE_ERROR = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lawreport", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="raw reports in seeds/ → Markdown in content/reports/")
    ingest.add_argument("--seeds", type=Path, default=Path("seeds"))
    ingest.add_argument("--content", type=Path, default=Path("content"))
    ingest.add_argument("--force", action="store_true", help="discard hand edits to ingested fields")

    build = commands.add_parser("build", help="content/ → the static site in public/")
    build.add_argument("--content", type=Path, default=Path("content"))
    build.add_argument("--out", type=Path, default=Path("public"))
    build.add_argument("--seeds", type=Path, default=Path("seeds"))
    build.add_argument("--templates", type=Path, default=Path("templates"), help="the site's look")
    build.add_argument("--ingest", action="store_true", help="ingest seeds/ first")
    build.add_argument("--no-search", action="store_true", help="skip the Pagefind index")

    check = commands.add_parser("check", help="validate content, list reports needing review")
    check.add_argument("--content", type=Path, default=Path("content"))

    serve = commands.add_parser("serve", help="preview on 127.0.0.1, rebuilding on change")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--content", type=Path, default=Path("content"))
    serve.add_argument("--out", type=Path, default=Path("public"))
    serve.add_argument("--seeds", type=Path, default=Path("seeds"))
    serve.add_argument("--templates", type=Path, default=Path("templates"))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 bad input, 2 wrong usage)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) and USAGE_ERROR
    try:
        return _run(args)
    except LawReportError as error:
        print(f"Error: {error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:            # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("Interrupted; files already written are complete, the rest untouched.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace) -> int:
    if args.command == "ingest":
        from .ingest.run import ingest_command
        return ingest_command(args.seeds, args.content, force=args.force)
    if args.command == "build":
        from .builder import build_command
        return build_command(args)
    if args.command == "check":
        from .check import check_command
        return check_command(args.content)
    if args.command == "serve":
        from .serve import serve_command
        return serve_command(args)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
