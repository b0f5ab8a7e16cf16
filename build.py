"""Thin entry point: ingest seeds/, then build public/ (same as `lawreport build --ingest`)."""
import sys

from lawreport_site.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", "--ingest", *sys.argv[1:]]))
