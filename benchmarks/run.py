"""Benchmark `lawreport build` against Hugo + Pagefind extended on the same synthetic archive.

Usage: python benchmarks/run.py [--n 1000 10000] [--full] [--runs 3] [--seed 0] [--work DIR]

For each N it measures, for us and for the peer, (a) render only, (b) a full build with the
search index and (c) adding one report to the archive just built and rebuilding; prints wall
time, peak memory and our/peer ratios, checks that our rebuild equals a clean build, and times
the stages of our builds (benchmarks/stages.py). Corpora, sites and Hugo projects live under --work
(default /tmp/lawreport-bench); corpora are kept between runs. See benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import importlib.metadata
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pagefind_bin_extended

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hugo_site  # noqa: E402
import make_corpus  # noqa: E402
from measure import LimitExceeded, Sample, combine, run  # noqa: E402

# Found through its distribution: `import hugo` here would find the templates folder benchmarks/hugo/.
HUGO = Path(importlib.metadata.distribution("hugo").locate_file("hugo/binaries/hugo"))
PAGEFIND = pagefind_bin_extended.get_executable()
PYTHON = sys.executable
STAGES = Path(__file__).resolve().parent / "stages.py"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
OUR_LIMITS = {"max_seconds": 15 * 60, "max_mb": 8_000}
"""A build of ours beyond these (seconds per 10,000 reports, at least 15 min) is stopped and
reported as such (the issue's budget is 2 GB)."""
PEER_MB = 20_000
"""The peer is stopped beyond this, to keep the machine (24 GB) alive: at 30,000 reports
Pagefind would need about 25 GB."""
CLEAN_COMPARE_MAX_N = 10_000
"""Above this, the add-one rebuild is not compared with a second clean build (it takes as long
as the full build again); the tests and N ≤ 10,000 cover that property."""


class Bench:
    """Paths and commands for one N."""

    def __init__(self, work: Path, n: int, seed: int) -> None:
        self.n, self.seed, self.work = n, seed, work
        self.corpus = work / f"corpus-{n + 1}-seed{seed}"
        self.content = work / f"content-{n}"
        self.extra = make_corpus.make_report(seed, n).slug + ".md"
        self.project = work / f"hugo-{n}"
        # Each site of ours in a folder of its own: the builder keeps its cache beside --out
        # (.lawreport-cache/), and a clean build must start without it.
        self.ours, self.ours_clean = (work / f"{name}-{n}" / "site" for name in ("ours", "ours-clean"))
        self.peer = work / f"peer-{n}"

    def prepare(self) -> None:
        """Generate the N+1 corpus once; link N of its reports into content/; make the Hugo project."""
        if not (self.corpus / "complete").exists():
            shutil.rmtree(self.corpus, ignore_errors=True)
            start = time.perf_counter()
            make_corpus.write_corpus(self.n + 1, self.corpus, self.seed)
            (self.corpus / "complete").write_text("")
            print(f"  corpus of {self.n + 1} reports written in {time.perf_counter() - start:.0f} s")
        shutil.rmtree(self.content, ignore_errors=True)
        (self.content / "reports").mkdir(parents=True)
        for path in (self.corpus / "reports").glob("*.md"):
            if path.name != self.extra:
                os.link(path, self.content / "reports" / path.name)
        hugo_site.make_project(self.content, self.project)

    def ours_build(self, out: Path, search: bool, clean: bool = True) -> Sample:
        if clean:
            shutil.rmtree(out.parent, ignore_errors=True)     # the site and the builder's cache
        out.parent.mkdir(parents=True, exist_ok=True)
        # stages.py runs `lawreport build` with these arguments, timing its stages on the way.
        cmd = [PYTHON, str(STAGES), "--content", str(self.content),
               "--out", str(out), "--seeds", str(self.work / "no-seeds"), "--templates", str(TEMPLATES)] + ([] if search else ["--no-search"])
        scale = max(1.0, self.n / 10_000)
        return run(cmd, cwd=self.work, max_seconds=OUR_LIMITS["max_seconds"] * scale,
                   max_mb=OUR_LIMITS["max_mb"])

    def peer_build(self, search: bool, clean: bool = True) -> Sample:
        if clean:
            shutil.rmtree(self.peer, ignore_errors=True)
        render = run([str(HUGO), "--source", str(self.project), "--destination", str(self.peer), "--quiet"],
                     max_mb=PEER_MB)
        return combine(render, run([str(PAGEFIND), "--site", str(self.peer)], max_mb=PEER_MB)) if search else render

    def add_extra(self) -> list[Path]:
        """Put the extra report into our content and the Hugo project; return what was created."""
        added = self.content / "reports" / self.extra
        os.link(self.corpus / "reports" / self.extra, added)
        before = set(self.project.rglob("*"))
        hugo_site.add_reports([added], self.project)
        return [added, *sorted(set(self.project.rglob("*")) - before)]

    def remove_extra(self, created: list[Path]) -> None:
        for path in reversed(created):
            path.rmdir() if path.is_dir() else path.unlink()

    def compare_with_clean_build(self) -> str:
        """Build the N+1 content from scratch; say whether the incremental site is byte-identical."""
        self.ours_build(self.ours_clean, search=True)
        a, b = tree_digests(self.ours), tree_digests(self.ours_clean)
        differing = sorted(path for path in a.keys() | b.keys() if a.get(path) != b.get(path))
        shutil.rmtree(self.ours_clean.parent)
        if not differing:
            return "identical"
        folders = collections.Counter(path.split("/")[0] if "/" in path else "(top)" for path in differing)
        return (f"{len(differing)} of {len(b)} files differ ({', '.join(f'{k}: {v}' for k, v in folders.most_common())}), "
                f"e.g. {', '.join(differing[:3])}")


def tree_digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def load() -> str:
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def measure_n(bench: Bench, runs: int) -> dict:
    """Run every measurement *runs* times, interleaving ours and the peer's; return the samples."""
    samples: dict[str, list[Sample | str]] = {key: [] for key in
                                              ("ours render", "peer render", "ours full", "peer full", "ours add", "peer add")}
    loads = [load()]
    identical = "not checked"
    for number in range(runs):
        for key, measure in (("ours render", lambda: bench.ours_build(bench.ours, search=False)),
                             ("peer render", lambda: bench.peer_build(search=False)),
                             ("ours full", lambda: bench.ours_build(bench.ours, search=True)),
                             ("peer full", lambda: bench.peer_build(search=True))):
            samples[key].append(_attempt(measure))
            print(f"  run {number + 1} {key}: {_show(samples[key][-1])}  (load {load()})", flush=True)
        created = bench.add_extra()     # to each archive that was built in (b)
        try:
            for who, rebuild in (("ours", lambda: bench.ours_build(bench.ours, search=True, clean=False)),
                                 ("peer", lambda: bench.peer_build(search=True, clean=False))):
                built = isinstance(samples[f"{who} full"][-1], Sample)
                samples[f"{who} add"].append(_attempt(rebuild) if built else "no archive: (b) failed")
            if number == 0 and isinstance(samples["ours add"][-1], Sample) and bench.n <= CLEAN_COMPARE_MAX_N:
                identical = _attempt(bench.compare_with_clean_build)
        finally:
            bench.remove_extra(created)
        print(f"  run {number + 1} add one: ours {_show(samples['ours add'][-1])}, "
              f"peer {_show(samples['peer add'][-1])}; ours vs a clean build: {identical}  (load {load()})",
              flush=True)
        loads.append(load())
    stages = {key: _stage_figures(samples[key][0]) for key in ("ours full", "ours add") if samples[key]}
    return {"samples": samples, "identical": identical, "stages": stages, "loads": loads}


def _stage_figures(sample: Sample | str) -> dict | str:
    """Return the stage times stages.py printed as its last line."""
    if isinstance(sample, str):
        return sample
    return json.loads(sample.output.strip().splitlines()[-1])


def _attempt(measure):
    try:
        return measure()
    except LimitExceeded as error:
        return f"STOPPED: {error}"
    except subprocess.CalledProcessError as error:
        return f"FAILED (exit {error.returncode}): {' / '.join(error.output.strip().splitlines()[-3:])}"


def _figures(sample: Sample) -> dict:
    return {"wall": round(sample.wall, 2), "tree_mb": round(sample.tree_mb), "max_mb": round(sample.max_mb),
            "pss_mb": round(sample.pss_mb)}


def saved(path: Path) -> dict:
    """Read results-N.json back, with Samples where measurements succeeded."""
    result = json.loads(path.read_text(encoding="utf-8"))
    result["samples"] = {key: [Sample(**figures, output="") if isinstance(figures, dict) else figures
                               for figures in values] for key, values in result["samples"].items()}
    return result


def _show(sample: Sample | str) -> str:
    return sample if isinstance(sample, str) else \
        f"{sample.wall:.1f} s, {sample.tree_mb:,.0f} MB (PSS {sample.pss_mb:,.0f} MB)"


def _median(samples: list[Sample | str]) -> tuple[float, float, float] | str | None:
    """Return the medians of wall time, peak RSS sum and peak PSS sum, or why there are none."""
    good = [s for s in samples if isinstance(s, Sample)]
    if len(good) < len(samples) or not good:
        return next((s for s in samples if isinstance(s, str)), None)
    return tuple(statistics.median(getattr(s, field) for s in good) for field in ("wall", "tree_mb", "pss_mb"))


def _cell(figure: tuple[float, float, float] | str | None) -> str:
    return f"{figure[0]:.1f} s, {figure[1]:,.0f} MB" if isinstance(figure, tuple) else str(figure)


def _memory(figure: tuple[float, float, float]) -> str:
    """Peak RSS sum, and the PSS sum when it was measured (results before it have 0)."""
    return f"{figure[1]:,.0f} ({figure[2]:,.0f})" if figure[2] else f"{figure[1]:,.0f}"


def table(results: dict[int, dict]) -> str:
    """Return the figures as a Markdown table: medians of wall time and of peak tree memory."""
    rows = ["| N | measure | ours: s | ours: peak MB (PSS) | peer: s | peer: peak MB (PSS) | ours/peer time "
            "| ours/peer memory | runs |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    names = {"render": "(a) render only", "full": "(b) full build + search", "add": "(c) add one report, rebuild"}
    for n, result in results.items():
        for key, name in names.items():
            ours, peer = (_median(result["samples"][f"{who} {key}"]) for who in ("ours", "peer"))
            runs = len(result["samples"][f"ours {key}"])
            if isinstance(ours, tuple) and isinstance(peer, tuple):
                rows.append(f"| {n:,} | {name} | {ours[0]:.1f} | {_memory(ours)} | {peer[0]:.1f} | {_memory(peer)} "
                            f"| {ours[0] / peer[0]:.2f} | {ours[1] / peer[1]:.2f} | {runs} |")
            else:
                rows.append(f"| {n:,} | {name} | {_cell(ours)} | | {_cell(peer)} | | | | {runs} |")
    return "\n".join(rows)


def targets(result: dict) -> str:
    """Return the issue-5 target ratios for one N, from the medians."""
    figures = {key: _median(values) for key, values in result["samples"].items()}
    if not all(isinstance(figures[key], tuple) for key in ("ours render", "peer render", "ours full", "peer full")):
        return "incomplete (see the table)"
    text = (f"render {figures['ours render'][0] / figures['peer render'][0]:.2f}× Hugo (target ≤ 1.5); "
            f"full build {figures['ours full'][0] / figures['peer full'][0]:.2f}× Hugo + Pagefind (target ≤ 1.0) "
            f"at {_memory(figures['ours full'])} MB (target ≤ 2,000)")
    if isinstance(figures["ours add"], tuple):
        text += (f"; add one report {figures['ours add'][0] / figures['peer full'][0]:.2f}× the peer's full build "
                 f"(target ≤ 0.1); rebuild vs a clean build: {result['identical']}")
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--full", action="store_true", help="also N = 30,000")
    parser.add_argument("--runs", type=int, default=3, help="runs for N ≤ 1,000 (one run above)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("BENCH_DIR", "/tmp/lawreport-bench")))
    parser.add_argument("--report", action="store_true", help="print the table from the saved results-N.json, run nothing")
    args = parser.parse_args(argv)
    sizes = args.n + ([30_000] if args.full else [])
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    if args.report:
        results = {n: saved(args.work / f"results-{n}.json") for n in sizes if (args.work / f"results-{n}.json").exists()}
    else:
        print(f"Hugo {HUGO}\nPagefind {PAGEFIND}\n{os.cpu_count()} cores, load {load()}")
    for n in sizes if not args.report else []:
        print(f"N = {n:,}", flush=True)
        bench = Bench(args.work, n, args.seed)
        bench.prepare()
        results[n] = measure_n(bench, args.runs if n <= 1_000 else 1)
        (args.work / f"results-{n}.json").write_text(json.dumps(results[n], default=_figures, ensure_ascii=False, indent=1))
    print("\nWall time and peak memory (summed RSS of the process tree, and in brackets its summed PSS, "
          "which counts a page shared by forked workers once), medians:\n")
    print(table(results))
    print()
    for n, result in results.items():
        print(f"N = {n:,} against the issue's targets: {targets(result)}")
    for n, result in results.items():
        print(f"\nN = {n:,}: our add-one rebuild vs a clean build: {result['identical']}; "
              f"load averages during the runs: {', '.join(result['loads'])}")
        for key, stages in result["stages"].items():
            print(f"  stages of {key} (first run), seconds: {stages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
