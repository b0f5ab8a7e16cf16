"""`lawreport serve`: build, preview on 127.0.0.1, rebuild on every change, reload the open page.

The built files on disk stay exactly what `lawreport build` writes: the server adds one
same-origin script to HTML responses only, which polls /__build and reloads the page when a
new build is in (an inline script would break the pages' Content-Security-Policy). A failed
build keeps the previous site on screen and shows the error in the page and the terminal.
"""
from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import io
import json
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

RELOAD_SCRIPT = "/__reload.js"
BUILD_STATUS = "/__build"


@dataclass
class BuildState:
    """What the page's poller sees: a build counter and the last build's error, if any."""
    generation: int = 0
    error: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def as_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "error": self.error}).encode()


def rebuild(args: argparse.Namespace, state: BuildState, ingest: bool) -> None:
    """Run one build like `lawreport build`, echoing its output, and record the outcome."""
    from .builder import build_command
    from .errors import LawReportError
    captured = io.StringIO()
    # One process: forking worker processes beside the server's threads risks a child that
    # inherits a lock held by one of them; a rebuild while editing mostly reuses the cache anyway.
    build_args = argparse.Namespace(content=args.content, out=args.out, seeds=args.seeds,
                                    ingest=ingest, no_search=False, workers=1)
    with contextlib.redirect_stderr(_Tee(captured, sys.stderr)):
        try:
            status = build_command(build_args)
        except LawReportError as error:
            print(f"Error: {error}", file=sys.stderr)
            status = 1
    with state.lock:
        state.generation += 1
        state.error = (captured.getvalue().strip() or "the build failed") if status else None
    print(f"[build {state.generation}] {'failed; still serving the previous site' if status else 'ok'}",
          flush=True)


class _Tee(io.TextIOBase):
    def __init__(self, *streams: io.TextIOBase) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
        return len(text)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Static files from the site, plus the reload script and the build status."""
    state: BuildState
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript"}

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = self.path.split("?", 1)[0]
        if path == BUILD_STATUS:
            self._send(self.state.as_json(), "application/json")
        elif path == RELOAD_SCRIPT:
            script = resources.files("lawreport_site").joinpath("data", "livereload.js").read_bytes()
            self._send(script, "text/javascript")
        else:
            target = Path(self.translate_path(path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file() and path.endswith(("/", ".html")):
                self._send(with_reload_script(target.read_bytes()), "text/html; charset=utf-8")
            else:
                super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def with_reload_script(page: bytes) -> bytes:
    """The page with the poller added just before </body> (or at the end)."""
    tag = f'<script src="{RELOAD_SCRIPT}" defer></script>'.encode()
    position = page.rfind(b"</body>")
    return page[:position] + tag + page[position:] if position != -1 else page + tag


def start_server(out: Path, port: int, state: BuildState) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (PreviewHandler,), {"state": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             functools.partial(handler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def watched(args: argparse.Namespace) -> list[Path]:
    """Folders whose changes call for a rebuild: the editors' and the site's own."""
    folders = [args.seeds, args.content, getattr(args, "templates", Path("templates"))]
    return [folder for folder in folders if Path(folder).is_dir()]


def needs_ingest(changes: Iterable[tuple[object, str]], seeds: Path) -> bool:
    seeds = Path(seeds).resolve()
    return any(Path(path).resolve().is_relative_to(seeds) for _, path in changes)


def serve_command(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    """Build, serve, and rebuild on change until Ctrl-C (or *stop*, for tests)."""
    import watchfiles
    state = BuildState()
    rebuild(args, state, ingest=Path(args.seeds).is_dir())
    Path(args.out).mkdir(parents=True, exist_ok=True)
    try:
        server = start_server(Path(args.out).resolve(), args.port, state)
    except OSError as error:
        print(f"Error: cannot listen on 127.0.0.1:{args.port} ({error.strerror}); try --port", file=sys.stderr)
        return 1
    folders = watched(args)
    print(f"Serving http://127.0.0.1:{server.server_address[1]}/ — watching "
          f"{', '.join(str(f) for f in folders)}; Ctrl-C stops", flush=True)
    try:
        for changes in watchfiles.watch(*folders, stop_event=stop, debounce=300, rust_timeout=500):
            rebuild(args, state, ingest=needs_ingest(changes, args.seeds))
    finally:
        server.shutdown()
        server.server_close()
    return 0
