"""The package's layout holds: imports go one way along the pipeline, modules stay small.

docs/architecture.md says which folder may import which; this test reads every module's imports
(names only the type checker sees are left out) and fails on one that goes the other way.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "lawreport_site"

MAY_IMPORT = {
    "archive": {"archive", "errors"},
    "ingest": {"ingest", "archive", "errors"},
    "pages": {"pages", "archive", "build", "config", "errors"},
    "search": {"search", "build", "errors"},
    "build": {"build", "errors"},
}
"""Folder → the top-level parts of the package (folders or modules) its modules may import."""

MAX_LINES = 500
MAX_MODULE_DOCSTRING_LINES = 12


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def package_imports(path: Path) -> set[str]:
    """Return the top-level part of the package each import of the module at *path* names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):                        # drop `if TYPE_CHECKING:` bodies
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            node.body = []
    here = path.relative_to(PACKAGE).parent.parts     # the package the module is in, below the top
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(here[:len(here) - (node.level - 1)])
            parts = base + (node.module.split(".") if node.module else [])
            names = [parts] if node.module else [base + [alias.name] for alias in node.names]
            found.update(name[0] for name in names if name)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lawreport_site."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names
                         if alias.name.startswith("lawreport_site."))
    return {part.removesuffix(".py") for part in found}


@pytest.mark.parametrize("folder", sorted(MAY_IMPORT))
def test_imports_go_one_way(folder: str) -> None:
    wrong = {str(path.relative_to(PACKAGE)): sorted(package_imports(path) - MAY_IMPORT[folder])
             for path in (PACKAGE / folder).rglob("*.py")}
    assert not {path: parts for path, parts in wrong.items() if parts}


def test_the_check_sees_an_import_that_goes_the_wrong_way() -> None:
    # The rule above could pass by reading nothing: show it reads relative and absolute imports.
    module = PACKAGE / "ingest" / "run.py"
    assert {"archive", "errors", "ingest"} <= package_imports(module)
    assert "pages" in package_imports(PACKAGE / "builder.py")


def test_no_module_is_over_the_size_one_reader_holds_in_mind() -> None:
    sizes = {str(path.relative_to(PACKAGE)): path.read_text(encoding="utf-8").count("\n")
             for path in modules()}
    assert {path: lines for path, lines in sizes.items() if lines > MAX_LINES} == {}


def test_module_docstrings_say_what_and_why_in_a_few_lines() -> None:
    long = {}
    for path in modules():
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False) or ""
        if doc.count("\n") + 1 > MAX_MODULE_DOCSTRING_LINES:
            long[str(path.relative_to(PACKAGE))] = doc.count("\n") + 1
    assert long == {}
