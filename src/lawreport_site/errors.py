"""The one exception family users see: a problem they can fix, printed as one line."""
from __future__ import annotations


class LawReportError(Exception):
    """A problem the user can fix; the CLI prints it without a traceback and exits 1."""
    exit_code = 1


class SeedError(LawReportError):
    """A raw file in seeds/ that cannot become a report."""

    def __init__(self, seed: str, problem: str, fix: str) -> None:
        super().__init__(f"{seed}: {problem}; {fix}")
        self.seed = seed


class ContentError(LawReportError):
    """A content file whose front matter or body is not valid."""

    def __init__(self, path: str, problem: str, fix: str) -> None:
        super().__init__(f"{path}: {problem}; {fix}")
        self.path = path

    def __reduce__(self) -> tuple:
        # Build workers send these back pickled; the message is already complete.
        return _content_error, (self.path, str(self))


def _content_error(path: str, message: str) -> ContentError:
    error = ContentError.__new__(ContentError)
    LawReportError.__init__(error, message)
    error.path = path
    return error
