"""What several test modules read: the committed content files of the five seeds."""
from pathlib import Path

from lawreport_site.archive.content import from_markdown
from lawreport_site.archive.model import Report

CONTENT = Path(__file__).parent.parent / "content" / "reports"
SEED_SLUGS = {"000": "420700-2021", "001": "420921-2019", "002": "410400-2019",
              "003": "630200-2023", "004": "500000-2020"}


def seed_report(number: str) -> Report:
    """The report ingested from seeds/<number>_….txt, as committed in content/reports/."""
    path = CONTENT / f"{SEED_SLUGS[number]}.md"
    return from_markdown(path.read_text(encoding="utf-8"), str(path))


def seed_body(number: str) -> str:
    return seed_report(number).body
